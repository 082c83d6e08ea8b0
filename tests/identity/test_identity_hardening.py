"""Hardening of single sign-on that needs no identity provider process: secrets kept out
of the history, provider addresses that must be https and not internal, the ID token's
algorithms, broken provider answers refused without a 500, unknown providers not logged,
starting sign-ins rate-limited."""

import pytest

from styrkort.accounts.models import SignInEvent
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


# --- a small provider: JSON answers from a real HTTP server on a test port ------------------


@pytest.fixture
def served():
    """A local HTTP server answering GET <path> with served.answers[path] (JSON or text)."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from identity_providers import free_port

    answers: dict = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            found = answers.get(self.path)
            if isinstance(found, tuple):  # ("redirect", where)
                self.send_response(302)
                self.send_header("Location", found[1])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = (found if isinstance(found, str) else json.dumps(found)).encode()
            self.send_response(200 if self.path in answers else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.answers = answers
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


def _token(key, alg: str, issuer: str, **claims) -> str:
    import time

    from joserfc import jwt

    now = int(time.time())
    payload = {"iss": issuer, "aud": "styrkort", "sub": "anna", "nonce": "n", "iat": now}
    return jwt.encode({"alg": alg, "kid": key.kid}, {"exp": now + 300, **payload, **claims}, key)


def test_a_rolled_key_is_accepted_and_an_hmac_token_never(served, settings):
    from django.core.cache import cache
    from joserfc.jwk import OctKey, RSAKey

    from styrkort.identity import oidc

    old = RSAKey.generate_key(2048, parameters={"kid": "gammal"})
    new = RSAKey.generate_key(2048, parameters={"kid": "ny"})
    secret = OctKey.generate_key(256, parameters={"kid": "hemlig"})
    config = {"issuer": served.url, "jwks_uri": f"{served.url}/jwks"}  # no algorithm list
    provider = IdentityProvider(issuer=served.url, client_id="styrkort")
    cache.set(f"identity:oidc:jwks:{served.url}/jwks", {"keys": [old.as_dict(private=False)]})
    served.answers["/jwks"] = {"keys": [new.as_dict(private=False), secret.as_dict()]}
    # The provider rolled its key since it was cached: re-read, accepted (RS256).
    claims = oidc.check_id_token(provider, config, _token(new, "RS256", served.url), "n")
    assert claims["sub"] == "anna"
    # An HMAC "signature" is refused even after the re-read, listed or not.
    for listed in ({}, {"id_token_signing_alg_values_supported": ["HS256", "RS256"]}):
        cache.set(f"identity:oidc:jwks:{served.url}/jwks", {"keys": [old.as_dict(private=False)]})
        with pytest.raises(oidc.OIDCError) as refused:
            oidc.check_id_token(
                provider, {**config, **listed}, _token(secret, "HS256", served.url), "n"
            )
        assert "signaturen godtas inte" in refused.value.reason


# --- provider addresses: https, and never the server's own network --------------------------


@pytest.mark.parametrize(
    ("url", "debug", "problem"),
    [
        ("http://login.example.se", False, "måste börja med https://"),
        ("https://127.0.0.1:8443/realm", False, "internt nät"),
        ("https://localhost/realm", False, "internt nät"),
        ("https://10.1.2.3/", False, "internt nät"),
        ("https://192.168.0.10/", False, "internt nät"),
        ("https://169.254.169.254/latest/meta-data/", False, "internt nät"),
        ("https://[::1]/", False, "internt nät"),
        ("https://[::ffff:10.0.0.1]/", False, "internt nät"),
        ("http://127.0.0.1/", True, "internt nät"),  # DEBUG allows http only
        ("http://93.184.215.14/", True, None),
        ("https://93.184.215.14/", False, None),
        ("ftp://93.184.215.14/", False, "måste börja med https://"),
    ],
)
def test_provider_addresses_must_be_https_and_public(settings, region, url, debug, problem):
    from styrkort.identity import services

    settings.STYRKORT_IDENTITY_ALLOW_LOCAL_HTTP = False
    settings.DEBUG = debug
    org, *_units = region
    oidc = IdentityProvider(organisation=org, protocol="oidc", issuer=url, client_id="x")
    saml = IdentityProvider(organisation=org, protocol="saml", metadata_url=url)
    for provider, field in ((oidc, "issuer"), (saml, "metadata_url")):
        found = services.provider_problems(provider).get(field)
        assert (problem in found) if problem else found is None, (field, found)


def test_the_form_names_an_internal_address(client, settings, region):
    from factories import RoleAssignmentFactory, UserFactory
    from styrkort.accounts.models import Role

    settings.STYRKORT_IDENTITY_ALLOW_LOCAL_HTTP = False
    org, top, *_units = region
    admin = UserFactory(username="org-admin")
    RoleAssignmentFactory(user=admin, unit=top, role=Role.ADMIN)
    client.force_login(admin)
    fields = {
        "organisation": org.pk,
        "name": "Intern",
        "slug": "intern",
        "protocol": "saml",
        "enabled": "on",
        "metadata_url": "https://169.254.169.254/latest/meta-data/",
        "identifier_claim": "employeeHsaId",
        "email_claim": "mail",
        "first_name_claim": "givenName",
        "last_name_claim": "sn",
    }
    page = client.post("/administration/inloggning/ny/", fields)
    assert page.status_code == 200 and "pekar på ett internt nät" in page.text
    page = client.post("/administration/inloggning/ny/", {**fields, "metadata_url": "http://x.se"})
    assert "måste börja med https://" in page.text
    assert not IdentityProvider.objects.exists()


@pytest.mark.parametrize("protocol", ["oidc", "saml"])
def test_a_stored_internal_address_is_not_fetched(client, settings, served, oidc, protocol):
    settings.STYRKORT_IDENTITY_ALLOW_LOCAL_HTTP = False
    served.answers["/.well-known/openid-configuration"] = {"issuer": served.url}
    served.answers["/metadata"] = "<md:EntityDescriptor/>"
    IdentityProvider.objects.filter(pk=oidc.pk).update(
        protocol=protocol, issuer=served.url, metadata_url=f"{served.url}/metadata"
    )
    answer = client.get("/inloggning/entra/")
    assert answer.status_code == 502
    assert "felaktigt inställd" in answer.content.decode()
    assert "adressen godtas inte" in SignInEvent.objects.get().reason


def test_a_redirect_into_the_internal_network_is_not_followed(settings, served):
    from styrkort.identity import addresses

    settings.STYRKORT_IDENTITY_ALLOW_LOCAL_HTTP = False
    served.answers["/metadata"] = ("redirect", "http://169.254.169.254/latest/meta-data/")
    with pytest.raises(addresses.Refused) as refused:
        addresses.get(f"{served.url}/metadata", timeout=5)
    assert "omdirigerad" in str(refused.value)


# --- broken provider answers and races: a refusal, never a 500 ------------------------------


@pytest.mark.parametrize(
    ("configuration", "logged"),
    [
        (["inte", "ett", "objekt"], "inget JSON-objekt"),
        ("ISSUER", "saknar authorization_endpoint"),
        ({"issuer": "ISSUER", "authorization_endpoint": 42}, "saknar authorization_endpoint"),
    ],
    ids=["list", "no-endpoint", "endpoint-not-text"],
)
def test_a_broken_discovery_is_a_refusal(client, served, oidc, configuration, logged):
    configuration = {"issuer": served.url} if configuration == "ISSUER" else configuration
    if isinstance(configuration, dict):
        configuration = {**configuration, "issuer": served.url}
    served.answers["/.well-known/openid-configuration"] = configuration
    IdentityProvider.objects.filter(pk=oidc.pk).update(issuer=served.url)
    answer = client.get("/inloggning/entra/")
    assert answer.status_code == 502
    assert "Inloggningen nekades" in answer.content.decode()
    assert logged in SignInEvent.objects.get().reason


@pytest.mark.parametrize(
    "jwks", [{"keys": [{"kty": "RSA", "n": "inte-base64"}]}, {"keys": "x"}, {}, [1]]
)
def test_a_malformed_key_set_refuses_the_token(served, jwks):
    from joserfc.jwk import RSAKey

    from styrkort.identity import oidc

    key = RSAKey.generate_key(2048, parameters={"kid": "k"})
    served.answers["/jwks"] = jwks
    config = {"issuer": served.url, "jwks_uri": f"{served.url}/jwks"}
    provider = IdentityProvider(issuer=served.url, client_id="styrkort")
    with pytest.raises(oidc.OIDCError):
        oidc.check_id_token(provider, config, _token(key, "RS256", served.url), "n")
    with pytest.raises(oidc.OIDCError):
        oidc.check_id_token(provider, {"issuer": served.url}, "a.b.c", "n")  # no jwks_uri


def test_two_first_sign_ins_at_once_are_no_500(region):
    """Two posts of one person's first sign-in at once: the other request creates the
    link just before this one does (simulated by a signal that inserts it first); the
    sign-in is tried again and goes through."""
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_save

    from factories import UserFactory
    from styrkort.accounts.models import Role
    from styrkort.identity import services
    from styrkort.identity.models import ExternalIdentity, RoleRule

    org, _top, ls1, _ls2 = region
    provider = IdentityProvider.objects.create(
        organisation=org, slug="s", name="S", protocol="oidc", issuer="https://x.se"
    )
    RoleRule.objects.create(
        provider=provider, claim="groups", value="g", unit=ls1, role=Role.READER
    )
    other = UserFactory(username="den-andra-begaran")
    raced = []

    def concurrent(sender, instance, created, **kwargs):
        if created and not raced and instance.username == "anna":
            raced.append(instance)
            ExternalIdentity.objects.create(provider=provider, subject="anna", user=other)

    post_save.connect(concurrent, sender=get_user_model(), weak=False)
    try:
        outcome = services.sign_in(
            user=None, provider=provider, claims={"sub": "anna", "groups": ["g"]}
        )
    finally:
        post_save.disconnect(concurrent, sender=get_user_model())
    assert raced and outcome.refusal is None
    assert ExternalIdentity.objects.get(provider=provider, subject="anna").user == outcome.user


def test_an_assertion_posted_twice_at_once_is_a_replay(region):
    """The second of two concurrent posts of one answer inserts the assertion id after
    the first did (simulated by a signal): refused as a replay, not an IntegrityError."""
    import datetime

    from django.db.models.signals import pre_save
    from django.utils import timezone

    from styrkort.identity import services
    from styrkort.identity.models import SamlMessage

    org, *_units = region
    provider = IdentityProvider.objects.create(
        organisation=org, slug="s", name="S", protocol="saml", metadata_xml="<x/>"
    )
    until = timezone.now() + datetime.timedelta(minutes=5)
    services.expect_saml_answer(user=None, provider=provider, request_id="id-1", next_url="/")

    def concurrent(sender, instance, **kwargs):
        if instance.kind == "assertion" and not instance.pk and not kwargs.get("raw"):
            pre_save.disconnect(concurrent, sender=SamlMessage)
            SamlMessage.objects.create(
                provider=provider, kind="assertion", message_id="a-1", expires_at=until
            )

    pre_save.connect(concurrent, sender=SamlMessage, weak=False)
    try:
        accepted = services.accept_saml_answer(
            user=None, provider=provider, request_id="id-1", assertion_id="a-1", until=until
        )
    finally:
        pre_save.disconnect(concurrent, sender=SamlMessage)
    assert accepted is False


# --- anonymous requests: unknown providers write nothing, starts are rate-limited ----------


def test_an_unknown_provider_writes_nothing(client, oidc):
    for path in ("/inloggning/finns-inte/", "/inloggning/finns-inte/saml/metadata/"):
        answer = client.get(path)
        assert answer.status_code == 404
        assert "Det finns ingen inloggningstjänst som heter ”finns-inte”" in answer.text
    answer = client.post("/inloggning/finns-inte/saml/acs/", {"SAMLResponse": "x"})
    assert answer.status_code == 404
    assert not SignInEvent.objects.exists()


def test_starting_sign_ins_is_rate_limited_per_address(client, settings, oidc):
    from styrkort.web import ratelimit

    ratelimit.forget("identity-start", "10.9.9.9")
    settings.STYRKORT_SIGN_IN_STARTS_PER_HOUR = 3
    for _ in range(3):  # the provider is unreachable: refused, but started
        assert client.get("/inloggning/entra/").status_code == 502
    answer = client.get("/inloggning/entra/")
    assert answer.status_code == 429
    assert "För många inloggningsförsök från din adress" in answer.text
    assert SignInEvent.objects.count() == 3  # the limited start writes nothing
    other = client.get("/inloggning/entra/", REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 502  # another address is not limited
