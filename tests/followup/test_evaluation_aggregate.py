"""Aggregation across units, sexes and months; change and share (seed 001's tables)."""

import pytest

from styrkort.followup.evaluation import (
    PERCENT_SCALE,
    Aggregation,
    MeasureType,
    Obs,
    across_sexes,
    aggregate,
    aggregate_over_time,
    change_pp,
    ratio_scale,
    share_pct,
    yoy_change_pct,
)

# Seed 001, "Produktion": (row, 202204, 202104, printed change %)
PRODUCTION = [
    ("Läkarbesök", 31180, 29685, 5.0),
    ("Läkarbesök Somatik", 29752, 27864, 6.8),
    ("Läkarbesök Psykiatri", 1428, 1821, -21.6),
    ("Övriga vårdgivarbesök", 31128, 33024, -5.7),
    ("Övriga Somatik", 26241, 27291, -3.8),
    ("Övriga Psykiatri", 4887, 5733, -14.8),
    ("Totalt antal besök", 62308, 62709, -0.6),
    ("Distans läkarbesök", 6247, 7037, -11.2),
    ("Distans läkare Somatik", 5438, 6220, -12.6),
    ("Distans läkare Psykiatri", 809, 817, -1.0),
    ("Distans övriga", 8455, 9600, -11.9),
    ("Distans övriga Somatik", 6280, 6515, -3.6),
    ("Distans övriga Psykiatri", 2175, 3085, -29.5),
    ("Distans totalt", 14702, 16637, -11.6),
    ("Vårdtillfällen totalt", 4673, 4824, -3.1),
    ("Vårdtillfällen Somatik", 4632, 4751, -2.5),
    ("Vårdtillfällen Psykiatri", 41, 73, -43.8),
]

# Seed 001, "Distansbesök % av totalen 202204": (row, remote, all visits, printed share %)
SHARES = [
    ("Läkarbesök", 6247, 31180, 20.0),
    ("Läkarbesök Somatik", 5438, 29752, 18.3),
    ("Läkarbesök Psykiatri", 809, 1428, 56.7),
    ("Övriga vårdgivarbesök", 8455, 31128, 27.2),
    ("Övriga Somatik", 6280, 26241, 23.9),
    ("Övriga Psykiatri", 2175, 4887, 44.5),
    ("Totalt", 14702, 62308, 23.6),
]

# Seed 001: breakdowns that must add up (total, parts)
SUMS = [
    ("Läkarbesök 202204", 31180, [29752, 1428]),
    ("Läkarbesök 202104", 29685, [27864, 1821]),
    ("Övriga 202204", 31128, [26241, 4887]),
    ("Övriga 202104", 33024, [27291, 5733]),
    ("Totalt 202204", 62308, [31180, 31128]),
    ("Totalt 202104", 62709, [29685, 33024]),
    ("Distans läkare 202204", 6247, [5438, 809]),
    ("Distans läkare 202104", 7037, [6220, 817]),
    ("Distans totalt 202204", 14702, [6247, 8455]),
    ("Vårdtillfällen 202204", 4673, [4632, 41]),
    ("Vårdtillfällen 202104", 4824, [4751, 73]),
    ("Fallskador T1 2022", 90, [2, 85, 3]),
    ("Fallskador T1 2021", 68, [2, 55, 11]),
]

# Seed 001, readmissions series: (year, discharged, readmitted, printed share %)
READMISSIONS = [
    (2014, 9847, 1798, 18.26),
    (2015, 10311, 1831, 17.76),
    (2016, 10440, 1816, 17.39),
    (2017, 9566, 1595, 16.67),
    (2018, 9052, 1583, 17.49),
    (2019, 8976, 1590, 17.71),
    (2020, 8152, 1479, 18.14),
    (2021, 7928, 1421, 17.92),
    (2022, 2725, 489, 17.94),
]


@pytest.mark.parametrize(("row", "current", "previous", "printed"), PRODUCTION)
def test_seed001_year_over_year_change(row, current, previous, printed):
    assert round(yoy_change_pct(current, previous), 1) == printed, row


