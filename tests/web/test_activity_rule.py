"""The scorecard's evaluation (`styrkort evaluate`) and the activity page read activities
with the one rule of planning.rules: the same activities, statuses and stale flags for
every unit (seed 001's division actions)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from factories import ActivityFactory, ActivityReportFactory
from styrkort.followup.queries import evaluate_unit

PERIOD = "2022-DÅ04"


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def evaluated(unit) -> list[tuple[str, str, bool]]:
    ev = evaluate_unit(unit, PERIOD, today=timezone.localdate())
    return [(a.number, a.status, a.stale) for a in ev.activities]


@pytest.mark.django_db
def test_an_unanswered_konkretisering_is_not_reported_on_both(world, login):
    # VO Neurocentrum has not answered activity 17's konkretisering: it shows, as not
    # reported, on the scorecard's evaluation and on the activity page alike.
    assert evaluated(world.nc) == [("17", "not_reported", False)]
    shown = text(login(world.users.reader).get(reverse("activity_list", args=["NLL-LS1-NC"])))
    assert "Minskad användning av inhyrd personal" in shown
    assert "– Ej rapporterad" in shown
    assert "Utveckla den palliativa vården" not in shown  # the division's own, not cascaded
    assert evaluated(world.im) == [("17", "delayed", False)]


@pytest.mark.django_db
def test_the_plan_holder_sees_an_activity_a_unit_below_owns(world, login):
    owned = ActivityFactory(
        plan=world.plan,
        owner_unit=world.im,
        number="31",
        name="Införa digitala vårdmöten",
        status="planned",
        goals=[world.goals.access],
    )
    ActivityReportFactory(
        activity=owned, unit=world.im, period=PERIOD, status="planned", comment="Arbete pågår."
    )
    # The division's evaluation and page show the owner's answer, flagged as stale.
    assert ("31", "planned", True) in evaluated(world.ls1)
    client = login(world.users.reporter)
    page = client.get(reverse("activity_list", args=["NLL-LS1"]) + f"?period={PERIOD}")
    shown = text(page)
    assert "Införa digitala vårdmöten" in shown
    assert "ansvarig enhet: VO Internmedicin" in shown
    assert "Status är ”Planerad” men kommentaren beskriver pågående arbete." in shown
    ls1 = evaluate_unit(world.ls1, PERIOD, today=timezone.localdate())
    assert "2 statusar är troligen inaktuella" in shown  # 17 (start date) and 31 (comment)
    assert len(ls1.stale_activities) == 2
    # The answer is the owner's: the form on the division's page posts it as the owner.
    assert reverse("activity_report", args=["NLL-LS1-IM", owned.pk]) in page.content.decode()
