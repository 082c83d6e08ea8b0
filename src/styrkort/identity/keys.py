"""Styrkort's own key and certificate as a SAML service provider: it signs the
AuthnRequests and LogoutRequests (the Swedish eID framework and most IdPs require signed
requests) and is published in the service provider's metadata.

From ``STYRKORT_SAML_KEY_FILE`` and ``STYRKORT_SAML_CERT_FILE`` (PEM) when both are set —
what a site with several servers must do, so that they sign alike — or else created once
in ``STYRKORT_VAR_DIR/identity/`` (RSA 2048, self-signed, ten years). A new key means the
IdP's administrator must load Styrkort's metadata again.
"""

from __future__ import annotations

import datetime
import fcntl
import os
from pathlib import Path

from django.conf import settings


def sp_key_pair() -> tuple[str, str]:
    """The paths of the key and the certificate (PEM)."""
    key = getattr(settings, "STYRKORT_SAML_KEY_FILE", "")
    cert = getattr(settings, "STYRKORT_SAML_CERT_FILE", "")
    if key and cert:
        return key, cert
    folder = Path(settings.VAR_DIR) / "identity"
    key_path, cert_path = folder / "saml-sp.key", folder / "saml-sp.crt"
    if not (key_path.exists() and cert_path.exists()):
        folder.mkdir(parents=True, exist_ok=True)
        # One process creates the pair; the others (workers starting together) wait.
        with open(folder / "saml-sp.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (key_path.exists() and cert_path.exists()):
                _create(key_path, cert_path)
    return str(key_path), str(cert_path)


def _create(key_path: Path, cert_path: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Styrkort SAML SP")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    descriptor = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(pem)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
