"""Two people edit the same outcome in Chromium: the first saves; the second, whose form
was read before, gets the conflict with the first person's value, who saved it and when,
and chooses to overwrite with their own. Nothing is lost: the history has both values."""

import pytest

from factories import PASSWORD, build_world
from styrkort.concurrency import who_text
from styrkort.followup.models import Outcome

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
PERIOD = "2022-DÅ04"


@pytest.fixture
def world(transactional_db):
    return build_world()


def login(page, live_server, username):
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server.url}/")


def test_second_save_gets_the_conflict_and_nothing_is_lost(
    world, page, browser, browser_context_args, live_server
):
    url = f"{live_server.url}/enheter/NLL-LS1/rapportera/?period={PERIOD}"
    login(page, live_server, "reporter")
    page.goto(url)
    other_context = browser.new_context(**browser_context_args)
    other = other_context.new_page()
    try:
        login(other, live_server, "planner")
        other.goto(url)  # both forms are read before anyone saves

        first = page.locator("#rad-lakarbesok")
        first.get_by_label("Värde, totalt").fill("31 180")
        first.get_by_role("button", name="Spara").click()
        page.locator("#rad-lakarbesok .message-success").wait_for()

        second = other.locator("#rad-lakarbesok")
        second.get_by_label("Värde, totalt").fill("30 000")
        second.get_by_role("button", name="Spara").click()
        conflict = other.locator("#konflikt-lakarbesok")
        conflict.wait_for()
        shown = conflict.inner_text().replace("\u00a0", " ")
        assert "Ditt värde: 30 000" in shown
        assert f"Sparat av {who_text(world.users.reporter)} kl." in shown
        assert "31 180" in shown
        stored = Outcome.objects.get(indicator=world.visits, unit=world.ls1, period=PERIOD)
        assert stored.value == 31180  # nothing of the second save yet

        other.locator("#rad-lakarbesok").get_by_role(
            "button", name="Skriv över med mitt värde"
        ).click()
        other.locator("#rad-lakarbesok .message-success").wait_for()
        assert other.locator("#konflikt-lakarbesok").count() == 0
    finally:
        other_context.close()

    stored = Outcome.objects.get(indicator=world.visits, unit=world.ls1, period=PERIOD)
    assert stored.value == 30000
    history = list(
        stored.history.order_by("history_date").values_list("value", "history_user__username")
    )
    assert history == [(31180, "reporter"), (30000, "planner")]
