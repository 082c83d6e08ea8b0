"""Outcomes of a subtree for a few periods, in a fixed number of SQL queries.

``load_period_values`` returns, for every indicator x unit x sex x requested period,
the value entered for that unit (exactly for the period, or derived from finer
periods by ``series.derive``), and the total derived from the sexes where only the
sexes were entered. Roll-up to parents happens afterwards (``rollups``).

Queries: one for the entered values that are not single months (few; found by their
period texts through the (unit, period) index) and the stock indicators' last month of
each period (a stock's value), one for the single months summed in
the database per indicator x unit x sex with every requested period's sums side by
side in the row (the bulk of a data-warehouse import), and, only when some series
mixes a coarser piece with some of its months, one more for those months. None
depends on the number of units or indicators.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Cast, Length, Substr

from styrkort.followup.evaluation import Obs, across_sexes
from styrkort.followup.models import Outcome
from styrkort.periods import Period

from .compiled import Many, rows
from .series import MonthAggregate, NeedMonths, Piece, derive, full_mask, month_rule

__all__ = ["IndicatorRule", "PeriodValue", "PeriodValues", "load_period_values"]


@dataclass(frozen=True, slots=True)
class IndicatorRule:
    """What deriving and adding up an indicator's values needs."""

    aggregation: str
    measure_type: str
    scale: float
    decimals: int


@dataclass(frozen=True, slots=True)
class PeriodValue:
    """A unit's own value for a period with how it was found (see :class:`PeriodValues`)."""

    obs: Obs
    how: str
    replaced: Obs | None = None


@dataclass
class PeriodValues:
    """Each unit's own values for the periods loaded.

    ``obs[period][unit][(indicator, sex)]`` is the ``Obs``. ``how`` says how it was
    found where it is not ``months`` (from single months): ``entered`` (exactly this
    period), ``pieces`` (from coarser entered pieces), ``sexes`` (total from women and
    men). ``replaced`` keeps an entered total that the sexes' numerators and
    denominators replaced (a ratio total entered as a bare percentage).
    """

    obs: dict[Period, dict[int, dict[tuple[int, str], Obs]]]
    how: dict[Period, dict[tuple, str]]
    replaced: dict[Period, dict[tuple, Obs]]

    def put(self, period: Period, unit: int, key: tuple[int, str], obs: Obs, how: str) -> None:
        own = self.obs[period].get(unit)
        if own is None:
            own = self.obs[period][unit] = {}
        own[key] = obs
        if how != "months":
            self.how[period][(unit, *key)] = how

    def get(self, period: Period, default=None) -> dict[int, dict[tuple[int, str], PeriodValue]]:
        """One period's values as unit -> (indicator, sex) -> :class:`PeriodValue` (obs
        with how it was found), built on demand; ``default`` when the period was not
        loaded."""
        if period not in self.obs:
            return default
        how, replaced = self.how[period], self.replaced[period]
        return {
            unit: {
                key: PeriodValue(obs, how.get((unit, *key), "months"), replaced.get((unit, *key)))
                for key, obs in own.items()
            }
            for unit, own in self.obs[period].items()
        }

    def __getitem__(self, period: Period) -> dict[int, dict[tuple[int, str], PeriodValue]]:
        found = self.get(period)
        if found is None:
            raise KeyError(period)
        return found

    def how_of(self, period: Period, unit: int, key: tuple[int, str]) -> str | None:
        if key not in self.obs.get(period, {}).get(unit, {}):
            return None
        return self.how[period].get((unit, *key), "months")


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
    # Single months read from the canonical period text ("2022-04"): plain string
    # functions, which every database evaluates natively (date extraction is a Python
    # function on SQLite). Tertials, quarters and halves have a letter at position 6.
    return qs.annotate(
        plen=Length("period"),
        kind_char=Substr("period", 6, 1),
    )


@dataclass(frozen=True)
class _Span:
    start: dt.date
    end: dt.date


def _spans(window: dict, count: int) -> list[_Span]:
    return [_Span(window[f"start{k}"], window[f"end{k}"]) for k in range(count)]


