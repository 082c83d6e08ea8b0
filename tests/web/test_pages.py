"""Log in and out (with throttling), the organisation tree, the accessibility statement and
its barrier report, error pages in Swedish, the language switch and production settings."""

import os
import re
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse

from factories import OrgUnitFactory
from styrkort.web.models import BarrierReport


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).replace(
        "\u00a0", " "
    )


@pytest.mark.django_db
def test_login_and_logout(world, password):
    client = Client()
    page = client.get(reverse("login"))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<label for="id_username">Användarnamn' in html
    assert '<label for="id_password">Lösenord' in html
    assert 'lang="sv"' in html
    response = client.post(reverse("login"), {"username": "reporter", "password": password})
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_wrong_password_in_swedish_then_locked_out(world, password):
    """django-axes locks the user name from this address after 5 failures (settings)."""
    client = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(4):
        response = client.post(reverse("login"), {"username": "reporter", "password": "fel"})
        assert response.status_code == 200
        assert "Fel användarnamn eller lösenord" in response.content.decode()
    fifth = client.post(reverse("login"), {"username": "reporter", "password": "fel"})
    # Even the right password is refused now.
    sixth = client.post(reverse("login"), {"username": "reporter", "password": password})
    for response in (fifth, sixth):
        assert response.status_code == 429
        assert "För många misslyckade inloggningsförsök" in text(response)
        assert "15 minuter" in text(response)
    assert "_auth_user_id" not in client.session
    # Another address is not locked out.
    other = Client(REMOTE_ADDR="10.0.0.8")
    response = other.post(reverse("login"), {"username": "reporter", "password": password})
    assert response.status_code == 302


@pytest.mark.django_db
def test_tree_nests_units_and_marks_closed_ones(world, login):
    import datetime as dt

    OrgUnitFactory(
        parent=world.ls1,
        code="NLL-LS1-GAL",
        name="VC Gallerian",
        type="health_centre",
        valid_to=dt.date(2024, 2, 1),
    )
    html = login(world.users.reader).get(reverse("tree")).content.decode()
    html = html[html.index('<ul class="tree">') :]
    ls1 = html.index("Division Länssjukvård 1</a>")
    im = html.index("VO Internmedicin</a>")
    ls2 = html.index("Division Länssjukvård 2</a>")
    assert ls1 < im < ls2
    assert html[ls1:im].count("<ul>") == 1  # IM is one level below LS1
    assert "avvecklad 2024-02-01" in html
    assert "din behörighet" in html  # the reader's role is on LS1
    assert html.count("<ul") == html.count("</ul>")
    assert html.count("<li") == html.count("</li>")


@pytest.mark.django_db
def test_accessibility_statement_and_barrier_report(world, client):
    page = client.get(reverse("accessibility") + "?sida=/enheter/NLL-LS1/styrkort/")
    assert page.status_code == 200  # open to everyone, also before logging in
    shown = text(page)
    assert "Tillgänglighetsredogörelse för Styrkort" in shown
    assert "lagen (2018:1937)" in shown
    assert 'value="/enheter/NLL-LS1/styrkort/"' in page.content.decode()
    empty = client.post(reverse("accessibility"), {"description": "  "})
    assert "Beskriv problemet du stötte på." in empty.content.decode()
    assert BarrierReport.objects.count() == 0
    response = client.post(
        reverse("accessibility"),
        {
            "page_url": "/enheter/NLL-LS1/styrkort/",
            "description": "Diagrammet <script>x()</script>går inte att läsa med skärmläsare.",
            "contact": "anna@example.se",
        },
        follow=True,
    )
    report = BarrierReport.objects.get()
    assert report.description == "Diagrammet går inte att läsa med skärmläsare."
    assert f"nummer {report.pk}" in text(response)


@pytest.mark.django_db
def test_error_pages_are_swedish(world, login):
    client = login(world.users.reader)
    missing = client.get("/enheter/FINNS-INTE/styrkort/")
    assert missing.status_code == 404
    assert "Sidan finns inte" in text(missing)
    assert "Enheten FINNS-INTE finns inte." in text(missing)
    nowhere = client.get("/ingenstans/")
    assert nowhere.status_code == 404 and "Resolver404" not in text(nowhere)


