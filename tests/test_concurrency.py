"""The one rule of no lost update (styrkort.concurrency): versions derived from the row,
the comparison of the version a save is based on with the stored one, the If-Match
header and the conflict message."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from styrkort.concurrency import (
    ANY,
    StaleVersionError,
    check_version,
    etag,
    fingerprint,
    is_stale,
    parse_if_match,
    version_of,
    when_text,
)

MOMENT = dt.datetime(2022, 4, 30, 10, 15, 2, 123456, tzinfo=dt.UTC)


def _row(moment=MOMENT, **fields):
    user = SimpleNamespace(get_full_name=lambda: "Anna Rapportör", get_username=lambda: "anna")
    return SimpleNamespace(updated_at=moment, updated_by=user, **fields)


def test_a_timestamped_row_has_its_time_to_the_microsecond_as_version():
    assert version_of(_row()) == "t20220430T101502.123456Z"
    later = _row(MOMENT + dt.timedelta(microseconds=1))
    assert version_of(later) != version_of(_row())


def test_the_version_is_the_same_instant_in_any_time_zone():
    stockholm = MOMENT.astimezone(dt.timezone(dt.timedelta(hours=2)))
    assert version_of(_row(stockholm)) == version_of(_row())


def test_no_object_has_the_empty_version():
    assert version_of(None) == ""


def test_a_fingerprint_ignores_key_order_and_follows_every_value():
    a = {"name": "Medborgare", "goals": [1, 2], "start": dt.date(2022, 1, 1)}
    b = {"start": dt.date(2022, 1, 1), "goals": [1, 2], "name": "Medborgare"}
    assert fingerprint(a) == fingerprint(b)
    assert fingerprint(a).startswith("h") and len(fingerprint(a)) == 33
    assert fingerprint({**a, "goals": [2, 1]}) != fingerprint(a)
    assert fingerprint({**a, "name": "Medborgare "}) != fingerprint(a)


def test_a_row_without_updated_at_is_versioned_by_its_representation():
    obj = SimpleNamespace(name="Plan")
    assert version_of(obj, {"name": "Plan"}) == fingerprint({"name": "Plan"})


@pytest.mark.parametrize(
    ("current", "expected", "stale"),
    [
        ("t1", None, False),  # no check (imports, the command line)
        ("t1", "t1", False),
        ("t2", "t1", True),
        ("t1", ["t0", "t1"], False),  # If-Match with several tags
        ("t2", ["t0", "t1"], True),
        ("t1", [], True),  # only weak tags: nothing matches
        ("t1", ANY, False),
        ("", ANY, True),  # * needs an object
        ("", "", False),  # no object read, none stored
        ("t1", "", True),  # no object read, someone has created one
        ("", "t1", True),  # deleted since
    ],
)
def test_the_rule(current, expected, stale):
    assert is_stale(current, expected) is stale


def test_a_stale_save_names_the_object_the_person_the_time_and_the_value():
    row = _row(value=31180.0)
    with pytest.raises(StaleVersionError) as caught:
        check_version(
            row,
            "t20220430T090000.000000Z",
            what="utfallet för Läkarbesök",
            value=lambda r: "31 180",
        )
    exc = caught.value
    assert isinstance(exc, ValidationError)  # every door that refuses bad input refuses it
    assert exc.version == version_of(row)
    assert exc.value == "31 180"
    assert exc.saved_at == MOMENT
    assert exc.saved_by.get_full_name() == "Anna Rapportör"
    assert exc.detail.startswith("Utfallet för Läkarbesök har ändrats sedan du läste det")
    assert "sparat av Anna Rapportör" in exc.detail
    assert "2022-04-30 kl. 12:15" in exc.detail  # Stockholm time
    assert exc.detail.endswith("Nu: 31 180.")
    assert exc.message_dict == {"version": [exc.detail]}


def test_the_current_version_passes():
    row = _row()
    check_version(row, version_of(row), what="x")
    check_version(row, None, what="x")
    check_version(None, "", what="x")


def test_an_object_deleted_since_is_named_as_deleted():
    with pytest.raises(StaleVersionError) as caught:
        check_version(None, "t1", what="analysen av Läkarbesök", value="gammalt")
    assert caught.value.version == ""
    assert caught.value.detail == "Analysen av Läkarbesök har tagits bort sedan du läste det."


def test_today_shows_only_the_clock():
    now = timezone.now()
    assert when_text(now, now=now) == "kl. " + timezone.localtime(now).strftime("%H:%M")
    assert when_text(None) == ""


@pytest.mark.parametrize(
    ("header", "versions"),
    [
        (None, None),
        ("", None),
        ("  ", None),
        ("*", ["*"]),
        ('"t1"', ["t1"]),
        ('"t1", "h2"', ["t1", "h2"]),
        ('W/"t1"', []),
        ('W/"t1", "t2"', ["t2"]),
        ("t1", ["t1"]),  # unquoted: read leniently
    ],
)
def test_if_match(header, versions):
    assert parse_if_match(header) == versions


def test_etag_is_quoted_and_reads_back():
    assert etag("t1") == '"t1"'
    assert parse_if_match(etag("t1")) == ["t1"]
