"""Goal roll-up, status counts and activity follow-up (seeds 001 and 002)."""

import pytest

from styrkort.followup.evaluation import (
    ACTIVITY_AS_STATUS,
    ACTIVITY_SYMBOLS,
    GOAL_SCORES,
    ActivityStatus,
    Status,
    activity_counts,
    activity_to_status,
    goal_status,
    status_counts,
)
from styrkort.followup.evaluation.goals import goal_basis

MET, PARTLY, NOT_MET = Status.MET, Status.PARTLY, Status.NOT_MET
NOT_ASSESSED, NO_DATA = Status.NOT_ASSESSED, Status.NO_DATA


def test_scores():
    assert GOAL_SCORES == {MET: 3, PARTLY: 2, NOT_MET: 1}


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([MET, MET, PARTLY], MET),  # 2,67
        ([MET, PARTLY], MET),  # 2,5 exactly
        ([MET, PARTLY, PARTLY], PARTLY),  # 2,33
        ([PARTLY, NOT_MET], PARTLY),  # 1,5 exactly
        ([NOT_MET, PARTLY, NOT_MET], NOT_MET),  # 1,33
        ([NOT_MET], NOT_MET),
        ([MET, NOT_ASSESSED, NO_DATA, None], MET),  # the unassessable are left out
        ([NOT_ASSESSED, NO_DATA], NOT_ASSESSED),
        ([], NOT_ASSESSED),
        (["met", "not_met"], PARTLY),  # 2,0
        # seed 001, "En sammanhållen och samordnad vård ...": palliative 53 % vs 70 %
        # (not met), discharge-ready 19,3 % vs 7 % (not met), readmissions M ● K ▲
        ([NOT_MET, NOT_MET, PARTLY, NOT_MET], NOT_MET),
        # seed 001, "En hållbar verksamhet med hög säkerhet": falls ▲ (by hand), medication ■ ■
        ([NOT_MET, MET, MET], PARTLY),  # 2,33
    ],
)
def test_goal_status(statuses, expected):
    assert goal_status(statuses) is expected


@pytest.mark.parametrize(
    ("thresholds", "statuses", "expected"),
    [
        ((3.0, 2.0), [MET, PARTLY], PARTLY),
        ((3.0, 2.0), [MET, MET], MET),
        ((2.0, 2.0), [MET, NOT_MET], MET),
        ((2.0, 1.0), [NOT_MET], PARTLY),
    ],
)
def test_goal_thresholds_are_configurable(thresholds, statuses, expected):
    assert goal_status(statuses, thresholds=thresholds) is expected


def test_goal_thresholds_must_be_ordered():
    with pytest.raises(ValueError, match="delvis uppfyllt"):
        goal_status([MET], thresholds=(1.5, 2.5))


def test_status_counts_has_every_key():
    counts = status_counts([MET, "met", PARTLY, NOT_MET, None, NOT_ASSESSED])
    assert counts == {MET: 2, PARTLY: 1, NOT_MET: 1, NOT_ASSESSED: 1, NO_DATA: 1}
    assert counts["met"] == 2
    assert status_counts([]) == dict.fromkeys(Status, 0)
    with pytest.raises(ValueError):
        status_counts(["green"])


def test_activity_status_values():
    assert [s.value for s in ActivityStatus] == [
        "planned",
        "on_track",
        "delayed",
        "done",
        "cancelled",
        "not_reported",
    ]


def test_seed002_activity_counts():
    # 731 activities: 58 done, 425 on track, 24 delayed, 224 planned
    statuses = (
        ["done"] * 58
        + [ActivityStatus.ON_TRACK] * 425
        + ["delayed"] * 24
        + [ActivityStatus.PLANNED] * 224
    )
    counts = activity_counts(statuses)
    assert counts == {
        ActivityStatus.PLANNED: 224,
        ActivityStatus.ON_TRACK: 425,
        ActivityStatus.DELAYED: 24,
        ActivityStatus.DONE: 58,
        ActivityStatus.CANCELLED: 0,
        ActivityStatus.NOT_REPORTED: 0,
    }
    assert sum(counts.values()) == 731
    assert activity_counts([None, "cancelled"])["not_reported"] == 1


def test_seed001_activity_symbols():
    # The division's strategic actions 7-17 and 25-31 as printed (● ◇ ▲); 1-6 and 18-24
    # have no status: not reported.
    printed = "●◇●●●●●●●●▲" + "▲●●●●●●" + " " * 13
    by_symbol = {symbol: status for status, symbol in ACTIVITY_SYMBOLS.items()}
    by_symbol[" "] = ActivityStatus.NOT_REPORTED
    counts = activity_counts(by_symbol[s] for s in printed)
    assert counts["on_track"] == 15
    assert counts["planned"] == 1
    assert counts["delayed"] == 2
    assert counts["not_reported"] == 13
    assert ACTIVITY_SYMBOLS[ActivityStatus.DONE] == "■"


@pytest.mark.parametrize(
    ("activity", "expected"),
    [
        ("done", MET),
        ("on_track", PARTLY),
        ("delayed", NOT_MET),
        ("planned", NOT_ASSESSED),
        ("cancelled", NOT_ASSESSED),
        ("not_reported", NOT_ASSESSED),
        (None, NOT_ASSESSED),
    ],
)
def test_activity_to_status(activity, expected):
    assert activity_to_status(activity) is expected


def test_activities_count_in_a_goal():
    indicators = [MET, NOT_MET]
    activities = [activity_to_status(a) for a in ("done", "delayed", "planned")]
    assert goal_status(indicators + activities) is PARTLY  # (3+1+3+1)/4 = 2,0
    generous = {**ACTIVITY_AS_STATUS, ActivityStatus.ON_TRACK: MET}
    assert activity_to_status("on_track", generous) is MET


# --- the basis of a goal's status ---------------------------------------------------------


def test_basis_counts_the_items_a_status_rests_on():
    # Seed 002's health-care goal area: 4 red items named, 33 whose colour the OCR lost.
    basis = goal_basis(["not_met"] * 4 + ["not_assessed"] * 33)
    assert (basis.assessed, basis.total, basis.complete) == (4, 37, False)
    assert basis.text() == "bygger på 4 av 37"
    assert basis.text("en") == "rests on 4 of 37"
    assert basis.to_json() == {"assessed": 4, "total": 37}
    # The status itself rests on the assessed ones only.
    assert goal_status(["not_met"] * 4 + ["not_assessed"] * 33) == Status.NOT_MET


def test_basis_no_data_and_none_are_not_assessed_items():
    basis = goal_basis([Status.MET, "partly", None, "no_data", Status.NOT_ASSESSED])
    assert (basis.assessed, basis.total) == (2, 5)


def test_basis_complete_and_empty():
    assert goal_basis(["met", "partly", "not_met"]).complete
    empty = goal_basis([])
    assert (empty.assessed, empty.total, empty.complete, empty.text()) == (0, 0, True, "")
