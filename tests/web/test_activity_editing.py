"""Creating and editing activities and assignments: the services
(styrkort.planning.services.create_activity / update_activity) and the planner's form
pages reached from the plan page."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from factories import IndicatorFactory, OrganisationFactory
from styrkort.planning import services
from styrkort.planning.models import Activity


@pytest.mark.django_db
def test_create_assignment_with_links_and_history(world):
    activity = services.create_activity(
        user=world.users.planner,
        plan=world.plan,
        kind="assignment",
        name="  Införa digitala vårdmöten  ",
        owner_unit=world.im,
        concretisation="Varje VO redovisar antal <b>digitala</b> besök.<script>alert(1)</script>",
        start_date=dt.date(2022, 2, 1),
        end_date=dt.date(2022, 12, 31),
        issued_by="Regionstyrelsen",
        goals=[world.goals.access],
        indicators=[world.visits],
    )
    activity.refresh_from_db()
    assert (activity.kind, activity.name, activity.owner_unit) == (
        "assignment",
        "Införa digitala vårdmöten",
        world.im,
    )
    assert "<script>" not in activity.concretisation
    assert "alert" not in activity.concretisation
    assert "digitala" in activity.concretisation
    assert list(activity.goals.all()) == [world.goals.access]
    assert list(activity.indicators.all()) == [world.visits]
    assert activity.order == 1  # after the plan's two activities (order 0)
    assert activity.history.first().history_user == world.users.planner


@pytest.mark.django_db
def test_create_refuses_goals_units_indicators_and_dates_outside_the_plan(world):
    planner, admin = world.users.planner, world.users.admin
    before = Activity.objects.count()
    with pytest.raises(ValidationError, match="hör inte till planen"):
        services.create_activity(user=planner, plan=world.plan, name="A", goals=[world.ls2_goal])
    other_org = IndicatorFactory(organisation=OrganisationFactory(code="rs", name="Sörmland"))
    with pytest.raises(ValidationError, match="hör till en annan organisation"):
        services.create_activity(user=planner, plan=world.plan, name="B", indicators=[other_org])
    with pytest.raises(PermissionDenied):  # LS2 is outside the planner's subtree
        services.create_activity(user=planner, plan=world.plan, name="C", owner_unit=world.ls2)
    with pytest.raises(ValidationError, match="hör inte till Division Länssjukvård 1"):
        services.create_activity(user=admin, plan=world.plan, name="D", owner_unit=world.ls2)
    with pytest.raises(ValidationError) as exc:
        services.create_activity(
            user=planner,
            plan=world.plan,
            name="E",
            start_date=dt.date(2022, 6, 1),
            end_date=dt.date(2022, 5, 31),
        )
    assert exc.value.message_dict == {"end_date": ["Slutdatum får inte vara före startdatum."]}
    with pytest.raises(PermissionDenied):
        services.create_activity(user=world.users.reporter, plan=world.plan, name="F")
    assert Activity.objects.count() == before


@pytest.mark.django_db
def test_update_activity_all_or_nothing(world):
    activity = world.activities.cascaded  # starts 2022-01-01
    services.update_activity(
        user=world.users.planner,
        activity=activity,
        name="Minskad inhyrd personal",
        end_date=dt.date(2022, 12, 31),
        goals=[world.goals.access, world.goals.safety],
    )
    activity.refresh_from_db()
    assert activity.name == "Minskad inhyrd personal"
    assert set(activity.goals.all()) == {world.goals.access, world.goals.safety}
    assert activity.history.first().history_user == world.users.planner
    with pytest.raises(ValidationError, match="Slutdatum"):
        services.update_activity(
            user=world.users.planner,
            activity=activity,
            name="Ska inte sparas",
            end_date=dt.date(2021, 12, 31),
            goals=[world.goals.operations],
        )
    activity.refresh_from_db()
    assert activity.name == "Minskad inhyrd personal"
    assert activity.end_date == dt.date(2022, 12, 31)
    assert set(activity.goals.all()) == {world.goals.access, world.goals.safety}
    with pytest.raises(PermissionDenied):
        services.update_activity(user=world.users.reporter, activity=activity, name="X")


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
