"""Importing a plan with its goal tree, indicators and targets from one flat table
(seed 001: Division Länssjukvård 1's plan 2022)."""

from __future__ import annotations

import io

import pytest

from dbdump import dump
from factories import PlanModelFactory
from styrkort.io.services import run_import
from styrkort.planning.models import Goal, Indicator, Plan, PlanIndicator, Target

COLUMNS = [
    "plan", "plannamn", "enhet", "första år", "sista år", "mål1", "mål2", "mål3",
    "indikator", "indikatornamn", "måttenhet", "typ", "riktning", "aggregering", "per kön",
    "ingångsvärde", "ingångsvärdets period", "uppföljningsperiod", "målår", "målvärde",
    "långsiktigt",
]  # fmt: skip
HEADER = ";".join(COLUMNS) + "\n"
PLAN = {
    "plan": "ls1-2022",
    "plannamn": "Verksamhetsplan 2022 Division Länssjukvård 1",
    "enhet": "NLL-LS1",
    "första år": "2022",
    "sista år": "2022",
}
CARE = {"mål1": "Verksamhet", "mål2": "God nära och samordnad vård"}


def row(**cells) -> str:
    cells = {k.replace("_", " "): v for k, v in cells.items()}
    assert set(cells) <= set(COLUMNS), set(cells) - set(COLUMNS)
    return ";".join(cells.get(c, "") for c in COLUMNS) + "\n"


def plan_row(**cells) -> str:
    return row(**{**{k.replace(" ", "_"): v for k, v in PLAN.items()}, **cells})


ROWS = (
    plan_row(
        mål1="Medborgare",
        mål2="Trygg norrbottning med god livskvalitet",
        mål3="En god vård med hög tillgänglighet",
        indikator="vantetid-forsta-besok",
        indikatornamn="Andel väntande som väntat 90 dagar eller kortare till första besök",
        måttenhet="%",
        typ="styrmått",
        riktning="högre",
        aggregering="kvot",
        per_kön="ja",
        ingångsvärde="51 %",
        ingångsvärdets_period="2021",
        uppföljningsperiod="DÅ04, DÅ08, ÅR",
        målår="2022",
        målvärde="100 %",
        långsiktigt="nej",
    )
    + plan_row(
        **CARE,
        mål3="En sammanhållen och samordnad vård utifrån individens behov",
        indikator="aterinskrivningar-65",
        uppföljningsperiod="DÅ04,08, ÅR",
        målår="2022",
        målvärde="M: 17,2 % K: 16 %",
    )
    + plan_row(
        **CARE,
        mål3="En hållbar verksamhet med hög säkerhet",
        indikator="lakemedelsberattelse",
        målår="2022",
        målvärde="70 %",
    )
    + plan_row(
        **CARE,
        mål3="En hållbar verksamhet med hög säkerhet",
        indikator="lakemedelsberattelse",
        målår="2024",
        målvärde="100 %",
        långsiktigt="ja",
    )
    + plan_row(mål1="Medarbetare")
)


@pytest.fixture
def model(world):
    return PlanModelFactory(organisation=world.org, name="Balanserad styrning Norrbotten")


def run(text: str, **kwargs):
    return run_import("plans", io.BytesIO(text.encode()), **kwargs)


def test_plan_with_goal_tree_indicators_and_targets(world, model):
    report = run(HEADER + ROWS, user=world.users.planner)
    assert report.ok, report.rejected
    plan = Plan.objects.get(code="ls1-2022")
    assert (plan.unit, plan.plan_model, plan.start_year) == (world.ls1, model, 2022)
    top = list(Goal.objects.filter(plan=plan, level=1).values_list("name", flat=True))
    assert top == ["Medborgare", "Verksamhet", "Medarbetare"]
    leaf = Goal.objects.get(plan=plan, name="En hållbar verksamhet med hög säkerhet")
    assert [g.name for g in leaf.ancestors()] == ["Verksamhet", "God nära och samordnad vård"]
    assert leaf.level == 3
    wait = Indicator.objects.get(code="vantetid-forsta-besok")
    assert (wait.unit, wait.kind, wait.direction, wait.aggregation, wait.by_sex) == (
        "%",
        "steering",
        "higher",
        "ratio",
        True,
    )
    placement = PlanIndicator.objects.get(indicator=wait)
    assert (placement.baseline_text, placement.baseline_value, placement.baseline_period) == (
        "51 %",
        51.0,
        "2021",
    )
    readmit = Target.objects.get(placement__indicator__code="aterinskrivningar-65")
    assert readmit.text == "M: 17,2 % K: 16 %" and readmit.spec["kind"] == "by_sex"
    medication = Target.objects.filter(placement__indicator=world.medication)
    assert sorted((t.year, t.text, t.is_long_term) for t in medication) == [
        (2022, "70 %", False),
        (2024, "100 %", True),
    ]
    # 1 plan + 8 goals + 1 new indicator + 3 placements + 4 targets
    assert (report.created, report.updated) == (17, 0)
    assert Plan.history.filter(code="ls1-2022").first().history_user == world.users.planner


