"""Sign-in through a real SAML 2.0 IdP process (pysaml2's IdP library behind wsgiref):
accounts from the assertion's attributes, roles that follow them, deactivation, and
every bad answer (unsigned, expired, replayed, for another audience or destination,
from another issuer) refused with a Swedish page, nothing created, the refusal logged."""

import pytest
from django.contrib.auth import get_user_model
from identity_providers import saml_answer

from factories import RoleAssignmentFactory
from styrkort.accounts.models import Role, RoleAssignment, SignInEvent
from styrkort.identity.models import ExternalIdentity

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

User = get_user_model()
KARIN = {
    "employeeHsaId": ["SE2321000024-K1"],
    "givenName": ["Karin"],
    "sn": ["Berg"],
    "mail": ["karin.berg@example.se"],
    "hsaCommissionPurpose": ["Verksamhetschef"],
    "groups": ["planerare-ls1"],
}


def roles(user):
    return {
        (a.unit.code, a.role, a.source)
        for a in RoleAssignment.objects.filter(user=user).select_related("unit")
    }


def last_event():
    return SignInEvent.objects.order_by("-pk").first()


def sign_in(client, provider, login="karin"):
    acs, fields = saml_answer(client, provider.slug, login)
    return client.post(acs, fields), (acs, fields)


def refused(response, text: str, logged: str):
    page = response.content.decode()
    assert response.status_code in (400, 403), response.status_code
    assert "Inloggningen nekades" in page and text in page, page
    assert not response.wsgi_request.user.is_authenticated
    event = last_event()
    assert event.outcome == "refused" and event.method == "saml"
    assert logged in event.reason, event.reason


def test_first_sign_in_creates_the_account_with_the_mapped_roles(client, saml_provider, saml_idp):
    saml_idp.write(users={"karin": KARIN})
    answer, _ = sign_in(client, saml_provider)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    karin = User.objects.get(external_identities__subject="SE2321000024-K1")
    assert (karin.username, karin.first_name, karin.last_name, karin.email) == (
        "SE2321000024-K1",
        "Karin",
        "Berg",
        "karin.berg@example.se",
    )
    assert roles(karin) == {("NLL-LS1", Role.PLANNER, "sso"), ("NLL-LS1", Role.READER, "sso")}
    event = last_event()
    assert (event.user, event.method, event.outcome, event.provider) == (
        karin,
        "saml",
        "success",
        "SITHS-kort",
    )


def test_a_changed_attribute_changes_the_roles_and_manual_roles_stay(
    client, saml_provider, saml_idp, region
):
    _org, top, _ls1, _ls2 = region
    saml_idp.write(users={"karin": KARIN})
    sign_in(client, saml_provider)
    karin = User.objects.get(external_identities__subject="SE2321000024-K1")
    RoleAssignmentFactory(user=karin, unit=top, role=Role.AUDITOR)
    client.logout()
    saml_idp.write(
        users={"karin": {**KARIN, "groups": ["rapportor-ls2"], "hsaCommissionPurpose": []}}
    )
    assert sign_in(client, saml_provider)[0].status_code == 302
    assert roles(karin) == {("NLL-LS2", Role.REPORTER, "sso"), ("NLL", Role.AUDITOR, "manual")}


def test_a_person_the_idp_no_longer_vouches_for_is_deactivated(client, saml_provider, saml_idp):
    saml_idp.write(users={"karin": KARIN})
    sign_in(client, saml_provider)
    client.logout()
    saml_idp.write(users={"karin": {**KARIN, "groups": [], "hsaCommissionPurpose": []}})
    refused(sign_in(client, saml_provider)[0], "ditt konto har inaktiverats", "inaktiverat")
    assert not User.objects.get(external_identities__subject="SE2321000024-K1").is_active


@pytest.mark.parametrize(
    ("tamper", "logged"),
    [
        ({"unsigned": True}, "signer"),
        ({"forged": True}, "signer"),
        ({"expired": True}, "gått ut"),
        ({"audience": "http://testserver/en-annan-tjanst/"}, "Audience"),
        ({"destination": "http://testserver/nagon-annanstans/"}, "Destination"),
        ({"issuer": "http://127.0.0.1:1/en-annan-idp"}, "fel utfärdare"),
    ],
    ids=["unsigned", "forged", "expired", "audience", "destination", "issuer"],
)
def test_a_bad_answer_is_refused(client, saml_provider, saml_idp, tamper, logged):
    saml_idp.write(users={"karin": KARIN}, tamper=tamper)
    answer, _ = sign_in(client, saml_provider)
    refused(answer, "godtogs inte" if "destination" in tamper else "kunde inte godtas", logged)
    assert not User.objects.exists()
    assert not ExternalIdentity.objects.exists()


def test_a_replayed_answer_is_refused(client, saml_provider, saml_idp):
    saml_idp.write(users={"karin": KARIN})
    answer, (acs, fields) = sign_in(client, saml_provider)
    assert answer.status_code == 302
    client.logout()
    refused(client.post(acs, fields), "kunde inte godtas", "utestående")


def test_an_answer_nobody_asked_for_is_refused(client, saml_provider, saml_idp):
    saml_idp.write(users={"karin": KARIN})
    acs, fields = saml_answer(client, saml_provider.slug, "karin")
    refused(
        client.post(acs, {**fields, "RelayState": "id-okand"}), "kunde inte godtas", "utestående"
    )
    assert not User.objects.exists()


