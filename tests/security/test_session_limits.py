"""A session ends after STYRKORT_SESSION_IDLE_MINUTES without a request (default 8 hours)
and at the latest SESSION_COOKIE_AGE after sign-in (default 12 hours), however busy the
user is; the time of the last request is written at most once a minute.

Time passes by moving the times kept in the session back, as if the requests had been
made that much earlier."""

import time
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.test import override_settings

from styrkort.security import LAST_SEEN, SIGNED_IN

HOUR = 3600


def _age(client, seconds: int, *, keys=(LAST_SEEN, SIGNED_IN)) -> None:
    """Make the session's sign-in and last request `seconds` older."""
    session = client.session
    for key in keys:
        session[key] -= seconds
    session.save()


def _signed_in(client, world):
    client.force_login(world.users.reporter)
    response = client.get("/")
    assert response.status_code == 200
    return response


def test_idle_for_the_idle_time_signs_out_with_a_message(world, client):
    _signed_in(client, world)
    _age(client, 8 * HOUR - 120)  # a request 7 h 58 min after the last one: still signed in
    assert client.get("/").status_code == 200
    assert abs(client.session[LAST_SEEN] - time.time()) < 5  # ... and it counts as activity

    _age(client, 8 * HOUR)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/logga-in/?next=/")
    assert "Du har loggats ut efter 8 timmar utan aktivitet. Logga in igen." in (
        response.content.decode()
    )
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302  # and stays signed out


def test_a_busy_session_still_ends_at_the_absolute_limit(world, client):
    _signed_in(client, world)
    _age(client, 12 * HOUR - 60, keys=[SIGNED_IN])  # signed in 11 h 59 min ago, busy since
    assert client.get("/").status_code == 200
    _age(client, 60, keys=[SIGNED_IN])
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/logga-in/")
    assert "en inloggning gäller i högst 12 timmar" in response.content.decode()


def test_the_last_request_is_written_at_most_once_a_minute(world, client):
    _signed_in(client, world)
    _age(client, 30)
    written = client.session[LAST_SEEN]
    assert client.get("/").status_code == 200
    assert client.session[LAST_SEEN] == written  # 30 s: not written again
    _age(client, 31)
    assert client.get("/").status_code == 200
    assert abs(client.session[LAST_SEEN] - time.time()) < 5


@override_settings(STYRKORT_SESSION_IDLE_MINUTES=30)
def test_the_idle_time_is_configurable(world, client):
    _signed_in(client, world)
    _age(client, 29 * 60)
    assert client.get("/").status_code == 200
    _age(client, 30 * 60)
    response = client.get("/", follow=True)
    assert "Du har loggats ut efter 30 minuter utan aktivitet." in response.content.decode()


def test_an_htmx_request_in_an_ended_session_sends_the_page_to_sign_in(world, client):
    _signed_in(client, world)
    _age(client, 9 * HOUR)
    response = client.get(
        "/",
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/enheter/NLL-LS1/rapportera/?period=2022-D%C3%8504",
    )
    assert response.status_code == 204
    login = urlsplit(response["HX-Redirect"])
    assert login.path == "/logga-in/"
    assert parse_qs(login.query)["next"] == ["/enheter/NLL-LS1/rapportera/?period=2022-D%C3%8504"]
    page = client.get(response["HX-Redirect"])
    assert "utan aktivitet" in page.content.decode()


def test_the_api_refuses_an_ended_session(world, client):
    _signed_in(client, world)
    assert client.get("/api/units/").status_code == 200
    _age(client, 9 * HOUR)
    response = client.get("/api/units/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"


def test_the_message_in_english(world, client):
    _signed_in(client, world)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _age(client, 9 * HOUR)
    response = client.get("/", follow=True)
    assert "You were signed out after 8 hours without activity. Sign in again." in (
        response.content.decode()
    )