@pytest.mark.django_db
def test_server_error_page_has_no_traceback(world, login, monkeypatch):
    from styrkort.web.views import scorecard

    def broken(unit, period):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(scorecard, "evaluate", broken)
    client = login(world.users.reader)
    client.raise_request_exception = False
    response = client.get(reverse("scorecard", args=["NLL-LS1"]))
    assert response.status_code == 500
    assert "Ett fel uppstod" in text(response)
    assert "database on fire" not in response.content.decode()
    assert "Traceback" not in response.content.decode()


@pytest.mark.django_db
def test_csrf_failure_page_is_swedish(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Formuläret kunde inte skickas" in text(response)


@pytest.mark.django_db
def test_language_switch(world, login):
    client = login(world.users.reader)
    url = reverse("scorecard", args=["NLL-LS1"]) + "?period=2022-DÅ04"
    page = client.get(url).content.decode()
    assert 'lang="sv"' in page
    # Each language is named in itself, whatever the page's language.
    assert '<option value="en" lang="en">English</option>' in page
    assert '<option value="sv" lang="sv" selected>Svenska</option>' in page
    response = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert 'lang="en"' in page
    assert "Scorecard for Division Länssjukvård 1, Jan–Apr 2022" in page
    assert "Goal attainment" in page and "Partly met" in page
    assert 'for="id_username"' not in page
    assert '<option value="sv" lang="sv">Svenska</option>' in page
    client.post(reverse("set_language"), {"language": "sv", "next": url})
    assert "Styrkort för Division Länssjukvård 1, DÅ04 2022" in client.get(url).content.decode()


@pytest.mark.django_db
def test_unit_tabs_registered_by_other_apps(world, login, monkeypatch):
    """Risk and economy pages add their tabs through styrkort.web.nav."""
    from styrkort.web import nav

    monkeypatch.setattr(nav, "UNIT_TABS", [])
    nav.register_unit_tab("plan_list", "Testflik", key="test")
    nav.register_unit_tab("no_such_url", "Trasig flik")
    html = login(world.users.reader).get(reverse("scorecard", args=["NLL-LS1"])).content
    html = html.decode()
    assert '<a href="/enheter/NLL-LS1/planer/?period=' in html
    assert ">Testflik</a>" in html
    assert "Trasig flik" not in html


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "STYRKORT_PRODUCTION": "true",
        "STYRKORT_SECRET_KEY": "k" * 20 + "-production-secret-0123456789-abcdefghijklmnop",
        "STYRKORT_VAR_DIR": str(tmp_path),
        "STYRKORT_ALLOWED_HOSTS": "styrkort.example.se",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "styrkort.cli",
            "manage",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["NLL", "NLL-LS1", "NLL-LS1-IM"])
def test_default_period_is_the_latest_reporting_point_with_outcomes(world, login, code):
    page = login(world.users.reader).get(reverse("scorecard", args=[code]))
    assert page.status_code == 200
    assert "DÅ04 2022</h1>" in page.content.decode()
    assert '<option value="2022-DÅ04" selected>' in page.content.decode()


@pytest.mark.django_db
def test_bad_period_in_the_address_is_explained(world, login):
    page = login(world.users.reader).get(reverse("scorecard", args=["NLL-LS1"]) + "?period=T7")
    assert page.status_code == 200
    assert "Okänd period: &#x27;T7&#x27;" in page.content.decode() or "Okänd period" in text(page)


@pytest.mark.django_db
def test_health_and_unit_redirect(world, login):
    client = login(world.users.reader)
    assert client.get(reverse("health")).json() == {"status": "ok"}
    response = client.get(reverse("unit", args=["NLL-LS1"]))
    assert response.status_code == 302
    assert response.url == reverse("scorecard", args=["NLL-LS1"])
