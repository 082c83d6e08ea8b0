"""Importing outcomes: what is stored, idempotency, dry runs, roles, the command."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from dbdump import dump
from styrkort.commands import BadInput
from styrkort.followup.models import Outcome
from styrkort.io.services import run_import


def csv(text: str, encoding: str = "utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


SEED_001 = (
    "Enhet;Indikator;Period;Kön;Täljare;Nämnare;Värde;Källa;Kommentar från lagret\n"
    "VO Internmedicin;lakemedelsberattelse;2022-DÅ04;T;1 320;1 753;;Datalager;x\n"
    "NLL-LS1-NC;lakemedelsberattelse;2022-DA04;totalt;4;4;;Datalager;\n"
    "NLL-LS1;aterinskrivningar-65;2022-T1;K;;;18,8 %;Datalager;\n"
    "NLL-LS1;aterinskrivningar-65;2022-DÅ04;M;;;17,3 %;Datalager;\n"
    "NLL-LS1;lakarbesok;2022;T;;;31 180;;\n"
    "NLL-LS1;lakarbesok;2021;T;;;29\u00a0685;;\n"
    "Division Länssjukvård 1;budgetavvikelse;202204;T;;;-11,2%;;\n"
)


def stored(world, code, unit, period, sex="total"):
    return Outcome.objects.get(indicator__code=code, unit__code=unit, period=period, sex=sex)


def test_outcomes_with_swedish_headers_and_numbers(world):
    report = run_import("outcomes", csv(SEED_001, "cp1252"), user=None)
    assert report.ok, report.rejected
    assert (report.created, report.updated, report.unchanged) == (7, 0, 0)
    assert report.ignored_columns == ["Kommentar från lagret"]
    assert report.encoding == "cp1252"
    im = stored(world, "lakemedelsberattelse", "NLL-LS1-IM", "2022-DÅ04")
    assert (im.numerator, im.denominator) == (1320, 1753)
    assert im.value == pytest.approx(100 * 1320 / 1753)  # 75,3 %
    assert im.source == "import" and im.data_source == "Datalager"
    assert stored(world, "aterinskrivningar-65", "NLL-LS1", "2022-DÅ04", "women").value == 18.8
    assert stored(world, "lakarbesok", "NLL-LS1", "2022").value == 31180
    assert stored(world, "lakarbesok", "NLL-LS1", "2021").value == 29685
    assert stored(world, "budgetavvikelse", "NLL-LS1", "2022-04").value == -11.2
    # History written for every new row, as simple-history's bulk helper does.
    assert Outcome.history.filter(history_type="+", source="import").count() == 7


def test_importing_twice_changes_nothing(world):
    first = run_import("outcomes", csv(SEED_001), user=world.users.reporter)
    assert first.ok and first.created == 7
    before = dump()
    second = run_import("outcomes", csv(SEED_001), user=world.users.reporter)
    assert second.ok
    assert (second.created, second.updated, second.unchanged) == (0, 0, 7)
    assert dump() == before


def test_changed_values_are_updated_with_history(world):
    run_import("outcomes", csv(SEED_001), user=None)
    changed = SEED_001.replace("31 180", "31 181")
    report = run_import("outcomes", csv(changed), user=world.users.reporter)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 6)
    outcome = stored(world, "lakarbesok", "NLL-LS1", "2022")
    assert outcome.value == 31181 and outcome.updated_by == world.users.reporter
    last = outcome.history.order_by("-history_id").first()
    assert last.history_type == "~" and last.history_user == world.users.reporter
    assert last.value == 31181


def test_existing_seed_outcomes_updated_from_counts(world):
    """World holds seed 001's women 644/819; a file with new counts updates the value."""
    report = run_import(
        "outcomes",
        csv(
            "org,indicator,period,sex,numerator,denominator\nNLL-LS1,lakemedelsberattelse,2022-DÅ04,K,650,819\n"
        ),
        user=None,
    )
    assert (report.created, report.updated) == (0, 1)
    women = stored(world, "lakemedelsberattelse", "NLL-LS1", "2022-DÅ04", "women")
    assert women.value == pytest.approx(100 * 650 / 819)


def test_identical_duplicate_rows_are_written_once(world):
    text = "org;indicator;period;value\nNLL-LS1;lakarbesok;2022;5\nNLL-LS1;lakarbesok;2022;5,0\n"
    report = run_import("outcomes", csv(text), user=None)
    assert report.ok and report.created == 1 and report.duplicates == 1


def test_dry_run_reports_counts_and_writes_nothing(world):
    before = dump()
    report = run_import("outcomes", csv(SEED_001), user=None, dry_run=True)
    assert report.ok and report.created == 7
    assert dump() == before


