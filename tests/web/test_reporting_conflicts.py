"""No lost update on the reporting page: the form carries the versions it showed; when
someone else has saved since, nothing of the indicator is written and the form comes back
(409) with "Ditt värde" beside "Sparat av X kl. HH:MM: värde"; the person keeps theirs or
overwrites with theirs, and the history has both."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from styrkort.concurrency import version_of, who_text
from styrkort.followup.models import Analysis, Outcome

pytestmark = pytest.mark.django_db
PERIOD = "2022-DÅ04"
HTMX = {"HTTP_HX_REQUEST": "true"}


def text(response) -> str:
    html = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.replace("\u00a0", " "))


def hidden(response, name) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', response.content.decode())
    assert match, name
    return match.group(1)


def session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def open_form(client):
    """The reporting page as the person sees it: the versions of doctor visits' form."""
    page = client.get(reverse("reporting", args=["NLL-LS1"]) + f"?period={PERIOD}")
    assert page.status_code == 200
    form = page.content.decode().split('id="rad-lakarbesok"')[1].split("</form>")[0]
    return {
        name: value for name, value in re.findall(r'name="(version_\w+)" value="([^"]*)"', form)
    }


def save(client, data):
    url = reverse("report_indicator", args=["NLL-LS1", "lakarbesok"]) + f"?period={PERIOD}"
    return client.post(url, data, **HTMX)


def test_the_form_carries_the_versions_it_shows(world):
    versions = open_form(session(world.users.reporter))
    assert versions == {"version_total": "", "version_analysis": ""}  # nothing stored yet
    stored = save(session(world.users.reporter), {"value_total": "31 180", **versions})
    assert stored.status_code == 200
    outcome = Outcome.objects.get(indicator=world.visits, unit=world.ls1, period=PERIOD)
    assert hidden(stored, "version_total") == version_of(outcome)


def test_the_second_save_shows_both_values_and_keeps_theirs(world):
    reporter, planner = session(world.users.reporter), session(world.users.planner)
    read_by_reporter, read_by_planner = open_form(reporter), open_form(planner)
    assert save(reporter, {"value_total": "31 180", **read_by_reporter}).status_code == 200
    outcome = Outcome.objects.get(indicator=world.visits, unit=world.ls1, period=PERIOD)

    response = save(planner, {"value_total": "30 000", "analysis": "Min text.", **read_by_planner})
    assert response.status_code == 409
    shown = text(response)
    clock = timezone.localtime(outcome.updated_at).strftime("%H:%M")
    assert "Någon annan har sparat under tiden" in shown
    assert "Ditt värde: 30 000" in shown
    assert f"Sparat av {who_text(world.users.reporter)} kl. {clock}: 31 180" in shown
    assert hidden(response, "version_total") == version_of(outcome)  # now based on theirs
    assert 'value="30 000"' in response.content.decode()  # my value is still in the field
    assert Outcome.objects.get(pk=outcome.pk).value == 31180
    assert not Analysis.objects.filter(indicator=world.visits).exists()  # all or nothing

    # Keep theirs: their value stays, the rest of my form (the analysis) is saved.
    data = {
        "value_total": "30 000",
        "analysis": "Min text.",
        "version_total": hidden(response, "version_total"),
        "version_analysis": hidden(response, "version_analysis"),
        "conflict": "total",
        "resolve": "theirs",
    }
    kept = save(planner, data)
    assert kept.status_code == 200, text(kept)
    assert Outcome.objects.get(pk=outcome.pk).value == 31180
    assert Analysis.objects.get(indicator=world.visits, unit=world.ls1).text == "Min text."
    assert 'value="31 180"' in kept.content.decode()


def test_overwrite_with_mine_resubmits_with_their_version(world):
    reporter, planner = session(world.users.reporter), session(world.users.planner)
    read_by_planner = open_form(planner)
    save(reporter, {"value_total": "31 180", **open_form(reporter)})
    conflict = save(planner, {"value_total": "30 000", **read_by_planner})
    assert conflict.status_code == 409
    data = {
        "value_total": "30 000",
        "version_total": hidden(conflict, "version_total"),
        "version_analysis": hidden(conflict, "version_analysis"),
        "conflict": "total",
        "resolve": "mine",
    }
    assert save(planner, data).status_code == 200
    outcome = Outcome.objects.get(indicator=world.visits, unit=world.ls1, period=PERIOD)
    assert outcome.value == 30000 and outcome.updated_by == world.users.planner
    history = list(outcome.history.order_by("history_date").values_list("value", "history_user"))
    assert history == [(31180, world.users.reporter.pk), (30000, world.users.planner.pk)]


def test_an_analysis_changed_since_is_a_conflict_too(world):
    reporter, planner = session(world.users.reporter), session(world.users.planner)
    read_by_planner = open_form(planner)
    save(reporter, {"analysis": "Reporterns analys.", **open_form(reporter)})
    response = save(planner, {"analysis": "Planerarens analys.", **read_by_planner})
    assert response.status_code == 409
    shown = text(response)
    assert "Ditt värde: Planerarens analys." in shown
    assert "Reporterns analys." in shown
    assert Analysis.objects.get(indicator=world.visits, unit=world.ls1).text == (
        "Reporterns analys."
    )


def test_the_same_value_saved_by_both_is_no_conflict(world):
    reporter, planner = session(world.users.reporter), session(world.users.planner)
    read_by_planner = open_form(planner)
    save(reporter, {"value_total": "31 180", **open_form(reporter)})
    assert save(planner, {"value_total": "31 180", **read_by_planner}).status_code == 200
