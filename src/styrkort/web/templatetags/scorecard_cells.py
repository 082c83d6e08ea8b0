"""The scorecard's cells rendered in Python: outcome, status and trend of one indicator
(`{% outcome_cell item symbols %}`, `{% status_cell item symbols %}`,
`{% trend_cell item symbols %}`).

A scorecard has one row per indicator and these three cells per row; as template
includes they were most of the page's rendering time. The include templates
(`web/_outcome_cell.html` and the others) call these tags, so every page that shows an
indicator's cells shows the same markup.
"""

from __future__ import annotations

import functools

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from styrkort.io.numbers import format_change_pct, shown_decimals
from styrkort.web import presentation

from .styrkort import free_text_inline
from .styrkort import status_badge as _status_badge
from .styrkort import trend_badge as _trend_badge

register = template.Library()

# Pure functions of their arguments, called a few hundred times a page: remembered.
# A badge's text follows the language, so the language is part of its key.


@functools.lru_cache(maxsize=4096)
def _formatted(value: float, unit: str, decimals: int | None) -> str:
    return escape(presentation.format_value(value, unit, decimals))


@functools.lru_cache(maxsize=512)
def _badge(kind: str, key, symbol: str | None, language: str) -> str:
    symbols = {key: symbol} if symbol is not None else None
    return str((_status_badge if kind == "status" else _trend_badge)(key, symbols))


def _symbol(symbols, key) -> str | None:
    symbol = symbols.get(key) if isinstance(symbols, dict) else None
    return symbol if isinstance(symbol, str) else None


def status_badge(key, symbols=None) -> str:
    key = key if key in presentation.STATUS_LABELS else "no_data"
    return _badge("status", key, _symbol(symbols, key), get_language())


def trend_badge(key, symbols=None) -> str:
    key = key if key in presentation.TREND_LABELS else "none"
    return _badge("trend", key, _symbol(symbols, key), get_language())


def _value(value, unit, decimals) -> str:
    if value in (None, ""):
        return ""
    return _formatted(float(value), unit or "", decimals)


def _number(value) -> str:
    if value in (None, ""):
        return ""
    return _formatted(float(value), "", None)


def _fraction(numerator, denominator) -> str:
    return f"({_number(numerator)}/{_number(denominator)})"


def _get(item, name, default=None):
    """An attribute the template would read (`item.x`): missing reads as `default`, as in
    a template (the reporting page's preview is a namespace with only some of them)."""
    value = getattr(item, name, default)
    return default if value is None else value


def _total_decimals(item, total, decimals):
    """The indicator's decimals, or more where the outcome would print as its target
    though it is not (2,1 % beside "max 2 %" is not "2 %")."""
    target = _get(item, "target")
    spec = (getattr(target, "spec", None) or {}) if target is not None else {}
    value = spec.get("value") if spec.get("kind") == "value" else None
    if decimals is None or not isinstance(value, int | float):
        return decimals
    return shown_decimals(float(total), value, decimals)


