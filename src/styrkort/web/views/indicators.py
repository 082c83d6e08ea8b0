"""An indicator's page for a unit: definition, source, targets, a chart over time (women,
men, total, target line) with its data table, the sub-units' outcomes and the analyses."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from styrkort.followup.evaluation import Obs, across_sexes
from styrkort.followup.models import Analysis, Outcome
from styrkort.organisation.permissions import Action
from styrkort.periods import PeriodError, parse_period
from styrkort.planning.models import PlanIndicator
from styrkort.web.charts import ChartPoint, render_svg, svg_data_uri
from styrkort.web.comparisons import indicator_context as comparison_context
from styrkort.web.presentation import format_value

from .base import (
    applicable_plan,
    children_valid_in,
    get_indicator,
    get_unit,
    period_label,
    resolve_period,
    unit_context,
)
from .scorecard import evaluate

SERIES = (
    ("total", gettext_lazy("Totalt")),
    ("women", gettext_lazy("Kvinnor")),
    ("men", gettext_lazy("Män")),
)
#: How the text beside the chart names a target per sex (the plain target has no prefix).
TARGET_PREFIXES = {
    "target": "",
    "target_women": pgettext_lazy("target for", "kvinnor"),
    "target_men": pgettext_lazy("target for", "män"),
}


def _series_periods(outcomes):
    """Outcomes of periods that start in January and end at a reporting point (DÅ04, DÅ08,
    ÅR): comparable over the years. {period: {sex: Obs}}, in time order."""
    by_period: dict = defaultdict(dict)
    for outcome in outcomes:
        try:
            period = parse_period(outcome.period)
        except PeriodError:
            continue
        if period.reporting_point is None:
            continue
        by_period[period][outcome.sex] = Obs(outcome.value, outcome.numerator, outcome.denominator)
    return dict(sorted(by_period.items()))


def _target_values(targets, period) -> dict[str, float]:
    """Numeric target lines for a period: {'target': v} or per sex ({'target_women': v,
    'target_men': v}); the keys are series of web.charts."""
    for target in targets:
        if target.is_long_term or target.year != period.year or target.unit_id is not None:
            continue
        spec = target.spec or {}
        kind = spec.get("kind")
        if kind == "value" and spec.get("value") is not None:
            return {"target": spec["value"]}
        if kind == "by_point":
            part = (spec.get("parts") or {}).get(period.reporting_point or "")
            if part and part.get("value") is not None:
                return {"target": part["value"]}
        if kind == "by_sex":
            parts = spec.get("parts") or {}
            out = {}
            for key in ("women", "men"):
                if parts.get(key) and parts[key].get("value") is not None:
                    out[f"target_{key}"] = parts[key]["value"]
            return out
    return {}


@login_required
def indicator_detail(request, code, indicator_code):
    unit = get_unit(request, code, Action.VIEW)
    indicator = get_indicator(unit, indicator_code)
    period, period_error = resolve_period(request, unit)
    plan = applicable_plan(unit, period.year)
    placements = list(
        PlanIndicator.objects.filter(plan=plan, indicator=indicator)
        .select_related("goal", "plan")
        .prefetch_related("targets__unit")
        if plan
        else []
    )
    targets = [t for p in placements for t in p.targets.all()]
    outcomes = list(
        Outcome.objects.filter(indicator=indicator, unit=unit).order_by("period_start", "sex")
    )
    series = _series_periods(outcomes)
    scale = indicator.ratio_scale
    points, table = [], []
    for order, (per, by_sex) in enumerate(series.items()):
        if "total" not in by_sex:
            total = across_sexes(
                by_sex.get("women"), by_sex.get("men"), indicator.aggregation, scale=scale
            )
            if total is not None:
                by_sex["total"] = total
        label = period_label(per)
        target_values = _target_values(targets, per)
        row = {"period": label, "values": [], "targets": []}
        for key, _name in SERIES:
            obs = by_sex.get(key)
            value = obs.value if obs is not None else None
            if value is None and obs is not None and obs.has_ratio and obs.denominator:
                value = scale * obs.numerator / obs.denominator
            row["values"].append(format_value(value, indicator.unit, indicator.decimals))
            if value is not None:
                points.append(ChartPoint(label, order, key, value))
        for key, value in target_values.items():
            points.append(ChartPoint(label, order, key, value))
        row["targets"] = ", ".join(
            (f"{TARGET_PREFIXES[k]}: " if TARGET_PREFIXES[k] else "")
            + format_value(v, indicator.unit, None)
            for k, v in target_values.items()
        )
        table.append(row)
    svg = render_svg(points, title=indicator.short_name or indicator.name, unit=indicator.unit)

    evaluation = evaluate(unit, period)
    try:
        item = evaluation.indicator(indicator.code)
    except KeyError:
        item = None
    children = list(children_valid_in(unit, period))
    child_outcomes = defaultdict(dict)
    for outcome in Outcome.objects.filter(
        indicator=indicator, unit__in=children, period=period.canonical
    ):
        child_outcomes[outcome.unit_id][outcome.sex] = outcome
    child_rows = [
        {
            "unit": child,
            "values": [
                format_value(
                    getattr(child_outcomes[child.pk].get(key), "value", None),
                    indicator.unit,
                    indicator.decimals,
                )
                for key, _label in SERIES
            ],
        }
        for child in children
    ]
    analyses = list(
        Analysis.objects.filter(indicator=indicator, unit__path__startswith=unit.path)
        .filter(unit__depth__lte=unit.depth + 1)
        .select_related("unit", "updated_by")
        .order_by("-period_end", "unit__path")[:50]
    )
    context = unit_context(request, unit, period, "scorecard")
    context.update(
        {
            "indicator": indicator,
            "item": item,
            "plan": plan,
            "placements": placements,
            "targets": sorted(targets, key=lambda t: (t.is_long_term, t.year)),
            "chart_uri": svg_data_uri(svg) if svg else "",
            "chart_alt": _chart_alt(indicator, table),
            "table": table,
            "child_rows": child_rows,
            "analyses": analyses,
            "period_error": period_error,
        }
    )
    context.update(comparison_context(indicator, unit, period, item))
    return render(request, "web/indicator_detail.html", context)


def _chart_alt(indicator, table) -> str:
    """A short text alternative: what is drawn and the latest values."""
    if not table:
        return ""
    last = table[-1]
    parts = [
        f"{name}: {value}"
        for (_key, name), value in zip(SERIES, last["values"], strict=True)
        if value
    ]
    text = _("Diagram över %(name)s per period från %(first)s till %(last)s.") % {
        "name": indicator.name,
        "first": table[0]["period"],
        "last": last["period"],
    }
    if parts:
        text += " " + _("Senaste period %(period)s: %(values)s.") % {
            "period": last["period"],
            "values": ", ".join(parts),
        }
    if last["targets"]:
        text += " " + _("Målvärde: %(target)s.") % {"target": last["targets"]}
    return text + " " + _("Alla värden finns i tabellen under diagrammet.")
