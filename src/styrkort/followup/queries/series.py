"""A period's value from what was entered for it or for finer periods (pure, no ORM).

Outcomes are entered for many kinds of period: the reporting point itself
(``2022-DÅ04``), tertials, quarters or, from the data warehouse, months. For one
indicator x unit x sex and a period P the value is, in this order:

1. the value entered for exactly P;
2. else, when every month of P was entered, the months combined by the indicator's
   measure type (``aggregate.aggregate_over_time``: flows summed, ratios from summed
   numerators/denominators, stocks the last month, averages the mean of the months);
3. else a tiling of P by the fewest entered pieces (DÅ08 = DÅ04 + T2; ÅR = DÅ08 +
   Sep..Dec), combined the same way, an average weighted by the months each piece covers;
4. else: a stock takes the value entered for any piece that ends where P ends; an
   average the mean of the months that were entered; a flow has no value (a sum of
   some of the months would be silently too low).

Months are pre-aggregated in the database (:class:`MonthAggregate`), so the usual case
(monthly data) never brings single months into Python; the rare mixed case (a coarser
piece plus some of the months) asks for the single months (:class:`NeedMonths`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from styrkort.followup.evaluation import Obs, aggregate_over_time

__all__ = [
    "MonthAggregate",
    "NeedMonths",
    "Piece",
    "derive",
    "from_months",
    "full_mask",
    "month_rule",
    "tile",
]


@dataclass(frozen=True, slots=True)
class Piece:
    """An entered value for months ``first``..``last`` (inclusive) of one year."""

    first: int
    last: int
    obs: Obs

    @property
    def months(self) -> int:
        return self.last - self.first + 1


@dataclass(frozen=True, slots=True)
class MonthAggregate:
    """The single months entered inside a period, summed in the database.

    ``mask`` has bit ``m`` set for each month ``m`` entered; sums are over the months
    with a value (``n_value`` of them) or with numerator and denominator (``n_ratio``);
    ``last`` is the observation of the period's last month, if entered.
    """

    mask: int
    sum_value: float | None
    n_value: int
    sum_numerator: float | None
    sum_denominator: float | None
    n_ratio: int  # months with numerator and denominator (0: none)
    last: Obs | None

    def count(self) -> int:
        return self.mask.bit_count()


class NeedMonths(Exception):
    """The value needs the single months (a coarser piece plus some of the months)."""


def full_mask(first: int, last: int) -> int:
    return sum(1 << m for m in range(first, last + 1))


def tile(first: int, last: int, pieces: Sequence[Piece]) -> list[Piece] | None:
    """The fewest pieces that cover months ``first``..``last`` exactly, in order, or None.

    Dynamic programming over the months (at most twelve)."""
    best: dict[int, list[Piece]] = {first: []}
    for start in range(first, last + 1):
        path = best.get(start)
        if path is None:
            continue
        for piece in pieces:
            if piece.first == start and piece.last <= last:
                nxt = piece.last + 1
                if nxt not in best or len(best[nxt]) > len(path) + 1:
                    best[nxt] = [*path, piece]
    return best.get(last + 1)


def _combine(tiles: list[Piece], aggregation: str, measure_type: str, scale: float) -> Obs | None:
    if measure_type == "average":
        # Each piece stands for the mean of its months: weight it by them.
        weighted = [p.obs for p in tiles for _ in range(p.months)]
        return aggregate_over_time(weighted, aggregation, "average", scale=scale)
    return aggregate_over_time([p.obs for p in tiles], aggregation, measure_type, scale=scale)


def month_rule(aggregation: str, measure_type: str, scale: float):
    """How every month of a period entered combines, as a function of the database's
    sums: ``(sum_value, n_value, sum_numerator, sum_denominator, n_ratio, last) -> Obs
    | None`` (the fields of :class:`MonthAggregate`), chosen once per indicator. It
    raises :class:`NeedMonths` where the single months are needed (mean/min/max/last
    over months)."""
    if measure_type == "stock":
        return _month_stock
    if measure_type == "average":
        return _month_average
    if aggregation == "ratio":

        def ratio(sv, nv, sn, sd, n_ratio, last):
            return Obs.from_ratio(sn, sd, scale) if n_ratio else None

        return ratio
    if aggregation == "sum":
        return _month_sum
    if aggregation == "none":
        return _month_none
    return _month_need


def _month_stock(sv, nv, sn, sd, n_ratio, last):
    return last


def _month_average(sv, nv, sn, sd, n_ratio, last):
    return Obs(sv / nv) if nv else None


def _month_sum(sv, nv, sn, sd, n_ratio, last):
    return Obs(sv) if nv else None


def _month_none(sv, nv, sn, sd, n_ratio, last):
    return None


def _month_need(sv, nv, sn, sd, n_ratio, last):
    raise NeedMonths


def from_months(agg: MonthAggregate, aggregation: str, measure_type: str, scale: float):
    """Every month of the period entered: combine the pre-aggregated months
    (:func:`month_rule`)."""
    return month_rule(aggregation, measure_type, scale)(
        agg.sum_value, agg.n_value, agg.sum_numerator, agg.sum_denominator, agg.n_ratio, agg.last
    )


def derive(
    first: int,
    last: int,
    pieces: Sequence[Piece],
    months: MonthAggregate | None,
    *,
    aggregation: str,
    measure_type: str,
    scale: float,
    single_months: Sequence[Piece] | None = None,
) -> tuple[Obs | None, str | None]:
    """The value of months ``first``..``last`` and how it was found.

    ``pieces``: the entered values for periods inside it other than single months
    (the period itself included); ``months``: the single months, pre-aggregated (None:
    none entered); ``single_months``: the single months themselves, when known.
    Returns ``(obs, how)`` with ``how`` one of ``entered`` (exactly this period),
    ``months`` or ``pieces`` (derived), or ``None`` (no value). Raises
    :class:`NeedMonths` when ``single_months`` are needed but not given.
    """
    for piece in pieces:
        if piece.first == first and piece.last == last:
            return piece.obs, "entered"
    full = full_mask(first, last)
    inside = [p for p in pieces if first <= p.first and p.last <= last]
    if months is not None and months.mask & full == full and single_months is None:
        return from_months(months, aggregation, measure_type, scale), "months"
    if months is not None and months.mask and single_months is None:
        if measure_type == "stock" and months.last is not None:
            return months.last, "months"
        if inside:
            raise NeedMonths
        if measure_type == "average" and months.n_value:
            return Obs(months.sum_value / months.n_value), "months"
        if months.mask & full == full:
            raise NeedMonths
        return None, None
    candidates = [*inside, *(single_months or ())]
    if measure_type == "stock":
        ending = [p for p in candidates if p.last == last]
        if not ending:
            return None, None
        return min(ending, key=lambda p: p.months).obs, "pieces"
    tiles = tile(first, last, candidates)
    if tiles is not None:
        return _combine(tiles, aggregation, measure_type, scale), "pieces"
    if measure_type == "average" and single_months:
        obs = aggregate_over_time(
            [p.obs for p in single_months], aggregation, "average", scale=scale
        )
        return obs, "months"
    return None, None
