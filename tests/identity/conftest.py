import pytest
from identity_providers import start_oidc

from factories import OrganisationFactory, OrgUnitFactory
from styrkort.accounts.models import Role
from styrkort.identity.models import IdentityProvider, RoleRule

SLUG = "nll-test"


@pytest.fixture(autouse=True)
def _local_identity_providers(settings):
    """The test providers run at http://127.0.0.1: allowed here only (identity.addresses);
    a test of the address rules turns it off again."""
    settings.STYRKORT_IDENTITY_ALLOW_LOCAL_HTTP = True


@pytest.fixture(autouse=True)
def _fresh_sign_in_starts():
    """Sign-ins started are counted per address and hour in the shared cache: each test
    starts with none counted from the test client."""
    from styrkort.web import ratelimit

    ratelimit.forget("identity-start", "127.0.0.1")
    yield
    ratelimit.forget("identity-start", "127.0.0.1")


@pytest.fixture(scope="session")
def oidc_process(tmp_path_factory):
    """oidc-provider on node, with Styrkort as its client (redirect to the test client)."""
    process = start_oidc(
        tmp_path_factory.mktemp("oidc"),
        redirect_uris=[f"http://testserver/inloggning/{SLUG}/svar/"],
        logout_uris=["http://testserver/logga-in/"],
    )
    yield process
    process.stop()


@pytest.fixture
def oidc_idp(oidc_process):
    oidc_process.write(users={})
    yield oidc_process
    oidc_process.write(users={})


@pytest.fixture
def region(db):
    """Region Norrbotten with two divisions."""
    org = OrganisationFactory(code="nll", name="Region Norrbotten")
    top = OrgUnitFactory(organisation=org, code="NLL", name="Region Norrbotten", type="region")
    ls1 = OrgUnitFactory(parent=top, code="NLL-LS1", name="Division Länssjukvård 1")
    ls2 = OrgUnitFactory(parent=top, code="NLL-LS2", name="Division Länssjukvård 2")
    top.refresh_from_db()
    return org, top, ls1, ls2


def add_rules(provider, ls1, ls2) -> None:
    """Group planerare-ls1 plans LS1; group rapportor-ls2 reports at LS2; HSA commission
    "Verksamhetschef" reads LS1."""
    RoleRule.objects.create(
        provider=provider, claim="groups", value="planerare-ls1", unit=ls1, role=Role.PLANNER
    )
    RoleRule.objects.create(
        provider=provider, claim="groups", value="rapportor-ls2", unit=ls2, role=Role.REPORTER
    )
    RoleRule.objects.create(
        provider=provider,
        claim="hsaCommissionPurpose",
        value="Verksamhetschef",
        unit=ls1,
        role=Role.READER,
    )


@pytest.fixture
def oidc_provider(region, oidc_idp):
    org, _top, ls1, ls2 = region
    provider = IdentityProvider.objects.create(
        organisation=org,
        slug=SLUG,
        name="Region Norrbottens Entra ID",
        protocol="oidc",
        issuer=oidc_idp.url,
        client_id="styrkort",
        client_secret="styrkort-hemlighet",
        scopes="openid profile email groups",
        identifier_claim="sub",
    )
    add_rules(provider, ls1, ls2)
    return provider


SAML_SLUG = "nll-saml"


@pytest.fixture(scope="session")
def saml_process(tmp_path_factory, django_test_environment):
    """The pysaml2 IdP, knowing Styrkort's service-provider metadata for SAML_SLUG."""
    from django.test import RequestFactory
    from identity_providers import start_saml

    from styrkort.identity import saml
    from styrkort.organisation.models import Organisation

    sp = IdentityProvider(
        slug=SAML_SLUG, protocol="saml", organisation=Organisation(name="Region Norrbotten")
    )
    metadata = saml.sp_metadata(RequestFactory().get("/"), sp)
    process = start_saml(tmp_path_factory.mktemp("saml"), sp_metadata=metadata)
    yield process
    process.stop()


@pytest.fixture
def saml_idp(saml_process):
    saml_process.write(users={})
    yield saml_process
    saml_process.write(users={})


@pytest.fixture
def saml_provider(region, saml_idp):
    org, _top, ls1, ls2 = region
    provider = IdentityProvider.objects.create(
        organisation=org,
        slug=SAML_SLUG,
        name="SITHS-kort",
        protocol="saml",
        metadata_url=f"{saml_idp.url}/metadata",
        identifier_claim="employeeHsaId",
        email_claim="mail",
        first_name_claim="givenName",
        last_name_claim="sn",
    )
    add_rules(provider, ls1, ls2)
    return provider
