"""Roles through the API: every write path refused or allowed by the one permission
function, reads limited to the user's organisations.

Users: admin (region), planner / reporter / reader (Division Länssjukvård 1),
reporter_ls2 (Division Länssjukvård 2, outside LS1's subtree), outsider (reader in
another region), and no user at all.
"""

from __future__ import annotations

import pytest

from styrkort.followup.models import Analysis, Outcome
from styrkort.planning.models import (
    Activity,
    ActivityReport,
    Goal,
    Indicator,
    Plan,
    PlanIndicator,
    Target,
)

ROLES = ["admin", "planner", "reporter", "reader", "reporter_ls2", "outsider", None]

# Expected status of a write on Division Länssjukvård 1's data, per kind of right.
EXPECTED = {
    "plan": {"admin": 2, "planner": 2, "reporter": 403, "reader": 403, "reporter_ls2": 403},
    "report": {"admin": 2, "planner": 2, "reporter": 2, "reader": 403, "reporter_ls2": 403},
    "admin": {"admin": 2, "planner": 403, "reporter": 403, "reader": 403, "reporter_ls2": 403},
    "organisation": {
        "admin": 2,
        "planner": 403,
        "reporter": 403,
        "reader": 403,
        "reporter_ls2": 403,
    },
}


def expected_status(right: str, role: str | None, method: str) -> set[int]:
    if role is None:
        return {401}
    if role == "outsider":
        # Objects of another organisation are invisible: unknown reference or no object.
        return {400, 404}
    code = EXPECTED[right][role]
    if code == 2:
        return {200, 201, 204}
    return {code}


