"""The indicator page's comparison chart draws, for a division, its sibling divisions'
yearly outcomes beside the region, riket and the unit's own, with the same numbers in
the chart's table."""

import pytest

from factories import UserFactory
from styrkort.demo.loader import FIXTURE_DIR
from styrkort.followup.services import record_outcome
from styrkort.organisation.models import OrgUnit
from styrkort.periods import parse_period
from styrkort.planning.models import Indicator
from styrkort.web import comparisons
from styrkort.web.comparisons import indicator_context

pytestmark = pytest.mark.django_db

DEMO_FILES = [
    *sorted(FIXTURE_DIR.glob("00[1-8]-norrbotten-*.yaml")),
    FIXTURE_DIR / "20-srs-organisation.yaml",
    FIXTURE_DIR / "30-jll-organisation.yaml",
    FIXTURE_DIR / "70-kolada-comparisons.yaml",
]
PERIOD = parse_period("2022-DÅ04")


def _svg(context) -> str:
    """The chart's SVG text from its data URI."""
    import base64
    from urllib.parse import unquote

    head, _, data = context["comparison_chart_uri"].partition(",")
    return base64.b64decode(data).decode() if head.endswith(";base64") else unquote(data)


def _cells(context, year: int) -> dict[str, str]:
    row = next(r for r in context["comparison_table"] if r["year"] == year)
    return {n: c["value"] for n, c in zip(context["comparison_names"], row["cells"], strict=True)}


@pytest.fixture
def waiting(demo):
    """Division Länssjukvård 1's waiting-time indicator (Kolada N79221), with yearly
    outcomes of 2021 saved for itself and its sibling Länssjukvård 2."""
    indicator = Indicator.objects.get(code="NLL-VANT-FORSTA-90")
    admin = UserFactory(username="controller", is_superuser=True)
    ls1, ls2 = OrgUnit.objects.get(code="NLL-LS1"), OrgUnit.objects.get(code="NLL-LS2")
    for unit, value in ((ls1, 51), (ls2, 47.5)):
        record_outcome(indicator=indicator, unit=unit, period="2021", value=value, user=admin)
    return indicator, ls1, ls2


def test_a_division_is_drawn_beside_its_sibling_divisions(waiting):
    indicator, ls1, ls2 = waiting
    context = indicator_context(indicator, ls1, PERIOD)
    assert context["comparison_siblings"] == [ls2.name]
    cells = _cells(context, 2021)
    assert cells[f"{ls1.name}, eget helårsutfall"] == "51,0\u00a0%"
    assert cells[ls2.name] == "47,5\u00a0%"
    assert cells["Riket"] and cells["Region Norrbotten"]  # still beside riket and the region
    assert ls2.name in _svg(context)  # a line of its own, named in the legend


def test_siblings_without_outcomes_and_the_region_draw_no_sibling_lines(waiting):
    indicator, ls1, ls2 = waiting
    region = OrgUnit.objects.get(code="NLL")
    assert indicator_context(indicator, region, PERIOD)["comparison_siblings"] == []
    context = indicator_context(indicator, ls2, PERIOD)
    assert context["comparison_siblings"] == [ls1.name]  # NLL-NARA etc. have no outcomes


def test_more_siblings_than_drawn_are_counted(waiting, monkeypatch):
    indicator, ls1, _ls2 = waiting
    monkeypatch.setattr(comparisons, "MAX_SIBLINGS", 0)
    context = indicator_context(indicator, ls1, PERIOD)
    assert context["comparison_siblings"] == [] and context["comparison_siblings_left"] == 1
