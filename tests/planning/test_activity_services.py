"""Creating and editing activities and assignments through the services
(styrkort.planning.services.create_activity / update_activity): links, history, the
plan's bounds, all or nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from factories import IndicatorFactory, OrganisationFactory
from styrkort.planning import services
from styrkort.planning.models import Activity

#: The world's LS1 plan is adopted: every change of it is a revision with a reason.
REVISION = "Revidering efter regionstyrelsens beslut om ändrade mål"


@pytest.mark.django_db
def test_create_assignment_with_links_and_history(world):
    activity = services.create_activity(
        reason=REVISION,
        user=world.users.planner,
        plan=world.plan,
        kind="assignment",
        name="  Införa digitala vårdmöten  ",
        owner_unit=world.im,
        concretisation="Varje VO redovisar antal <b>digitala</b> besök.<script>alert(1)</script>",
        start_date=dt.date(2022, 2, 1),
        end_date=dt.date(2022, 12, 31),
        issued_by="Regionstyrelsen",
        goals=[world.goals.access],
        indicators=[world.visits],
    )
    activity.refresh_from_db()
    assert (activity.kind, activity.name, activity.owner_unit) == (
        "assignment",
        "Införa digitala vårdmöten",
        world.im,
    )
    assert "<script>" not in activity.concretisation
    assert "alert" not in activity.concretisation
    assert "digitala" in activity.concretisation
    assert list(activity.goals.all()) == [world.goals.access]
    assert list(activity.indicators.all()) == [world.visits]
    assert activity.order == 1  # after the plan's two activities (order 0)
    assert activity.history.first().history_user == world.users.planner


@pytest.mark.django_db
def test_create_refuses_goals_units_indicators_and_dates_outside_the_plan(world):
    planner, admin = world.users.planner, world.users.admin
    before = Activity.objects.count()
    with pytest.raises(ValidationError, match="hör inte till planen"):
        services.create_activity(
            reason=REVISION, user=planner, plan=world.plan, name="A", goals=[world.ls2_goal]
        )
    other_org = IndicatorFactory(organisation=OrganisationFactory(code="rs", name="Sörmland"))
    with pytest.raises(ValidationError, match="hör till en annan organisation"):
        services.create_activity(
            reason=REVISION, user=planner, plan=world.plan, name="B", indicators=[other_org]
        )
    with pytest.raises(PermissionDenied):  # LS2 is outside the planner's subtree
        services.create_activity(
            reason=REVISION, user=planner, plan=world.plan, name="C", owner_unit=world.ls2
        )
    with pytest.raises(ValidationError, match="hör inte till Division Länssjukvård 1"):
        services.create_activity(
            reason=REVISION, user=admin, plan=world.plan, name="D", owner_unit=world.ls2
        )
    with pytest.raises(ValidationError) as exc:
        services.create_activity(
            reason=REVISION,
            user=planner,
            plan=world.plan,
            name="E",
            start_date=dt.date(2022, 6, 1),
            end_date=dt.date(2022, 5, 31),
        )
    assert exc.value.message_dict == {"end_date": ["Slutdatum får inte vara före startdatum."]}
    with pytest.raises(PermissionDenied):
        services.create_activity(
            reason=REVISION, user=world.users.reporter, plan=world.plan, name="F"
        )
    assert Activity.objects.count() == before


@pytest.mark.django_db
def test_update_activity_all_or_nothing(world):
    activity = world.activities.cascaded  # starts 2022-01-01
    services.update_activity(
        reason=REVISION,
        user=world.users.planner,
        activity=activity,
        name="Minskad inhyrd personal",
        end_date=dt.date(2022, 12, 31),
        goals=[world.goals.access, world.goals.safety],
    )
    activity.refresh_from_db()
    assert activity.name == "Minskad inhyrd personal"
    assert set(activity.goals.all()) == {world.goals.access, world.goals.safety}
    assert activity.history.first().history_user == world.users.planner
    with pytest.raises(ValidationError, match="Slutdatum"):
        services.update_activity(
            reason=REVISION,
            user=world.users.planner,
            activity=activity,
            name="Ska inte sparas",
            end_date=dt.date(2021, 12, 31),
            goals=[world.goals.operations],
        )
    activity.refresh_from_db()
    assert activity.name == "Minskad inhyrd personal"
    assert activity.end_date == dt.date(2022, 12, 31)
    assert set(activity.goals.all()) == {world.goals.access, world.goals.safety}
    with pytest.raises(PermissionDenied):
        services.update_activity(
            reason=REVISION, user=world.users.reporter, activity=activity, name="X"
        )
