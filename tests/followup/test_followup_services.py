"""The follow-up services (outcomes, analyses, assessments): every change keeps its
history (who, when, old value), from a save and from a bulk write; refusals outside the
role's subtree, for bad ratio values, closed units and bad periods write nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from styrkort.accounts.models import Role
from styrkort.followup.models import Outcome
from styrkort.followup.services import (
    OutcomeInput,
    assess,
    bulk_upsert_outcomes,
    record_outcome,
    save_analysis,
    validate_outcome,
)
from styrkort.periods import parse_period

WORLD = {"plans": False}  # units, indicators and users; no plans, outcomes at LS1 only


def test_save_records_who_when_and_old_value(world, user_on):
    reporter = user_on(Role.REPORTER, "NLL-LS1")
    vo1 = world.im
    record_outcome(user=reporter, indicator=world.visits, unit=vo1, period="2022-DÅ04", value=29685)
    outcome = record_outcome(
        user=reporter, indicator=world.visits, unit=vo1, period="2022-T1", value=31180
    )
    assert outcome.period == "2022-DÅ04"
    history = list(outcome.history.order_by("history_date"))
    assert [h.value for h in history] == [29685, 31180]
    assert [h.history_type for h in history] == ["+", "~"]
    assert all(h.history_user == reporter for h in history)
    assert history[1].prev_record.value == 29685


def test_bulk_write_keeps_history_and_skips_unchanged(world, user_on):
    planner = user_on(Role.PLANNER, "NLL")
    period = parse_period("2022-DÅ04")
    rows = [
        OutcomeInput(world.medication, world.im, period, "women", numerator=644, denominator=819),
        OutcomeInput(world.medication, world.im, period, "men", numerator=658, denominator=845),
        OutcomeInput(world.visits, world.ls2, period, "total", value=31180),
    ]
    assert all(validate_outcome(r) == {} for r in rows)
    assert rows[0].value == pytest.approx(78.63, abs=0.01)
    history_before = Outcome.history.count()
    result = bulk_upsert_outcomes(rows, user=planner)
    assert result.as_dict() == {"created": 3, "updated": 0, "unchanged": 0}
    assert Outcome.history.filter(history_type="+", history_user=planner).count() == 3

    again = bulk_upsert_outcomes(rows, user=planner)
    assert again.as_dict() == {"created": 0, "updated": 0, "unchanged": 3}
    assert Outcome.history.count() == history_before + 3

    rows[2].value = 31181
    changed = bulk_upsert_outcomes(rows, user=planner)
    assert changed.as_dict() == {"created": 0, "updated": 1, "unchanged": 2}
    updates = Outcome.history.filter(history_type="~")
    assert [(h.value, h.history_user) for h in updates] == [(31181, planner)]


def test_reporter_refused_outside_subtree_and_nothing_written(world, user_on):
    reporter = user_on(Role.REPORTER, "NLL-LS1")
    before = Outcome.objects.count()
    with pytest.raises(PermissionDenied, match="Division Länssjukvård 2"):
        record_outcome(
            user=reporter,
            indicator=world.visits,
            unit=world.ls2,
            period="2022",
            value=1,
        )
    rows = [OutcomeInput(world.visits, world.ls2, parse_period("2022"), value=1)]
    with pytest.raises(PermissionDenied):
        bulk_upsert_outcomes(rows, user=reporter)
    assert Outcome.objects.count() == before


@pytest.mark.parametrize(
    "kwargs, field, message",
    [
        ({"numerator": 820, "denominator": 819}, "numerator", "större än nämnaren"),
        ({"numerator": 5}, "denominator", "nämnare saknas"),
        ({"value": 101.0}, "value", "mellan 0 och 100"),
        ({"numerator": 1, "denominator": 0}, "denominator", "Nämnaren är 0"),
        ({}, "value", "Ange ett värde"),
    ],
)
def test_bad_ratio_values_get_a_swedish_message_naming_the_field(
    world, user_on, kwargs, field, message
):
    admin = user_on(Role.ADMIN, "NLL")
    before = Outcome.objects.count()
    with pytest.raises(ValidationError) as exc:
        record_outcome(
            user=admin,
            indicator=world.medication,
            unit=world.ls1,
            period="2022",
            **kwargs,
        )
    assert message in " ".join(exc.value.message_dict[field])
    assert Outcome.objects.count() == before


def test_closed_unit_and_bad_period_refused(world, user_on):
    admin = user_on(Role.ADMIN, "NLL")
    closed = world.gallerian
    record_outcome(user=admin, indicator=world.visits, unit=closed, period="2023", value=4)
    with pytest.raises(ValidationError, match="fanns inte under perioden 2024-T2"):
        record_outcome(user=admin, indicator=world.visits, unit=closed, period="2024-T2", value=4)
    with pytest.raises(ValidationError, match="2022-T4"):
        record_outcome(user=admin, indicator=world.visits, unit=closed, period="2022-T4", value=4)


def test_analysis_sanitised_and_assessment_requires_reason(world, user_on):
    reporter = user_on(Role.REPORTER, "NLL-LS1")
    unit = world.ls1
    analysis = save_analysis(
        user=reporter,
        unit=unit,
        period="2022-DÅ04",
        indicator=world.visits,
        text='Besöken ökade <script>alert(1)</script><b onclick="x()">5,0 %</b>',
    )
    assert analysis.text == "Besöken ökade **5,0 %**"  # old HTML as plain text (styrkort.text)
    assert analysis.history.get().history_user == reporter
    with pytest.raises(ValidationError, match="motivering"):
        assess(
            user=reporter,
            unit=unit,
            period="2022",
            indicator=world.visits,
            status="met",
            reason=" ",
        )
    done = assess(
        user=reporter,
        unit=unit,
        period="2022",
        indicator=world.visits,
        status="not_met",
        reason="Ingen jämförelse med 2020 finns.",
    )
    assert done.history.get().history_user == reporter
