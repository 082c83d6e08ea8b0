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
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

from django.db import DatabaseError, IntegrityError, connection
from django.utils import timezone
from psycopg.pq import ExecStatus

from styrkort.followup.models import Outcome, OutcomeSource, bounded_ratio
from styrkort.followup.services import OutcomeInput, UpsertResult, bulk_upsert_outcomes

__all__ = ["OutcomeWriter"]

_STAGE = "styrkort_outcome_stage"
_STAGE_COLUMNS = (
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
    "data_source",
    "note",
)
# The stage's column types, for COPY's binary format (no text to format and parse).
_STAGE_TYPES = (
    "int8",
    "int8",
    "varchar",
    "date",
    "date",
    "varchar",
    "float8",
    "float8",
    "float8",
    "bool",
    "varchar",
    "text",
)
BATCH_ROWS = 50_000


class OutcomeWriter:
    """Collects validated outcomes (`add`) and writes them (`finish`) in the current
    transaction; `abort` ends a write in progress before a rollback. `user` is recorded
    as `updated_by` and as the history user."""

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
        self._merge_sql: bytes | None = None
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
                cursor.execute(f"DROP TABLE {_STAGE}")
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

    def _start(self) -> None:
        connection.ensure_connection()
        self._raw = connection.connection
        with self._raw.cursor() as cursor:
            # Foreign keys checked as each batch is merged (while the next one is being
            # read) rather than all at once at commit; only in this transaction.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            # Each merge runs about a second and is planned once per batch: compiling it
            # to machine code (JIT) costs more than it saves. Only in this transaction.
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(f"DROP TABLE IF EXISTS {_STAGE}")
            cursor.execute(
                f"""CREATE TEMPORARY TABLE {_STAGE} (
                    indicator_id bigint NOT NULL, unit_id bigint NOT NULL,
                    period varchar(16) NOT NULL, period_start date NOT NULL,
                    period_end date NOT NULL, sex varchar(8) NOT NULL,
                    value double precision, numerator double precision,
                    denominator double precision, bounded_ratio boolean NOT NULL,
                    data_source varchar(200) NOT NULL, note text NOT NULL
                ) ON COMMIT DROP"""
            )
        self._merge_sql = self._merge_statement()

    def _flush(self) -> None:
        """Copy the batch into the stage table and send its merge without waiting."""
        self._wait()
        if self._raw is None:
            self._start()
        with self._raw.cursor() as cursor:
            cursor.execute(f"TRUNCATE {_STAGE}")
            with cursor.copy(
                f"COPY {_STAGE} ({', '.join(_STAGE_COLUMNS)}) FROM STDIN (FORMAT BINARY)"
            ) as copy:
                copy.set_types(_STAGE_TYPES)
                write = copy.write_row
                for row in self._batch:
                    write(row)
        self._batch = []
        self._raw.pgconn.send_query(self._merge_sql)
        self._pending = True

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

    def _merge_statement(self) -> bytes:
        from psycopg import sql

        outcome_table = Outcome._meta.db_table
        history_model = Outcome.history.model
        history_table = history_model._meta.db_table
        tracked = [
            f.column
            for f in history_model._meta.concrete_fields
            if not f.name.startswith("history_")
        ]
        tracked_sql = ", ".join(f'"{c}"' for c in tracked)
        history_cols = (
            f"{tracked_sql}, history_date, history_change_reason, history_type, history_user_id"
        )

        def literal(value) -> str:
            return sql.Literal(value).as_string(self._raw)

        source = literal(self.source)
        user = literal(self.user.pk if self.user is not None else None)
        now = literal(timezone.now())
        statement = f"""WITH written AS (
                INSERT INTO {outcome_table} AS o (
                    indicator_id, unit_id, period, period_start, period_end, sex, value,
                    numerator, denominator, bounded_ratio, source, data_source, note,
                    created_at, updated_at, updated_by_id)
                SELECT t.indicator_id, t.unit_id, t.period, t.period_start, t.period_end,
                    t.sex, t.value, t.numerator, t.denominator, t.bounded_ratio, {source},
                    t.data_source, t.note, {now}, {now}, {user}
                FROM {_STAGE} t
                ON CONFLICT ON CONSTRAINT uniq_outcome DO UPDATE SET
                    value = EXCLUDED.value,
                    numerator = EXCLUDED.numerator,
                    denominator = EXCLUDED.denominator,
                    bounded_ratio = EXCLUDED.bounded_ratio,
                    data_source = CASE WHEN EXCLUDED.data_source <> ''
                        THEN EXCLUDED.data_source ELSE o.data_source END,
                    note = CASE WHEN EXCLUDED.note <> '' THEN EXCLUDED.note ELSE o.note END,
                    source = EXCLUDED.source,
                    updated_by_id = EXCLUDED.updated_by_id,
                    updated_at = EXCLUDED.updated_at
                WHERE o.value IS DISTINCT FROM EXCLUDED.value
                    OR o.numerator IS DISTINCT FROM EXCLUDED.numerator
                    OR o.denominator IS DISTINCT FROM EXCLUDED.denominator
                    OR (EXCLUDED.data_source <> '' AND EXCLUDED.data_source <> o.data_source)
                    OR (EXCLUDED.note <> '' AND EXCLUDED.note <> o.note)
                RETURNING o.*, (o.xmax = 0) AS inserted
            ),
            logged AS (
                INSERT INTO {history_table} ({history_cols})
                SELECT {tracked_sql}, {now}, NULL,
                    CASE WHEN inserted THEN '+' ELSE '~' END, {user}
                FROM written
                RETURNING history_type
            )
            SELECT count(*) FILTER (WHERE history_type = '+'),
                   count(*) FILTER (WHERE history_type = '~')
            FROM logged"""
        return statement.encode()
