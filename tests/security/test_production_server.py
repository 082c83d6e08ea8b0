"""`styrkort serve --production` (gunicorn, WhiteNoise's hashed static files) as a real
server:

- with no other variable set it redirects plain HTTP to HTTPS, sends HSTS and marks its
  cookies Secure: production follows from `--production` itself;
- over plain HTTP on loopback with those three switched off explicitly (as `bench
  scorecard` does), the main pages work in Chromium with no Content-Security-Policy
  violation and no console error: the login page, the start page, a scorecard, the
  reporting page with htmx's preview, the API documentation (Swagger UI, trying a
  request), the Django admin.

That an empty database has no account signing in with the demo password is
tests/accounts/test_production_start.py.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from styrkort.demo.users import DEMO_PASSWORD

pytestmark = pytest.mark.slow

START_TIMEOUT_S = 240


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(var_dir: Path, **extra) -> dict:
    """The caller's environment without any STYRKORT_ variable (the test run's database
    among them): the server keeps its own SQLite database in `var_dir`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("STYRKORT_")
        and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
        and not key.lower().endswith("_proxy")
    }
    env["STYRKORT_VAR_DIR"] = str(var_dir)
    env.update(extra)
    return env


def _get(port: int, path: str, headers: dict | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


class Server:
    def __init__(self, var_dir: Path, env: dict):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = var_dir / "serve.log"
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "styrkort.cli",
                    "serve",
                    "--production",
                    "--port",
                    str(self.port),
                    "--workers",
                    "1",
                ],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # gunicorn and its worker in a group of their own
            )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log_path.read_text()
            try:
                _get(self.port, "/halsa/")
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise AssertionError("the server did not answer:\n" + self.log_path.read_text())

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


def test_serve_production_alone_is_https_only(tmp_path):
    server = Server(tmp_path, _env(tmp_path))  # an empty database, nothing but --production
    try:
        plain = _get(server.port, "/logga-in/")
        assert plain.status == 301
        assert plain.getheader("Location") == f"https://127.0.0.1:{server.port}/logga-in/"

        # As behind the TLS-terminating proxy (SECURE_PROXY_SSL_HEADER).
        secure = _get(server.port, "/logga-in/", {"X-Forwarded-Proto": "https"})
        assert secure.status == 200
        assert secure.getheader("Strict-Transport-Security") == (
            "max-age=31536000; includeSubDomains; preload"
        )
        cookie = secure.getheader("Set-Cookie")
        assert cookie.startswith("csrftoken=") and "; Secure" in cookie
        assert "script-src 'self'" in secure.getheader("Content-Security-Policy")
        assert "camera=()" in secure.getheader("Permissions-Policy")
    finally:
        server.stop()


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """The demo on SQLite, served by `serve --production` over plain HTTP on loopback."""
    var_dir = tmp_path_factory.mktemp("production-demo")
    demo = subprocess.run(
        [sys.executable, "-m", "styrkort.cli", "demo"],
        env=_env(var_dir),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert demo.returncode == 0, demo.stdout + demo.stderr
    env = _env(
        var_dir,
        STYRKORT_ALLOW_DEMO_ACCOUNTS="true",
        STYRKORT_SSL_REDIRECT="false",
        STYRKORT_SECURE_COOKIES="false",
        STYRKORT_HSTS_SECONDS="0",
    )
    server = Server(var_dir, env)
    yield server
    server.stop()


#: reports a violation to the test: the event every browser fires for a blocked resource
REPORT_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', event => window.__violations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI} at ${event.sourceFile}:` +
    `${event.lineNumber}`));
"""


class Watch:
    """The page's CSP violations, console errors and uncaught errors."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        page.add_init_script(REPORT_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))

    def _console(self, message):
        # Chromium asks for /favicon.ico on its own; Styrkort has none (404).
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            self.errors.append(f"console: {message.text} ({message.location.get('url')})")

    def problems(self) -> list[str]:
        self.page.wait_for_load_state("networkidle")
        return self.page.evaluate("window.__violations") + self.errors


def _sign_in(page, server, username):
    page.context.clear_cookies()
    response = page.goto(f"{server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{server.url}/")
    return response


def test_the_pages_work_with_the_policy_in_chromium(demo_server, page):
    server = demo_server
    watch = Watch(page)

    login = _sign_in(page, server, "rapportor")
    policy = login.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe" not in policy
    assert page.get_by_role("heading", name="Mina uppgifter").first.is_visible()
    assert watch.problems() == []

    # The reporting page of the open round: htmx shows the status of a typed value.
    page.goto(f"{server.url}/enheter/NLL-LS1-IM/rapportera/?period=2022-DÅ08")
    value = page.get_by_label("Värde, totalt").first
    value.fill("12")
    page.get_by_text("Med dina värden:").first.wait_for()
    assert watch.problems() == []

    page.goto(f"{server.url}/enheter/NLL-LS1-IM/styrkort/")
    assert page.locator("table").first.is_visible()
    assert watch.problems() == []

    # The API documentation: Swagger UI from the app's static files; a request tried.
    page.goto(f"{server.url}/api/docs/")
    page.locator(".opblock").first.wait_for()
    page.locator(".opblock-summary").first.click()
    page.get_by_role("button", name="Try it out").first.click()
    page.get_by_role("button", name="Execute").first.click()
    status = page.locator(".live-responses-table .response .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    assert watch.problems() == []

    # The Django admin, as the superuser.
    _sign_in(page, server, "admin")
    page.goto(f"{server.url}/admin/")
    page.get_by_role("link", name="Användare").first.click()
    page.wait_for_load_state("load")
    assert "/admin/accounts/user/" in page.url
    assert watch.problems() == []
