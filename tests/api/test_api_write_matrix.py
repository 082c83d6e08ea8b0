"""Every API write endpoint (api/urls.py and the risk and economy routers) × role (admin,
planner, reporter, reader, auditor: refused everywhere) × the role's unit inside or
outside the object's subtree × create, update and delete: allowed exactly when the one
permission function allows it, and a refusal changes nothing.

The objects live in Division Länssjukvård 1 (NLL-LS1); "inside" is a role on NLL-LS1 (on
Region Norrbotten for organisation-wide objects: indicators, income-statement lines),
"outside" a role on the sibling Division Länssjukvård 2 (NLL-LS2).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal as D

import pytest

from factories import IndicatorFactory, RoleAssignmentFactory, UserFactory
from styrkort.accounts.models import Role
from styrkort.economy.models import (
    Amount,
    Frame,
    FrameChange,
    Investment,
    InvestmentFrame,
    LedgerLine,
)
from styrkort.followup.models import Analysis, Outcome
from styrkort.organisation.models import OrgUnit
from styrkort.organisation.permissions import ROLE_ACTIONS, Action
from styrkort.planning.models import (
    Activity,
    ActivityReport,
    Goal,
    Indicator,
    Plan,
    PlanIndicator,
    Target,
)
from styrkort.risk.models import Control, ControlResult, Risk

ROLES = [Role.ADMIN, Role.PLANNER, Role.REPORTER, Role.READER, Role.AUDITOR]


@dataclass
class Endpoint:
    """One write endpoint: the right it needs, where that right must be held, and how to
    create, change and delete one of its objects in the world."""

    path: str
    model: type
    action: Action
    create: callable
    update: callable
    delete: callable | None = None  # None: DELETE is not offered (405)
    organisation_wide: bool = False


@pytest.fixture
def matrix_world(plan_world):
    """plan_world plus a risk with a control and a result, income-statement lines with
    an actual and a budget amount, a frame, an investment and an investment frame, all
    in Division Länssjukvård 1 (seed 004's and 003's figures)."""
    w = plan_world
    w.spare_indicator = IndicatorFactory(
        organisation=w.org, code="vantetid-forsta-besok", name="Väntetid första besök"
    )
    w.risk = Risk.objects.create(
        unit=w.ls1,
        year=2022,
        number="1",
        title="Attraktiva livsmiljöer finns i hela Norrbotten",
        consequence=3,
        value=6,
        probability=2,
        probability_derived=True,
    )
    w.control = Control.objects.create(
        risk=w.risk, method="Kontaktnät och dialog", owner="Divisionschef", frequency=""
    )
    w.result = ControlResult(control=w.control, outcome="ok")
    w.result.set_period("2022-DÅ08")
    w.result.save()
    w.result_line = LedgerLine.objects.create(
        organisation=w.org, code="NLL-RR", name="Årets resultat", order=1
    )
    w.staff_line = LedgerLine.objects.create(
        organisation=w.org,
        code="NLL-RR-KOST-PERS",
        name="Personalkostnader",
        parent=w.result_line,
        order=2,
    )
    w.other_line = LedgerLine.objects.create(
        organisation=w.org,
        code="NLL-RR-KOST-OVR",
        name="Övriga kostnader",
        parent=w.result_line,
        order=3,
    )
    w.actual = Amount.objects.create(
        line=w.staff_line, unit=w.ls1, year=2024, kind="actual", month=3, value=D("-66858.5")
    )
    w.budget = Amount.objects.create(
        line=w.staff_line, unit=w.ls1, year=2024, kind="budget", value=D("-802300")
    )
    w.frame = Frame.objects.create(
        unit=w.ls1,
        year=2022,
        code="NLL-LS1-RAM-2022",
        name="Ram 2022",
        base_amount=D("8406500"),
    )
    FrameChange.objects.create(
        frame=w.frame, name="Prisuppräkning", category="price_index", amount=D("300200")
    )
    w.investment = Investment.objects.create(
        unit=w.ls1, year=2024, name="Ultraljud", amount=D("560")
    )
    w.investment_frame = InvestmentFrame.objects.create(
        unit=w.ls1,
        year=2022,
        decision_level="Regiondirektör",
        category="Akutram",
        amount=D("10600"),
    )
    return w


ENDPOINTS = [
    Endpoint(
        "units",
        OrgUnit,
        Action.ADMIN,
        lambda w: {
            "parent": w.ls1.pk,
            "code": "NLL-LS1-ORT",
            "name": "VO Ortopedi",
            "type": "business_area",
        },
        lambda w: (w.nc, {"short_name": "NC", "valid_to": "2024-12-31"}),
    ),
    Endpoint(
        "plans",
        Plan,
        Action.PLAN,
        lambda w: {
            "code": "ls1-2023",
            "name": "Verksamhetsplan 2023",
            "unit": w.ls1.pk,
            "plan_model": w.plan_model.pk,
            "start_year": 2023,
            "end_year": 2023,
        },
        lambda w: (w.plan, {"decision_ref": "RS 2021/123"}),
        lambda w: w.plan,
    ),
    Endpoint(
        "goals",
        Goal,
        Action.PLAN,
        lambda w: {"plan": w.plan.pk, "name": "Verksamhet"},
        lambda w: (w.goals[1], {"description": "Patientsäkerhet."}),
        lambda w: w.goals[1],
    ),
    Endpoint(
        "indicators",
        Indicator,
        Action.PLAN,
        lambda w: {"organisation": w.org.pk, "code": "ny-indikator", "name": "Ny", "unit": "st"},
        lambda w: (w.visits, {"definition": "Antal läkarbesök."}),
        lambda w: w.spare_indicator,
        organisation_wide=True,
    ),
    Endpoint(
        "plan-indicators",
        PlanIndicator,
        Action.PLAN,
        lambda w: {"goal": w.goals[1].pk, "indicator": w.readmit.pk, "baseline_text": "17,9 %"},
        lambda w: (w.placement, {"baseline_text": "75 %"}),
        lambda w: w.placement,
    ),
    Endpoint(
        "targets",
        Target,
        Action.PLAN,
        lambda w: {
            "placement": w.placement.pk,
            "year": 2022,
            "text": "minst 75 %",
            "unit": w.im.pk,
        },
        lambda w: (w.target, {"text": "minst 70 %"}),
        lambda w: w.target,
    ),
    Endpoint(
        "outcomes",
        Outcome,
        Action.REPORT,
        lambda w: {
            "indicator": w.visits.pk,
            "unit": w.im.pk,
            "period": "2022-DA04",
            "value": 31180,
        },
        lambda w: (Outcome.objects.filter(unit=w.ls1).first(), {"note": "Kontrollerat."}),
        lambda w: Outcome.objects.filter(unit=w.ls1).first(),
    ),
    Endpoint(
        "analyses",
        Analysis,
        Action.REPORT,
        lambda w: {
            "unit": w.ls1.pk,
            "goal": w.followed_goal.pk,
            "period": "2021-DÅ04",
            "text": "Bra.",
        },
        lambda w: (w.analysis, {"text": "Nytt genomsnitt."}),
        lambda w: w.analysis,
    ),
    Endpoint(
        "activities",
        Activity,
        Action.PLAN,
        lambda w: {
            "plan": w.plan.pk,
            "owner_unit": w.ls1.pk,
            "name": "Minskad inhyrning",
            "goals": [w.goals[1].pk],
        },
        lambda w: (w.activity, {"status": "delayed"}),
        lambda w: w.activity,
    ),
    Endpoint(
        "assignments",
        Activity,
        Action.PLAN,
        lambda w: {
            "plan": w.plan.pk,
            "owner_unit": w.ls1.pk,
            "name": "Utred vårdplatser",
            "issued_by": "Regionfullmäktige",
        },
        lambda w: (w.assignment, {"responsible": "Divisionschef"}),
        lambda w: w.assignment,
    ),
    Endpoint(
        "activity-reports",
        ActivityReport,
        Action.REPORT,
        lambda w: {
            "activity": w.followed_activity.pk,
            "unit": w.ls1.pk,
            "period": "2021-DÅ08",
            "status": "delayed",
            "comment": "Försenad.",
        },
        lambda w: (w.report, {"comment": "Utbildningar hålls i maj."}),
        lambda w: w.report,
    ),
    Endpoint(
        "risks",
        Risk,
        Action.PLAN,
        lambda w: {
            "unit": w.ls1.pk,
            "year": 2022,
            "title": "Beslut på nationell och EU nivå ska vara gynnsamma för länet",
            "consequence": 3,
            "value": 6,
        },
        lambda w: (w.risk, {"actions": "Servicepunkter och samverkan."}),
        lambda w: w.risk,
    ),
    Endpoint(
        "controls",
        Control,
        Action.PLAN,
        lambda w: {"risk": w.risk.pk, "method": "Uppföljning i ledningsgruppen"},
        lambda w: (w.control, {"owner": "Ekonomichef"}),
        lambda w: w.control,
    ),
    Endpoint(
        "control-results",
        ControlResult,
        Action.REPORT,
        lambda w: {"control": w.control.pk, "period": "2022-DÅ04", "outcome": "ok"},
        lambda w: (w.result, {"comment": "Genomförd i september."}),
        lambda w: w.result,
    ),
    Endpoint(
        "ledger-lines",
        LedgerLine,
        Action.ADMIN,
        lambda w: {"organisation": w.org.pk, "code": "NLL-RR-EXTRA", "name": "Extraordinära"},
        lambda w: (w.staff_line, {"name": "Personalkostnader inkl. inhyrd personal"}),
        lambda w: w.other_line,
        organisation_wide=True,
    ),
    Endpoint(
        "amounts",
        Amount,
        Action.REPORT,
        lambda w: {
            "line": w.staff_line.pk,
            "unit": w.ls1.pk,
            "year": 2024,
            "kind": "actual",
            "month": 4,
            "value": "-67012.4",
        },
        lambda w: (w.actual, {"value": "-66900.000"}),
        lambda w: w.actual,
    ),
    Endpoint(
        "amounts",
        Amount,
        Action.PLAN,
        lambda w: {
            "line": w.staff_line.pk,
            "unit": w.ls1.pk,
            "year": 2025,
            "kind": "budget",
            "value": "-810000",
        },
        lambda w: (w.budget, {"value": "-810000.000"}),
        lambda w: w.budget,
    ),
    Endpoint(
        "frames",
        Frame,
        Action.PLAN,
        lambda w: {
            "unit": w.ls1.pk,
            "year": 2023,
            "code": "NLL-LS1-RAM-2023",
            "name": "Ram 2023",
            "base_amount": "8712100",
            "changes": [{"name": "Prisuppräkning", "category": "price_index", "amount": "200000"}],
        },
        lambda w: (w.frame, {"note": "Beslutad i regionfullmäktige."}),
        lambda w: w.frame,
    ),
    Endpoint(
        "investments",
        Investment,
        Action.PLAN,
        lambda w: {"unit": w.ls1.pk, "year": 2024, "name": "Ny vårdcentral", "amount": "12000"},
        lambda w: (w.investment, {"note": "Ersätter utrustning från 2012."}),
        lambda w: w.investment,
    ),
    Endpoint(
        "investment-frames",
        InvestmentFrame,
        Action.PLAN,
        lambda w: {
            "unit": w.ls1.pk,
            "year": 2022,
            "decision_level": "Regionstyrelsen",
            "category": "Inventarier & fastigheter",
            "amount": "189900",
        },
        lambda w: (w.investment_frame, {"amount": "11000.000"}),
        lambda w: w.investment_frame,
    ),
]


def _id(endpoint: Endpoint) -> str:
    return f"{endpoint.path}-{endpoint.action}"


def _row(model, pk) -> dict | None:
    return model._base_manager.filter(pk=pk).values().first()


def _client_for(world, role: str, where: str, endpoint: Endpoint, api_client):
    if where == "outside":
        unit = world.ls2
    else:
        unit = world.region if endpoint.organisation_wide else world.ls1
    user = UserFactory(username=f"{role}-{where}")
    RoleAssignmentFactory(user=user, unit=unit, role=role)
    client = api_client()
    client.force_authenticate(user)
    return client, user


@pytest.mark.parametrize("where", ["inside", "outside"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=_id)
def test_write_per_role_and_subtree(matrix_world, endpoint, role, where, api_client):
    w = matrix_world
    client, user = _client_for(w, role, where, endpoint, api_client)
    allowed = where == "inside" and endpoint.action in ROLE_ACTIONS[role]
    url = f"/api/{endpoint.path}/"
    model = endpoint.model

    # create
    count = model._base_manager.count()
    response = client.post(url, endpoint.create(w), format="json")
    if allowed:
        assert response.status_code == 201, response.content
        created = model._base_manager.get(pk=response.json()["id"])
        if hasattr(model, "history"):
            assert created.history.first().history_user == user
    else:
        assert response.status_code == 403, response.content
        assert "behörighet" in response.json()["detail"]
        assert model._base_manager.count() == count

    # update
    obj, patch = endpoint.update(w)
    before = _row(model, obj.pk)
    response = client.patch(f"{url}{obj.pk}/", patch, format="json")
    if allowed:
        assert response.status_code == 200, response.content
        for field, value in patch.items():
            assert response.json()[field] == value
        assert _row(model, obj.pk) != before
        if hasattr(model, "history"):
            assert model.history.filter(id=obj.pk).first().history_user == user
    else:
        assert response.status_code == 403, response.content
        assert _row(model, obj.pk) == before

    # delete
    if endpoint.delete is None:
        assert client.delete(f"{url}{obj.pk}/").status_code == 405
        assert _row(model, obj.pk) is not None
        return
    target = endpoint.delete(w)
    before = _row(model, target.pk)
    response = client.delete(f"{url}{target.pk}/")
    if allowed:
        assert response.status_code == 204, response.content
        assert _row(model, target.pk) is None
    else:
        assert response.status_code == 403, response.content
        assert _row(model, target.pk) == before


#: Endpoints with a matrix of their own: the rounds' actions (open, close, reopen, mark
#: ready, approve, return, excuse) in tests/rounds/test_round_permissions.py.
OWN_MATRIX = {"rounds"}


def test_every_write_endpoint_is_in_the_matrix():
    """A new endpoint with writes must join ENDPOINTS (by its URL prefix) or have a
    matrix of its own (OWN_MATRIX)."""
    from styrkort.api.urls import router

    writable = {
        prefix
        for prefix, viewset, _basename in router.registry
        if {"post", "put", "patch", "delete"} & set(viewset.http_method_names)
    }
    assert writable == {e.path for e in ENDPOINTS} | OWN_MATRIX


def test_dates_of_a_unit_in_order(matrix_world, client_for):
    """A unit's closing date before its opening date is a 400 naming the field."""
    w = matrix_world
    response = client_for("admin").patch(
        f"/api/units/{w.gallerian.pk}/", {"valid_to": "2009-12-31"}, format="json"
    )
    assert response.status_code == 400
    assert "2009-12-31" in response.json()["valid_to"][0]
    w.gallerian.refresh_from_db()
    assert w.gallerian.valid_to == dt.date(2024, 2, 1)
