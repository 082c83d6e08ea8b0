"""A whole reporting round in Chromium, as the people in it live it: the region's
administrator opens the round; the reporter sees the task on the start page, reports and
marks VO Internmedicin ready; the division's planner returns it with a comment; the
reporter fixes it and marks it ready again; the planner approves; the unit is locked
(the reporting page read-only, the API 409, the import exit 2 with nothing written); the
planner reopens it with a reason; the unit's history shows every step. axe-core finds
no violation on the pages of the round."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient
from test_web import axe_violations, login

from factories import build_world
from styrkort.commands import BadInput
from styrkort.followup.models import Outcome

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PERIOD = "2022-DÅ08"
UNIT_PAGE = f"/uppfoljning/nll/{PERIOD}/NLL-LS1-IM/"
REPORTING = f"/enheter/NLL-LS1-IM/rapportera/?period={PERIOD}"
VISITS = "Värde, totalt – Antal läkarbesök"


@pytest.fixture
def world(transactional_db):
    return build_world()


def _sign_out(page, live_server):
    page.context.clear_cookies()


def _report_visits(page, live_server, value: str):
    page.goto(live_server.url + REPORTING)
    page.get_by_label(VISITS).fill(value)
    with page.expect_response(lambda r: "/rapportera/lakarbesok/" in r.url):
        page.locator("#save-lakarbesok").click()
    page.wait_for_load_state("load")


def test_a_whole_round(world, page, live_server, tmp_path):
    today = timezone.localdate()
    # The region's administrator opens the round.
    login(page, live_server, "admin")
    page.goto(live_server.url + "/uppfoljning/nll/")
    form = page.locator("form", has=page.get_by_role("button", name="Öppna tillfället"))
    form.get_by_label("Uppföljningsperiod").fill(PERIOD)
    form.locator("input[name=opens_on]").fill(today.isoformat())
    form.locator("input[name=deadline]").fill((today + dt.timedelta(days=10)).isoformat())
    page.get_by_role("button", name="Öppna tillfället").click()
    page.wait_for_load_state("load")
    assert "DÅ08 2022" in page.content()
    assert axe_violations(page) == []
    _sign_out(page, live_server)

    # The reporter sees the task, reports and marks the unit ready.
    login(page, live_server, "reporter")
    assert page.get_by_role("heading", name="Mina uppgifter").is_visible()
    assert page.get_by_text("VO Internmedicin").first.is_visible()
    assert "10 dagar kvar" in page.content()
    _report_visits(page, live_server, "10 300")
    assert axe_violations(page) == []
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Klarmarkera VO Internmedicin").click()
    page.wait_for_load_state("load")
    _sign_out(page, live_server)

    # The division's planner returns it with a comment.
    login(page, live_server, "planner")
    page.locator("summary", has_text="Återsänd").filter(has_text="VO Internmedicin").first.click()
    page.get_by_label("Kommentar till VO Internmedicin", exact=False).first.fill(
        "Läkarbesöken ska räknas utan distansbesök."
    )
    page.get_by_role("button", name="Återsänd med kommentar").first.click()
    page.wait_for_load_state("load")
    _sign_out(page, live_server)

    # The reporter reads the comment, fixes the value and marks it ready again.
    login(page, live_server, "reporter")
    assert "Läkarbesöken ska räknas utan distansbesök." in page.content()
    _report_visits(page, live_server, "10 150")
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Klarmarkera VO Internmedicin").click()
    page.wait_for_load_state("load")
    _sign_out(page, live_server)

    # The planner approves: the unit is locked.
    login(page, live_server, "planner")
    page.get_by_role("button", name="Godkänn VO Internmedicin").first.click()
    page.wait_for_load_state("load")
    page.goto(live_server.url + REPORTING)
    assert "DÅ08 2022 är låst för VO Internmedicin" in page.content()
    assert page.get_by_label(VISITS).count() == 0
    assert axe_violations(page) == []

    stored = Outcome.objects.get(unit=world.im, indicator=world.visits, period=PERIOD)
    assert stored.value == 10150
    client = APIClient()
    client.force_authenticate(world.users.reporter)
    response = client.post(
        "/api/outcomes/",
        {"indicator": world.visits.pk, "unit": world.im.pk, "period": PERIOD, "value": 1},
        format="json",
    )
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "locked"
    csv = tmp_path / "utfall.csv"
    csv.write_text(f"org;indicator;period;value\nNLL-LS1-IM;lakarbesok;{PERIOD};1\n")
    with pytest.raises(BadInput) as exc:
        call_command("import_data", "outcomes", str(csv))
    assert exc.value.returncode == 2
    stored.refresh_from_db()
    assert stored.value == 10150

    # Reopened with a reason: the reporter may write again.
    page.goto(live_server.url + UNIT_PAGE)
    page.get_by_label("Skäl till att öppna VO Internmedicin igen", exact=False).fill(
        "Rättelse av augusti efter kvalitetsgranskning."
    )
    page.get_by_role("button", name="Öppna enheten igen").click()
    page.wait_for_load_state("load")
    page.goto(live_server.url + REPORTING)
    assert page.get_by_label(VISITS).count() == 1

    # The history shows every step.
    page.goto(live_server.url + UNIT_PAGE)
    history = page.locator("table.round-history").inner_text()
    for text in (
        "Klarmarkerad",
        "Godkänd",
        "Läkarbesöken ska räknas utan distansbesök.",
        "Rättelse av augusti efter kvalitetsgranskning.",
    ):
        assert text in history, text
    assert axe_violations(page) == []
