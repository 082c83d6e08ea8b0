"""The API writes only through services: the planner form's rules hold in the API (an
activity's owner unit inside the planner's subtree), the units endpoint writes through
the organisation services, a direct save added to an API path is stopped by the write
guard, and a viewset cannot allow a write without a service."""

from __future__ import annotations

import pytest
from django.db import transaction

from styrkort.accounts.tokens import issue_token
from styrkort.api.base import ScopedViewSet
from styrkort.api.viewsets import ActivityViewSet, PlanViewSet
from styrkort.organisation.models import OrgUnit
from styrkort.planning.models import Activity, Plan
from styrkort.writes import DirectWriteError


def _row(activity):
    return Activity.objects.filter(pk=activity.pk).values().get()


@pytest.fixture
def planner_token(plan_world, api_client):
    """The planner of Division Länssjukvård 1 (demo user `planerare`) with an API token."""
    token, _row = issue_token(plan_world.users.planner)
    client = api_client()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_planner_cannot_give_an_activity_to_another_division(plan_world, planner_token):
    w = plan_world
    before = _row(w.activity)
    response = planner_token.patch(
        f"/api/activities/{w.activity.pk}/", {"owner_unit": w.ls2.pk}, format="json"
    )
    assert response.status_code == 403, response.content
    assert "Division Länssjukvård 2" in response.json()["detail"]
    assert _row(w.activity) == before
    assert w.activity.history.count() == 1


def test_planner_cannot_create_an_activity_owned_by_another_division(plan_world, planner_token):
    w = plan_world
    count = Activity.objects.count()
    response = planner_token.post(
        "/api/activities/",
        {"plan": w.plan.pk, "owner_unit": w.ls2.pk, "name": "Minskad inhyrning"},
        format="json",
    )
    assert response.status_code == 403, response.content
    assert "Division Länssjukvård 2" in response.json()["detail"]
    assert Activity.objects.count() == count


def test_planner_may_give_an_activity_to_a_unit_below(plan_world, planner_token):
    w = plan_world
    response = planner_token.patch(
        f"/api/activities/{w.activity.pk}/", {"owner_unit": w.im.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    w.activity.refresh_from_db()
    assert w.activity.owner_unit == w.im
    assert w.activity.history.first().history_user == w.users.planner


@pytest.mark.parametrize("method", ["patch", "post"])
def test_owner_outside_the_plans_unit_is_400_even_for_the_region_admin(
    plan_world, client_for, method
):
    """The region's administrator has the rights on both units, but an activity of
    LS1's plan cannot be owned by LS2: the service's subtree rule answers 400."""
    w = plan_world
    before, count = _row(w.activity), Activity.objects.count()
    client = client_for("admin")
    if method == "patch":
        response = client.patch(
            f"/api/activities/{w.activity.pk}/", {"owner_unit": w.ls2.pk}, format="json"
        )
    else:
        response = client.post(
            "/api/activities/",
            {"plan": w.plan.pk, "owner_unit": w.ls2.pk, "name": "Minskad inhyrning"},
            format="json",
        )
    assert response.status_code == 400, response.content
    message = response.json()["owner_unit"][0]
    assert "Division Länssjukvård 2 hör inte till Division Länssjukvård 1" in message
    assert _row(w.activity) == before
    assert Activity.objects.count() == count


def test_moving_an_activity_to_another_plan_is_400(plan_world, client_for):
    from factories import PlanFactory

    w = plan_world
    other = PlanFactory(
        unit=w.ls1, plan_model=w.plan_model, code="ls1-2023", start_year=2023, end_year=2023
    )
    before = _row(w.activity)
    response = client_for("planner").patch(
        f"/api/activities/{w.activity.pk}/", {"plan": other.pk}, format="json"
    )
    assert response.status_code == 400
    assert "plan" in response.json()
    assert _row(w.activity) == before


def test_units_endpoint_writes_through_the_services(world, client_for):
    client = client_for("admin")
    response = client.post(
        "/api/units/",
        {"parent": world.ls1.pk, "code": "NLL-LS1-ORT", "name": "VO Ortopedi", "type": "clinic"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["parent"] == world.ls1.pk and response.json()["depth"] == 3
    unit = OrgUnit.objects.get(code="NLL-LS1-ORT")
    response = client.patch(
        f"/api/units/{unit.pk}/", {"name": "VO Ortopedi Sunderby"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert OrgUnit.objects.get(pk=unit.pk).name == "VO Ortopedi Sunderby"
    response = client.patch(f"/api/units/{unit.pk}/", {"parent": world.ls2.pk}, format="json")
    assert response.status_code == 400 and "parent" in response.json()
    assert client.delete(f"/api/units/{unit.pk}/").status_code == 405


def test_a_direct_save_in_an_api_path_is_stopped_by_the_guard(plan_world, client_for, monkeypatch):
    """Were a viewset to save the model itself, the write guard raises and nothing is
    written."""

    def save_directly(self, serializer):
        plan = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(plan, name, value)
        plan.save()

    monkeypatch.setattr(PlanViewSet, "perform_update", save_directly)
    w = plan_world
    # A savepoint of its own: the failed statement leaves the test's transaction broken.
    with pytest.raises(DirectWriteError, match="planning_plan"), transaction.atomic():
        client_for("planner").patch(
            f"/api/plans/{w.plan.pk}/", {"decision_ref": "RS 2021/123"}, format="json"
        )
    assert Plan.objects.get(pk=w.plan.pk).decision_ref == ""


def test_a_direct_delete_in_an_api_path_is_stopped_by_the_guard(
    plan_world, client_for, monkeypatch
):
    def delete_directly(self, instance):
        instance.delete()

    monkeypatch.setattr(ActivityViewSet, "perform_destroy", delete_directly)
    w = plan_world
    with pytest.raises(DirectWriteError, match="planning_"), transaction.atomic():
        client_for("planner").delete(f"/api/activities/{w.activity.pk}/")
    assert Activity.objects.filter(pk=w.activity.pk).exists()


def test_a_viewset_allowing_writes_must_name_its_services():
    with pytest.raises(TypeError, match="perform_create"):

        class PlanWithoutService(ScopedViewSet):
            queryset = Plan.objects.all()

    class ReadOnlyPlans(ScopedViewSet):  # reads only: nothing to implement
        queryset = Plan.objects.all()
        http_method_names = ["get", "head", "options"]


def test_the_api_serializers_never_save(plan_world, client_for):
    from styrkort.api.serializers import PlanSerializer

    serializer = PlanSerializer(plan_world.plan, data={"decision_ref": "RS 2021/123"}, partial=True)
    serializer.context["request"] = None
    assert serializer.is_valid(), serializer.errors
    with pytest.raises(NotImplementedError):
        serializer.save()
