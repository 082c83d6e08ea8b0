"""The sign-in configuration pages: an organisation's administrator sets up a provider
and its role rules, in Swedish, with each bad field named; nobody else may."""

import pytest

from factories import OrganisationFactory, OrgUnitFactory, RoleAssignmentFactory, UserFactory
from styrkort.accounts.models import Role
from styrkort.identity.models import IdentityProvider, RoleRule

pytestmark = pytest.mark.django_db

OIDC = {
    "organisation": "",
    "name": "Entra ID",
    "slug": "nll-entra",
    "protocol": "oidc",
    "enabled": "on",
    "issuer": "https://login.microsoftonline.com/tenant/v2.0",
    "client_id": "abc",
    "client_secret": "hemligt",
    "scopes": "openid profile email",
    "identifier_claim": "oid",
    "email_claim": "email",
    "first_name_claim": "given_name",
    "last_name_claim": "family_name",
    "local_passwords_allowed": "on",
}


@pytest.fixture
def admin(region):
    _org, top, _ls1, _ls2 = region
    person = UserFactory(username="org-admin")
    RoleAssignmentFactory(user=person, unit=top, role=Role.ADMIN)
    return person


def test_only_the_organisations_administrator_may_configure(client, region, admin):
    _org, _top, ls1, _ls2 = region
    planner = UserFactory(username="planner")
    RoleAssignmentFactory(user=planner, unit=ls1, role=Role.ADMIN)  # admin below the top
    client.force_login(planner)
    assert client.get("/administration/inloggning/").status_code == 403
    assert client.post("/administration/inloggning/ny/", OIDC).status_code == 403
    assert not IdentityProvider.objects.exists()
    client.force_login(admin)
    page = client.get("/administration/inloggning/")
    assert page.status_code == 200 and "Ingen inloggningstjänst är inställd ännu" in page.text


def test_an_administrator_sets_up_a_provider_and_a_rule(client, region, admin):
    org, _top, ls1, _ls2 = region
    client.force_login(admin)
    answer = client.post("/administration/inloggning/ny/", {**OIDC, "organisation": org.pk})
    provider = IdentityProvider.objects.get(slug="nll-entra")
    assert (
        answer.status_code == 302
        and answer["Location"] == f"/administration/inloggning/{provider.pk}/"
    )
    page = client.get(answer["Location"]).text
    assert "http://testserver/inloggning/nll-entra/svar/" in page  # the redirect URI to give
    assert "hemligt" not in page
    assert provider.history.first().history_user == admin
    rule = {"claim": "groups", "value": "planerare", "unit": ls1.pk, "role": Role.PLANNER}
    assert client.post(f"/administration/inloggning/{provider.pk}/regler/", rule).status_code == 302
    saved = RoleRule.objects.get(provider=provider)
    assert (saved.claim, saved.value, saved.unit, saved.role) == (
        "groups",
        "planerare",
        ls1,
        "planner",
    )
    # the secret is kept when the field is left empty
    client.post(
        f"/administration/inloggning/{provider.pk}/",
        {**OIDC, "organisation": org.pk, "client_secret": "", "name": "Entra"},
    )
    provider.refresh_from_db()
    assert (provider.name, provider.client_secret) == ("Entra", "hemligt")
    delete = f"/administration/inloggning/{provider.pk}/regler/{saved.pk}/ta-bort/"
    assert client.post(delete).status_code == 302
    assert not RoleRule.objects.exists()


def test_bad_fields_are_named(client, region, admin):
    org, _top, _ls1, _ls2 = region
    client.force_login(admin)
    page = client.post(
        "/administration/inloggning/ny/",
        {
            **OIDC,
            "organisation": org.pk,
            "issuer": "",
            "identifier_claim": "personalIdentityNumber",
        },
    )
    assert page.status_code == 200
    assert "Personnummer får inte användas för att identifiera personer" in page.text
    assert "Utfärdare behövs för OpenID Connect" in page.text
    saml = {**OIDC, "organisation": org.pk, "protocol": "saml", "slug": "nll-saml"}
    page = client.post("/administration/inloggning/ny/", saml)
    assert "Ange leverantörens metadata (XML) eller en metadata-adress" in page.text
    assert not IdentityProvider.objects.exists()


def test_a_rule_may_not_give_roles_in_another_organisation(client, region, admin):
    org, _top, _ls1, _ls2 = region
    other = OrgUnitFactory(organisation=OrganisationFactory(code="srs"), code="SRS")
    client.force_login(admin)
    client.post("/administration/inloggning/ny/", {**OIDC, "organisation": org.pk})
    provider = IdentityProvider.objects.get()
    rule = {"claim": "groups", "value": "x", "unit": other.pk, "role": Role.READER}
    page = client.post(f"/administration/inloggning/{provider.pk}/regler/", rule)
    assert page.status_code == 200 and "Välj ett giltigt alternativ" in page.text
    assert not RoleRule.objects.exists()