def test_roles_are_checked_per_row(world):
    text = (
        "org;indicator;period;value\n"
        "NLL-LS1-IM;lakarbesok;2022;5\n"  # inside the reporter's subtree
        "NLL-LS2;lakarbesok;2022;5\n"  # outside
    )
    before = dump()
    report = run_import("outcomes", csv(text), user=world.users.reporter)
    assert [(e.row, e.column) for e in report.rejected] == [(3, "org")]
    assert "behörighet" in report.rejected[0].reason and report.forbidden
    assert dump() == before
    assert not run_import("outcomes", csv(text), user=world.users.reader).ok
    assert run_import("outcomes", csv(text), user=world.users.admin).created == 2


def test_other_tenants_indicator_is_refused(world):
    text = "org;indicator;period;value\nNLL-LS1;srs-besok;2022;5\n"
    report = run_import("outcomes", csv(text), user=None)
    assert report.rejected[0].column == "indicator"
    assert "annan organisation" in report.rejected[0].reason


def test_closed_unit_refused_after_it_closed(world):
    text = (
        "org;indicator;period;value\n"
        "NLL-PV-GAL;lakarbesok;2023;100\n"
        "Hälsocentral Gallerian;lakarbesok;2024-03;100\n"
    )
    report = run_import("outcomes", csv(text), user=None)
    assert [(e.row, e.column) for e in report.rejected] == [(3, "org")]
    assert "fanns inte under perioden 2024-03" in report.rejected[0].reason


def test_missing_required_column(world):
    report = run_import("outcomes", csv("org;period;value\nNLL-LS1;2022;5\n"), user=None)
    assert [e.reason for e in report.rejected] == ["Kolumnen indicator/indikator saknas."]


def test_command_json_and_exit_status(world, tmp_path, capsys):
    path = tmp_path / "utfall.csv"
    path.write_text(SEED_001, encoding="utf-8-sig")
    call_command("import_data", "outcomes", str(path), "--json")
    out = json.loads(capsys.readouterr().out)
    assert {k: out[k] for k in ("created", "updated", "unchanged", "rejected")} == {
        "created": 7,
        "updated": 0,
        "unchanged": 0,
        "rejected": [],
    }
    assert out["ignored_columns"] == ["Kommentar från lagret"]
    call_command("import_data", "outcomes", str(path), "--json")
    again = json.loads(capsys.readouterr().out)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 7)

    bad = tmp_path / "fel.csv"
    bad.write_text("org;indicator;period;value\nNLL-LS1;nope;2022-13;x\n")
    with pytest.raises(BadInput) as exc:
        call_command("import_data", "outcomes", str(bad), "--json")
    assert exc.value.returncode == 2
    out = json.loads(capsys.readouterr().out)
    assert [(e["row"], e["column"]) for e in out["rejected"]] == [
        (2, "indicator"),
        (2, "period"),
        (2, "value"),
    ]
    assert out["rejected"][1]["reason"].startswith("Okänd period: '2022-13'")


def test_command_user_option(world, tmp_path, capsys):
    path = tmp_path / "utfall.csv"
    path.write_text("org;indicator;period;value\nNLL-LS2;lakarbesok;2022;5\n")
    with pytest.raises(BadInput, match="behörighet"):
        call_command("import_data", "outcomes", str(path), "--user", "reporter")
    with pytest.raises(BadInput, match="Okänd användare"):
        call_command("import_data", "outcomes", str(path), "--user", "nobody")
    call_command("import_data", "outcomes", str(path), "--user", "reporter_ls2")
    assert "1 skapade" in capsys.readouterr().out
    assert Outcome.objects.get(unit__code="NLL-LS2").updated_by == world.users.reporter_ls2


def test_progress_is_reported(world):
    rows = "".join(f"NLL-LS1;lakarbesok;2021-{m:02d};{m}\n" for m in range(1, 13))
    text = "org;indicator;period;value\n" + rows * 1
    calls = []
    report = run_import(
        "outcomes", csv(text), user=None, progress=lambda done, total: calls.append((done, total))
    )
    assert report.ok
    assert calls and calls[-1][0] == calls[-1][1] == len(text.encode())


def test_many_batches_give_the_same_result(world, monkeypatch):
    """Rows are written in batches (on PostgreSQL while the next batch is read): with a
    batch of 5 rows, 36 rows and a re-import still count and store exactly."""
    monkeypatch.setattr("styrkort.io.writers.BATCH_ROWS", 5)
    lines = [
        f"{unit};{code};2021-{month:02d};{month * 10 + n}"
        for n, unit in enumerate(("NLL-LS1", "NLL-LS1-IM", "NLL-LS1-NC"))
        for code in ("lakarbesok",)
        for month in range(1, 13)
    ]
    text = "org;indicator;period;value\n" + "\n".join(lines) + "\n"
    first = run_import("outcomes", csv(text), user=world.users.admin)
    assert (first.created, first.updated, first.unchanged) == (36, 0, 0)
    changed = text.replace("2021-05;50", "2021-05;55")
    second = run_import("outcomes", csv(changed), user=world.users.admin)
    assert (second.created, second.updated, second.unchanged) == (0, 1, 35)
    assert Outcome.history.filter(history_type="+").count() >= 36
    assert Outcome.history.filter(history_type="~", value=55).count() == 1
