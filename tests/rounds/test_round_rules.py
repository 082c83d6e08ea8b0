"""The pure rules of a reporting round."""

import datetime as dt

from styrkort.rounds import rules

D = dt.date


def test_deadline_per_level_falls_back_to_the_nearest_level_above():
    levels = {"2": "2022-09-15", "3": "2022-09-10"}
    assert rules.deadline_for(1, D(2022, 9, 20), levels) == D(2022, 9, 20)
    assert rules.deadline_for(2, D(2022, 9, 20), levels) == D(2022, 9, 15)
    assert rules.deadline_for(3, D(2022, 9, 20), levels) == D(2022, 9, 10)
    assert rules.deadline_for(5, D(2022, 9, 20), levels) == D(2022, 9, 10)


def test_deadlines_before_opening_or_against_the_cascade_are_refused():
    assert rules.check_deadlines(D(2022, 9, 1), D(2022, 9, 20), {"3": "2022-09-10"}) == {}
    errors = rules.check_deadlines(D(2022, 9, 1), D(2022, 8, 20), {})
    assert "före öppningsdagen" in errors["deadline"]
    # A VO (depth 3) may not report after its division (depth 2).
    errors = rules.check_deadlines(
        D(2022, 9, 1), D(2022, 9, 20), {"2": "2022-09-10", "3": "2022-09-15"}
    )
    assert "en lägre nivå rapporterar före den högre" in errors["level_deadlines"]
    errors = rules.check_deadlines(D(2022, 9, 1), D(2022, 9, 20), {"3": "2022-09-25"})
    assert "efter tillfällets sista dag" in errors["level_deadlines"]


def _facts(stored="ready", ready_by=7, round_open=True, excused=False):
    return rules.Facts(stored=stored, excused=excused, ready_by_id=ready_by, round_open=round_open)


def test_four_eyes_and_order_of_approval():
    assert rules.refuse_approve(_facts(), 8, []) is None
    assert "fyra ögon" in rules.refuse_approve(_facts(), 7, [])
    assert "inte klarmarkerad" in rules.refuse_approve(_facts(stored="open"), 8, [])
    assert "redan godkänd" in rules.refuse_approve(_facts(stored="approved"), 8, [])
    assert "VO Internmedicin" in rules.refuse_approve(_facts(), 8, ["VO Internmedicin"])
    assert "stängt" in rules.refuse_approve(_facts(round_open=False), 8, [])


def test_return_needs_a_ready_unit_and_a_comment():
    assert rules.refuse_return(_facts(), "Analys saknas för väntetiderna.") is None
    assert "kommentar" in rules.refuse_return(_facts(), "  ")
    assert "klarmarkerad" in rules.refuse_return(_facts(stored="open"), "x")


def test_excusing_needs_an_open_round_and_a_unit_not_approved():
    assert rules.refuse_excuse(_facts(stored="open")) is None
    assert rules.refuse_excuse(_facts(stored="ready")) is None
    assert "stängt" in rules.refuse_excuse(_facts(stored="open", round_open=False))
    assert "redan godkänd" in rules.refuse_excuse(_facts(stored="approved"))
    assert "stängt" in rules.refuse_return(_facts(round_open=False), "x")


def test_shown_state_tells_not_started_from_in_progress_and_returned():
    assert rules.shown_state("open", excused=False, has_content=False, comment="") == "not_started"
    assert rules.shown_state("open", excused=False, has_content=True, comment="") == "in_progress"
    assert rules.shown_state("open", excused=False, has_content=True, comment="Fel") == "returned"
    assert rules.shown_state("ready", excused=False, has_content=True, comment="") == "ready"
    assert rules.shown_state("open", excused=True, has_content=False, comment="") == "excused"


def test_a_round_covers_the_periods_inside_it():
    start, end = D(2022, 1, 1), D(2022, 4, 30)  # DÅ04 2022
    assert rules.covers(start, end, D(2022, 1, 1), D(2022, 1, 31))  # January
    assert rules.covers(start, end, D(2022, 1, 1), D(2022, 3, 31))  # Q1
    assert rules.covers(start, end, start, end)  # T1 = DÅ04
    assert not rules.covers(start, end, D(2022, 5, 1), D(2022, 5, 31))  # May
    assert not rules.covers(start, end, D(2022, 1, 1), D(2022, 8, 31))  # DÅ08


def test_digest_is_order_free_and_sees_every_change():
    a = rules.digest([(1, "2022-DÅ04", "total", 51.0, None, None)], [(1, None, "x", "Text")], [])
    b = rules.digest([(1, "2022-DÅ04", "total", 51.0, None, None)], [(1, None, "x", "Text")], [])
    c = rules.digest([(1, "2022-DÅ04", "total", 52.0, None, None)], [(1, None, "x", "Text")], [])
    assert a == b != c
