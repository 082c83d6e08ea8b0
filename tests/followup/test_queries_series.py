"""A period's value from entered values of finer periods (followup.queries.series)."""

from __future__ import annotations

import pytest

from styrkort.followup.evaluation import Obs
from styrkort.followup.queries.series import MonthAggregate, NeedMonths, Piece, derive, tile


def months_of(values: dict[int, float], last: int) -> MonthAggregate:
    return MonthAggregate(
        mask=sum(1 << m for m in values),
        sum_value=sum(values.values()),
        n_value=len(values),
        sum_numerator=None,
        sum_denominator=None,
        n_ratio=0,
        last=Obs(values[last]) if last in values else None,
    )


def test_tile_prefers_fewest_pieces():
    pieces = [Piece(1, 4, Obs(1)), Piece(5, 8, Obs(2)), Piece(1, 8, Obs(3)), Piece(9, 12, Obs(4))]
    assert [p.obs.value for p in tile(1, 12, pieces)] == [3, 4]
    assert tile(1, 12, pieces[:2]) is None
    assert [p.obs.value for p in tile(5, 8, pieces)] == [2]


@pytest.mark.parametrize(
    ("measure", "expected"),
    [("flow", 1 + 2 + 3 + 4), ("stock", 4), ("average", 2.5)],
)
def test_full_months(measure, expected):
    agg = months_of({1: 1, 2: 2, 3: 3, 4: 4}, last=4)
    obs, how = derive(1, 4, [], agg, aggregation="sum", measure_type=measure, scale=1)
    assert obs.value == expected and how == "months"


def test_ratio_from_summed_parts():
    agg = MonthAggregate(0b11110, 0, 0, 30, 120, 4, None)
    obs, _ = derive(1, 4, [], agg, aggregation="ratio", measure_type="flow", scale=100)
    assert (obs.numerator, obs.denominator, obs.value) == (30, 120, 25.0)


def test_partial_months():
    agg = months_of({1: 1, 2: 2, 3: 3}, last=4)
    flow, _ = derive(1, 4, [], agg, aggregation="sum", measure_type="flow", scale=1)
    assert flow is None  # three months of four: no value, not a too-low sum
    avg, _ = derive(1, 4, [], agg, aggregation="sum", measure_type="average", scale=1)
    assert avg.value == 2
    stock, _ = derive(1, 4, [], agg, aggregation="sum", measure_type="stock", scale=1)
    assert stock is None  # April missing


def test_average_of_pieces_is_weighted_by_months():
    pieces = [Piece(1, 4, Obs(40.0)), Piece(5, 6, Obs(70.0))]
    obs, how = derive(1, 6, pieces, None, aggregation="ratio", measure_type="average", scale=100)
    assert obs.value == pytest.approx((4 * 40 + 2 * 70) / 6) and how == "pieces"


def test_mixed_pieces_and_some_months_ask_for_the_months():
    pieces = [Piece(1, 4, Obs(100.0))]
    agg = months_of({5: 1, 6: 2, 7: 3, 8: 4}, last=8)
    with pytest.raises(NeedMonths):
        derive(1, 8, pieces, agg, aggregation="sum", measure_type="flow", scale=1)
    singles = [Piece(m, m, Obs(float(m - 4))) for m in (5, 6, 7, 8)]
    obs, how = derive(
        1, 8, pieces, None, aggregation="sum", measure_type="flow", scale=1, single_months=singles
    )
    assert obs.value == 110 and how == "pieces"


def test_entered_period_wins():
    pieces = [Piece(1, 4, Obs(7.0)), Piece(1, 2, Obs(1.0))]
    agg = months_of({1: 1, 2: 2, 3: 3, 4: 4}, last=4)
    assert derive(1, 4, pieces, agg, aggregation="sum", measure_type="flow", scale=1) == (
        Obs(7.0),
        "entered",
    )
