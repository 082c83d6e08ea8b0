"""A person's own settings: reminder e-mails on and off, and naming or removing a
substitute (ersättare), with Swedish messages for bad input."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from factories import UserFactory
from styrkort.rounds.models import ReminderPreference, Substitution

pytestmark = pytest.mark.django_db

T = timezone.localdate()
DAY = dt.timedelta(days=1)


def test_the_urls():
    assert reverse("reminder_settings") == "/installningar/paminnelser/"
    assert reverse("substitutes") == "/installningar/ersattare/"


def test_turning_reminders_off_and_on(world, login):
    reporter = world.users.reporter
    reporter.email = "reporter@nll.example"
    reporter.save()
    client = login(reporter)
    page = client.get(reverse("reminder_settings")).content.decode()
    assert "Påminnelserna är påslagna." in page
    assert "Meddelandena går till reporter@nll.example." in page
    assert "5 dagar före sista dag" in page
    response = client.post(reverse("reminder_settings"), {}, follow=True)
    assert "Påminnelserna är avstängda." in response.content.decode()
    assert ReminderPreference.objects.get(user=reporter).enabled is False
    client.post(reverse("reminder_settings"), {"enabled": "on"})
    assert ReminderPreference.objects.get(user=reporter).enabled is True


def test_a_person_without_an_address_is_told(world, login):
    page = login(world.users.reader).get(reverse("reminder_settings")).content.decode()
    assert "Ditt konto saknar e-postadress" in page


def test_pages_need_a_login(client):
    response = client.get(reverse("substitutes"))
    assert response.status_code == 302 and "/logga-in/" in response["Location"]


def test_naming_and_removing_a_substitute(world, login):
    client = login(world.users.reporter)
    url = reverse("substitutes")
    data = {
        "username": "Planner",  # any case
        "starts_on": T.isoformat(),
        "ends_on": (T + 14 * DAY).isoformat(),
    }
    response = client.post(url, data, follow=True)
    page = response.content.decode()
    assert f"Planner Test är din ersättare {T.isoformat()}–{(T + 14 * DAY).isoformat()}." in page
    assert "Gäller nu" in page
    sub = Substitution.objects.get(user=world.users.reporter)
    assert sub.substitute == world.users.planner
    assert sub.history.first().history_user == world.users.reporter
    # The substitute sees whom they stand in for.
    other = login(world.users.planner).get(url).content.decode()
    assert "Du är ersättare för" in other and "Reporter Test" in other
    client = login(world.users.reporter)
    response = client.post(url, {"remove": str(sub.pk)}, follow=True)
    assert "Planner Test är inte längre din ersättare." in response.content.decode()
    assert not Substitution.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"username": "ingen-sadan", "starts_on": "2030-01-01", "ends_on": "2030-01-31"},
            "Det finns ingen användare med användarnamnet ”ingen-sadan”.",
        ),
        (
            {"username": "reporter", "starts_on": "2030-01-01", "ends_on": "2030-01-31"},
            "Du kan inte vara din egen ersättare.",
        ),
        (
            {"username": "planner", "starts_on": "2030-02-01", "ends_on": "2030-01-31"},
            "Slutdatum ligger före startdatum.",
        ),
        (
            {"username": "planner", "starts_on": "2020-01-01", "ends_on": "2020-01-31"},
            "Slutdatum 2020-01-31 har redan passerat.",
        ),
        (
            {"username": "planner", "starts_on": "1 maj", "ends_on": "2030-01-31"},
            "Skriv ett datum som ÅÅÅÅ-MM-DD.",
        ),
    ],
)
def test_bad_input_names_the_problem_and_changes_nothing(world, login, data, message):
    response = login(world.users.reporter).post(reverse("substitutes"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Substitution.objects.exists()


def test_an_overlapping_period_and_someone_elses_substitute_are_refused(world, login):
    client = login(world.users.reporter)
    url = reverse("substitutes")
    data = {"username": "planner", "starts_on": "2030-01-01", "ends_on": "2030-01-31"}
    client.post(url, data)
    response = client.post(url, {**data, "starts_on": "2030-01-20", "ends_on": "2030-02-10"})
    assert "planner är redan din ersättare under en del av perioden." in (response.content.decode())
    sub = Substitution.objects.get()
    stranger = UserFactory(username="stranger")
    response = login(stranger).post(url, {"remove": str(sub.pk)}, follow=True)
    assert "Ersättaren finns inte" in response.content.decode()
    assert Substitution.objects.filter(pk=sub.pk).exists()
