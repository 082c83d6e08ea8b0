"""The economy and risk sections of the reports say why they hold no table (no income
statement in Styrkort, no amounts for the years, risk levels that do not cover a risk
value) instead of leaving the section out without a word."""

import pytest

from styrkort.organisation.models import OrgUnit
from styrkort.periods import parse_period
from styrkort.reports.document import Paragraph, Table
from styrkort.reports.economy import economy_blocks, plan_economy_blocks, risk_blocks
from styrkort.risk.models import Risk, RiskBand
from worlds import ECONOMY_FILES

pytestmark = pytest.mark.django_db

DEMO_FILES = ECONOMY_FILES


def unit(code):
    return OrgUnit.objects.select_related("organisation").get(code=code)


def test_no_ledger_for_the_organisation_is_said(demo):
    [block] = economy_blocks(unit("NLL-LS1"), parse_period("2022-DÅ04"))
    assert block == Paragraph("Region Norrbotten har ingen resultaträkning i Styrkort.")
    [block] = plan_economy_blocks(unit("NLL-LS1"), 2022)
    assert isinstance(block, Paragraph) and "ingen resultaträkning" in block.text


def test_no_amounts_for_the_years_is_said(demo):
    [block] = economy_blocks(unit("SRS-PV"), parse_period("2030"))
    assert block == Paragraph("Resultaträkningen har inga belopp för Division Primärvård 2030.")
    [block] = plan_economy_blocks(unit("SRS-PV"), 2040)
    assert block.text == "Resultaträkningen har inga belopp för Division Primärvård 2038–2042."


def test_seed_003_income_statement_is_the_table(demo):
    [table] = plan_economy_blocks(unit("SRS-PV"), 2024)
    assert isinstance(table, Table) and table.name == "Resultaträkning"
    result = next(r for r in table.rows if r[0].text.strip() == "Årets resultat")
    assert result[1].value == pytest.approx(3177)  # Bokslut 2022: 3 177 tkr, printed in tkr
    costs = next(r for r in table.rows if r[0].text.strip() == "Finansiella kostnader")
    assert costs[1].text == "-45"  # not "0,0" as in mnkr with one decimal


def test_risk_levels_with_a_gap_are_said(demo):
    pv = unit("SRS-PV")
    assert risk_blocks(pv, 2024) == []  # no risks: no section
    # Levels written past the service (which refuses a gap): 1-8 only.
    RiskBand.objects.create(organisation=pv.organisation, name="Låg", min_value=1, max_value=8)
    Risk.objects.create(unit=pv, year=2024, title="Brist på läkare", probability=3,
                        consequence=4, value=12)  # fmt: skip
    [block] = risk_blocks(pv, 2024)
    assert isinstance(block, Paragraph)
    assert block.text.startswith("Riskerna kan inte visas: ")
    assert "riskvärdet 12" in block.text
