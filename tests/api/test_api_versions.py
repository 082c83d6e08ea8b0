"""No lost update through the API: GET of one object answers its version as ETag; PUT,
PATCH and DELETE need If-Match with it: 428 without, 412 when the object has changed
since (who saved it, when, the current object; nothing changed), 200/204 with the
current one. Bulk rows may carry the version they expect."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from styrkort.concurrency import etag, version_of, who_text
from styrkort.followup.models import Outcome
from styrkort.planning.models import Goal

PERIOD = "2022-DÅ04"


@pytest.fixture
def plain(world):
    """A client that sends only the headers a test gives it."""

    def make(name):
        client = APIClient()
        client.force_authenticate(getattr(world.users, name))
        return client

    return make


def _women(world):
    return Outcome.objects.get(indicator=world.medication, unit=world.ls1, sex="women")


def test_get_answers_the_version_as_etag(world, plain):
    outcome = _women(world)
    response = plain("reader").get(f"/api/outcomes/{outcome.pk}/")
    assert response.status_code == 200
    assert response["ETag"] == etag(version_of(outcome))
    assert response.json()["version"] == version_of(outcome)


def test_patch_without_if_match_is_428_and_changes_nothing(world, plain):
    outcome = _women(world)
    response = plain("reporter").patch(
        f"/api/outcomes/{outcome.pk}/", {"numerator": 700}, format="json"
    )
    assert response.status_code == 428, response.content
    assert "If-Match" in response.json()["detail"]
    assert _women(world).numerator == 644


def test_a_stale_patch_is_412_naming_who_when_and_the_current_value(world, plain):
    outcome = _women(world)
    url = f"/api/outcomes/{outcome.pk}/"
    read = plain("planner").get(url)["ETag"]  # the planner reads …
    first = plain("reporter").patch(url, {"numerator": 700}, format="json", HTTP_IF_MATCH=read)
    assert first.status_code == 200, first.content  # … the reporter saves first
    saved = _women(world)
    assert first["ETag"] == etag(version_of(saved)) != read

    response = plain("planner").patch(url, {"numerator": 650}, format="json", HTTP_IF_MATCH=read)
    assert response.status_code == 412, response.content
    body = response.json()
    reporter = who_text(world.users.reporter)
    clock = timezone.localtime(saved.updated_at).strftime("%H:%M")
    assert f"sparat av {reporter} kl. {clock}" in body["detail"]
    assert world.medication.name in body["detail"] and "kvinnor" in body["detail"]
    assert "700/819" in body["detail"]
    assert body["code"] == "stale"
    assert body["saved_by"] == reporter
    assert body["version"] == version_of(saved)
    assert response["ETag"] == first["ETag"]
    assert body["current"]["numerator"] == 700
    assert body["current"] == plain("reader").get(url).json()
    after = _women(world)
    assert (after.numerator, after.updated_at) == (700, saved.updated_at)
    assert after.history.count() == saved.history.count()

    # The planner has seen it and overwrites with the new version.
    again = plain("planner").patch(
        url, {"numerator": 650}, format="json", HTTP_IF_MATCH=first["ETag"]
    )
    assert again.status_code == 200, again.content
    assert _women(world).numerator == 650
    assert again["ETag"] == plain("reader").get(url)["ETag"] != first["ETag"]


def test_put_needs_if_match_too(world, plain):
    outcome = _women(world)
    url = f"/api/outcomes/{outcome.pk}/"
    body = {"value": None, "numerator": 600, "denominator": 819}
    assert plain("reporter").put(url, body, format="json").status_code == 428
    tag = plain("reporter").get(url)["ETag"]
    assert plain("reporter").put(url, body, format="json", HTTP_IF_MATCH=tag).status_code == 200


def test_delete_needs_the_current_version(world, plain):
    outcome = _women(world)
    url = f"/api/outcomes/{outcome.pk}/"
    stale = etag("t20000101T000000.000000Z")
    assert plain("reporter").delete(url).status_code == 428
    response = plain("reporter").delete(url, HTTP_IF_MATCH=stale)
    assert response.status_code == 412
    assert response.json()["current"]["numerator"] == 644
    assert Outcome.objects.filter(pk=outcome.pk).exists()
    tag = plain("reporter").get(url)["ETag"]
    assert plain("reporter").delete(url, HTTP_IF_MATCH=tag).status_code == 204
    assert not Outcome.objects.filter(pk=outcome.pk).exists()


@pytest.mark.parametrize(
    ("header", "status"),
    [('W/"{v}"', 412), ('"t1", "{v}"', 200), ("*", 200), ('"t1"', 412)],
)
def test_if_match_forms(world, plain, header, status):
    outcome = _women(world)
    header = header.format(v=version_of(outcome))
    response = plain("reporter").patch(
        f"/api/outcomes/{outcome.pk}/", {"note": "Ny"}, format="json", HTTP_IF_MATCH=header
    )
    assert response.status_code == status, response.content


def test_an_object_one_cannot_see_is_404_before_428(world, plain):
    outcome = _women(world)
    response = plain("outsider").patch(f"/api/outcomes/{outcome.pk}/", {"note": "x"})
    assert response.status_code == 404


def test_an_object_without_updated_at_is_versioned_by_its_representation(plan_world, plain):
    w = plan_world
    goal = w.goals[1]
    url = f"/api/goals/{goal.pk}/"
    read = plain("planner").get(url)["ETag"]
    assert read.startswith('"h')
    assert plain("admin").get(url)["ETag"] == read  # the same for every reader (of a draft:
    # those who may plan it)
    changed = plain("planner").patch(
        url, {"name": "Hög säkerhet"}, format="json", HTTP_IF_MATCH=read
    )
    assert changed.status_code == 200, changed.content
    assert changed["ETag"] != read
    response = plain("admin").patch(url, {"name": "Låg"}, format="json", HTTP_IF_MATCH=read)
    assert response.status_code == 412, response.content
    body = response.json()
    assert body["saved_by"] == who_text(w.users.planner)
    assert body["current"]["name"] == "Hög säkerhet"
    assert Goal.objects.get(pk=goal.pk).name == "Hög säkerhet"
    response = plain("admin").delete(url, HTTP_IF_MATCH=read)
    assert response.status_code == 412
    assert Goal.objects.filter(pk=goal.pk).exists()


def test_a_stale_bulk_row_is_named_and_nothing_is_written(world, plain):
    outcome = _women(world)
    read = version_of(outcome)
    rows = [
        {"org": "NLL-LS1", "indicator": "lakarbesok", "period": PERIOD, "value": 31180},
        {
            "org": "NLL-LS1",
            "indicator": "lakemedelsberattelse",
            "period": PERIOD,
            "sex": "K",
            "numerator": 650,
            "denominator": 819,
            "version": read,
        },
    ]
    client = plain("reporter")
    tag = client.get(f"/api/outcomes/{outcome.pk}/")["ETag"]
    client.patch(
        f"/api/outcomes/{outcome.pk}/", {"numerator": 700}, format="json", HTTP_IF_MATCH=tag
    )
    count = Outcome.objects.count()
    # A dry run says what the real run would: the stale row is refused there too.
    response = client.post("/api/outcomes/bulk/", {"rows": rows, "dry_run": True}, format="json")
    assert response.status_code == 400, response.content
    assert [r["row"] for r in response.json()["rejected"]] == [2]
    response = client.post("/api/outcomes/bulk/", {"rows": rows}, format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["ignored_columns"] == []
    [rejected] = body["rejected"]
    assert (rejected["row"], rejected["column"]) == (2, "version")
    assert "700/819" in rejected["reason"]
    assert Outcome.objects.count() == count
    assert _women(world).numerator == 700

    rows[1]["version"] = etag(version_of(_women(world)))  # an ETag, quoted, is read too
    response = client.post("/api/outcomes/bulk/", {"rows": rows}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1 and response.json()["updated"] == 1
    assert _women(world).numerator == 650


def test_the_schema_declares_if_match_etag_412_and_428(world, plain):
    schema = plain("reader").get("/api/schema/?format=json").json()
    patch = schema["paths"]["/api/outcomes/{id}/"]["patch"]
    [if_match] = [p for p in patch["parameters"] if p["name"] == "If-Match"]
    assert if_match["in"] == "header" and if_match["required"] is True
    assert {"412", "428"} <= set(patch["responses"])
    assert "ETag" in patch["responses"]["200"]["headers"]
    get = schema["paths"]["/api/goals/{id}/"]["get"]
    assert "ETag" in get["responses"]["200"]["headers"]
    assert "412" in schema["paths"]["/api/goals/{id}/"]["delete"]["responses"]
    assert "If-Match" not in str(schema["paths"]["/api/outcomes/"]["post"])


def test_a_patch_answers_the_saved_outcome_and_its_etag_even_when_a_filter_no_longer_matches(
    world, plain
):
    """The list's query parameters do not hide the outcome just saved (the update used to
    look it up again through them: 404 after a successful write)."""
    outcome = _women(world)
    url = f"/api/outcomes/{outcome.pk}/?source={outcome.source}"
    read = plain("reporter").get(url)["ETag"]
    response = plain("reporter").patch(url, {"numerator": 700}, format="json", HTTP_IF_MATCH=read)
    assert response.status_code == 200, response.content
    saved = _women(world)
    assert saved.numerator == 700 and saved.source == "api"
    assert response["ETag"] == etag(version_of(saved))
    assert response.json()["numerator"] == 700
