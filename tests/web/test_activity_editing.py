"""Creating and editing activities and assignments in the planner's form pages reached
from the plan page (the services behind them: tests/planning/test_activity_services.py)."""

import datetime as dt

import pytest
from django.urls import reverse

from styrkort.planning.models import Activity


@pytest.mark.django_db
def test_plan_page_lists_activities_with_links_for_planner(world, login):
    client = login(world.users.planner)
    page = client.get(reverse("plan_detail", args=["ls1-2022"])).content.decode()
    assert "Utveckla den palliativa vården" in page
    assert reverse("activity_create", args=["ls1-2022"]) in page
    assert "Nytt uppdrag" in page and "Ny aktivitet" in page
    edit = reverse("activity_edit", args=["ls1-2022", world.activities.on_track.pk])
    assert edit in page
    client = login(world.users.reader)
    page = client.get(reverse("plan_detail", args=["ls1-2022"])).content.decode()
    assert "Utveckla den palliativa vården" in page
    assert edit not in page and "Ny aktivitet" not in page


@pytest.mark.django_db
def test_form_creates_assignment(world, login):
    client = login(world.users.planner)
    url = reverse("activity_create", args=["ls1-2022"])
    page = client.get(url + "?typ=uppdrag").content.decode()
    assert "<h1>Nytt uppdrag</h1>" in page
    assert "Konkretisering" in page and "Ansvarig enhet" in page
    assert "Division Länssjukvård 2" not in page  # outside the plan's subtree
    response = client.post(
        url,
        {
            "kind": "assignment",
            "number": "U3",
            "name": "Utreda samordnad nattjour",
            "owner_unit": world.nc.pk,
            "status": "planned",
            "start_date": "2022-03-01",
            "end_date": "2022-09-30",
            "goals": [world.goals.coordinated.pk],
            "indicators": [world.readmit.pk],
            "reason": "Regionstyrelsens nya uppdrag",  # the plan is adopted
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(name="Utreda samordnad nattjour")
    assert (activity.kind, activity.number, activity.owner_unit) == ("assignment", "U3", world.nc)
    assert activity.end_date == dt.date(2022, 9, 30)
    assert list(activity.indicators.all()) == [world.readmit]


@pytest.mark.django_db
def test_form_shows_swedish_errors_next_to_fields(world, login):
    client = login(world.users.planner)
    activity = world.activities.on_track
    url = reverse("activity_edit", args=["ls1-2022", activity.pk])
    assert "Utveckla den palliativa vården" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "kind": "activity",
            "name": "Ändrat namn",
            "owner_unit": world.ls1.pk,
            "status": "on_track",
            "start_date": "2022-06-01",
            "end_date": "2022-05-01",
            "goals": [world.ls2_goal.pk],
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_end_date_error">Slutdatum får inte vara före startdatum.' in page
    assert 'id="id_goals_error">Välj bara bland alternativen.' in page
    assert 'value="Ändrat namn"' in page  # typed text kept
    response = client.post(
        url,
        {
            "kind": "activity",
            "name": "",
            "owner_unit": world.ls1.pk,
            "status": "on_track",
            "start_date": "1 juni",
        },
    )
    page = response.content.decode()
    assert 'id="id_name_error">Ange ett namn på aktiviteten eller uppdraget.' in page
    assert 'id="id_start_date_error">Skriv datumet som ÅÅÅÅ-MM-DD' in page
    activity.refresh_from_db()
    assert activity.name == "Utveckla den palliativa vården"
    assert activity.start_date is None


@pytest.mark.django_db
def test_form_in_english_only_when_chosen(world, login, settings):
    client = login(world.users.planner)
    url = reverse("activity_create", args=["ls1-2022"]) + "?typ=uppdrag"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Nytt uppdrag</h1>" in page  # the browser's language is not used
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(url).content.decode()
    assert "<h1>New assignment</h1>" in page and "End date" in page
