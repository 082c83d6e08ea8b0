"""Where an organisation's identity provider does not allow local passwords, its people
sign in neither on the login page nor at the API's token endpoint; a wrong password
reveals nothing, and superusers keep their way in."""

import pytest

from factories import PASSWORD, RoleAssignmentFactory, UserFactory
from styrkort.accounts.models import Role, SignInEvent
from styrkort.identity.models import IdentityProvider

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(region):
    org, top, ls1, _ls2 = region
    IdentityProvider.objects.create(
        organisation=org,
        slug="nll",
        name="Entra ID",
        protocol="oidc",
        issuer="https://idp.example.se",
        client_id="x",
        local_passwords_allowed=False,
    )
    bo = UserFactory(username="bo")
    RoleAssignmentFactory(user=bo, unit=ls1, role=Role.READER)
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    RoleAssignmentFactory(user=root, unit=top, role=Role.ADMIN)
    return bo


def test_the_token_endpoint_refuses_a_password(client, closed):
    answer = client.post(
        "/api/token/", {"username": "bo", "password": PASSWORD}, content_type="application/json"
    )
    assert answer.status_code == 400
    assert "token" not in answer.json()
    assert SignInEvent.objects.filter(username="bo", outcome="failure").exists()


def test_the_login_page_says_why_only_to_the_right_password(client, closed):
    right = client.post("/logga-in/", {"username": "bo", "password": PASSWORD})
    assert "Din organisation loggar in via sin inloggningstjänst" in right.content.decode()
    wrong = client.post("/logga-in/", {"username": "bo", "password": "fel-losenord"})
    assert "Fel användarnamn eller lösenord" in wrong.content.decode()
    assert "inloggningstjänst, inte med lösenord" not in wrong.content.decode()


def test_a_superuser_still_signs_in_with_a_password(client, closed):
    assert client.post("/logga-in/", {"username": "root", "password": PASSWORD}).status_code == 302
