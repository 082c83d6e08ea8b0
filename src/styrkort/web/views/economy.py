"""Web pages of the economy of a unit: the income statement (seed 003's columns Bokslut,
Budget, Prognos, Budget, Plan, Plan), budget deviation and forecast per unit rolled up,
frames with their changes and reductions (seed 004), and investments split at the
threshold (objects over/under 4,5 mnkr). Numbers are shown the Swedish way."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render

from styrkort.economy import queries
from styrkort.economy.models import (
    Amount,
    AmountKind,
    Frame,
    FrameChangeCategory,
    Investment,
    InvestmentFrame,
)
from styrkort.economy.rules import budget_deviation, forecast_deviation
from styrkort.io.numbers import format_number, format_percent_value
from styrkort.organisation.models import OrgUnit
from styrkort.organisation.permissions import Action

from .base import get_unit, unit_context
from .risk import resolve_year

MNKR_FROM = Decimal(100_000)  # tables with amounts this large (tkr) are shown in mnkr


def tkr(value) -> str:
    return "" if value is None else format_number(value, 0)


def in_unit(value, scale: str) -> str:
    if value is None:
        return ""
    if scale == "mnkr":
        return format_number(Decimal(value) / 1000, 1)
    return format_number(value, 0)


def scale_for(values) -> str:
    present = [abs(Decimal(v)) for v in values if v is not None]
    return "mnkr" if present and max(present) >= MNKR_FROM else "tkr"


def economy_years(unit) -> tuple[list[int], list[int]]:
    """(years with budgets, frames or investments; years with actuals or forecasts) of
    the unit's subtree."""
    sub = {"unit__path__startswith": unit.path}
    plan_years = set(
        Amount.objects.filter(kind=AmountKind.BUDGET, **sub).values_list("year", flat=True)
    )
    plan_years |= set(Frame.objects.filter(unit=unit).values_list("year", flat=True))
    plan_years |= set(Investment.objects.filter(**sub).values_list("year", flat=True))
    plan_years |= set(InvestmentFrame.objects.filter(unit=unit).values_list("year", flat=True))
    result_years = set(
        Amount.objects.filter(
            Q(kind=AmountKind.ACTUAL) | Q(kind=AmountKind.FORECAST), **sub
        ).values_list("year", flat=True)
    )
    return sorted(plan_years, reverse=True), sorted(result_years, reverse=True)


def statement_columns(year: int) -> list[tuple[int, str]]:
    """Seed 003's columns for a plan year: Bokslut Y-2, Budget Y-1, Prognos Y-1, Budget
    Y, Plan Y+1, Plan Y+2."""
    return [
        (year - 2, AmountKind.ACTUAL),
        (year - 1, AmountKind.BUDGET),
        (year - 1, AmountKind.FORECAST),
        (year, AmountKind.BUDGET),
        (year + 1, AmountKind.PLAN),
        (year + 2, AmountKind.PLAN),
    ]


def _signed_pct(value) -> str:
    if value is None:
        return ""
    text = format_percent_value(value, 1)
    return f"+{text}" if round(value, 1) > 0 else text


def unit_result_rows(unit, year: int) -> list[dict]:
    """The result line (Årets resultat) per unit: the unit and each sub-unit that existed
    during the year, each with everything below it added up."""
    from styrkort.organisation.lookup import children_valid_in
    from styrkort.periods import parse_period

    period = parse_period(str(year))
    units = [unit, *children_valid_in(unit, period)]
    top = queries.result_line(unit.organisation)
    rows = []
    if top is None:
        return rows
    for u in units:
        statement = queries.income_statement(
            u,
            [(year, AmountKind.BUDGET), (year, AmountKind.ACTUAL), (year, AmountKind.FORECAST)],
            include_subunits=True,
        )
        values = next(
            (
                r["values"]
                for r in statement["rows"]
                if r["code"] == top.code and r["row_type"] != "heading"
            ),
            [None, None, None],
        )
        budget, actual, forecast = values
        if budget is None and actual is None and forecast is None and u != unit:
            continue
        dev = budget_deviation(actual, budget)
        fdev = forecast_deviation(forecast, budget)
        rows.append(
            {
                "unit": u,
                "is_total": u == unit,
                "budget": tkr(budget),
                "actual": tkr(actual),
                "deviation": tkr(dev.amount),
                "forecast": tkr(forecast),
                "forecast_deviation": tkr(fdev.amount),
                "forecast_deviation_pct": _signed_pct(fdev.pct),
                "negative": (dev.amount is not None and dev.amount < 0)
                or (fdev.amount is not None and fdev.amount < 0),
            }
        )
    return rows


