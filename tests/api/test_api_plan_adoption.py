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


DRAFT_CONTENT = [
    ("plans", lambda w: w.plan),
    ("goals", lambda w: w.goals[1]),
    ("plan-indicators", lambda w: w.placement),
    ("targets", lambda w: w.target),
    ("activities", lambda w: w.activity),
    ("assignments", lambda w: w.assignment),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("endpoint", "get"), DRAFT_CONTENT)
def test_a_draft_and_its_content_are_read_by_its_planners_only(
    plan_world, client_for, endpoint, get
):
    """As on the plan page: readers and reporters of the unit neither list a draft's
    objects nor read one by its id (404); its planners and admins do; once adopted,
    everyone who may view the unit does. A write by a reporter is refused (403)."""
    obj = get(plan_world)
    url = f"/api/{endpoint}/{obj.pk}/"
    for role in ("reader", "reporter", "reporter_ls2"):
        client = client_for(role)
        listed = [o["id"] for o in client.get(f"/api/{endpoint}/?limit=1000").json()["results"]]
        assert obj.pk not in listed, role
        assert client.get(url).status_code == 404, role
        assert client.patch(url, {}, format="json").status_code == 403, role
    for role in ("planner", "admin"):
        client = client_for(role)
        listed = [o["id"] for o in client.get(f"/api/{endpoint}/?limit=1000").json()["results"]]
        assert obj.pk in listed, role
        assert client.get(url).status_code == 200, role
    client_for("planner").post(f"/api/plans/{plan_world.plan.pk}/adopt/", ADOPTION, format="json")
    assert client_for("reader").get(url).status_code == 200


@pytest.mark.django_db
def test_a_draft_is_not_followed_up(plan_world, client_for):
    """An activity report or a goal analysis on a draft plan's item is refused with a
    message naming the plan; the adopted plan's items are followed up."""
    reporter = client_for("reporter")
    report = {"unit": plan_world.ls1.pk, "period": "2022-DÅ08", "status": "delayed"}
    refused = reporter.post(
        "/api/activity-reports/", {**report, "activity": plan_world.activity.pk}, format="json"
    )
    assert refused.status_code == 400, refused.content
    assert refused.json()["activity"] == [
        f"Aktiviteten ”Utveckla den palliativa vården” hör till planen ”{plan_world.plan.name}”, "
        "som är ett utkast; den följs upp först när planen är fastställd."
    ]
    analysis = {"unit": plan_world.ls1.pk, "period": "2022-DÅ04", "text": "Bra."}
    refused = reporter.post(
        "/api/analyses/", {**analysis, "goal": plan_world.goals[0].pk}, format="json"
    )
    assert refused.status_code == 400, refused.content
    assert "Målet ”Medborgare” hör till planen" in refused.json()["goal"][0]
    followed = reporter.post(
        "/api/activity-reports/",
        {**report, "period": "2021-DÅ08", "activity": plan_world.followed_activity.pk},
        format="json",
    )
    assert followed.status_code == 201, followed.content
