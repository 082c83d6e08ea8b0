"""API tokens over real HTTP against the live server: a client gets a token from
/api/token/, uses it, loses it when the password changes, and meets 429 during a
lock-out; in Chromium the owner creates a token on "Mina API-nycklar" (axe-core finds
no violation), uses it, and revokes it with the page's button."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from accessibility import axe_violations
from factories import PASSWORD, build_world

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "sv-SE"}


@pytest.fixture
def world(transactional_db):
    return build_world(plans=False)


def call(url: str, *, token: str | None = None, body: dict | None = None) -> tuple[int, dict]:
    headers = {"Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token is not None:
        headers["Authorization"] = f"Token {token}"
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def test_token_life_over_http(world, live_server):
    url = live_server.url
    status, body = call(f"{url}/api/token/", body={"username": "reader", "password": PASSWORD})
    assert status == 200 and body["expiry"]
    token = body["token"]
    assert call(f"{url}/api/units/", token=token)[0] == 200
    listed = call(f"{url}/api/tokens/", token=token)[1]
    assert [t["current"] for t in listed] == [True]

    user = world.users.reader
    user.set_password("ett-annat-losenord-9")
    user.save()
    status, body = call(f"{url}/api/units/", token=token)
    assert status == 401 and "API-nyckel" in body["detail"]

    for _ in range(5):
        status, body = call(f"{url}/api/token/", body={"username": "reader", "password": "x"})
    assert status == 429 and "För många misslyckade inloggningsförsök" in body["detail"]
    status, body = call(
        f"{url}/api/token/", body={"username": "reader", "password": "ett-annat-losenord-9"}
    )
    assert status == 429


def test_token_page_in_the_browser(world, page, live_server):
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill("planner")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="Mina API-nycklar").click()
    page.wait_for_url(f"{live_server.url}/konto/nycklar/")
    assert page.get_by_text("Du har inga gällande API-nycklar.").is_visible()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Skapa API-nyckel").click()
    field = page.get_by_label("API-nyckel", exact=True)
    field.wait_for()
    token = field.input_value()
    assert len(token) == 64
    assert axe_violations(page) == []  # the new token shown, the list with it
    assert call(f"{live_server.url}/api/units/", token=token)[0] == 200

    page.get_by_role("button", name=f"Återkalla {token[:8]}…").click()
    page.get_by_text("API-nyckeln är återkallad").wait_for()
    assert axe_violations(page) == []
    assert call(f"{live_server.url}/api/units/", token=token)[0] == 401
