"""`styrkort bench round`: open a reporting round for the synthetic region and build
its overview (``rounds.due.overview``, every unit's state, deadline and what is missing).

The region is the one ``bench evaluate`` generates (full: 969 units; small: 51), reused
while it is there. Timed, best of three, each next to a floor measured in the same run:

- opening (``rounds.services.open_round``: the round, a submission per unit and their
  history rows), against hand-written ``INSERT ... SELECT`` statements writing the same
  rows; each run is rolled back;
- the overview of every unit, against one hand-written query counting the same things
  per unit (outcomes of the period, goal analyses, activities owned, activity statuses
  confirmed).

Also reported: the overview's SQL queries for the whole region and for one division
(they must be equal: the count does not grow with the number of units).
Targets: ≤ 1 s and ≤ 3 × the floor, each.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable

import psutil
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from styrkort.commands import BadInput

from .evaluate import SIZES, ensure_region

TARGETS = {"wall_s": 1.0, "ratio": 3.0}


class _Rollback(Exception):
    pass


def _echo_default(line: str) -> None:
    print(line, file=sys.stderr)


def _rolled_back(func):
    """Run `func` in a transaction that is rolled back; return its seconds and result."""
    out = {}
    try:
        with transaction.atomic():
            t0 = time.perf_counter()
            out["result"] = func()
            out["s"] = time.perf_counter() - t0
            raise _Rollback
    except _Rollback:
        pass
    return out["s"], out["result"]


_SUBMISSIONS_SQL = """
INSERT INTO rounds_submission (round_id, unit_id, state, excused, excuse_reason, comment,
    approved_digest, reopened, updated_at)
SELECT %(round)s, u.id, 'open', %(false)s, '', '', '', %(false)s, %(now)s
FROM organisation_orgunit u
WHERE u.organisation_id = %(org)s
  AND (u.valid_from IS NULL OR u.valid_from <= %(end)s)
  AND (u.valid_to IS NULL OR u.valid_to >= %(start)s)
"""
_HISTORY_SQL = """
INSERT INTO rounds_historicalsubmission (id, round_id, unit_id, state, excused,
    excuse_reason, comment, approved_digest, reopened, updated_at, history_date,
    history_type, history_change_reason, history_user_id)
SELECT s.id, s.round_id, s.unit_id, s.state, s.excused, s.excuse_reason, s.comment,
    s.approved_digest, s.reopened, s.updated_at, %(now)s, '+', NULL, NULL
FROM rounds_submission s WHERE s.round_id = %(round)s
"""
_ROUND_SQL = """
INSERT INTO rounds_reportinground (period, period_start, period_end, organisation_id,
    opens_on, deadline, level_deadlines, state, reason, created_at, updated_at)
VALUES (%(period)s, %(start)s, %(end)s, %(org)s, %(opens)s, %(deadline)s, '{}', 'open', '',
    %(now)s, %(now)s)
"""
_OVERVIEW_SQL = """
SELECT u.code, s.state,
  (SELECT count(*) FROM followup_outcome o WHERE o.unit_id = u.id AND o.period = %(period)s),
  (SELECT count(*) FROM followup_analysis a
    WHERE a.unit_id = u.id AND a.period = %(period)s AND a.goal_id IS NOT NULL),
  (SELECT count(*) FROM planning_activity ac WHERE ac.owner_unit_id = u.id),
  (SELECT count(*) FROM planning_activityreport r
    WHERE r.unit_id = u.id AND r.period = %(period)s AND r.status <> 'not_reported')
