"""Read functions for pages, reports and the API: the income statement with computed
totals, deviations, frames and investments. Amounts are tkr (Decimal)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Sum

from .models import AMOUNT_KIND_HEADINGS, Amount, AmountKind, Frame, Investment, InvestmentFrame
from .models import LedgerLine as Line
from .rules import (
    INVESTMENT_THRESHOLD_TKR,
    LineNode,
    allocation_gap,
    budget_deviation,
    build_tree,
    forecast_deviation,
    frame_total,
    line_totals,
    remaining_frame,
    split_investments,
    year_amount,
)


def ledger_lines(organisation) -> list[Line]:
    return list(Line.objects.filter(organisation=organisation).order_by("order", "id"))


def _unit_filter(unit, include_subunits: bool) -> dict:
    return {"unit__path__startswith": unit.path} if include_subunits else {"unit": unit}


def leaf_values(unit, year: int, kind: str, *, include_subunits: bool = False) -> dict:
    """{line code: amount} for a unit, year and kind: the yearly amount where stored,
    otherwise the sum of the stored months."""
    where = _unit_filter(unit, include_subunits)
    rows = (
        Amount.objects.filter(year=year, kind=kind, **where)
        .values("line__code", "unit_id", "month")
        .annotate(total=Sum("value"))
    )
    # Per unit and line: a yearly figure wins over that unit's months (rules.year_amount).
    yearly: dict[tuple, Decimal] = {}
    months: dict[tuple, list[Decimal]] = defaultdict(list)
    for r in rows:
        key = (r["line__code"], r["unit_id"])
        if r["month"] is None:
            yearly[key] = r["total"]
        else:
            months[key].append(r["total"])
    result: dict[str, Decimal] = defaultdict(Decimal)
    for key in dict.fromkeys([*yearly, *months]):
        result[key[0]] += year_amount(yearly.get(key), months.get(key, ()))
    return dict(result)


def _column_label(year: int, kind: str) -> str:
    return f"{AMOUNT_KIND_HEADINGS[AmountKind(kind)]} {year}"


def income_statement(
    unit, year_columns: Sequence[tuple[int, str]], *, include_subunits: bool = False
) -> dict:
    """The income statement of `unit` for columns such as [(2022, "actual"), (2023,
    "budget"), (2023, "forecast"), (2024, "budget"), (2025, "plan"), (2026, "plan")].

    Returns {"columns": [{"year", "kind", "label"}], "rows": [{"code", "name", "depth",
    "row_type", "values"}]}: row_type "heading" (no values), "line" (a leaf, stored) or
    "total" (computed as the sum of its children). Rows come in print order: a group's
    heading, its children, then its total row. With `include_subunits` the amounts of the
    units below add up."""
    lines = ledger_lines(unit.organisation)
    by_code = {line.code: line for line in lines}
    code_of = {line.pk: line.code for line in lines}
    roots = build_tree((line.code, code_of.get(line.parent_id)) for line in lines)
    columns = [{"year": y, "kind": str(k), "label": _column_label(y, k)} for y, k in year_columns]
    totals = [
        line_totals(roots, leaf_values(unit, y, k, include_subunits=include_subunits))
        for y, k in year_columns
    ]
    rows: list[dict] = []

    def emit(node: LineNode, depth: int) -> None:
        line = by_code[node.code]
        values = [t.get(node.code) for t in totals]
        if node.is_leaf:
            rows.append(_row(line, depth, "line", values))
            return
        if line.heading:
            rows.append(_row(line, depth, "heading", [None] * len(totals), name=line.heading))
        for child in node.children:
            emit(child, depth + 1)
        rows.append(_row(line, depth, "total", values))

    for root in roots:
        emit(root, 0)
    return {"columns": columns, "rows": rows}


def _row(line: Line, depth: int, row_type: str, values: list, name: str | None = None) -> dict:
    return {
        "code": line.code,
        "name": name or line.name,
        "depth": depth,
        "row_type": row_type,
        "values": values,
    }


def deviation_table(unit, year: int, *, include_subunits: bool = False) -> list[dict]:
    """Per line: actual, budget, forecast, actual - budget and forecast - budget (tkr and
    percent of |budget|), in print order (headings left out)."""
    statement = income_statement(
        unit,
        [(year, AmountKind.ACTUAL), (year, AmountKind.BUDGET), (year, AmountKind.FORECAST)],
        include_subunits=include_subunits,
    )
    table = []
    for row in statement["rows"]:
        if row["row_type"] == "heading":
            continue
        actual, budget, forecast = row["values"]
        dev, fdev = budget_deviation(actual, budget), forecast_deviation(forecast, budget)
        table.append(
            {
                **{k: row[k] for k in ("code", "name", "depth", "row_type")},
                "actual": actual,
                "budget": budget,
                "forecast": forecast,
                "budget_deviation": dev.amount,
                "budget_deviation_pct": dev.pct,
                "forecast_deviation": fdev.amount,
                "forecast_deviation_pct": fdev.pct,
            }
        )
    return table


def result_line(organisation) -> Line | None:
    """The top line of the income statement (Årets resultat)."""
    return (
        Line.objects.filter(organisation=organisation, parent__isnull=True)
        .order_by("order", "id")
        .last()
    )


def result_deviation(
    unit, year: int, *, against: str = AmountKind.ACTUAL, include_subunits: bool = False
):
    """Årets resultat (actual, or forecast with `against="forecast"`) minus the budgeted
    result, tkr: what the indicator "Avvikelse mot budgeterat resultat" reads."""
    top = result_line(unit.organisation)
    if top is None:
        return None
    statement = income_statement(
        unit, [(year, against), (year, AmountKind.BUDGET)], include_subunits=include_subunits
    )
    for row in statement["rows"]:
        if row["code"] == top.code and row["row_type"] != "heading":
            return budget_deviation(*row["values"]).amount
    return None


def monthly_actuals(unit, year: int, line_code: str, *, include_subunits: bool = False):
    """{month: amount} of a leaf line's monthly actuals."""
    qs = (
        Amount.objects.filter(
            year=year,
            kind=AmountKind.ACTUAL,
            line__code=line_code,
            line__organisation=unit.organisation,
            month__isnull=False,
            **_unit_filter(unit, include_subunits),
        )
        .values("month")
        .annotate(total=Sum("value"))
        .order_by("month")
    )
    return {r["month"]: r["total"] for r in qs}


