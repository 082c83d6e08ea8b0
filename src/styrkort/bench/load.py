"""`styrkort bench load`: a reporting round's traffic on the production server.

One run starts `styrkort serve --production` and `styrkort worker` on the benchmark's
database and lets locust play people with accounts of their own (created for the run,
removed after it) in a round's proportions: readers (scorecards, the start page, the
round's overview), reporters (their unit's reporting page, saving outcomes of the open
round) and planners (ordering an interim report and waiting for it). Every user signs in
first. The result gives, per kind of request, the count, failures, median and p95 seen by
the client; the target is no failure at all. `--size full`: 50 users for five minutes on
PostgreSQL (by hand); `--size small`: 10 users for 20 seconds (CI). See
docs/benchmarks.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from styrkort.commands import BadInput

from . import scorecard as sc

SIZES = {"small": {"users": 10, "window": 20}, "full": {"users": 50, "window": 300}}
ACCOUNT_PREFIX = "bench-load-"
#: accounts per kind: enough that no two users share one (a person's own job limit)
ACCOUNTS = {"readers": 30, "reporters": 15, "planners": 5}
ORGANISATION = "NLL"
REPORTING_UNIT = "NLL-LS1"  # reporters and planners work in its subtree
SPAWN_RATE = 5  # users per second: a morning's sign-ins, not a single burst
LOCUSTFILE = Path(__file__).with_name("locust_load.py")
KINDS = (
    "sign in",
    "scorecard",
    "pages",
    "reporting page",
    "save outcome",
    "report form",
    "order report",
    "report status",
    "report finished",
)


def bench_load(size: str = "small", *, echo: Callable[[str], None] | None = None) -> dict:
    if echo is None:

        def echo(line: str) -> None:
            print(line, file=sys.stderr, flush=True)

    if size not in SIZES:
        raise BadInput(f"Okänd storlek '{size}': välj small eller full.")
    users, window = SIZES[size]["users"], SIZES[size]["window"]
    vendor = sc._check_database(size)
    sc._prepare_target()  # migrate, demo data
    password = _create_accounts()
    try:
        with tempfile.TemporaryDirectory(prefix="styrkort-load-") as tmp:
            tmpdir = Path(tmp)
            plan = _plan(password)
            plan_path = tmpdir / "plan.json"
            plan_path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
            workers = sc._workers()
            echo(
                f"Styrkort-benchmark load ({size}): {users} användare i {window} s "
                f"(läsare, rapportörer och planerare 6:3:1), {len(plan['outcomes'])} utfall "
                f"att rapportera, {workers} gunicorn-processer, databas {vendor}."
            )
            env = sc.server_env()
            port = sc._free_port()
            base = f"http://127.0.0.1:{port}"
            server_log, worker_log = tmpdir / "server.log", tmpdir / "worker.log"
            server = sc._start_server(port, workers, server_log, env)
            worker = _start_worker(env, worker_log)
            try:
                started = time.monotonic()
                sc._wait_until_up(server, base + "/halsa/", server_log)
                echo(f"Servern svarar efter {time.monotonic() - started:.1f} s.")
                stats, failures, code = _run_locust(base, plan_path, users, window, tmpdir)
            finally:
                sc._stop_server(server)
                sc._stop_server(worker)
            errors_500 = _server_errors(server_log)
    finally:
        _remove_accounts()
    result = {
        "benchmark": "load",
        "size": size,
        "database": vendor,
        "users": users,
        "window_s": window,
        "workers": workers,
        "requests": stats,
        "failures": sum(row["failures"] for row in stats.values()),
        "failure_messages": failures,
        "server_errors": errors_500,
        "locust_exit": code,
        "cpus": sc._cores(),
        "load_average_end": sc._load_average(),
    }
    looked = stats.get("scorecard", {}).get("requests", 0)
    result["passed"] = result["failures"] == 0 and not errors_500 and looked > 0
    for line in format_result(result):
        echo(line)
    return result


def _create_accounts() -> str:
    """The run's accounts: readers on the region, reporters and planners on the division.
    One password hashed once (50 password hashes would be most of a small run)."""
    import secrets

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from styrkort.accounts.models import Role, RoleAssignment
    from styrkort.organisation.models import OrgUnit

    _remove_accounts()
    password = secrets.token_urlsafe(16)
    hashed = make_password(password)
    User = get_user_model()
    region = OrgUnit.objects.get(code=ORGANISATION)
    division = OrgUnit.objects.get(code=REPORTING_UNIT)
    roles = {"readers": (Role.READER, region), "reporters": (Role.REPORTER, division)}
    roles["planners"] = (Role.PLANNER, division)
    assignments = []
    for kind, count in ACCOUNTS.items():
        role, unit = roles[kind]
        for number in range(1, count + 1):
            user = User.objects.create(
                username=f"{ACCOUNT_PREFIX}{kind}-{number:02d}", password=hashed
            )
            assignments.append(RoleAssignment(user=user, unit=unit, role=role))
    RoleAssignment.objects.bulk_create(assignments)
    return password


def _remove_accounts() -> None:
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username__startswith=ACCOUNT_PREFIX).delete()


def _plan(password: str) -> dict:
    """The work the users do: pages to look at, outcomes due in the open round in units
    that are not locked, and the interim report to order."""
    from django.urls import reverse

    from styrkort.organisation.models import OrgUnit
    from styrkort.periods import parse_period
    from styrkort.rounds.due import unit_due
    from styrkort.rounds.locks import lock_reason
    from styrkort.rounds.models import ReportingRound, RoundState

    region = OrgUnit.objects.get(code=ORGANISATION)
    rnd = (
        ReportingRound.objects.filter(organisation=region.organisation_id, state=RoundState.OPEN)
        .order_by("-period_end")
        .first()
    )
    if rnd is None:
        raise sc.BenchError(f"{ORGANISATION} har inget öppet uppföljningstillfälle i demodata.")
    period = parse_period(rnd.period)
    division = OrgUnit.objects.get(code=REPORTING_UNIT)
    units = list(OrgUnit.get_tree(division))
    query = "?" + urlencode({"period": period.canonical})
    outcomes = []
    for unit in units:
        if lock_reason(unit, period.start, period.end) is not None:
            continue
        page = reverse("reporting", args=[unit.code]) + query
        for indicator, sexes in unit_due(rnd, unit).outcomes:
            if indicator.is_ratio:
                continue
            post = reverse("report_indicator", args=[unit.code, indicator.code]) + query
            outcomes.append({"page": page, "post": post, "fields": [f"value_{s}" for s in sexes]})
    if not outcomes:
        raise sc.BenchError(f"Inga utfall att rapportera i {rnd} för {division}.")
    scorecards = [
        reverse("scorecard", args=[u.code]) + "?" + urlencode({"period": p})
        for u in [region, *units]
        for p in (period.canonical, "2022-DÅ04")
    ]
    pages = [
        reverse("home"),
        reverse("round_overview", args=[region.organisation.code]),
        reverse("round_unit", args=[region.organisation.code, period.canonical, division.code]),
    ]
    report_path = reverse("report_page", args=[division.code])
    return {
        "password": password,
        "login": reverse("login"),
        "readers": _names("readers"),
        "reporters": _names("reporters"),
        "planners": _names("planners"),
        "scorecards": scorecards,
        "pages": pages,
        "outcomes": outcomes,
        "reports": [
            {
                "path": report_path,
                "data": {"kind": "interim", "period": period.canonical, "fmt": "xlsx"},
            }
        ],
    }


def _names(kind: str) -> list[str]:
    return [f"{ACCOUNT_PREFIX}{kind}-{n:02d}" for n in range(1, ACCOUNTS[kind] + 1)]


def _start_worker(env: dict, log_path: Path) -> subprocess.Popen:
    with open(log_path, "wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "styrkort.cli", "worker"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _run_locust(base, plan_path, users, window, tmpdir) -> tuple[dict, list[str], int]:
    env = sc._loopback_env()
    env["STYRKORT_LOAD_PLAN"] = str(plan_path)
    prefix = tmpdir / "load"
    command = [
        *sc._locust_command(),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "-u",
        str(users),
        "-r",
        str(SPAWN_RATE),
        "-t",
        f"{window}s",
        "--stop-timeout",
        "150",  # a planner waiting for a report finishes its wait
        "--host",
        base,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    output = tmpdir / "locust.log"
    with open(output, "wb") as out:
        completed = subprocess.run(
            command,
            env=env,
            cwd=tmpdir,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=window + 300,
            check=False,
        )
    stats = _read_stats(Path(f"{prefix}_stats.csv"))
    if not stats:
        raise sc.BenchError(
            f"locust skrev ingen statistik (status {completed.returncode}):\n"
            + sc._log_tail(output)
        )
    return stats, sc._read_failures(Path(f"{prefix}_failures.csv")), completed.returncode


def _read_stats(path: Path) -> dict:
    import csv

    if not path.exists():
        return {}
    with open(path, newline="") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    return {
        name: {
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "p50_ms": sc._number(row["50%"]),
            "p95_ms": sc._number(row["95%"]),
            "max_ms": sc._number(row["Max Response Time"]),
        }
        for name, row in rows.items()
        if name != "Aggregated"
    }


def _server_errors(log_path: Path) -> int:
    """Requests the server itself answered with 500 (Django logs them as errors)."""
    try:
        text = log_path.read_text(errors="replace")
    except OSError:
        return 0
    return text.count("Internal Server Error")


def format_result(result: dict) -> list[str]:
    lines = [f"{'Anrop':<16} {'antal':>7} {'fel':>5} {'median':>9} {'p95':>9}"]
    ordered = sorted(result["requests"], key=lambda n: KINDS.index(n) if n in KINDS else 99)
    for name in ordered:
        row = result["requests"][name]
        lines.append(
            f"{name:<16} {sc._num(row['requests'], 0):>7} {row['failures']:>5} "
            f"{sc._ms(row['p50_ms']):>9} {sc._ms(row['p95_ms']):>9}"
        )
    lines.append(f"Serverfel (HTTP 500): {result['server_errors']}")
    lines.extend(f"  {message}" for message in result["failure_messages"])
    lines.append(f"Mål: inga fel. Totalt: {'PASS' if result['passed'] else 'FAIL'}")
    return lines
