"""A production start never creates an account with a known password: `serve --production`
on an empty database loads no demo, and the first administrator comes from
`styrkort createadmin`."""

import io
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from styrkort.accounts.models import User
from styrkort.demo.users import DEMO_PASSWORD, DEMO_USERS


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cli(*args, env, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "styrkort.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        **kwargs,
    )


def _login(base: str, username: str, password: str) -> tuple[int, str]:
    """Sign in through the login form as a browser does; the final status and address."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/logga-in/").read().decode()
    token = next(c.value for c in jar if c.name == "csrftoken")
    assert "csrfmiddlewaretoken" in page
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(base + "/logga-in/", data=data)
    request.add_header("Referer", base + "/logga-in/")
    response = opener.open(request)
    return response.status, response.url


@pytest.mark.slow
def test_serve_production_on_an_empty_database_has_no_demo_accounts(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("STYRKORT_") and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    # Only what plain HTTP on loopback needs; production itself follows from --production.
    env.update(
        {
            "STYRKORT_VAR_DIR": str(tmp_path),
            "STYRKORT_SSL_REDIRECT": "false",
            "STYRKORT_SECURE_COOKIES": "false",
            "STYRKORT_HSTS_SECONDS": "0",
        }
    )
    port = _free_port()
    log_path = tmp_path / "serve.log"
    log = log_path.open("w+")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "styrkort.cli",
            "serve",
            "--production",
            "--port",
            str(port),
            "--workers",
            "1",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300  # migrate + collectstatic on a busy machine
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(base + "/halsa/", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, log_path.read_text()
                time.sleep(0.2)
        else:
            pytest.fail("serve --production did not answer within 300 s:\n" + log_path.read_text())
        log.seek(0)
        output = log.read()
        assert "createadmin" in output
        assert DEMO_PASSWORD not in output
        for username in [user["username"] for user in DEMO_USERS]:
            status, url = _login(base, username, DEMO_PASSWORD)
            assert url.endswith("/logga-in/"), username  # still on the login page

        created = _cli("createadmin", "--username", "driftadmin", env=env, stdin=subprocess.DEVNULL)
        assert created.returncode == 0, created.stderr
        password = created.stdout.rsplit(": ", 1)[1].strip()
        assert len(password) >= 20
        status, url = _login(base, "driftadmin", password)
        assert status == 200 and not url.endswith("/logga-in/")
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.mark.django_db
def test_createadmin_reads_the_password_from_stdin_and_checks_it(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("kort\n"))
    with pytest.raises(CommandError, match="Lösenordet duger inte"):
        call_command("createadmin", username="chef", password_stdin=True)
    assert not User.objects.filter(username="chef").exists()

    monkeypatch.setattr(sys, "stdin", io.StringIO("Ett-långt-lösenord-för-Luleå\n"))
    call_command(
        "createadmin",
        username="chef",
        email="chef@example.se",
        name="Kim Karlsson",
        password_stdin=True,
        stdout=io.StringIO(),
    )
    user = User.objects.get(username="chef")
    assert user.is_superuser and user.is_staff
    assert (user.first_name, user.last_name, user.email) == ("Kim", "Karlsson", "chef@example.se")
    assert user.check_password("Ett-långt-lösenord-för-Luleå")

    with pytest.raises(CommandError, match="finns redan"):
        call_command("createadmin", username="chef", password_stdin=True)


@pytest.mark.django_db
def test_createadmin_refuses_a_bad_email():
    with pytest.raises(CommandError, match="Ogiltig e-postadress: inte-en-adress"):
        call_command("createadmin", username="chef", email="inte-en-adress")


@pytest.mark.django_db
def test_demo_users_are_refused_in_production():
    with override_settings(PRODUCTION=True), pytest.raises(CommandError, match="--no-users"):
        call_command("demo", "001-norrbotten-organisation.yaml")
    assert not User.objects.filter(username="admin").exists()


@pytest.mark.django_db
def test_serve_production_refuses_demo_accounts_with_their_published_password(settings):
    """An installation first run with the demo and then switched to production."""
    from styrkort.demo.users import create_demo_users

    call_command("demo", "001-norrbotten-organisation.yaml", stdout=io.StringIO())
    create_demo_users()
    with pytest.raises(CommandError, match="Demokonton med det publicerade lösenordet"):
        call_command("serve", production=True, port=8000)
    others = ["planerare", "rapportor", "lasare", "nll-admin", "revisor"]
    for user in User.objects.filter(username__in=others):
        user.set_password("ett-eget-lösenord-123")
        user.save()
    with pytest.raises(CommandError, match=r"\(admin\)"):
        call_command("serve", production=True, port=8000)
