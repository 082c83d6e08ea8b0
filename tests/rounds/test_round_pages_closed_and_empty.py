"""The round pages (/uppfoljning/…) through the Django test client, in the corners: a
closed round with a unit reopened in it, and organisations and rounds without units."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from styrkort.rounds import services
from styrkort.rounds.models import Submission

pytestmark = pytest.mark.django_db

PERIOD = "2022-DÅ08"


@pytest.fixture
def rnd(world):
    today = timezone.localdate()
    return services.open_round(
        user=world.users.admin,
        organisation=world.org,
        period=PERIOD,
        opens_on=today - dt.timedelta(days=5),
        deadline=today + dt.timedelta(days=10),
    )


def _text(response) -> str:
    return response.content.decode().replace("\u00a0", " ")


def test_a_unit_reopened_in_a_closed_round_is_marked_ready_and_locked_again(world, rnd, login):
    w = world
    services.close_round(user=w.users.admin, round=rnd)
    services.reopen(user=w.users.planner, round=rnd, unit=w.im, reason="Fel väntetider")
    # Its reporter gets the button to mark it ready again on its page.
    unit_page = reverse("round_unit", args=[w.org.code, PERIOD, w.im.code])
    page = _text(login(w.users.reporter).get(unit_page))
    assert reverse("unit_action", args=[w.org.code, PERIOD, w.im.code, "klarmarkera"]) in page
    # The round's page offers its planners to lock it again.
    client = login(w.users.admin)
    round_page = reverse("round_page", args=[w.org.code, PERIOD])
    page = _text(client.get(round_page))
    assert "En enhet är öppnad igen i det stängda tillfället: VO Internmedicin." in page
    response = client.post(reverse("round_action", args=[w.org.code, PERIOD, "stang"]), follow=True)
    assert "är stängt och dess uppgifter låsta" in _text(response)
    assert not Submission.objects.get(round=rnd, unit=w.im).reopened
    assert "Lås de öppnade enheterna igen" not in _text(client.get(round_page))


@pytest.fixture
def superuser(db):
    from factories import UserFactory

    return UserFactory(username="root", is_superuser=True, is_staff=True)


def test_an_organisation_without_units_has_pages_not_errors(world, superuser, login):
    """A new organisation, before its tree is imported: the overview says it has no units
    (no form to open a round), a round page is 404, the index lists it."""
    from factories import OrganisationFactory

    empty = OrganisationFactory(code="nyreg", name="Region Ny")
    client = login(superuser)
    assert client.get(reverse("round_index")).status_code == 200
    response = client.get(reverse("round_overview", args=[empty.code]))
    assert response.status_code == 200
    page = _text(response)
    assert "Region Ny har inga enheter ännu" in page
    assert reverse("round_open", args=[empty.code]) not in page
    response = client.get(reverse("round_page", args=[empty.code, PERIOD]))
    assert response.status_code == 404
    response = client.post(
        reverse("round_open", args=[empty.code]),
        {"period": PERIOD, "opens_on": "2022-09-01", "deadline": "2022-09-20"},
    )
    assert response.status_code in (400, 403)
    assert "Organisationen Region Ny har inga enheter." in _text(response)


def test_a_round_without_units_has_pages_not_errors(world, login, superuser):
    """A round of a period before any of the organisation's units existed (every unit
    valid from a later date): no submissions; its pages and the start page still show."""
    from styrkort.organisation.models import OrgUnit

    OrgUnit.objects.filter(organisation=world.org).update(valid_from=dt.date(2020, 1, 1))
    today = timezone.localdate()
    old = services.open_round(
        user=None,
        organisation=world.org,
        period="2019-DÅ04",
        opens_on=today - dt.timedelta(days=1),
        deadline=today + dt.timedelta(days=5),
    )
    assert not Submission.objects.filter(round=old).exists()
    for user in (world.users.admin, world.users.reporter, superuser):
        client = login(user)
        for url in (
            reverse("home"),
            reverse("round_overview", args=[world.org.code]),
            reverse("round_page", args=[world.org.code, "2019-DÅ04"]),
        ):
            assert client.get(url).status_code == 200, (user.username, url)
        unit_page = reverse("round_unit", args=[world.org.code, "2019-DÅ04", world.im.code])
        assert client.get(unit_page).status_code == 404