def test_seed001_visits_change_exactly():
    assert yoy_change_pct(31180, 29685) == pytest.approx(5.036213575880074)


@pytest.mark.parametrize(("row", "part", "total", "printed"), SHARES)
def test_seed001_share_of_total(row, part, total, printed):
    assert round(share_pct(part, total), 1) == printed, row


def test_seed001_remote_share_exactly():
    assert share_pct(6247, 31180) == pytest.approx(20.035279025016038)


@pytest.mark.parametrize(("row", "total", "parts"), SUMS)
def test_seed001_breakdowns_add_up(row, total, parts):
    assert aggregate([Obs(p) for p in parts], "sum") == Obs(total), row


@pytest.mark.parametrize(("year", "den", "numer", "printed"), READMISSIONS)
def test_seed001_ratio_values(year, den, numer, printed):
    assert round(Obs.from_ratio(numer, den).value, 2) == printed, year


def test_seed001_sexes_add_up_as_ratio_not_mean():
    women, men = Obs.from_ratio(644, 819), Obs.from_ratio(658, 845)
    total = across_sexes(women, men, Aggregation.RATIO)
    assert (total.numerator, total.denominator) == (1302, 1664)
    assert total.value == pytest.approx(100 * 1302 / 1664)
    assert total.value != pytest.approx((women.value + men.value) / 2, abs=1e-3)
    # Palliative care: K 89/167, M 90/169 -> 179/336 = 53 % (the seed: 53 % each)
    palliative = across_sexes(Obs.from_ratio(89, 167), Obs.from_ratio(90, 169), "ratio")
    assert (palliative.numerator, palliative.denominator) == (179, 336)
    assert round(palliative.value) == 53
    # counts add up: violence question M 135, K 203
    assert across_sexes(Obs(203), Obs(135), "sum") == Obs(338)


def test_across_sexes_needs_both():
    assert across_sexes(Obs.from_ratio(644, 819), None, "ratio") is None
    assert across_sexes(Obs(None), Obs(135), "sum") is None
    assert across_sexes(Obs(203), Obs(135), "none") is None


@pytest.mark.parametrize(
    ("aggregation", "expected"),
    [
        ("sum", Obs(90.0)),
        ("mean", Obs(30.0)),
        ("min", Obs(2.0)),
        ("max", Obs(85.0)),
        ("last", Obs(3.0)),
        ("none", None),
    ],
)
def test_each_aggregation(aggregation, expected):
    # falls per VO, T1 2022
    assert aggregate([Obs(2), Obs(85), None, Obs(None), Obs(3)], aggregation) == expected


def test_aggregation_values():
    assert [a.value for a in Aggregation] == ["sum", "ratio", "mean", "min", "max", "last", "none"]
    assert [m.value for m in MeasureType] == ["flow", "stock", "average"]
    with pytest.raises(ValueError):
        aggregate([Obs(1)], "median")


def test_ratio_details():
    obs = [Obs.from_ratio(135, 228), Obs(85.0), Obs(None, 216, 255)]
    # the bare 85 % cannot be weighted and is left out; parts without a value count
    got = aggregate(obs, "ratio")
    assert (got.numerator, got.denominator) == (351, 483)
    assert got.value == pytest.approx(100 * 351 / 483)
    assert aggregate([Obs(85.0)], "ratio") is None
    assert aggregate([], "ratio") is None
    zero = aggregate([Obs.from_ratio(0, 0)], "ratio")
    assert zero == Obs(None, 0, 0)
    # per 1 000 and plain ratios use their own scale
    assert aggregate([Obs(None, 3, 1500), Obs(None, 1, 500)], "ratio", scale=1000).value == 2.0
    assert aggregate([Obs(None, 3, 4)], "ratio", scale=1).value == 0.75
    # a mean of ratios given only as parts uses their values
    assert aggregate([Obs(None, 1, 2), Obs(None, 3, 4)], "mean") == Obs(62.5)


