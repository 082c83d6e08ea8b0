"""The planning rules: which plan a unit follows up, which activities it answers, the
status each shows and when a status has gone stale (seeds 001, 002 and 003)."""

import datetime as dt
from collections import Counter

import pytest
from django.utils import translation

from styrkort.followup.evaluation import ActivityStatus, activity_counts
from styrkort.planning.rules import (
    ActivityAnswer,
    ActivityRole,
    StaleReason,
    activity_answer,
    activity_role,
    followed,
    is_stale,
    plan_rank,
    stale_message,
    stale_reason,
)

TODAY = dt.date(2024, 5, 15)

# --- which plan ---------------------------------------------------------------------------


def best(*plans):
    return max(plans, key=lambda p: plan_rank(*p))


def test_the_adopted_plan_wins_over_next_years_draft():
    # Seed 003: "Verksamhetsplan med budget 2024–2026", adopted; in the autumn it is copied
    # to a 2025–2027 draft. The 2025 follow-up stays with the adopted plan.
    adopted_2024, draft_2025 = ("adopted", 2024, 1), ("draft", 2025, 2)
    assert best(adopted_2024, draft_2025) == adopted_2024
    # Once the new plan is adopted, the later start wins.
    adopted_2025 = ("adopted", 2025, 2)
    assert best(adopted_2024, adopted_2025) == adopted_2025


def followed_best(*plans):
    """The plan followed up among one unit's plans, as planning.lookup picks it."""
    candidates = [p for p in plans if followed(p[0])]
    return max(candidates, key=lambda p: plan_rank(*p), default=None)


@pytest.mark.parametrize(
    ("plans", "expected"),
    [
        ([("draft", 2022, 1), ("archived", 2022, 2)], ("archived", 2022, 2)),
        ([("archived", 2022, 1)], ("archived", 2022, 1)),  # a past year keeps its plan
        ([("adopted", 2022, 1), ("adopted", 2022, 5)], ("adopted", 2022, 5)),  # latest made
        ([("adopted", 2022, 9), ("draft", 2024, 1), ("archived", 2024, 3)], ("adopted", 2022, 9)),
        # A draft is never followed up, not even as the unit's only plan (the LS1 plan's
        # 2023 copy): the unit follows its superior unit's plan until it is adopted.
        ([("draft", 2023, 1)], None),
        ([("draft", 2022, 1), ("draft", 2022, 5)], None),
    ],
)
def test_plan_rank(plans, expected):
    assert followed_best(*plans) == expected


# --- which activities ---------------------------------------------------------------------

DIVISION, VO_IM, VO_NC, OTHER = "0001", "00010001", "00010002", "0002"


@pytest.mark.parametrize(
    ("unit", "owner", "cascaded", "expected"),
    [
        (DIVISION, DIVISION, False, ActivityRole.OWNER),
        (DIVISION, DIVISION, True, ActivityRole.OWNER),
        # Seed 001's "Minskad användning av inhyrd personal": every VO answers it.
        (VO_IM, DIVISION, True, ActivityRole.CASCADED),
        (VO_NC, DIVISION, True, ActivityRole.CASCADED),
        (VO_IM, DIVISION, False, None),  # not cascaded: the division's own work
        (DIVISION, VO_IM, False, ActivityRole.PLAN_HOLDER),  # the division's plan, a VO's task
        (DIVISION, VO_IM, True, ActivityRole.PLAN_HOLDER),
        (VO_NC, VO_IM, True, None),  # a sibling's activity
        (OTHER, DIVISION, True, None),
    ],
)
def test_activity_role(unit, owner, cascaded, expected):
    role = activity_role(
        unit_path=unit, owner_path=owner, plan_unit_path=DIVISION, cascaded=cascaded
    )
    assert role is expected


