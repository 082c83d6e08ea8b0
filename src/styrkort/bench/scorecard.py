"""`styrkort bench scorecard`: the scorecard page under load, next to a trivial view.

One run starts `styrkort serve --production` (gunicorn + WhiteNoise) on a free loopback
port and lets locust play 20 concurrent users twice, the same way each time: once on
Division Länssjukvård 1's scorecard for DÅ04 2022 (the users log in with the demo reader
account first), once on the trivial view `/halsa/`. The p95 latency seen by the client is
read from locust's CSV statistics and compared with the targets: p95 at most 100 ms and at
most three times the trivial view's p95. A missed target is reported, not raised: this is
a benchmark, not a timed test. See docs/benchmarks.md.

With ``--writers N`` the benchmark plays a reporting round: during every run, N outcomes
a second are saved through the services (``record_outcome``, as the reporting page and
the API do) by the region's administrator, spread over the region's units outside the
measured division; a third run (``scorecard_own``) sends the writes to the division
itself, so that its cached page is stale at every write and the page's own cost shows.
The number of writes is reported per run (``writes``); the targets with writers are p95
at most 150 ms and at most three times the trivial view (measured with the same writes).
Every run also reports ``uncached_ms``: the median of 20 in-process evaluations and
renderings of the page without any cache (target at most 25 ms).
"""

from __future__ import annotations

import contextlib
import csv
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from django.core.management.base import CommandError

from styrkort.commands import BadInput

UNIT_NAME = "Division Länssjukvård 1"
PERIOD = "2022-DÅ04"
READER = "lasare"  # the demo reader account (styrkort.demo.users)
USERS = 20
SPAWN_RATE = 20
WINDOW_SECONDS = {"small": 8, "full": 60}
TARGET_P95_MS = 100.0
TARGET_P95_WRITERS_MS = 150.0
TARGET_RATIO = 3.0
TARGET_UNCACHED_MS = 25.0
UNCACHED_RUNS = 20
WRITER = "nll-admin"  # the demo's region administrator saves the round's outcomes
WRITE_PERIOD = "2023-DÅ04"  # an open period (the demo's 2022 rounds are closed)
SEQUENTIAL = 10  # warm requests one at a time: the page's own time, without queueing
SERVER_START_TIMEOUT = 300.0  # migrate + collectstatic on a fresh database
LOCUSTFILE = Path(__file__).with_name("locust_scorecard.py")


class BenchError(CommandError):
    """The benchmark could not be run (server did not start, page broken): exit 1."""


