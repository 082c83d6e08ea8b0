"""Ledger import (`styrkort import ledger FILE`) with seed 003's amounts in a Swedish CSV
and in XLSX, all or nothing, and the indicator "Avvikelse mot budgeterat resultat" fed
from the ledger."""

import io
import json
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command

from styrkort.accounts.models import Role
from styrkort.economy import queries
from styrkort.economy.models import Amount
from styrkort.economy.services import bind_ledger_indicator, feed_ledger_indicators
from styrkort.followup.models import Outcome
from styrkort.io.services import run_import
from styrkort.organisation.models import OrgUnit
from styrkort.planning.models import Indicator
from worlds import ECONOMY_FILES

pytestmark = pytest.mark.django_db

DEMO_FILES = ECONOMY_FILES

# Seed 003, Budget 2024 (tkr), the leaf lines of the income statement.
BUDGET_2024 = {
    "SRS-RR-INT-AVG": "2 400",
    "SRS-RR-INT-FORS-HSV": "1 053 500",
    "SRS-RR-INT-FORS-REG": "0",
    "SRS-RR-INT-UPPDRAG": "9 300",
    "SRS-RR-INT-OVR": "5 200",
    "SRS-RR-KOST-PERS": "-802 300",
    "SRS-RR-KOST-KOPT": "-108 500",
    "SRS-RR-KOST-UPPDRAG": "0",
    "SRS-RR-KOST-LM": "-2 400",
    "SRS-RR-KOST-LOKAL": "-68 600",
    "SRS-RR-KOST-OVR": "-90 900",
    "SRS-RR-KOST-AVSKR": "-700",
    "SRS-RR-FIN-INT": "1 500",
    "SRS-RR-FIN-KOST": "-1 500",
}


def csv_file(tmp_path, rows, header="Rad;Enhet;År;Typ;Belopp", name="huvudbok.csv"):
    path = tmp_path / name
    lines = [header, *(";".join(r) for r in rows)]
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    return path


def budget_rows(kind="Budget", year="2024"):
    return [(code, "SRS-PV", year, kind, value) for code, value in BUDGET_2024.items()]


def pv():
    return OrgUnit.objects.get(code="SRS-PV")


def result_2024_budget():
    statement = queries.income_statement(pv(), [(2024, "budget")])
    return {(r["code"], r["row_type"]): r["values"][0] for r in statement["rows"]}


def test_import_seed_003_budget_csv(demo, tmp_path):
    Amount.objects.filter(unit__code="SRS-PV", year=2024, kind="budget").delete()
    path = csv_file(tmp_path, budget_rows())
    out = io.StringIO()
    call_command("import_data", "ledger", str(path), "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert (report["kind"], report["rows"], report["created"], report["rejected"]) == (
        "ledger", 14, 14, []
    )  # fmt: skip
    values = result_2024_budget()
    assert values[("SRS-RR-INT", "total")] == D("1070400")
    assert values[("SRS-RR-KOST", "total")] == D("-1073400")
    assert values[("SRS-RR-RESULTAT", "total")] == D("-3000")
    again = io.StringIO()
    call_command("import_data", "ledger", str(path), "--json", stdout=again)
    assert json.loads(again.getvalue())["unchanged"] == 14


def test_rejected_row_writes_nothing_and_exits_2(demo, tmp_path):
    Amount.objects.filter(unit__code="SRS-PV", year=2024, kind="budget").delete()
    rows = budget_rows()
    rows.append(("SRS-RR-KOST", "SRS-PV", "2024", "Budget", "-1 073 400"))  # a sum line
    rows.append(("SRS-RR-INT-AVG", "SRS-PV", "2024", "Budget", "två tusen"))
    rows.append(("SRS-RR-INT-OVR", "Okänd VC", "2024", "Prognos", "1"))
    path = csv_file(tmp_path, rows)
    with pytest.raises(CommandError) as info:
        call_command("import_data", "ledger", str(path), "--json", stdout=io.StringIO())
    assert info.value.returncode == 2
    assert "ingenting har sparats" in str(info.value)
    report = run_import("ledger", path.open("rb"), dry_run=True)
    errors = [(e.row, e.column, e.reason) for e in report.rejected]
    assert errors[0][:2] == (16, "Rad")
    assert "summarad" in errors[0][2]
    assert errors[1][:2] == (17, "Belopp")
    assert errors[2] == (
        18, "Enhet", "Okänd enhet: 'Okänd VC' (ange enhetens kod eller exakta namn)."
    )  # fmt: skip
    assert not Amount.objects.filter(unit__code="SRS-PV", year=2024, kind="budget").exists()


