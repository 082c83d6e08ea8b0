"""The metrics endpoint for Prometheus (`/metrics`): refused without its token or from an
address outside its list, absent when neither is configured; with the token it shows a
view's request latency and the job queue's depth and age after a report is ordered."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.urls import reverse

TOKEN = "s3cret-metrics-token-for-the-test"


def _value(text: str, name: str, **labels) -> float:
    """The sample `name` whose labels include `labels` (0 when there is none)."""
    for line in text.splitlines():
        match = re.fullmatch(r"([a-z_]+)(?:\{(.*)\})? (\S+)", line)
        if not match or match.group(1) != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', match.group(2) or ""))
        if all(found.get(key) == value for key, value in labels.items()):
            return float(match.group(3))
    return 0.0


@pytest.fixture
def token(settings):
    settings.STYRKORT_METRICS_TOKEN = TOKEN
    settings.STYRKORT_METRICS_ADDRESSES = []


def _scrape(client, token=TOKEN):
    return client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.mark.django_db
def test_without_token_or_addresses_there_is_no_endpoint(client, settings):
    settings.STYRKORT_METRICS_TOKEN = ""
    settings.STYRKORT_METRICS_ADDRESSES = []
    assert client.get("/metrics").status_code == 404
    assert _scrape(client, "anything").status_code == 404


@pytest.mark.django_db
def test_the_token_is_required(client, token):
    missing = client.get("/metrics")
    assert missing.status_code == 401
    assert missing["WWW-Authenticate"].startswith("Bearer")
    assert _scrape(client, "wrong-token").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Token {TOKEN}").status_code == 401
    answer = _scrape(client)
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/plain; version=")
    assert "no-cache" in answer["Cache-Control"]
    text = answer.content.decode()
    assert _value(text, "styrkort_database_up") == 1
    if connection.vendor == "postgresql":  # this test's own connection at least
        assert _value(text, "styrkort_database_connections", state="active") >= 1


@pytest.mark.django_db
def test_an_address_list_lets_only_its_addresses_in(client, settings):
    settings.STYRKORT_METRICS_TOKEN = ""
    settings.STYRKORT_METRICS_ADDRESSES = ["10.1.2.0/24"]
    assert client.get("/metrics").status_code == 404  # the test client is 127.0.0.1
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.9").status_code == 200

    # Both set: both must hold.
    settings.STYRKORT_METRICS_TOKEN = TOKEN
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.9").status_code == 401
    assert (
        client.get(
            "/metrics", REMOTE_ADDR="10.1.2.9", HTTP_AUTHORIZATION=f"Bearer {TOKEN}"
        ).status_code
        == 200
    )
    assert _scrape(client).status_code == 404


@pytest.mark.django_db
def test_a_views_latency_is_counted(client, token):
    before = _value(
        _scrape(client).content.decode(),
        "styrkort_request_duration_seconds_count",
        view="login",
        method="GET",
    )
    assert client.get(reverse("login")).status_code == 200
    text = _scrape(client).content.decode()
    assert (
        _value(text, "styrkort_request_duration_seconds_count", view="login", method="GET")
        == before + 1
    )
    assert _value(text, "styrkort_request_duration_seconds_sum", view="login", method="GET") > 0
    assert _value(text, "styrkort_responses_total", view="login", method="GET", status="200") >= 1
    # An address that resolves to no view is one label, whatever the address.
    client.get("/no-such-page/123")
    text = _scrape(client).content.decode()
    assert _value(text, "styrkort_responses_total", view="(none)", status="404") >= 1
    assert "/no-such-page" not in text


@pytest.mark.django_db
def test_queue_depth_and_age_after_a_report_is_ordered(
    world, client, token, django_capture_on_commit_callbacks
):
    from styrkort.web.models import ReportJob

    client.force_login(world.users.reader, backend="styrkort.accounts.backends.UserBackend")
    text = _scrape(client).content.decode()
    assert _value(text, "styrkort_job_queue_depth") == 0
    assert _value(text, "styrkort_job_queue_oldest_seconds") == 0

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("report_page", args=["NLL-LS1"]),
            {"kind": "plan", "period": "2022", "fmt": "html"},
        )
    assert response.status_code == 302
    assert ReportJob.objects.filter(status="queued").count() == 1

    text = _scrape(client).content.decode()
    assert _value(text, "styrkort_job_queue_depth") == 1
    assert _value(text, "styrkort_job_queue_oldest_seconds") >= 0
    assert _value(text, "styrkort_jobs", kind="report", status="queued") == 1
    assert _value(text, "styrkort_jobs", kind="report", status="failed") == 0


@pytest.mark.django_db
def test_metrics_and_health_answer_over_plain_http_in_production(client, settings, token):
    """Scrapers and load balancers reach each server directly over the internal network:
    those addresses are not redirected to HTTPS; every other one is."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("login")).status_code == 301
    assert _scrape(client).status_code == 200
    assert client.get("/halsa/").status_code == 200
    assert client.get("/halsa/redo/").status_code in (200, 503)  # 503: no worker here


@pytest.mark.django_db
def test_a_shared_cache_that_does_not_answer_shows_as_down(client, settings, token):
    settings.STYRKORT_CACHE_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.STYRKORT_CACHE_URL,
        },
        "sessions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    answer = _scrape(client)
    assert answer.status_code == 200
    text = answer.content.decode()
    assert _value(text, "styrkort_cache_up") == 0
    assert _value(text, "styrkort_database_up") == 1
