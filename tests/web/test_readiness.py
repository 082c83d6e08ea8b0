"""`/halsa/` is the cheap liveness check; `/halsa/redo/` says whether the database takes a
write and the background service is alive, 503 with JSON naming what failed."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from styrkort.jobs.models import WorkerBeat


@pytest.fixture
def worker(settings, tmp_path):
    """Jobs run by a worker; its beat file is this test's own (absent until written)."""
    settings.STYRKORT_JOBS_INLINE = False
    with mock.patch("styrkort.jobs.services.beat_file", return_value=tmp_path / "beat"):
        yield


def _beat(seconds_ago: float = 0) -> None:
    now = timezone.now() - timedelta(seconds=seconds_ago)
    WorkerBeat.objects.create(name="host:1", started_at=now, seen_at=now)


@pytest.mark.django_db
def test_liveness_is_cheap_and_says_ok(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get(reverse("health"))
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


@pytest.mark.django_db
def test_ready_when_the_database_writes_and_the_worker_beats(client, worker):
    _beat(seconds_ago=5)
    response = client.get(reverse("readiness"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["failed"] == []
    assert body["checks"]["database"]["ok"] and body["checks"]["worker"]["ok"]
    assert "no-cache" in response["Cache-Control"]
    # the probe's row was rolled back
    assert list(WorkerBeat.objects.values_list("name", flat=True)) == ["host:1"]


@pytest.mark.django_db
def test_not_ready_when_the_worker_is_silent(client, worker):
    _beat(seconds_ago=120)
    response = client.get(reverse("readiness"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail" and body["failed"] == ["worker"]
    assert "Bakgrundstjänsten" in body["checks"]["worker"]["detail"]
    assert body["checks"]["database"]["ok"]


@pytest.mark.django_db
def test_no_worker_needed_when_jobs_run_inline(client, settings):
    settings.STYRKORT_JOBS_INLINE = True
    assert client.get(reverse("readiness")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_not_ready_when_the_database_is_read_only(client, worker):
    _beat()
    if connection.vendor == "sqlite":
        on, off = "PRAGMA query_only = ON", "PRAGMA query_only = OFF"
    else:
        on = "SET default_transaction_read_only = on"
        off = "SET default_transaction_read_only = off"
    with connection.cursor() as cursor:
        cursor.execute(on)
    try:
        response = client.get(reverse("readiness"))
    finally:
        with connection.cursor() as cursor:
            cursor.execute(off)
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["database"]
    assert "Databasen tar inte emot skrivningar" in body["checks"]["database"]["detail"]
    assert body["checks"]["worker"]["ok"]


@pytest.mark.django_db
def test_not_ready_when_the_shared_cache_does_not_answer(client, settings):
    """Several servers keep their sessions in Redis: a server that cannot reach it cannot
    serve anyone signed in, so it is not ready (nothing listens on the port)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again when the block ends
    settings.STYRKORT_JOBS_INLINE = True
    settings.STYRKORT_CACHE_URL = f"redis://127.0.0.1:{port}/0"
    settings.CACHES = {
        **settings.CACHES,
        "sessions": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.STYRKORT_CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
    response = client.get(reverse("readiness"))
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["cache"]
    assert "svarar inte" in body["checks"]["cache"]["detail"]
