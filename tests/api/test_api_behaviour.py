"""The API's behaviour: bulk upsert through the import's validation, bad input as 400 with
field errors, filtering and pagination, token and session authentication, the schema."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from dbdump import dump
from factories import PASSWORD
from styrkort.followup.models import Outcome

BULK = "/api/outcomes/bulk/"


def rows():
    return [
        {
            "org": "VO Internmedicin",
            "indicator": "lakemedelsberattelse",
            "period": "2022-DÅ04",
            "sex": "T",
            "numerator": "1 320",
            "denominator": 1753,
            "source": "Datalager",
        },
        {
            "org": "NLL-LS1-NC",
            "indicator": "lakemedelsberattelse",
            "period": "2022-DA04",
            "numerator": 4,
            "denominator": 4,
        },
        {"org": "NLL-LS1", "indicator": "budgetavvikelse", "period": "202204", "value": "-11,2%"},
        {
            "org": "NLL-LS1",
            "indicator": "lakarbesok",
            "period": "2022",
            "value": 31180,
            "extra": "ignoreras",
        },
    ]


def test_bulk_upsert_is_idempotent_and_reports_like_the_import(world, client_for):
    client = client_for("reporter")
    first = client.post(BULK, {"rows": rows()}, format="json")
    assert first.status_code == 200, first.json()
    body = first.json()
    assert (body["created"], body["updated"], body["unchanged"]) == (4, 0, 0)
    assert body["ignored_columns"] == ["extra"]
    im = Outcome.objects.get(unit=world.im, indicator=world.medication)
    assert im.value == pytest.approx(100 * 1320 / 1753)
    assert im.source == "api" and im.updated_by == world.users.reporter
    before = dump()
    second = client.post(BULK, {"rows": rows()}, format="json").json()
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 0, 4)
    assert dump() == before


def test_bulk_rejects_all_or_nothing_with_the_import_messages(world, client_for):
    bad = [
        *rows(),
        {"org": "NLL-LS1", "indicator": "lakarbesok", "period": "2022-13", "value": 5},
        {
            "org": "NLL-LS1",
            "indicator": "lakemedelsberattelse",
            "period": "2022",
            "numerator": 900,
            "denominator": 700,
        },
        {"org": "NLL-LS1", "indicator": "lakarbesok", "period": "2022", "value": 31181},
    ]
    before = dump()
    response = client_for("reporter").post(BULK, {"rows": bad}, format="json")
    assert response.status_code == 400
    rejected = response.json()["rejected"]
    assert [(r["row"], r["column"]) for r in rejected] == [
        (5, "period"),
        (6, "numerator"),
        (7, "value"),
    ]
    assert rejected[0]["reason"].startswith("Okänd period: '2022-13'")
    assert "större än nämnaren" in rejected[1]["reason"]
    assert "som rad 4 men ett annat värde" in rejected[2]["reason"]
    assert dump() == before


def test_bulk_refuses_units_outside_the_role(world, client_for):
    before = dump()
    response = client_for("reporter_ls2").post(BULK, {"rows": rows()}, format="json")
    assert response.status_code == 403
    assert all("behörighet" in r["reason"] for r in response.json()["rejected"])
    assert client_for("reader").post(BULK, {"rows": rows()}, format="json").status_code == 403
    assert dump() == before


def test_bulk_dry_run_writes_nothing(world, client_for):
    before = dump()
    body = client_for("admin").post(BULK, {"rows": rows(), "dry_run": True}, format="json").json()
    assert body["created"] == 4 and body["dry_run"] is True
    assert dump() == before


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"rows": "x"},
        {"rows": [{"org": "NLL-LS1"}]},
        {"rows": [{"org": "A", "indicator": "b", "period": "2022", "value": True}]},
        {"rows": []},
    ],
    ids=["no-rows", "not-a-list", "missing-fields", "boolean-value", "empty"],
)
def test_bulk_bad_shapes_are_400(world, client_for, payload):
    response = client_for("admin").post(BULK, payload, format="json")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("endpoint", "payload", "field"),
    [
        ("outcomes", {"period": "2022-13", "value": 1}, "period"),
        ("outcomes", {"period": "2022", "numerator": 9, "denominator": 4}, "numerator"),
        ("outcomes", {"period": "2024-03", "value": 1, "unit": "gallerian"}, "unit"),
        ("outcomes", {"period": "2022", "value": 1, "sex": "x"}, "sex"),
    ],
)
def test_bad_outcome_is_400_with_field_errors(world, client_for, endpoint, payload, field):
    data = {"indicator": world.medication.pk, "unit": world.ls1.pk, **payload}
    if payload.get("unit") == "gallerian":
        data["unit"] = world.gallerian.pk
    response = client_for("admin").post(f"/api/{endpoint}/", data, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()


def test_plan_years_and_unique_code_are_400(plan_world, client_for):
    client = client_for("admin")
    base = {
        "code": "ls1-2022",
        "name": "P",
        "unit": plan_world.ls1.pk,
        "plan_model": plan_world.plan_model.pk,
        "start_year": 2023,
        "end_year": 2022,
    }
    response = client.post("/api/plans/", base, format="json")
    assert response.status_code == 400
    body = response.json()
    assert "code" in body
    base["code"] = "ny"
    response = client.post("/api/plans/", base, format="json")
    assert response.status_code == 400, response.json()


def test_filters_and_pagination(world, client_for):
    client = client_for("reader")
    by_period = client.get("/api/outcomes/", {"period": "2022-DA04", "sex": "women"}).json()
    assert [r["numerator"] for r in by_period["results"]] == [644]
    assert by_period["results"][0]["period"] == "2022-DÅ04"
    assert client.get("/api/outcomes/", {"period": "2022-13"}).status_code == 400
    assert client.get("/api/outcomes/", {"unit": "abc"}).status_code == 400
    assert client.get("/api/outcomes/", {"unit_code": "NLL-LS2"}).json()["count"] == 0
    page = client.get("/api/outcomes/", {"limit": 1}).json()
    assert page["count"] == 2 and len(page["results"]) == 1 and page["next"]
    within = client.get("/api/units/", {"within": world.ls1.pk}).json()
    assert {u["code"] for u in within["results"]} == {"NLL-LS1", "NLL-LS1-IM", "NLL-LS1-NC"}
    children = client.get("/api/units/", {"parent": world.pv.pk}).json()["results"]
    assert [(u["code"], u["parent"]) for u in children] == [("NLL-PV-GAL", world.pv.pk)]
    valid = client.get("/api/units/", {"valid_on": "2024-06-01"}).json()["results"]
    assert "NLL-PV-GAL" not in {u["code"] for u in valid}


def test_token_and_session_authentication(world):
    client = APIClient()
    response = client.post(
        "/api/token/", {"username": "reader", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert response.json()["expiry"]  # tokens expire (styrkort.api.tokens)
    assert (
        APIClient()
        .post("/api/token/", {"username": "reader", "password": "fel"}, format="json")
        .status_code
        == 400
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/outcomes/").json()["count"] == 2
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token 0000")
    assert bad.get("/api/outcomes/").status_code == 401

    session = APIClient(enforce_csrf_checks=True)
    session.force_login(world.users.reporter)
    assert session.get("/api/units/").status_code == 200
    # Session writes need the CSRF token, as DRF's SessionAuthentication requires.
    response = session.post(
        "/api/outcomes/",
        {"indicator": world.visits.pk, "unit": world.ls1.pk, "period": "2022", "value": 3},
        format="json",
    )
    assert response.status_code == 403


def test_unknown_paths_and_objects_are_json_404(world, client_for):
    client = client_for("admin")
    for path in ("/api/outcomes/999999/", "/api/outcomes/abc/", "/api/nothing/", "/api/x/y.z"):
        response = client.get(path)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
    detail = client.get("/api/outcomes/999999/").json()["detail"]
    assert detail == "Utfall med det id:t finns inte (eller så får du inte se det)."


def test_schema_and_docs(world, client):
    client.force_login(world.users.reader)  # both need sign-in (tests/security)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    spec = schema.json()
    assert spec["openapi"].startswith("3.")
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            assert {"400", "401", "403", "404"} <= set(operation["responses"]), (path, method)
    assert "/api/outcomes/bulk/" in spec["paths"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b'id="swagger-ui"' in docs.content
