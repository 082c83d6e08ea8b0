"""Domain rules of the services behind the API's writes: what is in use is not deleted,
an archived plan only reopens, a plan keeps its activities inside its unit, indicators
do not nest in themselves. Each refusal is a 400 naming the field or value, and the
database is left as it was."""

from __future__ import annotations

from decimal import Decimal as D

from styrkort.economy.models import Amount, LedgerLine
from styrkort.planning.models import Indicator, Plan


def _row(model, pk):
    return model.objects.filter(pk=pk).values().get()


def test_an_indicator_in_use_is_not_deleted(plan_world, client_for):
    w = plan_world
    before = _row(Indicator, w.medication.pk)
    response = client_for("admin").delete(f"/api/indicators/{w.medication.pk}/")
    assert response.status_code == 400, response.content
    detail = str(response.json())
    assert "lakemedelsberattelse" in detail and "utfall" in detail
    assert _row(Indicator, w.medication.pk) == before


def test_an_indicator_is_not_its_own_ancestor(plan_world, client_for):
    w = plan_world
    client = client_for("admin")
    assert (
        client.patch(
            f"/api/indicators/{w.visits.pk}/", {"parent": w.result.pk}, format="json"
        ).status_code
        == 200
    )
    response = client.patch(
        f"/api/indicators/{w.result.pk}/", {"parent": w.visits.pk}, format="json"
    )
    assert response.status_code == 400
    assert "parent" in response.json()
    assert Indicator.objects.get(pk=w.result.pk).parent_id is None


def test_an_archived_plan_only_reopens(plan_world, client_for):
    w = plan_world
    client = client_for("planner")
    response = client.patch(f"/api/plans/{w.plan.pk}/", {"state": "archived"}, format="json")
    assert response.status_code == 400
    assert "utkast arkiveras inte" in str(response.json())
    w.plan.state = "adopted"
    w.plan.save()  # adopted once (with its history), then archived
    Plan.objects.filter(pk=w.plan.pk).update(state="archived")
    response = client.patch(
        f"/api/plans/{w.plan.pk}/", {"decision_ref": "RS 2021/123"}, format="json"
    )
    assert response.status_code == 400
    assert "arkiverad" in str(response.json())
    assert client.delete(f"/api/plans/{w.plan.pk}/").status_code == 400
    response = client.patch(f"/api/plans/{w.plan.pk}/", {"state": "adopted"}, format="json")
    assert response.status_code == 200, response.content
    assert Plan.objects.get(pk=w.plan.pk).state == "adopted"


def test_an_archived_plan_that_was_never_adopted_is_adopted_only_with_a_decision(
    plan_world, client_for
):
    w = plan_world
    Plan.objects.filter(pk=w.plan.pk).update(state="archived")
    response = client_for("planner").patch(
        f"/api/plans/{w.plan.pk}/", {"state": "adopted"}, format="json"
    )
    assert response.status_code == 400
    assert "aldrig fastställts" in str(response.json())
    assert Plan.objects.get(pk=w.plan.pk).state == "archived"


def test_a_plan_keeps_its_activities_inside_its_unit(plan_world, client_for):
    """Moving LS1's plan to LS2 would leave its activities owned by LS1: refused."""
    w = plan_world
    before = _row(Plan, w.plan.pk)
    response = client_for("admin").patch(
        f"/api/plans/{w.plan.pk}/", {"unit": w.ls2.pk}, format="json"
    )
    assert response.status_code == 400
    assert "Division Länssjukvård 1" in response.json()["unit"][0]
    assert _row(Plan, w.plan.pk) == before


def test_plan_years_in_order_name_the_field(plan_world, client_for):
    response = client_for("planner").patch(
        f"/api/plans/{plan_world.plan.pk}/", {"end_year": 2021}, format="json"
    )
    assert response.status_code == 400
    assert "2021" in response.json()["end_year"][0]


def test_a_ledger_line_with_amounts_is_not_deleted(plan_world, client_for):
    w = plan_world
    total = LedgerLine.objects.create(organisation=w.org, code="NLL-RR", name="Resultat")
    staff = LedgerLine.objects.create(
        organisation=w.org, code="NLL-RR-KOST-PERS", name="Personalkostnader", parent=total
    )
    Amount.objects.create(line=staff, unit=w.ls1, year=2024, kind="budget", value=D("-802300"))
    client = client_for("admin")
    response = client.delete(f"/api/ledger-lines/{staff.pk}/")
    assert response.status_code == 400
    assert "Personalkostnader har belopp" in str(response.json())
    response = client.delete(f"/api/ledger-lines/{total.pk}/")
    assert response.status_code == 400
    assert "underrader" in str(response.json())
    assert LedgerLine.objects.count() == 2
