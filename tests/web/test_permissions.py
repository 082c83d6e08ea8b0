"""Every write path of the web app, for each role (admin, planner, reporter, reader) held on
Division Länssjukvård 1, inside that subtree (LS1) and outside it (LS2): allowed roles
write, the others get the Swedish 403 page and nothing is written."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from factories import RoleAssignmentFactory, UserFactory
from styrkort.followup.models import Analysis, Outcome
from styrkort.planning.models import (
    Activity,
    ActivityReport,
    Goal,
    Plan,
    PlanIndicator,
    Target,
)

ROLES = ["admin", "planner", "reporter", "reader"]
REPORT_ROLES = {"admin", "planner", "reporter"}
PLAN_ROLES = {"admin", "planner"}
PERIOD = "2022-DÅ04"
#: The world's plans are adopted: every change of them is a revision with a reason.
REASON = "Revidering efter nämndens beslut"


@dataclass
class Target_:
    """Where a write goes: LS1 (inside the roles' subtree) or LS2 (outside)."""

    unit: object
    plan: object
    goal: object
    placement: object
    target: object
    activity: object


def where(world, inside: bool) -> Target_:
    if inside:
        return Target_(
            world.ls1,
            world.plan,
            world.goals.access,
            world.placements.wait,
            world.placements.wait.targets.first(),
            world.activities.on_track,
        )
    return Target_(
        world.ls2,
        world.ls2_plan,
        world.ls2_goal,
        world.ls2_placement,
        world.ls2_target,
        world.ls2_activity,
    )


@dataclass
class WritePath:
    name: str
    action: str  # the permission it needs: report or plan
    post: Callable  # (client, world, t) -> response
    written: Callable  # (world, t) -> bool


def _post_outcome(client, world, t):
    url = reverse("report_indicator", args=[t.unit.code, "lakarbesok"]) + f"?period={PERIOD}"
    return client.post(url, {"value_total": "31 180", "analysis": ""})


def _post_analysis(client, world, t):
    url = reverse("report_indicator", args=[t.unit.code, "lakarbesok"]) + f"?period={PERIOD}"
    return client.post(url, {"value_total": "", "analysis": "Fler besök än i fjol."})


def _post_activity(client, world, t):
    url = reverse("activity_report", args=[t.unit.code, t.activity.pk]) + f"?period={PERIOD}"
    return client.post(url, {"status": "delayed", "comment": "Försenad av personalbrist."})


PATHS = [
    WritePath(
        "outcome",
        "report",
        _post_outcome,
        lambda w, t: Outcome.objects.filter(
            indicator=w.visits, unit=t.unit, period=PERIOD
        ).exists(),
    ),
    WritePath(
        "analysis",
        "report",
        _post_analysis,
        lambda w, t: Analysis.objects.filter(indicator=w.visits, unit=t.unit).exists(),
    ),
    WritePath(
        "activity_report",
        "report",
        _post_activity,
        lambda w, t: ActivityReport.objects.filter(
            activity=t.activity, unit=t.unit, status="delayed"
        ).exists(),
    ),
    WritePath(
        "goal_create",
        "plan",
        lambda c, w, t: c.post(
            reverse("goal_create", args=[t.plan.code]), {"name": "Nytt mål", "reason": REASON}
        ),
        lambda w, t: Goal.objects.filter(plan=t.plan, name="Nytt mål").exists(),
    ),
    WritePath(
        "goal_edit",
        "plan",
        lambda c, w, t: c.post(
            reverse("goal_edit", args=[t.plan.code, t.goal.pk]),
            {"name": "Ändrat namn", "reason": REASON},
        ),
        lambda w, t: Goal.objects.filter(pk=t.goal.pk, name="Ändrat namn").exists(),
    ),
    WritePath(
        "goal_delete",
        "plan",
        lambda c, w, t: c.post(
            reverse("goal_delete", args=[t.plan.code, t.goal.pk]), {"reason": REASON}
        ),
        lambda w, t: not Goal.objects.filter(pk=t.goal.pk).exists(),
    ),
    WritePath(
        "placement_create",
        "plan",
        lambda c, w, t: c.post(
            reverse("placement_create", args=[t.plan.code, t.goal.pk]),
            {
                "indicator": w.readmit.pk,
                "target_year": "2022",
                "target_text": "max 17",
                "reason": REASON,
            },
        ),
        lambda w, t: PlanIndicator.objects.filter(goal=t.goal, indicator=w.readmit).exists(),
    ),
    WritePath(
        "target_set",
        "plan",
        lambda c, w, t: c.post(
            reverse("placement_edit", args=[t.plan.code, t.placement.pk]),
            {
                "form": "target",
                "target-year": "2022",
                "target-text": "max 175",
                "target-reason": REASON,
            },
        ),
        lambda w, t: Target.objects.filter(placement=t.placement, text="max 175").exists(),
    ),
    WritePath(
        "placement_delete",
        "plan",
        lambda c, w, t: c.post(
            reverse("placement_delete", args=[t.plan.code, t.placement.pk]), {"reason": REASON}
        ),
        lambda w, t: not PlanIndicator.objects.filter(pk=t.placement.pk).exists(),
    ),
    WritePath(
        "target_delete",
        "plan",
        lambda c, w, t: c.post(
            reverse("target_delete", args=[t.plan.code, t.target.pk]), {"reason": REASON}
        ),
        lambda w, t: not Target.objects.filter(pk=t.target.pk).exists(),
    ),
    WritePath(
        "activity_create",
        "plan",
        lambda c, w, t: c.post(
            reverse("activity_create", args=[t.plan.code]),
            {
                "kind": "assignment",
                "name": "Nytt uppdrag om vårdplatser",
                "owner_unit": t.unit.pk,
                "status": "planned",
                "goals": [t.goal.pk],
                "reason": REASON,
            },
        ),
        lambda w, t: Activity.objects.filter(name="Nytt uppdrag om vårdplatser").exists(),
    ),
    WritePath(
        "activity_edit",
        "plan",
        lambda c, w, t: c.post(
            reverse("activity_edit", args=[t.plan.code, t.activity.pk]),
            {
                "kind": "activity",
                "name": "Ändrad aktivitet",
                "owner_unit": t.unit.pk,
                "status": "on_track",
                "reason": REASON,
            },
        ),
        lambda w, t: Activity.objects.filter(pk=t.activity.pk, name="Ändrad aktivitet").exists(),
    ),
    WritePath(
        "plan_copy",
        "plan",
        lambda c, w, t: c.post(reverse("plan_copy", args=[t.plan.code])),
        lambda w, t: Plan.objects.filter(copied_from=t.plan).exists(),
    ),
]


def role_user(world, role):
    user = UserFactory(username=f"matrix-{role}")
    RoleAssignmentFactory(user=user, unit=world.ls1, role=role)
    return user


def _allowed(role: str, action: str, inside: bool) -> bool:
    if not inside:
        return False
    return role in (REPORT_ROLES if action == "report" else PLAN_ROLES)


@pytest.mark.django_db
@pytest.mark.parametrize("inside", [True, False], ids=["inside", "outside"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_write_path(world, client, path, role, inside):
    client.force_login(role_user(world, role))
    t = where(world, inside)
    assert not path.written(world, t)
    response = path.post(client, world, t)
    if _allowed(role, path.action, inside):
        assert response.status_code in (200, 302), response.content[:2000]
        assert path.written(world, t)
    else:
        assert response.status_code == 403
        text = response.content.decode()
        assert "Åtkomst nekad" in text
        assert "behörighet" in text
        assert "Traceback" not in text
        assert not path.written(world, t)


EDIT_PAGES = [
    ("reporting", "report", lambda t: reverse("reporting", args=[t.unit.code])),
    ("goal_create", "plan", lambda t: reverse("goal_create", args=[t.plan.code])),
    ("goal_edit", "plan", lambda t: reverse("goal_edit", args=[t.plan.code, t.goal.pk])),
    (
        "placement_create",
        "plan",
        lambda t: reverse("placement_create", args=[t.plan.code, t.goal.pk]),
    ),
    (
        "placement_edit",
        "plan",
        lambda t: reverse("placement_edit", args=[t.plan.code, t.placement.pk]),
    ),
    ("goal_delete", "plan", lambda t: reverse("goal_delete", args=[t.plan.code, t.goal.pk])),
    ("activity_create", "plan", lambda t: reverse("activity_create", args=[t.plan.code])),
    (
        "activity_edit",
        "plan",
        lambda t: reverse("activity_edit", args=[t.plan.code, t.activity.pk]),
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("inside", [True, False], ids=["inside", "outside"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", EDIT_PAGES, ids=[p[0] for p in EDIT_PAGES])
def test_edit_pages(world, client, page, role, inside):
    """Forms to change things are refused, not merely hidden."""
    client.force_login(role_user(world, role))
    _name, action, url = page
    response = client.get(url(where(world, inside)))
    assert response.status_code == (200 if _allowed(role, action, inside) else 403)


VIEW_PAGES = [
    lambda t: reverse("scorecard", args=[t.unit.code]) + f"?period={PERIOD}",
    lambda t: reverse("indicator_detail", args=[t.unit.code, "lakarbesok"]),
    lambda t: reverse("activity_list", args=[t.unit.code]),
    lambda t: reverse("plan_list", args=[t.unit.code]),
    lambda t: reverse("plan_detail", args=[t.plan.code]),
    lambda t: reverse("scorecard_subunits", args=[t.unit.code, "lakarbesok"]),
]


@pytest.mark.django_db
@pytest.mark.parametrize("inside", [True, False], ids=["inside", "outside"])
@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_its_organisation(world, client, role, inside):
    """Viewing is open to every role in the same organisation (the permission function)."""
    client.force_login(role_user(world, role))
    t = where(world, inside)
    for url in VIEW_PAGES:
        response = client.get(url(t))
        assert response.status_code in (200, 404), url(t)  # 404: no sub-units with values
        if response.status_code == 200:
            assert b"Rapportera" in response.content or role == "reader" or not inside


@pytest.mark.django_db
def test_reader_sees_no_edit_controls(world, login):
    client = login(world.users.reader)
    page = client.get(reverse("scorecard", args=["NLL-LS1"]) + f"?period={PERIOD}").content
    assert reverse("reporting", args=["NLL-LS1"]).encode() not in page
    plan = client.get(reverse("plan_detail", args=["ls1-2022"])).content
    assert b"Kopiera planen" not in plan
    activities = client.get(reverse("activity_list", args=["NLL-LS1"])).content
    assert b"Rapportera status" not in activities


@pytest.mark.django_db
def test_other_organisation_is_refused(world, client):
    """A person with roles only in another region sees nothing of Norrbotten."""
    user = UserFactory(username="sormland")
    RoleAssignmentFactory(user=user, unit=world.other, role="admin")
    client.force_login(user)
    response = client.get(reverse("scorecard", args=["NLL-LS1"]))
    assert response.status_code == 403
    assert "Du saknar behörighet att se uppgifter för Division Länssjukvård 1" in (
        response.content.decode()
    )
    tree = client.get(reverse("tree")).content.decode()
    assert "Region Sörmland" in tree
    assert "Länssjukvård" not in tree


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(world, client):
    response = client.get(reverse("scorecard", args=["NLL-LS1"]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    response = client.post(
        reverse("report_indicator", args=["NLL-LS1", "lakarbesok"]), {"value_total": "1"}
    )
    assert response.status_code == 302
    assert not Outcome.objects.filter(indicator=world.visits, period=PERIOD).exists()
