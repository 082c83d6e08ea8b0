"""The reporting table in Chromium, in an open round: axe-core finds no violation (also
with the status of typed values shown and a row in error), the status follows what is
typed before saving, "Spara alla ändringar" saves the changed rows and sums up, the
filter hides complete rows, and at a phone's width nothing scrolls sideways."""

import datetime as dt

import pytest
from django.utils import timezone
from test_web import axe_violations, login

from factories import build_world
from styrkort.followup.models import Outcome
from styrkort.rounds import services

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PERIOD = "2022-DÅ04"


@pytest.fixture
def world(transactional_db):
    world = build_world()
    today = timezone.localdate()
    services.open_round(
        user=world.users.admin,
        organisation=world.org,
        period=PERIOD,
        opens_on=today - dt.timedelta(days=5),
        deadline=today + dt.timedelta(days=10),
    )
    return world


def test_reporting_table_in_a_round(world, page, live_server):
    login(page, live_server, "reporter")
    page.goto(f"{live_server.url}/enheter/NLL-LS1/rapportera/?period={PERIOD}")
    assert page.get_by_role("heading", name="Uppföljningstillfälle DÅ04 2022").is_visible()
    assert axe_violations(page) == []

    # Status as typed: the wait share 51 % is not met against 100 %; 100 % is.
    wait = page.locator("#rad-vantetid-forsta-besok")
    wait.get_by_label("Värde, totalt").fill("100")
    wait.get_by_label("Värde, kvinnor").fill("100")
    wait.get_by_label("Värde, män").fill("100")
    preview = page.locator("#preview-vantetid-forsta-besok")
    preview.get_by_text("Med dina värden:").wait_for()
    assert "Uppfyllt" in preview.inner_text() and "Ej uppfyllt" not in preview.inner_text()
    assert (
        Outcome.objects.get(indicator=world.wait, unit=world.ls1, sex="total", period=PERIOD).value
        == 51
    )

    # Two rows changed, one of them wrong: save all, one saved, one in error.
    visits = page.locator("#rad-lakarbesok")
    visits.get_by_label("Värde, totalt").fill("31 180")
    page.locator("#rad-aterinskrivningar-65").get_by_label("Värde, kvinnor").fill("mycket")
    wait.get_by_label("Värde, totalt").fill("51")
    wait.get_by_label("Värde, kvinnor").fill("45")
    wait.get_by_label("Värde, män").fill("60")
    page.get_by_role("button", name="Spara alla ändringar").first.click()
    summary = page.locator(".save-summary").first
    summary.filter(has_text="rad").wait_for()
    assert "2 rader sparade, 1 rad har fel." in summary.inner_text()
    page.locator("#f-aterinskrivningar-65-value_women-error").wait_for()
    assert Outcome.objects.get(indicator=world.visits, unit=world.ls1, period=PERIOD).value == (
        31180
    )
    assert axe_violations(page) == []

    # The filter hides the complete rows (doctor visits now has its value).
    page.get_by_label("Visa bara det som saknas").check()
    assert page.locator("#rad-lakarbesok").is_hidden()
    assert page.locator("#rad-aterinskrivningar-65").is_visible()  # still in error

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/enheter/NLL-LS1/rapportera/?period={PERIOD}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
