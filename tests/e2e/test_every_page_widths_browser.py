"""Every page of the web app on a phone (375 x 812) and a desktop (1 280 x 900), in
Chromium with the whole demo loaded: no page scrolls sideways
(document.scrollingElement.scrollWidth <= innerWidth), axe-core finds nothing at either
width, the header is compact on the phone and its menu opens and closes, the plan page's
sections fold and stay folded when the page is opened again, and the risk page printed
to PDF (A4 landscape) holds every column's header, the unit, the year and the print date.

One browser, one sign-in per role; each page is loaded once at 375 px and checked again
after widening the window (the scroll regions of styrkort.js follow the resize)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from accessibility import AXE, TAGS, axe_violations
from styrkort.demo.loader import load_fixtures
from styrkort.demo.users import DEMO_PASSWORD, create_demo_users

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "layout"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
PERIOD = "2022-DÅ04"
OPEN_PERIOD = "2022-DÅ08"


@pytest.fixture
def demo(transactional_db):
    load_fixtures()
    create_demo_users()


def _login(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server.url}/")


def _pages() -> dict[str, list[str]]:
    """The pages to visit, per user: every page of the web app that answers a GET with
    the demo's data (jobs' progress pages and the second factor's are left to their own
    tests: they need a job or an enrolment first)."""
    from django.contrib.auth import get_user_model

    from styrkort.planning.models import Activity, Goal, Plan, PlanIndicator
    from styrkort.risk.models import Control, Risk

    plan = Plan.objects.get(code="NLL-LS1-2022")
    goal = Goal.objects.filter(plan=plan, parent__isnull=False).order_by("id").first()
    placement = PlanIndicator.objects.filter(plan=plan).order_by("id").first()
    indicator = placement.indicator.code
    activity = Activity.objects.filter(plan=plan).order_by("id").first()
    risk = Risk.objects.filter(unit__code="NLL").order_by("id").first()
    control = Control.objects.filter(risk__unit__code="NLL").order_by("id").first()
    person = get_user_model().objects.get(username="planerare")
    ls1 = {"code": "NLL-LS1"}
    q = f"?period={PERIOD}"
    admin = [
        reverse("tree"),
        reverse("scorecard", kwargs=ls1) + q,
        reverse("scorecard", kwargs={"code": "NLL"}) + q,
        reverse("scorecard_subunits", kwargs={**ls1, "indicator_code": indicator}) + q,
        reverse("indicator_detail", kwargs={**ls1, "indicator_code": indicator}) + q,
        reverse("indicator_history", kwargs={**ls1, "indicator_code": indicator}) + q,
        reverse("indicator_assessment", kwargs={**ls1, "indicator_code": indicator}) + q,
        reverse("goal_followup", kwargs={**ls1, "goal_id": goal.pk}) + q,
        reverse("goal_history", kwargs={**ls1, "goal_id": goal.pk}) + q,
        reverse("reporting", kwargs=ls1) + f"?period={OPEN_PERIOD}",
        reverse("activity_list", kwargs=ls1) + q,
        reverse("plan_list", kwargs=ls1),
        reverse("plan_detail", kwargs={"plan_code": plan.code}),
        reverse("plan_history", kwargs={"plan_code": plan.code}),
        reverse("goal_create", kwargs={"plan_code": plan.code}),
        reverse("goal_edit", kwargs={"plan_code": plan.code, "goal_id": goal.pk}),
        reverse("goal_delete", kwargs={"plan_code": plan.code, "goal_id": goal.pk}),
        reverse("placement_create", kwargs={"plan_code": plan.code, "goal_id": goal.pk}),
        reverse("placement_edit", kwargs={"plan_code": plan.code, "placement_id": placement.pk}),
        reverse("activity_create", kwargs={"plan_code": plan.code}),
        reverse("activity_edit", kwargs={"plan_code": plan.code, "activity_id": activity.pk}),
        reverse("report_page", kwargs=ls1) + q,
        reverse("import_page"),
        reverse("risk_matrix", kwargs={"code": "NLL"}) + "?year=2022",
        reverse("risk_create", kwargs={"code": "NLL"}) + "?year=2022",
        reverse("risk_edit", kwargs={"code": "NLL", "risk_id": risk.pk}),
        reverse("risk_delete", kwargs={"code": "NLL", "risk_id": risk.pk}),
        reverse(
            "control_result",
            kwargs={"code": "NLL", "control_id": control.pk, "period": OPEN_PERIOD},
        ),
        reverse("economy", kwargs={"code": "SRS-PV"}),
        reverse("economy", kwargs={"code": "NLL"}),
        reverse("round_index"),
        reverse("round_overview", kwargs={"org": "nll"}),
        reverse("round_page", kwargs={"org": "nll", "period": OPEN_PERIOD}),
        reverse("round_unit", kwargs={"org": "nll", "period": OPEN_PERIOD, "code": "NLL-LS1"}),
        reverse("administration"),
        reverse("administration_home", kwargs={"org": "nll"}),
        reverse("administration_users", kwargs={"org": "nll"}),
        reverse("administration_user_new", kwargs={"org": "nll"}),
        reverse("administration_user", kwargs={"org": "nll", "pk": person.pk}),
        reverse("administration_units", kwargs={"org": "nll"}),
        reverse("administration_unit", kwargs={"org": "nll", "code": "NLL-LS1"}),
        reverse("administration_settings", kwargs={"org": "nll"}),
        reverse("administration_history", kwargs={"org": "nll"}),
        reverse("administration_signins", kwargs={"org": "nll"}),
        reverse("identity:providers"),
        reverse("identity:provider_new"),
        reverse("reminder_settings"),
        reverse("substitutes"),
        reverse("api_tokens"),
        reverse("accessibility"),
        reverse("jobs_page"),
    ]
    admin += [
        reverse("overview", kwargs={"code": "NLL"}) + q,
        reverse("side_by_side", kwargs={**ls1, "indicator_code": indicator}) + q,
        reverse("search") + "?q=aterinskriv",
    ]
    return {
        "rapportor": [reverse("home"), reverse("reporting", kwargs={"code": "NLL-LS1-IM"})],
        "admin": admin,
    }


def _widths(page) -> dict:
    return page.evaluate(
        """() => ({scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth,
                   header: Math.round(document.querySelector('.site-header')
                                      .getBoundingClientRect().height)})"""
    )


def _start_axe(page) -> None:
    """axe-core started in the page without waiting for it (see _axe_result): the phone's
    and the desktop's tab run in renderers of their own, side by side."""
    page.wait_for_load_state("load")
    page.evaluate(AXE.read_text())
    page.evaluate(
        """(tags) => { window.__axe = axe.run(document,
             {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']}); }""",
        TAGS,
    )


