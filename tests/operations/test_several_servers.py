"""Two web servers (`styrkort serve --production`, two gunicorn workers each) on two ports,
sharing one PostgreSQL database and one real redis-server (STYRKORT_CACHE_URL), as a
region runs them behind a proxy:

- failed logins for one account spread over both servers reach the lock-out together:
  the fifth failure locks, and the sixth attempt is refused (429) on either;
- a scorecard evaluated and rendered by one is served from the shared cache by the other
  (each server's /metrics counts its rendered and its cached scorecards);
- a sign-out on one ends the session on the other: the session lived only in Redis (no
  session row in the database before or after) and its key is gone.
"""

from __future__ import annotations

import os
import re

import pytest
import requests
from servers import Server, environment, postgres_database, redis_server, run_python

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("STYRKORT_DATABASE_URL", "").startswith(("postgres", "postgresql")),
        reason="several servers share PostgreSQL",
    ),
]

USERNAME = "lasare"
PASSWORD = "Ett-langt-losenord-for-testet-42"
METRICS_TOKEN = "token-for-the-two-servers-test"

SETUP = """
import django, sys
django.setup()
from django.core.management import call_command
from django.urls import reverse
from styrkort.accounts.models import Role, RoleAssignment, User
from styrkort.demo.loader import FIXTURE_DIR
from styrkort.organisation.models import OrgUnit
files = sorted(p.name for p in FIXTURE_DIR.glob("0[01][0-9]-norrbotten-*.yaml"))
call_command("demo", "--no-users", *files, verbosity=0)
user = User.objects.create_user(sys.argv[1], "lasare@example.se", sys.argv[2],
    first_name="Lina", last_name="Läsare")
RoleAssignment.objects.create(user=user, unit=OrgUnit.objects.get(code="NLL"), role=Role.READER)
print(reverse("scorecard", args=["NLL"]))
"""

COUNT_SESSIONS = """
import django
django.setup()
from django.contrib.sessions.models import Session
print(Session.objects.count())
"""


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """Servers A and B with their shared database and Redis; yields (a, b, env, path)."""
    root = tmp_path_factory.mktemp("several-servers")
    with (
        postgres_database(os.environ["STYRKORT_DATABASE_URL"]) as database_url,
        redis_server(root) as cache_url,
    ):
        shared = {
            "STYRKORT_DATABASE_URL": database_url,
            "STYRKORT_CACHE_URL": cache_url,
            "STYRKORT_SECRET_KEY": "two-servers-one-secret-" + "x" * 40,
            "STYRKORT_SSL_REDIRECT": "false",
            "STYRKORT_SECURE_COOKIES": "false",
            "STYRKORT_HSTS_SECONDS": "0",
            "STYRKORT_METRICS_TOKEN": METRICS_TOKEN,
            "STYRKORT_LOGIN_FAILURE_LIMIT": "5",
        }
        setup_env = environment(root / "setup", **shared)
        run_python(
            setup_env,
            "import django; django.setup(); from django.core.management import call_command;"
            "call_command('migrate', verbosity=0)",
        )
        scorecard_path = run_python(setup_env, SETUP, USERNAME, PASSWORD)
        # Each server has a var directory of its own (its static files, its metrics' files).
        a = Server(environment(root / "a", **shared), root / "a.log")
        try:
            b = Server(environment(root / "b", **shared), root / "b.log")
        except BaseException:
            a.stop()
            raise
        try:
            yield a, b, setup_env, scorecard_path, cache_url
        finally:
            a.stop()
            b.stop()


def _login_form(http: requests.Session, server: Server) -> str:
    page = http.get(f"{server.url}/logga-in/", timeout=30)
    assert page.status_code == 200, page.text[:500]
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def _sign_in(server: Server, username: str, password: str) -> tuple[requests.Session, int]:
    http = requests.Session()
    token = _login_form(http, server)
    answer = http.post(
        f"{server.url}/logga-in/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        allow_redirects=False,
        timeout=30,
    )
    return http, answer.status_code


def _metric(server: Server, name: str, **labels: str) -> float:
    text = requests.get(
        f"{server.url}/metrics",
        headers={"Authorization": f"Bearer {METRICS_TOKEN}"},
        timeout=30,
    ).text
    total = 0.0
    for line in text.splitlines():
        match = re.fullmatch(r"([a-z_]+)(?:\{(.*)\})? (\S+)", line)
        if not match or match.group(1) != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', match.group(2) or ""))
        if all(found.get(key) == value for key, value in labels.items()):
            total += float(match.group(3))
    return total


