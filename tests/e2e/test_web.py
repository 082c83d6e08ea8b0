"""Browser tests: Playwright driving Debian's Chromium (tests/conftest.py) against the live
Django server. A reporter reports an outcome and an analysis and sees the status change, is
refused on another unit; a reader sees but cannot edit; axe-core finds no violations on the
main pages; screenshots of the scorecard and the indicator page go to artifacts/."""

from pathlib import Path

import pytest

from accessibility import axe_violations
from factories import PASSWORD, build_world
from styrkort.followup.models import Analysis, Outcome

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
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


def test_reporter_reports_outcome_and_analysis(world, page, live_server):
    login(page, live_server, "reporter")
    page.goto(f"{live_server.url}/enheter/NLL-LS1/rapportera/?period={PERIOD}")
    row = page.locator("#rad-lakarbesok")
    result = row.locator(".report-status")
    assert "Inget utfall än" in result.inner_text()

    # A bad value: a Swedish message next to the field, nothing written.
    row.get_by_label("Värde, totalt").fill("31,18,0")
    row.get_by_role("button", name="Spara").click()
    error = page.locator("#f-lakarbesok-value_total-error")
    error.wait_for()
    assert "är inte ett tal" in error.inner_text()
    assert page.locator("#f-lakarbesok-value_total").get_attribute("aria-invalid") == "true"
    assert not Outcome.objects.filter(indicator=world.visits, period=PERIOD).exists()

    # The real value, written the Swedish way, and an analysis.
    row = page.locator("#rad-lakarbesok")
    row.get_by_label("Värde, totalt").fill("31 180")
    row.locator("summary", has_text="Analys").click()  # closed: the target is not missed
    row.get_by_label("Analys").fill("Antalet läkarbesök har ökat med 5,0 procent.")
    row.get_by_role("button", name="Spara").click()
    page.locator("#rad-lakarbesok .message-success").wait_for()
    result = page.locator("#rad-lakarbesok .report-status").inner_text()
    assert "Uppfyllt" in result
    assert "Förbättring" in result
    assert "31 180" in result.replace("\u00a0", " ")
    outcome = Outcome.objects.get(indicator=world.visits, unit=world.ls1, period=PERIOD)
    assert outcome.value == 31180
    assert outcome.updated_by.username == "reporter"
    assert Analysis.objects.get(indicator=world.visits, unit=world.ls1).text.startswith(
        "Antalet läkarbesök"
    )

    # The scorecard shows it at once: ■ met, ↑ better, +5,0 % against 29 685.
    page.goto(f"{live_server.url}/enheter/NLL-LS1/styrkort/?period={PERIOD}")
    line = page.locator("#ind-lakarbesok").inner_text().replace("\u00a0", " ")
    assert "31 180" in line
    assert "■" in line and "Uppfyllt" in line
    assert "↑" in line and "Förbättring" in line
    assert "+5,0 %" in line


def test_reporter_is_refused_on_another_unit(world, page, live_server):
    login(page, live_server, "reporter")
    page.goto(f"{live_server.url}/enheter/NLL-LS2/styrkort/?period={PERIOD}")
    assert page.get_by_role("link", name="Rapportera").count() == 0
    response = page.goto(f"{live_server.url}/enheter/NLL-LS2/rapportera/?period={PERIOD}")
    assert response.status == 403
    assert page.get_by_role("heading", name="Åtkomst nekad").is_visible()
    assert "Du saknar behörighet att rapportera för Division Länssjukvård 2" in (page.content())
    # A hand-made post with the page's own CSRF token is refused on the server too.
    status = page.evaluate(
        """async () => {
            const token = document.querySelector('[name=csrfmiddlewaretoken]').value;
            const body = new URLSearchParams({value_total: '1 757'});
            const r = await fetch('/enheter/NLL-LS2/rapportera/lakarbesok/?period=2022-DÅ04',
                {method: 'POST', body, headers: {'X-CSRFToken': token}});
            return r.status;
        }"""
    )
    assert status == 403
    assert not Outcome.objects.filter(unit=world.ls2).exists()


def test_reader_sees_but_cannot_edit(world, page, live_server):
    login(page, live_server, "reader")
    page.goto(f"{live_server.url}/enheter/NLL-LS1/styrkort/?period={PERIOD}")
    assert "Andel utskrivna patienter" in page.content()
    assert page.get_by_role("link", name="Rapportera").count() == 0
    page.goto(f"{live_server.url}/enheter/NLL-LS1/aktiviteter/?period={PERIOD}")
    assert "Utveckla den palliativa vården" in page.content()
    assert page.get_by_text("Rapportera status").count() == 0
    response = page.goto(f"{live_server.url}/enheter/NLL-LS1/rapportera/?period={PERIOD}")
    assert response.status == 403
    assert "Du saknar behörighet att rapportera" in page.content()


def test_keyboard_skip_link_and_focus(world, page, live_server):
    login(page, live_server, "reporter")
    page.goto(f"{live_server.url}/enheter/NLL-LS1/styrkort/?period={PERIOD}")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Hoppa till innehållet"
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#main"


PAGES = [
    ("tree", "/enheter/"),
    ("scorecard", f"/enheter/NLL-LS1/styrkort/?period={PERIOD}"),
    ("indicator", f"/enheter/NLL-LS1/indikatorer/aterinskrivningar-65/?period={PERIOD}"),
    ("indicator-ratio", f"/enheter/NLL-LS1/indikatorer/lakemedelsberattelse/?period={PERIOD}"),
    ("reporting", f"/enheter/NLL-LS1/rapportera/?period={PERIOD}"),
    ("activities", f"/enheter/NLL-LS1/aktiviteter/?period={PERIOD}"),
    ("plan", "/planer/ls1-2022/"),
    ("accessibility", "/tillganglighet/"),
    ("reminders", "/installningar/paminnelser/"),
    ("substitutes", "/installningar/ersattare/"),
]


