"""Writing validated outcomes in bulk, history included.

On PostgreSQL the rows are written in batches while the file is still being read: each
batch is copied (``COPY``) into a temporary table and merged with one statement that is
sent without waiting for it, so that the server writes one batch while Python reads and
checks the next. The merge is an ``INSERT … ON CONFLICT ON CONSTRAINT uniq_outcome DO
UPDATE … WHERE <changed>``, driven row by row by the unique constraint, whose
``RETURNING`` feeds the history rows (``'+'`` for new outcomes, ``'~'`` for changed
ones): exactly the rows simple-history's bulk helpers would write. Other databases go
through `styrkort.followup.services.bulk_upsert_outcomes`. Either way unchanged outcomes
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

from django.db import DatabaseError, IntegrityError, connection
from django.db.transaction import TransactionManagementError
from django.utils import timezone
from psycopg.pq import ExecStatus

from styrkort.followup import postgres
from styrkort.followup.models import OutcomeSource, bounded_ratio
from styrkort.followup.services import OutcomeInput, UpsertResult, bulk_upsert_outcomes
from styrkort.writes import service_scope

__all__ = ["OutcomeWriter"]

BATCH_ROWS = 50_000


class OutcomeWriter:
    """Collects validated outcomes (`add`) and writes them (`finish`) in the current
    transaction (COPY refuses to start outside one); `abort` ends a write in progress
    before a rollback. `user` is recorded as `updated_by` and as the history user."""

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

    # --- collecting -------------------------------------------------------------

    def add(self, row: OutcomeInput) -> None:
        self.count += 1
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

    def finish(self) -> UpsertResult:
        if not self.use_copy:
            if not self.rows:
                return UpsertResult()
            return bulk_upsert_outcomes(
                self.rows, user=self.user, source=self.source, check_permissions=False
            )
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
