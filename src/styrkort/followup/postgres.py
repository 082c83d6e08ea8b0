"""The PostgreSQL-only SQL of outcomes, in one place: the reference triggers and the bulk
write. On SQLite neither exists; there the ordinary foreign keys and the write service
(`styrkort.followup.services.bulk_upsert_outcomes`) do the same job.

Why PostgreSQL gets SQL of its own:

* Statement-level reference checks. A foreign key constraint checks every inserted row
  with a query of its own (about 8 microseconds each; four references per imported
  outcome and its history row, more than half of PostgreSQL's work in a bulk import).
  The triggers installed here guarantee the same thing once per statement: after an
  INSERT or UPDATE the rows referred to are locked ``FOR KEY SHARE`` (as a foreign key
  check locks them) and the statement fails with SQLSTATE 23503 (foreign_key_violation)
  if one is missing; after a DELETE or an id change of a referenced row the statement
  fails with 23503 if it is still referred to. Such deletes are refused outright outside
  READ COMMITTED, where the check could miss an import committed after the snapshot.
  The model fields say ``db_constraint=False`` (followup migration 0005), so Django's
  migration state is the database's; ``styrkort.followup.checks`` reports a database
  whose triggers are missing or disabled.
* COPY for throughput. `styrkort.io.writers.OutcomeWriter` copies each batch of an
  import into a temporary stage table (binary COPY, no SQL text per row) and merges it
  with one ``INSERT ... ON CONFLICT DO UPDATE ... WHERE <changed>`` whose ``RETURNING``
  feeds the history rows: the rows and history the service path writes, some 30 times
  faster (20 000 new outcomes: 0.5-0.8 s against 20 s through the service).

Migrations 0003 and 0004 install the triggers with the functions here. SQL a migration
has applied is never edited in place (databases that ran it keep the old text): a change
is a new constant and a new migration. Nothing here imports models at import time, so
that migrations can import this module.
"""

from __future__ import annotations

OUTCOME = "followup_outcome"
HISTORY = "followup_historicaloutcome"
USER = "accounts_user"
# Migration 0003: the outcome's parents, as (column, referenced table).
OUTCOME_PARENTS = (("indicator_id", "planning_indicator"), ("unit_id", "organisation_orgunit"))
# Migration 0004: the references to the user, as (referring table, column).
USER_REFERENCES = ((OUTCOME, "updated_by_id"), (HISTORY, "history_user_id"))
# Every reference enforced by triggers instead of a foreign key constraint, as
# (referring table, column, referenced table); SQLite keeps its foreign keys for these.
REFERENCES = tuple((OUTCOME, column, parent) for column, parent in OUTCOME_PARENTS) + tuple(
    (table, column, USER) for table, column in USER_REFERENCES
)


def _parent_triggers() -> tuple[tuple[str, str], ...]:
    triggers = [(OUTCOME, f"followup_outcome_parents_{event}") for event in ("insert", "update")]
    for column, parent in OUTCOME_PARENTS:
        triggers += [(parent, f"followup_outcome_{column}_kept_{e}") for e in ("delete", "update")]
    return tuple(triggers)


def _user_triggers() -> tuple[tuple[str, str], ...]:
    triggers = []
    for table, column in USER_REFERENCES:
        triggers += [(table, f"{table}_{column}_exists_{e}") for e in ("insert", "update")]
        triggers += [(USER, f"{table}_{column}_kept_{e}") for e in ("delete", "update")]
    return tuple(triggers)


# The triggers each migration installs, as (table, trigger name).
TRIGGERS = {
    "0003_lean_indexes_statement_foreign_keys": _parent_triggers(),
    "0004_statement_user_references": _user_triggers(),
}


# --- migration 0003: indicator and unit ---------------------------------------------

PARENTS_EXIST_0003 = """
CREATE FUNCTION followup_outcome_parents_exist() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    missing bigint;
BEGIN
    -- Lock what the new rows refer to, as a foreign key check does.
    PERFORM 1 FROM planning_indicator
        WHERE id IN (SELECT DISTINCT indicator_id FROM new_rows) FOR KEY SHARE;
    PERFORM 1 FROM organisation_orgunit
        WHERE id IN (SELECT DISTINCT unit_id FROM new_rows) FOR KEY SHARE;
    SELECT min(n.indicator_id) INTO missing FROM (SELECT DISTINCT indicator_id FROM new_rows) n
        WHERE NOT EXISTS (SELECT 1 FROM planning_indicator p WHERE p.id = n.indicator_id);
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
            MESSAGE = format('insert or update on table "followup_outcome": '
                'indicator_id=%s is not present in table "planning_indicator"', missing);
    END IF;
    SELECT min(n.unit_id) INTO missing FROM (SELECT DISTINCT unit_id FROM new_rows) n
        WHERE NOT EXISTS (SELECT 1 FROM organisation_orgunit p WHERE p.id = n.unit_id);
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
            MESSAGE = format('insert or update on table "followup_outcome": '
                'unit_id=%s is not present in table "organisation_orgunit"', missing);
    END IF;
    RETURN NULL;
END
$$
"""

