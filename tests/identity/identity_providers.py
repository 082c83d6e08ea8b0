"""The identity providers the sign-in tests run against, as processes of their own: the
npm package oidc-provider (``idp_oidc/server.mjs``) and a SAML IdP built on pysaml2's
IdP library (``idp_saml/server.py``). Each reads a state file at every request: the
people it knows (with their claims or attributes) and, for the bad-input tests, what it
should get wrong."""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import time
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
#: ports 8600-8699 are the test identity providers'
PORTS = range(8600, 8700)


def free_port() -> int:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    offset = int(re.sub(r"\D", "", worker) or 0) * 20
    for port in [*PORTS[offset:], *PORTS[:offset]]:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8600-8699")


class Process:
    """A provider process with its state file."""

    def __init__(self, command: list[str], state: Path, url: str, ready_path: str):
        self.state_file, self.url = state, url
        self.write(users={})
        log = open(state.with_suffix(".log"), "w")  # noqa: SIM115 - closed in stop()
        self._log = log
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(Path(log.name).read_text())
            with contextlib.suppress(requests.RequestException):
                if requests.get(url + ready_path, timeout=2).ok:
                    return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"identity provider did not start: {Path(log.name).read_text()}")

    def write(self, *, users: dict, tamper: dict | None = None) -> None:
        self.state_file.write_text(json.dumps({"users": users, "tamper": tamper or {}}))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()


def start_oidc(tmp: Path, *, redirect_uris: list[str], logout_uris: list[str]) -> Process:
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    config = {
        "issuer": issuer,
        "port": port,
        "state": str(tmp / "oidc-state.json"),
        "clients": [
            {
                "client_id": "styrkort",
                "client_secret": "styrkort-hemlighet",
                "redirect_uris": redirect_uris,
                "post_logout_redirect_uris": logout_uris,
                "grant_types": ["authorization_code"],
                "response_types": ["code"],
                "token_endpoint_auth_method": "client_secret_basic",
            }
        ],
    }
    (tmp / "oidc.json").write_text(json.dumps(config))
    return Process(
        ["node", str(HERE / "idp_oidc" / "server.mjs"), str(tmp / "oidc.json")],
        tmp / "oidc-state.json",
        issuer,
        "/.well-known/openid-configuration",
    )


def start_saml(tmp: Path, *, sp_metadata: str) -> Process:
    port = free_port()
    (tmp / "sp.xml").write_text(sp_metadata)
    url = f"http://127.0.0.1:{port}"
    return Process(
        [sys.executable, str(HERE / "idp_saml" / "server.py"), str(port), str(tmp)],
        tmp / "saml-state.json",
        url,
        "/metadata",
    )


# --- a person's browser: the Django test client for Styrkort, HTTP for the provider -------

TESTSERVER = "http://testserver"


def _form(html: str) -> tuple[str, dict]:
    action = re.search(r'<form[^>]*action="([^"]*)"', html)
    fields = dict(
        (unescape(name), unescape(value))
        for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html)
    )
    return unescape(action.group(1)) if action else "", fields


def callback_url(client, slug: str, login: str, *, next_url: str = "") -> str:
    """Start at Styrkort, sign in at the provider as `login`, and return the callback
    address (path and query) the provider sends the person back to."""
    start = client.get(f"/inloggning/{slug}/" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302, start.content[:500]
    browser = requests.Session()
    url = start["Location"]
    for _ in range(10):
        if url.startswith(TESTSERVER):
            return url[len(TESTSERVER) :]
        answer = browser.get(url, allow_redirects=False, timeout=10)
        if answer.status_code in (302, 303):
            url = urljoin(url, answer.headers["Location"])
            continue
        assert answer.status_code == 200, answer.text[:500]
        action, _fields = _form(answer.text)
        posted = browser.post(urljoin(url, action), data={"login": login}, allow_redirects=False)
        assert posted.status_code in (302, 303), posted.text[:500]
        url = urljoin(url, posted.headers["Location"])
    raise AssertionError("the provider never sent the person back")


def oidc_sign_in(client, slug: str, login: str, *, next_url: str = ""):
    """The whole sign-in; Styrkort's answer to the callback (a test-client response)."""
    return client.get(callback_url(client, slug, login, next_url=next_url))


def saml_answer(client, slug: str, login: str) -> tuple[str, dict]:
    """Start at Styrkort, sign in at the IdP as `login`, and return the ACS path and the
    form the IdP's page would post there (SAMLResponse, RelayState)."""
    start = client.get(f"/inloggning/{slug}/")
    assert start.status_code == 302, start.content[:500]
    browser = requests.Session()
    page = browser.get(start["Location"], timeout=10)
    assert page.status_code == 200, page.text[:500]
    action, fields = _form(page.text)
    posted = browser.post(
        urljoin(start["Location"], action), data={**fields, "login": login}, timeout=10
    )
    assert posted.status_code == 200, posted.text[:500]
    acs, fields = _form(posted.text)
    return urlsplit(acs).path, fields
