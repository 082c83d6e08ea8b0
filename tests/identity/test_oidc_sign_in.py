"""Sign-in through a real OpenID provider process (oidc-provider on node): accounts
appear at first sign-in with the roles the rules give, follow the provider's groups,
are deactivated when it stops vouching for them, and every bad answer is refused with a
Swedish page, nothing created and the refusal in the sign-in log."""

import time

import pytest
from django.contrib.auth import get_user_model
from identity_providers import callback_url, oidc_sign_in

from factories import RoleAssignmentFactory
from styrkort.accounts.models import Role, RoleAssignment, SignInEvent
from styrkort.identity.models import ExternalIdentity

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

User = get_user_model()
ANNA = {
    "given_name": "Anna",
    "family_name": "Lindqvist",
    "email": "anna.lindqvist@example.se",
    "groups": ["planerare-ls1", "alla-anstallda"],
}


def roles(user):
    return {
        (a.unit.code, a.role, a.source)
        for a in RoleAssignment.objects.filter(user=user).select_related("unit")
    }


def refused(response, text: str):
    page = response.content.decode()
    assert "Inloggningen nekades" in page
    assert text in page, page
    assert not response.wsgi_request.user.is_authenticated


def last_event():
    return SignInEvent.objects.order_by("-pk").first()


def test_first_sign_in_creates_the_account_with_the_mapped_roles(client, oidc_provider, oidc_idp):
    oidc_idp.write(users={"anna-1": ANNA})
    answer = oidc_sign_in(client, oidc_provider.slug, "anna-1", next_url="/enheter/")
    assert answer.status_code == 302 and answer["Location"] == "/enheter/"
    anna = User.objects.get(external_identities__subject="anna-1")
    assert (anna.first_name, anna.last_name, anna.email) == (
        "Anna",
        "Lindqvist",
        "anna.lindqvist@example.se",
    )
    assert not anna.has_usable_password()
    assert roles(anna) == {("NLL-LS1", Role.PLANNER, "sso")}
    assert client.get("/").wsgi_request.user == anna
    event = last_event()
    assert (event.user, event.method, event.outcome, event.provider) == (
        anna,
        "oidc",
        "success",
        "Region Norrbottens Entra ID",
    )
    assert event.organisation_id == oidc_provider.organisation_id


def test_a_changed_group_changes_the_roles_and_manual_roles_stay(
    client, oidc_provider, oidc_idp, region
):
    _org, top, _ls1, _ls2 = region
    oidc_idp.write(users={"anna-1": ANNA})
    oidc_sign_in(client, oidc_provider.slug, "anna-1")
    anna = User.objects.get(external_identities__subject="anna-1")
    RoleAssignmentFactory(user=anna, unit=top, role=Role.READER)  # given by hand
    client.logout()
    oidc_idp.write(users={"anna-1": {**ANNA, "groups": ["rapportor-ls2"]}})
    assert oidc_sign_in(client, oidc_provider.slug, "anna-1").status_code == 302
    assert roles(anna) == {("NLL-LS2", Role.REPORTER, "sso"), ("NLL", Role.READER, "manual")}
    assert User.objects.filter(external_identities__provider=oidc_provider).count() == 1


def test_a_person_the_provider_no_longer_vouches_for_is_deactivated(
    client, oidc_provider, oidc_idp
):
    oidc_idp.write(users={"anna-1": ANNA})
    oidc_sign_in(client, oidc_provider.slug, "anna-1")
    client.logout()
    oidc_idp.write(users={"anna-1": {**ANNA, "groups": ["alla-anstallda"]}})
    answer = oidc_sign_in(client, oidc_provider.slug, "anna-1")
    assert answer.status_code == 403
    refused(answer, "ditt konto har inaktiverats")
    anna = User.objects.get(external_identities__subject="anna-1")
    assert not anna.is_active
    assert roles(anna) == set()
    event = last_event()
    assert (event.user, event.outcome) == (anna, "refused")
    assert "inaktiverat" in event.reason
    # Given a role again, the account stays inactive until an administrator reactivates it.
    oidc_idp.write(users={"anna-1": ANNA})
    refused(oidc_sign_in(client, oidc_provider.slug, "anna-1"), "inaktiverat")