def test_importing_a_plan_twice_changes_nothing(world, model):
    assert run(HEADER + ROWS).ok
    before = dump()
    again = run(HEADER + ROWS)
    assert again.ok and (again.created, again.updated) == (0, 0)
    assert again.unchanged == 19  # the 17 created and the 2 indicators that existed
    assert dump() == before


def test_changed_target_is_updated(world, model):
    run(HEADER + ROWS)
    changed = ROWS.replace(";2022;70 %;", ";2022;75 %;")
    assert changed != ROWS
    report = run(HEADER + changed)
    assert (report.created, report.updated) == (0, 1)
    target = Target.objects.get(placement__indicator=world.medication, year=2022)
    assert target.text == "75 %" and target.spec["value"] == 75.0


@pytest.mark.parametrize(
    ("line", "column", "words"),
    [
        (
            row(plan="ny-plan", plannamn="Ny plan", enhet="NLL-LS1", första_år="2022", mål1="M"),
            "sista år",
            "krävs",
        ),
        (plan_row(mål2="Delmål"), "mål2", "utan mål på nivån ovanför"),
        (plan_row(mål1="Medborgare", indikator="okand"), "indikatornamn", "krävs"),
        (plan_row(mål1="M", indikator="lakarbesok", måttenhet="liter"), "måttenhet", "Okänt"),
        (plan_row(mål1="M", indikator="lakarbesok", målår="2022"), "målvärde", "saknas"),
        (plan_row(mål1="M", indikator="lakarbesok", målvärde="70 %"), "målår", "Ange året"),
        (
            plan_row(mål1="M", indikator="lakarbesok", målår="1890", målvärde="70 %"),
            "målår",
            "1990–2100",
        ),
        (
            plan_row(
                mål1="M",
                indikator="lakarbesok",
                målår="2022",
                målvärde="70 %",
                långsiktigt="kanske",
            ),
            "långsiktigt",
            "ja eller nej",
        ),
        (plan_row(plannamn="Annat namn", mål1="M"), "plannamn", "strider mot"),
        (row(plan="ls2", plannamn="P", enhet="NLL-XX", mål1="M"), "enhet", "Okänd enhet"),
        (plan_row(målvärde="70 %"), "målvärde", "Ange indikatorns kod"),
    ],
)
def test_bad_rows_are_rejected_and_nothing_written(world, model, line, column, words):
    before = dump()
    report = run(HEADER + ROWS + line)
    assert not report.ok, line
    error = report.rejected[0]
    assert (error.row, error.column) == (7, column), report.rejected
    assert words in error.reason
    assert dump() == before


def test_role_is_checked(world, model):
    before = dump()
    report = run(HEADER + ROWS, user=world.users.reporter)
    assert not report.ok and "behörighet att ändra planen" in report.rejected[0].reason
    assert dump() == before
    other = HEADER + ROWS.replace("NLL-LS1", "NLL-LS2").replace("ls1-2022", "ls2-2022")
    assert not run(other, user=world.users.planner).ok


def test_existing_indicator_attributes_need_organisation_wide_planning(world, model):
    text = HEADER + plan_row(
        mål1="Medborgare", indikator="lakarbesok", indikatornamn="Läkarbesök totalt"
    )
    report = run(text, user=world.users.planner)
    assert not report.ok and "hela organisationen" in report.rejected[0].reason
    assert run(text, user=world.users.admin).ok
    assert Indicator.objects.get(code="lakarbesok").name == "Läkarbesök totalt"
