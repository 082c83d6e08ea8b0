"""Every importer (outcomes, plans, ledger) × role (admin, planner, reporter, reader) ×
the role's unit inside (Division Länssjukvård 1) or outside (Division Länssjukvård 2) ×
creating and updating: written exactly when the one permission function allows it; a
refusal is marked forbidden and writes nothing. Imports run under the write guard, so
every write here went through a service."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal as D

import pytest

from dbdump import dump
from factories import PlanModelFactory, RoleAssignmentFactory, UserFactory
from styrkort.accounts.models import Role
from styrkort.economy.models import Amount, LedgerLine
from styrkort.followup.models import Outcome
from styrkort.io.services import run_import
from styrkort.organisation.permissions import ROLE_ACTIONS, Action
from styrkort.planning.models import Plan, Target

ROLES = [Role.ADMIN, Role.PLANNER, Role.REPORTER, Role.READER]

PLAN_HEADER = "plan;plannamn;enhet;första år;sista år;mål1;mål2;indikator;målår;målvärde\n"
PLAN_ROW = (
    "{code};Verksamhetsplan {year} Division Länssjukvård 1;NLL-LS1;{year};{year};Verksamhet;"
    "En hållbar verksamhet med hög säkerhet;lakemedelsberattelse;{year};{target}\n"
)


@dataclass
class Case:
    """One importer and right: a file that creates, one that updates, and what to read
    back to see whether it was written."""

    kind: str
    action: Action
    create: str
    update: str
    created: callable
    updated: callable


CASES = [
    Case(
        "outcomes",
        Action.REPORT,
        # Seed 001: the division's doctor visits 2022.
        "org;indicator;period;value\nNLL-LS1;lakarbesok;2022;31180\n",
        # Seed 001, DÅ04 2022 women: 644/819; corrected.
        "org;indicator;period;sex;numerator;denominator\n"
        "NLL-LS1;lakemedelsberattelse;2022-DÅ04;K;650;819\n",
        lambda: Outcome.objects.filter(indicator__code="lakarbesok", period="2022").exists(),
        lambda: Outcome.objects.filter(sex="women", numerator=650).exists(),
    ),
    Case(
        "plans",
        Action.PLAN,
        PLAN_HEADER + PLAN_ROW.format(code="ls1-2023", year=2023, target="75 %"),
        PLAN_HEADER + PLAN_ROW.format(code="ls1-2022", year=2022, target="75 %"),
        lambda: Plan.objects.filter(code="ls1-2023").exists(),
        lambda: Target.objects.filter(placement__plan__code="ls1-2022", text="75 %").exists(),
    ),
    Case(
        "ledger",
        Action.PLAN,
        # Seed 003's personnel budget 2024 (tkr), here for the division.
        "Rad;Enhet;År;Typ;Belopp\nNLL-RR-KOST-PERS;NLL-LS1;2025;Budget;-810 000\n",
        "Rad;Enhet;År;Typ;Belopp\nNLL-RR-KOST-PERS;NLL-LS1;2024;Budget;-805 000\n",
        lambda: Amount.objects.filter(year=2025, kind="budget").exists(),
        lambda: Amount.objects.filter(year=2024, kind="budget", value=D("-805000")).exists(),
    ),
    Case(
        "ledger",
        Action.REPORT,
        "Rad;Enhet;År;Månad;Typ;Belopp\nNLL-RR-KOST-PERS;NLL-LS1;2024;4;Utfall;-67 012,4\n",
        "Rad;Enhet;År;Månad;Typ;Belopp\nNLL-RR-KOST-PERS;NLL-LS1;2024;3;Utfall;-66 900\n",
        lambda: Amount.objects.filter(kind="actual", month=4).exists(),
        lambda: Amount.objects.filter(kind="actual", month=3, value=D("-66900")).exists(),
    ),
]


@pytest.fixture
def import_world(world):
    """The io world with its plan model, Division Länssjukvård 1's plan 2022 (target
    70 %, imported as the system), and income-statement lines with an actual and a
    budget amount of the division."""
    PlanModelFactory(organisation=world.org, name="Balanserad styrning Norrbotten")
    text = PLAN_HEADER + PLAN_ROW.format(code="ls1-2022", year=2022, target="70 %")
    assert run_import("plans", io.BytesIO(text.encode())).ok
    result = LedgerLine.objects.create(organisation=world.org, code="NLL-RR", name="Resultat")
    staff = LedgerLine.objects.create(
        organisation=world.org, code="NLL-RR-KOST-PERS", name="Personalkostnader", parent=result
    )
    Amount.objects.create(
        line=staff, unit=world.ls1, year=2024, kind="actual", month=3, value=D("-66858.5")
    )
    Amount.objects.create(line=staff, unit=world.ls1, year=2024, kind="budget", value=-802300)
    return world


def _amounts():
    return sorted(
        Amount.objects.values_list("line_id", "unit_id", "year", "kind", "month", "value")
    )


@pytest.mark.parametrize("where", ["inside", "outside"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.kind}-{c.action}")
def test_import_per_role_and_subtree(import_world, case, role, where):
    w = import_world
    user = UserFactory(username=f"{role}-{where}")
    RoleAssignmentFactory(user=user, unit=w.ls1 if where == "inside" else w.ls2, role=role)
    allowed = where == "inside" and case.action in ROLE_ACTIONS[role]
    for text, written, counted in (
        (case.create, case.created, "created"),
        (case.update, case.updated, "updated"),
    ):
        before = (dump(), _amounts())
        report = run_import(case.kind, io.BytesIO(text.encode()), user=user)
        if allowed:
            assert report.ok, report.rejected
            assert getattr(report, counted) >= 1
            assert written()
        else:
            assert not report.ok
            assert report.forbidden, report.rejected
            assert "behörighet" in report.rejected[0].reason
            assert (dump(), _amounts()) == before
            assert not written()


def test_plan_import_history_names_the_importing_user(import_world):
    w = import_world
    text = PLAN_HEADER + PLAN_ROW.format(code="ls1-2022", year=2022, target="75 %")
    report = run_import("plans", io.BytesIO(text.encode()), user=w.users.planner)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 5)
    target = Target.objects.get(placement__plan__code="ls1-2022", year=2022)
    assert target.history.first().history_user == w.users.planner
    assert target.history.count() == 2


def test_plan_import_keeps_a_targets_note(import_world):
    """Changing a target's text by import keeps the note written on the web."""
    target = Target.objects.get(placement__plan__code="ls1-2022", year=2022)
    Target.objects.filter(pk=target.pk).update(note="Riksgenomsnitt 2021: 63 %.")
    text = PLAN_HEADER + PLAN_ROW.format(code="ls1-2022", year=2022, target="75 %")
    assert run_import("plans", io.BytesIO(text.encode()), user=import_world.users.admin).ok
    target.refresh_from_db()
    assert (target.text, target.note) == ("75 %", "Riksgenomsnitt 2021: 63 %.")


def test_plan_import_refuses_a_target_year_outside_the_plan(import_world):
    """The service's rule holds for the import too: a yearly target belongs to the
    plan's years (or is long-term)."""
    before = dump()
    text = PLAN_HEADER + PLAN_ROW.format(code="ls1-2022", year=2022, target="75 %").replace(
        ";2022;75 %", ";2025;75 %"
    )
    report = run_import("plans", io.BytesIO(text.encode()), user=import_world.users.planner)
    assert not report.ok
    error = report.rejected[0]
    assert (error.row, error.column) == (2, "målår")
    assert "2025" in error.reason
    assert dump() == before