def _window_base(window: dict, count: int):
    """``_base`` from the parameters of ``compiled.rows`` (see load_period_values)."""
    return _base(
        window["indicators"], window.get("root_path"), window.get("unit_ids"), _spans(window, count)
    )


_MONTH = Q(plen=7, kind_char__in=["0", "1"])


def _coarser_periods(periods: Iterable[Period]) -> list[str]:
    """The canonical texts of every period of two or more months inside ``periods``
    (the periods themselves included): what an entered value other than a single month
    inside the window can be."""
    texts = set()
    for period in periods:
        first, last = period.first_month, period.last_month
        for start in range(first, last + 1):
            for end in range(start + 1, last + 1):
                texts.add(Period(period.year, start, end).canonical)
    return sorted(texts)


def _months(qs):
    return qs.filter(_MONTH).annotate(
        m1=Cast(Substr("period", 6, 2), IntegerField()),
        y=Cast(Substr("period", 1, 4), IntegerField()),
    )


def _month_columns(periods: list[_Span]) -> dict[str, object]:
    """Per period (columns ``mask{k}`` .. ``sd{k}`` for the k-th): the mask of its months
    entered (bit m for month m), sum and count of values, and sums of numerators and
    denominators where both are given. The rows are single months; a month belongs to a
    period when it lies between the period's first and last day. (A stock's last month
    comes with the entered pieces.)"""
    cols: dict[str, object] = {}
    has_ratio = Q(numerator__isnull=False, denominator__isnull=False)
    single = len(periods) == 1  # the window already keeps only the period's months
    for k, period in enumerate(periods):
        inside = Q(period_start__gte=period.start, period_end__lte=period.end)

        def within(expr, condition=None, *, inside=inside):
            if single and condition is None:
                return expr
            cond = condition if single else (inside & condition if condition else inside)
            return Case(When(cond, then=expr))

        # 1 << month in integers: a float or numeric power costs the database far more.
        cols[f"mask{k}"] = Sum(
            within(Value(1, output_field=IntegerField()).bitleftshift(F("m1"))),
            output_field=IntegerField(),
        )
        cols[f"sv{k}"] = Sum(within(F("value")))
        cols[f"nv{k}"] = Count(within(F("value")))
        cols[f"sn{k}"] = Sum(within(F("numerator"), has_ratio))
        cols[f"sd{k}"] = Sum(within(F("denominator"), has_ratio))
    return cols


