"""The overview and units side by side in a browser, at 1280 and 375 px wide: axe-core
clean, no sideways scrolling of the page (the grid scrolls in its own keyboard-focusable
region), the chart with its text alternative and the same numbers as a table; reached from
the scorecard's drill-down."""

from pathlib import Path

import pytest
from test_web import login

from accessibility import axe_violations

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
PERIOD = "2022-DÅ04"


def _no_page_scroll(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_overview_and_side_by_side(world, page, live_server):
    ARTIFACTS.mkdir(exist_ok=True)
    login(page, live_server, "planner")

    # From the scorecard's drill-down to the units side by side.
    page.goto(f"{live_server.url}/enheter/NLL-LS1/styrkort/?period={PERIOD}")
    page.locator("#ind-lakemedelsberattelse .drill-link").click()
    link = page.get_by_role("link", name="Enheterna sida vid sida i ett diagram")
    link.wait_for()
    link.click()
    page.wait_for_url("**/sida-vid-sida/**")
    side_url = page.url

    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(side_url)
        page.wait_for_timeout(300)
        image = page.locator("figure.chart img")
        alt = image.get_attribute("alt")
        assert "Stapeldiagram" in alt and "VO Internmedicin" in alt
        assert image.evaluate("img => img.naturalWidth > 0")
        table = page.locator("table.side-by-side")
        assert "VO Internmedicin" in table.inner_text()
        assert "VO Neurocentrum" in table.inner_text()
        assert _no_page_scroll(page), width
        assert axe_violations(page) == [], width
        page.screenshot(path=str(ARTIFACTS / f"side-by-side-{width}.png"), full_page=True)

        page.goto(f"{live_server.url}/enheter/NLL/oversikt/?period={PERIOD}")
        page.wait_for_timeout(300)
        assert page.get_by_role("heading", name="Översikt för Region Norrbotten").is_visible()
        grid = page.locator("table.unit-grid")
        assert "Division Länssjukvård 1" in grid.inner_text()
        assert _no_page_scroll(page), width
        assert axe_violations(page) == [], width
        page.screenshot(path=str(ARTIFACTS / f"overview-{width}.png"), full_page=True)

    # On the phone the grid scrolls in its own region, which the keyboard reaches.
    wrap = page.locator(".overview-grid .table-wrap")
    if wrap.evaluate("w => w.scrollWidth > w.clientWidth + 1"):
        assert wrap.get_attribute("tabindex") == "0"
        assert wrap.get_attribute("role") == "region"

    # Down the grid to a division's overview.
    grid = page.locator("table.unit-grid")
    grid.get_by_role("link", name="Division Länssjukvård 1", exact=True).click()
    page.wait_for_url("**/NLL-LS1/oversikt/**")
    assert page.get_by_role("heading", name="Vilka enheter har rapporterat").is_visible()
