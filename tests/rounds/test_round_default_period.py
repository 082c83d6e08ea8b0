"""While a round is open, the pages lead to its period (planning.lookup.default_period)."""

import datetime as dt

import pytest
from django.urls import reverse

from styrkort.planning.lookup import default_period
from styrkort.rounds import services

pytestmark = pytest.mark.django_db

TODAY = dt.date(2022, 9, 5)


def _open(world, opens_on=dt.date(2022, 9, 1)):
    return services.open_round(
        user=None,
        organisation=world.org,
        period="2022-DÅ08",
        opens_on=opens_on,
        deadline=dt.date(2022, 9, 20),
    )


def test_without_a_round_the_latest_point_with_outcomes(world):
    assert default_period(world.im, TODAY).canonical == "2022-DÅ04"


def test_an_open_round_leads_its_organisation_to_its_period(world):
    sormland = default_period(world.other, TODAY)
    rnd = _open(world)
    assert default_period(world.im, TODAY).canonical == "2022-DÅ08"
    assert default_period(world.region, TODAY).canonical == "2022-DÅ08"
    assert default_period(world.other, TODAY) == sormland  # another organisation
    services.close_round(user=None, round=rnd)
    assert default_period(world.im, TODAY).canonical == "2022-DÅ04"


def test_a_round_that_has_not_opened_yet_does_not(world):
    _open(world, opens_on=dt.date(2022, 9, 10))
    assert default_period(world.im, TODAY).canonical == "2022-DÅ04"


def test_the_scorecard_opens_on_the_open_round(world, login):
    _open(world)
    page = login(world.users.reader).get(reverse("scorecard", args=["NLL-LS1-IM"]))
    assert page.status_code == 200
    assert '<option value="2022-DÅ08" selected>' in page.content.decode()
