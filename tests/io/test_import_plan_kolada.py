"""The plan import's Kolada column: an indicator's Kolada KPI set from the file, and a bad
id rejected with the row and the column named, nothing imported."""

from __future__ import annotations

import io

import pytest

from factories import PlanModelFactory
from styrkort.io.services import run_import
from styrkort.planning.models import Indicator, Plan

HEADER = (
    "plan;plannamn;enhet;första år;sista år;mål1;indikator;indikatornamn;måttenhet;"
    "riktning;kolada;målår;målvärde\n"
)
ROW = (
    "ls1-2022;Verksamhetsplan 2022;NLL-LS1;2022;2022;Medborgare;vantetid-90;"
    "Andel väntande högst 90 dagar till första besök;%;högre;{kpi};2022;I nivå med riket\n"
)


@pytest.fixture
def model(world):
    return PlanModelFactory(organisation=world.org, name="Balanserad styrning Norrbotten")


def run(text, user):
    return run_import("plans", io.BytesIO(text.encode()), user=user)


def test_the_kolada_column_sets_the_indicators_kpi(world, model):
    report = run(HEADER + ROW.format(kpi="n79221"), world.users.admin)
    assert report.ok, report.rejected
    indicator = Indicator.objects.get(code="vantetid-90")
    assert indicator.kolada_kpi == "N79221"
    target = Plan.objects.get(code="ls1-2022").placements.get().targets.get()
    assert (target.spec["kind"], target.spec["relation"]) == ("comparison", "level")


def test_a_bad_kolada_id_is_rejected_naming_row_and_column(world, model):
    report = run(HEADER + ROW.format(kpi="X-1"), world.users.admin)
    assert not report.ok
    assert any(
        r.row == 2 and r.column == "kolada" and "är inget Kolada-id" in r.reason
        for r in report.rejected
    ), report.rejected
    assert not Indicator.objects.filter(code="vantetid-90").exists()