FROM rounds_submission s JOIN organisation_orgunit u ON u.id = s.unit_id
WHERE s.round_id = %(round)s
ORDER BY u.path
"""


def _floor_open(org, period, opens, deadline) -> int:
    now = timezone.now()
    params = {
        "org": org.pk,
        "period": period.canonical,
        "start": period.start,
        "end": period.end,
        "opens": opens,
        "deadline": deadline,
        "now": now,
        "false": False,
    }
    with connection.cursor() as cursor:
        cursor.execute(_ROUND_SQL, params)
        cursor.execute(
            "SELECT id FROM rounds_reportinground WHERE organisation_id = %s AND period = %s",
            [org.pk, period.canonical],
        )
        params["round"] = cursor.fetchone()[0]
        cursor.execute(_SUBMISSIONS_SQL, params)
        cursor.execute(_HISTORY_SQL, params)
        return cursor.rowcount


def _floor_overview(rnd) -> int:
    with connection.cursor() as cursor:
        cursor.execute(_OVERVIEW_SQL, {"period": rnd.period, "round": rnd.pk})
        return len(cursor.fetchall())


def bench_round(size: str = "small", *, echo: Callable[[str], None] | None = None) -> dict:
    """Open a round for the synthetic region and build its overview, each best of three
    next to its floor; returns the figures (JSON-serialisable)."""
    from styrkort.organisation.models import OrgUnit
    from styrkort.periods import parse_period
    from styrkort.rounds import services
    from styrkort.rounds.due import overview
    from styrkort.rounds.models import ReportingRound

    echo = echo or _echo_default
    if size not in SIZES:
        raise BadInput(f"Okänd storlek: '{size}' (använd small eller full).")
    spec = SIZES[size]
    root, _generated = ensure_region(size, echo=echo)
    org = root.organisation
    period = parse_period(spec.period)
    opens = period.end + dt.timedelta(days=1)
    deadline = opens + dt.timedelta(days=20)
    levels = {"3": (deadline - dt.timedelta(days=7)).isoformat()}
    if ReportingRound.objects.filter(organisation=org, period=period.canonical).exists():
        raise BadInput(f"Den syntetiska regionen har redan ett tillfälle för {period.label_sv}.")

    def open_it():
        return services.open_round(
            user=None,
            organisation=org,
            period=period,
            opens_on=opens,
            deadline=deadline,
            level_deadlines=levels,
        )

    open_times, open_floor = [], []
    for _ in range(3):
        open_times.append(_rolled_back(open_it)[0])
        open_floor.append(_rolled_back(lambda: _floor_open(org, period, opens, deadline))[0])

    division = OrgUnit.objects.get_children(root).order_by("path").first()
    division_ids = list(
        OrgUnit.objects.filter(path__startswith=division.path).values_list("pk", flat=True)
    )
    figures = {}

    def overview_runs():
        rnd = open_it()
        with CaptureQueriesContext(connection) as whole:
            units = overview(rnd)
        with CaptureQueriesContext(connection) as part:
            overview(rnd, units=division_ids)
        times, floors = [], []
        for _ in range(3):
            t0 = time.perf_counter()
            overview(rnd)
            times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            rows = _floor_overview(rnd)
            floors.append(time.perf_counter() - t0)
        figures.update(
            units=len(units),
            floor_rows=rows,
            overview_s=min(times),
            overview_floor_s=min(floors),
            queries=len(whole.captured_queries),
            queries_one_division=len(part.captured_queries),
            division_units=len(division_ids),
        )

    _rolled_back(overview_runs)
    open_s, open_floor_s = min(open_times), min(open_floor)
    result = {
        "benchmark": "round",
        "size": size,
        "database": connection.vendor,
        "units": figures["units"],
        "period": period.canonical,
        "open_s": round(open_s, 4),
        "open_floor_s": round(open_floor_s, 4),
        "open_ratio": round(open_s / open_floor_s, 2),
        "overview_s": round(figures["overview_s"], 4),
        "overview_floor_s": round(figures["overview_floor_s"], 4),
        "overview_ratio": round(figures["overview_s"] / figures["overview_floor_s"], 2),
        "overview_queries": figures["queries"],
        "overview_queries_one_division": figures["queries_one_division"],
        "division_units": figures["division_units"],
        "targets": dict(TARGETS),
        "cores": psutil.cpu_count(logical=True),
    }
    echo(
        f"Uppföljningstillfälle {period.label_sv} för '{root.name}' ({result['units']} "
        f"enheter): öppna {open_s:.3f} s (golv {open_floor_s:.3f} s, kvot "
        f"{result['open_ratio']:.2f}); översikt {figures['overview_s']:.3f} s (golv "
        f"{figures['overview_floor_s']:.3f} s, kvot {result['overview_ratio']:.2f}); "
        f"{result['overview_queries']} SQL-frågor för översikten "
        f"(en division, {figures['division_units']} enheter: "
        f"{result['overview_queries_one_division']})."
    )
    checks = [
        ("öppna", open_s <= TARGETS["wall_s"] and result["open_ratio"] <= TARGETS["ratio"]),
        (
            "översikt",
            figures["overview_s"] <= TARGETS["wall_s"]
            and result["overview_ratio"] <= TARGETS["ratio"],
        ),
        ("frågor", result["overview_queries"] == result["overview_queries_one_division"]),
    ]
    if size == "full":  # at the small size both sides take milliseconds
        for name, ok in checks:
            echo(f"  Mål {name}: {'uppfyllt' if ok else 'EJ uppfyllt'} (≤ 1 s och ≤ 3 × golvet)")
        result["targets_met"] = all(ok for _, ok in checks)
    return result
