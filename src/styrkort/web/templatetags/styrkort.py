"""Template tags: status, trend and activity badges (symbol + text), Swedish numbers."""

from django import template
from django.utils.html import format_html

from styrkort.io.numbers import format_change_pct
from styrkort.web import presentation

register = template.Library()


def _render(badge, extra_class: str = "") -> str:
    symbol = (
        format_html('<span class="sym" aria-hidden="true">{}</span> ', badge.symbol)
        if badge.symbol
        else ""
    )
    return format_html(
        '<span class="badge {} {}">{}<span class="badge-text">{}</span></span>',
        badge.css,
        extra_class,
        symbol,
        badge.label,
    )


@register.simple_tag
def status_badge(status, symbols=None):
    """■ Uppfyllt, ● Delvis uppfyllt, ▲ Ej uppfyllt, ◆ Ej bedömt, – Utfall saknas."""
    return _render(presentation.status_badge(status, symbols))


@register.simple_tag
def trend_badge(trend, symbols=None):
    """↑ Förbättring, ↓ Försämring, → Oförändrad."""
    badge = presentation.trend_badge(trend, symbols)
    if badge.key == "none":
        return format_html('<span class="badge trend-none">{}</span>', "–")
    return _render(badge)


@register.simple_tag
def activity_badge(status, symbols=None):
    return _render(presentation.activity_badge(status, symbols))


@register.filter
def sv_number(value, decimals=None):
    """1757 -> '1 757'; with an argument that many decimals."""
    if value in (None, ""):
        return ""
    try:
        return presentation.format_value(float(value), "", decimals)
    except (TypeError, ValueError):
        return value


@register.simple_tag
def sv_value(value, unit="", decimals=None):
    """A number with its unit, Swedish style ('51 %', '1 757 st')."""
    if value in (None, ""):
        return ""
    return presentation.format_value(float(value), unit or "", decimals)


@register.filter
def get_item(mapping, key):
    if mapping is None:
        return None
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def change_pct(value):
    """5.036 -> '+5,0 %'."""
    if value in (None, ""):
        return ""
    return format_change_pct(float(value))


@register.filter
def sex_label(key):
    return presentation.sex_label(key)


@register.filter
def period_words(period, form="label"):
    """A period as people write it, in the page's language: ``{{ p|period_words }}`` ->
    ``DÅ04 2022``, ``|period_words:"months"`` -> ``januari–april 2022``,
    ``|period_words:"report"`` -> ``Delårsrapport per april 2022``; a year is ``2022``
    (``periods.period_text``; the contexts are listed in docs/reports.md). A value that is
    no period is shown as it is."""
    from django.utils.translation import get_language

    from styrkort.periods import PeriodError, period_text

    if period in (None, ""):
        return ""
    try:
        return period_text(period, form, get_language())
    except (PeriodError, ValueError):
        return period


@register.filter
def describe_target(target):
    """The parsed reading of a target in Swedish ('Högst 175', 'K: 16 %, M: 17,2 %')."""
    from styrkort.planning.targets import describe_sv

    try:
        return describe_sv(target.parsed)
    except Exception:  # a stored spec from an older parser: show the text as written
        return target.text


@register.filter
def free_text(text, lead=""):
    """Free text written by a person (stored as typed, styrkort.text) as HTML:
    paragraphs, line breaks, lists and bold; everything else escaped. The argument is
    a label put in front of the first paragraph (``|free_text:_("Kommentar:")``)."""
    from django.utils.safestring import mark_safe

    from styrkort.text import to_html

    return mark_safe(to_html(str(text or ""), lead=str(lead or "")))


@register.filter
def free_text_inline(text):
    """Free text on one line (a table cell, a short note): the plain rendering
    (styrkort.text.to_plain) with its line breaks as <br>, escaped."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    from styrkort.text import to_plain

    return mark_safe("<br>".join(escape(line) for line in to_plain(str(text or "")).split("\n")))


@register.simple_tag(takes_context=True)
def may_import(context) -> bool:
    """Whether the menu offers "Läs in fil": the user holds report or plan rights on some
    unit (the import page itself checks each kind)."""
    from styrkort.organisation.permissions import may_import_anything

    return may_import_anything(context.get("user"))
