"""Sessions are kept in the database and read through a cache every worker process shares:
a signed-in page reads no session row, and signing out, a new password or a deactivated
account takes effect in every worker at once."""

import pytest
from django.conf import settings
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

URL = reverse("scorecard", args=["NLL-LS1"]) + "?period=2022-DÅ04"


def _signed_in(user, password) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": password})
    assert response.status_code == 302
    return client


def _same_cookie(client: Client) -> Client:
    """Another browser tab (or a request served by another worker) with the same cookie."""
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return other


def _sent_to_login(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def _another_worker_cache():
    """The sessions cache as a separate process opens it: a new backend on the same files."""
    return caches.create_connection(settings.SESSION_CACHE_ALIAS)


@pytest.mark.django_db
def test_a_signed_in_page_reads_no_session_row(world, password):
    client = _signed_in(world.users.reader, password)
    assert client.get(URL).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    assert not [q for q in ctx.captured_queries if "django_session" in q["sql"]]


@pytest.mark.django_db
def test_the_session_is_visible_to_every_worker(world, password):
    client = _signed_in(world.users.reader, password)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    stored = _another_worker_cache().get(KEY_PREFIX + key)
    assert stored["_auth_user_id"] == str(world.users.reader.pk)


@pytest.mark.django_db
def test_signing_out_ends_the_session_everywhere(world, password):
    client = _signed_in(world.users.reader, password)
    tab = _same_cookie(client)
    assert tab.get(URL).status_code == 200
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("logout"))
    assert _another_worker_cache().get(KEY_PREFIX + key) is None
    assert _sent_to_login(tab.get(URL))


@pytest.mark.django_db
def test_a_new_password_ends_other_sessions(world, password):
    client = _signed_in(world.users.reader, password)
    assert client.get(URL).status_code == 200
    user = world.users.reader
    user.set_password("ett-helt-nytt-losenord-2026")
    user.save()
    assert _sent_to_login(client.get(URL))


@pytest.mark.django_db
def test_a_deactivated_account_is_signed_out_at_once(world, password):
    client = _signed_in(world.users.reader, password)
    assert client.get(URL).status_code == 200
    type(world.users.reader).objects.filter(pk=world.users.reader.pk).update(is_active=False)
    assert _sent_to_login(client.get(URL))
