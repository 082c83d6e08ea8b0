"""The sign-in log: who signed in, failed, was locked out or signed out, when, how and from
where; administrators and auditors of an organisation read their organisation's events."""

import pytest

from styrkort.accounts.models import Role, SignInEvent
from styrkort.accounts.signin import events_for

WORLD = {"plans": False}


def _sign_in(client, username, password):
    return client.post("/logga-in/", {"username": username, "password": password})


@pytest.fixture
def planner(world, user_on):
    return user_on(Role.PLANNER, "NLL-LS1", username="anna.planerare")


def test_a_sign_in_and_a_sign_out_are_logged_with_address_and_browser(client, planner, password):
    response = client.post(
        "/logga-in/",
        {"username": "anna.planerare", "password": password},
        HTTP_USER_AGENT="Mozilla/5.0 (Testläsare)",
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302
    client.post("/logga-ut/")
    events = list(SignInEvent.objects.order_by("pk"))
    assert [(e.outcome, e.method, e.user_id) for e in events] == [
        ("success", "password", planner.pk),
        ("signed_out", "password", planner.pk),
    ]
    first = events[0]
    assert first.address == "10.1.2.3"
    assert first.user_agent == "Mozilla/5.0 (Testläsare)"
    assert first.organisation_id == planner.roles.get().unit.organisation_id


def test_a_wrong_password_and_an_unknown_name_are_logged_as_failures(client, planner):
    assert _sign_in(client, "anna.planerare", "fel-lösenord").status_code == 200
    assert _sign_in(client, "ingen.alls", "fel-lösenord").status_code == 200
    failures = SignInEvent.objects.filter(outcome="failure").order_by("pk")
    assert [(e.username, e.user_id) for e in failures] == [
        ("anna.planerare", planner.pk),
        ("ingen.alls", None),
    ]
    assert not SignInEvent.objects.filter(outcome="success").exists()


def test_administrators_and_auditors_read_their_own_organisations_events(
    world, client, planner, password
):
    _sign_in(client, "anna.planerare", password)
    _sign_in(client, "ingen.alls", "x")  # unknown, no organisation: not shown to anyone
    mine = events_for({world.org.pk})
    assert [(e.username, e.outcome) for e in mine] == [("anna.planerare", "success")]
    assert not events_for({world.org.pk + 1000}).exists()


def test_a_personal_identity_number_typed_as_user_name_is_stored_nowhere(client, planner):
    """People type their personnummer in the name field: neither the sign-in log nor the
    login throttling's tables keep it."""
    from axes.models import AccessAttempt, AccessFailureLog

    for typed in ("19121212-1212", "191212121212", "121212-1212"):
        assert _sign_in(client, typed, "fel-lösenord").status_code == 200
    stored = [e.username for e in SignInEvent.objects.all()]
    stored += list(AccessAttempt.objects.values_list("username", flat=True))
    stored += list(AccessFailureLog.objects.values_list("username", flat=True))
    assert stored and all("1212" not in name for name in stored), stored
