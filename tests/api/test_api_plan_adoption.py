"""Adopting a plan through the API (POST /api/plans/{id}/adopt/), the decision fields in
the plan's representation, drafts hidden from readers, and the reason a change of an
adopted plan needs (the field `reason`, or `?reason=`)."""

import pytest

from styrkort.planning.models import Goal, PlanRevision

ADOPTION = {"body": "Regionstyrelsen", "date": "2021-11-24", "reference": "RS 2021/1403 § 220"}


@pytest.mark.django_db
def test_planner_adopts_reporter_is_refused(plan_world, client_for):
    url = f"/api/plans/{plan_world.plan.pk}/adopt/"
    response = client_for("reporter").post(url, ADOPTION, format="json")
    assert response.status_code == 403
    plan_world.plan.refresh_from_db()
    assert plan_world.plan.state == "draft"

    response = client_for("planner").post(url, {"body": "Regionstyrelsen"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) >= {"date", "reference"}
    assert response.json()["date"] == ["Ange beslutsdatum."]

    response = client_for("planner").post(url, ADOPTION, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["state"], body["decision_body"], body["decision_date"], body["decision_ref"]) == (
        "adopted",
        "Regionstyrelsen",
        "2021-11-24",
        "RS 2021/1403 § 220",
    )


@pytest.mark.django_db
def test_reader_sees_no_draft(plan_world, client_for):
    ids = [p["id"] for p in client_for("reader").get("/api/plans/").json()["results"]]
    assert plan_world.plan.pk not in ids
    ids = [p["id"] for p in client_for("planner").get("/api/plans/").json()["results"]]
    assert plan_world.plan.pk in ids
    client_for("planner").post(f"/api/plans/{plan_world.plan.pk}/adopt/", ADOPTION, format="json")
    ids = [p["id"] for p in client_for("reader").get("/api/plans/").json()["results"]]
    assert plan_world.plan.pk in ids


@pytest.mark.django_db
def test_change_of_adopted_plan_needs_reason(plan_world, client_for):
    planner = client_for("planner")
    planner.post(f"/api/plans/{plan_world.plan.pk}/adopt/", ADOPTION, format="json")
    new_goal = {"plan": plan_world.plan.pk, "name": "Jämlik vård"}
    response = planner.post("/api/goals/", new_goal, format="json")
    assert response.status_code == 400
    assert "fastställd" in response.json()["reason"][0]
    assert not Goal.objects.filter(name="Jämlik vård").exists()

    response = planner.post(
        "/api/goals/", {**new_goal, "reason": "Nytt mål efter fullmäktiges beslut"}, format="json"
    )
    assert response.status_code == 201, response.content
    revision = PlanRevision.objects.get(plan=plan_world.plan)
    assert revision.reason == "Nytt mål efter fullmäktiges beslut"
    assert revision.user == plan_world.users.planner
