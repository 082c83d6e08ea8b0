"""The outcome's references to its indicator, unit and user are guaranteed by the database.

On PostgreSQL they are enforced per statement by triggers (followup migrations 0003 and
0004) instead of per-row foreign key checks, so that a bulk import checks 50 000 rows
with a few queries; these tests hold the triggers to what a foreign key guarantees."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from styrkort.followup.models import Outcome
from styrkort.planning.models import Indicator

WORLD = {"plans": False}

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's statement-level checks"
)


def _outcome(indicator, unit, period="2022-03"):
    return Outcome.objects.create(indicator=indicator, unit=unit, period=period, value=5)


def _sql(statement: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_an_outcome_for_a_missing_indicator_or_unit_is_refused(world):
    missing = Indicator.objects.order_by("-id").first().id + 1000
    insert = (
        "INSERT INTO followup_outcome (indicator_id, unit_id, period, period_start,"
        " period_end, sex, value, bounded_ratio, source, data_source, note, created_at,"
        " updated_at) VALUES (%s, %s, '2022-03', '2022-03-01', '2022-03-31', 'total', 1,"
        " false, 'manual', '', '', now(), now())"
    )
    with pytest.raises(IntegrityError, match="planning_indicator"):
        _sql(insert, [missing, world.ls1.id])
    with pytest.raises(IntegrityError, match="organisation_orgunit"):
        _sql(insert, [world.visits.id, world.ls1.id + 1000])
    _sql(insert, [world.visits.id, world.ls1.id])  # both exist
    outcome = Outcome.objects.get(indicator=world.visits, unit=world.ls1, period="2022-03")
    with pytest.raises(IntegrityError, match="planning_indicator"):
        _sql("UPDATE followup_outcome SET indicator_id = %s WHERE id = %s", [missing, outcome.id])
    outcome.refresh_from_db()
    assert outcome.indicator_id == world.visits.id


def test_a_referenced_indicator_or_unit_cannot_be_deleted_or_renumbered(world):
    ind = Indicator.objects.create(
        organisation=world.org, code="ny", name="Ny", unit="st", aggregation="sum"
    )
    _outcome(ind, world.nc)
    with pytest.raises(IntegrityError, match="still referenced"):
        _sql("DELETE FROM planning_indicator WHERE id = %s", [ind.id])
    with pytest.raises(IntegrityError, match="still referenced"):
        _sql("UPDATE planning_indicator SET id = id + 100000 WHERE id = %s", [ind.id])
    with pytest.raises(IntegrityError, match="still referenced"):
        _sql("DELETE FROM organisation_orgunit WHERE id = %s", [world.nc.id])
    # Other changes to a referenced row, and deleting an unreferenced one, are fine.
    _sql("UPDATE planning_indicator SET name = 'Nytt namn' WHERE id = %s", [ind.id])
    Outcome.objects.filter(indicator=ind).delete()
    _sql("DELETE FROM planning_indicator WHERE id = %s", [ind.id])
    assert not Indicator.objects.filter(id=ind.id).exists()


@pytest.mark.django_db(transaction=True)
def test_deleting_a_parent_is_refused_outside_read_committed():
    from worlds import build_world

    world = build_world(plans=False)
    ind = Indicator.objects.create(
        organisation=world.org, code="ny", name="Ny", unit="st", aggregation="sum"
    )
    with (
        pytest.raises(IntegrityError, match="READ COMMITTED"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("DELETE FROM planning_indicator WHERE id = %s", [ind.id])
    _sql("DELETE FROM planning_indicator WHERE id = %s", [ind.id])  # READ COMMITTED
    assert not Indicator.objects.filter(id=ind.id).exists()


def test_an_outcome_or_history_row_for_a_missing_user_is_refused(world):
    from styrkort.accounts.models import User

    missing = User.objects.order_by("-id").first().id + 1000
    outcome = _outcome(world.visits, world.ls1)
    absent = r'=\d+ is not present in table "accounts_user"'
    with pytest.raises(IntegrityError, match="updated_by_id" + absent):
        _sql("UPDATE followup_outcome SET updated_by_id = %s WHERE id = %s", [missing, outcome.id])
    with pytest.raises(IntegrityError, match="history_user_id" + absent):
        _sql(
            "UPDATE followup_historicaloutcome SET history_user_id = %s WHERE id = %s",
            [missing, outcome.id],
        )
    reporter = world.users.reporter
    _sql("UPDATE followup_outcome SET updated_by_id = %s WHERE id = %s", [reporter.id, outcome.id])
    outcome.refresh_from_db()
    assert outcome.updated_by_id == reporter.id


def test_a_user_referred_to_is_kept_until_django_clears_the_references(world):
    from styrkort.followup.services import record_outcome

    reporter = world.users.reporter
    outcome = record_outcome(
        user=reporter, indicator=world.visits, unit=world.ls1, period="2022-03", value=7
    )
    assert outcome.updated_by_id == reporter.id
    assert outcome.history.filter(history_user=reporter).exists()
    with pytest.raises(IntegrityError, match="still referenced"):
        _sql("DELETE FROM accounts_user WHERE id = %s", [reporter.id])
    _sql("UPDATE accounts_user SET first_name = 'Ny' WHERE id = %s", [reporter.id])
    reporter_id = reporter.id
    reporter.delete()  # on_delete=SET_NULL: Django empties both references first
    outcome.refresh_from_db()
    assert outcome.updated_by_id is None
    assert not outcome.history.filter(history_user_id=reporter_id).exists()
    assert outcome.history.count() == 1
