"""`styrkort evaluate`: the Swedish table, the JSON contract, and bad input (exit 2)."""

from __future__ import annotations

import io
import json
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from factories import OrganisationFactory, OrgUnitFactory
from styrkort.followup.management.commands.evaluate import Command
from styrkort.organisation.lookup import AmbiguousUnit, UnitNotFound, find_unit

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("evaluate", *args, stdout=out)
    return out.getvalue()


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    """As the console script runs it: errors are one line on stderr and an exit status."""
    code = 0
    # run_from_argv closes every connection when it ends, which would end the test's
    # transaction on PostgreSQL.
    try:
        with mock.patch.object(connections, "close_all"):
            Command().run_from_argv(["styrkort evaluate", "evaluate", *args])
    except SystemExit as exc:
        code = exc.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_by_name_follows_the_contract(world):
    data = json.loads(
        run("--org", "Division Länssjukvård 1", "--period", "2022-DA04", "--json",
            "--today", "2022-05-15")
    )  # fmt: skip
    assert data["org"] == {
        "code": "NLL-LS1",
        "name": "Division Länssjukvård 1",
        "organisation": {"code": "nll", "name": "Region Norrbotten"},
    }
    assert data["period"] == "2022-DÅ04"
    readmit = next(i for i in data["indicators"] if i["code"] == "aterinskrivningar-65")
    assert readmit["status"] == {"total": "not_met", "women": "not_met", "men": "partly"}
    assert readmit["trend"] == {"total": "none", "women": "worse", "men": "better"}
    med = next(i for i in data["indicators"] if i["code"] == "lakemedelsberattelse")
    assert med["rollup"]["numerator"] == 1324 and med["rollup"]["from_units"] == 2
    assert med["reconciliation"][0]["direct"]["denominator"] == 1664
    assert data["activities"]["stale"][0]["number"] == "17"


def test_table_is_swedish_with_symbols_and_words(world):
    text = run("--org", "NLL-LS1", "--period", "2022-DÅ04", "--today", "2022-05-15")
    assert text.startswith("Division Länssjukvård 1 (NLL-LS1) · DÅ04 2022 (2022-DÅ04)")
    assert "Medborgare › Trygg norrbottning med god livskvalitet" in text
    readmit = next(line for line in text.splitlines() if line.strip().startswith("Oplanerade"))
    assert "17,3\u00a0%" in readmit and "18,8\u00a0%" in readmit
    assert "▲ Ej uppfyllt (K ▲, M ●)" in readmit
    assert "(K ↓, M ↑)" in readmit
    wait = next(line for line in text.splitlines() if line.strip().startswith("Andel väntande"))
    assert "51\u00a0%" in wait and "↑ Bättre" in wait and "+2,0 %-enh." in wait
    assert "1\u00a0324 / 1\u00a0757" in text and "AVVIKELSE" in text
    assert "1\u00a0302 / 1\u00a0664" in text
    assert "Inaktuell status: 17 Minskad användning av inhyrd personal" in text
    assert "■ Uppfyllt" in text and "● Pågår enligt plan 1" in text


def test_unknown_org_and_period_exit_2_with_one_line(world, capsys):
    code, out, err = run_cli(capsys, "--org", "NLL-FINNS-INTE", "--period", "2022-DÅ04")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Okänd enhet: 'NLL-FINNS-INTE'" in err
    code, out, err = run_cli(capsys, "--org", "NLL-LS1", "--period", "2022-DÅ05")
    assert code == 2 and err.count("\n") == 1 and "Okänd period: '2022-DÅ05'" in err
    code, _, err = run_cli(capsys, "--org", "NLL-LS1", "--period", "2022", "--today", "igår")
    assert code == 2 and "Ogiltigt datum" in err


def test_ambiguous_name_exits_2_and_lists_the_units(world, capsys):
    other = OrganisationFactory(code="srs", name="Region Sörmland")
    OrgUnitFactory(organisation=other, code="SRS-LS1", name="Division Länssjukvård 1")
    code, out, err = run_cli(capsys, "--org", "Division Länssjukvård 1", "--period", "2022")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "NLL-LS1 (Region Norrbotten)" in err and "SRS-LS1 (Region Sörmland)" in err
    with pytest.raises(CommandError) as info:
        run("--org", "Division Länssjukvård 1", "--period", "2022")
    assert info.value.returncode == 2


def test_find_unit_by_code_name_and_decomposed_letters(world):
    assert find_unit("nll-ls1").code == "NLL-LS1"
    assert find_unit("division länssjukvård 1").code == "NLL-LS1"
    decomposed = "Division La\u0308nssjukva\u030ard 1"
    assert find_unit(decomposed).code == "NLL-LS1"
    with pytest.raises(UnitNotFound):
        find_unit("")
    with pytest.raises(ValueError, match="Okänd enhet"):
        find_unit("Division Länssjukvård 9")
    OrgUnitFactory(
        organisation=OrganisationFactory(code="x"), code="X-LS1", name="Division Länssjukvård 1"
    )
    with pytest.raises(AmbiguousUnit) as info:
        find_unit("Division Länssjukvård 1")
    assert [u.code for u in info.value.candidates] == ["NLL-LS1", "X-LS1"]
    assert find_unit("Division Länssjukvård 1", organisation=world.org).code == "NLL-LS1"
