import datetime as dt

import pytest
from rest_framework.test import APIClient


class VersionedAPIClient(APIClient):
    """An API client that changes and deletes objects as a careful client does: it reads
    the object first (GET) and sends the ETag it got as If-Match. A request that names
    its own If-Match (``HTTP_IF_MATCH=...``) is sent as it is; so is one whose object the
    user cannot read (no ETag: the API answers 404 or 405 before it asks for one)."""

    def _if_match(self, path: str, extra: dict) -> dict:
        if "HTTP_IF_MATCH" in extra:
            return extra
        response = self.get(path, **{k: v for k, v in extra.items() if k.startswith("HTTP_")})
        tag = response.headers.get("ETag") if response.status_code == 200 else None
        return {**extra, "HTTP_IF_MATCH": tag} if tag else extra

    def put(self, path, data=None, format=None, content_type=None, follow=False, **extra):
        extra = self._if_match(path, extra)
        return super().put(path, data, format, content_type, follow, **extra)

    def patch(self, path, data=None, format=None, content_type=None, follow=False, **extra):
        extra = self._if_match(path, extra)
        return super().patch(path, data, format, content_type, follow, **extra)

    def delete(self, path, data=None, format=None, content_type=None, follow=False, **extra):
        extra = self._if_match(path, extra)
        return super().delete(path, data, format, content_type, follow, **extra)


@pytest.fixture
def api_client():
    """The API client class the tests use: `api_client()` is a VersionedAPIClient."""
    return VersionedAPIClient


@pytest.fixture(scope="module")
def world_options():
    """The API tests write plans and outcomes themselves (plan_world for those that read
    them): a world without plans."""
    return {"plans": False}


@pytest.fixture
def client_for(world):
    """An API client authenticated as one of the world's users (by name), or anonymous."""

    def make(name: str | None) -> APIClient:
        client = VersionedAPIClient()
        if name is not None:
            client.force_authenticate(getattr(world.users, name))
        return client

    return make


@pytest.fixture
def plan_world(world):
    """World plus Division Länssjukvård 1's draft plan 2022 with a goal tree, a placed
    indicator with its target, an activity, an assignment and an analysis; and its adopted
    plan 2021 (a goal and an activity with a report), whose items are followed up."""
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
    # The plan above is a draft, which nobody follows up: the follow-up (analyses of goals,
    # activity reports) is of the unit's adopted plan of 2021, as a region works.
    followed_plan = PlanFactory(
        unit=world.ls1,
        plan_model=model,
        code="ls1-2021",
        start_year=2021,
        end_year=2021,
        state="adopted",
        decision_body="Regionstyrelsen",
        decision_ref="RS 2020/88",
        decision_date=dt.date(2020, 11, 25),
    )
    followed_goal = GoalFactory(plan=followed_plan, level=1, name="Medarbetare")
    followed_activity = ActivityFactory(
        plan=followed_plan, owner_unit=world.ls1, name="Minska sjukfrånvaron"
    )
    report = ActivityReportFactory(
        activity=followed_activity, unit=world.ls1, period="2021-DÅ04", status="on_track"
    )
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
    world.followed_plan = followed_plan
    world.followed_goal = followed_goal
    world.followed_activity = followed_activity
    world.analysis = analysis
    return world
