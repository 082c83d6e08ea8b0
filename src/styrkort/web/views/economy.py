"""Web pages of the economy of a unit: the income statement (seed 003's columns Bokslut,
Budget, Prognos, Budget, Plan, Plan), budget deviation and forecast per unit rolled up,
frames with their changes, reductions and the allocated frame with its Totalt row (seed
004), and investments split at the threshold (objects over/under 4,5 mnkr). Amounts in
the organisation's economy unit (tkr or mnkr), the same tables as the plan report's
(``reports.economy``); numbers the Swedish way."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render

from styrkort.economy import queries
from styrkort.economy.models import (
    Amount,
    AmountKind,
    Frame,
    Investment,
    InvestmentFrame,
)
from styrkort.economy.rules import budget_deviation, forecast_deviation
from styrkort.io.numbers import format_percent_value
from styrkort.organisation.permissions import Action
from styrkort.reports.economy import (
    amount_cell,
    economy_unit,
    investment_tables,
    plan_frame_blocks,
)

from .base import get_unit, unit_context
from .risk import resolve_year


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


def unit_result_rows(unit, year: int, money: str = "tkr") -> list[dict]:
    """The result line (Årets resultat) per unit: the unit and each sub-unit that existed
    during the year, each with everything below it added up; the amounts as cells in
    ``money`` (``.text`` for the page, ``.value`` and ``.decimals`` for the downloads)."""
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
                "budget": amount_cell(budget, money),
                "actual": amount_cell(actual, money),
                "deviation": amount_cell(dev.amount, money),
                "forecast": amount_cell(forecast, money),
                "forecast_deviation": amount_cell(fdev.amount, money),
                "forecast_deviation_pct": _signed_pct(fdev.pct),
                "negative": (dev.amount is not None and dev.amount < 0)
                or (fdev.amount is not None and fdev.amount < 0),
            }
        )
    return rows


def frame_and_investment_tables(unit, year: int) -> tuple[list, list]:
    """The frames and the investments of the year: the same tables as the plan report
    (reports.economy), on the page and in its downloads."""
    return plan_frame_blocks(unit, year, year + 2), investment_tables(unit, year)


def economy_period(request, unit) -> tuple[int, str | None, int, list[int]]:
    """(the year shown, the message when the asked year was refused, the deviation
    report's year, the years with plan data) from the request: the page and its
    downloads read them the same way."""
    plan_years, result_years = economy_years(unit)
    year, year_error = resolve_year(request, plan_years)
    text = (request.GET.get("avvikelsear") or "").strip()
    earlier = [y for y in result_years if y <= year]
    dev_year = (
        int(text)
        if text.isdigit() and 1990 <= int(text) <= 2100
        else (earlier[0] if earlier else year)
    )
    return year, year_error, dev_year, plan_years


@login_required
def economy(request, code):
    unit = get_unit(request, code, Action.VIEW)
    year, year_error, dev_year, plan_years = economy_period(request, unit)

    money = economy_unit(unit.organisation)

    def amount(value) -> str:
        return amount_cell(value, money).text

    statement = queries.income_statement(unit, statement_columns(year), include_subunits=True)
    has_amounts = any(v is not None for r in statement["rows"] for v in r["values"])
    statement_rows = [
        {**row, "cells": [amount(v) for v in row["values"]]} for row in statement["rows"]
    ]
    deviation = [
        {
            **row,
            **{
                k: amount(row[k])
                for k in ("actual", "budget", "forecast", "budget_deviation", "forecast_deviation")
            },
            "budget_deviation_pct": _signed_pct(row["budget_deviation_pct"]),
            "forecast_deviation_pct": _signed_pct(row["forecast_deviation_pct"]),
        }
        for row in queries.deviation_table(unit, dev_year, include_subunits=True)
    ]
    has_deviation = any(r["actual"] or r["forecast"] for r in deviation)

    frame_tables, investments = frame_and_investment_tables(unit, year)

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
            "unit_rows": unit_result_rows(unit, dev_year, money),
            "money": money,
            "frame_tables": [_web_table(t) for t in frame_tables],
            "investment_tables": [_web_table(t) for t in investments],
        }
    )
    return render(request, "web/economy/economy.html", context)


def _web_table(table) -> dict:
    """A report table for the page: its header cells, each marked numeric (right-aligned)
    when its column holds amounts."""
    rows = [*table.rows, *([table.total] if table.total else [])]
    headers = [
        {
            "name": name,
            "numeric": j > 0
            and any(r[j].kind == "number" and r[j].value is not None for r in rows),
        }
        for j, name in enumerate(table.columns)
    ]
    return {"table": table, "headers": headers}
