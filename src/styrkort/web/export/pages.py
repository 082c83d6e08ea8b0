"""The tables of the indicator, activity, risk and economy pages for download, built
from the same services and helpers the pages use (web.views.*)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from styrkort.web.presentation import activity_badge

from . import ExportTable, num


def indicator_tables(unit, indicator, period, *, title: str) -> list[ExportTable]:
    """The history table beside the chart (total, women, men and the target per
    reporting point) and the sub-units' outcomes for the period, as the page has them."""
    from styrkort.followup.evaluation import across_sexes
    from styrkort.followup.models import Outcome
    from styrkort.planning.lookup import applicable_plan
    from styrkort.planning.models import PlanIndicator
    from styrkort.web.views.base import children_valid_in, period_label
    from styrkort.web.views.indicators import SERIES, _series_periods, _target_values

    plan = applicable_plan(unit, period.year)
    targets = [
        t
        for p in (
            PlanIndicator.objects.filter(plan=plan, indicator=indicator).prefetch_related("targets")
            if plan
            else []
        )
        for t in p.targets.all()
    ]
    outcomes = Outcome.objects.filter(indicator=indicator, unit=unit).order_by(
        "period_start", "sex"
    )
    scale, decimals = indicator.ratio_scale, indicator.decimals
    history = ExportTable(
        title=title,
        columns=[
            _("Period"),
            *[str(name) for _key, name in SERIES],
            _("Målvärde"),
            _("Enhet"),
        ],
    )
    for per, by_sex in _series_periods(list(outcomes)).items():
        if "total" not in by_sex:
            total = across_sexes(
                by_sex.get("women"), by_sex.get("men"), indicator.aggregation, scale=scale
            )
            if total is not None:
                by_sex["total"] = total
        values = []
        for key, _name in SERIES:
            obs = by_sex.get(key)
            value = obs.value if obs is not None else None
            if value is None and obs is not None and obs.has_ratio and obs.denominator:
                value = scale * obs.numerator / obs.denominator
            values.append(num(value, decimals))
        target = _target_values(targets, per)
        history.rows.append(
            [
                period_label(per),
                *values,
                num(target["target"]) if "target" in target else None,
                indicator.unit,
            ]
        )
    children = list(children_valid_in(unit, period))
    by_unit: dict = {}
    for outcome in Outcome.objects.filter(
        indicator=indicator, unit__in=children, period=period.canonical
    ):
        by_unit.setdefault(outcome.unit_id, {})[outcome.sex] = outcome.value
    subunits = ExportTable(
        title=_("Underliggande enheter %(period)s") % {"period": period_label(period)},
        columns=[_("Enhet"), _("Kod"), *[str(name) for _key, name in SERIES]],
        rows=[
            [
                child.name,
                child.code,
                *[num(by_unit.get(child.pk, {}).get(key), decimals) for key, _n in SERIES],
            ]
            for child in children
        ],
    )
    return [history, subunits] if children else [history]


def activity_tables(rows, *, title: str) -> list[ExportTable]:
    """One row per answer: the activity's own, then each cascaded unit's."""
    table = ExportTable(
        title=title,
        columns=[
            _("Nr"),
            _("Mål"),
            _("Aktivitet"),
            _("Slag"),
            _("Svarande enhet"),
            _("Status"),
            _("Kommentar"),
            _("Troligen inaktuell"),
        ],
    )
    for row in rows:
        activity = row["activity"]
        goals = "; ".join(g.name for g in row["goals"])
        for answer in [row["main"], *row["sub_answers"]]:
            table.rows.append(
                [
                    activity.number,
                    goals,
                    activity.name,
                    activity.get_kind_display(),
                    answer["unit"].name,
                    activity_badge(answer["status"]).label,
                    answer["comment"] or "",
                    answer["stale"] or "",
                ]
            )
    return [table]


