"""The indicator page's comparison with riket in Chromium, at 1280 and 375 px: the chart
with the riket line has a text alternative whose numbers are the table's, the 21 regions
are ranked with the own region named, every value says Källa: Kolada and that the demo's
values are examples, the status of "I nivå med riket" shows riket's value and year,
and axe-core finds no violations."""

import re

import pytest

from accessibility import axe_violations
from factories import PASSWORD, RoleAssignmentFactory, UserFactory
from styrkort.accounts.models import Role
from styrkort.demo.loader import FIXTURE_DIR, load_fixtures
from styrkort.organisation.models import OrgUnit
from styrkort.planning.models import Target

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

FILES = [
    *sorted(FIXTURE_DIR.glob("00[1-8]-norrbotten-*.yaml")),
    FIXTURE_DIR / "20-srs-organisation.yaml",
    FIXTURE_DIR / "30-jll-organisation.yaml",
    FIXTURE_DIR / "70-kolada-comparisons.yaml",
]
PAGE = "/enheter/NLL-LS1/indikatorer/NLL-VANT-FORSTA-90/?period=2022-D%C3%8504"


@pytest.fixture
def demo(transactional_db):
    load_fixtures(FILES)
    # Seed 004's "I nivå med riket" (the board's cost per DRG point, which has no Kolada
    # id) set on the waiting-time indicator here, so the page shows the status with its
    # comparison value and year.
    target = Target.objects.get(
        placement__indicator__code="NLL-VANT-FORSTA-90",
        placement__plan__unit__code="NLL-LS1",
        year=2022,
        unit=None,
    )
    target.text = "I nivå med riket"
    target.save()
    user = UserFactory(username="lasare")
    RoleAssignmentFactory(user=user, unit=OrgUnit.objects.get(code="NLL"), role=Role.READER)


def test_indicator_page_compares_with_riket_and_ranks_the_regions(demo, page, live_server):
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill("lasare")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server.url}/")
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + PAGE)
        section = page.locator("section.comparisons")
        section.get_by_role("heading", name="Jämförelse med riket och andra regioner").wait_for()
        assert "Källa: Kolada – exempelvärden, inte publicerade siffror" in section.inner_text()
        assert "DÅ04 2022 jämförs med 2022" in section.inner_text()

        # The chart's text alternative names riket and carries the table's numbers.
        alt = section.locator("figure img").get_attribute("alt")
        assert "jämfört med riket" in alt
        last = re.search(r"(\d{4}): (.+)\.$", alt)
        year, pairs = last.group(1), dict(p.split(": ") for p in last.group(2).split("; "))
        assert pairs["Riket"] == "57,0\u00a0%" and pairs["Region Norrbotten"] == "50,0\u00a0%"
        table = section.get_by_role("table", name=re.compile("Värden i jämförelsediagrammet"))
        headers = table.locator("thead th").all_inner_texts()[1:]
        row = table.get_by_role("row", name=re.compile(f"^{year}"))
        cells = row.locator("td").all_inner_texts()
        for name, value in pairs.items():
            assert cells[headers.index(name)].startswith(value)

        # 21 regions ranked, best first, the own region named in words (not colour only).
        ranking = section.locator("table.ranking tbody tr")
        assert ranking.count() == 21
        assert ranking.first.inner_text().startswith("1\t")
        own = section.locator("table.ranking tr.own-region")
        assert "Region Norrbotten (egen region)" in own.inner_text()
        assert "Kolada: Bruten serie" in section.inner_text()  # Kolada's value status shown

        # Beside the status: LS1's 51 % against riket's 57,0 % in 2022, 10 % band: partly.
        facts = page.locator("section.now dl.facts")
        assert "Delvis uppfyllt" in facts.inner_text()
        assert "Jämförelsevärde\nriket 2022: 57,0\u00a0% (Källa: Kolada, exempelvärden)" in (
            facts.inner_text()
        )
        # The section fits the phone: only its tables scroll, inside their own regions.
        overflow = section.evaluate(
            "s => [...s.querySelectorAll('*')].filter(e => !e.closest('.table-wrap')"
            " && e.getBoundingClientRect().right > window.innerWidth + 1).length"
        )
        assert overflow == 0
        page.screenshot(path=f"artifacts/comparisons-{width}.png", full_page=True)
        assert axe_violations(page) == []