def _axe_result(page) -> list:
    result = page.evaluate("async () => await window.__axe")
    return [(v["id"], [n["target"] for n in v["nodes"]][:2]) for v in result["violations"]]


def test_every_page_fits_a_phone_and_a_desktop_and_passes_axe(demo, page, live_server):
    """Each page is opened in two tabs, 375 x 812 and 1 280 x 900, and checked in both."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    problems: dict[str, object] = {}
    visited = 0
    phone = page
    phone.set_viewport_size(PHONE)
    desktop = page.context.new_page()
    desktop.set_viewport_size(DESKTOP)
    tabs = [(phone, PHONE["width"]), (desktop, DESKTOP["width"])]

    def check(path):
        for tab, _width in tabs:
            response = tab.goto(live_server.url + path)
            assert response.status == 200, (path, response.status)
        for tab, width in tabs:
            widths = _widths(tab)
            if widths["scroll"] > widths["inner"]:
                problems[f"{path} {width}"] = f"scrolls sideways: {widths['scroll']}"
                tab.screenshot(path=str(ARTIFACTS / f"wide-{visited}-{width}.png"))
            if width == PHONE["width"] and widths["header"] > 60:
                problems[f"{path} {width} header"] = f"{widths['header']} px high"
        _start_axe(desktop)
        _start_axe(phone)
        for tab, width in tabs:
            if violations := _axe_result(tab):
                problems[f"{path} {width} axe"] = violations

    check("/logga-in/")
    for username, paths in _pages().items():
        _login(phone, live_server, username)
        for path in paths:
            check(path)
            visited += 1
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())
    assert visited >= 50


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_phone_menu_folding_sections_and_the_risk_page_on_paper(demo, page, live_server):
    page.set_viewport_size(PHONE)
    _login(page, live_server, "planerare")
    plan = f"{live_server.url}/planer/NLL-LS1-2022/"
    page.goto(plan)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "plan-375.png"))

    # The header is one row: the menu is behind "Meny", which opens and closes it.
    menu = page.get_by_role("button", name="Meny")
    assert menu.get_attribute("aria-expanded") == "false"
    assert not page.get_by_role("link", name="Mina uppgifter").is_visible()
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("link", name="Mina uppgifter").is_visible()
    assert axe_violations(page) == []
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false"
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Meny"

    # The table of contents lists the plan's perspectives; a section folds by its heading
    # and stays folded when the page is opened again.
    toc = page.get_by_role("navigation", name="Innehåll på sidan")
    assert toc.get_by_role("link", name="Medborgare").is_visible()
    toggle = page.locator("section[data-collapsible] h3 button").first
    section_id = toggle.get_attribute("aria-controls")
    first_row = page.locator(f"#{section_id} table.plan-indicators").first
    assert first_row.is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not first_row.is_visible()
    page.goto(plan)
    toggle = page.locator(f"button[aria-controls='{section_id}']")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert axe_violations(page) == []
    # A link to the folded section opens it.
    name = page.locator(f"#{section_id} h3").first.inner_text().split(":")[-1].strip()
    page.get_by_role("navigation", name="Innehåll på sidan").get_by_role("link", name=name).click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator(f"#{section_id} table.plan-indicators").first.is_visible()

    # The region's scorecard: a table of contents of its goal areas, each area folds.
    page.goto(f"{live_server.url}/enheter/NLL/styrkort/?period={PERIOD}")
    toc = page.get_by_role("navigation", name="Innehåll på sidan")
    assert toc.get_by_role("link", name="Medborgare").is_visible()
    area = page.locator("section.perspective[data-collapsible]").first
    area.locator("h2 button").click()
    assert area.locator("h2 button").get_attribute("aria-expanded") == "false"
    assert not area.locator("table").first.is_visible()
    page.reload()
    area = page.locator("section.perspective[data-collapsible]").first
    assert area.locator("h2 button").get_attribute("aria-expanded") == "false"

    # On a desktop the menu is simply there.
    page.set_viewport_size(DESKTOP)
    assert not menu.is_visible()
    assert page.get_by_role("link", name="Mina uppgifter").is_visible()

    _risk_page_printed(page, live_server)


RISK_COLUMNS = [
    "Nr",
    "Risk",
    "Vad kan hända",
    "Orsak",
    "Konsekvens om risken inträffar",
    "Sannolikhet",
    "Konsekvens",
    "Riskvärde",
    "Risknivå",
    "Åtgärder",
]


def _risk_page_printed(page, live_server):
    """The risk page printed to PDF: A4 landscape, every column's header on each sheet,
    the unit, the year and the print date at the top of every sheet, no navigation."""
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/risker/NLL/?year=2022")
    # On the screen at 1 280 px no column of the risk table hides to the right.
    fits = page.evaluate(
        """() => { const t = document.querySelector('table.risk-table');
                   return t.getBoundingClientRect().right <= window.innerWidth; }"""
    )
    assert fits
    page.emulate_media(media="print")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "risk-print-media.png"), full_page=False)
    pdf = ARTIFACTS / "risk-NLL-2022.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) > 1
    flat = re.sub(r"\s+", " ", text)
    # Headers repeat on every sheet; the longest may wrap over lines in its column.
    for column in RISK_COLUMNS:
        words = column.split()
        assert all(w in flat for w in words), column
    assert sum("Vad kan hända" in p for p in pages) >= 2  # the header on each sheet
    # The page header on every sheet: the unit, the year and the print date.
    for sheet in [p for p in pages if p.strip()]:
        assert "Region Norrbotten · 2022" in sheet
        assert re.search(r"Utskrivet \d{4}-\d{2}-\d{2} \d{2}:\d{2}", sheet)
    # No navigation on paper.
    assert "Mina uppgifter" not in flat and "Logga ut" not in flat
    # A4 landscape: wider than high.
    size = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", size).groups())
    assert (round(width), round(height)) == (842, 595)
