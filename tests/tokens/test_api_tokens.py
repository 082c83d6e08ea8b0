"""API tokens: stored as a hash with an expiry, listed and revoked by their owner through
the API, refused once expired, and ended when the owner's password changes or the
account is deactivated, whatever changed it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

WORLD = {"plans": False}


def obtain(username: str, password: str, address: str = "10.1.0.1"):
    return APIClient(REMOTE_ADDR=address).post(
        "/api/token/", {"username": username, "password": password}, format="json"
    )


def signed(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_token_is_stored_hashed_and_expires(world, password):
    response = obtain("reader", password)
    assert response.status_code == 200, response.content
    body = response.json()
    token = body["token"]
    row = AuthToken.objects.get(user=world.users.reader)
    # Only the hash is kept: the token is in no column of its row.
    assert token not in {row.digest, row.token_key} and not row.digest.startswith(token[:16])
    assert len(row.digest) == 128
    days = (row.expiry - timezone.now()).total_seconds() / 86400
    assert 29.9 < days <= 30  # STYRKORT_API_TOKEN_DAYS
    assert body["expiry"].startswith(timezone.localtime(row.expiry).date().isoformat())
    assert signed(token).get("/api/units/").status_code == 200


def test_bad_credentials_and_bad_input_are_400_in_swedish(world, password):
    wrong = obtain("reader", "fel")
    assert wrong.status_code == 400
    assert wrong.json() == {"non_field_errors": ["Fel användarnamn eller lösenord."]}
    missing = APIClient().post("/api/token/", {"username": "reader"}, format="json")
    assert missing.status_code == 400 and "password" in missing.json()
    not_text = APIClient().post(
        "/api/token/", {"username": ["reader"], "password": password}, format="json"
    )
    assert not_text.status_code == 400 and "username" in not_text.json()
    assert AuthToken.objects.count() == 0


def test_an_expired_token_is_refused_and_deleted(world, password):
    token = obtain("reader", password).json()["token"]
    AuthToken.objects.filter(user=world.users.reader).update(
        expiry=timezone.now() - timedelta(seconds=1)
    )
    response = signed(token).get("/api/units/")
    assert response.status_code == 401
    assert "Ogiltig eller utgången API-nyckel" in response.json()["detail"]
    assert response["WWW-Authenticate"] == "Token"
    assert not AuthToken.objects.filter(user=world.users.reader).exists()


def test_a_changed_password_ends_the_tokens(world, password):
    token = obtain("reporter", password).json()["token"]
    other = obtain("reader", password).json()["token"]
    user = world.users.reporter
    user.set_password("ett-helt-nytt-losenord-7")
    user.save()
    assert signed(token).get("/api/units/").status_code == 401
    assert not AuthToken.objects.filter(user=user).exists()
    assert signed(other).get("/api/units/").status_code == 200  # someone else's stays
    # A new token with the new password works.
    fresh = obtain("reporter", "ett-helt-nytt-losenord-7").json()["token"]
    assert signed(fresh).get("/api/units/").status_code == 200


def test_saving_the_user_without_a_new_password_keeps_the_tokens(world, password):
    token = obtain("reporter", password).json()["token"]  # also writes last_login
    user = world.users.reporter
    user.refresh_from_db()
    user.first_name = "Rita"
    user.save()
    assert signed(token).get("/api/units/").status_code == 200


def test_a_deactivated_account_loses_its_tokens(world, password):
    token = obtain("planner", password).json()["token"]
    user = world.users.planner
    user.is_active = False
    user.save()
    assert not AuthToken.objects.filter(user=user).exists()
    response = signed(token).get("/api/units/")
    assert response.status_code == 401


def test_a_token_of_an_account_deactivated_behind_the_models_back_is_refused(world, password):
    """An update that skips save() leaves the row, but the token is refused at once."""
    token = obtain("planner", password).json()["token"]
    type(world.users.planner).objects.filter(pk=world.users.planner.pk).update(is_active=False)
    response = signed(token).get("/api/units/")
    assert response.status_code == 401
    assert response.json()["detail"] == "Kontot är inaktiverat."


def test_owner_lists_and_revokes_tokens_through_the_api(world, password):
    first = obtain("reader", password).json()
    second = obtain("reader", password).json()
    mine = signed(second["token"]).get("/api/tokens/")
    assert mine.status_code == 200
    listed = mine.json()
    assert [t["token_id"] for t in listed] == [second["token_id"], first["token_id"]]
    assert [t["current"] for t in listed] == [True, False]
    assert listed[0]["prefix"] == second["token"][:8]
    assert all("token" not in t for t in listed)  # never the token itself
    # Another person sees only their own, and cannot revoke the reader's.
    theirs = obtain("reporter", password).json()
    assert [t["token_id"] for t in signed(theirs["token"]).get("/api/tokens/").json()] == [
        theirs["token_id"]
    ]
    stranger = signed(theirs["token"]).delete(f"/api/tokens/{first['token_id']}/")
    assert stranger.status_code == 404
    assert signed(first["token"]).get("/api/units/").status_code == 200
    # Revoke one.
    assert signed(second["token"]).delete(f"/api/tokens/{first['token_id']}/").status_code == 204
    assert signed(first["token"]).get("/api/units/").status_code == 401
    assert signed(second["token"]).get("/api/units/").status_code == 200
    # Log out: the token the request is signed with.
    assert signed(second["token"]).post("/api/token/logout/").status_code == 204
    assert signed(second["token"]).get("/api/units/").status_code == 401
    # Revoke all.
    tokens = [obtain("reader", password).json()["token"] for _ in range(3)]
    done = signed(tokens[0]).post("/api/tokens/revoke-all/")
    assert done.status_code == 200 and done.json() == {"revoked": 3}
    assert all(signed(t).get("/api/units/").status_code == 401 for t in tokens)
    assert signed(theirs["token"]).get("/api/units/").status_code == 200


def test_token_endpoints_need_a_signed_in_owner(world):
    anonymous = APIClient()
    assert anonymous.get("/api/tokens/").status_code == 401
    assert anonymous.post("/api/tokens/revoke-all/").status_code == 401
    assert anonymous.post("/api/token/logout/").status_code == 401
    session = APIClient()
    session.force_login(world.users.reader)
    assert session.get("/api/tokens/").json() == []
    logout = session.post("/api/token/logout/")
    assert logout.status_code == 400 and "API-nyckel" in logout.json()["detail"]
    assert session.delete("/api/tokens/not-a-token-id/").status_code == 404