PARENT_KEPT_0003 = """
CREATE FUNCTION followup_outcome_{column}_kept() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    gone bigint;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        PERFORM 1 FROM old_rows d WHERE NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.id = d.id);
        IF NOT FOUND THEN
            RETURN NULL;  -- no id changed
        END IF;
    END IF;
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
            MESSAGE = 'rows of "{parent}" may only be deleted or have their id changed '
                'in READ COMMITTED (outcomes refer to them)';
    END IF;
    IF TG_OP = 'DELETE' THEN
        SELECT o.{column} INTO gone FROM old_rows d
            JOIN followup_outcome o ON o.{column} = d.id LIMIT 1;
    ELSE
        SELECT o.{column} INTO gone FROM old_rows d
            JOIN followup_outcome o ON o.{column} = d.id
            WHERE NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.id = d.id) LIMIT 1;
    END IF;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
            MESSAGE = format('update or delete on table "{parent}": '
                'id=%s is still referenced from table "followup_outcome"', gone);
    END IF;
    RETURN NULL;
END
$$
"""


def _foreign_key(cursor, table: str, column: str) -> str | None:
    """The name of the foreign key constraint on `table`.`column`, if there is one."""
    cursor.execute(
        """SELECT c.conname FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.conrelid = %s::regclass AND c.contype = 'f' AND a.attname = %s""",
        [table, column],
    )
    row = cursor.fetchone()
    return row[0] if row else None


def _add_foreign_key(cursor, table: str, column: str, parent: str) -> None:
    """Back to an ordinary foreign key constraint (checked now, on the existing rows)."""
    if _foreign_key(cursor, table, column) is None:
        cursor.execute(
            f'ALTER TABLE {table} ADD CONSTRAINT "{table}_{column}_fk" '
            f"FOREIGN KEY ({column}) REFERENCES {parent} (id) DEFERRABLE INITIALLY DEFERRED"
        )


def _drop_foreign_key(cursor, table: str, column: str) -> None:
    name = _foreign_key(cursor, table, column)
    if name is not None:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')


def install_parent_checks(apps, schema_editor) -> None:
    """Migration 0003: the outcome's indicator and unit checked per statement."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for column, _parent in OUTCOME_PARENTS:
            _drop_foreign_key(cursor, OUTCOME, column)
        cursor.execute(PARENTS_EXIST_0003)
        for event in ("INSERT", "UPDATE"):
            cursor.execute(
                f"CREATE TRIGGER followup_outcome_parents_{event.lower()} AFTER {event} "
                f"ON {OUTCOME} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
                "EXECUTE FUNCTION followup_outcome_parents_exist()"
            )
        for column, parent in OUTCOME_PARENTS:
            cursor.execute(PARENT_KEPT_0003.format(column=column, parent=parent))
            cursor.execute(
                f"CREATE TRIGGER followup_outcome_{column}_kept_delete AFTER DELETE "
                f"ON {parent} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
                f"EXECUTE FUNCTION followup_outcome_{column}_kept()"
            )
            cursor.execute(
                f"CREATE TRIGGER followup_outcome_{column}_kept_update AFTER UPDATE "
                f"ON {parent} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
                f"FOR EACH STATEMENT EXECUTE FUNCTION followup_outcome_{column}_kept()"
            )


def remove_parent_checks(apps, schema_editor) -> None:
    """Migration 0003 reversed: foreign key constraints again, validated on the rows.
    A trigger already missing is no obstacle (going back and forth restores them)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for column, parent in OUTCOME_PARENTS:
            for event in ("delete", "update"):
                cursor.execute(
                    f"DROP TRIGGER IF EXISTS followup_outcome_{column}_kept_{event} ON {parent}"
                )
            cursor.execute(f"DROP FUNCTION IF EXISTS followup_outcome_{column}_kept()")
        for event in ("insert", "update"):
            cursor.execute(f"DROP TRIGGER IF EXISTS followup_outcome_parents_{event} ON {OUTCOME}")
        cursor.execute("DROP FUNCTION IF EXISTS followup_outcome_parents_exist()")
        for column, parent in OUTCOME_PARENTS:
            _add_foreign_key(cursor, OUTCOME, column, parent)


# --- migration 0004: the user, and 0003's check rewritten --------------------------

