"""An upload above the limit is refused from its Content-Length with a Swedish page
(413), before its body is read or anything is stored; the web's error pages stay HTML."""

from __future__ import annotations

import io
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from styrkort.web.models import ImportJob

BOUNDARY = "grans"


class CountingInput(io.BytesIO):
    """wsgi.input that remembers whether anyone read it."""

    read_calls = 0

    def read(self, *args):
        CountingInput.read_calls += 1
        return super().read(*args)

    def readline(self, *args):
        CountingInput.read_calls += 1
        return super().readline(*args)


@pytest.fixture
def media(settings, tmp_path):
    settings.STYRKORT_JOBS_INLINE = True
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _stored(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()]


@pytest.mark.django_db
def test_a_declared_huge_upload_is_refused_without_reading_the_body(world, login, media):
    client = login(world.users.admin)
    body = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="kind"\r\n\r\noutcomes\r\n'
        f"--{BOUNDARY}--\r\n"
    ).encode()
    CountingInput.read_calls = 0
    response = client.generic(
        "POST",
        reverse("import_page"),
        body,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(210 * 1024 * 1024),
        **{"wsgi.input": CountingInput(body)},
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "Filen är för stor" in page and "200,0 MB" in page
    assert "<html" in page
    assert CountingInput.read_calls == 0
    assert not ImportJob.objects.exists()
    assert _stored(media) == []


@pytest.mark.django_db
def test_a_real_oversized_upload_is_refused_and_nothing_stored(world, login, media, settings):
    settings.STYRKORT_IMPORT_MAX_BYTES = 10_000
    client = login(world.users.admin)
    big = b"enhet;indikator;period;v\xc3\xa4rde\n" + b"NLL-LS1;lakarbesok;2022;1\n" * 60_000
    assert len(big) > 10_000 + 1024 * 1024
    response = client.post(
        reverse("import_page"),
        {"kind": "outcomes", "file": SimpleUploadedFile("utfall.csv", big, "text/csv")},
    )
    assert response.status_code == 413
    assert "Filen är för stor" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert _stored(media) == []


@pytest.mark.django_db
def test_an_upload_within_the_limit_still_works(world, login, media):
    client = login(world.users.admin)
    text = "enhet;indikator;period;kön;värde\nNLL-LS1;lakarbesok;2022-DÅ04;T;31 180\n"
    response = client.post(
        reverse("import_page"),
        {
            "kind": "outcomes",
            "dry_run": "on",
            "file": SimpleUploadedFile("utfall.csv", text.encode(), "text/csv"),
        },
    )
    assert response.status_code == 302
    assert ImportJob.objects.get().result["ok"]


@pytest.mark.django_db
def test_a_large_form_body_is_refused_with_the_swedish_page(world, login, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = login(world.users.admin)
    response = client.post(
        reverse("accessibility"),
        "description=" + "x" * 5000,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert "Begäran är för stor" in response.content.decode()
    # A multipart form's fields above the limit are found by Django while it parses: the
    # same page (handler400).
    client = Client(raise_request_exception=False)
    response = client.post(reverse("accessibility"), {"description": "x" * 5000})
    assert response.status_code == 413
    assert "Begäran är för stor" in response.content.decode()


@pytest.mark.django_db
def test_a_web_500_stays_a_swedish_page(world):
    client = Client(raise_request_exception=False)
    with mock.patch("styrkort.web.views.general.render", side_effect=RuntimeError("boom")):
        response = client.get(reverse("accessibility"))
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert "Ett fel uppstod" in response.content.decode()
