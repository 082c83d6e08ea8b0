"""Activities and assignments: status and comment per reporting point, cascaded
konkretisering answers per sub-unit, stale statuses flagged, inline follow-up."""

import re

import pytest
from django.urls import reverse

from styrkort.planning.models import Activity, ActivityReport

PERIOD = "2022-DÅ04"
HTMX = {"HTTP_HX_REQUEST": "true"}


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def url(unit="NLL-LS1"):
    return reverse("activity_list", args=[unit]) + f"?period={PERIOD}"


@pytest.mark.django_db
def test_list_with_status_comment_and_cascaded_answers(world, login):
    shown = text(login(world.users.reader).get(url()))
    assert "Utveckla den palliativa vården" in shown
    assert "● Pågår enligt plan Utbildningar i dokumentation hålls i maj." in shown
    # The cascaded activity: the division's own answer and one per sub-unit.
    assert "Konkretisering: Varje verksamhetsområde redovisar" in shown
    assert "Svar från VO Internmedicin ▲ Försenad" in shown
    assert "Hög frånvaro gör det svårt att minska inhyrningen." in shown
    assert "Svar från VO Neurocentrum – Ej rapporterad" in shown
    # Seed 002's complaint: still "planned" after its start date.
    assert "Inaktuell status? Status är fortfarande ”Planerad” fast startdatum 2022-01-01" in shown
    assert "1 status är troligen inaktuell" in shown


@pytest.mark.django_db
def test_sub_unit_sees_the_cascaded_activity(world, login):
    shown = text(login(world.users.reader).get(url("NLL-LS1-IM")))
    assert "Minskad användning av inhyrd personal" in shown
    assert "från Division Länssjukvård 1" in shown
    assert "▲ Försenad" in shown
    assert "Utveckla den palliativa vården" not in shown  # not cascaded


@pytest.mark.django_db
def test_filters_by_kind_and_goal(world, login):
    client = login(world.users.reader)
    by_goal = text(client.get(url() + f"&mal={world.goals.coordinated.pk}"))
    assert "Utveckla den palliativa vården" in by_goal
    assert "Minskad användning av inhyrd personal" not in by_goal
    assignments = text(client.get(url() + "&typ=assignment"))
    assert "Inga aktiviteter eller uppdrag för enheten." in assignments


@pytest.mark.django_db
def test_report_status_inline(world, login):
    client = login(world.users.reporter)
    activity = world.activities.cascaded
    post_url = reverse("activity_report", args=["NLL-LS1", activity.pk]) + f"?period={PERIOD}"
    response = client.post(
        post_url, {"status": "on_track", "comment": "Plan klar för <b>alla</b> VO."}, **HTMX
    )
    assert response.status_code == 200
    shown = text(response)
    assert "● Pågår enligt plan" in shown and "Sparat." in shown
    assert "Inaktuell" not in shown
    report = ActivityReport.objects.get(activity=activity, unit=world.ls1, period=PERIOD)
    assert report.status == "on_track"
    assert report.updated_by == world.users.reporter
    assert report.history.first().history_user == world.users.reporter
    activity.refresh_from_db()
    assert activity.status == "on_track"  # the owner's report moves the current status


@pytest.mark.django_db
def test_sub_unit_answers_its_konkretisering(world, login):
    client = login(world.users.reporter)
    activity = world.activities.cascaded
    post_url = reverse("activity_report", args=["NLL-LS1-NC", activity.pk]) + f"?period={PERIOD}"
    response = client.post(post_url, {"status": "done", "comment": "Ingen inhyrning."})
    assert response.status_code == 302
    report = ActivityReport.objects.get(activity=activity, unit=world.nc)
    assert report.status == "done"
    activity.refresh_from_db()
    assert activity.status == "planned"  # a sub-unit's answer is its own


@pytest.mark.django_db
def test_bad_status_and_non_cascaded_activity_refused(world, login):
    client = login(world.users.reporter)
    bad = client.post(
        reverse("activity_report", args=["NLL-LS1", world.activities.on_track.pk])
        + f"?period={PERIOD}",
        {"status": "klart", "comment": ""},
        **HTMX,
    )
    assert bad.status_code == 422
    assert "Okänd status: ”klart”." in text(bad)
    # A sub-unit cannot answer an activity that is not cascaded to it.
    other = client.post(
        reverse("activity_report", args=["NLL-LS1-IM", world.activities.on_track.pk])
        + f"?period={PERIOD}",
        {"status": "done"},
        **HTMX,
    )
    assert other.status_code == 422
    assert "rapporterar inte på aktiviteten" in text(other)
    assert not ActivityReport.objects.filter(unit=world.im, activity=world.activities.on_track)
    assert Activity.objects.get(pk=world.activities.on_track.pk).status == "on_track"
