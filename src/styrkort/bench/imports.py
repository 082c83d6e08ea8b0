"""`styrkort bench import`: outcome import from CSV into PostgreSQL, next to COPY.

One run creates a synthetic organisation (units and indicators of its own), writes a
CSV of outcomes the way a data warehouse exports them (semicolons, Swedish headers,
thousands spaces and decimal commas), and times, on the same file and in the same run:

* the COPY floor: PostgreSQL's own ``COPY`` of the file into a plain table of text
  columns (no types, no indexes, no history);
* the import: ``run_import("outcomes", ...)``, all-or-nothing, history included;
* the schema's floor: PostgreSQL alone writing the same parsed rows (those the import
  wrote, kept aside untimed, then removed with their history) into the same tables with
  their indexes, constraints, triggers and history, by one hand-written statement
  (``INSERT … SELECT … RETURNING`` feeding the history's ``INSERT``).

It prints rows per second for each and the ratios. Target (issue 19): the import at
most 1,5 times the schema's floor (the earlier targets, at least 50 000 rows/s and at
most 10 times COPY, are withdrawn: the schema's own floor is about 15-19 times COPY).
A missed target is reported, not raised: this is a benchmark, not a timed test.
The synthetic data are removed afterwards.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from django.db import connection, transaction

from styrkort.commands import BadInput

SIZES = {
    # rows = units x indicators x months
    "small": {"units": 50, "indicators": 20, "months": 20},  # 20 000
    "full": {"units": 1000, "indicators": 50, "months": 20},  # 1 000 000
}
TARGET_SQL_RATIO = 1.5
ORG_CODE = "bench-import"
FIRST_YEAR = 2020
FLOOR_TABLE = "bench_import_copy_floor"


def bench_import(size: str = "small", *, echo: Callable[[str], None] | None = None) -> dict:
    """Run the benchmark; return its figures (JSON-serialisable). Human-readable lines
    go to `echo` (default: standard error, so that standard output stays free for JSON)."""
    if size not in SIZES:
        raise BadInput(f"Okänd storlek '{size}'. Välj small eller full.")
    if connection.vendor != "postgresql":
        raise BadInput("bench import mäter mot PostgreSQL: sätt STYRKORT_DATABASE_URL=postgres://…")
    echo = echo or (lambda line: print(line, file=sys.stderr, flush=True))
    shape = SIZES[size]
    _remove_synthetic()
    with tempfile.TemporaryDirectory(prefix="styrkort-bench-import-") as tmp:
        path = Path(tmp) / "utfall.csv"
        started = time.perf_counter()
        units, indicators = _create_synthetic(shape)
        rows = _write_csv(path, units, indicators, shape["months"])
        setup_s = time.perf_counter() - started
        echo(
            f"bench import ({size}): {_sv(rows)} rader, {path.stat().st_size / 1e6:.1f} MB CSV, "
            f"{len(units)} enheter x {len(indicators)} indikatorer x {shape['months']} månader"
        )
        floor_cpu_before = _backend_cpu_s()
        copy_s = _copy_floor(path)
        floor_cpu = _cpu(floor_cpu_before, _backend_cpu_s())
        echo(
            f"  golv: COPY till en vanlig tabell  {copy_s:7.2f} s  {_sv(rows / copy_s):>10} rader/s"
        )
        import_s, report, cpu = _timed_import(path)
        if not report.ok:
            first = report.rejected[0]
            raise BadInput(f"Importen avvisade syntetiska rader: {first}")
        echo(_line("import med historik", import_s, rows))
        echo(
            f"    processortid: Python {cpu['python_s']} s, "
            f"PostgreSQL {cpu['postgres_s']} s; golvets COPY {floor_cpu} s"
        )
        again_s, again, _ = _timed_import(path)
        echo(_line("samma fil igen (inget ändras)", again_s, rows))
    history_rows = _history_rows()
    sql_s, sql_rows, sql_cpu = _sql_floor()
    if sql_rows != rows:
        raise BadInput(f"Golvet med SQL skrev {sql_rows} rader, importen {rows}.")
    echo(_line("golv: SQL i samma tabeller", sql_s, rows))
    echo(f"    processortid: PostgreSQL {sql_cpu} s")
    _remove_synthetic()
    rate = rows / import_s
    ratio = import_s / copy_s
    sql_ratio = import_s / sql_s
    result = {
        "benchmark": "import",
        "size": size,
        "rows": rows,
        "database": "postgresql",
        "setup_s": round(setup_s, 3),
        "copy_floor_s": round(copy_s, 3),
        "copy_floor_rows_per_s": round(rows / copy_s),
        "copy_floor_postgres_cpu_s": floor_cpu,
        "import_s": round(import_s, 3),
        "import_rows_per_s": round(rate),
        "ratio_to_floor": round(ratio, 2),
        "sql_floor_s": round(sql_s, 3),
        "sql_floor_rows_per_s": round(rows / sql_s),
        "sql_floor_to_copy": round(sql_s / copy_s, 2),
        "sql_floor_postgres_cpu_s": sql_cpu,
        "ratio_to_sql_floor": round(sql_ratio, 2),
        "import_cpu_s": cpu,
        "load_average": _load_average(),
        "reimport_s": round(again_s, 3),
        "reimport_rows_per_s": round(rows / again_s),
        "created": report.created,
        "reimport_unchanged": again.unchanged,
        "history_rows": history_rows,
        "targets": {"ratio_to_sql_floor": TARGET_SQL_RATIO},
        "meets_targets": sql_ratio <= TARGET_SQL_RATIO,
        "cores": os.cpu_count(),
    }
    verdict = "uppfyller målen" if result["meets_targets"] else "MISSAR målen"
    echo(
        f"  kvot import/SQL-golv {_sv_ratio(sql_ratio)} (mål ≤ {_sv_ratio(TARGET_SQL_RATIO)}), "
        f"import/COPY {_sv_ratio(ratio)}, SQL-golv/COPY {_sv_ratio(sql_s / copy_s)}: {verdict}"
        + ("" if size == "full" else " (målet gäller full storlek)")
    )
    return result


def _line(label: str, seconds: float, rows: int) -> str:
    return f"  {label:<34}{seconds:7.2f} s  {_sv(rows / seconds):>10} rader/s"


def _sv_ratio(number: float) -> str:
    return f"{number:.1f}".replace(".", ",")


def _load_average() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def _sv(number: float) -> str:
    return f"{number:,.0f}".replace(",", "\u00a0")


def _create_synthetic(shape: dict):
    from styrkort.organisation.models import Organisation, OrgUnit
    from styrkort.planning.models import Indicator

    with transaction.atomic():
        org = Organisation.objects.create(code=ORG_CODE, name="Syntetisk region (bench)")
        root = OrgUnit.objects.add_root(
            instance=OrgUnit(organisation=org, code="BENCH", name="Syntetisk region", type="region")
        )
        per_division = 50
        units = []
        division = None
        for n in range(shape["units"]):
            if n % per_division == 0:
                root.refresh_from_db()
                division = OrgUnit.objects.add_child(
                    root,
                    instance=OrgUnit(
                        organisation=org,
                        code=f"BENCH-D{n // per_division:03d}",
                        name=f"Syntetisk division {n // per_division}",
                        type="division",
                    ),
                )
            division.refresh_from_db()
            units.append(
                OrgUnit.objects.add_child(
                    division,
                    instance=OrgUnit(
                        organisation=org,
                        code=f"BENCH-U{n:04d}",
                        name=f"Syntetisk enhet {n}",
                        type="unit",
                    ),
                )
            )
        indicators = []
        for n in range(shape["indicators"]):
            ratio = n % 4 == 0
            indicators.append(
                Indicator(
                    organisation=org,
                    code=f"bench-ind-{n:03d}",
                    name=f"Syntetisk indikator {n}",
                    unit="%" if ratio else "st",
                    aggregation="ratio" if ratio else "sum",
                )
            )
        Indicator.objects.bulk_create(indicators)
    return [u.code for u in units], [(i.code, i.unit == "%") for i in indicators]


def _write_csv(path: Path, units, indicators, months: int) -> int:
    """Swedish data-warehouse style: counts with thousands spaces, shares as
    numerator/denominator, and every fourth count with a decimal comma."""
    periods = [f"{FIRST_YEAR + m // 12}-{m % 12 + 1:02d}" for m in range(months)]
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("enhet;indikator;period;kön;värde;täljare;nämnare;källa\n")
        for u, unit in enumerate(units):
            for i, (code, ratio) in enumerate(indicators):
                for p, period in enumerate(periods):
                    seed = (u * 7919 + i * 104729 + p * 1299709) % 100_000
                    if ratio:
                        denominator = 500 + seed % 2000
                        numerator = denominator * (seed % 100) // 100
                        out.write(
                            f"{unit};{code};{period};T;;{_grouped(numerator)};"
                            f"{_grouped(denominator)};Datalager\n"
                        )
                    elif seed % 4 == 0:
                        out.write(
                            f"{unit};{code};{period};T;{_grouped(seed)},{seed % 10};;;Datalager\n"
                        )
                    else:
                        out.write(f"{unit};{code};{period};T;{_grouped(seed)};;;Datalager\n")
                    rows += 1
    return rows


def _grouped(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def _backend_cpu_s() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend (a local server on
    Linux only), to tell the work of each side apart from time spent waiting for a CPU."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cpu(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else round(after - before, 2)


def _copy_floor(path: Path) -> float:
    with connection.cursor() as cursor:
        raw = cursor.cursor
        raw.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
        raw.execute(
            f"CREATE TABLE {FLOOR_TABLE} (enhet text, indikator text, period text, kon text, "
            "varde text, taljare text, namnare text, kalla text)"
        )
        started = time.perf_counter()
        with (
            raw.copy(
                f"COPY {FLOOR_TABLE} FROM STDIN (FORMAT csv, DELIMITER ';', HEADER true)"
            ) as copy,
            path.open("rb") as source,
        ):
            while chunk := source.read(1 << 20):
                copy.write(chunk)
        elapsed = time.perf_counter() - started
        raw.execute(f"DROP TABLE {FLOOR_TABLE}")
    return elapsed


def _timed_import(path: Path):
    from styrkort.io.services import run_import

    server_before = _backend_cpu_s()
    python_before = time.process_time()
    started = time.perf_counter()
    with path.open("rb") as source:
        report = run_import("outcomes", source, user=None, name=str(path), max_bytes=1 << 31)
    elapsed = time.perf_counter() - started
    cpu = {
        "python_s": round(time.process_time() - python_before, 2),
        "postgres_s": _cpu(server_before, _backend_cpu_s()),
    }
    return elapsed, report, cpu


def _sql_floor() -> tuple[float, int, float | None]:
    """The schema's floor: the rows the import wrote are kept aside (untimed) in a
    temporary table with their final column values, removed with their history (and the
    tables vacuumed, as before the import), then written back by PostgreSQL alone: one
    ``INSERT … SELECT`` into the outcome table whose ``RETURNING`` feeds the history's
    ``INSERT`` (the rows simple-history's bulk helpers would write), in one transaction.
    Returns (seconds, rows written, the backend's CPU seconds)."""
    from styrkort.followup.models import Outcome
    from styrkort.organisation.models import Organisation
    from styrkort.planning.models import Indicator

    q = connection.ops.quote_name
    table = Outcome._meta.db_table
    history = Outcome.history.model
    tracked = [f.column for f in history._meta.concrete_fields if not f.name.startswith("history_")]
    columns = [c for c in tracked if c != "id"]
    cols = ", ".join(q(c) for c in columns)
    ids = (
        f"SELECT id FROM {q(Indicator._meta.db_table)} WHERE organisation_id = "
        f"(SELECT id FROM {q(Organisation._meta.db_table)} WHERE code = %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_import_parsed")
        cursor.execute(
            f"CREATE TEMPORARY TABLE bench_import_parsed AS SELECT {cols} FROM {q(table)} "
            f"WHERE indicator_id IN ({ids}) ORDER BY id",
            [ORG_CODE],
        )
    _remove_outcomes()
    statement = (
        f"WITH written AS (INSERT INTO {q(table)} ({cols}) SELECT {cols} "
        f"FROM bench_import_parsed RETURNING {', '.join(q(c) for c in tracked)}) "
        f"INSERT INTO {q(history._meta.db_table)} "
        f"({', '.join(q(c) for c in tracked)}, history_date, history_change_reason, "
        f"history_type, history_user_id) "
        f"SELECT {', '.join(q(c) for c in tracked)}, now(), NULL, '+', NULL FROM written"
    )
    cpu_before = _backend_cpu_s()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
        written = cursor.rowcount
    elapsed = time.perf_counter() - started
    cpu = _cpu(cpu_before, _backend_cpu_s())
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_import_parsed")
    return elapsed, written, cpu


def _remove_outcomes() -> None:
    """Delete the synthetic organisation's outcomes and their history, then vacuum."""
    from styrkort.followup.models import Outcome
    from styrkort.organisation.models import Organisation
    from styrkort.planning.models import Indicator

    history = Outcome.history.model._meta.db_table
    outcomes = Outcome._meta.db_table
    indicators = Indicator._meta.db_table
    organisations = Organisation._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        for name in (history, outcomes):
            cursor.execute(
                f"DELETE FROM {name} WHERE indicator_id IN (SELECT id FROM {indicators} "
                f"WHERE organisation_id = (SELECT id FROM {organisations} WHERE code = %s))",
                [ORG_CODE],
            )
    if not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {history}, {outcomes}")


def _history_rows() -> int:
    from styrkort.followup.models import Outcome

    return Outcome.history.filter(indicator__organisation__code=ORG_CODE).count()


def _remove_synthetic() -> None:
    """Delete the synthetic organisation with its outcomes, history, indicators, units."""
    from styrkort.followup.models import Outcome
    from styrkort.organisation.models import Organisation, OrgUnit
    from styrkort.planning.models import Indicator

    org = Organisation.objects.filter(code=ORG_CODE).first()
    if org is None:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        history = Outcome.history.model._meta.db_table
        outcomes = Outcome._meta.db_table
        indicators = Indicator._meta.db_table
        cursor.execute(
            f"DELETE FROM {history} WHERE indicator_id IN "
            f"(SELECT id FROM {indicators} WHERE organisation_id = %s)",
            [org.pk],
        )
        cursor.execute(
            f"DELETE FROM {outcomes} WHERE indicator_id IN "
            f"(SELECT id FROM {indicators} WHERE organisation_id = %s)",
            [org.pk],
        )
        Indicator.history.filter(organisation_id=org.pk).delete()
        Indicator.objects.filter(organisation=org).delete()
        OrgUnit.objects.filter(organisation=org).order_by("-depth").delete()
        org.delete()
    # An earlier run's million deleted rows would otherwise stay in the tables and their
    # indexes until autovacuum comes by, and slow the next run down.
    if not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {history}, {outcomes}")
