"""The signed-in user is read by one plain statement; it must be the same user the ORM
reads, field by field, on SQLite and on PostgreSQL."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from styrkort.accounts.backends import UserBackend, load_user


@pytest.fixture
def anna(db):
    user = get_user_model().objects.create_user(
        "anna", "anna@example.se", "ett-langt-losenord-1", first_name="Anna", last_name="Åberg"
    )
    user.last_login = timezone.make_aware(dt.datetime(2022, 9, 1, 8, 30, 15, 123456))
    user.save()
    return user


def _fields(user) -> dict:
    return {f.attname: getattr(user, f.attname) for f in user._meta.concrete_fields}


def test_the_user_is_the_one_the_orm_reads(anna):
    expected = get_user_model().objects.get(pk=anna.pk)
    loaded = load_user(anna.pk)
    assert _fields(loaded) == _fields(expected)
    assert loaded.is_active is True and loaded.is_superuser is False
    assert loaded.last_login == timezone.make_aware(dt.datetime(2022, 9, 1, 8, 30, 15, 123456))
    assert loaded.get_full_name() == "Anna Åberg"
    assert loaded._state.adding is False and loaded._state.db == "default"
    assert loaded.check_password("ett-langt-losenord-1")


def test_a_user_id_from_the_session_text_works(anna):
    assert load_user(str(anna.pk)).username == "anna"


def test_a_missing_or_inactive_user_is_not_signed_in(anna):
    assert load_user(anna.pk + 1000) is None
    assert UserBackend().get_user(anna.pk).pk == anna.pk
    anna.is_active = False
    anna.save()
    assert UserBackend().get_user(anna.pk) is None
