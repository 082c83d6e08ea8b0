"""The plan pages and the history pages: a draft is shown to its planners only and is
never the plan a reader's scorecard follows; a planner adopts a plan on its page; a
change of an adopted plan asks for a reason; "Historik" shows who changed what, when,
from what to what and why; a goal's analysis is shown under the goal on the scorecard."""

import pytest
from django.urls import reverse
from django.utils import timezone

from styrkort.followup import services as followup
from styrkort.planning import services as planning
from styrkort.planning.models import Goal

PERIOD = "2022-DÅ04"
# Seed 002's analysis of a goal area, restored from the OCR text.
GOAL_ANALYSIS = (
    "Under målområde för hälso- och sjukvård återfinns röd status för sjukfrånvaro, "
    "vistelsetid på akutmottagningen, följsamheten avseende klädd- och hygienregler samt "
    "anslutning till egenmonitorering."
)


@pytest.fixture
def draft(world):
    """LS1's plan copied into 2023: a draft."""
    return planning.copy_plan(user=world.users.planner, plan=world.plan)


def _page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    return response.status_code, response.content.decode()


@pytest.mark.django_db
def test_reader_never_sees_a_draft_planner_does(client, world, draft):
    plans = reverse("plan_list", args=["NLL-LS1"])
    status, page = _page(client, world.users.reader, plans)
    assert status == 200
    assert "Verksamhetsplan 2022 Division Länssjukvård 1" in page
    assert "Verksamhetsplan 2023" not in page
    assert _page(client, world.users.reader, reverse("plan_detail", args=[draft.code]))[0] == 404
    # The reader's scorecard for 2023 follows the board's adopted plan, not the draft.
    status, page = _page(
        client, world.users.reader, reverse("scorecard", args=["NLL-LS1"]) + "?period=2023-DÅ04"
    )
    assert "Regionstyrelsens plan 2022–2024" in page
    assert "Verksamhetsplan 2023" not in page

    status, page = _page(client, world.users.planner, plans)
    assert "Verksamhetsplan 2023 Division Länssjukvård 1" in page
    assert "Utkast" in page
    status, page = _page(client, world.users.planner, reverse("plan_detail", args=[draft.code]))
    assert status == 200
    assert "Fastställ plan" in page and "Beslutande organ" in page
    # The planner's scorecard follows the adopted plan too.
    status, page = _page(
        client, world.users.planner, reverse("scorecard", args=["NLL-LS1"]) + "?period=2023-DÅ04"
    )
    assert "Regionstyrelsens plan 2022–2024" in page


@pytest.mark.django_db
def test_planner_adopts_on_the_plan_page(client, world, draft):
    client.force_login(world.users.planner)
    url = reverse("plan_adopt", args=[draft.code])
    response = client.post(url, {"body": "Regionstyrelsen", "date": "", "reference": ""})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Ange beslutsdatum." in page and "Ange beslutets referens." in page
    response = client.post(
        url, {"body": "Regionstyrelsen", "date": "2022-11-22", "reference": "RS 2022/512 § 201"}
    )
    assert response.status_code == 302
    page = client.get(reverse("plan_detail", args=[draft.code])).content.decode()
    assert "Regionstyrelsen 22 november 2022, RS 2022/512 § 201" in page
    assert "Fastställ plan</h2>" not in page
    # A reporter cannot adopt.
    client.force_login(world.users.reporter)
    other = planning.copy_plan(user=world.users.admin, plan=world.ls2_plan)
    response = client.post(
        reverse("plan_adopt", args=[other.code]),
        {"body": "X", "date": "2022-11-22", "reference": "Y"},
    )
    assert response.status_code == 404  # a draft the reporter may not see


