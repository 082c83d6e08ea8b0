"""The outcome's references to indicator, unit and user, and its history row's reference to
the user, are enforced by the database on both vendors although the model declares them
``db_constraint=False``: by statement-level triggers on PostgreSQL
(`styrkort.followup.postgres`), by the tables' own foreign keys on SQLite. The system
check reports a database that has lost them; the followup migrations go back and forth.

(tests/io/test_outcome_foreign_keys.py holds PostgreSQL's triggers to the rest of what a
foreign key guarantees: locks, renumbering, isolation levels.)
"""

from __future__ import annotations

import copy

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from factories import IndicatorFactory, OrganisationFactory, OrgUnitFactory, UserFactory
from styrkort.followup import postgres
from styrkort.followup.checks import check_reference_enforcement, reference_errors
from styrkort.followup.models import Outcome

POSTGRES = connection.vendor == "postgresql"
HistoricalOutcome = Outcome.history.model
BEFORE_TRIGGERS = ("followup", "0002_outcome_without_redundant_indexes")
# PostgreSQL's triggers speak as its foreign keys do; SQLite's commit says this.
FOREIGN_KEY = "is not present in table|still referenced|FOREIGN KEY constraint failed"


def _world():
    org = OrganisationFactory()
    unit = OrgUnitFactory(organisation=org)
    indicator = IndicatorFactory(organisation=org, aggregation="sum")
    user = UserFactory()
    outcome = Outcome(indicator=indicator, unit=unit, period="2022-03", value=5, updated_by=user)
    outcome._history_user = user
    outcome.save()
    return outcome


def _missing(model) -> int:
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000


def _relations() -> dict[tuple[str, str], str]:
    """The foreign key constraints on the reference columns: (table, column) -> parent."""
    found = {}
    with connection.cursor() as cursor:
        for table in {table for table, _column, _parent in postgres.REFERENCES}:
            relations = connection.introspection.get_relations(cursor, table)
            for column, (_field, parent) in relations.items():
                found[(table, column)] = parent
    return {key: found[key] for key in ((t, c) for t, c, _p in postgres.REFERENCES) if key in found}


def _all_triggers():
    return [trigger for triggers in postgres.TRIGGERS.values() for trigger in triggers]


# --- a dangling reference never commits ----------------------------------------------


def _new_row(outcome, field):
    """An outcome (or, for history_user, a history row) with `field` pointing nowhere."""
    from styrkort.accounts.models import User
    from styrkort.organisation.models import OrgUnit
    from styrkort.planning.models import Indicator

    if field == "history_user":
        row = HistoricalOutcome.objects.get(id=outcome.id)
        HistoricalOutcome.objects.filter(history_id=row.history_id).update(
            history_user_id=_missing(User)
        )
        return
    parents = {"indicator": Indicator, "unit": OrgUnit, "updated_by": User}
    values = {"indicator_id": outcome.indicator_id, "unit_id": outcome.unit_id}
    values[f"{field}_id"] = _missing(parents[field])
    row = Outcome(**values, value=1)
    row.set_period("2022-04")
    Outcome.objects.bulk_create([row])


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("field", ["indicator", "unit", "updated_by", "history_user"])
def test_a_dangling_reference_never_commits(field):
    outcome = _world()
    # PostgreSQL refuses the statement, SQLite (deferred foreign keys) the commit.
    with pytest.raises(IntegrityError, match=FOREIGN_KEY), transaction.atomic():
        _new_row(outcome, field)
    assert Outcome.objects.count() == 1
    assert not HistoricalOutcome.objects.filter(history_user__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("table", "attribute"),
    [
        ("planning_indicator", "indicator_id"),
        ("organisation_orgunit", "unit_id"),
        ("accounts_user", "updated_by_id"),
    ],
)
def test_a_referenced_row_cannot_be_deleted(table, attribute):
    outcome = _world()
    if table == "accounts_user":  # the history row refers to the user too
        HistoricalOutcome.objects.update(history_user=None)
    with (
        pytest.raises(IntegrityError, match=FOREIGN_KEY),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [getattr(outcome, attribute)])
    outcome.refresh_from_db()


