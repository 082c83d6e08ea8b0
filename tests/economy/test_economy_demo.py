"""Seeds 003 and 004's money in the demo: the income statement, investments and frames
reproduced from the stored lines by economy.queries (no totals are stored)."""

from decimal import Decimal as D

import pytest

from styrkort.demo.loader import FIXTURE_DIR, load_fixtures
from styrkort.economy import queries
from styrkort.economy.models import Amount, LedgerLine
from styrkort.organisation.models import OrgUnit

FILES = [
    *sorted(FIXTURE_DIR.glob("00[1-4]-norrbotten-*.yaml")),
    FIXTURE_DIR / "20-srs-organisation.yaml",
    *sorted(FIXTURE_DIR.glob("5*-*.yaml")),
]
COLUMNS = [(2022, "actual"), (2023, "budget"), (2023, "forecast"), (2024, "budget"),
           (2025, "plan"), (2026, "plan")]  # fmt: skip


DEMO_FILES = FILES


def unit(code):
    return OrgUnit.objects.get(code=code)


@pytest.mark.django_db
def test_seed_003_income_statement(demo):
    statement = queries.income_statement(unit("SRS-PV"), COLUMNS)
    assert [c["label"] for c in statement["columns"]] == [
        "Bokslut 2022", "Budget 2023", "Prognos 2023", "Budget 2024", "Plan 2025", "Plan 2026"
    ]  # fmt: skip
    rows = {(r["code"], r["row_type"]): r for r in statement["rows"]}
    assert rows[("SRS-RR-INT", "total")]["values"] == [
        1028843, 1070800, 1044800, 1070400, 1066200, 1082100
    ]  # fmt: skip
    assert rows[("SRS-RR-KOST", "total")]["values"] == [
        -1025899, -1076800, -1102800, -1073400, -1066200, -1082100
    ]  # fmt: skip
    assert rows[("SRS-RR-RESULTAT", "total")]["values"] == [3177, -6000, -58000, -3000, 0, 0]
    # Print order as in the seed: heading, lines, sum; ... ; Årets resultat last.
    names = [r["name"] for r in statement["rows"]]
    assert names[0] == "Verksamhetens intäkter"
    assert names[6] == "Summa verksamhetens intäkter"
    assert names[7] == "Verksamhetens kostnader"
    assert names[15:] == [
        "Summa verksamhetens kostnader", "Finansiella intäkter", "Finansiella kostnader",
        "Årets resultat",
    ]  # fmt: skip
    # Only leaf lines hold amounts: 14 lines x 6 columns.
    assert Amount.objects.filter(unit__code="SRS-PV").count() == 84
    assert not Amount.objects.filter(line__children__isnull=False).exists()
    assert LedgerLine.objects.filter(organisation__code="srs").count() == 17


@pytest.mark.django_db
def test_seed_003_deviations_and_roll_up(demo):
    table = {r["code"]: r for r in queries.deviation_table(unit("SRS-PV"), 2023)}
    result = table["SRS-RR-RESULTAT"]
    assert (result["budget"], result["forecast"]) == (-6000, -58000)
    assert result["forecast_deviation"] == -52000
    assert table["SRS-RR-KOST-PERS"]["forecast_deviation"] == -17000
    assert result["actual"] is None and result["budget_deviation"] is None
    assert queries.result_deviation(unit("SRS-PV"), 2023, against="forecast") == -52000
    # The region rolls up its division.
    region = queries.income_statement(unit("SRS"), [(2024, "budget")], include_subunits=True)
    top = next(r for r in region["rows"] if r["code"] == "SRS-RR-RESULTAT")
    assert top["values"] == [-3000]
    alone = queries.income_statement(unit("SRS"), [(2024, "budget")])
    assert next(r for r in alone["rows"] if r["code"] == "SRS-RR-RESULTAT")["values"] == [None]


@pytest.mark.django_db
def test_seed_003_investments(demo):
    inv = queries.investments(unit("SRS-PV"), 2024)
    assert inv["threshold"] == D(4500)
    assert inv["over"] == [] and inv["over_total"] == 0
    assert [(i.unit.code, i.amount) for i in inv["under"]] == [
        ("SRS-PV-VC-CITY", 240), ("SRS-PV-VC-MARIEFRED", 120), ("SRS-PV-VC-STRANGNAS", 200)
    ]  # fmt: skip
    assert (inv["total"], inv["frame_total"], inv["remaining"]) == (560, 1000, 440)


@pytest.mark.django_db
def test_seed_004_frames(demo):
    nll = unit("NLL")
    frames = {f["code"]: f for f in queries.frames(nll, 2022)}
    board = frames["NLL-RS-RAM-2022"]
    assert board["base"] == D("8406500") and board["total"] == D("8712100")  # tkr
    assert [a["total"] for a in board["allocations"]] == [D("1223000"), D("85500"), D("7403600")]
    assert board["allocation_gap"] == 0
    assert queries.frames(nll, 2023)[0]["total"] == D("8930200")
    assert queries.frames(nll, 2024)[0]["total"] == D("9201500")
    reductions = queries.frame_reductions(nll, [2020, 2021, 2022])
    assert [(r["name"], r["values"], r["sum"]) for r in reductions] == [
        ("Regionstyrelsen", [17000, 187000, 110000], 314000),
        ("Regionala utvecklingsnämnden", [6000, 12000, 12000], 30000),
        ("Summa", [23000, 199000, 122000], 344000),
    ]


@pytest.mark.django_db
def test_seed_004_investment_frames(demo):
    table = queries.investment_frames(unit("NLL"), 2022)
    assert table["categories"] == [
        "Inventarier & fastigheter", "Finansiella investeringar", "Akutram", "Hjälpmedel", "Konst"
    ]  # fmt: skip
    sums = {r["decision_level"]: r["sum"] for r in table["rows"]}
    assert sums == {"Regionstyrelsen": 195900, "Regiondirektör": 10600, "Service": 38000,
                    "Kulturen": 500}  # fmt: skip
    assert table["sums"] == [189900, 6000, 10600, 38000, 500]
    assert table["total"] == 245000


@pytest.mark.django_db
def test_loading_twice_changes_nothing(demo):
    again = load_fixtures(FILES)
    assert not again.created and not again.updated