def load_period_values(
    rules: Mapping[int, IndicatorRule],
    periods: Iterable[Period],
    *,
    root_path: str | None = None,
    unit_ids: Iterable[int] | None = None,
) -> PeriodValues:
    """Each unit's own values for ``periods`` (:class:`PeriodValues`).

    ``rules``: indicator id -> :class:`IndicatorRule`. The units are those under
    ``root_path`` (a materialised path, the root included) or ``unit_ids``.
    """
    periods = sorted(set(periods))
    out = PeriodValues({p: {} for p in periods}, {p: {} for p in periods}, {p: {} for p in periods})
    if not rules or not periods:
        return out
    patterns = sorted({(p.first_month, p.last_month) for p in periods})
    full_masks = {pattern: full_mask(*pattern) for pattern in patterns}

    # 1. Entered values that are not single months: few rows, taken as they are. Asked
    # for by their (canonical) period texts, which the (unit, period) index finds
    # without reading the months of the window. With them, the last month of each
    # period for the stock indicators (a stock is its last month's value): fewer rows
    # than a column for it in the month sums below would cost the database.
    pieces: dict[tuple, list[Piece]] = defaultdict(list)
    last_months: dict[tuple, Obs] = {}
    stocks = [ind for ind, rule in rules.items() if rule.measure_type == "stock"]
    # Both queries through ``compiled.rows`` (built and compiled once per shape): the
    # number of periods, how the units are chosen and whether there are stocks.
    shape = (len(periods), unit_ids is not None, root_path is not None, bool(stocks))
    window = {"indicators": Many(list(rules.keys()))}
    if unit_ids is not None:
        window["unit_ids"] = Many(list(unit_ids))
    elif root_path is not None:
        window["root_path"] = root_path
    for k, period in enumerate(periods):
        window[f"start{k}"], window[f"end{k}"] = period.start, period.end
    extra = {"coarser": Many(_coarser_periods(periods), str)}
    if stocks:
        ends = {Period(p.year, p.last_month, p.last_month) for p in periods}
        extra["end_texts"] = Many(sorted(e.canonical for e in ends), str)
        extra["end_starts"] = Many(sorted(e.start for e in ends), dt.date)
        extra["stocks"] = Many(stocks)

    def entered(coarser, end_texts=None, end_starts=None, stocks=None, **window):
        wanted = Q(period__in=coarser)
        if stocks is not None:
            wanted |= Q(  # the first days too: the (indicator, start, end) index finds them
                period__in=end_texts,
                period_start__in=end_starts,
                indicator_id__in=stocks,
            )
        return (
            _window_base(window, len(periods))
            .filter(wanted)
            .values_list(
                "indicator_id", "unit_id", "sex", "period_start", "period_end", "value",
                "numerator", "denominator",
            )
            .order_by()
        )  # fmt: skip

    for ind, unit, sex, start, end, value, num, den in rows(
        ("entered values", *shape), entered, **window, **extra
    ):
        if start.month == end.month:  # a stock's last month
            if value is not None or num is not None:
                last = _obs(value, num, den, rules[ind].scale)
                last_months[(ind, unit, sex, start.year, start.month)] = last
            continue
        obs = _obs(value, num, den, rules[ind].scale)
        pieces[(ind, unit, sex, start.year)].append(Piece(start.month, end.month, obs))

    # 2. Single months, summed per indicator x unit x sex, with the columns of every
    # period side by side (this year's and last year's in one row).
    def month_sums(**window):
        cols = _month_columns(_spans(window, len(periods)))
        return (
            _months(_window_base(window, len(periods)))
            .values("indicator_id", "unit_id", "sex")
            .annotate(**cols)
            .values_list("indicator_id", "unit_id", "sex", *cols)
            .order_by()
        )

    by_year: dict[int, list[Period]] = defaultdict(list)
    for period in periods:
        by_year[period.year].append(period)
    width = 5
    # Each period with its columns' offset in the row and its full month mask.
    slots = [
        (
            period,
            period.year,
            3 + k * width,
            full_masks[(period.first_month, period.last_month)],
            out.obs[period],
        )
        for k, period in enumerate(periods)
    ]
    need_months: list[tuple[tuple, Period]] = []
    done: set[tuple] = set()
    # Per indicator, chosen once: how its months combine, whether it is a stock (the
    # last month's observation is then needed), its rule.
    readers = {
        ind: (month_rule(r.aggregation, r.measure_type, r.scale), r.measure_type == "stock", r)
        for ind, r in rules.items()
    }
    # The sums as the database gives them (no per-row conversion; the month rows are many).
    for row in rows(("month sums", *shape), month_sums, raw=True, **window):
        ind, unit, sex = row[0], row[1], row[2]
        reader, stock, rule = readers[ind]
        for period, year, at, full, period_obs in slots:
            own_pieces = pieces.get((ind, unit, sex, year)) if pieces else None
            if own_pieces:
                done.add((ind, unit, sex, year))
            mask = row[at]
            if not own_pieces:
                if not mask:
                    continue
                mask = int(mask)
                if mask & full == full:
                    # Every month entered: the usual case, without intermediate objects.
                    sn = row[at + 3]
                    last = (
                        last_months.get((ind, unit, sex, year, period.last_month))
                        if stock
                        else None
                    )
                    try:
                        found = reader(
                            row[at + 1], row[at + 2], sn, row[at + 4], 0 if sn is None else 1, last
                        )
                    except NeedMonths:
                        need_months.append(((ind, unit, sex, year), period))
                        continue
                    if found is not None:
                        own = period_obs.get(unit)
                        if own is None:
                            own = period_obs[unit] = {}
                        own[(ind, sex)] = found
                    continue
            mask, sv, nv, sn, sd = row[at : at + width]
            last = last_months.get((ind, unit, sex, year, period.last_month)) if stock else None
            agg = MonthAggregate(int(mask or 0), sv, nv, sn, sd, 0 if sn is None else 1, last)
            found, how = _derive_one(
                period,
                own_pieces or (),
                agg if mask else None,
                rule,
                need_months,
                (ind, unit, sex, year),
            )
            if found is not None:
                out.put(period, unit, (ind, sex), found, how)

    # 3. Series with pieces but no single months.
    for key, own_pieces in pieces.items():
        if key in done:
            continue
        ind, unit, sex, year = key
        for period in by_year.get(year, ()):
            found, how = _derive_one(period, own_pieces, None, rules[ind], need_months, key)
            if found is not None:
                out.put(period, unit, (ind, sex), found, how)

    # 4. Only when some series mixes coarser pieces with some of its months.
    if need_months:
        base = _base(rules.keys(), root_path, unit_ids, periods)
        _resolve_with_single_months(base, rules, pieces, need_months, out)

    for period in periods:
        _totals_from_sexes(out, period, rules)
    return out


