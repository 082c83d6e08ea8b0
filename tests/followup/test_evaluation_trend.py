"""Trend (utveckling) against the comparable earlier period, with seed 001's arrows."""

import math

import pytest

from styrkort.followup.evaluation import (
    TREND_ARROWS,
    Trend,
    evaluate_trend,
    trend_arrow,
    trend_rule,
)

BETTER, WORSE, UNCHANGED, NONE = Trend.BETTER, Trend.WORSE, Trend.UNCHANGED, Trend.NONE


def test_trend_values_and_arrows():
    assert [t.value for t in Trend] == ["better", "worse", "unchanged", "none"]
    assert TREND_ARROWS == {BETTER: "↑", WORSE: "↓", UNCHANGED: "→", NONE: ""}
    assert [t.arrow for t in Trend] == ["↑", "↓", "→", ""]
    assert trend_arrow("worse") == "↓"


@pytest.mark.parametrize(
    ("what", "current", "previous", "direction", "expected", "arrow"),
    [
        # Readmissions within 30 days, 65+, lower is better. The seed's goal table prints
        # "M: 17,3 % K: 18,8 %" with "↑ ↓"; its series gives 2021 = 17,92 % for the
        # division (1 421 / 7 928), the only earlier value it prints, and its text says
        # men fell marginally while women rose. Against 17,92: men better, women worse.
        ("readmissions men", 17.3, 17.92, "lower", BETTER, "↑"),
        ("readmissions women", 18.8, 17.92, "lower", WORSE, "↓"),
        # The division's total, 2022 T1 17,94 % against 17,92 %: within 1 % -> unchanged
        ("readmissions total", 17.94, 17.92, "lower", UNCHANGED, "→"),
        # Medication reports: M 76 %, K 78 % against the 2021 mean of 82,5 % -> "↓ ↓"
        ("medication men", 76.0, 82.5, "higher", WORSE, "↓"),
        ("medication women", 78.0, 82.5, "higher", WORSE, "↓"),
        # Falls T1: 90 in 2022 against 68 in 2021, lower is better -> "↓"
        ("falls", 90.0, 68.0, "lower", WORSE, "↓"),
        # Waiting list first visit: 51 % against 49 % (2 pp higher), higher is better
        ("waiting list", 51.0, 49.0, "higher", BETTER, "↑"),
    ],
)
def test_seed001_trends(what, current, previous, direction, expected, arrow):
    trend = evaluate_trend(current, previous, direction=direction)
    assert trend is expected, what
    assert trend.arrow == arrow


@pytest.mark.parametrize(
    ("current", "previous", "kwargs", "expected"),
    [
        (101.0, 100.0, {}, UNCHANGED),  # exactly 1 %
        (99.0, 100.0, {}, UNCHANGED),
        (101.01, 100.0, {}, BETTER),
        (98.99, 100.0, {}, WORSE),
        (100.0, 100.0, {"epsilon_pct": 0.0}, UNCHANGED),
        (100.01, 100.0, {"epsilon_pct": 0.0}, BETTER),
        (104.0, 100.0, {"epsilon_pct": 5.0}, UNCHANGED),
        (0.0, 0.0, {}, UNCHANGED),
        (0.001, 0.0, {}, BETTER),  # no band around zero
        (-9.0, -10.0, {}, BETTER),  # band from |previous|
        (-10.05, -10.0, {}, UNCHANGED),
    ],
)
def test_epsilon(current, previous, kwargs, expected):
    assert evaluate_trend(current, previous, direction="higher", **kwargs) is expected


@pytest.mark.parametrize(
    ("current", "previous", "direction", "target", "expected"),
    [
        (None, 17.92, "lower", None, NONE),
        (17.3, None, "lower", None, NONE),
        (17.3, 17.92, "none", None, NONE),  # no desired direction: not judged
        (17.3, 17.92, None, None, NONE),
        (17.92, 17.92, "none", None, UNCHANGED),
        (7.5, 9.0, "target", 7.0, BETTER),  # closer to the target
        (9.0, 7.5, "target", 7.0, WORSE),
        (6.0, 8.0, "target", 7.0, UNCHANGED),  # as far on the other side
        (7.5, 9.0, "target", None, NONE),
    ],
)
def test_direction_and_missing(current, previous, direction, target, expected):
    got = evaluate_trend(current, previous, direction=direction, target=target)
    assert got is expected


def test_negative_epsilon_is_rejected():
    with pytest.raises(ValueError, match="epsilon_pct"):
        evaluate_trend(1.0, 2.0, direction="higher", epsilon_pct=-1)


def test_trend_rule_judges_many_values_of_one_indicator():
    # Seed 001's readmissions (lower is better) against 2021's 17,92 %, one rule for all.
    readmissions = trend_rule("lower", 1.0)
    got = [readmissions(c, 17.92) for c in (17.3, 18.8, 17.94, None, math.nan)]
    assert got == [BETTER, WORSE, UNCHANGED, NONE, NONE]
    assert readmissions(17.3, math.nan) is NONE


def test_trend_rule_on_target_without_a_target_is_not_judged():
    rule = trend_rule("target", 1.0, None)
    assert rule(7.5, 9.0) is NONE
    assert rule(9.0, 9.0) is UNCHANGED
    assert trend_rule("target", 1.0, 7.0)(7.5, 9.0) is BETTER


def test_unknown_direction_raises_only_when_a_change_is_judged():
    rule = trend_rule("sideways")
    assert rule(None, 1.0) is NONE
    assert rule(1.0, 1.0) is UNCHANGED
    with pytest.raises(ValueError, match="riktning"):
        rule(2.0, 1.0)
    with pytest.raises(ValueError, match="epsilon_pct"):
        trend_rule("higher", -1.0)