def test_axe_login_page(world, page, live_server):
    page.goto(f"{live_server.url}/logga-in/")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Logga in").click()  # empty form: errors shown
    page.wait_for_load_state()
    assert axe_violations(page) == []


def test_axe_pages_and_screenshots(world, page, live_server):
    login(page, live_server, "planner")
    ARTIFACTS.mkdir(exist_ok=True)
    found = {}
    for name, url in PAGES:
        response = page.goto(live_server.url + url)
        assert response.status == 200, name
        violations = axe_violations(page)
        if violations:
            found[name] = violations
        if name in ("scorecard", "indicator"):
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    # The reporting form with an error shown, and an open activity form.
    page.goto(f"{live_server.url}/enheter/NLL-LS1/rapportera/?period={PERIOD}")
    page.locator("#rad-lakarbesok").get_by_label("Värde, totalt").fill("mycket")
    page.locator("#rad-lakarbesok").get_by_role("button", name="Spara").click()
    page.locator("#f-lakarbesok-value_total-error").wait_for()
    if v := axe_violations(page):
        found["reporting-error"] = v
    page.goto(f"{live_server.url}/enheter/NLL-LS1/aktiviteter/?period={PERIOD}")
    page.get_by_text("Rapportera status").first.click()
    if v := axe_violations(page):
        found["activities-open"] = v
    assert found == {}
    assert (ARTIFACTS / "scorecard.png").stat().st_size > 10_000
    assert (ARTIFACTS / "indicator.png").stat().st_size > 10_000


def test_planner_edits_targets_and_copies_plan(world, page, live_server):
    login(page, live_server, "planner")
    page.goto(f"{live_server.url}/planer/ls1-2022/")
    with page.expect_navigation():
        page.get_by_role("link", name="Målvärden – Antal läkarbesök").click()
    assert axe_violations(page) == []
    page.get_by_label("Målvärde (obligatoriskt)").fill("minst 31 000")
    # The plan is adopted: a change is a revision with its reason.
    page.locator("#id_target-reason").fill("Nytt mål efter dialogen i juni.")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara målvärdet").click()
    assert "Målvärdet för 2022 är sparat: minst 31 000." in page.content()
    assert "Minst 31 000" in page.inner_text("table").replace("\u00a0", " ")  # parsed
    page.goto(f"{live_server.url}/planer/ls1-2022/mal/{world.goals.strategic.pk}/")
    assert axe_violations(page) == []
    link = page.get_by_label(
        "Regionstyrelsens plan 2022–2024: Trygg norrbottning med god livskvalitet"
    )
    assert link.is_checked()  # the goal's link to the board's strategic goal
    page.goto(f"{live_server.url}/planer/ls1-2022/")
    page.get_by_role("button", name="Kopiera planen till 2023").click()
    page.wait_for_url(f"{live_server.url}/planer/ls1-2023/")
    assert "Planen är kopierad till 2023 som utkast" in page.content()
    assert "minst 31 000" in page.content()


def test_planner_creates_and_edits_activity(world, page, live_server):
    login(page, live_server, "planner")
    page.goto(f"{live_server.url}/planer/ls1-2022/")
    assert axe_violations(page) == []  # with the activity table
    page.get_by_role("link", name="Nytt uppdrag").click()
    page.wait_for_url("**/aktiviteter/ny/?typ=uppdrag")
    assert axe_violations(page) == []
    page.get_by_label("Namn (obligatoriskt)").fill("Utreda samordnad nattjour")
    page.get_by_label("Ansvarig enhet (obligatoriskt)").select_option(label="\u2003VO Neurocentrum")
    page.get_by_label("Startdatum").fill("2022-06-01")
    page.get_by_label("Slutdatum").fill("2022-05-01")
    page.get_by_label("En god vård med hög tillgänglighet").check()
    page.get_by_label("Skäl till ändringen (obligatoriskt)").fill(
        "Uppdrag från divisionsledningen."
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Spara").click()
    assert "Slutdatum får inte vara före startdatum." in page.content()
    assert axe_violations(page) == []  # with the errors shown
    page.get_by_label("Slutdatum").fill("2022-12-31")
    page.get_by_label("Skäl till ändringen (obligatoriskt)").fill(
        "Uppdrag från divisionsledningen."
    )
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(f"{live_server.url}/planer/ls1-2022/#aktiviteter")
    assert "Utreda samordnad nattjour" in page.inner_text("table.plan-activities")
    page.get_by_role("link", name="Ändra Utreda samordnad nattjour").click()
    assert page.get_by_label("Namn (obligatoriskt)").input_value() == "Utreda samordnad nattjour"
    assert axe_violations(page) == []


def test_scorecard_drill_down_to_sub_units(world, page, live_server):
    login(page, live_server, "reader")
    page.goto(f"{live_server.url}/enheter/NLL-LS1/styrkort/?period={PERIOD}")
    page.get_by_role("link", name="Underliggande enheter (2)").click()
    drill = page.locator("#drill-lakemedelsberattelse table")
    drill.wait_for()
    shown = drill.inner_text().replace("\u00a0", " ")
    assert "VO Internmedicin" in shown and "75 %" in shown
    assert "VO Neurocentrum" in shown and "100 %" in shown
    assert "/styrkort/?period=" in page.url  # loaded in place, no navigation
    assert axe_violations(page) == []