def test_the_service_provider_metadata(client, saml_provider):
    answer = client.get(f"/inloggning/{saml_provider.slug}/saml/metadata/")
    assert answer["Content-Type"] == "application/xml"
    xml = answer.content.decode()
    assert 'entityID="http://testserver/inloggning/nll-saml/saml/metadata/"' in xml
    assert 'Location="http://testserver/inloggning/nll-saml/saml/acs/"' in xml
    assert 'AuthnRequestsSigned="true"' in xml and 'use="signing"' in xml


def test_the_authn_request_is_signed(client, saml_provider, saml_idp):
    """The IdP (which wants signed requests) accepts Styrkort's, and not a forged one."""
    import requests

    location = client.get(f"/inloggning/{saml_provider.slug}/")["Location"]
    assert "SigAlg=" in location and "&Signature=" in location
    assert requests.get(location, timeout=10).status_code == 200
    query, signature = location.split("&Signature=")
    forged = (
        f"{query}&Signature=A{signature[1:]}"
        if signature[0] != "A"
        else f"{query}&Signature=B{signature[1:]}"
    )
    assert requests.get(forged, timeout=10).status_code == 500


def test_single_logout_goes_to_the_idp(client, saml_provider, saml_idp):
    saml_idp.write(users={"karin": KARIN})
    sign_in(client, saml_provider)
    answer = client.post("/logga-ut/")
    assert answer.status_code == 302
    assert answer["Location"].startswith(f"{saml_idp.url}/slo/redirect?SAMLRequest=")
    assert not client.get("/").wsgi_request.user.is_authenticated
    assert (last_event().outcome, last_event().method) == ("signed_out", "saml")


def test_a_personal_identity_number_attribute_is_never_stored(client, saml_provider, saml_idp):
    from io import StringIO

    from django.core.management import call_command

    person = {
        **KARIN,
        "personalIdentityNumber": ["198112189876"],
        "urn:oid:1.2.752.29.4.13": ["198112189876"],
        "description": ["19811218-9876"],
    }
    saml_idp.write(users={"karin": person})
    assert sign_in(client, saml_provider)[0].status_code == 302
    dump = StringIO()
    call_command("dumpdata", "accounts", "identity", stdout=dump)
    for form in ("198112189876", "19811218-9876", "811218-9876", "8112189876"):
        assert form not in dump.getvalue()
        assert form not in str(dict(client.session.items()))


def test_a_garbled_answer_does_not_use_up_the_request(client, saml_provider, saml_idp):
    """Whoever saw the RelayState cannot burn the sign-in with garbage: the request is
    consumed only by a valid answer."""
    import base64

    saml_idp.write(users={"karin": KARIN})
    acs, fields = saml_answer(client, saml_provider.slug, "karin")
    garbage = base64.b64encode(b"<samlp:Response>inte ett svar</samlp:Response>").decode()
    refused(client.post(acs, {**fields, "SAMLResponse": garbage}), "kunde inte godtas", "")
    answer = client.post(acs, fields)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert User.objects.filter(external_identities__subject="SE2321000024-K1").exists()


def test_an_answer_posted_from_another_browser_is_refused(client, saml_provider, saml_idp):
    """Login CSRF: an answer for a sign-in started in one browser (the attacker's) is not
    accepted from another (the victim's), and the first can still use it."""
    from django.test import Client

    saml_idp.write(users={"karin": KARIN})
    acs, fields = saml_answer(client, saml_provider.slug, "karin")
    cookie = client.cookies["styrkort_saml_request"]
    assert cookie["httponly"] and cookie["path"] == acs and cookie.value == fields["RelayState"]
    victim = Client()
    refused(victim.post(acs, fields), "en annan webbläsare", "bindningskakan saknas")
    victim.cookies["styrkort_saml_request"] = "id-en-annan"
    refused(victim.post(acs, fields), "en annan webbläsare", "bindningskakan stämmer inte")
    assert not User.objects.exists()
    answer = client.post(acs, fields)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert answer.cookies["styrkort_saml_request"]["max-age"] == 0


def test_the_binding_cookie_is_sent_cross_site_over_https(client, saml_provider):
    answer = client.get(f"/inloggning/{saml_provider.slug}/", secure=True)
    cookie = answer.cookies["styrkort_saml_request"]
    assert cookie["secure"] and cookie["samesite"] == "None" and cookie["httponly"]


def test_a_request_that_cannot_be_signed_is_a_refusal(client, saml_provider, settings, tmp_path):
    """Styrkort's key unusable (xmlsec or the signature failing): a refusal, not a 500."""
    from styrkort.identity.keys import sp_key_pair

    _key, cert = sp_key_pair()
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    # A key that loads but cannot make the RSA-SHA256 signature the request needs.
    broken = tmp_path / "ec.key"
    broken.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    settings.STYRKORT_SAML_KEY_FILE, settings.STYRKORT_SAML_CERT_FILE = str(broken), cert
    answer = client.get(f"/inloggning/{saml_provider.slug}/")
    assert answer.status_code == 502
    assert "Inloggningen nekades" in answer.content.decode()
    assert last_event().outcome == "refused" and last_event().method == "saml"
    assert "AuthnRequest kunde inte skapas" in last_event().reason, last_event().reason
