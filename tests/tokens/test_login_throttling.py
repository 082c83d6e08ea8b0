"""Login throttling that holds: per account and address, per address across accounts,
the same on the login page and on /api/token/ (429 with a Swedish answer), and the
client's address read from X-Forwarded-For only when a trusted proxy sends it."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from styrkort.accounts.throttling import client_address

pytestmark = pytest.mark.django_db

WORLD = {"plans": False}
PROXY = "10.9.0.2"


def login_page(client: Client, username: str, password: str, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def token(client: APIClient, username: str, password: str, **extra):
    return client.post(
        "/api/token/", {"username": username, "password": password}, format="json", **extra
    )


def test_the_token_endpoint_answers_429_during_a_lock_out(world, password):
    api = APIClient(REMOTE_ADDR="10.2.0.1")
    for _ in range(4):
        assert token(api, "reporter", "fel").status_code == 400
    fifth = token(api, "reporter", "fel")
    right = token(api, "reporter", password)  # even the right password, while locked
    for response in (fifth, right):
        assert response.status_code == 429, response.content
        assert response["Content-Type"] == "application/json"
        assert "För många misslyckade inloggningsförsök" in response.json()["detail"]
        assert "15 minuter" in response.json()["detail"]
        assert response["Retry-After"] == "900"
    # The login page shares the lock: same name, same address.
    page = login_page(Client(REMOTE_ADDR="10.2.0.1"), "reporter", password)
    assert page.status_code == 429
    assert "För många misslyckade inloggningsförsök" in page.content.decode()
    # Another address, or another name from this one, is not locked.
    assert token(APIClient(REMOTE_ADDR="10.2.0.2"), "reporter", password).status_code == 200
    assert token(api, "reader", password).status_code == 200


def test_a_lock_out_on_the_login_page_holds_for_the_token_endpoint(world, password):
    page = Client(REMOTE_ADDR="10.2.1.1")
    for _ in range(5):
        login_page(page, "reader", "fel")
    assert login_page(page, "reader", password).status_code == 429
    assert token(APIClient(REMOTE_ADDR="10.2.1.1"), "reader", password).status_code == 429


@override_settings(STYRKORT_LOGIN_ADDRESS_FAILURE_LIMIT=8)
def test_one_address_trying_every_account_is_locked_per_address(world, password):
    """Two wrong passwords on each account stay under the per-account limit (5), but the
    address is locked after 8 failures across accounts: for every name, also a right
    password; other addresses keep signing in."""
    names = ["admin", "planner", "reporter", "reader"]
    attacker = Client(REMOTE_ADDR="10.3.0.66")
    for name in names:
        for _ in range(2):
            response = login_page(attacker, name, "fel")
    assert response.status_code == 429  # the 8th failure
    assert login_page(attacker, "reader", password).status_code == 429
    assert token(APIClient(REMOTE_ADDR="10.3.0.66"), "admin", password).status_code == 429
    assert login_page(Client(REMOTE_ADDR="10.3.0.67"), "reader", password).status_code == 302


@override_settings(STYRKORT_LOGIN_ADDRESS_FAILURE_LIMIT=8)
def test_signing_in_to_ones_own_account_does_not_clear_the_address_count(world, password):
    attacker = Client(REMOTE_ADDR="10.3.1.66")
    for name in ["admin", "planner", "reporter"]:
        for _ in range(2):
            login_page(attacker, name, "fel")
    # A success resets only that account's failures from this address (reader has none).
    assert login_page(Client(REMOTE_ADDR="10.3.1.66"), "reader", password).status_code == 302
    login_page(attacker, "admin", "fel")
    assert login_page(attacker, "planner", "fel").status_code == 429  # 8 across accounts


def test_behind_an_untrusted_proxy_nobody_locks_another_out_by_name(world, password):
    """Without STYRKORT_TRUSTED_PROXIES, X-Forwarded-For is the client's own text:
    a forged header neither spreads a lock-out nor escapes one."""
    attacker = Client(REMOTE_ADDR="10.4.0.66")
    for forged in ["10.4.0.1", "10.4.0.2", "10.4.0.3", "10.4.0.4", "10.4.0.5"]:
        login_page(attacker, "reporter", "fel", HTTP_X_FORWARDED_FOR=forged)
    # The lock is on the attacker's real address, whatever header it sends next.
    assert (
        login_page(attacker, "reporter", password, HTTP_X_FORWARDED_FOR="10.4.0.99").status_code
        == 429
    )
    # The person whose address was forged signs in.
    assert login_page(Client(REMOTE_ADDR="10.4.0.1"), "reporter", password).status_code == 302


@override_settings(STYRKORT_TRUSTED_PROXIES=[PROXY])
def test_behind_a_trusted_proxy_each_client_is_throttled_on_its_own(world, password):
    """Every request arrives from the proxy: the X-Forwarded-For it adds names the client,
    so one client's failures lock that client only."""
    via_proxy = Client(REMOTE_ADDR=PROXY)
    for _ in range(5):
        login_page(via_proxy, "reporter", "fel", HTTP_X_FORWARDED_FOR="198.51.100.7")
    locked = login_page(via_proxy, "reporter", password, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert locked.status_code == 429
    other = login_page(via_proxy, "reporter", password, HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert other.status_code == 302
    # A client cannot escape by writing its own X-Forwarded-For: the proxy appends the
    # address it saw, and that right-most untrusted entry is the one believed.
    escaped = login_page(
        Client(REMOTE_ADDR=PROXY),
        "reporter",
        password,
        HTTP_X_FORWARDED_FOR="203.0.113.50, 198.51.100.7",
    )
    assert escaped.status_code == 429


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        ("10.0.0.5", "", [], "10.0.0.5"),
        ("10.0.0.5", "1.2.3.4", [], "10.0.0.5"),  # no proxy trusted: the header is ignored
        ("10.0.0.5", "1.2.3.4", ["10.9.0.0/16"], "10.0.0.5"),  # not from a trusted proxy
        ("10.9.0.2", "1.2.3.4", ["10.9.0.0/16"], "1.2.3.4"),
        ("10.9.0.2", "6.6.6.6, 1.2.3.4", ["10.9.0.0/16"], "1.2.3.4"),  # spoofed left part
        ("10.9.0.2", "1.2.3.4, 10.9.0.7", ["10.9.0.0/16"], "1.2.3.4"),  # two proxies
        ("10.9.0.2", "10.9.0.8", ["10.9.0.0/16"], "10.9.0.8"),  # only proxies: the first
        ("10.9.0.2", "nonsense, 1.2.3.4", ["10.9.0.0/16"], "1.2.3.4"),
        ("10.9.0.2", "1.2.3.4, nonsense", ["10.9.0.0/16"], "10.9.0.2"),
        ("10.9.0.2", "", ["10.9.0.0/16"], "10.9.0.2"),
        ("::ffff:10.9.0.2", "2001:db8::1", ["10.9.0.0/16"], "2001:db8::1"),
        ("2001:db8:1::5", "192.0.2.1", ["2001:db8:1::/48"], "192.0.2.1"),
    ],
)
def test_client_address(remote, forwarded, trusted, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(STYRKORT_TRUSTED_PROXIES=trusted):
        assert client_address(request) == expected