def test_dry_run_counts_and_writes_nothing(demo, tmp_path):
    Amount.objects.filter(unit__code="SRS-PV", year=2024, kind="budget").delete()
    out = io.StringIO()
    call_command("import_data", "ledger", str(csv_file(tmp_path, budget_rows())), "--dry-run",
                 "--json", stdout=out)  # fmt: skip
    report = json.loads(out.getvalue())
    assert (report["dry_run"], report["created"]) == (True, 14)
    assert not Amount.objects.filter(unit__code="SRS-PV", year=2024, kind="budget").exists()


def test_xlsx_with_period_and_numbers(demo, tmp_path):
    from openpyxl import Workbook

    Amount.objects.filter(unit__code="SRS-PV", year=2024, kind="budget").delete()
    wb = Workbook()
    ws = wb.active
    ws.append(["Radkod", "Enhet", "Period", "Typ", "Belopp"])
    for code, value in BUDGET_2024.items():
        number = int(value.replace(" ", ""))
        ws.append([code, "Division Primärvård", 2024, "budget", number])
    ws.append(["SRS-RR-KOST-PERS", "SRS-PV", "202403", "utfall", "-66 858,5"])
    path = tmp_path / "rr.xlsx"
    wb.save(path)
    report = run_import("ledger", path.open("rb"))
    assert report.ok, report.rejected
    assert report.created == 15
    assert result_2024_budget()[("SRS-RR-RESULTAT", "total")] == D("-3000")
    march = Amount.objects.get(unit__code="SRS-PV", year=2024, kind="actual", month=3)
    assert march.value == D("-66858.5")


@pytest.mark.parametrize(
    ("role", "where", "kind", "allowed"),
    [
        ("planner", "SRS-PV", "budget", True),
        ("reporter", "SRS-PV", "actual", True),
        ("reporter", "SRS-PV", "budget", False),
        ("reader", "SRS", "actual", False),
        ("planner", "SRS-PRD", "budget", False),
    ],
)
def test_roles(demo, user_on, tmp_path, role, where, kind, allowed):
    user = user_on(getattr(Role, role.upper()), where)
    rows = [(c, "SRS-PV", "2027", kind, v) for c, v in BUDGET_2024.items()]
    report = run_import("ledger", csv_file(tmp_path, rows).open("rb"), user=user)
    stored = Amount.objects.filter(unit__code="SRS-PV", year=2027)
    if allowed:
        assert report.ok and stored.count() == 14
        assert stored.first().history.first().history_user == user
    else:
        assert report.forbidden
        assert report.rejected[0].column == "Enhet"
        assert "behörighet" in report.rejected[0].reason
        assert not stored.exists()


def budget_indicator():
    return Indicator.objects.get(code="SRS-BUDGETAVVIKELSE")


def test_forecast_deviation_indicator_seed_003(demo, user_on):
    admin = user_on(Role.ADMIN, "SRS")
    bind_ledger_indicator(budget_indicator(), user=admin, basis="forecast")
    result = feed_ledger_indicators(organisation=pv().organisation, user=None)
    # Prognos 2023 -58 000 minus Budget 2023 -6 000.
    assert result.values == {("SRS-BUDGETAVVIKELSE", "SRS-PV", "2023"): D("-52000")}
    outcome = Outcome.objects.get(indicator__code="SRS-BUDGETAVVIKELSE", unit__code="SRS-PV")
    assert (outcome.period, outcome.value) == ("2023", -52000)
    assert (outcome.source, outcome.data_source) == ("import", "Ekonomisystem")
    again = feed_ledger_indicators(organisation=pv().organisation, user=None)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_binding_needs_plan_on_the_organisation(demo, user_on):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        bind_ledger_indicator(budget_indicator(), user=user_on(Role.PLANNER, "SRS-PV"))


