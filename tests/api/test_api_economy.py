"""Economy API per role: lines need "admin", actual amounts "report", budgets, frames and
investments "plan" on the unit; reads limited to the organisation."""

from decimal import Decimal as D

import pytest

from styrkort.accounts.models import Role
from styrkort.economy.models import Amount, LedgerLine
from styrkort.organisation.models import OrgUnit
from worlds import ECONOMY_FILES

pytestmark = pytest.mark.django_db

DEMO_FILES = ECONOMY_FILES


@pytest.fixture
def api(user_on, api_client):
    def make(role=None, where=None):
        client = api_client()
        if role is not None:
            client.force_authenticate(user_on(role, where))
        return client

    return make


def ids():
    pv = OrgUnit.objects.get(code="SRS-PV")
    pers = LedgerLine.objects.get(code="SRS-RR-KOST-PERS")
    total = LedgerLine.objects.get(code="SRS-RR-KOST")
    return pv, pers, total


def test_amounts_visible_to_the_organisation_only(demo, api):
    data = api(Role.READER, "SRS").get("/api/amounts/", {"unit_code": "SRS-PV", "limit": 200})
    assert data.json()["count"] == 84
    budget = (
        api(Role.READER, "SRS")
        .get("/api/amounts/", {"unit_code": "SRS-PV", "year": 2024, "kind": "budget", "limit": 50})
        .json()["results"]
    )
    assert sum(D(a["value"]) for a in budget) == D("-3000")
    assert api(Role.READER, "NLL").get("/api/amounts/").json()["count"] == 0
    assert api().get("/api/amounts/").status_code == 401


@pytest.mark.parametrize(
    ("role", "where", "kind", "status"),
    [
        (Role.PLANNER, "SRS-PV", "budget", 201),
        (Role.REPORTER, "SRS-PV", "actual", 201),
        (Role.REPORTER, "SRS-PV", "budget", 403),
        (Role.READER, "SRS", "actual", 403),
        (Role.PLANNER, "SRS-PRD", "budget", 403),
    ],
)
def test_amount_write_by_role(demo, api, role, where, kind, status):
    pv, pers, _total = ids()
    response = api(role, where).post(
        "/api/amounts/",
        {
            "line": pers.pk,
            "unit": pv.pk,
            "year": 2025,
            "kind": kind,
            "month": 1,
            "value": "-66858.5",
        },
        format="json",
    )
    assert response.status_code == status, response.content
    stored = Amount.objects.filter(unit=pv, year=2025, month=1)
    if status == 201:
        assert stored.get().value == D("-66858.5")
    else:
        assert not stored.exists()


def test_amount_on_a_sum_line_is_400(demo, api):
    pv, _pers, total = ids()
    response = api(Role.PLANNER, "SRS-PV").post(
        "/api/amounts/",
        {"line": total.pk, "unit": pv.pk, "year": 2025, "kind": "budget", "value": "-1073400"},
        format="json",
    )
    assert response.status_code == 400
    assert "summarad" in str(response.json()), response.json()


def test_amount_update_keeps_the_key(demo, api):
    amount = Amount.objects.get(line__code="SRS-RR-KOST-PERS", year=2024, kind="budget")
    client = api(Role.PLANNER, "SRS-PV")
    response = client.patch(f"/api/amounts/{amount.pk}/", {"value": "-810000"}, format="json")
    assert response.status_code == 200, response.content
    amount.refresh_from_db()
    assert amount.value == D("-810000")
    assert (
        client.patch(f"/api/amounts/{amount.pk}/", {"year": 2020}, format="json").status_code == 400
    )


def test_ledger_lines_need_admin(demo, api):
    org = OrgUnit.objects.get(code="SRS").organisation
    body = {"organisation": org.pk, "code": "SRS-RR-EXTRA", "name": "Extraordinära poster"}
    assert (
        api(Role.PLANNER, "SRS").post("/api/ledger-lines/", body, format="json").status_code == 403
    )
    assert not LedgerLine.objects.filter(code="SRS-RR-EXTRA").exists()
    response = api(Role.ADMIN, "SRS").post("/api/ledger-lines/", body, format="json")
    assert response.status_code == 201, response.content


def test_frames_with_computed_total(demo, api):
    data = api(Role.READER, "NLL").get("/api/frames/", {"unit_code": "NLL", "year": 2022}).json()
    frame = next(f for f in data["results"] if f["code"] == "NLL-RS-RAM-2022")
    assert D(frame["total"]) == D("8712100")
    assert len(frame["changes"]) == 8
    unit = OrgUnit.objects.get(code="NLL")
    body = {
        "unit": unit.pk,
        "year": 2025,
        "code": "NLL-RS-RAM-2025",
        "name": "Ram 2025",
        "base_amount": "9201500",
        "changes": [{"name": "Prisuppräkning", "category": "price_index", "amount": "200000"}],
    }
    assert api(Role.REPORTER, "NLL").post("/api/frames/", body, format="json").status_code == 403
    created = api(Role.PLANNER, "NLL").post("/api/frames/", body, format="json")
    assert created.status_code == 201, created.content
    assert D(created.json()["total"]) == D("9401500")


def test_investments_split(demo, api):
    data = api(Role.READER, "SRS").get("/api/investments/", {"year": 2024}).json()
    assert data["count"] == 3
    assert sum(D(i["amount"]) for i in data["results"]) == D("560")
    assert not any(i["over_threshold"] for i in data["results"])
    pv = OrgUnit.objects.get(code="SRS-PV")
    big = {"unit": pv.pk, "year": 2024, "name": "Ny vårdcentral", "amount": "12000"}
    assert (
        api(Role.REPORTER, "SRS-PV").post("/api/investments/", big, format="json").status_code
        == 403
    )
    created = api(Role.PLANNER, "SRS-PV").post("/api/investments/", big, format="json")
    assert created.status_code == 201 and created.json()["over_threshold"] is True
    frames = api(Role.READER, "NLL").get("/api/investment-frames/", {"year": 2022}).json()
    assert sum(D(f["amount"]) for f in frames["results"]) == D("245000")
