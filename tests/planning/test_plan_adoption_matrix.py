"""Who may adopt a draft plan (fastställa), through the service and the API: planners of
the plan's unit (or above) and administrators; a reporter, a reader and another region's
planner are refused, and a refusal changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied
from rest_framework.test import APIClient

from factories import PlanFactory
from styrkort.planning.models import Plan
from styrkort.planning.services import adopt_plan

pytestmark = pytest.mark.django_db

MAY = {"admin", "top_planner", "planner"}
PEOPLE = ("admin", "top_planner", "planner", "reporter", "reader", "other_planner")
DECISION = {"body": "Divisionsledningen", "date": "2022-12-15", "reference": "LS1 2022/114"}


@pytest.fixture
def draft(world):
    return PlanFactory(
        unit=world.ls1,
        plan_model=world.ls1.plans.first().plan_model,
        code="ls1-2023-utkast",
        start_year=2023,
        end_year=2023,
        state="draft",
    )


@pytest.fixture
def people(world, user_on):
    return {
        "admin": world.users.admin,
        "top_planner": user_on("planner", "NLL", "top_planner"),
        "planner": world.users.planner,
        "reporter": world.users.reporter,
        "reader": world.users.reader,
        "other_planner": user_on("planner", "SRS", "other_planner"),
    }


@pytest.mark.parametrize("who", PEOPLE)
def test_adopt_by_service(draft, people, who):
    user = people[who]
    if who in MAY:
        adopt_plan(user=user, plan=draft, **DECISION)
        draft.refresh_from_db()
        assert (draft.state, draft.decision_body, draft.decision_ref) == (
            "adopted",
            "Divisionsledningen",
            "LS1 2022/114",
        )
        assert draft.history.first().history_user == user
    else:
        with pytest.raises(PermissionDenied):
            adopt_plan(user=user, plan=draft, **DECISION)
        assert Plan.objects.get(pk=draft.pk).state == "draft"


@pytest.mark.parametrize("who", PEOPLE)
def test_adopt_by_api(draft, people, who):
    client = APIClient()
    client.force_authenticate(people[who])
    response = client.post(f"/api/plans/{draft.pk}/adopt/", DECISION, format="json")
    if who in MAY:
        assert response.status_code == 200, response.content
        assert Plan.objects.get(pk=draft.pk).state == "adopted"
    else:
        # Drafts are hidden from those who may not plan the unit (404); a planner
        # elsewhere in the organisation would get 403.
        assert response.status_code in (403, 404), response.content
        assert Plan.objects.get(pk=draft.pk).state == "draft"


def test_adopt_with_values_of_the_wrong_type_is_a_400(draft, people):
    client = APIClient()
    client.force_authenticate(people["planner"])
    response = client.post(
        f"/api/plans/{draft.pk}/adopt/",
        {"body": "0", "date": "2000-01-01", "reference": [None, None]},
        format="json",
    )
    assert response.status_code == 400
    assert "reference" in response.json()
    assert Plan.objects.get(pk=draft.pk).state == "draft"
