"""A locked period in the pages: the form is read-only with the reason, a post is
refused with the reason and changes nothing (never a 500)."""

import datetime as dt

import pytest

from styrkort.planning.models import ActivityReport
from styrkort.rounds import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(world):
    rnd = services.open_round(
        user=world.users.admin,
        organisation=world.org,
        period="2022-DÅ04",
        opens_on=dt.date(2022, 5, 1),
        deadline=dt.date(2022, 5, 20),
    )
    return services.close_round(user=world.users.admin, round=rnd)


def test_activities_of_a_closed_round_are_read_only_with_the_reason(world, closed, login):
    client = login(world.users.reporter)
    page = client.get("/enheter/NLL-LS1/aktiviteter/?period=2022-DÅ04").content.decode()
    assert "DÅ04 2022 är låst för Division Länssjukvård 1" in page
    assert "Rapportera status" not in page
    activity = world.ls1.activities.first()
    before = ActivityReport.objects.count()
    response = client.post(
        f"/enheter/NLL-LS1/aktiviteter/{activity.pk}/rapport/?period=2022-DÅ04",
        {"status": "done", "comment": "Klar"},
    )
    assert response.status_code == 422
    assert "uppföljningstillfället är stängt" in response.content.decode()
    assert ActivityReport.objects.count() == before
    # DÅ08 is not locked.
    page = client.get("/enheter/NLL-LS1/aktiviteter/?period=2022-DÅ08").content.decode()
    assert "Rapportera status" in page


def test_goal_analysis_of_an_approved_unit_is_read_only(world, closed, login):
    goal = world.ls1.plans.first().goals.filter(parent__isnull=True).first()
    client = login(world.users.planner)
    url = f"/enheter/NLL-LS1/mal/{goal.pk}/?period=2022-DÅ04"
    page = client.get(url).content.decode()
    assert "DÅ04 2022 är låst för Division Länssjukvård 1" in page
    assert "disabled" in page
    response = client.post(url, {"form": "analysis", "text": "Ny analys"})
    assert response.status_code == 422
    assert "uppföljningstillfället är stängt" in response.content.decode()
    assert not goal.analyses.filter(period="2022-DÅ04").exists()
