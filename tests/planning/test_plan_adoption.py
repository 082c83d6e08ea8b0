"""Adopting a plan and revising an adopted plan (styrkort.planning.services.adopt_plan,
revise_plan and the rule every content service applies), and the rule that a draft is
never the plan a unit follows up (planning.lookup, followup.queries)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from styrkort.followup.queries import evaluate_unit
from styrkort.planning import services
from styrkort.planning.lookup import applicable_plan, unit_plan
from styrkort.planning.models import Goal, PlanRevision, Target

REASON = "Regionstyrelsen sänkte målvärdet efter budgetbeslutet"


@pytest.fixture
def draft(world):
    """Division Länssjukvård 1's plan copied into 2023: a draft."""
    return services.copy_plan(user=world.users.planner, plan=world.plan)


@pytest.mark.django_db
def test_adopt_needs_body_date_and_reference_each_named(world, draft):
    with pytest.raises(ValidationError) as exc:
        services.adopt_plan(user=world.users.planner, plan=draft, body=" ", date=None, reference="")
    errors = exc.value.message_dict
    assert errors["body"] == ["Ange beslutande organ, t.ex. Regionfullmäktige."]
    assert errors["date"] == ["Ange beslutsdatum."]
    assert errors["reference"] == ["Ange beslutets referens, t.ex. diarienummer eller paragraf."]
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="ligger i framtiden"):
        services.adopt_plan(
            user=world.users.planner,
            plan=draft,
            body="Regionfullmäktige",
            date=tomorrow,
            reference="RS 2022/512",
        )
    draft.refresh_from_db()
    assert (draft.state, draft.decision_body, draft.decision_date) == ("draft", "", None)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["reporter", "reader", "reporter_ls2"])
def test_only_a_planner_of_the_unit_adopts(world, draft, who):
    with pytest.raises(PermissionDenied):
        services.adopt_plan(
            user=getattr(world.users, who),
            plan=draft,
            body="Regionstyrelsen",
            date=dt.date(2022, 11, 22),
            reference="RS 2022/512",
        )
    draft.refresh_from_db()
    assert draft.state == "draft"


@pytest.mark.django_db
def test_a_draft_is_never_followed_up_until_it_is_adopted(world, draft):
    # 2023: LS1's only plan is the draft copy, so LS1 follows the board's plan 2022-2024.
    assert unit_plan(world.ls1, 2023) is None
    assert applicable_plan(world.ls1, 2023) == world.board_plan
    assert evaluate_unit(world.ls1, "2023-DÅ04").plan_id == world.board_plan.pk
    # 2022 stays with the adopted plan 2022.
    assert applicable_plan(world.ls1, 2022) == world.plan

    adopted = services.adopt_plan(
        user=world.users.planner,
        plan=draft,
        body="Regionstyrelsen",
        date=dt.date(2022, 11, 22),
        reference="RS 2022/512 § 201",
    )
    adopted.refresh_from_db()
    assert (adopted.state, adopted.decision_body, adopted.decision_ref) == (
        "adopted",
        "Regionstyrelsen",
        "RS 2022/512 § 201",
    )
    assert adopted.decision_date == dt.date(2022, 11, 22)
    assert adopted.history.first().history_user == world.users.planner
    assert applicable_plan(world.ls1, 2023) == adopted
    assert evaluate_unit(world.ls1, "2023-DÅ04").plan_id == adopted.pk
    with pytest.raises(ValidationError, match="redan fastställd"):
        services.adopt_plan(
            user=world.users.planner,
            plan=adopted,
            body="Regionstyrelsen",
            date=dt.date(2022, 11, 22),
            reference="RS 2022/512",
        )


@pytest.mark.django_db
def test_adopted_plan_changes_only_with_a_reason(world):
    placement = world.placements.medication
    with pytest.raises(ValidationError) as exc:
        services.set_target(user=world.users.planner, placement=placement, year=2022, text="65 %")
    assert "Planen Verksamhetsplan 2022 Division Länssjukvård 1 är fastställd" in str(exc.value)
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError, match="fastställd"):
        services.create_goal(user=world.users.planner, plan=world.plan, name="Nytt mål")
    with pytest.raises(ValidationError, match="fastställd"):
        services.update_plan(user=world.users.planner, plan=world.plan, name="Nytt namn")
    # Nothing changed, and no revision recorded.
    assert Target.objects.get(placement=placement, year=2022).text == "70 %"
    assert not Goal.objects.filter(name="Nytt mål").exists()
    assert not PlanRevision.objects.exists()

    target = services.set_target(
        user=world.users.planner, placement=placement, year=2022, text="65 %", reason=REASON
    )
    assert target.text == "65 %"
    revision = PlanRevision.objects.get()
    assert (revision.plan, revision.user, revision.reason) == (
        world.plan,
        world.users.planner,
        REASON,
    )
    record = target.history.first()
    assert (record.history_user, record.history_change_reason) == (world.users.planner, REASON)
    # The same person with the same reason soon after: the same revision.
    services.create_goal(user=world.users.planner, plan=world.plan, name="Nytt mål", reason=REASON)
    assert PlanRevision.objects.count() == 1
    assert Goal.objects.get(name="Nytt mål").history.first().history_change_reason == REASON


@pytest.mark.django_db
def test_adopted_plan_is_archived_not_deleted_and_never_a_draft_again(world):
    with pytest.raises(ValidationError, match="arkivera den i stället"):
        services.delete_plan(user=world.users.planner, plan=world.plan)
    with pytest.raises(ValidationError, match="blir inte utkast igen"):
        services.update_plan(
            user=world.users.planner, plan=world.plan, state="draft", reason=REASON
        )
    draft = services.copy_plan(user=world.users.planner, plan=world.plan)
    with pytest.raises(ValidationError, match="Fastställ plan"):
        services.update_plan(user=world.users.planner, plan=draft, state="adopted")


@pytest.mark.django_db
def test_revise_plan_records_who_when_why(world, draft):
    revision = services.revise_plan(user=world.users.planner, plan=world.plan, reason=REASON)
    assert revision.reason == REASON and revision.user == world.users.planner
    with pytest.raises(ValidationError, match="ett utkast ändras direkt"):
        services.revise_plan(user=world.users.planner, plan=draft, reason=REASON)
    with pytest.raises(PermissionDenied):
        services.revise_plan(user=world.users.reader, plan=world.plan, reason=REASON)
    # A draft changes without a reason.
    goal = services.create_goal(user=world.users.planner, plan=draft, name="Ny målsättning")
    assert goal.history.first().history_change_reason is None
