"""The API answers every error as JSON, a 500 and a body too large included."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from django.core.exceptions import RequestDataTooBig
from django.test import RequestFactory
from rest_framework.test import APIClient

from styrkort import errors
from styrkort.api import viewsets


def _client(world) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(world.users.admin)
    return client


@pytest.mark.django_db
def test_a_500_is_json(world):
    with mock.patch.object(viewsets.OrgUnitViewSet, "list", side_effect=RuntimeError("boom")):
        response = _client(world).get("/api/units/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "server_error"
    assert "Ett fel uppstod hos oss" in body["detail"]
    assert "boom" not in body["detail"]


@pytest.mark.django_db
def test_a_body_above_the_limit_is_413_json_before_it_is_read(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    rows = [{"org": "NLL-LS1", "indicator": "lakarbesok", "period": "2022", "value": n}
            for n in range(500)]  # fmt: skip
    with mock.patch("styrkort.api.viewsets.followup.import_outcome_rows") as imported:
        response = _client(world).post(
            "/api/outcomes/bulk/", json.dumps({"rows": rows}), content_type="application/json"
        )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Begäran är för stor (högst 9 kB).", "code": "too_large"}
    imported.assert_not_called()


@pytest.mark.django_db
def test_an_upload_declared_above_the_limit_is_413_json(world):
    response = _client(world).generic(
        "POST",
        "/api/outcomes/bulk/",
        b"{}",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(300 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "Filen är för stor" in response.json()["detail"]


def test_django_errors_before_any_view_are_json_under_api():
    factory = RequestFactory()
    api, web = factory.post("/api/outcomes/bulk/"), factory.post("/enheter/")
    response = errors.bad_request(api, RequestDataTooBig())
    assert response.status_code == 413 and "Begäran är för stor" in response.content.decode()
    assert json.loads(errors.bad_request(api, ValueError()).content)["detail"]
    assert errors.page_not_found(api).status_code == 404
    assert json.loads(errors.permission_denied(api).content)["detail"]
    assert errors.server_error(api)["Content-Type"] == "application/json"
    assert errors.bad_request(web, RequestDataTooBig()).status_code == 413
    assert errors.bad_request(web, RequestDataTooBig())["Content-Type"].startswith("text/html")
