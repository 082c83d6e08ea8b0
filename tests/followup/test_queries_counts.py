"""evaluate_unit and evaluate_tree read the database in a fixed number of queries,
whatever the number of units, goals, indicators, outcomes and activities."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factories import (
    ActivityFactory,
    ActivityReportFactory,
    GoalFactory,
    IndicatorFactory,
    OrgUnitFactory,
    OutcomeFactory,
    PlacementFactory,
    TargetFactory,
)
from styrkort.followup.queries import evaluate_tree, evaluate_unit
from styrkort.organisation.models import OrgUnit
from worlds import add_indicators

pytestmark = pytest.mark.django_db

MAX_QUERIES = 20


def grow(world, tag: str, *, units: int, indicators: int, months: bool) -> None:
    """More clinics under VO Internmedicin, more indicators with targets, outcomes per
    clinic (monthly or per reporting point) and more activities with reports."""
    ls1 = world.ls1
    clinics = [
        OrgUnitFactory(
            parent=world.im, code=f"NLL-LS1-IM-{tag}{n}", name=f"Klinik {tag}{n}", type="clinic"
        )
        for n in range(units)
    ]
    goal = GoalFactory(plan=world.plan, parent=world.goals.safety, name=f"Extra mål {tag}")
    for n in range(indicators):
        ind = IndicatorFactory(organisation=world.org, code=f"grow-{tag}{n}", unit="st")
        placement = PlacementFactory(plan=world.plan, goal=goal, indicator=ind, order=100 + n)
        TargetFactory(placement=placement, year=2022, text="Öka" if n % 2 else "max 175")
        for clinic in clinics:
            if months:
                for m in (1, 2, 3, 4):
                    OutcomeFactory(indicator=ind, unit=clinic, period=f"2022-0{m}", value=m)
            else:
                OutcomeFactory(indicator=ind, unit=clinic, period="2022-DÅ04", value=10)
                OutcomeFactory(indicator=ind, unit=clinic, period="2021-DÅ04", value=9)
        activity = ActivityFactory(plan=world.plan, owner_unit=ls1, goals=[goal])
        for clinic in clinics[:2]:
            ActivityReportFactory(activity=activity, unit=clinic, status="on_track")


def count_queries(func) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


@pytest.mark.parametrize("months", [False, True])
def test_query_count_does_not_grow_with_units_or_indicators(world, months):
    small = world
    grow(small, "a", units=1, indicators=1, months=months)
    ls1 = OrgUnit.objects.get(code="NLL-LS1")
    today = dt.date(2022, 5, 15)
    small_unit = count_queries(lambda: evaluate_unit(ls1, "2022-DÅ04", today=today))
    small_tree = count_queries(
        lambda: [ev.to_json() for ev in evaluate_tree(ls1, "2022-DÅ04", today=today)]
    )

    big = small  # the same database, grown: many more units, indicators and outcomes
    grow(big, "b", units=12, indicators=15, months=months)
    ls1.refresh_from_db()
    big_unit = count_queries(lambda: evaluate_unit(ls1, "2022-DÅ04", today=today))
    big_tree = count_queries(
        lambda: [ev.to_json() for ev in evaluate_tree(ls1, "2022-DÅ04", today=today)]
    )
    assert small_unit == big_unit <= MAX_QUERIES
    assert small_tree == big_tree <= MAX_QUERIES
    ev = evaluate_unit(ls1, "2022-DÅ04", today=today)
    assert ev.value("grow-b3") == 12 * 10  # 1+2+3+4 or one DÅ04 value of 10 per clinic


def test_max_num_queries_fixture(world, django_assert_max_num_queries):
    add_indicators(world, 25)
    grow(world, "c", units=5, indicators=5, months=True)
    ls1 = OrgUnit.objects.get(code="NLL-LS1")
    with django_assert_max_num_queries(MAX_QUERIES):
        evaluate_unit(ls1, "2022-DÅ04").to_json()
