"""The round pages in Chromium: "Mina uppgifter", the units × rounds overview, a round's
page and a unit's page in it. axe-core finds no violation on any of them, for a planner
(with the approve and return forms open) and at a phone's width nothing scrolls
sideways."""

import datetime as dt

import pytest
from django.utils import timezone
from test_web import axe_violations, login

from factories import build_world
from styrkort.rounds import services

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PERIOD = "2022-DÅ08"


@pytest.fixture
def world(transactional_db):
    world = build_world()
    today = timezone.localdate()
    rnd = services.open_round(
        user=world.users.admin,
        organisation=world.org,
        period=PERIOD,
        opens_on=today - dt.timedelta(days=5),
        deadline=today + dt.timedelta(days=10),
        level_deadlines={"3": (today + dt.timedelta(days=6)).isoformat()},
    )
    services.mark_ready(user=world.users.reporter, round=rnd, unit=world.im)
    return world


PAGES = [
    "/",
    "/uppfoljning/nll/",
    f"/uppfoljning/nll/{PERIOD}/",
    f"/uppfoljning/nll/{PERIOD}/NLL-LS1/",
    f"/uppfoljning/nll/{PERIOD}/NLL-LS1-IM/",
]


def test_round_pages_have_no_axe_violations(world, page, live_server):
    login(page, live_server, "planner")
    assert page.get_by_role("heading", name="Mina uppgifter").is_visible()
    page.locator("summary", has_text="Återsänd").first.click()  # open the return form
    assert page.get_by_label("Kommentar till VO Internmedicin").first.is_visible()
    assert axe_violations(page) == []
    for path in PAGES[1:]:
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], path
    page.set_viewport_size({"width": 375, "height": 800})
    for path in PAGES:
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, (path, width)


def test_reporter_marks_ready_from_the_start_page(world, page, live_server):
    login(page, live_server, "reporter")
    task = page.locator(".task", has_text="VO Neurocentrum")
    assert "6 dagar kvar" in task.inner_text()
    task.get_by_role("button", name="Klarmarkera VO Neurocentrum").click()
    page.wait_for_load_state("load")
    assert "VO Neurocentrum är klarmarkerad och väntar på granskning." in page.content()
    assert axe_violations(page) == []