# One pair of functions serves both references to the user; the trigger's arguments
# name the column and the tables.
REFERENCES_EXIST_0004 = """
CREATE FUNCTION styrkort_references_exist() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    col text := TG_ARGV[0];
    parent text := TG_ARGV[1];
    missing bigint;
    refs bigint[];
BEGIN
    -- One pass over the new rows; a system import refers to no user at all.
    EXECUTE format('SELECT array_agg(DISTINCT %I) FROM new_rows WHERE %I IS NOT NULL',
        col, col) INTO refs;
    IF refs IS NULL THEN
        RETURN NULL;
    END IF;
    -- Lock what the new rows refer to, as a foreign key check does.
    EXECUTE format('SELECT 1 FROM %I WHERE id = ANY($1) FOR KEY SHARE', parent) USING refs;
    EXECUTE format('SELECT min(n.ref) FROM unnest($1) n(ref) '
        'WHERE NOT EXISTS (SELECT 1 FROM %I p WHERE p.id = n.ref)', parent)
        INTO missing USING refs;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
            MESSAGE = format('insert or update on table "%s": %s=%s is not present in '
                'table "%s"', TG_TABLE_NAME, col, missing, parent);
    END IF;
    RETURN NULL;
END
$$
"""

REFERENCES_KEPT_0004 = """
CREATE FUNCTION styrkort_references_kept() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    child text := TG_ARGV[0];
    col text := TG_ARGV[1];
    gone bigint;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        PERFORM 1 FROM old_rows d WHERE NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.id = d.id);
        IF NOT FOUND THEN
            RETURN NULL;  -- no id changed
        END IF;
    END IF;
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
            MESSAGE = format('rows of "%s" may only be deleted or have their id changed '
                'in READ COMMITTED (%s refers to them)', TG_TABLE_NAME, child);
    END IF;
    IF TG_OP = 'DELETE' THEN
        EXECUTE format('SELECT c.%I FROM old_rows d JOIN %I c ON c.%I = d.id LIMIT 1',
            col, child, col) INTO gone;
    ELSE
        EXECUTE format('SELECT c.%I FROM old_rows d JOIN %I c ON c.%I = d.id '
            'WHERE NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.id = d.id) LIMIT 1',
            col, child, col) INTO gone;
    END IF;
    IF gone IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
            MESSAGE = format('update or delete on table "%s": id=%s is still referenced '
                'from table "%s"', TG_TABLE_NAME, gone, child);
    END IF;
    RETURN NULL;
END
$$
"""

# Migration 0003's check of indicator and unit, reading the new rows once instead of four
# times (the same guarantees, half the time per batch of an import).
PARENTS_EXIST_0004 = """
CREATE OR REPLACE FUNCTION followup_outcome_parents_exist() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    indicators bigint[];
    units bigint[];
    missing bigint;
BEGIN
    SELECT array_agg(DISTINCT indicator_id), array_agg(DISTINCT unit_id)
        INTO indicators, units FROM new_rows;
    IF indicators IS NULL THEN
        RETURN NULL;
    END IF;
    -- Lock what the new rows refer to, as a foreign key check does.
    PERFORM 1 FROM planning_indicator WHERE id = ANY(indicators) FOR KEY SHARE;
    PERFORM 1 FROM organisation_orgunit WHERE id = ANY(units) FOR KEY SHARE;
    SELECT min(n.id) INTO missing FROM unnest(indicators) n(id)
        WHERE NOT EXISTS (SELECT 1 FROM planning_indicator p WHERE p.id = n.id);
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
            MESSAGE = format('insert or update on table "followup_outcome": '
                'indicator_id=%s is not present in table "planning_indicator"', missing);
    END IF;
    SELECT min(n.id) INTO missing FROM unnest(units) n(id)
        WHERE NOT EXISTS (SELECT 1 FROM organisation_orgunit p WHERE p.id = n.id);
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
            MESSAGE = format('insert or update on table "followup_outcome": '
                'unit_id=%s is not present in table "organisation_orgunit"', missing);
    END IF;
    RETURN NULL;
END
$$
"""


