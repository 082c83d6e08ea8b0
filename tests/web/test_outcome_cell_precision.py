"""The scorecard's outcome cell never rounds an outcome into its target: 2,1 % beside
"max 2 %" (an indicator kept with no decimals) prints as 2,1 %, not 2 %, which would
look met while its status says partly met."""

from types import SimpleNamespace

from styrkort.web.templatetags.scorecard_cells import outcome_html


def _item(total, target_value, decimals=0, unit="%"):
    target = SimpleNamespace(spec={"kind": "value", "op": "max", "value": target_value})
    return SimpleNamespace(unit=unit, decimals=decimals, values={"total": total}, target=target)


def test_an_outcome_next_to_its_target_keeps_the_decimal_that_differs():
    assert "2,1\xa0%" in outcome_html(_item(2.1, 2.0))
    assert "2,01\xa0%" in outcome_html(_item(2.01, 2.0))


def test_otherwise_the_indicators_own_decimals():
    assert "51\xa0%" in outcome_html(_item(51.0, 70.0))
    assert "3\xa0%" in outcome_html(_item(3.4, 2.0))
    assert "2\xa0%" in outcome_html(_item(2.0, 2.0))