def bench_scorecard(
    size: str = "small",
    *,
    echo: Callable[[str], None] | None = None,
    think_time: float | None = None,
    writers: int = 0,
) -> dict:
    """Run the benchmark and return its figures (JSON-serialisable).

    `echo` receives the human-readable lines (default: standard error, so that standard
    output stays free for `--json`). `think_time` is each user's pause between requests in
    seconds: 0 by default (every user asks again as soon as it has its answer), else from
    STYRKORT_BENCH_THINK_SECONDS. `writers`: outcome writes a second during each run
    (0: none, the quiet case).
    """
    if echo is None:

        def echo(line: str) -> None:
            print(line, file=sys.stderr, flush=True)

    if size not in WINDOW_SECONDS:
        raise BadInput(f"Okänd storlek '{size}': välj small eller full.")
    window = WINDOW_SECONDS[size]
    if think_time is None:
        try:
            think_time = float(os.environ.get("STYRKORT_BENCH_THINK_SECONDS") or 0)
        except ValueError:
            raise BadInput("STYRKORT_BENCH_THINK_SECONDS ska vara ett antal sekunder.") from None
    if not 0 <= think_time <= 60:
        raise BadInput("Betänketiden ska vara mellan 0 och 60 sekunder.")
    if not isinstance(writers, int) or not 0 <= writers <= 200:
        raise BadInput("Antalet skrivningar per sekund (--writers) ska vara mellan 0 och 200.")
    vendor = _check_database(size)
    target = _prepare_target()
    plan = _write_plan(target) if writers else None
    workers = _workers()
    echo(
        f"Styrkort-benchmark scorecard ({size}): {USERS} samtidiga användare, "
        f"{window} s per sida, betänketid {_num(think_time, 1)} s, "
        f"{workers} gunicorn-processer, databas {vendor}"
        + (f", {writers} skrivningar/s under mätningen." if writers else ".")
    )
    uncached_ms = measure_uncached(target)
    echo(f"Styrkortet utan cache i processen (median av {UNCACHED_RUNS}): {_ms(uncached_ms)}.")
    load_start = _load_average()
    if load_start is not None and load_start > _cores():
        echo(
            f"Obs: datorn är redan belastad (load {_num(load_start, 1)} på {_cores()} kärnor): "
            "siffrorna blir osäkra."
        )
    with tempfile.TemporaryDirectory(prefix="styrkort-bench-") as tmp:
        tmpdir = Path(tmp)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        log_path = tmpdir / "server.log"
        server = _start_server(port, workers, log_path)
        try:
            started = time.monotonic()
            _wait_until_up(server, base + target["health_path"], log_path)
            echo(f"Servern svarar på {base} efter {time.monotonic() - started:.1f} s.")
            opener, page_bytes, cold_ms = _preflight(base, target, log_path)
            echo(f"Första styrkortet (kall process): {_num(cold_ms, 0)} ms.")
            _warm_up(opener, base + target["scorecard_path"], workers)
            single = {
                "scorecard_ms": _sequential(opener, base + target["scorecard_path"]),
                "trivial_ms": _sequential(opener, base + target["health_path"]),
            }
            echo(
                f"En användare i taget (median av {SEQUENTIAL} anrop): styrkortet "
                f"{_ms(single['scorecard_ms'])}, trivial vy {_ms(single['trivial_ms'])}."
            )
            runs = {}
            cases = [
                ("scorecard", target["scorecard_path"], UNIT_NAME, "others"),
                ("trivial", target["health_path"], "", "others"),
            ]
            if writers:
                cases.insert(1, ("scorecard_own", target["scorecard_path"], UNIT_NAME, "own"))
            for key, path, expect, where in cases:
                echo(f"Mäter {key}: {path} ...")
                with _writing(writers, plan, where) as written:
                    runs[key] = _run_locust(
                        base, path, key, expect, target, window, think_time, tmpdir, server,
                        log_path,
                    )  # fmt: skip
                runs[key].update(written)
                if writers:
                    echo(
                        f"  {written['writes']} skrivningar ({where}), "
                        f"{written['write_errors']} misslyckade."
                    )
        finally:
            _stop_server(server)
    result = _summarise(
        size, vendor, window, workers, target, runs, page_bytes, writers=writers,
        uncached_ms=uncached_ms,
    )  # fmt: skip
    result["think_time_s"] = think_time
    result["cold_ms"] = cold_ms
    result["single_user"] = single
    result["cpus"] = _cores()
    result["load_average"] = {"start": load_start, "end": _load_average()}
    for line in format_result(result):
        echo(line)
    return result


# Preparation --------------------------------------------------------------------------


def _check_database(size: str) -> str:
    from django.db import connection

    vendor = connection.vendor
    if vendor == "sqlite" and size != "small":
        raise BadInput(
            "bench scorecard mäter mot PostgreSQL: sätt STYRKORT_DATABASE_URL "
            "(SQLite tillåts bara för en provkörning med --size small)."
        )
    return vendor


def _prepare_target() -> dict:
    """Migrate, load the demo when its division or reader is missing, and find the page."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.urls import NoReverseMatch, reverse

    from styrkort.demo.users import DEMO_USERS
    from styrkort.organisation.lookup import UnitLookupError, find_unit
    from styrkort.organisation.models import Organisation, OrgUnit
    from styrkort.periods import parse_period

    call_command("migrate", interactive=False, verbosity=0)
    reader = next(u for u in DEMO_USERS if u["username"] == READER)
    # Other benchmarks put synthetic regions in the same database: load the (idempotent)
    # demo whenever its division or its reader is missing, not only into an empty one.
    if (
        not Organisation.objects.exists()
        or not OrgUnit.objects.filter(name=UNIT_NAME).exists()
        or not get_user_model().objects.filter(username=READER).exists()
    ):
        call_command("demo", verbosity=0)
    try:
        unit = find_unit(UNIT_NAME)
    except UnitLookupError as exc:
        raise BenchError(f"Benchmarkens enhet saknas i databasen: {exc}") from exc
    try:
        scorecard = reverse("scorecard", kwargs={"code": unit.code})
    except NoReverseMatch as exc:
        raise BenchError("Styrkortssidan (URL-namnet 'scorecard') finns inte.") from exc
    period = parse_period(PERIOD).canonical
    return {
        "unit": unit.code,
        "period": period,
        "scorecard_path": f"{scorecard}?{urlencode({'period': period})}",
        "health_path": reverse("health"),
        "login_path": reverse("login"),
        "username": reader["username"],
        "password": reader["password"],
    }


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _workers() -> int:
    """gunicorn's rule of thumb, 2 x cores + 1: 5 on the project's 2-core machines."""
    return 2 * _cores() + 1


def _load_average() -> float | None:
    """The one-minute load average: other work on the machine skews the figures."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _loopback_env() -> dict:
    """The environment without proxy settings: all traffic stays on 127.0.0.1."""
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    return env