# --- the check -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_check_passes_on_the_migrated_database():
    assert check_reference_enforcement(databases=["default"]) == []
    assert check_reference_enforcement(databases=None) == []  # only asked with --database


@pytest.mark.django_db
@pytest.mark.skipif(not POSTGRES, reason="PostgreSQL's triggers")
def test_the_check_fails_when_a_trigger_is_dropped_or_disabled():
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER followup_outcome_parents_insert ON followup_outcome")
            cursor.execute(
                "ALTER TABLE accounts_user "
                "DISABLE TRIGGER followup_historicaloutcome_history_user_id_kept_delete"
            )
        errors = check_reference_enforcement(databases=["default"])
        transaction.set_rollback(True)
    assert [e.id for e in errors] == ["followup.E001"]
    assert "followup_outcome.followup_outcome_parents_insert" in errors[0].msg
    assert "accounts_user.followup_historicaloutcome_history_user_id_kept_delete" in errors[0].msg
    assert "updated_by_id_exists_insert" not in errors[0].msg
    assert reference_errors(connection) == []  # rolled back


@pytest.mark.django_db
@pytest.mark.skipif(not POSTGRES, reason="PostgreSQL's triggers")
def test_postgres_enforces_the_references_by_triggers_only():
    assert _relations() == {}  # the state's db_constraint=False is the database's
    with connection.cursor() as cursor:
        assert postgres.missing_triggers(cursor, _all_triggers()) == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(POSTGRES, reason="SQLite's foreign keys")
def test_the_check_fails_when_sqlite_loses_a_foreign_key():
    """A migration that rebuilds a table on SQLite builds it from the model state, which
    has no constraint: the check notices; altering the field to db_constraint=True puts
    the foreign key back."""
    assert _relations()[(postgres.HISTORY, "history_user_id")] == postgres.USER
    field = HistoricalOutcome._meta.get_field("history_user")
    constrained = copy.copy(field)
    constrained.db_constraint = True
    try:
        with connection.schema_editor() as editor:
            editor.alter_field(HistoricalOutcome, constrained, field)  # rebuilt without
        errors = reference_errors(connection)
        assert [e.id for e in errors] == ["followup.E002"]
        assert "followup_historicaloutcome.history_user_id -> accounts_user" in errors[0].msg
    finally:
        with connection.schema_editor() as editor:
            editor.alter_field(HistoricalOutcome, field, constrained)
    assert reference_errors(connection) == []


# --- the migrations, back and forth ----------------------------------------------------


def _migrate(target) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


@pytest.mark.django_db(transaction=True)
def test_followup_migrates_back_before_the_triggers_and_forward_again():
    outcome = _world()
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("followup")
    foreign_keys = {(t, c): p for t, c, p in postgres.REFERENCES}
    if POSTGRES:  # going back and forth is also how a lost trigger is put back
        with connection.cursor() as cursor:
            cursor.execute(
                "DROP TRIGGER followup_outcome_unit_id_kept_update ON organisation_orgunit"
            )
        assert [e.id for e in reference_errors(connection)] == ["followup.E001"]
    try:
        _migrate([BEFORE_TRIGGERS])
        # Ordinary foreign keys on both vendors, validated on the rows already there.
        assert _relations() == foreign_keys
        if POSTGRES:
            with connection.cursor() as cursor:
                assert postgres.missing_triggers(cursor, _all_triggers()) == [
                    f"{table}.{name}" for table, name in _all_triggers()
                ]
        assert reference_errors(connection) == []
    finally:
        _migrate(latest)
    assert _relations() == ({} if POSTGRES else foreign_keys)
    assert reference_errors(connection) == []
    outcome.refresh_from_db()
    assert outcome.history.count() == 1
    with pytest.raises(IntegrityError, match=FOREIGN_KEY), transaction.atomic():
        _new_row(outcome, "indicator")
