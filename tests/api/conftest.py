import pytest
from rest_framework.test import APIClient


@pytest.fixture(scope="module")
def world_options():
    """The API tests write plans and outcomes themselves (plan_world for those that read
    them): a world without plans."""
    return {"plans": False}


@pytest.fixture
def client_for(world):
    """An API client authenticated as one of the world's users (by name), or anonymous."""

    def make(name: str | None) -> APIClient:
        client = APIClient()
        if name is not None:
            client.force_authenticate(getattr(world.users, name))
        return client

    return make


@pytest.fixture
def plan_world(world):
    """World plus Division Länssjukvård 1's plan 2022 with a goal tree, a placed indicator
    with its target, an activity, an assignment, a report and an analysis."""
    from factories import (
        ActivityFactory,
        ActivityReportFactory,
        AnalysisFactory,
        GoalFactory,
        PlacementFactory,
        PlanFactory,
        PlanModelFactory,
        TargetFactory,
    )

    model = PlanModelFactory(organisation=world.org, name="Balanserad styrning Norrbotten")
    plan = PlanFactory(
        unit=world.ls1, plan_model=model, code="ls1-2022", start_year=2022, end_year=2022
    )
    citizens = GoalFactory(plan=plan, level=1, name="Medborgare")
    safety = GoalFactory(plan=plan, parent=citizens, name="En hållbar verksamhet med hög säkerhet")
    placement = PlacementFactory(plan=plan, goal=safety, indicator=world.medication)
    target = TargetFactory(placement=placement, year=2022, text="70 %")
    activity = ActivityFactory(
        plan=plan, owner_unit=world.ls1, name="Utveckla den palliativa vården"
    )
    assignment = ActivityFactory(
        plan=plan,
        owner_unit=world.ls1,
        kind="assignment",
        name="Uppdrag om vårdplatser",
        issued_by="Regionstyrelsen",
    )
    report = ActivityReportFactory(activity=activity, unit=world.ls1, status="on_track")
    analysis = AnalysisFactory(
        unit=world.ls1, indicator=world.medication, period="2022-DÅ04", text="Gott genomsnitt."
    )
    world.plan_model = model
    world.plan = plan
    world.goals = (citizens, safety)
    world.placement = placement
    world.target = target
    world.activity = activity
    world.assignment = assignment
    world.report = report
    world.analysis = analysis
    return world
