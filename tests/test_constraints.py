"""Constraints live in the database: each is refused by the database itself, not a form
(the organisation's, planning's and the follow-up's; see docs/architecture.md, The
model's rules, in the database)."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from treebeard.exceptions import InvalidMoveToDescendant

from styrkort.followup.models import Analysis, Assessment, Outcome
from styrkort.organisation.models import OrgUnit
from styrkort.planning.models import Activity, Goal, Plan, PlanIndicator, PlanModel, Target

WORLD = {"plans": False}  # the plan is the test's own


def refused(fn):
    with pytest.raises(IntegrityError), transaction.atomic():
        fn()


def outcome(world, **kw):
    values = {
        "indicator": world.visits,
        "unit": world.im,
        "period": "2022-DÅ04",
        "sex": "total",
        "value": 1,
    }
    values.update(kw)
    return Outcome(**values)


def test_unit_cannot_be_moved_under_itself(world):
    div1 = world.ls1
    vo1 = world.im
    with pytest.raises(InvalidMoveToDescendant):
        OrgUnit.objects.move(div1, vo1, "sorted-child")
    with pytest.raises(InvalidMoveToDescendant):
        OrgUnit.objects.move(div1, div1, "sorted-child")
    vo1 = OrgUnit.objects.get(code="NLL-LS1-IM")
    assert OrgUnit.objects.get_parent(vo1).code == "NLL-LS1"


def test_unit_dates_in_order(world):
    unit = world.gallerian
    refused(
        lambda: OrgUnit.objects.filter(pk=unit.pk).update(
            valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2023, 1, 1)
        )
    )


def test_unit_code_unique(world):
    refused(
        lambda: OrgUnit.objects.add_child(
            world.region,
            create_kwargs={
                "organisation": world.org,
                "code": "NLL-LS1",
                "name": "Dubblett",
                "type": "division",
            },
        )
    )


def test_one_outcome_per_indicator_unit_period_sex(world):
    outcome(world).save()
    refused(lambda: outcome(world, value=2).save())
    # T1 and DÅ04 are the same months: the same key.
    refused(lambda: outcome(world, period="2022-T1", value=3).save())
    outcome(world, sex="women", value=2).save()
    assert Outcome.objects.filter(indicator=world.visits, unit=world.im).count() == 2


def test_ratio_numerator_at_most_denominator(world):
    refused(
        lambda: outcome(
            world, indicator=world.medication, value=None, numerator=820, denominator=819
        ).save()
    )
    outcome(world, indicator=world.medication, value=None, numerator=644, denominator=819).save()


def test_outcome_needs_a_value_and_a_non_negative_denominator(world):
    refused(lambda: outcome(world, value=None).save())
    refused(lambda: outcome(world, value=1, numerator=1, denominator=-5).save())


def test_outcome_period_in_order(world):
    outcome(world).save()
    refused(
        lambda: Outcome.objects.update(
            period_start=dt.date(2022, 5, 1), period_end=dt.date(2022, 4, 30)
        )
    )


@pytest.fixture
def plan(world):
    model = PlanModel.objects.create(organisation=world.org, name="Balanserad styrning")
    return Plan.objects.create(
        unit=world.ls1,
        plan_model=model,
        code="ls1-2022",
        name="Plan 2022",
        start_year=2022,
        end_year=2022,
    )


def test_plan_years_in_order(world, plan):
    refused(lambda: Plan.objects.filter(pk=plan.pk).update(start_year=2024, end_year=2022))


def test_goal_not_its_own_parent(plan):
    goal = Goal.objects.create(plan=plan, level=1, name="Medborgare")
    refused(lambda: Goal.objects.filter(pk=goal.pk).update(parent=goal))


def test_indicator_placed_once_per_goal_but_under_several_goals(world, plan):
    g1 = Goal.objects.create(plan=plan, level=1, name="Medborgare")
    g2 = Goal.objects.create(plan=plan, level=1, name="Verksamhet")
    PlanIndicator.objects.create(plan=plan, goal=g1, indicator=world.visits)
    PlanIndicator.objects.create(plan=plan, goal=g2, indicator=world.visits)
    refused(lambda: PlanIndicator.objects.create(plan=plan, goal=g1, indicator=world.visits))


def test_target_unique_per_year_unit_and_kind(world, plan):
    goal = Goal.objects.create(plan=plan, level=1, name="Medborgare")
    placement = PlanIndicator.objects.create(plan=plan, goal=goal, indicator=world.visits)
    target = Target.objects.create(placement=placement, year=2022, text="max 175")
    assert target.spec["comparator"] == "le" and target.spec["value"] == 175
    refused(lambda: Target.objects.create(placement=placement, year=2022, text="max 170"))
    Target.objects.create(placement=placement, year=2026, text="150", is_long_term=True)
    vo1 = world.im
    Target.objects.create(placement=placement, year=2022, unit=vo1, text="max 20")
    refused(lambda: Target.objects.create(placement=placement, year=2022, unit=vo1, text="5"))


def test_activity_dates_in_order(world, plan):
    refused(
        lambda: Activity.objects.create(
            plan=plan,
            owner_unit=world.ls1,
            name="Införa mobila team",
            start_date=dt.date(2022, 6, 1),
            end_date=dt.date(2022, 1, 1),
        )
    )


def test_assessment_needs_a_reason_and_one_target(world):
    unit = world.ls1
    refused(
        lambda: Assessment(
            unit=unit, indicator=world.visits, period="2022", status="not_met", reason=""
        ).save()
    )
    refused(lambda: Assessment(unit=unit, period="2022", status="met", reason="Bra").save())


def test_analysis_for_indicator_or_goal_not_both(world, plan):
    goal = Goal.objects.create(plan=plan, level=1, name="Medborgare")
    refused(
        lambda: Analysis(
            unit=world.ls1,
            indicator=world.visits,
            goal=goal,
            period="2022",
            text="x",
        ).save()
    )
