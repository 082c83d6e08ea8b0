"""Economy services: upsert_amounts (the import engine's entry), permissions, history."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from factories import OrgUnitFactory, RoleAssignmentFactory, UserFactory
from styrkort.accounts.models import Role
from styrkort.economy import queries, services
from styrkort.economy.models import Amount

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    region = OrgUnitFactory(code="R")
    org = region.organisation
    division = OrgUnitFactory(parent=region, code="R-D", organisation=org)
    other = OrgUnitFactory(parent=region, code="R-O", organisation=org)
    admin = UserFactory()
    RoleAssignmentFactory(user=admin, unit=region, role=Role.ADMIN)
    top = services.save_ledger_line(org, user=admin, code="RES", name="Årets resultat")
    inc = services.save_ledger_line(
        org, user=admin, code="INT", name="Summa intäkter", heading="Intäkter", parent=top
    )
    services.save_ledger_line(org, user=admin, code="INT-A", name="Avgifter", parent=inc)
    services.save_ledger_line(org, user=admin, code="KOST", name="Kostnader", parent=top)
    return region, division, other, admin


def user_with(role, unit):
    user = UserFactory()
    RoleAssignmentFactory(user=user, unit=unit, role=role)
    return user


@pytest.mark.parametrize(
    ("role", "kind", "allowed"),
    [
        (Role.PLANNER, "budget", True),
        (Role.PLANNER, "actual", True),
        (Role.REPORTER, "actual", True),
        (Role.REPORTER, "budget", False),
        (Role.REPORTER, "forecast", False),
        (Role.READER, "actual", False),
    ],
)
def test_upsert_permissions(world, role, kind, allowed):
    _region, division, other, _admin = world
    user = user_with(role, division)
    row = {"line": "INT-A", "unit": "R-D", "year": 2024, "kind": kind, "value": "1 070 400"}
    if allowed:
        assert services.upsert_amounts([row], user=user).created == 1
        amount = Amount.objects.get()
        assert amount.value == D(1070400) and amount.history.first().history_user == user
    else:
        with pytest.raises(PermissionDenied):
            services.upsert_amounts([row], user=user)
        assert not Amount.objects.exists()
    with pytest.raises(PermissionDenied):
        services.upsert_amounts([{**row, "unit": other.code}], user=user)


def test_upsert_is_all_or_nothing_with_row_messages(world):
    _region, _division, _other, admin = world
    rows = [
        {"line": "INT-A", "unit": "R-D", "year": 2024, "kind": "budget", "value": 5},
        {"line": "INT", "unit": "R-D", "year": 2024, "kind": "budget", "value": 5},
        {"line": "NOPE", "unit": "R-D", "year": 2024, "kind": "budget", "value": 5},
        {"line": "INT-A", "unit": "X", "year": 2024, "kind": "budget", "value": 5},
        {"line": "INT-A", "unit": "R-D", "year": 2024, "kind": "utfall", "month": 13, "value": 5},
        {"line": "INT-A", "unit": "R-D", "year": 2024, "kind": "gissning", "value": 5},
        {"line": "INT-A", "unit": "R-D", "year": 2024, "kind": "budget", "value": "abc"},
        {"line": "INT-A", "unit": "R-D", "year": 2024, "kind": "budget", "value": 6},
    ]
    with pytest.raises(services.AmountRowsError) as exc:
        services.upsert_amounts(rows, user=admin)
    messages = dict(exc.value.row_errors)
    assert sorted(messages) == [2, 3, 4, 5, 6, 7, 8]
    assert "summarad" in messages[2] and "okänd resultaträkningsrad" in messages[3]
    assert "okänd enhet" in messages[4] and "månad" in messages[5]
    assert "okänd typ" in messages[6] and "samma belopp som rad 1" in messages[8]
    assert not Amount.objects.exists()


def test_upsert_updates_dry_runs_and_monthly_actuals(world):
    _region, division, _other, admin = world
    base = {"line": "INT-A", "unit": "R-D", "year": 2024}
    rows = [{**base, "kind": "actual", "month": m, "value": 100 * m} for m in range(1, 4)]
    assert services.upsert_amounts(rows, user=admin, dry_run=True).created == 3
    assert not Amount.objects.exists()
    assert services.upsert_amounts(rows, user=admin).created == 3
    result = services.upsert_amounts([*rows[:2], {**rows[2], "value": 0}], user=admin)
    assert result.as_dict() == {"created": 0, "updated": 1, "unchanged": 2}
    # Without a yearly actual the months add up: 100 + 200 + 0.
    statement = queries.income_statement(division, [(2024, "actual")])
    top = next(r for r in statement["rows"] if r["code"] == "RES")
    assert top["values"] == [D(300)]
    assert queries.monthly_actuals(division, 2024, "INT-A") == {1: 100, 2: 200, 3: 0}
    # A yearly actual wins over the months.
    services.upsert_amounts([{**base, "kind": "actual", "value": 1000}], user=admin)
    services.upsert_amounts([{**base, "kind": "budget", "value": 800}], user=admin)
    assert queries.result_deviation(division, 2024) == 200


def test_structure_frames_investments(world):
    region, division, _other, admin = world
    org = region.organisation
    planner = user_with(Role.PLANNER, division)
    with pytest.raises(PermissionDenied):
        services.save_ledger_line(org, user=planner, code="Y", name="Y")
    services.upsert_amounts(
        [{"line": "INT-A", "unit": "R-D", "year": 2024, "kind": "budget", "value": 1}], user=admin
    )
    line = org.ledger_lines.get(code="INT-A")
    with pytest.raises(ValidationError, match="har belopp"):
        services.save_ledger_line(org, user=admin, code="Z", name="Z", parent=line)
    frame = services.save_frame(
        division, 2022, user=planner, code="F", name="Ram", base_amount="8 406,5",
        changes=[{"name": "Prisuppräkning", "category": "price_index", "amount": "300,2"}],
    )  # fmt: skip
    assert queries.frames(division, 2022)[0]["total"] == D("8706.7")
    assert frame.history.first().history_user == planner
    obj = services.save_investment(division, 2024, user=planner, name="Öronmikroskop", amount=120)
    services.save_investment(division, 2024, user=planner, name="Röntgen", amount="4 600")
    with pytest.raises(ValidationError, match="negativt"):
        services.save_investment(division, 2024, user=planner, name="x", amount=-1)
    inv = queries.investments(division, 2024)
    assert [i.name for i in inv["over"]] == ["Röntgen"] and inv["under"] == [obj]
    with pytest.raises(PermissionDenied):
        services.save_investment(region, 2024, user=planner, name="x", amount=1)
