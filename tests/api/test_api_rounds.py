"""/api/rounds/: the round and its actions over HTTP, the status as the command prints
it, and bad input as 400 naming the field."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from styrkort.rounds import services
from styrkort.rounds.models import Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def rnd(world):
    return services.open_round(
        user=None,
        organisation=world.org,
        period="2022-DÅ04",
        opens_on=dt.date(2022, 5, 1),
        deadline=dt.date(2022, 5, 20),
        level_deadlines={"3": "2022-05-10"},
    )


def test_opening_a_round_answers_it_and_lists_it_to_the_organisation_only(world, client_for):
    admin = client_for("admin")
    response = admin.post(
        "/api/rounds/",
        {
            "organisation": world.org.pk,
            "period": "2022-DA08",
            "opens_on": "2022-09-01",
            "deadline": "2022-09-20",
            "level_deadlines": {"3": "2022-09-12"},
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["period"] == "2022-DÅ08"
    assert body["level_deadlines"] == {"3": "2022-09-12"}
    assert Submission.objects.filter(round_id=body["id"]).count() == 7
    listed = client_for("reader").get("/api/rounds/?period=2022-DÅ08").json()
    assert [r["id"] for r in listed["results"]] == [body["id"]]
    assert client_for("outsider").get("/api/rounds/").json()["count"] == 0
    detail = client_for("reader").get(f"/api/rounds/{body['id']}/")
    assert detail.status_code == 200 and detail.headers["ETag"]


def test_status_is_what_the_command_prints(world, rnd, client_for):
    services.mark_ready(user=world.users.reporter, round=rnd, unit=world.im)
    response = client_for("reader").get(f"/api/rounds/{rnd.pk}/status/")
    assert response.status_code == 200
    out = io.StringIO()
    call_command("round", "status", "--org", "nll", "--period", "2022-DÅ04", "--json", stdout=out)
    assert response.json() == json.loads(out.getvalue())
    units = {u["code"]: u for u in response.json()["units"]}
    assert units["NLL-LS1-IM"]["state"] == "ready"
    assert units["NLL-LS1-IM"]["ready_by"] == "Reporter Test"
    assert units["NLL-LS1-IM"]["deadline"] == "2022-05-10"
    assert units["NLL-LS1"]["deadline"] == "2022-05-20"


def test_a_whole_unit_cycle_over_http_with_four_eyes(world, rnd, client_for):
    reporter, planner = client_for("reporter"), client_for("planner")
    base = f"/api/rounds/{rnd.pk}/units/NLL-LS1-IM"
    ready = reporter.post(f"{base}/ready/", {}, format="json")
    assert ready.status_code == 200 and ready.json()["state"] == "ready"
    back = planner.post(f"{base}/return/", {"comment": "Analysen saknas."}, format="json")
    assert back.json()["state"] == "returned"
    assert planner.post(f"{base}/ready/", {}, format="json").json()["state"] == "ready"
    own = planner.post(f"{base}/approve/", {}, format="json")
    assert own.status_code == 400
    assert "fyra ögon" in own.json()["state"][0]
    assert reporter.post(f"{base}/ready/", {}, format="json").status_code == 400
    services.return_submission(user=None, round=rnd, unit=world.im, comment="Igen.")
    reporter.post(f"{base}/ready/", {}, format="json")
    approved = planner.post(f"{base}/approve/", {}, format="json")
    assert approved.status_code == 200
    assert approved.json()["approved_by"] == "Planner Test"
    locked = reporter.post(
        "/api/outcomes/",
        {
            "indicator": world.medication.pk,
            "unit": world.im.pk,
            "period": "2022-DÅ04",
            "sex": "women",
            "numerator": 1,
            "denominator": 2,
        },
        format="json",
    )
    assert locked.status_code == 409 and locked.json()["code"] == "locked"
    reopened = planner.post(
        f"/api/rounds/{rnd.pk}/reopen/",
        {"unit": "NLL-LS1-IM", "reason": "Fel nämnare."},
        format="json",
    )
    assert reopened.status_code == 200
    assert Submission.objects.get(round=rnd, unit=world.im).comment == "Fel nämnare."


@pytest.mark.parametrize(
    ("path", "body", "field", "words"),
    [
        ("reopen/", {"reason": "  "}, "reason", "skäl"),
        ("reopen/", {}, "reason", ""),
        ("units/NLL-XX/ready/", {}, "unit", "NLL-XX"),
        ("units/NLL-LS1-IM/return/", {"comment": "Rätta."}, "comment", "klarmarkerad"),
        ("extend/", {"deadline": "2022-04-01"}, "deadline", "2022-04-01"),
        ("extend/", {"level_deadlines": {"x": "2022-05-01"}}, "level_deadlines", "x"),
        ("extend/", {"deadline": "20 maj"}, "deadline", ""),
    ],
)
def test_bad_input_is_400_naming_the_field_and_changes_nothing(
    world, rnd, client_for, path, body, field, words
):
    before = list(Submission.objects.order_by("pk").values()), rnd.history.count()
    response = client_for("admin").post(f"/api/rounds/{rnd.pk}/{path}", body, format="json")
    assert response.status_code == 400, response.content
    message = " ".join(map(str, response.json()[field]))
    assert words in message
    assert (list(Submission.objects.order_by("pk").values()), rnd.history.count()) == before


def test_opening_twice_or_with_an_unknown_period_is_400(world, rnd, client_for):
    admin = client_for("admin")
    body = {"organisation": world.org.pk, "deadline": "2022-05-20", "opens_on": "2022-05-01"}
    twice = admin.post("/api/rounds/", {**body, "period": "2022-DÅ04"}, format="json")
    assert twice.status_code == 400
    assert twice.json()["period"] == [
        "Region Norrbotten har redan ett uppföljningstillfälle för DÅ04 2022: "
        "Delårsrapport DÅ04 2022, öppet med sista dag 2022-05-20."
    ]
    services.close_round(user=None, round=rnd)
    closed = admin.post("/api/rounds/", {**body, "period": "DÅ04 2022"}, format="json")
    assert closed.status_code == 400
    assert closed.json()["period"][0].endswith("Delårsrapport DÅ04 2022, stängt.")
    bad = admin.post("/api/rounds/", {**body, "period": "2022-DÅ13"}, format="json")
    assert bad.status_code == 400 and "period" in bad.json()
    early = admin.post(
        "/api/rounds/",
        {**body, "period": "2022-DÅ08", "deadline": "2022-04-01"},
        format="json",
    )
    assert early.status_code == 400 and "före öppningsdagen" in early.json()["deadline"][0]