@login_required
def economy(request, code):
    unit = get_unit(request, code, Action.VIEW)
    plan_years, result_years = economy_years(unit)
    year, year_error = resolve_year(request, plan_years)
    text = (request.GET.get("avvikelsear") or "").strip()
    earlier = [y for y in result_years if y <= year]
    dev_year = (
        int(text)
        if text.isdigit() and 1990 <= int(text) <= 2100
        else (earlier[0] if earlier else year)
    )

    statement = queries.income_statement(unit, statement_columns(year), include_subunits=True)
    has_amounts = any(v is not None for r in statement["rows"] for v in r["values"])
    statement_rows = [
        {**row, "cells": [tkr(v) for v in row["values"]]} for row in statement["rows"]
    ]
    deviation = [
        {
            **row,
            **{
                k: tkr(row[k])
                for k in ("actual", "budget", "forecast", "budget_deviation", "forecast_deviation")
            },
            "budget_deviation_pct": _signed_pct(row["budget_deviation_pct"]),
            "forecast_deviation_pct": _signed_pct(row["forecast_deviation_pct"]),
        }
        for row in queries.deviation_table(unit, dev_year, include_subunits=True)
    ]
    has_deviation = any(r["actual"] or r["forecast"] for r in deviation)

    frame_list = queries.frames(unit, year)
    frame_scale = scale_for([f["total"] for f in frame_list] + [f["base"] for f in frame_list])
    frame_views = [_frame_view(f, frame_scale) for f in frame_list]
    reduction_years = [year - 2, year - 1, year]
    reductions = queries.frame_reductions(unit, reduction_years)
    has_reductions = len(reductions) > 1
    reduction_scale = scale_for([r["sum"] for r in reductions]) if has_reductions else "tkr"
    if has_reductions and reduction_scale == "tkr":
        reduction_scale = frame_scale
    reduction_rows = [
        {
            "name": r["name"],
            "values": [in_unit(v, reduction_scale) for v in r["values"]],
            "sum": in_unit(r["sum"], reduction_scale),
            "is_sum": i == len(reductions) - 1,
        }
        for i, r in enumerate(reductions)
    ]

    inv = queries.investments(unit, year)
    inv_frames = queries.investment_frames(unit, year)
    inv_scale = scale_for([inv_frames["total"]] if inv_frames["rows"] else [])
    investments_view = {
        "threshold": format_number(Decimal(inv["threshold"]) / 1000, 1),
        "over": [_investment_view(o) for o in inv["over"]],
        "under": [_investment_view(o) for o in inv["under"]],
        "over_total": tkr(inv["over_total"]),
        "under_total": tkr(inv["under_total"]),
        "total": tkr(inv["total"]),
        "frame_total": tkr(inv["frame_total"]),
        "remaining": tkr(inv["remaining"]),
        "has_objects": bool(inv["over"] or inv["under"]),
        "frames": inv["frames"],
    }
    inv_frame_view = {
        "categories": inv_frames["categories"],
        "rows": [
            {
                "decision_level": r["decision_level"] or "–",
                "values": [in_unit(v, inv_scale) for v in r["values"]],
                "sum": in_unit(r["sum"], inv_scale),
            }
            for r in inv_frames["rows"]
        ],
        "sums": [in_unit(v, inv_scale) for v in inv_frames["sums"]],
        "total": in_unit(inv_frames["total"], inv_scale),
        "scale": inv_scale,
    }

    context = unit_context(request, unit, None, "economy")
    context.update(
        {
            "year": year,
            "year_error": year_error,
            "year_choices": sorted(set(plan_years) | {year}, reverse=True),
            "dev_year": dev_year,
            "statement": statement,
            "statement_rows": statement_rows,
            "has_amounts": has_amounts,
            "deviation": deviation,
            "has_deviation": has_deviation,
            "unit_rows": unit_result_rows(unit, dev_year),
            "frames": frame_views,
            "frame_scale": frame_scale,
            "reduction_years": reduction_years,
            "reduction_rows": reduction_rows,
            "has_reductions": has_reductions,
            "reduction_scale": reduction_scale,
            "investments": investments_view,
            "investment_frames": inv_frame_view,
        }
    )
    return render(request, "web/economy/economy.html", context)


CATEGORY_LABELS = dict(FrameChangeCategory.choices)


def _frame_view(frame: dict, scale: str) -> dict:
    return {
        "code": frame["code"],
        "name": frame["name"],
        "recipient": frame["recipient"],
        "base": in_unit(frame["base"], scale),
        "changes": [
            {
                "name": c["name"],
                "category": CATEGORY_LABELS.get(c["category"], c["category"]),
                "amount": in_unit(c["amount"], scale),
            }
            for c in frame["changes"]
        ],
        "total": in_unit(frame["total"], scale),
        "allocations": [
            {"name": a["recipient"] or a["name"], "total": in_unit(a["total"], scale)}
            for a in frame["allocations"]
        ],
        "allocation_gap": in_unit(frame["allocation_gap"], scale),
        "has_gap": bool(frame["allocation_gap"]),
    }


def _investment_view(obj) -> dict:
    return {
        "name": obj.name,
        "unit": obj.unit.name if isinstance(obj.unit, OrgUnit) else "",
        "category": obj.category,
        "amount": tkr(obj.amount),
    }
