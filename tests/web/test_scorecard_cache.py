"""The scorecard page is cached whole and shared between users with the same rights; what
is personal (the user's name, the CSRF token) and what changes (any data, the organisation
tree, a message after a redirect) is never served from another request."""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from styrkort.accounts.models import Role
from styrkort.followup.services import record_outcome
from worlds import _user

URL = reverse("scorecard", args=["NLL-LS1"]) + "?period=2022-DÅ04"


def _page(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def _other_organisation_root():
    from styrkort.organisation.models import Organisation, OrgUnit

    other = Organisation.objects.create(code="annan", name="Region Annan")
    return OrgUnit.objects.add_root(
        create_kwargs={
            "organisation": other,
            "code": "ANNAN",
            "name": "Region Annan",
            "type": "region",
        }
    )


def _csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_second_view_reads_only_user_and_rights(world, login):
    client = login(world.users.reader)
    _page(client)
    with CaptureQueriesContext(connection) as ctx:
        page = _page(client)
    # the user and the user's roles (the session and the page's versions come from caches)
    assert len(ctx.captured_queries) == 2, [q["sql"][:80] for q in ctx.captured_queries]
    assert "Division Länssjukvård 1" in page and world.readmit.name in page


@pytest.mark.django_db
def test_shared_page_carries_each_users_own_name_and_a_working_token(world):
    other_reader = _user("lasare2", Role.READER, world.ls1)
    first = _page(_csrf_client(world.users.reader))
    assert '<span class="user-name">Reader Test</span>' in first
    client = _csrf_client(other_reader)
    page = _page(client)
    assert '<span class="user-name">Lasare2 Test</span>' in page
    assert "Reader Test" not in page
    assert "__styrkort_" not in page
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
    assert len(tokens) == 1
    # The token put into the cached page is this session's: the language form posts.
    response = client.post(
        reverse("set_language"),
        {"language": "en", "next": URL, "csrfmiddlewaretoken": tokens.pop()},
    )
    assert response.status_code == 302
    assert 'lang="en"' in _page(client)


@pytest.mark.django_db
def test_cached_unit_still_checks_the_viewer(world, login):
    """The unit is kept between views, the permission check is not: a user of another
    organisation is refused even right after a permitted view."""
    _page(login(world.users.reader))
    outsider = _user("utomstaende", Role.READER, _other_organisation_root())
    assert login(outsider).get(URL).status_code == 403


@pytest.mark.django_db
def test_rights_are_part_of_the_key(world, login):
    reader_page = _page(login(world.users.reader))
    assert ">Rapportera<" not in reader_page
    reporter_page = _page(login(world.users.reporter))
    assert ">Rapportera<" in reporter_page


@pytest.mark.django_db
def test_new_outcome_shows_at_once(world, login):
    client = login(world.users.reader)
    assert "31\u00a0180" not in _page(client)
    record_outcome(
        indicator=world.visits,
        unit=world.ls1,
        period="2022-DÅ04",
        value=31180,
        user=world.users.reporter,
    )
    assert "31\u00a0180" in _page(client)  # Swedish: a no-break space groups thousands


@pytest.mark.django_db
def test_renamed_unit_shows_at_once(world, login):
    client = login(world.users.reader)
    assert "VO Internmedicin" in _page(client)
    world.im.name = "VO Medicin"
    world.im.save()
    page = _page(client)
    assert "VO Medicin" in page and "VO Internmedicin" not in page


@pytest.mark.django_db
def test_message_waiting_is_shown_and_never_cached(world, login, rf):
    client = login(world.users.reader)
    _page(client)  # the page is in the cache
    # A message waiting in the messages cookie, as a redirect after saving leaves it.
    storage = CookieStorage(rf.get("/"))
    client.cookies[storage.cookie_name] = storage._encode(
        [Message(constants.SUCCESS, "Bedömningen är sparad.")]
    )
    assert "Bedömningen är sparad." in _page(client)
    assert "Bedömningen är sparad." not in _page(client)  # shown once, not kept