def outcome_html(item) -> str:
    unit, decimals = _get(item, "unit", ""), _get(item, "decimals")
    values = _get(item, "values", {})
    total = values.get("total")
    parts = ['<span class="value">']
    if total is not None:
        parts.append(_value(total, unit, _total_decimals(item, total, decimals)))
    else:
        parts.append(f'<span class="meta">{escape(_("Utfall saknas"))}</span>')
    parts.append("</span>")
    numerator, denominator = _get(item, "numerator"), _get(item, "denominator")
    if numerator is not None and denominator is not None:
        parts.append(f' <span class="meta">{_fraction(numerator, denominator)}</span>')
    women, men = values.get("women"), values.get("men")
    if _get(item, "by_sex") or women is not None or men is not None:
        parts.append(
            f'\n<br><span class="by-sex"><abbr title="{escape(_("Kvinnor"))}">K</abbr>: '
            f"{_value(women, unit, decimals)}{'–' if women is None else ''} · "
            f'<abbr title="{escape(_("Män"))}">M</abbr>: '
            f"{_value(men, unit, decimals)}{'–' if men is None else ''}</span>"
        )
    change = _get(item, "change_pct")
    if change is not None:
        parts.append(
            f'\n<br><span class="meta">{escape(_("Förändring mot föregående år:"))} '
            f"{escape(format_change_pct(float(change)))}</span>"
        )
    rollup = _get(item, "rollup")
    if rollup and rollup.from_units and not rollup.combined and total is None:
        n = rollup.from_units
        text = ngettext(
            "Värdet från %(counter)s underliggande enhet kan inte vägas samman till ett "
            "värde här (en andel utan täljare och nämnare, eller ett mått som inte "
            "summeras).",
            "Värdena från %(counter)s underliggande enheter kan inte vägas samman till ett "
            "värde här (andelar utan täljare och nämnare, eller ett mått som inte "
            "summeras).",
            n,
        ) % {"counter": n}
        parts.append(f'\n<br><span class="meta rollup-not-combined">{escape(text)}</span>')
    if rollup and rollup.from_units and rollup.total is not None:
        parts.append(
            f'\n<br><span class="meta">{escape(_("Summerat från underliggande enheter:"))} '
            f"{_value(rollup.total, unit, 1)}"
        )
        if rollup.numerator is not None:
            parts.append(f" {_fraction(rollup.numerator, rollup.denominator)}")
        parts.append("</span>")
    for flag in _get(item, "reconciliation", ()):
        direct, summed = flag.direct, flag.rollup
        line = [
            '\n<br><span class="flag" role="note">⚑ ',
            escape(_("Avstämning (%(sex)s):") % {"sex": presentation.sex_label(flag.sex)}),
            f" {escape(_('inrapporterat'))} {_value(direct.value, unit, 1)}",
        ]
        if direct.numerator is not None:
            line.append(f" {_fraction(direct.numerator, direct.denominator)}")
        line.append(
            f", {escape(_('summa av underliggande enheter'))} {_value(summed.value, unit, 1)}"
        )
        if summed.numerator is not None:
            line.append(f" {_fraction(summed.numerator, summed.denominator)}")
        line.append("</span>")
        parts.append("".join(line))
    return "".join(parts)


def status_html(item, symbols=None) -> str:
    status = _get(item, "status", {})
    parts = [status_badge(status.get("total"), symbols)]
    if _get(item, "by_sex"):
        parts.append(
            f'\n<br><span class="by-sex">K: {status_badge(status.get("women"), symbols)}</span>'
            f'<br><span class="by-sex">M: {status_badge(status.get("men"), symbols)}</span>'
        )
    manual = _("Manuell bedömning")
    for sex, assessment in _get(item, "assessments", {}).items():
        if assessment:
            who = f" ({escape(presentation.sex_label(sex))})" if sex != "total" else ""
            parts.append(
                f'\n<br><span class="assessment">{escape(manual)}{who}: '
                f"{free_text_inline(assessment.reason)}</span>"
            )
    computed = _get(item, "computed_status", {}).get("total")
    if computed != status.get("total"):
        parts.append(
            f'\n<br><span class="meta">{escape(_("Beräknad:"))} '
            f"{status_badge(computed, symbols)}</span>"
        )
    return "".join(parts)


def trend_html(item, symbols=None) -> str:
    trend = _get(item, "trend", {})
    parts = [trend_badge(trend.get("total"), symbols)]
    if _get(item, "by_sex"):
        parts.append(
            f'\n<br><span class="by-sex">K: {trend_badge(trend.get("women"), symbols)}</span>'
            f'<br><span class="by-sex">M: {trend_badge(trend.get("men"), symbols)}</span>'
        )
    return "".join(parts)


@register.simple_tag
def outcome_cell(item, symbols=None) -> SafeString:
    """The outcome: total, women and men, change, roll-up and reconciliation notes."""
    return mark_safe(outcome_html(item))


@register.simple_tag
def status_cell(item, symbols=None) -> SafeString:
    """The status with symbol and text (per sex when reported by sex), manual
    assessments and the computed status when a manual one overrides it."""
    return mark_safe(status_html(item, symbols))


@register.simple_tag
def trend_cell(item, symbols=None) -> SafeString:
    """The trend against last year with symbol and text (per sex when reported by sex)."""
    return mark_safe(trend_html(item, symbols))
