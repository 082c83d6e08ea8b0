"""Writing validated outcomes in bulk, history included.

On SQLite (one writer at a time: a transaction that writes holds the whole database) the
rows are *staged* first, outside any transaction and with reads only (`stage`): each
row is compared with the stored outcome of its key, which gives the rows to insert, the
rows to update and the unchanged ones (a dry run stops here: its counts, and no write
lock). `finish`, inside the caller's short transaction, first looks at what other
users wrote since the stage was read (the outcome history after the stage's mark: a
few rows, not the 50 000 again) and compares those keys again, then writes with
`executemany` batches (one ``INSERT`` for the new outcomes, one ``UPDATE`` by id for
the changed ones) and their history rows with two set-based ``INSERT … SELECT``. A
50 000-row import holds the write lock for about a second instead of for the whole run
(docs/import.md, docs/benchmarks.md).

On PostgreSQL the rows are written in batches while the file is still being read: each
batch is copied (``COPY``) into a temporary table and merged with one statement that is
sent without waiting for it, so that the server writes one batch while Python reads and
checks the next. The merge is an ``INSERT … ON CONFLICT ON CONSTRAINT uniq_outcome DO
UPDATE … WHERE <changed>``, driven row by row by the unique constraint, whose
``RETURNING`` feeds the history rows (``'+'`` for new outcomes, ``'~'`` for changed
ones): exactly the rows simple-history's bulk helpers would write. Other databases go
through the staged path above. Either way unchanged outcomes
are not touched (importing the same file twice changes nothing) and everything happens
inside the caller's transaction.

The SQL is in `styrkort.followup.postgres` (the PostgreSQL-only SQL, in one place); this
module only feeds it. The writer is the PostgreSQL form of the service: its statements
run inside `styrkort.writes.service_scope` and pass through the connection's execute
wrappers, as Django's own queries do, so the write guard sees them.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Sequence

from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, IntegrityError, connection, models
from django.db.transaction import TransactionManagementError
from django.utils import timezone
from psycopg.pq import ExecStatus

from styrkort.followup import postgres
from styrkort.followup.models import OutcomeSource, bounded_ratio
from styrkort.followup.services import OutcomeInput, UpsertResult
from styrkort.followup.versions import touch_units
from styrkort.writes import service_scope

__all__ = ["OutcomeWriter"]

BATCH_ROWS = 50_000
#: rows per `executemany` call and ids per ``IN (…)`` of the staged (SQLite) write
STAGED_BATCH = 5_000


class OutcomeWriter:
    """Collects validated outcomes (`add`) and writes them (`finish`) in the current
    transaction (COPY refuses to start outside one); `abort` ends a write in progress
    before a rollback. `user` is recorded as `updated_by` and as the history user.

    Without COPY (SQLite) the rows are only collected while the file is read; `stage`
    (reads only, outside any transaction) compares them with the stored outcomes and
    `finish` writes the difference in the caller's transaction. `writes_while_reading`
    says which way: a caller keeps its transaction open over the whole file only then."""

    def __init__(
        self,
        *,
        user=None,
        source: str = OutcomeSource.IMPORT,
        use_copy: bool | None = None,
        batch_rows: int | None = None,
    ):
        self.user = user if getattr(user, "is_authenticated", False) else None
        self.source = source
        self.use_copy = connection.vendor == "postgresql" if use_copy is None else use_copy
        self.batch_rows = batch_rows or BATCH_ROWS
        self.rows: list[OutcomeInput] = []
        self.count = 0
        self.created = 0
        self.updated = 0
        self._batch: list[tuple] = []
        self._bounded: dict[int, bool] = {}
        self._periods: dict[int, tuple] = {}
        self._raw = None  # the psycopg connection, once the stage table exists
        self._merge_sql = ""  # the merge statement, once the stage table exists
        self._pending = False
        self._stage: _Stage | None = None
        self._places: dict[tuple, tuple] = {}

    @property
    def writes_while_reading(self) -> bool:
        """Whether rows are written as they are added (COPY, in a transaction that must
        already be open) rather than staged and written by `finish`."""
        return self.use_copy

    @property
    def units_and_periods(self) -> dict[tuple, tuple]:
        """{(unit id, period): (unit, Period)} of the rows added, for the checks made
        again just before the write (locks, permissions)."""
        return self._places

    # --- collecting -------------------------------------------------------------

    def add(self, row: OutcomeInput) -> None:
        self.count += 1
        place = (row.unit.id, row.period)
        if place not in self._places:
            self._places[place] = (row.unit, row.period)
        if not self.use_copy:
            self.rows.append(row)
            return
        ind = row.indicator
        bounded = self._bounded.get(ind.id)
        if bounded is None:
            bounded = self._bounded[ind.id] = bounded_ratio(ind)
        # Keyed by identity (the parser hands out one Period object per spelling);
        # the entry keeps its Period alive and is checked, so an id is never reused.
        period = self._periods.get(id(row.period))
        if period is None or period[3] is not row.period:
            period = self._periods[id(row.period)] = (
                row.period.canonical,
                row.period.start,
                row.period.end,
                row.period,
            )
        self._batch.append(
            (
                ind.id,
                row.unit.id,
                period[0],
                period[1],
                period[2],
                str(row.sex),
                row.value,
                row.numerator,
                row.denominator,
                bounded,
                row.data_source,
                row.note,
            )
        )
        if len(self._batch) >= self.batch_rows:
            self._flush()

    def extend(self, rows: Sequence[OutcomeInput]) -> None:
        for row in rows:
            self.add(row)

    # --- writing ----------------------------------------------------------------

    def stage(self) -> UpsertResult:
        """Compare the rows with the stored outcomes (reads only; no transaction needed,
        none taken) and return what a write would do. Without COPY only."""
        if self.use_copy:
            raise TransactionManagementError("The COPY writer writes while reading.")
        self._stage = _Stage(self.rows, source=self.source)
        return self._stage.result()

    def finish(self) -> UpsertResult:
        # COPY and the set-based merge send no signals: the written units' cached pages
        # are stale (bumped now and after the caller's commit).
        touch_units({unit for unit, _period in self._places.values()})
        if not self.use_copy:
            if not self.rows:
                return UpsertResult()
            if not connection.in_atomic_block:
                raise TransactionManagementError("OutcomeWriter writes inside a transaction.")
            if self._stage is None:
                self._stage = _Stage(self.rows, source=self.source)
            else:
                self._stage.refresh()
            with service_scope():
                return self._stage.write(user=self.user, source=self.source)
        if self._batch:
            self._flush()
        self._wait()
        if self._raw is not None:
            with self._raw.cursor() as cursor:
                drop = postgres.DROP_STAGE
                self._execute(drop, functools.partial(cursor.execute, drop))
        return UpsertResult(
            created=self.created,
            updated=self.updated,
            unchanged=self.count - self.created - self.updated,
        )

    def abort(self) -> None:
        """Let a merge in flight end (its result is discarded) so that the transaction
        can roll back cleanly."""
        self._batch = []
        with contextlib.suppress(Exception):
            self._wait()

    def _execute(self, sql: str, run: Callable[[], object]) -> None:
        """Run `run` (which sends `sql` on the psycopg connection) as a service's statement,
        through the connection's execute wrappers, as Django runs its own queries (the
        write guard of styrkort.writes is one of them)."""

        def execute(sql, params, many, context):
            return run()

        for wrapper in reversed(connection.execute_wrappers):
            execute = functools.partial(wrapper, execute)
        with service_scope():
            execute(sql, None, False, {"connection": connection, "cursor": None})

    def _start(self) -> None:
        if not connection.in_atomic_block:
            raise TransactionManagementError("OutcomeWriter writes inside a transaction.")
        connection.ensure_connection()
        self._raw = connection.connection
        with self._raw.cursor() as cursor:
            for statement in postgres.WRITE_SETUP:
                self._execute(statement, functools.partial(cursor.execute, statement))
        self._merge_sql = self._merge_statement()

    def _flush(self) -> None:
        """Copy the batch into the stage table and send its merge without waiting."""
        self._wait()
        if self._raw is None:
            self._start()
        with self._raw.cursor() as cursor:
            self._execute(
                postgres.EMPTY_STAGE, functools.partial(cursor.execute, postgres.EMPTY_STAGE)
            )
            self._execute(postgres.COPY_TO_STAGE, functools.partial(self._copy, cursor))
        self._batch = []
        merge = self._merge_sql
        self._execute(merge, functools.partial(self._raw.pgconn.send_query, merge.encode()))
        self._pending = True

    def _copy(self, cursor) -> None:
        with cursor.copy(postgres.COPY_TO_STAGE) as copy:
            copy.set_types(postgres.STAGE_TYPES)
            write = copy.write_row
            for row in self._batch:
                write(row)

    def _wait(self) -> None:
        """Collect the result of the merge in flight, if any (blocks until it is done)."""
        if not self._pending:
            return
        self._pending = False
        pgconn = self._raw.pgconn
        error = None
        while (result := pgconn.get_result()) is not None:
            if result.status == ExecStatus.TUPLES_OK:
                self.created += int(result.get_value(0, 0) or 0)
                self.updated += int(result.get_value(0, 1) or 0)
            elif error is None:
                state = (result.error_field(ord("C")) or b"").decode()
                message = (result.error_message or b"").decode(errors="replace").strip()
                error = (IntegrityError if state.startswith("23") else DatabaseError)(
                    f"{state}: {message}"
                )
        if error is not None:
            raise error

    def _merge_statement(self) -> str:
        from psycopg import sql

        def literal(value) -> str:
            return sql.Literal(value).as_string(self._raw)

        return postgres.merge_statement(
            source=literal(self.source),
            user=literal(self.user.pk if self.user is not None else None),
            now=literal(timezone.now()),
        )


# --- the staged write (SQLite) ---------------------------------------------------------

_COMPARED = ("value", "numerator", "denominator", "data_source", "note")
#: the outcome's columns as the staged write inserts them (`_Stage.values` + time, user)
INSERT_COLUMNS = (
    "indicator_id",
    "unit_id",
    "period",
    "period_start",
    "period_end",
    "sex",
    "value",
    "numerator",
    "denominator",
    "bounded_ratio",
    "source",
    "data_source",
    "note",
    "created_at",
    "updated_at",
    "updated_by_id",
)


def _outcome_tables():
    from styrkort.followup.models import Outcome

    history = Outcome.history.model
    tracked = [f.column for f in history._meta.concrete_fields if not f.name.startswith("history_")]
    return Outcome, history, tracked


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


class _Stage:
    """The rows of one import compared with the stored outcomes: for each key the id and
    compared fields of its outcome (None: new). Built with reads only; `refresh` (inside
    the write transaction) compares again the keys other users wrote since; `write`
    writes the difference."""

    def __init__(self, rows: list[OutcomeInput], *, source: str):
        from styrkort.followup.models import Outcome

        self.source = source
        self.rows: dict[tuple, OutcomeInput] = {}
        for row in rows:
            self.rows[row.key] = row
        # The history's mark first: whatever is written after it is looked at again.
        self.mark = Outcome.history.aggregate(m=models.Max("history_id"))["m"] or 0
        self.stored: dict[tuple, tuple] = {}
        groups: dict[tuple, set[int]] = {}
        for indicator_id, unit_id, period, _sex in self.rows:
            groups.setdefault((indicator_id, period), set()).add(unit_id)
        fields = ("unit_id", "sex", "id", *_COMPARED)
        for (indicator_id, period), unit_ids in groups.items():
            ids = sorted(unit_ids)
            for start in range(0, len(ids), STAGED_BATCH):
                for unit_id, sex, *stored in Outcome.objects.filter(
                    indicator_id=indicator_id,
                    period=period,
                    unit_id__in=ids[start : start + STAGED_BATCH],
                ).values_list(*fields):
                    key = (indicator_id, unit_id, period, sex)
                    if key in self.rows:
                        self.stored[key] = tuple(stored)
        self._prepare()

    def _prepare(self) -> None:
        """Each row's values for an INSERT in the order of `INSERT_COLUMNS` but for the
        last three (the time and the user, added at write time): built here, outside
        the write transaction, for every row (which ones are new is known only then)."""
        ops = connection.ops
        bounded: dict[int, bool] = {}
        dates: dict[object, tuple] = {}
        source = self.source
        self.bounded = bounded
        self.values: dict[tuple, tuple] = {}
        for key, row in self.rows.items():
            ind = row.indicator
            flag = bounded.get(ind.id)
            if flag is None:
                flag = bounded[ind.id] = bounded_ratio(ind)
            days = dates.get(row.period)
            if days is None:
                days = dates[row.period] = (
                    ops.adapt_datefield_value(row.period.start),
                    ops.adapt_datefield_value(row.period.end),
                )
            self.values[key] = (
                ind.id,
                row.unit.id,
                key[2],
                days[0],
                days[1],
                key[3],
                row.value,
                row.numerator,
                row.denominator,
                flag,
                source,
                row.data_source,
                row.note,
            )

    def refresh(self) -> int:
        """Compare again the keys written by others since the stage was read (their
        history rows after the mark; deletions included). Returns how many keys."""
        from styrkort.followup.models import Outcome

        touched: dict[tuple, int] = {}
        for key, outcome_id in _since(self.mark):
            if key in self.rows:
                touched[key] = outcome_id
        if not touched:
            return 0
        current = {
            outcome_id: tuple(rest)
            for outcome_id, *rest in Outcome.objects.filter(
                id__in=sorted(set(touched.values()))
            ).values_list("id", "indicator_id", "unit_id", "period", "sex", "id", *_COMPARED)
        }
        for key in touched:
            self.stored.pop(key, None)
        for values in current.values():
            key = tuple(values[:4])
            if key in self.rows:
                self.stored[key] = values[4:]
        return len(touched)

    def _changes(self):
        """(rows to create, [(outcome id, row, stored)] to update, unchanged count)."""
        create, update, unchanged = [], [], 0
        for key, row in self.rows.items():
            stored = self.stored.get(key)
            if stored is None:
                create.append(row)
                continue
            _id, value, numerator, denominator, data_source, note = stored
            if (
                row.value == value
                and row.numerator == numerator
                and row.denominator == denominator
                and (not row.data_source or row.data_source == data_source)
                and (not row.note or row.note == note)
            ):
                unchanged += 1
                continue
            update.append((_id, row, stored))
        return create, update, unchanged

    def result(self) -> UpsertResult:
        create, update, unchanged = self._changes()
        return UpsertResult(created=len(create), updated=len(update), unchanged=unchanged)

    def write(self, *, user, source: str) -> UpsertResult:
        Outcome, history, tracked = _outcome_tables()
        create, update, unchanged = self._changes()
        now_db = connection.ops.adapt_datetimefield_value(timezone.now())
        user_id = user.pk if user is not None else None
        table = _q(Outcome._meta.db_table)
        columns = {f.column for f in Outcome._meta.concrete_fields if not f.primary_key}
        if columns != set(INSERT_COLUMNS):  # a field added to Outcome: written here too
            raise ImproperlyConfigured(
                f"OutcomeWriter's columns {INSERT_COLUMNS} are not the outcome's {columns}"
            )
        bounded = self.bounded
        tail = (now_db, now_db, user_id)
        history_table = _q(history._meta.db_table)
        tracked_sql = ", ".join(_q(c) for c in tracked)
        history_insert = (
            f"INSERT INTO {history_table} ({tracked_sql}, history_date, "
            f"history_change_reason, history_type, history_user_id) "
            f"SELECT {tracked_sql}, %s, NULL, %s, %s FROM {table} WHERE "
        )
        with connection.cursor() as cursor:
            if create:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
                (floor,) = cursor.fetchone()
                placeholders = ", ".join(["%s"] * len(INSERT_COLUMNS))
                sql = (
                    f"INSERT INTO {table} ({', '.join(_q(c) for c in INSERT_COLUMNS)}) "
                    f"VALUES ({placeholders})"
                )
                values = self.values
                for start in range(0, len(create), STAGED_BATCH):
                    batch = create[start : start + STAGED_BATCH]
                    cursor.executemany(sql, [values[row.key] + tail for row in batch])
                # The write lock is ours: every id above the floor is one just inserted.
                cursor.execute(history_insert + "id > %s", [now_db, "+", user_id, floor])
            if update:
                sql = (
                    f"UPDATE {table} SET value = %s, numerator = %s, denominator = %s, "
                    "data_source = %s, note = %s, bounded_ratio = %s, source = %s, "
                    "updated_by_id = %s, updated_at = %s WHERE id = %s"
                )
                params = []
                for outcome_id, row, stored in update:
                    ind = row.indicator
                    flag = bounded.get(ind.id)
                    if flag is None:
                        flag = bounded[ind.id] = bounded_ratio(ind)
                    params.append(
                        (
                            row.value,
                            row.numerator,
                            row.denominator,
                            row.data_source or stored[4],
                            row.note or stored[5],
                            flag,
                            source,
                            user_id,
                            now_db,
                            outcome_id,
                        )
                    )
                for start in range(0, len(params), STAGED_BATCH):
                    cursor.executemany(sql, params[start : start + STAGED_BATCH])
                ids = [outcome_id for outcome_id, _row, _stored in update]
                for start in range(0, len(ids), 500):
                    chunk = ids[start : start + 500]
                    cursor.execute(
                        history_insert + f"id IN ({', '.join(['%s'] * len(chunk))})",
                        [now_db, "~", user_id, *chunk],
                    )
        return UpsertResult(created=len(create), updated=len(update), unchanged=unchanged)


def _since(mark: int):
    """((indicator id, unit id, period, sex), outcome id) of every outcome history row
    after `mark`: the keys others wrote since a stage was read."""
    from styrkort.followup.models import Outcome

    rows = (
        Outcome.history.filter(history_id__gt=mark)
        .order_by("history_id")
        .values_list("indicator_id", "unit_id", "period", "sex", "id")
    )
    for indicator_id, unit_id, period, sex, outcome_id in rows:
        yield (indicator_id, unit_id, period, sex), outcome_id