def test_an_account_the_provider_says_is_disabled_is_deactivated(client, oidc_provider, oidc_idp):
    oidc_idp.write(users={"anna-1": ANNA})
    oidc_sign_in(client, oidc_provider.slug, "anna-1")
    client.logout()
    oidc_idp.write(users={"anna-1": ANNA}, tamper={"account_disabled": True})
    refused(oidc_sign_in(client, oidc_provider.slug, "anna-1"), "inaktiverats")
    assert not User.objects.get(external_identities__subject="anna-1").is_active


def test_claims_that_map_to_no_unit_are_refused_and_nothing_is_created(
    client, oidc_provider, oidc_idp
):
    oidc_idp.write(users={"bo-2": {**ANNA, "groups": ["alla-anstallda"]}})
    answer = oidc_sign_in(client, oidc_provider.slug, "bo-2")
    assert answer.status_code == 403
    refused(answer, "Du har ingen roll i Styrkort")
    assert not ExternalIdentity.objects.exists()
    assert not User.objects.filter(email=ANNA["email"]).exists()
    event = last_event()
    assert (event.outcome, event.method, event.username) == ("refused", "oidc", "bo-2")
    assert "ingen roll" in event.reason


@pytest.mark.parametrize(
    ("tamper", "shown", "logged"),
    [
        ({"iss": "http://127.0.0.1:1/annan"}, "fel utfärdare", "fel utfärdare"),
        ({"aud": "en-annan-klient"}, "inte avsett för Styrkort", "fel mottagare"),
        ({"nonce": "en-annan-nonce"}, "fel nonce", "nonce"),
        ({"exp": int(time.time()) - 3600}, "har gått ut", "utgången"),
    ],
    ids=["issuer", "audience", "nonce", "expired"],
)
def test_a_bad_id_token_is_refused(client, oidc_provider, oidc_idp, tamper, shown, logged):
    oidc_idp.write(users={"anna-1": ANNA}, tamper=tamper)
    answer = oidc_sign_in(client, oidc_provider.slug, "anna-1")
    assert answer.status_code == 400
    refused(answer, shown)
    assert not User.objects.exclude(is_superuser=True).exists()
    event = last_event()
    assert event.outcome == "refused" and logged in event.reason, event.reason


def test_a_state_that_was_not_sent_is_refused(client, oidc_provider, oidc_idp):
    oidc_idp.write(users={"anna-1": ANNA})
    url = callback_url(client, oidc_provider.slug, "anna-1")
    code = url.split("code=")[1].split("&")[0]
    answer = client.get(f"/inloggning/{oidc_provider.slug}/svar/?code={code}&state=fel")
    assert answer.status_code == 400
    refused(answer, "fel state")
    assert not User.objects.exists()
    assert last_event().reason == "state stämmer inte"


def test_an_unknown_provider_is_refused(client, db):
    answer = client.get("/inloggning/finns-inte/")
    assert answer.status_code == 404
    refused(answer, "Det finns ingen inloggningstjänst som heter ”finns-inte”")
    assert client.get("/inloggning/finns-inte/svar/?code=x&state=y").status_code == 404
    assert not SignInEvent.objects.exists()  # made-up addresses write nothing


def test_a_personal_identity_number_is_never_stored(client, oidc_provider, oidc_idp):
    from io import StringIO

    from django.core.management import call_command

    number = "19121212-1212"
    person = {**ANNA, "personalIdentityNumber": number, "name": "191212121212"}
    oidc_idp.write(users={"anna-1": person})
    assert oidc_sign_in(client, oidc_provider.slug, "anna-1").status_code == 302
    dump = StringIO()
    call_command("dumpdata", "accounts", "identity", stdout=dump)
    for form in (number, "191212121212", "121212-1212", "1212121212"):
        assert form not in dump.getvalue()
    assert "personalIdentityNumber" not in str(client.session.items())


