"""A SAML 2.0 identity provider for Styrkort's sign-in tests, built on pysaml2's IdP
library (``saml2.server.Server``) and served with wsgiref: its metadata at /metadata,
single sign-on with the HTTP-Redirect binding at /sso/redirect (a login page: any
person listed in the state file signs in by name), the answer as a page that posts the
signed response to the service provider's ACS (HTTP-POST), single logout at
/slo/redirect. For the bad-input tests the state file's "tamper" makes it get one thing
wrong: {"unsigned": true}, {"expired": true}, {"audience": "..."}, {"destination": "..."},
{"issuer": "..."}, {"forged": true} (signed with another key).

    python server.py PORT DIRECTORY   (DIRECTORY holds sp.xml and saml-state.json)
"""

import datetime
import html
import json
import shutil
import sys
from pathlib import Path
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.assertion import Policy
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server

PORT, DIRECTORY = int(sys.argv[1]), Path(sys.argv[2])
URL = f"http://127.0.0.1:{PORT}"


def _key_and_certificate(name_: str = "idp") -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test-idp")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = DIRECTORY / f"{name_}.key", DIRECTORY / f"{name_}.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(key_file), str(cert_file)


KEY, CERT = _key_and_certificate()
CONFIG = {
    "entityid": f"{URL}/metadata",
    "xmlsec_binary": shutil.which("xmlsec1"),
    "key_file": KEY,
    "cert_file": CERT,
    "service": {
        "idp": {
            "name": "Test-IdP",
            "endpoints": {
                "single_sign_on_service": [(f"{URL}/sso/redirect", BINDING_HTTP_REDIRECT)],
                "single_logout_service": [(f"{URL}/slo/redirect", BINDING_HTTP_REDIRECT)],
            },
            "policy": {"default": {"lifetime": {"minutes": 15}, "attribute_restrictions": None}},
            "name_id_format": [NAMEID_FORMAT_PERSISTENT],
            "want_authn_requests_signed": True,
        }
    },
    "metadata": {"local": [str(DIRECTORY / "sp.xml")]},
}
config = IdPConfig()
config.load(CONFIG)
server = Server(config=config)
# The same IdP's name with a key of its own: a forged answer ({"forged": true}).
FORGED_KEY, FORGED_CERT = _key_and_certificate("forger")
forger_config = IdPConfig()
forger_config.load({**CONFIG, "key_file": FORGED_KEY, "cert_file": FORGED_CERT})
forger = Server(config=forger_config)


class TamperedPolicy(Policy):
    """The IdP's policy, with the audience of the conditions replaced when asked to."""

    audience = None

    def conditions(self, sp_entity_id):
        return super().conditions(self.audience or sp_entity_id)


def state() -> dict:
    return json.loads((DIRECTORY / "saml-state.json").read_text())


def page(start_response, body: str, status: str = "200 OK", kind: str = "text/html"):
    start_response(status, [("Content-Type", f"{kind}; charset=utf-8")])
    return [body.encode()]


def parse(fields: dict, idp=None):
    """The AuthnRequest, its signature over the query checked (HTTP-Redirect binding)."""
    return (idp or server).parse_authn_request(
        fields["SAMLRequest"],
        BINDING_HTTP_REDIRECT,
        relay_state=fields.get("RelayState"),
        sigalg=fields.get("SigAlg"),
        signature=fields.get("Signature"),
    )


def login_form(query: dict) -> str:
    parse(query)  # an unsigned or wrongly signed request fails here
    hidden = "".join(
        f'<input type="hidden" name="{name}" value="{html.escape(query.get(name, ""))}">'
        for name in ("SAMLRequest", "RelayState", "SigAlg", "Signature")
    )
    return (
        "<!doctype html><title>Test-IdP</title>"
        f'<form method="post" action="/sso/login">{hidden}'
        '<label>Vem <input name="login" value=""></label><button>Logga in</button></form>'
    )


def answer(fields: dict) -> str:
    """The signed response to the AuthnRequest, as the page that posts it to the SP."""
    current = state()
    person, tamper = current["users"][fields["login"]], current.get("tamper", {})
    idp = forger if tamper.get("forged") else server
    request = parse(fields, idp).message
    lifetime = {"minutes": -10} if tamper.get("expired") else {"minutes": 15}
    policy = TamperedPolicy({"default": {"lifetime": lifetime, "attribute_restrictions": None}})
    policy.audience = tamper.get("audience")
    idp.config.setattr("idp", "policy", policy)
    acs = request.assertion_consumer_service_url
    signed = not tamper.get("unsigned")
    response = idp.create_authn_response(
        identity=person,
        in_response_to=request.id,
        destination=tamper.get("destination", acs),
        sp_entity_id=request.issuer.text,
        name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=fields["login"]),
        authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"},
        issuer=tamper.get("issuer"),
        sign_response=signed,
        sign_assertion=signed,
    )
    posted = idp.apply_binding(
        BINDING_HTTP_POST, str(response), acs, fields.get("RelayState", ""), response=True
    )
    return posted["data"]


def app(environ, start_response):
    path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
    if path == "/metadata":
        return page(
            start_response,
            create_metadata_string(None, config=config).decode(),
            kind="application/xml",
        )
    if path == "/sso/redirect":
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        return page(start_response, login_form(query))
    if path == "/sso/login" and method == "POST":
        size = int(environ.get("CONTENT_LENGTH") or 0)
        fields = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(size).decode()).items()}
        if fields.get("login") not in state()["users"]:
            return page(start_response, "unknown person", "403 Forbidden")
        return page(start_response, answer(fields))
    if path == "/slo/redirect":
        return page(start_response, "<!doctype html><title>Utloggad</title><p>Utloggad")
    return page(start_response, "not found", "404 Not Found")


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


if __name__ == "__main__":
    make_server("127.0.0.1", PORT, app, handler_class=QuietHandler).serve_forever()
