"""Plan editing services (styrkort.planning.services): one transaction each, the acting
user as keyword, the `plan` permission on the plan's unit, history with the user."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from styrkort.planning import services
from styrkort.planning.models import Activity, Goal, Plan, PlanIndicator, Target

#: The world's LS1 plan is adopted: every change of it is a revision with a reason.
REVISION = "Revidering efter regionstyrelsens beslut om ändrade mål"


@pytest.mark.django_db
def test_create_goal_with_link_to_superior_plan(world):
    goal = services.create_goal(
        reason=REVISION,
        user=world.users.planner,
        plan=world.plan,
        parent=world.goals.citizens,
        name="  Jämlik och jämställd hälsa  ",
        linked_goals=[world.board_strategic],
    )
    assert (goal.level, goal.name) == (2, "Jämlik och jämställd hälsa")
    assert list(goal.linked_goals.all()) == [world.board_strategic]
    assert goal.history.first().history_user == world.users.planner
    with pytest.raises(ValidationError, match="hör inte till en överordnad plan"):
        services.create_goal(
            reason=REVISION,
            user=world.users.planner,
            plan=world.plan,
            name="Fel koppling",
            linked_goals=[world.ls2_goal],  # a sibling division's plan
        )
    assert not Goal.objects.filter(name="Fel koppling").exists()  # one transaction


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["reporter", "reader", "reporter_ls2"])
def test_plan_services_refuse_without_plan_role(world, who):
    user = getattr(world.users, who)
    with pytest.raises(PermissionDenied, match="Du saknar behörighet att ändra planen"):
        services.create_goal(reason=REVISION, user=user, plan=world.plan, name="X")
    with pytest.raises(PermissionDenied):
        services.set_target(
            reason=REVISION, user=user, placement=world.placements.wait, year=2022, text="90 %"
        )
    with pytest.raises(PermissionDenied):
        services.copy_plan(user=user, plan=world.plan)
    assert Plan.objects.count() == 3
    assert world.placements.wait.targets.get(year=2022).text == "100 %"


@pytest.mark.django_db
def test_set_target_replaces_and_checks_year(world):
    placement = world.placements.wait
    target = services.set_target(
        reason=REVISION,
        user=world.users.planner,
        placement=placement,
        year=2022,
        text="DÅ 04: 56 % ÅR: 58 %",
    )
    assert placement.targets.filter(is_long_term=False).count() == 1
    assert target.spec["kind"] == "by_point"
    with pytest.raises(ValidationError, match="Planen gäller 2022–2022"):
        services.set_target(
            reason=REVISION, user=world.users.planner, placement=placement, year=2025, text="1"
        )
    long_term = services.set_target(
        reason=REVISION,
        user=world.users.planner,
        placement=placement,
        year=2026,
        text="90 %",
        is_long_term=True,
    )
    assert long_term.is_long_term and long_term.year == 2026
    with pytest.raises(ValidationError, match="Ange ett målvärde"):
        services.set_target(
            reason=REVISION, user=world.users.planner, placement=placement, year=2022, text=" "
        )


@pytest.mark.django_db
def test_place_indicator_once_per_goal(world):
    with pytest.raises(ValidationError, match="finns redan under målet"):
        services.place_indicator(
            reason=REVISION, user=world.users.planner, goal=world.goals.access, indicator=world.wait
        )
    placement = services.place_indicator(
        reason=REVISION,
        user=world.users.planner,
        goal=world.goals.operations,
        indicator=world.wait,
        baseline_period="2021-T1",
    )
    assert placement.baseline_period == "2021-DÅ04"  # canonical form
    assert placement.plan == world.plan


@pytest.mark.django_db
def test_copy_plan_into_next_year(world):
    new = services.copy_plan(user=world.users.planner, plan=world.plan)
    assert (new.start_year, new.end_year, new.state) == (2023, 2023, "draft")
    assert new.code == "ls1-2023"
    assert new.name == "Verksamhetsplan 2023 Division Länssjukvård 1"
    assert new.copied_from == world.plan
    assert new.superior_plan == world.board_plan  # 2022-2024 covers 2023
    assert new.history.first().history_user == world.users.planner

    old_goals = list(world.plan.goals.order_by("level", "order", "id"))
    new_goals = list(new.goals.order_by("level", "order", "id"))
    assert [(g.level, g.name) for g in new_goals] == [(g.level, g.name) for g in old_goals]
    strategic = new.goals.get(name="Trygg norrbottning med god livskvalitet")
    assert strategic.parent.name == "Medborgare" and strategic.parent.plan == new
    assert list(strategic.linked_goals.all()) == [world.board_strategic]

    assert new.placements.count() == world.plan.placements.count()
    med = PlanIndicator.objects.get(plan=new, indicator=world.medication)
    assert sorted((t.year, t.is_long_term, t.text) for t in med.targets.all()) == [
        (2023, False, "70 %"),
        (2024, True, "100 %"),  # a long-term target keeps its year
    ]
    readmit = Target.objects.get(placement__plan=new, placement__indicator=world.readmit)
    assert readmit.spec["kind"] == "by_sex"

    activities = {a.name: a for a in Activity.objects.filter(plan=new)}
    palliative = activities["Utveckla den palliativa vården"]
    assert palliative.status == "planned"  # follow-up starts again
    assert [g.plan_id for g in palliative.goals.all()] == [new.pk]
    assert activities["Minskad användning av inhyrd personal"].concretisation
    assert not palliative.reports.exists()

    with pytest.raises(ValidationError, match="redan kopierad till 2023"):
        services.copy_plan(user=world.users.planner, plan=world.plan)


@pytest.mark.django_db
def test_copy_multi_year_plan_moves_every_target(world):
    placement = PlanIndicator.objects.create(
        plan=world.board_plan,
        goal=world.board_strategic,
        indicator=world.wait,
    )
    for year, text in ((2022, "56 %"), (2023, "57 %"), (2024, "58 %")):
        Target.objects.create(placement=placement, year=year, text=text)
    new = services.copy_plan(user=world.users.admin, plan=world.board_plan)
    assert (new.start_year, new.end_year) == (2023, 2025)
    assert new.name == "Regionstyrelsens plan 2023–2025"
    moved = Target.objects.filter(placement__plan=new).order_by("year")
    assert [(t.year, t.text) for t in moved] == [(2023, "56 %"), (2024, "57 %"), (2025, "58 %")]


@pytest.mark.django_db
def test_delete_goal_takes_sub_goals_and_placements(world):
    services.delete_goal(reason=REVISION, user=world.users.planner, goal=world.goals.operations)
    assert not Goal.objects.filter(name="God nära och samordnad vård").exists()
    assert not PlanIndicator.objects.filter(indicator=world.readmit).exists()
    assert Activity.objects.filter(name="Utveckla den palliativa vården").exists()


@pytest.mark.django_db
def test_archived_plan_is_read_only(world):
    world.plan.state = "archived"
    world.plan.save()
    with pytest.raises(ValidationError, match="arkiverad"):
        services.create_goal(
            reason=REVISION, user=world.users.planner, plan=world.plan, name="Nytt"
        )
