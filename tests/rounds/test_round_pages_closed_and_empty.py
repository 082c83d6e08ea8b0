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
