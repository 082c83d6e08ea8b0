"""The politician's overview of a region or division, and units side by side for one
indicator (reached from the scorecard's drill-down). Thin shells over
``followup.overview`` and ``followup.side_by_side``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from styrkort.followup.evaluation.goals import ACTIVITY_ORDER
from styrkort.followup.evaluation.status import STATUS_ORDER
from styrkort.followup.overview import build_overview
from styrkort.followup.side_by_side import NotInPlan, side_by_side
from styrkort.organisation.permissions import Action
from styrkort.rounds.rules import STATE_LABELS, STATE_SYMBOLS
from styrkort.web.bar_charts import render_bar_svg
from styrkort.web.charts import svg_data_uri
from styrkort.web.nav import register_unit_tab
from styrkort.web.presentation import format_value, status_badge

from .base import get_unit, period_label, resolve_period, unit_context

register_unit_tab("overview", gettext_lazy("Översikt"))

#: Without a reporting round: whether a unit has entered any value for the period.
ENTERED_LABELS = {
    "entered": ("✔", gettext_lazy("Har utfall för perioden")),
    "nothing": ("○", gettext_lazy("Inga utfall för perioden")),
}

CHANGE_LABELS = {
    "worse": ("↓", gettext_lazy("Försämrad måluppfyllelse")),
    "better": ("↑", gettext_lazy("Förbättrad måluppfyllelse")),
    "new": ("+", gettext_lazy("Bedömd nu, inte förra gången")),
    "gone": ("–", gettext_lazy("Bedömd förra gången, inte nu")),
}


def _reported_label(state: str) -> tuple[str, str]:
    if state in ENTERED_LABELS:
        symbol, label = ENTERED_LABELS[state]
        return symbol, str(label)
    return STATE_SYMBOLS.get(state, "?"), str(STATE_LABELS.get(state, state))


@login_required
def overview(request, code):
    unit = get_unit(request, code, Action.VIEW)
    period, period_error = resolve_period(request, unit)
    data = build_overview(unit, period)
    context = unit_context(request, unit, period, "overview")
    reported = []
    for row in data.reported:
        symbol, label = _reported_label(row.state)
        reported.append({"row": row, "symbol": symbol, "label": label})
    reported_counts = []
    for state, count in sorted(data.reported_counts.items()):
        symbol, label = _reported_label(state)
        reported_counts.append({"symbol": symbol, "label": label, "count": count})
    changes = [
        {
            "change": c,
            "symbol": CHANGE_LABELS[c.kind][0],
            "label": CHANGE_LABELS[c.kind][1],
            "before": format_value(c.value_before, c.unit, c.decimals),
            "after": format_value(c.value_after, c.unit, c.decimals),
        }
        for c in data.changes
    ]
    change_counts = [
        {"symbol": CHANGE_LABELS[k][0], "label": CHANGE_LABELS[k][1], "count": n}
        for k, n in data.change_counts.items()
        if n
    ]
    context.update(
        {
            "period_error": period_error,
            "overview": data,
            "previous_label": period_label(data.previous_period),
            "reported": reported,
            "reported_counts": reported_counts,
            "changes": changes,
            "change_counts": change_counts,
            "statuses": STATUS_ORDER,
            "activity_statuses": ACTIVITY_ORDER[:-1],  # "not reported" is not listed
        }
    )
    return render(request, "web/overview.html", context)


@login_required
def units_side_by_side(request, code, indicator_code):
    """The sub-units (or sibling units) of the unit for one indicator: a sorted bar chart
    with the target line and the values per sex, and the same numbers as a table."""
    unit = get_unit(request, code, Action.VIEW)
    period, period_error = resolve_period(request, unit)
    try:
        data = side_by_side(unit, period, indicator_code)
    except NotInPlan:
        raise Http404(_("Indikatorn finns inte i enheternas planer.")) from None
    rows = [(r.name, r.values) for r in data.with_values]
    svg = render_bar_svg(
        rows,
        title=period_label(data.period),
        unit=data.unit,
        target=data.target_value,
    )
    table = [
        {
            "row": r,
            **{s: format_value(r.values[s], data.unit, data.decimals) for s in SEXES},
            "badge": status_badge(r.status, unit.organisation.symbols or {}),
        }
        for r in data.rows
    ]
    context = unit_context(request, unit, period, "scorecard")
    context.update(
        {
            "period_error": period_error,
            "data": data,
            "table": table,
            "chart_uri": svg_data_uri(svg) if svg else "",
            "chart_alt": _bar_alt(data) if svg else "",
            "target_label": (
                format_value(data.target_value, data.unit, None)
                if data.target_value is not None
                else ""
            ),
            "back_url": reverse("scorecard", args=[unit.code])
            + f"?period={period.canonical}#ind-{data.indicator_code}",
        }
    )
    return render(request, "web/side_by_side.html", context)


SEXES = ("total", "women", "men")


def _bar_alt(data) -> str:
    """What the chart shows in words: the units in order with their totals."""
    parts = [
        f"{r.name} {format_value(r.values['total'], data.unit, data.decimals)}"
        for r in data.with_values
        if r.values["total"] is not None
    ]
    text = _("Stapeldiagram över %(name)s per enhet, %(period)s, bäst först: %(units)s.") % {
        "name": data.indicator_name,
        "period": period_label(data.period),
        "units": "; ".join(parts) or "–",
    }
    if data.target_value is not None:
        text += " " + _("Målvärde: %(target)s.") % {
            "target": format_value(data.target_value, data.unit, None)
        }
    return text + " " + _("Alla värden, även per kön, finns i tabellen under diagrammet.")
