"""The language: the sv/en switch's cookie, else Swedish; never the browser's
Accept-Language."""

import pytest
from django.urls import reverse

LOCALE = "django.middleware.locale.LocaleMiddleware"
OURS = "styrkort.web.middleware.PreferredLanguageMiddleware"


@pytest.fixture
def ours(settings):
    settings.MIDDLEWARE = [OURS if m == LOCALE else m for m in settings.MIDDLEWARE]
    assert OURS in settings.MIDDLEWARE


@pytest.mark.django_db
def test_english_browser_gets_swedish(world, login, ours):
    client = login(world.users.reader)
    page = client.get(reverse("tree"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert '<html lang="sv">' in page.content.decode()
    assert page["Content-Language"] == "sv"
    assert "Accept-Language" not in page.get("Vary", "")


@pytest.mark.django_db
def test_switch_sets_english_and_back(world, login, ours):
    client = login(world.users.reader)
    url = reverse("tree")
    client.post(reverse("set_language"), {"language": "en", "next": url})
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="sv-SE")
    assert '<html lang="en">' in page.content.decode()
    assert "Skip to content" in page.content.decode() or page["Content-Language"] == "en"
    client.post(reverse("set_language"), {"language": "sv", "next": url})
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="sv">' in page.content.decode()


@pytest.mark.django_db
def test_unknown_cookie_falls_back_to_swedish(world, login, ours, settings):
    client = login(world.users.reader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    page = client.get(reverse("tree"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="sv">' in page.content.decode()