def test_ratio_scale():
    assert PERCENT_SCALE == 100.0
    assert [ratio_scale(u) for u in ("%", "‰", "per 1000", "st", "kr", None)] == [
        100.0,
        1000.0,
        1000.0,
        1.0,
        1.0,
        1.0,
    ]


def test_last_keeps_the_parts():
    got = aggregate([Obs.from_ratio(1, 2), Obs.from_ratio(3, 4)], "last")
    assert got == Obs(75.0, 3, 4)


# --- over time ------------------------------------------------------------------------

# A DÅ04 period (January-April). Visits per month summing to seed 001's 31 180; the
# monthly split is invented, the total is the seed's.
VISITS_MONTHS = [Obs(7600), Obs(7500), Obs(8300), Obs(7780)]
# Waiting-list shares per month (≤ 90 days to first visit, %), mean 51 as seed 001's text
# ("genomsnittet för årets första tertial ligger på 51 procent"); monthly values invented.
WAITING_MONTHS = [
    Obs.from_ratio(480, 1000),
    Obs.from_ratio(490, 1000),
    Obs.from_ratio(520, 1000),
    Obs.from_ratio(1100, 2000),
]


def test_flow_sums_over_months():
    assert aggregate_over_time(VISITS_MONTHS, "sum", "flow") == Obs(31180)


def test_flow_ratio_is_ratio_of_sums():
    got = aggregate_over_time(WAITING_MONTHS, "ratio", MeasureType.FLOW)
    assert (got.numerator, got.denominator) == (2590, 5000)
    assert got.value == pytest.approx(51.8)


def test_average_is_mean_of_monthly_values():
    got = aggregate_over_time(WAITING_MONTHS, "ratio", MeasureType.AVERAGE)
    assert got.value == pytest.approx(51.0)  # not 51,8: months weigh equally
    assert got.numerator is None and got.denominator is None
    with_gap = [*WAITING_MONTHS[:2], None, WAITING_MONTHS[3]]
    got = aggregate_over_time(with_gap, "ratio", "average")
    assert got.value == pytest.approx((48 + 49 + 55) / 3)
    assert aggregate_over_time([None, None], "ratio", "average") is None


def test_stock_is_the_last_month():
    assert aggregate_over_time([Obs(431), Obs(420), Obs(431)], "sum", "stock") == Obs(431)
    assert aggregate_over_time(WAITING_MONTHS, "ratio", "stock") == Obs(55.0, 1100, 2000)
    assert aggregate_over_time([Obs(431), None], "sum", "stock") is None
    assert aggregate_over_time([], "sum", "stock") is None
    # a stock of a not-summable indicator still has a value at the period's end
    assert aggregate_over_time([Obs(3.0), Obs(4.0)], "none", "stock") == Obs(4.0)


def test_flow_of_not_summable_is_none():
    assert aggregate_over_time(VISITS_MONTHS, "none", "flow") is None
    with pytest.raises(ValueError):
        aggregate_over_time(VISITS_MONTHS, "sum", "snapshot")


# --- change ---------------------------------------------------------------------------


def test_change_pp_and_missing():
    assert change_pp(51.0, 49.0) == 2.0  # "2 procentenheter högre än samma period"
    assert change_pp(None, 49.0) is None
    assert yoy_change_pct(5, 0) is None
    assert yoy_change_pct(None, 5) is None
    assert yoy_change_pct(-5, -10) == 50.0  # a deficit halved is +50 %
    assert share_pct(1, 0) is None
    assert share_pct(None, 4) is None


def test_across_sexes_ratio_needs_counts_for_both_sexes():
    """Women as 644/819 but men only as a printed 78 %: no honest total exists."""
    women = Obs.from_ratio(644, 819)
    men = Obs(78.0)
    assert across_sexes(women, men, "ratio") is None
    assert across_sexes(women, Obs.from_ratio(658, 845), "ratio").value == pytest.approx(
        1302 / 1664 * 100
    )