def test_actual_deviation_fed_after_import(demo, user_on, tmp_path):
    bind_ledger_indicator(budget_indicator(), user=user_on(Role.ADMIN, "SRS"), basis="actual")
    planner = user_on(Role.PLANNER, "SRS-PV")
    # Actuals 2024 as budgeted, except personnel 18 000 tkr over budget.
    actual = {**BUDGET_2024, "SRS-RR-KOST-PERS": "-820 300"}
    rows = [(c, "SRS-PV", "2024", "Utfall", v) for c, v in actual.items()]
    # Monthly budget and actuals on personnel, January-April.
    for month, (planned, real) in enumerate(
        [("-66 000", "-67 000"), ("-66 000", "-66 500"), ("-66 000", "-66 000"),
         ("-66 000", "-68 500")], start=1
    ):  # fmt: skip
        rows.append(("SRS-RR-KOST-PERS", "SRS-PV", f"2024-{month:02d}", "budget", planned))
        rows.append(("SRS-RR-KOST-PERS", "SRS-PV", f"2024-{month:02d}", "utfall", real))
    path = csv_file(tmp_path, [(r[0], r[1], "", r[3], r[4], r[2]) for r in rows],
                    header="Rad;Enhet;År;Typ;Belopp;Period")  # fmt: skip
    report = run_import("ledger", path.open("rb"), user=planner)
    assert report.ok, report.rejected
    outcomes = dict(
        Outcome.objects.filter(
            indicator__code="SRS-BUDGETAVVIKELSE", unit__code="SRS-PV"
        ).values_list("period", "value")
    )
    # Year: -21 000 against the budgeted -3 000; DÅ04: -268 000 against -264 000.
    assert outcomes == {"2024": -18000, "2024-DÅ04": -4000}
    outcome = Outcome.objects.get(indicator__code="SRS-BUDGETAVVIKELSE", period="2024")
    assert outcome.updated_by == planner and outcome.data_source == "Ekonomisystem"


def test_command_option_binds_and_feeds(demo):
    out = io.StringIO()
    call_command("ledger_indicators", "--org", "SRS-PV", "--bind", "SRS-BUDGETAVVIKELSE",
                 "--basis", "forecast", "--json", stdout=out)  # fmt: skip
    data = json.loads(out.getvalue())
    assert data["created"] == 1
    assert data["outcomes"] == [
        {"indicator": "SRS-BUDGETAVVIKELSE", "org": "SRS-PV", "period": "2023", "value": -52000.0}
    ]
    with pytest.raises(CommandError) as info:
        call_command("ledger_indicators", "--bind", "FINNS-INTE", stdout=io.StringIO())
    assert info.value.returncode == 2


def test_rejected_rows_are_in_the_active_language(demo, tmp_path):
    from django.utils import translation

    rows = [
        ("SRS-RR-KOST", "SRS-PV", "2024", "Budget", "-1 073 400"),  # a sum line
        ("SRS-RR-INT-AVG", "SRS-PV", "2024", "Budget", "1.757"),
        ("SRS-RR-INT-OVR", "SRS-PV", "2024", "Vad som helst", "1"),
        ("SRS-RR-INT-OVR", "SRS-PV", "20x4", "Budget", "1"),
    ]
    path = csv_file(tmp_path, rows)
    expected = {
        "en": [
            "is a total line; enter the amounts on the lines under it.",
            "1.757",
            "Unknown kind 'Vad som helst'",
            "Invalid year '20x4'.",
        ],
        "sv": [
            "är en summarad; ange beloppen på raderna under den.",
            "1.757",
            "Okänd typ 'Vad som helst' (utfall, budget, prognos eller plan).",
            "Ogiltigt år '20x4'.",
        ],
    }
    for language, parts in expected.items():
        with translation.override(language):
            report = run_import("ledger", path.open("rb"), dry_run=True)
        reasons = [e.reason for e in report.rejected]
        assert len(reasons) == 4, reasons
        for part, reason in zip(parts, reasons, strict=True):
            assert part in reason, (language, reasons)