def test_failed_logins_on_both_servers_reach_the_lock_out_together(servers):
    a, b, _env, _path, _cache = servers
    # Four wrong passwords, alternating between the servers: ordinary failures.
    for attempt, server in enumerate([a, b, a, b], start=1):
        _http, status = _sign_in(server, USERNAME, f"fel-losenord-{attempt}")
        assert status == 200, f"attempt {attempt} on {server.url}: {status}"
    # The fifth (STYRKORT_LOGIN_FAILURE_LIMIT) locks the account from this address, ...
    _http, status = _sign_in(a, USERNAME, "fel-losenord-5")
    assert status == 429
    # ... and the sixth is refused on either server, even with the right password.
    for server in (b, a):
        _http, status = _sign_in(server, USERNAME, PASSWORD)
        assert status == 429


def test_a_scorecard_rendered_by_one_is_served_from_the_cache_by_the_other(servers):
    a, b, _env, path, _cache = servers
    # Another account than the locked one, with the same rights (the same cached page).
    user = "lasare2"
    run_python(
        _env,
        "import django, sys; django.setup()\n"
        "from styrkort.accounts.models import Role, RoleAssignment, User\n"
        "from styrkort.organisation.models import OrgUnit\n"
        "u = User.objects.create_user(sys.argv[1], '', sys.argv[2], first_name='Lo')\n"
        "RoleAssignment.objects.create(user=u, unit=OrgUnit.objects.get(code='NLL'),"
        " role=Role.READER)",
        user,
        PASSWORD,
    )
    on_a, status = _sign_in(a, user, PASSWORD)
    assert status == 302
    on_b, status = _sign_in(b, user, PASSWORD)
    assert status == 302

    before = {
        (server.url, source): _metric(server, "styrkort_scorecard_pages_total", source=source)
        for server in (a, b)
        for source in ("rendered", "cache")
    }
    page_a = on_a.get(a.url + path, timeout=60)
    assert page_a.status_code == 200
    page_b = on_b.get(b.url + path, timeout=60)
    assert page_b.status_code == 200

    def grew(server, source):
        now = _metric(server, "styrkort_scorecard_pages_total", source=source)
        return now - before[(server.url, source)]

    assert (grew(a, "rendered"), grew(a, "cache")) == (1, 0)  # A evaluated it
    assert (grew(b, "rendered"), grew(b, "cache")) == (0, 1)  # B took A's page
    # The same page, with each server's own CSRF token in it.
    strip = re.compile(r'"X-CSRFToken": "[A-Za-z0-9]+"|name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", page_a.text) == strip.sub("", page_b.text)
    assert "Lo" in page_b.text
    # The request latency of the scorecard view, counted on both; both reach Redis.
    for server in (a, b):
        assert _metric(server, "styrkort_request_duration_seconds_count", view="scorecard") >= 1
        assert _metric(server, "styrkort_cache_up") == 1


def test_signing_out_on_one_server_ends_the_session_on_the_other(servers):
    import redis

    a, b, env, path, cache_url = servers
    user = "lasare3"
    run_python(
        env,
        "import django, sys; django.setup()\n"
        "from styrkort.accounts.models import Role, RoleAssignment, User\n"
        "from styrkort.organisation.models import OrgUnit\n"
        "u = User.objects.create_user(sys.argv[1], '', sys.argv[2])\n"
        "RoleAssignment.objects.create(user=u, unit=OrgUnit.objects.get(code='NLL'),"
        " role=Role.READER)",
        user,
        PASSWORD,
    )
    on_a, status = _sign_in(a, user, PASSWORD)
    assert status == 302
    session_id = on_a.cookies["sessionid"]
    on_b = requests.Session()
    on_b.cookies.set("sessionid", session_id)

    # B knows the session A started: it lives in Redis, and not in the database.
    store = redis.Redis.from_url(cache_url)
    key = f"styrkort-session:1:django.contrib.sessions.cache{session_id}"
    assert store.exists(key) == 1
    assert on_b.get(b.url + path, allow_redirects=False, timeout=60).status_code == 200
    assert run_python(env, COUNT_SESSIONS) == "0"

    # Signed out on A ...
    page = on_a.get(a.url + path, timeout=60)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    out = on_a.post(
        f"{a.url}/logga-ut/",
        data={"csrfmiddlewaretoken": token},
        allow_redirects=False,
        timeout=30,
    )
    assert out.status_code == 302
    assert store.exists(key) == 0

    # ... is signed out on B at its next request.
    after = on_b.get(b.url + path, allow_redirects=False, timeout=60)
    assert after.status_code == 302
    assert after.headers["Location"].startswith("/logga-in/")
    assert run_python(env, COUNT_SESSIONS) == "0"
