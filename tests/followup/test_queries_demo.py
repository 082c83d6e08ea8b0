"""evaluate_unit against the seed demo (`styrkort demo`): Division Länssjukvård 1 at
2022-DÅ04, with the numbers printed in seed 001 (codes: docs/demo-codes.md)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from styrkort.followup.queries import evaluate_unit
from styrkort.organisation.lookup import find_unit

pytestmark = pytest.mark.django_db


def test_division_lanssjukvard_1_at_dao4_2022():
    """One load of the demo (it takes a while), then every check of seed 001."""
    call_command("demo", "--no-users", stdout=io.StringIO())
    unit = find_unit("Division Länssjukvård 1")
    ls1 = evaluate_unit(unit, "2022-DÅ04", today=dt.date(2022, 5, 31))
    check_production_change_and_share(ls1)
    check_readmissions_per_sex(ls1)
    check_medication_reports_and_per_clinic_rollup(ls1)
    check_falls_manual_assessment(ls1)
    check_remote_share_and_cli_json(ls1)


def check_production_change_and_share(ls1):
    visits = ls1.indicator("NLL-LAKARBESOK")
    assert visits.values["total"] == 31180 and visits.previous_values["total"] == 29685
    assert visits.change_pct == pytest.approx(5.036, abs=1e-3)
    # Remote doctor visits 6 247 of 31 180 = 20,0 %.
    assert ls1.share_pct("NLL-DISTBESOK-LAK", "NLL-LAKARBESOK") == pytest.approx(20.035, abs=1e-3)
    # Somatik is a child indicator of Läkarbesök: its share of the parent.
    som = ls1.indicator("NLL-LAKARBESOK-SOM")
    assert som.share_of_parent_pct == pytest.approx(100 * 29752 / 31180)
    assert ls1.indicator("NLL-DISTBESOK-LAK").change_pct == pytest.approx(-11.226, abs=1e-3)


def check_readmissions_per_sex(ls1):
    item = ls1.indicator("NLL-ATERINSKRIVNING-30")
    assert item.values["men"] == 17.3 and item.values["women"] == 18.8
    assert item.status["men"] == "partly" and item.status["women"] == "not_met"
    # The demo holds no 2021 values per sex for the same months: no trend to compute.
    assert item.trend["men"] == item.trend["women"] == "none"


def check_medication_reports_and_per_clinic_rollup(ls1):
    item = ls1.indicator("NLL-LM-BERATTELSE")
    assert item.obs["women"].numerator == 644 and item.obs["women"].denominator == 819
    assert item.obs["men"].numerator == 658 and item.obs["men"].denominator == 845
    assert item.status == {"total": "met", "women": "met", "men": "met"}
    # The division's total is 1 302 / 1 664 (78,2 %): the text's 78,5 % is a mean of the
    # two percentages and is replaced by the sexes' sums.
    assert (item.numerator, item.denominator) == (1302, 1664)
    assert (item.rollup.numerator, item.rollup.denominator) == (1324, 1757)
    assert item.rollup.from_units == 6
    [flag] = [f for f in item.reconciliation if f.against == "subunits"]
    assert (flag.direct.numerator, flag.direct.denominator) == (1302, 1664)
    assert (flag.rollup.numerator, flag.rollup.denominator) == (1324, 1757)


def check_falls_manual_assessment(ls1):
    item = ls1.indicator("NLL-FALLSKADOR")
    assert item.values["total"] == 90 and item.previous_values["total"] == 68
    assert item.computed_status["total"] == "not_assessed"  # no 2020 value
    assert item.status["total"] == "not_met"
    assert "2020" in item.assessments["total"].reason
    assert item.trend["total"] == "worse"


def check_remote_share_and_cli_json(ls1):
    item = ls1.indicator("NLL-DIGITALA-BESOK")
    assert item.values["total"] == 23.0 and item.status["total"] == "not_met"
    out = io.StringIO()
    call_command("evaluate", "--org", "NLL-LS1", "--period", "2022-T1", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["period"] == "2022-DÅ04"
    codes = {i["code"] for i in data["other_indicators"]}
    assert {"NLL-LAKARBESOK", "NLL-DISTBESOK-LAK"} <= codes