# The server ---------------------------------------------------------------------------


def server_env() -> dict:
    """The environment of the benchmark's server (and its worker): production, over plain
    HTTP on loopback, signing in as demo or benchmark accounts without throttling."""
    env = _loopback_env()
    env.update(
        {
            "STYRKORT_PRODUCTION": "true",
            "STYRKORT_ALLOW_DEMO_ACCOUNTS": "true",  # the benchmark signs in as the demo reader
            "STYRKORT_DEBUG": "false",
            "STYRKORT_SSL_REDIRECT": "false",
            "STYRKORT_SECURE_COOKIES": "false",
            "STYRKORT_HSTS_SECONDS": "0",
            "STYRKORT_LOGIN_THROTTLING": "false",
            "STYRKORT_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "STYRKORT_SECRET_KEY": secrets.token_urlsafe(50),
        }
    )
    return env


def _start_server(
    port: int, workers: int, log_path: Path, env: dict | None = None
) -> subprocess.Popen:
    env = env or server_env()
    command = [
        sys.executable,
        "-m",
        "styrkort.cli",
        "serve",
        "--production",
        "--no-demo",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    with open(log_path, "wb") as log:
        return subprocess.Popen(
            command,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: gunicorn and every worker
        )


def _log_tail(log_path: Path, lines: int = 15) -> str:
    try:
        text = log_path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.strip().splitlines()[-lines:])


def _http_get(url: str, timeout: float = 5.0, opener=None) -> tuple[int, bytes]:
    opener = opener or urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _wait_until_up(server: subprocess.Popen, url: str, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(
                f"Servern avslutades (status {server.returncode}) innan den svarade:\n"
                + _log_tail(log_path)
            )
        try:
            status, _body = _http_get(url, timeout=2.0)
            if status == 200:
                return
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.25)
    raise BenchError(
        f"Servern svarade inte på {url} inom {SERVER_START_TIMEOUT:.0f} s:\n" + _log_tail(log_path)
    )


def _signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def _stop_server(server: subprocess.Popen) -> None:
    """Stop gunicorn and its workers (the whole process group), whatever happened."""
    pgid = server.pid  # start_new_session: the server leads its own process group
    _signal_group(pgid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        server.wait(timeout=15)
    _signal_group(pgid, signal.SIGKILL)  # a hung master or workers that outlived it
    with contextlib.suppress(subprocess.TimeoutExpired):
        server.wait(timeout=5)


def _preflight(base: str, target: dict, log_path: Path):
    """Log in as the reader once and fetch the scorecard: a broken page stops the run
    with the server's log instead of producing meaningless figures. Returns the logged-in
    opener, the page's size in bytes and how long this first (cold) request took."""
    import http.cookiejar

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(jar)
    )
    login_url = base + target["login_path"]
    status, _body = _http_get(login_url, timeout=30, opener=opener)
    token = next((c.value for c in jar if c.name == "csrftoken"), "")
    data = urlencode(
        {
            "username": target["username"],
            "password": target["password"],
            "csrfmiddlewaretoken": token,
        }
    ).encode()
    request = urllib.request.Request(login_url, data=data, headers={"Referer": login_url})
    try:
        with opener.open(request, timeout=60) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        raise BenchError(
            f"Inloggningen som {target['username']} misslyckades (HTTP {exc.code}):\n"
            + _log_tail(log_path)
        ) from exc
    if not any(c.name == "sessionid" for c in jar):
        raise BenchError(
            f"Inloggningen som {target['username']} gav ingen session "
            "(finns demoanvändarna? kör 'styrkort demo')."
        )
    started = time.perf_counter()
    status, body = _http_get(base + target["scorecard_path"], timeout=120, opener=opener)
    cold_ms = (time.perf_counter() - started) * 1000
    if status != 200 or UNIT_NAME.encode() not in body:
        raise BenchError(
            f"Styrkortet {target['scorecard_path']} svarade HTTP {status} utan enhetens namn:\n"
            + _log_tail(log_path)
        )
    return opener, len(body), cold_ms