def creations(w):
    """(endpoint, right, payload) for creating one object of each kind in LS1."""
    return [
        (
            "plans",
            "plan",
            {
                "code": "ls1-2023",
                "name": "Verksamhetsplan 2023",
                "unit": w.ls1.pk,
                "plan_model": w.plan_model.pk,
                "start_year": 2023,
                "end_year": 2023,
            },
        ),
        ("goals", "plan", {"plan": w.plan.pk, "name": "Verksamhet"}),
        (
            "plan-indicators",
            "plan",
            {"goal": w.goals[1].pk, "indicator": w.readmit.pk, "baseline_text": "17,9 %"},
        ),
        (
            "targets",
            "plan",
            {"placement": w.placement.pk, "year": 2022, "text": "minst 75 %", "unit": w.im.pk},
        ),
        (
            "activities",
            "plan",
            {
                "plan": w.plan.pk,
                "owner_unit": w.ls1.pk,
                "name": "Minskad inhyrning",
                "goals": [w.goals[1].pk],
            },
        ),
        (
            "assignments",
            "plan",
            {
                "plan": w.plan.pk,
                "owner_unit": w.ls1.pk,
                "name": "Utred vårdplatser",
                "issued_by": "Regionfullmäktige",
            },
        ),
        (
            "outcomes",
            "report",
            {"indicator": w.visits.pk, "unit": w.im.pk, "period": "2022-DA04", "value": 31180},
        ),
        (
            "analyses",
            "report",
            {"unit": w.ls1.pk, "goal": w.followed_goal.pk, "period": "2021-DÅ04", "text": "Bra."},
        ),
        (
            "activity-reports",
            "report",
            {
                "activity": w.followed_activity.pk,
                "unit": w.ls1.pk,
                "period": "2021-DÅ08",
                "status": "delayed",
                "comment": "Försenad.",
            },
        ),
        (
            "units",
            "admin",
            {
                "parent": w.ls1.pk,
                "code": "NLL-LS1-ORT",
                "name": "VO Ortopedi",
                "type": "business_area",
            },
        ),
        (
            "indicators",
            "organisation",
            {"organisation": w.org.pk, "code": "ny-indikator", "name": "Ny", "unit": "st"},
        ),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_create_per_role(plan_world, client_for, role):
    client = client_for(role)
    for endpoint, right, payload in creations(plan_world):
        response = client.post(f"/api/{endpoint}/", payload, format="json")
        allowed = expected_status(right, role, "POST")
        assert response.status_code in allowed, (endpoint, response.status_code, response.json())
        if response.status_code == 403:
            assert "behörighet" in response.json()["detail"]


def objects(w):
    """(endpoint, right, object, patch) for changing and deleting existing LS1 objects."""
    return [
        ("plans", "plan", w.plan, {"decision_ref": "RS 2021/123"}),
        ("goals", "plan", w.goals[1], {"description": "Patientsäkerhet."}),
        ("plan-indicators", "plan", w.placement, {"baseline_text": "75 %"}),
        ("targets", "plan", w.target, {"text": "minst 70 %"}),
        ("activities", "plan", w.activity, {"status": "delayed"}),
        ("assignments", "plan", w.assignment, {"responsible": "Divisionschef"}),
        (
            "outcomes",
            "report",
            Outcome.objects.filter(unit=w.ls1).first(),
            {"note": "Kontrollerat."},
        ),
        ("analyses", "report", w.analysis, {"text": "Nytt genomsnitt."}),
        ("activity-reports", "report", w.report, {"comment": "Utbildningar hålls i maj."}),
        ("units", "admin", w.nc, {"short_name": "NC"}),
        ("indicators", "organisation", w.visits, {"definition": "Antal läkarbesök."}),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_update_per_role(plan_world, client_for, role):
    client = client_for(role)
    for endpoint, right, obj, patch in objects(plan_world):
        response = client.patch(f"/api/{endpoint}/{obj.pk}/", patch, format="json")
        allowed = expected_status(right, role, "PATCH")
        if role == "outsider":
            allowed = {404}
        assert response.status_code in allowed, (endpoint, response.status_code, response.json())
        if response.status_code == 200:
            field, value = next(iter(patch.items()))
            assert response.json()[field] == value


DELETABLE = [
    ("outcomes", "report", lambda w: Outcome.objects.filter(unit=w.ls1).first(), Outcome),
    ("analyses", "report", lambda w: w.analysis, Analysis),
    ("activity-reports", "report", lambda w: w.report, ActivityReport),
    ("targets", "plan", lambda w: w.target, Target),
    ("plan-indicators", "plan", lambda w: w.placement, PlanIndicator),
    ("activities", "plan", lambda w: w.activity, Activity),
    ("assignments", "plan", lambda w: w.assignment, Activity),
    ("indicators", "organisation", lambda w: w.visits, Indicator),
    ("goals", "plan", lambda w: w.goals[1], Goal),
    ("plans", "plan", lambda w: w.plan, Plan),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("endpoint", "right", "get", "model"), DELETABLE)
def test_delete_per_role(plan_world, client_for, role, endpoint, right, get, model):
    obj = get(plan_world)
    response = client_for(role).delete(f"/api/{endpoint}/{obj.pk}/")
    allowed = {404} if role == "outsider" else expected_status(right, role, "DELETE")
    assert response.status_code in allowed, response.content
    assert model.objects.filter(pk=obj.pk).exists() == (response.status_code != 204)


ENDPOINTS = [
    "units",
    "plans",
    "goals",
    "indicators",
    "plan-indicators",
    "targets",
    "outcomes",
    "analyses",
    "activities",
    "assignments",
    "activity-reports",
]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_reading_is_limited_to_the_users_organisations(plan_world, client_for, endpoint):
    assert client_for(None).get(f"/api/{endpoint}/").status_code == 401
    # plan_world's plan 2022 is a draft: it and its content are read by its planners only
    # (test_api_plan_adoption.py); the reader sees the adopted plan 2021, its goal and its
    # activity (it has no placements, targets or assignments).
    draft_only = endpoint in ("plan-indicators", "targets", "assignments")
    inside = client_for("planner" if draft_only else "reader").get(f"/api/{endpoint}/")
    assert inside.status_code == 200
    assert inside.json()["count"] > 0
    outside = client_for("outsider").get(f"/api/{endpoint}/").json()
    if endpoint == "units":
        assert [u["code"] for u in outside["results"]] == ["SRS"]
    elif endpoint == "indicators":
        assert [i["code"] for i in outside["results"]] == ["srs-besok"]
    else:
        assert outside["count"] == 0


def test_a_reader_may_read_the_whole_organisation(plan_world, client_for):
    codes = [u["code"] for u in client_for("reader").get("/api/units/").json()["results"]]
    assert codes == [
        "NLL",
        "NLL-LS1",
        "NLL-LS1-IM",
        "NLL-LS1-NC",
        "NLL-LS2",
        "NLL-PV",
        "NLL-PV-GAL",
    ]


def test_reference_to_another_organisations_object_is_not_found(plan_world, client_for):
    response = client_for("admin").post(
        "/api/outcomes/",
        {
            "indicator": plan_world.other_indicator.pk,
            "unit": plan_world.ls1.pk,
            "period": "2022",
            "value": 1,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "indicator" in response.json()