def risk_tables(unit, year, *, include_subunits: bool, residual: bool, title: str):
    from styrkort.risk import queries
    from styrkort.risk.rules import CONSEQUENCE_LABELS, PROBABILITY_LABELS, level_for

    bands = queries.bands_for(unit.organisation)
    risks = ExportTable(
        title=title,
        columns=[
            _("Nr"),
            _("Risk"),
            _("Enhet"),
            _("Område"),
            _("Sannolikhet"),
            _("Konsekvens"),
            _("Riskvärde"),
            _("Risknivå"),
            _("Riskvärde efter åtgärd"),
            _("Risknivå efter åtgärd"),
            _("Åtgärder"),
            _("Hantering"),
        ],
    )
    for risk in queries.risks_for(unit, year, include_subunits=include_subunits).select_related(
        "unit"
    ):
        band = level_for(risk.value, bands)
        after = level_for(risk.residual_value, bands) if risk.residual_value else None
        risks.rows.append(
            [
                risk.number,
                risk.title,
                risk.unit.name,
                risk.area,
                f"{risk.probability} {PROBABILITY_LABELS.get(risk.probability, '')}".strip(),
                f"{risk.consequence} {CONSEQUENCE_LABELS.get(risk.consequence, '')}".strip(),
                risk.value,
                band.name if band else "",
                risk.residual_value,
                after.name if after else "",
                risk.actions,
                risk.handling,
            ]
        )
    matrix = queries.risk_matrix(unit, year, include_subunits=include_subunits, residual=residual)
    levels = ExportTable(
        title=_("Risker per nivå %(year)s") % {"year": year},
        columns=[_("Risknivå"), _("Antal risker")],
        rows=[[level["name"], level["count"]] for level in matrix.levels],
    )
    return [risks, levels]


def report_table(table) -> ExportTable:
    """A report table (``reports.document.Table``) as the page shows it: numbers as
    numbers, its Totalt row last."""

    def cell(c):
        if c.kind == "number" and isinstance(c.value, int | float):
            return num(c.value, c.decimals)
        return c.text

    rows = [*table.rows, *([table.total] if table.total else [])]
    return ExportTable(
        title=table.caption or table.name,
        columns=list(table.columns),
        rows=[[cell(c) for c in row] for row in rows],
    )


def economy_tables(unit, year, dev_year, *, columns, title: str) -> list[ExportTable]:
    """The income statement (tkr), the deviation table, the result per unit, and the
    frames and investments in the organisation's economy unit, as on the page."""
    from styrkort.economy import queries
    from styrkort.web.views.economy import frame_and_investment_tables, unit_result_rows

    statement = queries.income_statement(unit, columns, include_subunits=True)
    income = ExportTable(
        title=title,
        columns=[_("Rad"), *[f"{c['label']} (tkr)" for c in statement["columns"]]],
    )
    for row in statement["rows"]:
        indent = "  " * max(0, (row.get("depth") or 1) - 1)
        values = [] if row["row_type"] == "heading" else [num(v, 0) for v in row["values"]]
        income.rows.append([indent + row["name"], *values])
    deviation = ExportTable(
        title=_("Avvikelser %(year)s") % {"year": dev_year},
        columns=[
            _("Rad"),
            _("Utfall (tkr)"),
            _("Budget (tkr)"),
            _("Prognos (tkr)"),
            _("Avvikelse mot budget (tkr)"),
            _("Avvikelse mot budget (%)"),
            _("Prognos mot budget (tkr)"),
            _("Prognos mot budget (%)"),
        ],
        rows=[
            [
                r["name"],
                num(r["actual"], 0),
                num(r["budget"], 0),
                num(r["forecast"], 0),
                num(r["budget_deviation"], 0),
                num(r["budget_deviation_pct"], 1),
                num(r["forecast_deviation"], 0),
                num(r["forecast_deviation_pct"], 1),
            ]
            for r in queries.deviation_table(unit, dev_year, include_subunits=True)
        ],
    )
    units = ExportTable(
        title=_("Årets resultat per enhet %(year)s") % {"year": dev_year},
        columns=[
            _("Enhet"),
            _("Budget (tkr)"),
            _("Utfall (tkr)"),
            _("Avvikelse (tkr)"),
            _("Prognos (tkr)"),
            _("Prognos mot budget (tkr)"),
        ],
        rows=[
            [
                r["unit"].name,
                *[
                    num(r[k].value, r[k].decimals)
                    for k in ("budget", "actual", "deviation", "forecast", "forecast_deviation")
                ],
            ]
            for r in unit_result_rows(unit, dev_year)
        ],
    )
    frames, investments = frame_and_investment_tables(unit, year)
    return [income, deviation, units, *(report_table(t) for t in [*frames, *investments])]
