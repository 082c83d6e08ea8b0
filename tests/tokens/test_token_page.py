"""Mina API-nycklar (/konto/nycklar/): the owner creates, sees and revokes their tokens;
a superuser revokes anyone's in the admin. The accessibility report form is rate
limited per address."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from styrkort.accounts import tokens
from styrkort.accounts.models import User
from styrkort.web import ratelimit
from styrkort.web.models import BarrierReport

pytestmark = pytest.mark.django_db

WORLD = {"plans": False}
PAGE = "/konto/nycklar/"


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def works(token: str) -> bool:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/units/").status_code == 200


def test_the_page_is_for_signed_in_people(world):
    response = Client().get(PAGE)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert reverse("api_tokens") == PAGE


def test_owner_creates_sees_and_revokes_tokens_on_the_page(world):
    client = Client()
    client.force_login(world.users.reader)
    empty = client.get(PAGE)
    assert empty.status_code == 200
    assert "Mina API-nycklar" in text(empty)
    assert "Du har inga gällande API-nycklar." in text(empty)
    assert f'href="{PAGE}" aria-current="page"' in empty.content.decode()  # header link

    created = client.post(PAGE, {"create": "1"})
    assert created.status_code == 200
    shown = re.search(
        r'id="issued-token" type="text" readonly value="([0-9a-f]{64})"', created.content.decode()
    )
    assert shown, "the new token is shown once"
    token = shown.group(1)
    assert works(token)
    assert "visas bara den här gången" in text(created)
    # Listed by its first characters only, never again in full.
    again = client.get(PAGE)
    assert token not in again.content.decode()
    assert f"{token[:8]}…" in text(again)

    other, _row = tokens.issue_token(world.users.reader)
    ids = re.findall(r'name="revoke" value="([0-9a-f]{16})"', client.get(PAGE).content.decode())
    assert len(ids) == 2
    first_id = tokens.token_id_of(AuthToken.objects.get(token_key=token[:15]))
    done = client.post(PAGE, {"revoke": first_id}, follow=True)
    assert "API-nyckeln är återkallad" in text(done)
    assert not works(token) and works(other)

    gone = client.post(PAGE, {"revoke": first_id}, follow=True)
    assert "Du har ingen sådan API-nyckel" in text(gone)

    all_gone = client.post(PAGE, {"revoke_all": "1"}, follow=True)
    assert "1 API-nyckel återkallad." in text(all_gone)
    assert not works(other)


def test_nobody_revokes_someone_elses_token_from_the_page(world):
    token, row = tokens.issue_token(world.users.planner)
    client = Client()
    client.force_login(world.users.reader)
    response = client.post(PAGE, {"revoke": tokens.token_id_of(row)}, follow=True)
    assert "Du har ingen sådan API-nyckel" in text(response)
    assert works(token)
    assert token[:8] not in client.get(PAGE).content.decode()


def test_a_superuser_revokes_anyones_token_in_the_admin(world):
    token, row = tokens.issue_token(world.users.planner)
    root = User.objects.create_superuser("root", password="x-pass-123")
    client = Client()
    client.force_login(root)
    listing = client.get(reverse("admin:api_apitoken_changelist"))
    assert listing.status_code == 200
    page = text(listing)
    assert "API-nycklar" in page and "planner" in page and f"{token[:8]}…" in page
    assert token not in listing.content.decode()
    assert client.get(reverse("admin:api_apitoken_add")).status_code == 403
    response = client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not works(token)


@override_settings(STYRKORT_FEEDBACK_PER_HOUR=3)
def test_the_accessibility_report_form_is_limited_per_address():
    address = "192.0.2.44"
    ratelimit.forget("barrier-report", address)
    anonymous = Client(REMOTE_ADDR=address)
    report = {"page_url": "/", "description": "Knappen går inte att nå med tangentbordet."}
    for _ in range(3):
        assert anonymous.post(reverse("accessibility"), report).status_code == 302
    limited = anonymous.post(reverse("accessibility"), report)
    assert limited.status_code == 429
    assert "För många anmälningar just nu" in text(limited)
    assert "3 anmälningar från din adress den senaste timmen" in text(limited)
    assert BarrierReport.objects.count() == 3
    # Another address still reports.
    other = Client(REMOTE_ADDR="192.0.2.45")
    ratelimit.forget("barrier-report", "192.0.2.45")
    assert other.post(reverse("accessibility"), report).status_code == 302
    assert BarrierReport.objects.count() == 4


@override_settings(STYRKORT_FEEDBACK_PER_HOUR=2)
def test_a_form_with_errors_does_not_use_up_the_limit():
    address = "192.0.2.46"
    ratelimit.forget("barrier-report", address)
    client = Client(REMOTE_ADDR=address)
    for _ in range(3):
        bad = client.post(reverse("accessibility"), {"description": " "})
        assert bad.status_code == 200 and "Beskriv problemet" in bad.content.decode()
    good = {"description": "Texten har för låg kontrast."}
    assert client.post(reverse("accessibility"), good).status_code == 302
    assert client.post(reverse("accessibility"), good).status_code == 302
    assert client.post(reverse("accessibility"), good).status_code == 429