def _warm_up(opener, url: str, workers: int) -> None:
    """Let every gunicorn worker serve the page once before measuring: a fresh worker
    imports the URL configuration and the evaluation code on its first request, which is
    start-up cost, not the steady state the targets are about (the cold figure is reported
    apart). Two concurrent requests per worker reach them all."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=2 * workers) as pool:
        list(pool.map(lambda _i: _http_get(url, timeout=120, opener=opener), range(2 * workers)))


def _sequential(opener, url: str, count: int = SEQUENTIAL) -> float:
    """The median time of `count` requests sent one after the other."""
    times = []
    for _i in range(count):
        started = time.perf_counter()
        _http_get(url, timeout=120, opener=opener)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


# Writers and the uncached page ------------------------------------------------------------


def _write_plan(target: dict) -> dict:
    """Who writes what: the region administrator, the organisation's indicators, the
    units of the region outside the measured division ("others") and the division
    itself ("own")."""
    from django.contrib.auth import get_user_model

    from styrkort.organisation.models import OrgUnit
    from styrkort.planning.models import Indicator

    unit = OrgUnit.objects.get(code=target["unit"])
    root = OrgUnit.objects.filter(path=unit.path[: OrgUnit.steplen]).get()
    others = list(
        OrgUnit.objects.filter(path__startswith=root.path)
        .exclude(path__startswith=unit.path)
        .exclude(pk=root.pk)
        .order_by("path")
    )
    indicators = list(
        Indicator.objects.filter(organisation_id=unit.organisation_id).order_by("code")[:20]
    )
    user = get_user_model().objects.filter(username=WRITER).first()
    if not others or not indicators or user is None:
        raise BenchError("Skrivningarna saknar enheter, indikatorer eller regionens administratör.")
    return {"user": user, "own": [unit], "others": others, "indicators": indicators}


@contextlib.contextmanager
def _writing(per_second: int, plan: dict | None, where: str):
    """Save `per_second` outcomes a second through the services in a thread while the
    block runs; the dict yielded gets the counts when the block ends."""
    errors: list[str] = []
    counts = {"writes": 0, "write_errors": 0, "write_error_messages": errors}
    if not per_second or plan is None:
        yield counts
        return
    stop = threading.Event()

    def run():
        import random

        from django.db import connection

        from styrkort.followup.services import record_outcome

        rng = random.Random(19)
        units, indicators = plan[where], plan["indicators"]
        interval = 1.0 / per_second
        due = time.monotonic()
        try:
            while not stop.is_set():
                try:
                    record_outcome(
                        user=plan["user"],
                        indicator=rng.choice(indicators),
                        unit=rng.choice(units),
                        period=WRITE_PERIOD,
                        value=rng.randint(1, 99),  # a valid share as well as a count
                    )
                    counts["writes"] += 1
                except Exception as exc:  # a refused write is counted, the run goes on
                    counts["write_errors"] += 1
                    if len(errors) < 3:
                        errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")
                due += interval
                stop.wait(max(0.0, due - time.monotonic()))
        finally:
            connection.close()

    thread = threading.Thread(target=run, name="bench-writer", daemon=True)
    thread.start()
    try:
        yield counts
    finally:
        stop.set()
        thread.join(timeout=30)


def measure_uncached(target: dict, runs: int = UNCACHED_RUNS) -> float:
    """The median time in milliseconds of evaluating and rendering the page in this
    process without any cache (the page cache is not consulted; the demo reader's
    request)."""
    from django.contrib.auth import get_user_model
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.cache import SessionStore
    from django.test import RequestFactory

    from styrkort.organisation.models import OrgUnit
    from styrkort.web.views.scorecard import _render_scorecard

    unit = OrgUnit.objects.get(code=target["unit"])
    request = RequestFactory().get(target["scorecard_path"])
    request.user = get_user_model().objects.get(username=target["username"])
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request.htmx = False
    _render_scorecard(request, unit)  # templates compiled, code imported: not measured
    times = []
    for _i in range(runs):
        started = time.perf_counter()
        _render_scorecard(request, unit)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


# Locust -------------------------------------------------------------------------------


def _locust_command() -> list[str]:
    locust = shutil.which("locust") or os.path.join(os.path.dirname(sys.executable), "locust")
    if not os.path.exists(locust):
        raise BenchError("locust saknas: installera utvecklingsberoendena ('uv sync').")
    return [locust]


def _run_locust(
    base: str,
    path: str,
    name: str,
    expect: str,
    target: dict,
    window: int,
    think_time: float,
    tmpdir: Path,
    server: subprocess.Popen,
    log_path: Path,
) -> dict:
    prefix = tmpdir / name
    env = _loopback_env()
    env.update(
        {
            "STYRKORT_BENCH_PATH": path,
            "STYRKORT_BENCH_NAME": name,
            "STYRKORT_BENCH_EXPECT": expect,
            "STYRKORT_BENCH_LOGIN": target["login_path"],
            "STYRKORT_BENCH_USERNAME": target["username"],
            "STYRKORT_BENCH_PASSWORD": target["password"],
            "STYRKORT_BENCH_USERS": str(USERS),
            "STYRKORT_BENCH_WINDOW": str(window),
            "STYRKORT_BENCH_WAIT": str(think_time),
        }
    )
    # The users stop after the window themselves; -t only bounds a run whose logins hang.
    limit = window + 150
    command = [
        *_locust_command(),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "-u",
        str(USERS),
        "-r",
        str(SPAWN_RATE),
        "-t",
        f"{limit}s",
        "--host",
        base,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    output = tmpdir / f"{name}-locust.log"
    with open(output, "wb") as out:
        try:
            completed = subprocess.run(
                command,
                env=env,
                cwd=tmpdir,  # no locust.conf or pyproject.toml of the caller's directory
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=limit + 60,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise BenchError(f"locust blev inte klar inom {limit + 60} s.") from exc
    stats = _read_stats(Path(f"{prefix}_stats.csv"), name)
    if stats is None:
        raise BenchError(
            f"locust skrev ingen statistik för {name} (status {completed.returncode}):\n"
            + _log_tail(output)
            + ("\n" + _log_tail(log_path) if server.poll() is not None else "")
        )
    stats["failure_messages"] = _read_failures(Path(f"{prefix}_failures.csv"))
    return stats


def _number(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None  # "N/A" when there were no requests


def _read_stats(path: Path, name: str) -> dict | None:
    """The measured request's row and the login rows of locust's `<prefix>_stats.csv`."""
    if not path.exists():
        return None
    with open(path, newline="") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    row = rows.get(name)
    if row is None:
        return None
    login_failures = sum(
        int(rows[n]["Failure Count"]) for n in ("login form", "login") if n in rows
    )
    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "login_failures": login_failures,
        "logins": int(rows["login"]["Request Count"]) if "login" in rows else 0,
        "rps": _number(row["Requests/s"]),
        "p50_ms": _number(row["50%"]),
        "p95_ms": _number(row["95%"]),
        "p99_ms": _number(row["99%"]),
        "mean_ms": _number(row["Average Response Time"]),
        "max_ms": _number(row["Max Response Time"]),
    }


def _read_failures(path: Path) -> list[str]:
    if not path.exists():
        return []
    with open(path, newline="") as handle:
        return [
            f"{row['Method']} {row['Name']}: {row['Error']} ({row['Occurrences']}x)"
            for row in csv.DictReader(handle)
        ]


# Result -------------------------------------------------------------------------------


def _ratio(page: dict, floor: dict) -> float | None:
    if page["p95_ms"] is None or not floor["p95_ms"]:
        return None
    return page["p95_ms"] / floor["p95_ms"]


def _summarise(
    size, vendor, window, workers, target, runs, page_bytes, *, writers=0, uncached_ms=None
) -> dict:
    page, floor = runs["scorecard"], runs["trivial"]
    ratio = _ratio(page, floor)
    limit = TARGET_P95_WRITERS_MS if writers else TARGET_P95_MS
    checks = {
        "p95": page["p95_ms"] is not None and page["p95_ms"] <= limit,
        "ratio": ratio is not None and ratio <= TARGET_RATIO,
    }
    if uncached_ms is not None:
        checks["uncached"] = uncached_ms <= TARGET_UNCACHED_MS
    if writers:
        checks["writes"] = page.get("writes", 0) > 0 and page.get("write_errors", 0) == 0
    failures = sum(r["failures"] + r["login_failures"] for r in runs.values())
    own = runs.get("scorecard_own")
    return {
        "benchmark": "scorecard",
        "size": size,
        "database": vendor,
        "users": USERS,
        "window_s": window,
        "workers": workers,
        "unit": target["unit"],
        "period": target["period"],
        "scorecard_path": target["scorecard_path"],
        "trivial_path": target["health_path"],
        "scorecard_bytes": page_bytes,
        "scorecard": page,
        "trivial": floor,
        "ratio": ratio,
        "failures": failures,
        "writers": writers,
        "writes": page.get("writes", 0),
        "scorecard_own": own,
        "ratio_own": _ratio(own, floor) if own else None,
        "uncached_ms": uncached_ms,
        "targets": {
            "p95_ms": limit,
            "ratio": TARGET_RATIO,
            "uncached_ms": TARGET_UNCACHED_MS,
        },
        "checks": {k: "PASS" if ok else "FAIL" for k, ok in checks.items()},
        "passed": all(checks.values()) and failures == 0,
    }


def _num(value: float | None, decimals: int) -> str:
    """Swedish number for people (1 757; 5,0), '–' when missing."""
    from styrkort.io.numbers import format_number

    return "–" if value is None else format_number(value, decimals)


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{_num(value, 0)} ms"


def format_result(result: dict) -> list[str]:
    """The human-readable summary lines."""
    page, floor = result["scorecard"], result["trivial"]
    ratio = result["ratio"]
    writers = result.get("writers") or 0

    def writes(run) -> str:
        return f", {_num(run.get('writes', 0), 0)} skrivningar" if writers else ""

    lines = [
        f"Styrkort {result['unit']} {result['period']}: p95 {_ms(page['p95_ms'])}, "
        f"median {_ms(page['p50_ms'])}, {_num(page['rps'], 1)} anrop/s, "
        f"{_num(page['requests'], 0)} anrop, {page['failures']} fel{writes(page)}",
        f"Trivial vy {result['trivial_path']}: p95 {_ms(floor['p95_ms'])}, "
        f"median {_ms(floor['p50_ms'])}, {_num(floor['rps'], 1)} anrop/s, "
        f"{_num(floor['requests'], 0)} anrop, {floor['failures']} fel{writes(floor)}",
        f"Kvot p95 styrkort / trivial vy: {_num(ratio, 1)}",
    ]
    own = result.get("scorecard_own")
    if own:
        lines.append(
            f"Styrkortet när skrivningarna träffar enheten själv: p95 {_ms(own['p95_ms'])}, "
            f"median {_ms(own['p50_ms'])}, {_num(own['rps'], 1)} anrop/s, "
            f"{own['failures']} fel{writes(own)}, kvot {_num(result.get('ratio_own'), 1)}"
        )
    if result.get("uncached_ms") is not None:
        lines.append(f"Utan cache i processen: {_ms(result['uncached_ms'])}")
    lines += [
        f"Mål p95 ≤ {result['targets']['p95_ms']:.0f} ms: {result['checks']['p95']}",
        f"Mål kvot ≤ {result['targets']['ratio']:.0f}: {result['checks']['ratio']}",
    ]
    if "uncached" in result["checks"]:
        lines.append(
            f"Mål utan cache ≤ {result['targets']['uncached_ms']:.0f} ms: "
            f"{result['checks']['uncached']}"
        )
    if "writes" in result["checks"]:
        lines.append(f"Skrivningar utan fel: {result['checks']['writes']}")
    login_failures = page["login_failures"] + floor["login_failures"]
    if login_failures:
        lines.append(f"Misslyckade inloggningar: {login_failures}")
    for run in (page, floor, own or {}):
        lines.extend(f"  {message}" for message in run.get("failure_messages", []))
        lines.extend(f"  Skrivning: {message}" for message in run.get("write_error_messages", []))
    lines.append(f"Totalt: {'PASS' if result['passed'] else 'FAIL'}")
    return lines
