"""The administration in Chromium, in Swedish: Region Norrbotten's administrator
(nll-admin) creates an account, gives it a role on a unit, sets up a sign-in service
(single sign-on) and closes a unit with a date; axe-core finds no violation on any page
on the way, and at a phone's width (375 px) nothing scrolls sideways. Screenshots at
1280 and 375 px go to artifacts/administration/."""

from __future__ import annotations

import datetime as dt

import pytest
from test_web import ARTIFACTS

from accessibility import axe_violations
from factories import build_world
from styrkort.accounts.models import RoleAssignment, User
from styrkort.demo.users import DEMO_PASSWORD, create_demo_users
from styrkort.identity.models import IdentityProvider
from styrkort.organisation.models import OrgUnit

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SHOTS = ARTIFACTS / "administration"
PASSWORD = "Blåbär-i-Luleå-2026"


@pytest.fixture
def world(transactional_db):
    world = build_world()
    create_demo_users(usernames={"nll-admin", "revisor"})  # admin and auditor on NLL
    return world


@pytest.fixture
def csp_reports(page):
    """Every Content-Security-Policy violation the pages report in the console."""
    reports = []
    page.on(
        "console",
        lambda message: (
            reports.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return reports


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server.url}/")


def _follow(page, locator) -> None:
    """Click a link or a submit button and wait until the next page has loaded."""
    with page.expect_navigation(wait_until="load"):
        locator.click()


def _check(page, name: str) -> None:
    """No axe violation; a screenshot at 1280 px."""
    assert axe_violations(page) == [], name
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-1280.png"), full_page=True)


def test_an_organisation_administrator_at_work(world, page, live_server, csp_reports):
    _login(page, live_server, "nll-admin")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Administration"
    ).click()
    page.wait_for_url(f"{live_server.url}/administration/nll/")
    assert page.get_by_role("heading", name="Administration", exact=True).is_visible()
    _check(page, "oversikt")
    admin_menu = page.get_by_role("navigation", name="Administration")

    # A new account with a first password
    _follow(page, admin_menu.get_by_role("link", name="Användare och roller"))
    _check(page, "anvandare")
    _follow(page, page.get_by_role("link", name="Skapa ett konto"))
    _check(page, "nytt-konto")
    page.get_by_label("Användarnamn").fill("anna.berg")
    page.get_by_label("Förnamn").fill("Anna")
    page.get_by_label("Efternamn").fill("Berg")
    page.get_by_label("E-post").fill("anna.berg@nll.example")
    page.get_by_label("Lösenord", exact=True).fill(PASSWORD)
    page.get_by_label("Lösenordet igen").fill(PASSWORD)
    _follow(page, page.get_by_role("button", name="Skapa kontot"))
    page.wait_for_load_state("load")
    assert "Kontot anna.berg är skapat. Ge det en roll nedan." in page.content()

    # A role on a unit
    page.locator("#id_unit").select_option(label="\u2003\u2003VO Internmedicin (NLL-LS1-IM)")
    page.locator("#id_role").select_option(label="Rapportör")
    _follow(page, page.get_by_role("button", name="Ge rollen"))
    page.wait_for_load_state("load")
    assert "anna.berg har nu rollen rapportör på VO Internmedicin." in page.content()
    _check(page, "konto")
    person = User.objects.get(username="anna.berg")
    assert person.check_password(PASSWORD)
    assert RoleAssignment.objects.filter(
        user=person, unit__code="NLL-LS1-IM", role="reporter"
    ).exists()

    # Single sign-on: a new OpenID Connect provider on the identity app's page
    _follow(page, admin_menu.get_by_role("link", name="Inloggningstjänster (SSO)"))
    page.wait_for_load_state("load")
    assert page.get_by_role("heading", name="Inloggningstjänster").is_visible()
    _check(page, "inloggningstjanster")
    _follow(page, page.get_by_role("link", name="Ny inloggningstjänst"))
    page.locator("#id_name").fill("Region Norrbottens Entra ID")
    page.locator("#id_slug").fill("nll-entra")
    page.locator("#id_protocol").select_option("oidc")
    page.locator("#id_issuer").fill("https://login.microsoftonline.com/nll/v2.0")
    page.locator("#id_client_id").fill("styrkort")
    _follow(page, page.get_by_role("button", name="Spara"))
    page.wait_for_load_state("load")
    assert IdentityProvider.objects.filter(slug="nll-entra", organisation=world.org).exists()
    _check(page, "ny-inloggningstjanst")
    page.goto(f"{live_server.url}/administration/nll/")

    # Close a unit with a date
    _follow(page, admin_menu.get_by_role("link", name="Organisationen"))
    _check(page, "organisationen")
    _follow(page, page.get_by_role("link", name="VO Neurocentrum"))
    page.wait_for_load_state("load")
    _check(page, "enhet")
    page.get_by_label("Sista giltiga dag").fill("2026-12-31")
    _follow(page, page.get_by_role("button", name="Stäng enheten"))
    page.wait_for_load_state("load")
    assert "VO Neurocentrum gäller till och med 2026-12-31." in page.content()
    assert OrgUnit.objects.get(code="NLL-LS1-NC").valid_to == dt.date(2026, 12, 31)
    _check(page, "enhet-stangd")

    # The settings, the history with what was just done, and the sign-in log
    _follow(page, admin_menu.get_by_role("link", name="Inställningar"))
    _check(page, "installningar")
    _follow(page, admin_menu.get_by_role("link", name="Historik"))
    history = page.content()
    assert "Konto: anna.berg" in history and "Roll för anna.berg" in history
    assert "Enhet: VO Neurocentrum" in history
    _check(page, "historik")
    _follow(page, admin_menu.get_by_role("link", name="Inloggningslogg"))
    assert "nll-admin" in page.content()
    _check(page, "inloggningslogg")
    assert csp_reports == []


PAGES = [
    ("oversikt", ""),
    ("anvandare", "anvandare/"),
    ("nytt-konto", "anvandare/ny/"),
    ("organisationen", "enheter/"),
    ("enhet", "enheter/NLL-LS1/"),
    ("installningar", "installningar/"),
    ("historik", "historik/"),
    ("inloggningslogg", "inloggningar/"),
]


def test_no_sideways_scrolling_at_a_phones_width(world, page, live_server):
    _login(page, live_server, "nll-admin")
    page.set_viewport_size({"width": 375, "height": 800})
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in PAGES:
        page.goto(f"{live_server.url}/administration/nll/{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, (path, width)
        page.screenshot(path=str(SHOTS / f"{name}-375.png"), full_page=True)
    assert axe_violations(page) == []


def test_the_auditor_reads_without_forms(world, page, live_server):
    _login(page, live_server, "revisor")
    for _name, path in PAGES:
        if path == "anvandare/ny/":
            continue
        page.goto(f"{live_server.url}/administration/nll/{path}")
        assert "Du kan läsa men inte ändra." in page.content(), path
        assert page.locator("main form[method='post']").count() == 0, path
        assert axe_violations(page) == [], path
