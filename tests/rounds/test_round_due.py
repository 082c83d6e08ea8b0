"""What a round asks of each unit (rounds.due), on the small Region Norrbotten."""

import datetime as dt

import pytest

from styrkort.followup.services import record_outcome
from styrkort.rounds import services
from styrkort.rounds.due import overview, unit_due

pytestmark = pytest.mark.django_db


@pytest.fixture
def rnd(world):
    return services.open_round(
        user=world.users.admin,
        organisation=world.org,
        period="2022-DÅ04",
        opens_on=dt.date(2022, 5, 1),
        deadline=dt.date(2022, 5, 20),
    )


def _by_code(rnd, **kwargs):
    return {u.code: u for u in overview(rnd, today=dt.date(2022, 5, 10), **kwargs)}


def test_what_each_unit_owes_follows_the_plan_it_follows_up(world, rnd):
    units = _by_code(rnd)
    ls1 = units["NLL-LS1"]
    # The LS1 plan: wait share, readmissions and medication reports split by sex (women
    # and men due), doctor visits in total: 7 outcomes; seed 001's medication reports
    # and the world's wait share and readmissions are in, doctor visits are not.
    assert ls1.expected == {"outcomes": 7, "goal_analyses": 2, "activities": 2}
    assert ls1.missing == {"outcomes": 1, "goal_analyses": 2, "activities": 1}
    assert (ls1.state, ls1.deadline, ls1.days_left) == ("in_progress", dt.date(2022, 5, 20), 10)
    # A VO follows its division's plan and has written nothing yet.
    im = units["NLL-LS1-IM"]
    assert (im.state, im.missing["outcomes"], im.share_reported) == ("not_started", 7, 0)
    # Nothing due, nothing missing: 100 %.
    assert units["NLL-PV"].share_reported == 100


def test_unit_due_names_exactly_what_is_missing(world, rnd):
    due = unit_due(rnd, world.ls1)
    assert [(i.code, sexes) for i, sexes in due.outcomes] == [("lakarbesok", ["total"])]
    # The wait share (51 % against 100 %) and the readmissions are not met: each needs
    # an analysis.
    assert sorted(i.code for i in due.analyses) == ["aterinskrivningar-65", "vantetid-forsta-besok"]
    assert [g.name for g in due.goal_analyses] == ["Medborgare", "Verksamhet"]
    assert [a.name for a in due.activities] == ["Minskad användning av inhyrd personal"]
    record_outcome(
        user=world.users.reporter,
        indicator=world.visits,
        unit=world.ls1,
        period="2022-DÅ04",
        value=31180,
    )
    assert unit_due(rnd, world.ls1).outcomes == []
    assert _by_code(rnd)["NLL-LS1"].missing["outcomes"] == 0


def test_an_activity_status_counts_only_when_confirmed_in_the_round(world, rnd):
    from styrkort.planning.services import report_activity

    activity = unit_due(rnd, world.ls1).activities[0]
    assert activity.status  # a status carried over from before is not a report
    report_activity(
        user=world.users.reporter,
        activity=activity,
        unit=world.ls1,
        period="2022-DÅ04",
        status=activity.status,
    )
    assert unit_due(rnd, world.ls1).activities == []
    assert _by_code(rnd)["NLL-LS1"].missing["activities"] == 0


def test_the_overview_reads_a_fixed_number_of_queries(world, rnd, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        units = overview(rnd)
    assert len(units) == 7


def test_nothing_is_due_from_a_draft_plan(world, rnd):
    """VO Internmedicin's own plan for 2022 is still a draft (a goal, an indicator and an
    activity of its own): the VO follows its division's adopted plan, and nothing of
    the draft is due, in the overview or in the exact list."""
    from factories import ActivityFactory, GoalFactory, PlacementFactory, PlanFactory

    draft = PlanFactory(
        unit=world.im, plan_model=world.plan.plan_model, start_year=2022, end_year=2022
    )
    assert draft.state == "draft"
    goal = GoalFactory(plan=draft, level=1, name="Utkastets mål")
    PlacementFactory(plan=draft, goal=goal, indicator=world.visits)
    ActivityFactory(plan=draft, owner_unit=world.im, name="Utkastets aktivitet")
    im = _by_code(rnd)["NLL-LS1-IM"]
    assert im.expected == {"outcomes": 7, "goal_analyses": 0, "activities": 0}
    due = unit_due(rnd, world.im)
    assert (due.goal_analyses, due.activities) == ([], [])
    assert len(due.outcomes) == 4  # the division's four indicators
