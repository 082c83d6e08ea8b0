"""Hardening of single sign-on that needs no identity provider process: secrets kept out
of the history, provider addresses that must be https and not internal, the ID token's
algorithms, broken provider answers refused without a 500, unknown providers not logged,
starting sign-ins rate-limited."""

import pytest

from styrkort.identity.models import IdentityProvider

pytestmark = pytest.mark.django_db


@pytest.fixture
def oidc(region):
    org, *_units = region
    return IdentityProvider.objects.create(
        organisation=org,
        slug="entra",
        name="Entra ID",
        protocol="oidc",
        issuer="https://login.example.se",
        client_id="styrkort",
        client_secret="mycket-hemligt",
    )


def test_the_client_secret_is_not_kept_in_the_history(oidc):
    oidc.client_secret = "ny-hemlighet"
    oidc.save()
    history = oidc.history.model
    assert "client_secret" not in {f.name for f in history._meta.get_fields()}
    values = [str(v) for row in history.objects.values() for v in row.values()]
    assert "mycket-hemligt" not in values and "ny-hemlighet" not in values
