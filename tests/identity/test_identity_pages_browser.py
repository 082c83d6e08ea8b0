"""In Chromium: an organisation's administrator sets up an identity provider and a role
rule on the configuration pages, in Swedish, and axe-core finds no violation there or on
the login page that now offers the provider."""

import pytest

from accessibility import axe_violations
from factories import (
    PASSWORD,
    OrganisationFactory,
    OrgUnitFactory,
    RoleAssignmentFactory,
    UserFactory,
)
from styrkort.accounts.models import Role
from styrkort.identity.models import IdentityProvider, RoleRule

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "sv-SE"}


def test_an_administrator_sets_up_sign_in(live_server, page):
    org = OrganisationFactory(code="nll", name="Region Norrbotten")
    top = OrgUnitFactory(organisation=org, code="NLL", name="Region Norrbotten", type="region")
    ls1 = OrgUnitFactory(parent=top, code="NLL-LS1", name="Division Länssjukvård 1")
    admin = UserFactory(username="org-admin")
    RoleAssignmentFactory(user=admin, unit=top, role=Role.ADMIN)

    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill("org-admin")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.goto(f"{live_server.url}/administration/inloggning/")
    assert page.get_by_role("heading", name="Inloggningstjänster").is_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Ny inloggningstjänst").click()
    page.locator("#id_name").fill("SITHS-kort")
    page.locator("#id_slug").fill("nll-siths")
    page.locator("#id_protocol").select_option("saml")
    page.locator("#id_identifier_claim").fill("personalIdentityNumber")
    page.get_by_role("button", name="Spara").click()
    assert page.get_by_text("Personnummer får inte användas").is_visible()
    assert page.get_by_text(
        "Ange leverantörens metadata (XML) eller en metadata-adress."
    ).is_visible()
    assert axe_violations(page) == []

    page.locator("#id_identifier_claim").fill("employeeHsaId")
    page.locator("#id_metadata_url").fill("https://idp.example.se/metadata")
    page.get_by_role("button", name="Spara").click()
    assert page.get_by_text("Inloggningstjänsten SITHS-kort är sparad.").is_visible()
    assert page.get_by_text(f"{live_server.url}/inloggning/nll-siths/saml/acs/").is_visible()

    page.locator("#id_claim").fill("hsaCommissionPurpose")
    page.locator("#id_value").fill("Verksamhetschef")
    page.locator("#id_unit").select_option(str(ls1.pk))
    page.locator("#id_role").select_option("reader")
    page.get_by_role("button", name="Lägg till regeln").click()
    assert page.get_by_role("cell", name="Verksamhetschef", exact=True).is_visible()
    assert axe_violations(page) == []
    provider = IdentityProvider.objects.get(slug="nll-siths")
    assert RoleRule.objects.get(provider=provider).unit == ls1

    page.get_by_role("button", name="Logga ut").click()
    page.goto(f"{live_server.url}/logga-in/")
    assert page.get_by_role("link", name="Logga in med SITHS-kort").is_visible()
    assert axe_violations(page) == []
