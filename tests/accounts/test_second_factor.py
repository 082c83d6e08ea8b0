"""A second factor for local administrators and planners where the organisation requires
one: set up with a real TOTP code computed from the device's key (RFC 6238), asked at the
next sign-in, a recovery code works once, and nobody else is asked."""

import re
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from styrkort.accounts.models import Role
from styrkort.organisation.models import Organisation

WORLD = {"plans": False}


def _code(device, steps_ahead: int = 0) -> str:
    """The app's code now, or the one it shows ``steps_ahead`` 30-second steps later (a
    code is accepted once, and one step of clock difference is tolerated)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time += steps_ahead * device.step
    return f"{totp.token():06d}"


def _sign_in(client, username, password):
    return client.post("/logga-in/", {"username": username, "password": password})


@pytest.fixture
def required(world):
    Organisation.objects.filter(pk=world.org.pk).update(require_second_factor=True)


@pytest.fixture
def planner(world, user_on):
    return user_on(Role.PLANNER, "NLL-LS1", username="anna.planerare")


def _set_up(client, planner) -> list[str]:
    response = client.get("/logga-in/tvastegs/ny/")
    assert response.status_code == 200
    assert "data:image/svg+xml" in response.content.decode()
    device = TOTPDevice.objects.get(user=planner, confirmed=False)
    response = client.post("/logga-in/tvastegs/ny/", {"code": _code(device), "next": "/"})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>(\w+)</code></li>", response.content.decode())
    assert len(codes) == 10
    return codes


def test_a_planner_sets_up_the_app_at_the_first_sign_in_and_gives_a_code_at_the_next(
    client, required, planner, password
):
    assert _sign_in(client, "anna.planerare", password).status_code == 302
    response = client.get("/enheter/")
    assert response.status_code == 302
    assert response.url.startswith("/logga-in/tvastegs/ny/?next=")
    assert client.get("/api/units/").status_code == 403  # not through the API either
    _set_up(client, planner)
    assert client.get("/enheter/").status_code == 200

    client.post("/logga-ut/")
    _sign_in(client, "anna.planerare", password)
    response = client.get("/enheter/")
    assert response.url.startswith("/logga-in/tvastegs/?next=")
    response = client.post("/logga-in/tvastegs/", {"code": "000000", "next": "/enheter/"})
    assert response.status_code == 400
    assert "Koden stämmer inte" in response.content.decode()
    assert client.get("/enheter/").status_code == 302
    device = TOTPDevice.objects.get(user=planner, confirmed=True)
    time.sleep(1.1)  # after one wrong code the next try waits a second (django-otp)
    code = _code(device, steps_ahead=1)  # the set-up's code is used up
    response = client.post("/logga-in/tvastegs/", {"code": code, "next": "/enheter/"})
    assert response.status_code == 302 and response.url == "/enheter/"
    assert client.get("/enheter/").status_code == 200


def test_a_recovery_code_works_once(client, required, planner, password):
    _sign_in(client, "anna.planerare", password)
    codes = _set_up(client, planner)
    for attempt in range(2):
        client.post("/logga-ut/")
        _sign_in(client, "anna.planerare", password)
        response = client.post("/logga-in/tvastegs/", {"code": codes[0].upper(), "next": "/"})
        if attempt == 0:
            assert response.status_code == 302
        else:
            assert response.status_code == 400
            assert client.get("/enheter/").status_code == 302


def test_a_cancelled_set_up_does_not_let_anyone_in(client, required, planner, password):
    _sign_in(client, "anna.planerare", password)
    response = client.post("/logga-in/tvastegs/ny/", {"code": "123456"})
    assert response.status_code == 400
    assert client.get("/enheter/").status_code == 302
    # the verify page sends someone without an app to the set-up
    assert client.get("/logga-in/tvastegs/").url.startswith("/logga-in/tvastegs/ny/")


def test_readers_reporters_and_organisations_without_the_rule_are_not_asked(
    world, client, required, user_on, password
):
    user_on(Role.READER, "NLL", username="lasare2")
    user_on(Role.REPORTER, "NLL-LS1", username="rapportor2")
    for name in ("lasare2", "rapportor2"):
        _sign_in(client, name, password)
        assert client.get("/enheter/").status_code == 200
        client.post("/logga-ut/")
    Organisation.objects.filter(pk=world.org.pk).update(require_second_factor=False)
    user_on(Role.PLANNER, "NLL-LS1", username="planerare2")
    _sign_in(client, "planerare2", password)
    assert client.get("/enheter/").status_code == 200


def test_an_open_redirect_is_not_followed(client, required, planner, password):
    _sign_in(client, "anna.planerare", password)
    _set_up(client, planner)
    client.post("/logga-ut/")
    _sign_in(client, "anna.planerare", password)
    device = TOTPDevice.objects.get(user=planner, confirmed=True)
    response = client.post(
        "/logga-in/tvastegs/", {"code": _code(device, 1), "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.url == "/"


def test_an_api_token_needs_the_code_too(client, required, planner, password):
    from rest_framework.test import APIClient

    api = APIClient()
    body = {"username": "anna.planerare", "password": password}
    response = api.post("/api/token/", body, format="json")
    assert response.status_code == 400
    assert "webbläsaren" in response.json()["code"][0]  # no app set up yet

    _sign_in(client, "anna.planerare", password)
    codes = _set_up(client, planner)
    response = api.post("/api/token/", body, format="json")
    assert response.status_code == 400 and "fältet code" in response.json()["code"][0]
    response = api.post("/api/token/", {**body, "code": "000000"}, format="json")
    assert response.status_code == 400 and "stämmer inte" in response.json()["code"][0]
    device = TOTPDevice.objects.get(user=planner, confirmed=True)
    time.sleep(1.1)  # after one wrong code the next try waits a second (django-otp)
    response = api.post("/api/token/", {**body, "code": _code(device, 1)}, format="json")
    assert response.status_code == 200, response.content
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/units/").status_code == 200
    # a recovery code works once for a token as well
    api.credentials()
    assert api.post("/api/token/", {**body, "code": codes[1]}, format="json").status_code == 200
    assert api.post("/api/token/", {**body, "code": codes[1]}, format="json").status_code == 400


def test_a_token_sign_in_is_logged_as_one(world, user_on, password):
    from rest_framework.test import APIClient

    from styrkort.accounts.models import SignInEvent

    user_on(Role.READER, "NLL", username="lasare3")
    response = APIClient().post(
        "/api/token/", {"username": "lasare3", "password": password}, format="json"
    )
    assert response.status_code == 200
    event = SignInEvent.objects.get(username="lasare3")
    assert (event.outcome, event.method) == ("success", "token")
