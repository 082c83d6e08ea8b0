"""In Chromium, at 1 280 and 375 px: the header's search, reached by keyboard (through the
Meny button on a phone), finds "Återinskrivningar" without its accents, the results page
is axe-clean with no sideways scroll; the target form shows the parser's reading as the
planner types, refuses an unreadable target and saves it when marked "Bedöms
manuellt"."""

import pytest

from accessibility import axe_violations
from factories import PASSWORD, IndicatorFactory
from styrkort.planning.models import Target

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def login(page, live_server, user):
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill(user.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state("load")


@pytest.mark.parametrize("width", [1280, 375])
def test_search_and_target_form(world, page, live_server, width):
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 812})
    IndicatorFactory(organisation=world.org, code="aterinskrivningar", name="Återinskrivningar")
    login(page, live_server, world.users.planner)

    # The search box in the header, by keyboard only.
    page.goto(f"{live_server.url}/enheter/")
    box = page.locator("#header-search-q")
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate("[document.activeElement.id, document.activeElement.className]")
        if focused[0] == "header-search-q":
            break
        if "menu-toggle" in focused[1]:  # a phone: the search is in the menu
            page.keyboard.press("Enter")
    assert box.evaluate("e => e === document.activeElement")
    page.keyboard.type("aterinskriv")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sok/?q=aterinskriv")
    results = page.locator("#sok-indicator + ul")
    assert "Återinskrivningar" in results.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_violations(page) == []

    # The target form: the reading while typing, the refusal, then by hand.
    placement = world.placements.visits
    page.goto(f"{live_server.url}/planer/{world.plan.code}/indikatorer/{placement.pk}/")
    page.locator("#id_target-year").fill("2022")
    text = page.locator("#id_target-text")
    text.fill("max 175")
    reading = page.locator("#target-reading")
    reading.get_by_text("Högst 175").wait_for()
    text.fill("ungefär bättre")
    reading.get_by_text("inget mätbart målvärde").wait_for()
    assert axe_violations(page) == []
    page.locator("#id_target-reason").fill("Revidering efter nämndens beslut")
    page.get_by_role("button", name="Spara målvärdet").click()
    page.wait_for_load_state("load")
    assert "Styrkort kan inte läsa ”ungefär bättre”" in page.content()
    assert not Target.objects.filter(placement=placement, year=2022, text="ungefär bättre")
    page.locator("#id_target-assessed_by_hand").check()
    if page.locator("#id_target-reason").count():  # the form keeps what was typed
        page.locator("#id_target-reason").fill("Revidering efter nämndens beslut")
    page.get_by_role("button", name="Spara målvärdet").click()
    page.wait_for_load_state("load")
    assert "Det bedöms manuellt" in page.content()
    row = page.locator("tr", has_text="ungefär bättre")
    assert "Bedöms manuellt" in row.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