def install_user_checks(apps, schema_editor) -> None:
    """Migration 0004: the references to the user checked per statement, and 0003's
    check of indicator and unit rewritten."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(PARENTS_EXIST_0004)
        cursor.execute(REFERENCES_EXIST_0004)
        cursor.execute(REFERENCES_KEPT_0004)
        for table, column in USER_REFERENCES:
            _drop_foreign_key(cursor, table, column)
            for event in ("INSERT", "UPDATE"):
                cursor.execute(
                    f"CREATE TRIGGER {table}_{column}_exists_{event.lower()} AFTER {event} "
                    f"ON {table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
                    f"EXECUTE FUNCTION styrkort_references_exist('{column}', '{USER}')"
                )
            cursor.execute(
                f"CREATE TRIGGER {table}_{column}_kept_delete AFTER DELETE ON {USER} "
                "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
                f"EXECUTE FUNCTION styrkort_references_kept('{table}', '{column}')"
            )
            cursor.execute(
                f"CREATE TRIGGER {table}_{column}_kept_update AFTER UPDATE ON {USER} "
                "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
                f"EXECUTE FUNCTION styrkort_references_kept('{table}', '{column}')"
            )


def remove_user_checks(apps, schema_editor) -> None:
    """Migration 0004 reversed: foreign key constraints to the user again, validated on
    the rows, and 0003's check of indicator and unit as 0003 wrote it."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table, column in USER_REFERENCES:
            for event in ("insert", "update"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_{column}_exists_{event} ON {table}")
            for event in ("delete", "update"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_{column}_kept_{event} ON {USER}")
            _add_foreign_key(cursor, table, column, USER)
        cursor.execute("DROP FUNCTION IF EXISTS styrkort_references_kept()")
        cursor.execute("DROP FUNCTION IF EXISTS styrkort_references_exist()")
        cursor.execute(PARENTS_EXIST_0003.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION"))


# --- what the check looks at --------------------------------------------------------


def missing_triggers(cursor, expected) -> list[str]:
    """The triggers of `expected` ((table, trigger name) pairs) that are absent or
    disabled, as "table.trigger"."""
    tables = sorted({table for table, _name in expected})
    cursor.execute(
        """SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE t.tgrelid = ANY(SELECT to_regclass(name) FROM unnest(%s::text[]) AS name)
            AND NOT t.tgisinternal AND t.tgenabled <> 'D'""",
        [tables],
    )
    present = set(cursor.fetchall())
    return [f"{table}.{name}" for table, name in expected if (table, name) not in present]


# --- the bulk write (styrkort.io.writers.OutcomeWriter) -----------------------------

STAGE = "styrkort_outcome_stage"
STAGE_COLUMNS = (
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
STAGE_TYPES = (
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

WRITE_SETUP = (
    # References checked as each batch is merged (while the next one is being read)
    # rather than all at once at commit; only in this transaction.
    "SET CONSTRAINTS ALL IMMEDIATE",
    # Each merge runs about a second and is planned once per batch: compiling it to
    # machine code (JIT) costs more than it saves. Only in this transaction.
    "SET LOCAL jit = off",
    f"DROP TABLE IF EXISTS {STAGE}",
    f"""CREATE TEMPORARY TABLE {STAGE} (
        indicator_id bigint NOT NULL, unit_id bigint NOT NULL,
        period varchar(16) NOT NULL, period_start date NOT NULL,
        period_end date NOT NULL, sex varchar(8) NOT NULL,
        value double precision, numerator double precision,
        denominator double precision, bounded_ratio boolean NOT NULL,
        data_source varchar(200) NOT NULL, note text NOT NULL
    ) ON COMMIT DROP""",
)
EMPTY_STAGE = f"TRUNCATE {STAGE}"
COPY_TO_STAGE = f"COPY {STAGE} ({', '.join(STAGE_COLUMNS)}) FROM STDIN (FORMAT BINARY)"
DROP_STAGE = f"DROP TABLE {STAGE}"


def merge_statement(*, source: str, user: str, now: str) -> str:
    """The statement that merges the stage into the outcomes and writes their history:
    new outcomes inserted (history ``'+'``), changed ones updated (``'~'``), unchanged
    ones untouched, exactly as the service path. Its one result row counts the created
    and the updated outcomes. `source`, `user` (the user's id or NULL) and `now` are SQL
    literals."""
    from .models import Outcome

    history_model = Outcome.history.model
    tracked = [
        f.column for f in history_model._meta.concrete_fields if not f.name.startswith("history_")
    ]
    tracked_sql = ", ".join(f'"{c}"' for c in tracked)
    history_cols = (
        f"{tracked_sql}, history_date, history_change_reason, history_type, history_user_id"
    )
    return f"""WITH written AS (
            INSERT INTO {Outcome._meta.db_table} AS o (
                indicator_id, unit_id, period, period_start, period_end, sex, value,
                numerator, denominator, bounded_ratio, source, data_source, note,
                created_at, updated_at, updated_by_id)
            SELECT t.indicator_id, t.unit_id, t.period, t.period_start, t.period_end,
                t.sex, t.value, t.numerator, t.denominator, t.bounded_ratio, {source},
                t.data_source, t.note, {now}, {now}, {user}
            FROM {STAGE} t
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
            INSERT INTO {history_model._meta.db_table} ({history_cols})
            SELECT {tracked_sql}, {now}, NULL,
                CASE WHEN inserted THEN '+' ELSE '~' END, {user}
            FROM written
            RETURNING history_type
        )
        SELECT count(*) FILTER (WHERE history_type = '+'),
               count(*) FILTER (WHERE history_type = '~')
        FROM logged"""
