"""Risk API per role: reads limited to the organisation, writes need "plan" (risks,
controls) or "report" (control results) on the unit's subtree; nothing written on 403."""

import pytest

from styrkort.accounts.models import Role
from styrkort.organisation.models import OrgUnit
from styrkort.risk.models import Control, ControlResult, Risk
from worlds import RISK_FILES

pytestmark = pytest.mark.django_db

DEMO_FILES = RISK_FILES


@pytest.fixture
def api(user_on, api_client):
    def make(role=None, where=None):
        client = api_client()
        if role is not None:
            client.force_authenticate(user_on(role, where))
        return client

    return make


def pv_id():
    return OrgUnit.objects.get(code="SRS-PV").pk


def test_list_and_levels(demo, api):
    data = api(Role.READER, "SRS").get("/api/risks/", {"unit_code": "SRS-PV", "year": 2024}).json()
    assert data["count"] == 5
    assert sorted(r["level"] for r in data["results"]) == ["Hög", "Låg", "Medel", "Medel", "Medel"]
    nll = api(Role.READER, "NLL").get("/api/risks/", {"unit_code": "NLL", "year": 2022}).json()
    nr3 = next(r for r in nll["results"] if r["number"] == "3")
    assert (nr3["probability"], nr3["consequence"], nr3["value"]) == (4, 3, 12)
    assert (nr3["probability_derived"], nr3["level"], nr3["requires_action"]) == (
        True,
        "Åtgärd krävs",
        True,
    )
    assert sum(r["requires_action"] for r in nll["results"]) == 8


def test_other_organisation_sees_nothing(demo, api):
    client = api(Role.ADMIN, "NLL")
    assert client.get("/api/risks/", {"unit_code": "SRS-PV"}).json()["count"] == 0
    risk = Risk.objects.filter(unit__code="SRS-PV").first()
    assert client.get(f"/api/risks/{risk.pk}/").status_code == 404


def test_anonymous_is_401(demo, api):
    assert api().get("/api/risks/").status_code == 401


@pytest.mark.parametrize(
    ("role", "where", "status"),
    [
        (Role.PLANNER, "SRS-PV", 201),
        (Role.ADMIN, "SRS", 201),
        (Role.REPORTER, "SRS-PV", 403),
        (Role.READER, "SRS-PV", 403),
        (Role.PLANNER, "SRS-PRD", 403),
        (Role.PLANNER, "SRS-PV-VC-CITY", 403),
    ],
)
def test_create_by_role(demo, api, role, where, status):
    before = Risk.objects.count()
    response = api(role, where).post(
        "/api/risks/",
        {
            "unit": pv_id(),
            "year": 2024,
            "title": "Brist på distriktssköterskor",
            "probability": 3,
            "consequence": 3,
        },
        format="json",
    )
    assert response.status_code == status, response.content
    if status == 201:
        body = response.json()
        assert (body["value"], body["level"], body["requires_action"]) == (9, "Hög", True)
        assert Risk.objects.count() == before + 1
    else:
        assert "behörighet" in response.json()["detail"]
        assert Risk.objects.count() == before


def test_bad_figures_are_400_in_swedish(demo, api):
    client = api(Role.PLANNER, "SRS-PV")
    bad = client.post(
        "/api/risks/",
        {"unit": pv_id(), "year": 2024, "title": "X", "probability": 5, "consequence": 2},
        format="json",
    )
    assert bad.status_code == 400 and "probability" in bad.json()
    wrong = client.post(
        "/api/risks/",
        {
            "unit": pv_id(),
            "year": 2024,
            "title": "X",
            "probability": 2,
            "consequence": 2,
            "value": 9,
        },
        format="json",
    )
    assert wrong.status_code == 400
    assert "stämmer inte" in str(wrong.json())
    missing = client.post(
        "/api/risks/", {"unit": pv_id(), "year": 2024, "title": "X"}, format="json"
    )
    assert missing.status_code == 400


def test_patch_and_delete(demo, api):
    risk = Risk.objects.get(unit__code="NLL", year=2022, number="3")
    planner = api(Role.PLANNER, "NLL")
    response = planner.patch(f"/api/risks/{risk.pk}/", {"probability": 2}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["value"], response.json()["level"]) == (6, "Ingen särskild åtgärd")
    assert api(Role.REPORTER, "NLL").delete(f"/api/risks/{risk.pk}/").status_code == 403
    assert Risk.objects.filter(pk=risk.pk).exists()
    moved = planner.patch(f"/api/risks/{risk.pk}/", {"year": 2023}, format="json")
    assert moved.status_code == 400


@pytest.mark.parametrize(("role", "status"), [(Role.PLANNER, 201), (Role.REPORTER, 403)])
def test_controls_need_plan(demo, api, role, status):
    risk = Risk.objects.get(unit__code="SRS-PV", year=2024, number="2")
    before = Control.objects.count()
    response = api(role, "SRS-PV").post(
        "/api/controls/",
        {"risk": risk.pk, "method": "Stickprov av väntetider", "frequency": "tertial"},
        format="json",
    )
    assert response.status_code == status
    assert Control.objects.count() == before + (1 if status == 201 else 0)


@pytest.mark.parametrize(("role", "status"), [(Role.REPORTER, 201), (Role.READER, 403)])
def test_control_results_need_report(demo, api, role, status):
    control = Control.objects.filter(risk__unit__code="SRS-PV").first()
    client = api(role, "SRS-PV")
    response = client.post(
        "/api/control-results/",
        {"control": control.pk, "period": "2024-DA08", "outcome": "ok"},
        format="json",
    )
    assert response.status_code == status
    if status == 201:
        assert response.json()["period"] == "2024-DÅ08"
        empty = client.post(
            "/api/control-results/",
            {"control": control.pk, "period": "2024", "outcome": "deviation"},
            format="json",
        )
        assert empty.status_code == 400 and "Beskriv avvikelsen." in str(empty.json())
        listed = client.get("/api/control-results/", {"period": "2024-DA08"}).json()
        assert listed["count"] == 1
    else:
        assert not ControlResult.objects.exists()
