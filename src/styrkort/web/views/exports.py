"""Downloads of the tables of the scorecard, indicator, activity, risk and economy pages
(web.export): each view checks the same right and reads the same period as its page,
and builds the tables from the same services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from styrkort.organisation.permissions import Action
from styrkort.web.export import FORMATS, download
from styrkort.web.export.scorecard import scorecard_tables

from .base import get_indicator, get_unit, period_label, resolve_period
from .scorecard import evaluate


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Http404(_("Okänt filformat: %(format)s (använd csv eller xlsx).") % {"format": fmt})
    return fmt


def export_links(url_name: str, *args, **query) -> dict:
    """`export_csv` and `export_xlsx` for a page's download links (web/_downloads.html)."""
    suffix = ("?" + urlencode({k: v for k, v in query.items() if v})) if any(query.values()) else ""
    return {f"export_{fmt}": reverse(url_name, args=[*args, fmt]) + suffix for fmt in FORMATS}


@login_required
def scorecard_export(request, code, fmt):
    fmt = _format(fmt)
    unit = get_unit(request, code, Action.VIEW)
    period, _error = resolve_period(request, unit)
    evaluation = evaluate(unit, period)
    title = _("Styrkort %(unit)s %(period)s") % {"unit": unit.name, "period": period_label(period)}
    return download(scorecard_tables(evaluation, title=title), fmt, title)


@login_required
def indicator_export(request, code, indicator_code, fmt):
    from styrkort.web.export.pages import indicator_tables

    fmt = _format(fmt)
    unit = get_unit(request, code, Action.VIEW)
    indicator = get_indicator(unit, indicator_code)
    period, _error = resolve_period(request, unit)
    title = f"{indicator.name} – {unit.name}"
    return download(indicator_tables(unit, indicator, period, title=title), fmt, title)


@login_required
def activity_export(request, code, fmt):
    from styrkort.planning.lookup import applicable_plan
    from styrkort.web.export.pages import activity_tables

    from .activities import _activity_rows, activity_filters

    fmt = _format(fmt)
    unit = get_unit(request, code, Action.VIEW)
    period, _error = resolve_period(request, unit)
    plan = applicable_plan(unit, period.year)
    kind, goal_id = activity_filters(request)
    rows = _activity_rows(unit, period, request.user, plan, kind, goal_id) if plan else []
    title = _("Aktiviteter %(unit)s %(period)s") % {
        "unit": unit.name,
        "period": period_label(period),
    }
    return download(activity_tables(rows, title=title), fmt, title)


@login_required
def risk_export(request, code, fmt):
    from styrkort.web.export.pages import risk_tables

    from .risk import resolve_year, risk_years

    fmt = _format(fmt)
    unit = get_unit(request, code, Action.VIEW)
    include_subunits = request.GET.get("underenheter") == "1"
    year, _error = resolve_year(request, risk_years(unit, include_subunits))
    title = _("Risker %(unit)s %(year)s") % {"unit": unit.name, "year": year}
    tables = risk_tables(
        unit,
        year,
        include_subunits=include_subunits,
        residual=request.GET.get("efter_atgard") == "1",
        title=title,
    )
    return download(tables, fmt, title)


@login_required
def economy_export(request, code, fmt):
    from styrkort.web.export.pages import economy_tables

    from .economy import economy_period, statement_columns

    fmt = _format(fmt)
    unit = get_unit(request, code, Action.VIEW)
    year, _error, dev_year, _years = economy_period(request, unit)
    title = _("Ekonomi %(unit)s %(year)s") % {"unit": unit.name, "year": year}
    tables = economy_tables(unit, year, dev_year, columns=statement_columns(year), title=title)
    return download(tables, fmt, title)