def frames(unit, year: int) -> list[dict]:
    """A unit's frames for a year with their changes and computed totals, and for frames
    allocated from a parent the gap between the parent and its allocations."""
    result = []
    for frame in (
        Frame.objects.filter(unit=unit, year=year)
        .prefetch_related("changes", "allocations__changes")
        .order_by("order", "id")
    ):
        result.append(_frame_dict(frame))
    return result


def _frame_dict(frame: Frame) -> dict:
    changes = list(frame.changes.all())
    total = frame_total(frame.base_amount, [c.amount for c in changes])
    allocations = [_frame_dict(child) for child in frame.allocations.all()]
    return {
        "code": frame.code,
        "name": frame.name,
        "recipient": frame.recipient,
        "year": frame.year,
        "base": frame.base_amount,
        "changes": [{"name": c.name, "category": c.category, "amount": c.amount} for c in changes],
        "total": total,
        "allocations": allocations,
        "allocation_gap": allocation_gap(total, [a["total"] for a in allocations])
        if allocations
        else None,
    }


def frame_reductions(unit, years: Sequence[int]) -> list[dict]:
    """Reductions (category "reduction") per frame recipient and year, as positive tkr,
    with row and column sums: seed 004's "Budgetminskning 2020-2022"."""
    table: dict[str, dict[int, Decimal]] = {}
    top_frames = Frame.objects.filter(unit=unit, year__in=years, parent__isnull=True)
    for frame in top_frames.select_related("unit").prefetch_related("changes"):
        who = frame.recipient or frame.unit.name
        for change in frame.changes.all():
            if change.category == "reduction":
                row = table.setdefault(who, {})
                row[frame.year] = row.get(frame.year, Decimal(0)) - change.amount
    rows = [
        {"name": who, "values": [row.get(y, Decimal(0)) for y in years], "sum": sum(row.values())}
        for who, row in table.items()
    ]
    sums = [sum((r["values"][i] for r in rows), Decimal(0)) for i in range(len(years))]
    return [*rows, {"name": "Summa", "values": sums, "sum": sum(sums)}]


def frame_reduction_notes(unit, years: Sequence[int]) -> dict[int, list[str]]:
    """The notes of the frames that hold reductions, per year: where each year's reduction
    was decided (seed 004's footnotes ¹ and ² under "Budgetminskning 2020-2022")."""
    notes: dict[int, list[str]] = {}
    top_frames = Frame.objects.filter(
        unit=unit, year__in=years, parent__isnull=True, changes__category="reduction"
    ).exclude(note="")
    for year, note in top_frames.order_by("year", "id").values_list("year", "note").distinct():
        if note not in notes.setdefault(year, []):
            notes[year].append(note)
    return notes


def investments(unit, year: int, *, include_subunits: bool = True, threshold=None) -> dict:
    """A unit's investment objects split at the threshold (tkr; the organisation's setting
    `investment_threshold_tkr`, default 4 500), with its total frame and what remains."""
    if threshold is None:
        setting = unit.organisation.settings.get("investment_threshold_tkr")
        threshold = INVESTMENT_THRESHOLD_TKR if setting is None else Decimal(str(setting))
    objects = list(
        Investment.objects.filter(year=year, **_unit_filter(unit, include_subunits))
        .select_related("unit")
        .order_by("unit__path", "order", "id")
    )
    split = split_investments(objects, threshold)
    frame_rows = list(InvestmentFrame.objects.filter(unit=unit, year=year).order_by("order", "id"))
    total_frame = sum((f.amount for f in frame_rows), Decimal(0)) if frame_rows else None
    return {
        "threshold": threshold,
        "over": split.over,
        "under": split.under,
        "over_total": split.over_total,
        "under_total": split.under_total,
        "total": split.total,
        "frames": frame_rows,
        "frame_total": total_frame,
        "remaining": remaining_frame(total_frame, [split.total]),
    }


def investment_frames(unit, year: int) -> dict:
    """Investment frames by decision level x category with row and column sums (seed 004:
    "Investeringsramar 2022")."""
    rows = list(InvestmentFrame.objects.filter(unit=unit, year=year).order_by("order", "id"))
    categories = list(dict.fromkeys(r.category for r in rows))
    levels = list(dict.fromkeys(r.decision_level for r in rows))
    cell = {(r.decision_level, r.category): r.amount for r in rows}
    table = [
        {
            "decision_level": level,
            "values": [cell.get((level, c)) for c in categories],
            "sum": sum((cell.get((level, c)) or Decimal(0) for c in categories), Decimal(0)),
        }
        for level in levels
    ]
    col_sums = [
        sum((cell.get((lv, c)) or Decimal(0) for lv in levels), Decimal(0)) for c in categories
    ]
    return {"categories": categories, "rows": table, "sums": col_sums, "total": sum(col_sums)}
