"""The unit's page in a round lists the internal-control checks due at the reporting
point and the full-year forecast where the unit has a budget, each with the page where
it is entered; activities link to the activity list (their form), not to a POST-only
address."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from styrkort.economy.models import Amount, LedgerLine
from styrkort.risk.models import Control, ControlResult, Risk
from styrkort.rounds import services

pytestmark = pytest.mark.django_db

PERIOD = "2022-DÅ08"
PAGE = f"/uppfoljning/nll/{PERIOD}/NLL-LS1/"


@pytest.fixture
def rnd(world):
    return services.open_round(
        user=world.users.admin,
        organisation=world.org,
        period=PERIOD,
        opens_on=dt.date(2022, 9, 1),
        deadline=dt.date(2022, 9, 20),
    )


@pytest.fixture
def control(world):
    risk = Risk.objects.create(
        unit=world.ls1,
        year=2022,
        number="3",
        title="Bristande läkemedelshantering",
        probability=3,
        consequence=3,
        value=9,
    )
    return Control.objects.create(
        risk=risk, method="Stickprov av läkemedelsgenomgångar", frequency="reporting_points"
    )


def test_checks_and_forecast_due_are_listed_with_where_to_enter_them(world, rnd, control, login):
    line = LedgerLine.objects.create(organisation=world.org, code="NLL-RR-TEST", name="Resultat")
    Amount.objects.create(line=line, unit=world.ls1, year=2022, kind="budget", value=Decimal(-5))
    page = login(world.users.planner).get(PAGE).content.decode()
    assert "Kontrollmoment utan resultat" in page
    assert reverse("control_result", args=["NLL-LS1", control.pk, PERIOD]) in page
    assert "Helårsprognos" in page and "/ekonomi/NLL-LS1/" in page
    activity = world.ls1.activities.first()
    assert f"/enheter/NLL-LS1/aktiviteter/?period={PERIOD}#act-{activity.pk}-{world.ls1.pk}" in page
    # A result for the point and a forecast saved in the round: nothing due any more.
    ControlResult.objects.create(control=control, period=PERIOD, outcome="ok")
    Amount.objects.create(line=line, unit=world.ls1, year=2022, kind="forecast", value=Decimal(-3))
    page = login(world.users.planner).get(PAGE).content.decode()
    assert "Kontrollmoment utan resultat" not in page
    assert "Lämna helårsprognosen" not in page


def test_deadline_note_stays_readable_when_long_overdue():
    from styrkort.web.views.rounds import deadline_note

    assert deadline_note(6) == "6 dagar kvar"
    assert deadline_note(0) == "Sista dag i dag"
    assert deadline_note(-2) == "2 dagar försenad"
    assert deadline_note(-70) == "10 veckor försenad"
    assert deadline_note(-1545) == "Mer än ett år försenad"