@pytest.mark.django_db
def test_change_of_adopted_plan_asks_for_reason_and_shows_in_history(client, world):
    client.force_login(world.users.planner)
    goal = world.goals.access
    url = reverse("goal_edit", args=[world.plan.code, goal.pk])
    page = client.get(url).content.decode()
    assert "Skäl till ändringen" in page
    response = client.post(url, {"name": "God vård med hög tillgänglighet", "order": "1"})
    assert response.status_code == 200
    assert "Ange skäl till ändringen." in response.content.decode()
    assert Goal.objects.get(pk=goal.pk).name == "En god vård med hög tillgänglighet"
    response = client.post(
        url,
        {
            "name": "God vård med hög tillgänglighet",
            "order": "1",
            "reason": "Kortare namn enligt regionstyrelsens beslut",
        },
    )
    assert response.status_code == 302

    page = client.get(reverse("plan_history", args=[world.plan.code])).content.decode()
    assert "Revideringar" in page
    assert "Kortare namn enligt regionstyrelsens beslut" in page
    assert "Mål: God vård med hög tillgänglighet" in page
    assert "Namn:</span> En god vård med hög tillgänglighet → God vård med hög tillgänglighet" in (
        page
    )
    # The reader sees the history of an adopted plan too.
    status, page = _page(client, world.users.reader, reverse("plan_history", args=["ls1-2022"]))
    assert status == 200 and "Kortare namn" in page


@pytest.mark.django_db
def test_indicator_history_shows_who_when_and_from_to(client, world):
    world.users.reporter.first_name, world.users.reporter.last_name = "Anna", "Lind"
    world.users.reporter.save()
    for value in (29685, 31180):
        followup.record_outcome(
            user=world.users.reporter,
            indicator=world.visits,
            unit=world.ls1,
            period=PERIOD,
            value=value,
        )
    followup.save_analysis(
        user=world.users.reporter,
        unit=world.ls1,
        period=PERIOD,
        indicator=world.visits,
        text="Fler besök än i fjol.",
    )
    url = reverse("indicator_history", args=["NLL-LS1", world.visits.code]) + f"?period={PERIOD}"
    status, page = _page(client, world.users.reader, url)
    assert status == 200
    assert "Anna Lind" in page
    # Numbers as the scorecard writes them (no-break spaces inside a value).
    assert "Värde:</span> 29\u00a0685\u00a0st → 31\u00a0180\u00a0st" in page
    assert "Fler besök än i fjol." in page
    today = timezone.localdate()  # the history's time, in the site's time zone
    months = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti"]
    months += ["september", "oktober", "november", "december"]
    assert f"{today.day} {months[today.month - 1]} {today.year}" in page
    # Linked from the indicator page and the reporting page.
    detail = client.get(reverse("indicator_detail", args=["NLL-LS1", world.visits.code]))
    assert reverse("indicator_history", args=["NLL-LS1", world.visits.code]) in (
        detail.content.decode()
    )
    client.force_login(world.users.reporter)
    reporting = client.get(reverse("reporting", args=["NLL-LS1"]) + f"?period={PERIOD}")
    assert reverse("indicator_history", args=["NLL-LS1", world.visits.code]) in (
        reporting.content.decode()
    )


@pytest.mark.django_db
def test_goal_analysis_under_its_goal_on_the_scorecard(client, world):
    scorecard = reverse("scorecard", args=["NLL-LS1"]) + f"?period={PERIOD}"
    client.force_login(world.users.reader)
    assert GOAL_ANALYSIS not in client.get(scorecard).content.decode()  # cached now
    followup.save_analysis(
        user=world.users.reporter,
        unit=world.ls1,
        period=PERIOD,
        goal=world.goals.operations,
        text=GOAL_ANALYSIS,
    )
    followup.save_analysis(
        user=world.users.reporter,
        unit=world.ls1,
        period=PERIOD,
        goal=world.goals.safety,
        text="Läkemedelsberättelser ges till fler patienter än i fjol.",
    )
    page = client.get(scorecard).content.decode()  # the cache follows the data version
    section = page[page.index(">Verksamhet <") :]
    assert GOAL_ANALYSIS in section
    assert section.index(GOAL_ANALYSIS) < section.index("God nära och samordnad vård")
    assert "Läkemedelsberättelser ges till fler patienter än i fjol." in page
    assert "En hållbar verksamhet med hög säkerhet”:" in page
    assert GOAL_ANALYSIS not in page[: page.index(">Verksamhet <")]
