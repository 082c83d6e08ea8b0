"""Writing validated outcomes in bulk, history included.

On PostgreSQL the rows are streamed with COPY into a temporary table while the file is
still being read, then merged with two statements that also write the history rows
(`'~'` for changed outcomes, `'+'` for new ones), exactly the rows simple-history's bulk
helpers would write. Other databases go through
`styrkort.followup.services.bulk_upsert_outcomes`. Either way: unchanged outcomes are
not touched, so importing the same file twice changes nothing, and everything happens
inside the caller's transaction.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

from django.db import connection
from django.utils import timezone

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


class OutcomeWriter:
    """Collects validated outcomes (`add`) and writes them (`finish`) in the current
    transaction; `abort` releases a COPY in progress. `acting_user` is recorded as
    `updated_by` and as the history user."""

    def __init__(self, *, user=None, source: str = OutcomeSource.IMPORT, use_copy=None):
        self.user = user if getattr(user, "is_authenticated", False) else None
        self.source = source
        self.use_copy = connection.vendor == "postgresql" if use_copy is None else use_copy
        self.rows: list[OutcomeInput] = []
        self.count = 0
        self._cursor = None
        self._copy = None
        self._bounded: dict[int, bool] = {}
        self._periods: dict = {}

    # --- collecting -------------------------------------------------------------

    def add(self, row: OutcomeInput) -> None:
        self.count += 1
        if not self.use_copy:
            self.rows.append(row)
            return
        if self._copy is None:
            self._start_copy()
        ind = row.indicator
        bounded = self._bounded.get(ind.pk)
        if bounded is None:
            bounded = self._bounded[ind.pk] = bounded_ratio(ind)
        period = self._periods.get(row.period)
        if period is None:
            period = self._periods[row.period] = (
                row.period.canonical,
                row.period.start,
                row.period.end,
            )
        self._copy.write_row(
            (
                ind.pk,
                row.unit.pk,
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

    def extend(self, rows: Sequence[OutcomeInput]) -> None:
        for row in rows:
            self.add(row)

    def _start_copy(self) -> None:
        self._cursor = connection.cursor()
        raw = self._cursor.cursor
        raw.execute(f"DROP TABLE IF EXISTS {_STAGE}")
        raw.execute(
            f"""CREATE TEMPORARY TABLE {_STAGE} (
                indicator_id bigint NOT NULL, unit_id bigint NOT NULL,
                period varchar(16) NOT NULL, period_start date NOT NULL,
                period_end date NOT NULL, sex varchar(8) NOT NULL,
                value double precision, numerator double precision,
                denominator double precision, bounded_ratio boolean NOT NULL,
                data_source varchar(200) NOT NULL, note text NOT NULL
            ) ON COMMIT DROP"""
        )
        self._copy_cm = raw.copy(f"COPY {_STAGE} ({', '.join(_STAGE_COLUMNS)}) FROM STDIN")
        self._copy = self._copy_cm.__enter__()

    def _end_copy(self, exc: BaseException | None = None) -> None:
        if self._copy is not None:
            cm, self._copy = self._copy_cm, None
            if exc is None:
                cm.__exit__(None, None, None)
            else:
                cm.__exit__(type(exc), exc, exc.__traceback__)

    def abort(self) -> None:
        """End a COPY in progress so that the transaction can roll back cleanly."""
        # Whatever ending the COPY raises, the rollback that follows is what matters.
        with contextlib.suppress(Exception):
            self._end_copy(RuntimeError("import aborted"))
        if self._cursor is not None:
            self._cursor.close()
            self._cursor = None

    # --- writing ----------------------------------------------------------------

    def finish(self) -> UpsertResult:
        if not self.use_copy:
            if not self.rows:
                return UpsertResult()
            return bulk_upsert_outcomes(
                self.rows, user=self.user, source=self.source, check_permissions=False
            )
        if self._copy is None:
            return UpsertResult()
        self._end_copy()
        try:
            return self._merge()
        finally:
            self._cursor.close()
            self._cursor = None

    def _merge(self) -> UpsertResult:
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
        now = timezone.now()
        user_id = self.user.pk if self.user is not None else None
        raw = self._cursor.cursor
        # One statement, driven by the unique constraint row by row (no join for the
        # planner to get wrong on stale statistics): new keys are inserted, changed ones
        # updated, unchanged ones left alone; history rows follow from what was written.
        raw.execute(
            f"""WITH written AS (
                INSERT INTO {outcome_table} AS o (
                    indicator_id, unit_id, period, period_start, period_end, sex, value,
                    numerator, denominator, bounded_ratio, source, data_source, note,
                    created_at, updated_at, updated_by_id)
                SELECT t.indicator_id, t.unit_id, t.period, t.period_start, t.period_end,
                    t.sex, t.value, t.numerator, t.denominator, t.bounded_ratio, %(source)s,
                    t.data_source, t.note, %(now)s, %(now)s, %(user)s
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
                SELECT {tracked_sql}, %(now)s, NULL,
                    CASE WHEN inserted THEN '+' ELSE '~' END, %(user)s
                FROM written
                RETURNING history_type
            )
            SELECT count(*) FILTER (WHERE history_type = '+'),
                   count(*) FILTER (WHERE history_type = '~')
            FROM logged""",
            {"source": self.source, "user": user_id, "now": now},
        )
        created, updated = raw.fetchone()
        raw.execute(f"DROP TABLE {_STAGE}")
        return UpsertResult(
            created=created, updated=updated, unchanged=self.count - created - updated
        )
