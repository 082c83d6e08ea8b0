"""The PostgreSQL import writer (`styrkort.io.writers.OutcomeWriter`: COPY into a stage
table and one merge per batch) writes what the service path
(`styrkort.followup.services.bulk_upsert_outcomes`) writes: the same outcomes, the same
history rows, the same unchanged rows left alone. And it is a service for the write
guard (`styrkort.writes`): its statements pass the guard, the same SQL outside a service
does not."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError

from factories import IndicatorFactory, OrganisationFactory, OrgUnitFactory, UserFactory
from styrkort.followup.models import Outcome
from styrkort.followup.services import OutcomeInput, bulk_upsert_outcomes
from styrkort.io.writers import OutcomeWriter
from styrkort.periods import parse_period
from styrkort.writes import DirectWriteError, guarded, in_service

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's"),
]

HistoricalOutcome = Outcome.history.model
# Compared as written; ids, timestamps and history_id differ between two runs by nature.
OUTCOME_FIELDS = (
    "value",
    "numerator",
    "denominator",
    "bounded_ratio",
    "source",
    "data_source",
    "note",
    "updated_by_id",
    "period_start",
    "period_end",
)
HISTORY_FIELDS = (
    "history_type",
    "history_user_id",
    "history_change_reason",
    *OUTCOME_FIELDS,
)


@pytest.fixture
def world():
    org = OrganisationFactory()
    region = OrgUnitFactory(organisation=org)
    a = OrgUnitFactory(parent=region)
    b = OrgUnitFactory(parent=region)
    visits = IndicatorFactory(organisation=org, aggregation="sum")
    share = IndicatorFactory(
        organisation=org, aggregation="ratio", unit="%", numerator_at_most_denominator=True
    )
    return a, b, visits, share, UserFactory(), UserFactory()


def _rounds(world):
    """Three imports of the same outcomes: new ones, then changes (a value; a note only;
    an empty source, which keeps the stored one), unchanged rows and one more new row, then
    a system import (no user) that changes one row and repeats another."""
    a, b, visits, share, reporter, planner = world

    def row(indicator, unit, period, sex="total", **values):
        return OutcomeInput(indicator, unit, parse_period(period), sex, **values)

    first = [
        row(visits, a, "2022-03", value=5, data_source="Cosmic", note="första"),
        row(visits, b, "2022-03", "women", value=7),
        row(share, a, "2022-DÅ04", numerator=3, denominator=4),
        row(share, b, "2022-T1", "men", numerator=1, denominator=2, note="x"),
    ]
    second = [
        row(visits, a, "2022-03", value=6),  # changed; source and note kept
        row(visits, b, "2022-03", "women", value=7),  # unchanged
        row(share, a, "2022-DÅ04", numerator=3, denominator=4, note="ny anmärkning"),
        row(share, b, "2022-T1", "men", numerator=1, denominator=2),  # unchanged
        row(visits, a, "2022-04", value=1, data_source="Manuellt"),  # new
    ]
    third = [
        row(visits, a, "2022-03", value=6),  # unchanged
        row(visits, b, "2022-03", "women", value=8, data_source="Cosmic"),  # changed
    ]
    return [(reporter, first), (planner, second), (None, third)]


def _key(row) -> tuple:
    return (row.indicator_id, row.unit_id, row.period, row.sex)


def _state() -> tuple[dict, dict]:
    outcomes = {_key(o): o for o in Outcome.objects.all()}
    history: dict[tuple, list] = {}
    for h in HistoricalOutcome.objects.order_by("history_id"):
        assert h.id == outcomes[_key(h)].id
        history.setdefault(_key(h), []).append(tuple(getattr(h, f) for f in HISTORY_FIELDS))
    return outcomes, history


def _import(world, write) -> dict:
    """Run the three rounds with `write(rows, user)`, then roll them back; what was
    written: each round's counts, the outcomes, their history and which rounds touched
    which outcome (its updated_at changed)."""
    counts, touched, stamps = [], set(), {}
    with transaction.atomic():
        for number, (user, rows) in enumerate(_rounds(world)):
            counts.append(write(rows, user).as_dict())
            outcomes, history = _state()
            for key, outcome in outcomes.items():
                if stamps.get(key) != outcome.updated_at:
                    touched.add((number, key))
                stamps[key] = outcome.updated_at
        values = {k: tuple(getattr(o, f) for f in OUTCOME_FIELDS) for k, o in outcomes.items()}
        transaction.set_rollback(True)
    return {"counts": counts, "outcomes": values, "history": history, "touched": touched}


def _copy(rows, user):
    writer = OutcomeWriter(user=user, use_copy=True, batch_rows=2)  # several batches
    writer.extend(rows)
    return writer.finish()


def _service(rows, user):
    return bulk_upsert_outcomes(rows, user=user, check_permissions=False)


def test_the_copy_writer_writes_what_the_service_writes(world):
    copied = _import(world, _copy)
    serviced = _import(world, _service)
    assert (
        copied["counts"]
        == serviced["counts"]
        == [
            {"created": 4, "updated": 0, "unchanged": 0},
            {"created": 1, "updated": 2, "unchanged": 2},
            {"created": 0, "updated": 1, "unchanged": 1},
        ]
    )
    assert copied["outcomes"] == serviced["outcomes"]
    assert copied["history"] == serviced["history"]
    assert copied["touched"] == serviced["touched"]
    # The history tells the story: who, what, in which order.
    a, b, visits, _share, reporter, planner = world
    story = copied["history"][(visits.id, a.id, "2022-03", "total")]
    assert [(h[0], h[1], h[3], h[8], h[9]) for h in story] == [
        ("+", reporter.id, 5, "Cosmic", "första"),
        ("~", planner.id, 6, "Cosmic", "första"),
    ]
    story = copied["history"][(visits.id, b.id, "2022-03", "women")]
    assert [(h[0], h[1], h[3], h[8]) for h in story] == [
        ("+", reporter.id, 7, ""),
        ("~", None, 8, "Cosmic"),  # the system import
    ]


def test_the_copy_writer_passes_the_write_guard(world, settings):
    settings.STYRKORT_WRITE_GUARD = True
    user, rows = _rounds(world)[0]
    statements = []

    def record(execute, sql, params, many, context):
        statements.append((sql.split()[0], in_service()))
        return execute(sql, params, many, context)

    with transaction.atomic(), guarded(), connection.execute_wrapper(record):
        result = _copy(rows, user)
    assert result.created == 4
    assert [kind for kind, _inside in statements] == [
        *("SET", "SET", "DROP", "CREATE"),  # the stage table
        *("TRUNCATE", "COPY", "WITH") * 2,  # two batches of two rows, each merged
        "DROP",
    ]
    assert all(inside for _kind, inside in statements)
    assert not in_service()


def test_the_merge_outside_a_service_is_refused(world, settings):
    settings.STYRKORT_WRITE_GUARD = True
    a, _b, visits, *_ = world
    sql = (
        "WITH written AS (INSERT INTO followup_outcome (indicator_id, unit_id, period,"
        " period_start, period_end, sex, value, bounded_ratio, source, data_source, note,"
        " created_at, updated_at) VALUES (%s, %s, '2022-03', '2022-03-01', '2022-03-31',"
        " 'total', 1, false, 'import', '', '', now(), now()) RETURNING id)"
        " SELECT count(*) FROM written"
    )
    with (
        guarded(),
        pytest.raises(DirectWriteError, match="followup_outcome"),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [visits.id, a.id])
    with guarded(), connection.cursor() as cursor:  # a read-only WITH is not a write
        cursor.execute("WITH t AS (SELECT 1 AS n) SELECT n FROM t")


@pytest.mark.django_db(transaction=True)
def test_the_copy_writer_needs_a_transaction(world):
    """Its stage table and settings last until the commit: outside a transaction the
    writer refuses to start rather than write half an import."""
    user, rows = _rounds(world)[0]
    writer = OutcomeWriter(user=user, use_copy=True)
    writer.extend(rows)
    with pytest.raises(TransactionManagementError):
        writer.finish()
    assert not Outcome.objects.exists()