@pytest.mark.parametrize(
    ("role", "report", "owner_report", "expected"),
    [
        (ActivityRole.OWNER, ("on_track", "Utbildningar hålls i maj."), None,
         ("on_track", "Utbildningar hålls i maj.", "report")),
        (ActivityRole.OWNER, None, None, ("planned", "", "activity")),
        # An unanswered konkretisering shows as not reported; it does not vanish.
        (ActivityRole.CASCADED, None, ("on_track", "x"), ("not_reported", "", "none")),
        (ActivityRole.CASCADED, ("delayed", "Hög frånvaro."), None,
         ("delayed", "Hög frånvaro.", "report")),
        (ActivityRole.PLAN_HOLDER, None, ("done", "Klart."), ("done", "Klart.", "owner_report")),
        (ActivityRole.PLAN_HOLDER, None, None, ("planned", "", "activity")),
        (ActivityRole.OWNER, ("planned", None), None, ("planned", "", "report")),
    ],
)  # fmt: skip
def test_activity_answer(role, report, owner_report, expected):
    answer = activity_answer(
        role, activity_status="planned", report=report, owner_report=owner_report
    )
    assert answer == ActivityAnswer(*expected)


# --- stale statuses -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "start", "has_comment", "stale"),
    [
        ("planned", dt.date(2024, 3, 1), False, True),  # should have started
        ("planned", TODAY, False, False),  # starts today
        ("planned", dt.date(2024, 9, 1), False, False),
        ("planned", dt.date(2024, 9, 1), True, True),  # commented on: work has begun
        ("planned", None, True, True),
        ("planned", None, False, False),
        (ActivityStatus.PLANNED, dt.date(2024, 1, 1), False, True),
        ("on_track", dt.date(2024, 1, 1), True, False),
        ("delayed", dt.date(2024, 1, 1), False, False),
        ("done", dt.date(2024, 1, 1), True, False),
        ("cancelled", dt.date(2024, 1, 1), False, False),
        ("not_reported", dt.date(2024, 1, 1), False, False),
        (None, dt.date(2024, 1, 1), True, False),
    ],
)
def test_is_stale(status, start, has_comment, stale):
    assert is_stale(status, start, TODAY, has_comment) is stale


def test_stale_reasons_and_their_sentences():
    start = dt.date(2022, 1, 1)
    assert stale_reason("planned", start, TODAY, "  Arbete pågår. ") is StaleReason.COMMENT
    assert stale_reason("planned", start, TODAY, "  ") is StaleReason.START_DATE
    assert stale_reason("on_track", start, TODAY, "Arbete pågår.") is None
    assert stale_message(StaleReason.COMMENT, start) == (
        "Status är ”Planerad” men kommentaren beskriver pågående arbete."
    )
    assert stale_message(StaleReason.START_DATE, start) == (
        "Status är fortfarande ”Planerad” fast startdatum 2022-01-01 har passerat."
    )
    assert stale_message(None, start) == ""
    with translation.override("en"):  # the page follows the reader's language ...
        assert stale_message(StaleReason.COMMENT, start) != stale_message(
            StaleReason.COMMENT, start, language="sv"
        )
        # ... the documents and `styrkort evaluate` stay Swedish.
        assert stale_message(StaleReason.START_DATE, start, language="sv").startswith(
            "Status är fortfarande ”Planerad”"
        )


def test_seed_002_planned_activities_with_comments_are_the_stale_ones():
    """Seed 002: 731 activities, 58 done, 425 on track, 24 delayed and 224 planned, "many
    of the planned ones in fact started, judging by the comments, but the status was not
    changed". Every answer here has a comment; only the planned ones are flagged."""
    statuses = ["done"] * 58 + ["on_track"] * 425 + ["delayed"] * 24 + ["planned"] * 224
    answers = [
        activity_answer(
            ActivityRole.OWNER, activity_status="planned", report=(s, "Påbörjad enligt plan.")
        )
        for s in statuses
    ]
    counts = activity_counts(a.status for a in answers)
    assert (counts["done"], counts["on_track"], counts["delayed"], counts["planned"]) == (
        58,
        425,
        24,
        224,
    )
    assert sum(counts.values()) == 731
    reasons = Counter(
        stale_reason(a.status, dt.date(2024, 1, 1), TODAY, a.comment) for a in answers
    )
    assert reasons == {StaleReason.COMMENT: 224, None: 731 - 224}
