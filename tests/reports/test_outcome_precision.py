"""An outcome is never rounded so far that it prints as its target when it is not: 2,1 %
beside "max 2 %" is not "2 %" (issue 17, the scorecard's "Delvis uppfyllt" beside a
rounded "2 %")."""

from types import SimpleNamespace

from styrkort.followup.evaluation import Obs
from styrkort.reports.cells import outcome_cell, shown_decimals


def indicator(value, target_text, target_value, decimals=0):
    target = SimpleNamespace(
        text=target_text, spec={"kind": "value", "value": target_value, "unit": "%"}
    )
    return SimpleNamespace(
        obs={"total": Obs(value=value)}, unit="%", decimals=decimals, target=target
    )


def test_an_outcome_next_to_its_target_keeps_the_decimal_that_tells_them_apart():
    assert outcome_cell(indicator(2.1, "max 2 %", 2.0)).text == "2,1\u00a0%"
    assert outcome_cell(indicator(1.96, "max 2 %", 2.0)).text == "1,96\u00a0%"


def test_other_outcomes_keep_the_indicators_decimals():
    assert outcome_cell(indicator(2.0, "max 2 %", 2.0)).text == "2\u00a0%"
    assert outcome_cell(indicator(3.4, "max 2 %", 2.0)).text == "3\u00a0%"
    assert shown_decimals(None, 2.0, 0) == 0
    assert shown_decimals(2.1, None, 0) == 0
