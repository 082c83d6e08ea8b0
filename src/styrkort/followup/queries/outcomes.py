"""Outcomes of a subtree for a few periods, in a fixed number of SQL queries.

``load_period_values`` returns, for every indicator x unit x sex x requested period,
the value entered for that unit (exactly for the period, or derived from finer
periods by ``series.derive``), and the total derived from the sexes where only the
sexes were entered. Roll-up to parents happens afterwards (``rollups``).

Queries: one for the entered values that are not single months (few), one for the
single months summed per indicator x unit x sex x year in the database (the bulk of
a data-warehouse import), and, only when some series mixes a coarser piece with some
of its months, one more for those months. None depends on the number of units or
indicators.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Case, Count, F, FloatField, Max, Q, Sum, Value, When
from django.db.models.functions import ExtractMonth, ExtractYear, Power

from styrkort.followup.evaluation import Obs, across_sexes
from styrkort.followup.models import Outcome
from styrkort.periods import Period

from .series import MonthAggregate, NeedMonths, Piece, derive

__all__ = ["IndicatorRule", "PeriodValue", "load_period_values"]


@dataclass(frozen=True, slots=True)
class IndicatorRule:
    """What deriving and adding up an indicator's values needs."""

    aggregation: str
    measure_type: str
    scale: float
    decimals: int


@dataclass(frozen=True, slots=True)
class PeriodValue:
    """A unit's own value for a period and how it was found: ``entered`` (exactly this
    period), ``months``/``pieces`` (from finer periods), ``sexes`` (total from women
    and men). ``replaced``: an entered total that the sexes' numerators and
    denominators replaced (a ratio total entered as a bare percentage)."""

    obs: Obs
    how: str
    replaced: Obs | None = None


def _obs(value, numerator, denominator, scale: float) -> Obs:
    """An entered value; a ratio entered as numerator and denominator only gets its value."""
    if value is None and numerator is not None and denominator:
        value = scale * numerator / denominator
    return Obs(value, numerator, denominator)


def _base(indicator_ids, root_path: str | None, unit_ids, periods: Iterable[Period]):
    window = Q()
    for period in periods:
        window |= Q(period_start__gte=period.start, period_end__lte=period.end)
    qs = Outcome.objects.filter(window, indicator_id__in=list(indicator_ids))
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    elif root_path is not None:
        qs = qs.filter(unit__path__startswith=root_path)
    return qs.annotate(
        m1=ExtractMonth("period_start"),
        m2=ExtractMonth("period_end"),
        y=ExtractYear("period_start"),
    )


def _month_columns(patterns: list[tuple[int, int]]) -> dict[str, object]:
    cols: dict[str, object] = {}
    has_value = Q(value__isnull=False)
    has_ratio = Q(numerator__isnull=False, denominator__isnull=False)
    for k, (first, last) in enumerate(patterns):
        inside = Q(m1__gte=first, m1__lte=last)
        at_end = Q(m1=last)
        cols[f"mask{k}"] = Sum(
            Case(When(inside, then=Power(Value(2.0), F("m1"))), output_field=FloatField())
        )
        cols[f"sv{k}"] = Sum(Case(When(inside & has_value, then=F("value"))))
        cols[f"nv{k}"] = Count(Case(When(inside & has_value, then=Value(1))))
        cols[f"sn{k}"] = Sum(Case(When(inside & has_ratio, then=F("numerator"))))
        cols[f"sd{k}"] = Sum(Case(When(inside & has_ratio, then=F("denominator"))))
        cols[f"nr{k}"] = Count(Case(When(inside & has_ratio, then=Value(1))))
        cols[f"lv{k}"] = Max(Case(When(at_end, then=F("value"))))
        cols[f"ln{k}"] = Max(Case(When(at_end, then=F("numerator"))))
        cols[f"ld{k}"] = Max(Case(When(at_end, then=F("denominator"))))
        cols[f"lc{k}"] = Count(Case(When(at_end, then=Value(1))))
    return cols


