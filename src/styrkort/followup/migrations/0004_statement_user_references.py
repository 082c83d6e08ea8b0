"""On PostgreSQL the two references to the user that every outcome row carries (the
outcome's ``updated_by`` and its history row's ``history_user``) enforced once per
statement instead of once per row, as migration 0003 did for indicator and unit.

A foreign key fires a trigger for every inserted row even when the reference is empty
(a system import writes none): two per imported outcome, about 6 % of PostgreSQL's work
in a bulk import. The triggers installed here guarantee the same for a whole statement:

* after any INSERT or UPDATE on ``followup_outcome`` or ``followup_historicaloutcome``
  the users the new rows refer to are locked ``FOR KEY SHARE`` (as a foreign key check
  locks them) and the statement fails with SQLSTATE 23503 if one does not exist;
* after any DELETE or id change on ``accounts_user`` the statement fails with 23503 if
  a removed id is still referred to. Django sets both references to NULL before it
  deletes a user (``on_delete=SET_NULL``), so deleting a user through the application
  works as before. Outside READ COMMITTED such deletes are refused outright (see 0003).

One pair of functions serves both references; the trigger's arguments name the column
and the tables. Migration 0003's check of indicator and unit is rewritten to read the
new rows once instead of four times. Django's model state keeps the foreign keys. SQLite keeps its foreign
keys.
"""

from django.db import migrations

USER_TABLE = "accounts_user"
# (referring table, column)
REFERENCES = (
    ("followup_outcome", "updated_by_id"),
    ("followup_historicaloutcome", "history_user_id"),
)

CHILD_FUNCTION = """
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

PARENT_FUNCTION = """
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
PARENTS_FUNCTION = """
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


def _constraint(cursor, table: str, column: str) -> str | None:
    cursor.execute(
        """SELECT c.conname FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.conrelid = %s::regclass AND c.contype = 'f' AND a.attname = %s""",
        [table, column],
    )
    row = cursor.fetchone()
    return row[0] if row else None


def statement_references(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(PARENTS_FUNCTION)
        cursor.execute(CHILD_FUNCTION)
        cursor.execute(PARENT_FUNCTION)
        for table, column in REFERENCES:
            name = _constraint(cursor, table, column)
            if name is not None:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for event in ("INSERT", "UPDATE"):
                cursor.execute(
                    f"CREATE TRIGGER {table}_{column}_exists_{event.lower()} AFTER {event} "
                    f"ON {table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
                    f"EXECUTE FUNCTION styrkort_references_exist('{column}', '{USER_TABLE}')"
                )
            cursor.execute(
                f"CREATE TRIGGER {table}_{column}_kept_delete AFTER DELETE ON {USER_TABLE} "
                "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
                f"EXECUTE FUNCTION styrkort_references_kept('{table}', '{column}')"
            )
            cursor.execute(
                f"CREATE TRIGGER {table}_{column}_kept_update AFTER UPDATE ON {USER_TABLE} "
                "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
                f"EXECUTE FUNCTION styrkort_references_kept('{table}', '{column}')"
            )


def row_references(apps, schema_editor):
    """Back to ordinary foreign key constraints (checked now, on the existing rows)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table, column in REFERENCES:
            for event in ("insert", "update"):
                cursor.execute(f"DROP TRIGGER {table}_{column}_exists_{event} ON {table}")
            for event in ("delete", "update"):
                cursor.execute(f"DROP TRIGGER {table}_{column}_kept_{event} ON {USER_TABLE}")
            if _constraint(cursor, table, column) is None:
                cursor.execute(
                    f'ALTER TABLE {table} ADD CONSTRAINT "{table}_{column}_fk" '
                    f"FOREIGN KEY ({column}) REFERENCES {USER_TABLE} (id) "
                    "DEFERRABLE INITIALLY DEFERRED"
                )
        cursor.execute("DROP FUNCTION styrkort_references_kept()")
        cursor.execute("DROP FUNCTION styrkort_references_exist()")
        cursor.execute(
            _previous_parents_function().replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")
        )


def _previous_parents_function() -> str:
    import importlib

    module = importlib.import_module(
        "styrkort.followup.migrations.0003_lean_indexes_statement_foreign_keys"
    )
    return module.CHILD_FUNCTION


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0003_lean_indexes_statement_foreign_keys"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(statement_references, row_references)]
