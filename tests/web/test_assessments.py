"""Manual assessments (indicator: reporter; goal: planner) with a required reason, the
computed status kept beside, withdrawal, and goal analyses; every role inside and outside
the subtree, nothing written on refusal."""

import pytest
from django.urls import reverse

from factories import RoleAssignmentFactory, UserFactory
from styrkort.followup.models import Analysis, Assessment

PERIOD = "2022-DÅ04"
ROLES = ["admin", "planner", "reporter", "reader"]


def _ind_url(unit, code="aterinskrivningar-65"):
    return reverse("indicator_assessment", args=[unit, code]) + f"?period={PERIOD}"


def _goal_url(unit, goal):
    return reverse("goal_followup", args=[unit, goal.pk]) + f"?period={PERIOD}"


@pytest.mark.django_db
def test_reporter_overrides_with_reason_and_computed_stays_visible(world, login):
    """Seed 001: men's readmissions 17,3 % vs max 17,2 -> computed partly met; the manager
    judges it met and says why. Both are shown."""
    client = login(world.users.reporter)
    response = client.post(
        _ind_url("NLL-LS1"),
        {
            "status": "met",
            "sex": "men",
            "reason": "Skillnaden mot målet ligger inom felmarginalen.",
        },
    )
    assert response.status_code == 302
    a = Assessment.objects.get(indicator=world.readmit, unit=world.ls1, period=PERIOD)
    assert (a.sex, a.status, a.updated_by) == ("men", "met", world.users.reporter)
    assert a.history.first().history_user == world.users.reporter
    page = client.get(_ind_url("NLL-LS1")).content.decode()
    assert "Skillnaden mot målet ligger inom felmarginalen." in page
    assert "Beräknad måluppfyllelse" in page
    assert "Delvis uppfyllt" in page  # the computed status for men, beside the assessment
    card = client.get(reverse("scorecard", args=["NLL-LS1"]) + f"?period={PERIOD}")
    assert "Skillnaden mot målet ligger inom felmarginalen." in card.content.decode()


@pytest.mark.django_db
def test_reason_is_required(world, login):
    client = login(world.users.reporter)
    response = client.post(_ind_url("NLL-LS1"), {"status": "met", "sex": "total", "reason": " "})
    assert response.status_code == 422
    assert "En manuell bedömning kräver en motivering." in response.content.decode()
    assert not Assessment.objects.exists()


@pytest.mark.django_db
def test_withdraw_brings_back_the_computed_status(world, login):
    client = login(world.users.reporter)
    client.post(_ind_url("NLL-LS1"), {"status": "met", "sex": "men", "reason": "Inom marginalen."})
    a = Assessment.objects.get()
    response = client.post(reverse("assessment_withdraw", args=["NLL-LS1", a.pk]))
    assert response.status_code == 302
    assert not Assessment.objects.exists()
    assert a.history.first().history_type == "-"
    assert a.history.first().history_user == world.users.reporter


@pytest.mark.django_db
def test_planner_assesses_goal_and_reporter_writes_its_analysis(world, login, client):
    goal = world.goals.coordinated
    login(world.users.planner)
    response = client.post(
        _goal_url("NLL-LS1", goal),
        {
            "form": "assessment",
            "assessment-status": "partly",
            "assessment-reason": "Återinskrivningarna för kvinnor ligger över målet.",
        },
    )
    assert response.status_code == 302
    a = Assessment.objects.get(goal=goal)
    assert a.status == "partly" and a.unit == world.ls1
    client.force_login(world.users.reporter)
    page = client.get(_goal_url("NLL-LS1", goal)).content.decode()
    assert "Återinskrivningarna för kvinnor ligger över målet." in page
    assert "Gör en manuell bedömning" not in page  # a reporter may not assess a goal
    refused = client.post(
        _goal_url("NLL-LS1", goal),
        {"form": "assessment", "assessment-status": "met", "assessment-reason": "Nej."},
    )
    assert refused.status_code == 403
    assert Assessment.objects.get(goal=goal).status == "partly"
    assert client.post(reverse("assessment_withdraw", args=["NLL-LS1", a.pk])).status_code == 403
    assert Assessment.objects.filter(goal=goal).exists()
    response = client.post(
        _goal_url("NLL-LS1", goal),
        {"form": "analysis", "analysis-text": "Arbetet med samordnad vårdplanering fortsätter."},
    )
    assert response.status_code == 302
    assert Analysis.objects.get(goal=goal, unit=world.ls1).text == (
        "Arbetet med samordnad vårdplanering fortsätter."
    )


def _user(world, role):
    user = UserFactory(username=f"assess-{role}")
    RoleAssignmentFactory(user=user, unit=world.ls1, role=role)
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("inside", [True, False], ids=["inside", "outside"])
@pytest.mark.parametrize("role", ROLES)
def test_write_paths_by_role(world, client, role, inside):
    client.force_login(_user(world, role))
    unit = "NLL-LS1" if inside else "NLL-LS2"
    goal = world.goals.coordinated if inside else world.ls2_goal
    may_report = inside and role != "reader"
    may_plan = inside and role in ("admin", "planner")

    r = client.post(
        reverse("indicator_assessment", args=[unit, "lakarbesok"]) + f"?period={PERIOD}",
        {"status": "met", "reason": "Bedömt."},
    )
    assert r.status_code == (302 if may_report else 403)
    assert Assessment.objects.filter(indicator=world.visits).exists() is may_report

    r = client.post(
        _goal_url(unit, goal),
        {"form": "assessment", "assessment-status": "met", "assessment-reason": "Bedömt."},
    )
    assert r.status_code == (302 if may_plan else 403)
    assert Assessment.objects.filter(goal=goal).exists() is may_plan

    r = client.post(_goal_url(unit, goal), {"form": "analysis", "analysis-text": "Analys."})
    assert r.status_code == (302 if may_report else 403)
    assert Analysis.objects.filter(goal=goal).exists() is may_report

    if not may_report:
        assert "Åtkomst nekad" in r.content.decode()
        for page in (
            reverse("indicator_assessment", args=[unit, "lakarbesok"]),
            _goal_url(unit, goal),
        ):
            assert client.get(page).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_withdraw_by_role_outside_subtree_is_refused(world, client, role):
    """An assessment on LS2 cannot be withdrawn by any role held on LS1."""
    from styrkort.followup.services import assess

    a = assess(
        user=world.users.admin,
        unit=world.ls2,
        period=PERIOD,
        indicator=world.visits,
        status="met",
        reason="Bedömt av regionen.",
    )
    client.force_login(_user(world, role))
    response = client.post(reverse("assessment_withdraw", args=["NLL-LS2", a.pk]))
    assert response.status_code == 403
    assert Assessment.objects.filter(pk=a.pk).exists()