def load_period_values(
    rules: Mapping[int, IndicatorRule],
    periods: Iterable[Period],
    *,
    root_path: str | None = None,
    unit_ids: Iterable[int] | None = None,
) -> dict[Period, dict[tuple[int, str], dict[int, PeriodValue]]]:
    """Each unit's own values for ``periods``.

    ``rules``: indicator id -> :class:`IndicatorRule`. The units are those under
    ``root_path`` (a materialised path, the root included) or ``unit_ids``. Returns
    period -> (indicator id, sex) -> unit id -> :class:`PeriodValue`.
    """
    periods = sorted(set(periods))
    if not rules or not periods:
        return {p: {} for p in periods}
    base = _base(rules.keys(), root_path, unit_ids, periods)
    patterns = sorted({(p.first_month, p.last_month) for p in periods})

    # 1. Entered values that are not single months: few rows, taken as they are.
    pieces: dict[tuple, list[Piece]] = defaultdict(list)
    rows = base.exclude(m1=F("m2")).values_list(
        "indicator_id", "unit_id", "sex", "y", "m1", "m2", "value", "numerator", "denominator"
    )
    for ind, unit, sex, year, first, last, value, num, den in rows:
        obs = _obs(value, num, den, rules[ind].scale)
        pieces[(ind, unit, sex, year)].append(Piece(first, last, obs))

    # 2. Single months, summed per indicator x unit x sex x year for each month pattern.
    cols = _month_columns(patterns)
    names = list(cols)
    month_rows = (
        base.filter(m1=F("m2"))
        .values("indicator_id", "unit_id", "sex", "y")
        .annotate(**cols)
        .values_list("indicator_id", "unit_id", "sex", "y", *names)
        .order_by()
    )
    months: dict[tuple, dict[tuple[int, int], MonthAggregate]] = {}
    width = 10
    for row in month_rows:
        key = row[:4]
        per_pattern = {}
        for k, pattern in enumerate(patterns):
            (mask, sv, nv, sn, sd, nr, lv, ln, ld, lc) = row[4 + k * width : 4 + (k + 1) * width]
            if not mask:
                continue
            last = _obs(lv, ln, ld, rules[key[0]].scale) if lc else None
            per_pattern[pattern] = MonthAggregate(int(mask), sv, nv, sn, sd, nr, last)
        if per_pattern:
            months[key] = per_pattern

    # 3. Derive each series' value for each requested period.
    out: dict[Period, dict[tuple[int, str], dict[int, PeriodValue]]] = {p: {} for p in periods}
    series = set(pieces) | set(months)
    need_months: list[tuple[tuple, Period]] = []
    for key in series:
        ind, unit, sex, year = key
        rule = rules[ind]
        for period in periods:
            if period.year != year:
                continue
            found, how = _derive_one(
                period, pieces.get(key, ()), months.get(key, {}), rule, need_months, key
            )
            if found is not None:
                out[period].setdefault((ind, sex), {})[unit] = PeriodValue(found, how)

    # 4. Only when some series mixes coarser pieces with some of its months.
    if need_months:
        _resolve_with_single_months(base, rules, pieces, need_months, out)

    for period in periods:
        _totals_from_sexes(out[period], rules)
    return out


def _derive_one(period, pieces, months, rule, need_months, key):
    pattern = (period.first_month, period.last_month)
    try:
        return derive(
            period.first_month,
            period.last_month,
            pieces,
            months.get(pattern),
            aggregation=rule.aggregation,
            measure_type=rule.measure_type,
            scale=rule.scale,
        )
    except NeedMonths:
        need_months.append((key, period))
        return None, None


def _resolve_with_single_months(base, rules, pieces, need_months, out) -> None:
    indicators = {key[0] for key, _ in need_months}
    units = {key[1] for key, _ in need_months}
    rows = base.filter(m1=F("m2"), indicator_id__in=indicators, unit_id__in=units).values_list(
        "indicator_id", "unit_id", "sex", "y", "m1", "value", "numerator", "denominator"
    )
    singles: dict[tuple, list[Piece]] = defaultdict(list)
    for ind, unit, sex, year, month, value, num, den in rows:
        obs = _obs(value, num, den, rules[ind].scale)
        singles[(ind, unit, sex, year)].append(Piece(month, month, obs))
    for key, period in need_months:
        ind, unit, sex, _ = key
        rule = rules[ind]
        months_in = sorted(
            (p for p in singles.get(key, ()) if period.first_month <= p.first <= period.last_month),
            key=lambda p: p.first,
        )
        found, how = derive(
            period.first_month,
            period.last_month,
            pieces.get(key, ()),
            None,
            aggregation=rule.aggregation,
            measure_type=rule.measure_type,
            scale=rule.scale,
            single_months=months_in,
        )
        if found is not None:
            out[period].setdefault((ind, sex), {})[unit] = PeriodValue(found, how)


def _totals_from_sexes(values: dict[tuple[int, str], dict[int, PeriodValue]], rules) -> None:
    """Where a unit entered women and men but no total, its total follows the
    indicator's aggregation across the sexes (644/819 + 658/845 -> 1 302/1 664).

    A ratio total entered as a bare percentage (no numerator/denominator) is replaced
    by the sexes' summed numerators and denominators when both sexes have them: a
    percentage without its parts may be a mean of percentages (seed 001's 78,5 %),
    never the right total. The entered value is kept in ``replaced``.
    """
    for (ind, sex), by_unit in list(values.items()):
        if sex != "women":
            continue
        men = values.get((ind, "men"), {})
        totals = values.setdefault((ind, "total"), {})
        rule = rules[ind]
        for unit, women_value in by_unit.items():
            if unit not in men:
                continue
            entered = totals.get(unit)
            replace = (
                entered is not None
                and rule.aggregation == "ratio"
                and not entered.obs.has_ratio
                and women_value.obs.has_ratio
                and men[unit].obs.has_ratio
            )
            if entered is not None and not replace:
                continue
            total = across_sexes(women_value.obs, men[unit].obs, rule.aggregation, scale=rule.scale)
            if total is not None and not total.is_empty:
                totals[unit] = PeriodValue(
                    total, "sexes", replaced=entered.obs if entered is not None else None
                )