def test_single_logout_goes_to_the_provider_with_the_id_token(client, oidc_provider, oidc_idp):
    oidc_idp.write(users={"anna-1": ANNA})
    oidc_sign_in(client, oidc_provider.slug, "anna-1")
    answer = client.post("/logga-ut/")
    assert answer.status_code == 302
    assert answer["Location"].startswith(f"{oidc_idp.url}/session/end?id_token_hint=")
    assert "post_logout_redirect_uri=http%3A%2F%2Ftestserver%2Flogga-in%2F" in answer["Location"]
    assert not client.get("/").wsgi_request.user.is_authenticated
    assert (last_event().outcome, last_event().method) == ("signed_out", "oidc")


def test_no_password_where_the_provider_forbids_it(client, oidc_provider, region):
    from factories import PASSWORD, UserFactory

    _org, _top, ls1, _ls2 = region
    bo = UserFactory(username="bo")
    RoleAssignmentFactory(user=bo, unit=ls1, role=Role.READER)
    oidc_provider.local_passwords_allowed = False
    oidc_provider.save()
    answer = client.post("/logga-in/", {"username": "bo", "password": PASSWORD})
    assert answer.status_code == 200
    assert "loggar in via sin inloggningstjänst" in answer.content.decode()
    assert not answer.wsgi_request.user.is_authenticated
    wrong = client.post("/logga-in/", {"username": "bo", "password": "fel"})
    assert "loggar in via sin inloggningstjänst" not in wrong.content.decode()
    oidc_provider.local_passwords_allowed = True
    oidc_provider.save()
    assert client.post("/logga-in/", {"username": "bo", "password": PASSWORD}).status_code == 302


def test_the_login_page_offers_the_provider(client, oidc_provider):
    page = client.get("/logga-in/?next=/enheter/").content.decode()
    assert "Logga in med Region Norrbottens Entra ID" in page
    assert f'href="/inloggning/{oidc_provider.slug}/?next=/enheter/"' in page


def _session_text(client) -> str:
    """Everything in the person's session as text, with every JWT in it decoded (a raw
    ID token carries its claims in base64), and the session row as the database has it."""
    import base64
    import json
    import re

    from django.contrib.sessions.models import Session

    text = json.dumps(dict(client.session.items()))
    row = Session.objects.filter(session_key=client.session.session_key).first()
    if row is not None:
        text += json.dumps(row.get_decoded())
    for token in re.findall(r"[\w-]{10,}\.([\w-]{10,})\.[\w-]+", text):
        text += base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    return text


def test_an_id_token_with_a_personal_identity_number_is_not_kept(client, oidc_provider, oidc_idp):
    """The Swedish OIDC profile (Freja, Sweden Connect) puts the personnummer in the ID
    token: the token is then kept nowhere, not even in the session for the logout."""
    from io import StringIO

    from django.core.management import call_command

    oidc_idp.write(
        users={"anna-1": ANNA},
        tamper={"https://id.oidc.se/claim/personalIdentityNumber": "191212121212"},
    )
    assert oidc_sign_in(client, oidc_provider.slug, "anna-1").status_code == 302
    dump = StringIO()
    call_command("dumpdata", "accounts", "identity", "sessions", stdout=dump)
    session = _session_text(client)
    for form in ("191212121212", "19121212-1212", "121212-1212", "1212121212"):
        assert form not in dump.getvalue()
        assert form not in session
    assert "personalIdentityNumber" not in session
    # The logout still reaches the provider, without the token.
    answer = client.post("/logga-ut/")
    assert answer.status_code == 302
    location = answer["Location"]
    assert location.startswith(f"{oidc_idp.url}/session/end?")
    assert "id_token_hint" not in location
    assert "client_id=styrkort" in location and "logout_hint=anna-1" in location
    assert "post_logout_redirect_uri=http%3A%2F%2Ftestserver%2Flogga-in%2F" in location
