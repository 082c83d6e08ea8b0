"""Malformed sign-in requests never reach a 500: a refusal page in Swedish and an event in
the sign-in log (no identity provider process needed)."""

import pytest

from styrkort.accounts.models import SignInEvent
from styrkort.identity.models import IdentityProvider

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(region):
    org, *_units = region
    return IdentityProvider.objects.create(
        organisation=org,
        slug="trasig",
        name="Trasig",
        protocol="saml",
        metadata_xml="<inte metadata",
        identifier_claim="employeeHsaId",
    )


def test_broken_metadata_is_a_refusal(client, provider):
    answer = client.get("/inloggning/trasig/")
    assert answer.status_code == 502
    assert "felaktigt inställd (metadata)" in answer.content.decode()
    assert SignInEvent.objects.get().reason == "metadata kan inte läsas"


@pytest.mark.parametrize("body", [{}, {"SAMLResponse": "inte base64 %%%", "RelayState": "x"}])
def test_a_garbled_saml_answer_is_a_refusal(client, provider, body):
    answer = client.post("/inloggning/trasig/saml/acs/", body)
    assert answer.status_code == 400
    assert "Inloggningen nekades" in answer.content.decode()
    assert SignInEvent.objects.get().outcome == "refused"


def test_a_callback_without_a_sign_in_is_a_refusal(client, provider):
    provider.protocol, provider.issuer, provider.client_id = "oidc", "http://127.0.0.1:9/", "x"
    provider.save()
    answer = client.get("/inloggning/trasig/svar/")
    assert answer.status_code == 400 and "fel state" in answer.content.decode()
    answer = client.get("/inloggning/trasig/svar/?error=access_denied&state=x")
    assert answer.status_code == 400 and "avbröts" in answer.content.decode()


def test_an_unreachable_provider_is_a_refusal(client, provider):
    provider.protocol, provider.issuer, provider.client_id = "oidc", "http://127.0.0.1:9/", "x"
    provider.save()
    answer = client.get("/inloggning/trasig/")
    assert answer.status_code == 502
    assert "svarar inte just nu" in answer.content.decode()