def _derive_one(period, pieces, months, rule, need_months, key):
    try:
        return derive(
            period.first_month,
            period.last_month,
            pieces,
            months,
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
    rows = (
        _months(base)
        .filter(indicator_id__in=indicators, unit_id__in=units)
        .values_list(
            "indicator_id", "unit_id", "sex", "y", "m1", "value", "numerator", "denominator"
        )
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
            out.put(period, unit, (ind, sex), found, how)


def _across_sexes(women: Obs, men: Obs, rule: IndicatorRule) -> Obs | None:
    """``evaluation.across_sexes`` with its three common cases done inline (the same
    arithmetic: the correctly rounded sum of two floats is what ``math.fsum`` gives)."""
    agg = rule.aggregation
    if agg == "ratio":
        if (
            women.numerator is not None
            and women.denominator is not None
            and men.numerator is not None
            and men.denominator is not None
        ):
            return Obs.from_ratio(
                women.numerator + men.numerator, women.denominator + men.denominator, rule.scale
            )
    elif agg in ("sum", "mean") and women.value is not None and men.value is not None:
        total = women.value + men.value
        return Obs(total if agg == "sum" else total / 2)
    return across_sexes(women, men, agg, scale=rule.scale)


def _totals_from_sexes(values: PeriodValues, period: Period, rules) -> None:
    """Where a unit entered women and men but no total, its total follows the
    indicator's aggregation across the sexes (644/819 + 658/845 -> 1 302/1 664).

    A ratio total entered as a bare percentage (no numerator/denominator) is replaced
    by the sexes' summed numerators and denominators when both sexes have them: a
    percentage without its parts may be a mean of percentages (seed 001's 78,5 %),
    never the right total. The entered value is kept in ``values.replaced``.
    """
    how, replaced = values.how[period], values.replaced[period]
    for unit, own in values.obs[period].items():
        totals = None
        for key, women in own.items():
            if key[1] != "women":
                continue
            ind = key[0]
            men = own.get((ind, "men"))
            if men is None:
                continue
            rule = rules[ind]
            entered = own.get((ind, "total"))
            if entered is not None and not (
                rule.aggregation == "ratio"
                and not entered.has_ratio
                and women.has_ratio
                and men.has_ratio
            ):
                continue
            total = _across_sexes(women, men, rule)
            if total is None:
                continue
            value = total.value
            if (value is None or value != value) and not total.has_ratio:
                continue  # total.is_empty
            if totals is None:
                totals = []
            totals.append((ind, total, entered))
        if totals is None:
            continue
        for ind, total, entered in totals:
            own[(ind, "total")] = total
            how[(unit, ind, "total")] = "sexes"
            if entered is not None:
                replaced[(unit, ind, "total")] = entered
