"""A target relative to riket evaluated from stored Kolada values, and `evaluate --json`'s
`comparisons`: the latest published year not after the period's year, always named,
with Kolada's own value status as `flags` and the example label in `source`."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from styrkort.comparisons.kolada import KoladaRow
from styrkort.comparisons.models import ComparisonGroup
from styrkort.comparisons.services import store_rows
from styrkort.organisation.models import Organisation
from styrkort.planning.models import Indicator, Target

pytestmark = pytest.mark.django_db

KPI = "N79221"


def rows(kpi, area, year, total, women=None, men=None, status=""):
    out = [KoladaRow(kpi, area, year, "total", total, None, status)]
    if women is not None:
        out.append(KoladaRow(kpi, area, year, "women", women, None, ""))
    if men is not None:
        out.append(KoladaRow(kpi, area, year, "men", men, None, ""))
    return out


@pytest.fixture
def compared(world):
    Organisation.objects.filter(pk=world.org.pk).update(kolada_area="0025")
    Indicator.objects.filter(pk=world.wait.pk).update(kolada_kpi=KPI)
    target = Target.objects.get(placement__indicator=world.wait, year=2022, unit=None)
    target.text = "I nivå med riket"
    target.save()
    store_rows(
        [
            *rows(KPI, "0000", 2020, 60.0, 61.0, 59.0),
            *rows(KPI, "0000", 2021, 58.0, 59.5, 56.5),
            *rows(KPI, "0025", 2021, 49.0, 47.0, 51.0, status="Bruten serie"),
            *rows(KPI, "0023", 2021, 55.0),
            *rows(KPI, "0000", 2023, 40.0),  # after the period's year: never used for 2022
        ],
        user=None,
        example=True,
    )
    ComparisonGroup.objects.create(
        organisation=world.org, name="Norra regionerna", areas=["0023", "0025"]
    )
    return world


def test_the_status_compares_with_riket_in_the_latest_year_not_after_the_period(compared):
    out = io.StringIO()
    call_command("evaluate", "--org", "NLL-LS1", "--period", "2022-DÅ04", "--json", stdout=out)
    data = json.loads(out.getvalue())
    wait = next(i for i in data["indicators"] if i["code"] == compared.wait.code)
    # LS1 51 % (K 45, M 60) against riket 2021 58 % (K 59,5, M 56,5), band 10 %.
    assert wait["status"] == {"total": "partly", "women": "not_met", "men": "met"}
    assert wait["target"]["kind"] == "comparison"
    assert wait["target"]["reference"] == {
        "kind": "national",
        "period": "2021",
        "values": {"total": 58.0, "women": 59.5, "men": 56.5},
    }
    example = "Kolada (exempelvärden, inte publicerade siffror)"
    assert wait["comparisons"] == [
        {
            "source": example,
            "kpi": KPI,
            "area": "0025",
            "area_name": "Region Norrbotten",
            "period": 2021,
            "values": {"total": 49.0, "women": 47.0, "men": 51.0},
            "flags": {"total": "Bruten serie", "women": None, "men": None},
        },
        {
            "source": example,
            "kpi": KPI,
            "area": "0000",
            "area_name": "Riket",
            "period": 2021,
            "values": {"total": 58.0, "women": 59.5, "men": 56.5},
            "flags": {"total": None, "women": None, "men": None},
        },
        {
            "source": example,
            "kpi": KPI,
            "area": "0023,0025",
            "area_name": "Norra regionerna",
            "period": 2021,
            "values": {"total": 52.0, "women": 47.0, "men": 51.0},
            "flags": {
                "total": None,
                "women": "1 område saknar värde",
                "men": "1 område saknar värde",
            },
        },
    ]
    others = [i for i in data["indicators"] if i["code"] != compared.wait.code]
    assert all(i["comparisons"] == [] for i in others)


def test_a_newer_year_is_used_and_a_region_missing_in_it_is_shown_missing(compared):
    from styrkort.followup.queries import evaluate_unit

    store_rows(rows(KPI, "0000", 2022, 57.0), user=None, example=True)
    wait = evaluate_unit(compared.ls1, "2022-DÅ04").indicator(compared.wait.code)
    assert wait.comparison_year == 2022
    own, national = wait.comparisons[:2]
    assert (own["area"], own["period"], own["values"]["total"]) == ("0025", 2022, None)
    assert (national["period"], national["values"]["total"]) == (2022, 57.0)


def test_without_a_kolada_area_there_are_no_comparisons(compared):
    from styrkort.followup.queries import evaluate_unit

    Organisation.objects.filter(pk=compared.org.pk).update(kolada_area="")
    wait = evaluate_unit(compared.ls1, "2022-DÅ04").indicator(compared.wait.code)
    assert wait.comparisons == [] and wait.status["total"] == "not_assessed"


def test_the_interim_report_prints_the_comparisons_in_a_table_of_their_own_last(compared):
    from styrkort.reports.document import Paragraph
    from styrkort.reports.interim import build_interim

    doc = build_interim(compared.ls1, "2022-DÅ04", with_charts=False, history_years=0)
    table = doc.tables()[-1]
    assert table.caption == "Jämförelsevärden från Kolada (exempelvärden, inte publicerade siffror)"
    assert table.columns == [
        "Indikator", "Område", "År", "Totalt", "Kvinnor", "Män", "Koladas anmärkning",
    ]  # fmt: skip
    rows = [[c.text for c in row] for row in table.rows]
    name = compared.wait.name
    assert rows[0] == [
        name,
        "Region Norrbotten",
        "2021",
        "49,0",
        "47,0",
        "51,0",
        "totalt: Bruten serie",
    ]
    assert rows[1] == [name, "Riket", "2021", "58,0", "59,5", "56,5", ""]
    assert doc.blocks[-1] == Paragraph(
        "Källa: Kolada – exempelvärden, inte publicerade siffror.", style="note"
    )
