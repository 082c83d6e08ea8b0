"""evaluate_unit on factory-built data: seed 001's numbers for Division Länssjukvård 1."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest

from factories import (
    ActivityFactory,
    ActivityReportFactory,
    GoalFactory,
    IndicatorFactory,
    OrgUnitFactory,
    OutcomeFactory,
    PlacementFactory,
    PlanFactory,
    TargetFactory,
)
from styrkort.followup.models import Assessment
from styrkort.followup.queries import evaluate_tree, evaluate_unit
from styrkort.organisation.models import OrgUnit
from styrkort.planning.models import ActivitySummary

pytestmark = pytest.mark.django_db

TODAY = dt.date(2022, 5, 15)


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def test_readmissions_per_sex_target_partly_and_not_met_with_trends(world):
    ev = evaluate_unit(unit("NLL-LS1"), "2022-DÅ04", today=TODAY)
    item = ev.indicator("aterinskrivningar-65")
    assert item.values["women"] == 18.8 and item.values["men"] == 17.3
    # The total entered as the yearly table's counts (489 / 2 725), no total last DÅ04.
    assert item.values["total"] == pytest.approx(100 * 489 / 2725)
    assert item.computed_status == {"total": "not_met", "women": "not_met", "men": "partly"}
    assert item.status == item.computed_status
    # Men's readmissions fell (17,9 -> 17,3: better, ↑), women's rose (18,0 -> 18,8: ↓).
    assert item.trend == {"total": "none", "women": "worse", "men": "better"}
    assert item.target.text == "M: 17,2 % K: 16 %"
    assert item.target.kind == "by_sex"
    assert item.goal_path == [
        "Verksamhet",
        "God nära och samordnad vård",
        "En sammanhållen och samordnad vård utifrån individens behov",
    ]


def test_medication_reports_met_and_rollup_flagged_against_own_value(world):
    ev = evaluate_unit(unit("NLL-LS1"), "2022-DÅ04", today=TODAY)
    item = ev.indicator("lakemedelsberattelse")
    # The division's own total is the sexes' sums, never a mean of the percentages.
    assert (item.numerator, item.denominator) == (1302, 1664)
    assert item.values["total"] == pytest.approx(100 * 1302 / 1664)
    assert item.values["women"] == pytest.approx(100 * 644 / 819)
    assert item.values["men"] == pytest.approx(100 * 658 / 845)
    assert item.sources == {"total": "sexes", "women": "entered", "men": "entered"}
    assert item.status == {"total": "met", "women": "met", "men": "met"}
    # VO Internmedicin 1 320 / 1 753 + VO Neurocentrum 4 / 4 = 1 324 / 1 757 = 75,4 %.
    assert (item.rollup.numerator, item.rollup.denominator) == (1324, 1757)
    assert item.rollup.total == pytest.approx(75.3557, abs=1e-4)
    assert item.rollup.from_units == 2
    assert item.rollup.units == ("NLL-LS1-IM", "NLL-LS1-NC")
    [flag] = item.reconciliation
    assert flag.against == "subunits" and flag.sex == "total" and flag.unit_code == "NLL-LS1"
    assert (flag.direct.numerator, flag.direct.denominator) == (1302, 1664)
    assert (flag.rollup.numerator, flag.rollup.denominator) == (1324, 1757)
    assert flag.difference == pytest.approx(100 * 1302 / 1664 - 100 * 1324 / 1757)
    assert item.target.long_term == (("100 %", 2024),)


def test_wait_share_change_in_percentage_points(world):
    ev = evaluate_unit(unit("NLL-LS1"), "2022-DÅ04", today=TODAY)
    item = ev.indicator("vantetid-forsta-besok")
    assert item.values == {"total": 51.0, "women": 45.0, "men": 60.0}
    assert item.previous_values["total"] == 49.0
    assert item.change_pp == pytest.approx(2.0)
    assert item.change_pct == pytest.approx(100 * 2 / 49)
    assert item.status["total"] == "not_met"  # 51 against 100 %, far outside the band
    assert item.trend["total"] == "better"


def test_manual_assessment_overrides_with_reason_and_both_are_kept(world):
    ls1 = unit("NLL-LS1")
    Assessment.objects.create(
        unit=ls1,
        indicator=IndicatorLookup("lakemedelsberattelse"),
        period="2022-DÅ04",
        sex="total",
        status="partly",
        reason="Kliniktabellen summerar till 75 %.",
    )
    item = evaluate_unit(ls1, "2022-DÅ04", today=TODAY).indicator("lakemedelsberattelse")
    assert item.computed_status["total"] == "met"
    assert item.status["total"] == "partly"
    assert item.assessments["total"].reason == "Kliniktabellen summerar till 75 %."
    assert item.to_json()["assessment"]["total"]["status"] == "partly"


def IndicatorLookup(code):
    from styrkort.planning.models import Indicator

    return Indicator.objects.get(code=code)


def test_goals_roll_up_and_counts(world):
    ev = evaluate_unit(unit("NLL-LS1"), "2022-DÅ04", today=TODAY)
    goals = {g.name: g for g in ev.goals}
    access = goals["En god vård med hög tillgänglighet"]
    # Wait share not met (1); activity 17 still planned does not count -> not met.
    assert access.status == "not_met"
    coordinated = goals["En sammanhållen och samordnad vård utifrån individens behov"]
    # Readmissions not met (1) and activity 12 on track (2): mean 1.5 -> partly.
    assert coordinated.status == "partly"
    safety = goals["En hållbar verksamhet med hög säkerhet"]
    assert safety.status == "met"
    assert safety.counts["met"] == 1
    operations = goals["Verksamhet"]
    # Its strategic goal: mean of partly (2) and met (3) = 2.5 -> met.
    assert goals["God nära och samordnad vård"].status == "met"
    assert operations.counts == {
        "met": 1,
        "partly": 0,
        "not_met": 1,
        "not_assessed": 0,
        "no_data": 0,
    }
    assert access.level == 3 and access.level_name == "Framgångsfaktor"
    by_key = {(c.area, c.level): c.counts for c in ev.goal_counts}
    assert by_key[("Verksamhet", 3)]["met"] == 1 and by_key[("Verksamhet", 3)]["partly"] == 1
    assert by_key[(None, 3)] == {
        "met": 1,
        "partly": 1,
        "not_met": 1,
        "not_assessed": 0,
        "no_data": 0,
    }


def test_goal_thresholds_come_from_the_organisation(world):
    org = unit("NLL-LS1").organisation
    org.goal_met_threshold = 1.5  # partly (2) now counts as met
    org.save()
    ev = evaluate_unit(unit("NLL-LS1"), "2022-DÅ04", today=TODAY)
    goals = {g.name: g for g in ev.goals}
    assert goals["En sammanhållen och samordnad vård utifrån individens behov"].status == "met"


def test_activities_counts_and_stale(world):
    ev = evaluate_unit(unit("NLL-LS1"), "2022-DÅ04", today=TODAY)
    by_number = {a.number: a for a in ev.activities}
    assert by_number["12"].status == "on_track" and by_number["12"].status_source == "report"
    # Activity 17 has only a sub-unit's answer; the division's own status is still planned
    # after its start date: stale.
    assert by_number["17"].status == "planned" and by_number["17"].status_source == "activity"
    assert by_number["17"].stale and "startdatum" in by_number["17"].stale_reason
    assert [a.number for a in ev.stale_activities] == ["17"]
    assert ev.activity_counts["on_track"] == 1 and ev.activity_counts["planned"] == 1
    # Before the start date it is not stale yet.
    early = evaluate_unit(unit("NLL-LS1"), "2022-DÅ04", today=dt.date(2022, 1, 1))
    assert early.stale_activities == []


def test_activity_summaries_add_to_the_counts(world):
    ls1 = unit("NLL-LS1")
    plan = ls1.plans.get()
    ActivitySummary.objects.create(plan=plan, unit=ls1, period="2022-DÅ04", status="done", count=58)
    ActivitySummary.objects.create(plan=plan, unit=ls1, period="2022-DÅ08", status="done", count=7)
    ev = evaluate_unit(ls1, "2022-DÅ04", today=TODAY)
    assert ev.activity_counts["done"] == 58


def test_planned_with_a_comment_is_stale(world):
    ls1 = unit("NLL-LS1")
    plan = ls1.plans.get()
    activity = ActivityFactory(plan=plan, owner_unit=ls1, number="30", status="planned")
    ActivityReportFactory(
        activity=activity, unit=ls1, period="2022-DA04", status="planned", comment="Arbete pågår."
    )
    ev = evaluate_unit(ls1, "2022-DÅ04", today=TODAY)
    [stale] = [a for a in ev.stale_activities if a.number == "30"]
    assert stale.comment == "Arbete pågår." and "kommentar" in stale.stale_reason


def test_sub_unit_follows_the_division_plan_with_its_own_numbers(world):
    ev = evaluate_unit(unit("NLL-LS1-IM"), "2022-DÅ04", today=TODAY)
    assert ev.plan_unit_code == "NLL-LS1"
    item = ev.indicator("lakemedelsberattelse")
    assert (item.numerator, item.denominator) == (1320, 1753)
    assert item.rollup is None and item.reconciliation == []
    # Only the activity this unit answered is listed, with its answer.
    assert [(a.number, a.status) for a in ev.activities] == [("17", "delayed")]


def test_period_aliases_echo_canonical(world):
    for text in ("2022-T1", "2022-DA04", "2022-då4"):
        assert evaluate_unit(unit("NLL-LS1"), text, today=TODAY).period == "2022-DÅ04"


def test_json_contract_shape(world):
    data = evaluate_unit(unit("NLL-LS1"), "2022-DÅ04", today=TODAY).to_json()
    json.dumps(data)  # serialisable as it is
    assert data["org"]["code"] == "NLL-LS1" and data["org"]["name"] == "Division Länssjukvård 1"
    assert data["period"] == "2022-DÅ04"
    med = next(i for i in data["indicators"] if i["code"] == "lakemedelsberattelse")
    assert set(med) >= {
        "code", "name", "unit", "goal_path", "values", "numerator", "denominator", "target",
        "status", "computed_status", "trend", "change_pct", "rollup", "reconciliation",
    }  # fmt: skip
    assert set(med["values"]) == {"total", "women", "men"}
    assert med["rollup"]["from_units"] == 2
    assert med["rollup"]["units"] == ["NLL-LS1-IM", "NLL-LS1-NC"]
    assert med["rollup"]["numerator"] == 1324 and med["rollup"]["denominator"] == 1757
    assert med["target"]["text"] == "70 %"
    assert med["values"]["women"] == pytest.approx(78.632, abs=1e-3)  # percent, unrounded
    assert med["change_pct"] is None  # no value last year
    goal = data["goals"][0]
    assert set(goal) >= {"name", "level", "status", "counts"}
    assert set(data["activities"]) >= {"counts", "stale"}
    assert data["activities"]["stale"][0]["number"] == "17"
    statuses = {"met", "partly", "not_met", "not_assessed", "no_data"}
    trends = {"better", "worse", "unchanged", "none"}
    for item in data["indicators"]:
        assert set(item["status"].values()) <= statuses
        assert set(item["trend"].values()) <= trends


# --- periods derived from finer periods ----------------------------------------------


@pytest.fixture
def monthly():
    """A unit with monthly data for 2021 and 2022 for four kinds of indicator."""
    root = OrgUnitFactory(code="R", name="Region R", type="region")
    plan = PlanFactory(unit=root, start_year=2022, end_year=2022, state="adopted")
    goal = GoalFactory(plan=plan, level=1, name="Verksamhet")
    org = root.organisation
    kinds = {
        "visits": dict(unit="st", aggregation="sum", measure_type="flow"),
        "share": dict(unit="%", aggregation="ratio", measure_type="flow"),
        "queue": dict(unit="st", aggregation="sum", measure_type="stock"),
        "wait": dict(unit="%", aggregation="ratio", measure_type="average"),
    }
    indicators = {}
    for code, attrs in kinds.items():
        indicators[code] = IndicatorFactory(organisation=org, code=code, name=code, **attrs)
        PlacementFactory(plan=plan, goal=goal, indicator=indicators[code])
    for year in (2021, 2022):
        for month in range(1, 13):
            period = f"{year}-{month:02d}"
            OutcomeFactory(indicator=indicators["visits"], unit=root, period=period, value=month)
            OutcomeFactory(
                indicator=indicators["share"],
                unit=root,
                period=period,
                value=100 * month / 20,
                numerator=month,
                denominator=20,
            )
            OutcomeFactory(
                indicator=indicators["queue"], unit=root, period=period, value=100 + month
            )
            OutcomeFactory(indicator=indicators["wait"], unit=root, period=period, value=month)
    root.refresh_from_db()
    return root


@pytest.mark.parametrize(
    ("period", "visits", "share", "queue", "wait"),
    [
        ("2022-DÅ04", 10, 100 * 10 / 80, 104, 2.5),
        ("2022-T2", 26, 100 * 26 / 80, 108, 6.5),
        ("2022-DÅ08", 36, 100 * 36 / 160, 108, 4.5),
        ("2022", 78, 100 * 78 / 240, 112, 6.5),
        ("2022-Q2", 15, 100 * 15 / 60, 106, 5.0),
        ("2022-05", 5, 25.0, 105, 5.0),
    ],
)
def test_values_derived_from_months(monthly, period, visits, share, queue, wait):
    ev = evaluate_unit(monthly, period, today=TODAY)
    assert ev.value("visits") == visits
    assert ev.value("share") == pytest.approx(share)
    assert ev.value("queue") == queue
    assert ev.value("wait") == pytest.approx(wait)
    assert ev.indicator("visits").sources["total"] == "months"
    assert ev.indicator("visits").previous_values["total"] == visits  # same data in 2021
    assert ev.indicator("visits").trend["total"] == "unchanged"


def test_entered_period_wins_and_pieces_tile_the_rest(monthly):
    visits = IndicatorLookup("visits")
    # An entered DÅ04 value wins over the months inside it ...
    OutcomeFactory(indicator=visits, unit=monthly, period="2022-DÅ04", value=1000)
    ev = evaluate_unit(monthly, "2022-DÅ04", today=TODAY)
    assert ev.value("visits") == 1000 and ev.indicator("visits").sources["total"] == "entered"
    # ... and DÅ08 is still the sum of all its months (every month entered).
    assert evaluate_unit(monthly, "2022-DÅ08", today=TODAY).value("visits") == 36


def test_tertials_make_up_the_reporting_points():
    root = OrgUnitFactory(code="T", name="Region T", type="region")
    plan = PlanFactory(unit=root, start_year=2022, end_year=2022, state="adopted")
    goal = GoalFactory(plan=plan, level=1)
    visits = IndicatorFactory(organisation=root.organisation, code="t-visits", unit="st")
    queue = IndicatorFactory(
        organisation=root.organisation, code="t-queue", unit="st", measure_type="stock"
    )
    for ind in (visits, queue):
        PlacementFactory(plan=plan, goal=goal, indicator=ind)
    OutcomeFactory(indicator=visits, unit=root, period="2022-DÅ04", value=100)
    OutcomeFactory(indicator=visits, unit=root, period="2022-T2", value=50)
    OutcomeFactory(indicator=visits, unit=root, period="2022-09", value=5)
    OutcomeFactory(indicator=visits, unit=root, period="2022-10", value=6)
    OutcomeFactory(indicator=queue, unit=root, period="2022-T2", value=40)
    OutcomeFactory(indicator=queue, unit=root, period="2022-12", value=44)
    root.refresh_from_db()
    dao8 = evaluate_unit(root, "2022-DÅ08", today=TODAY)
    assert dao8.value("t-visits") == 150
    assert dao8.indicator("t-visits").sources["total"] == "pieces"
    assert dao8.value("t-queue") == 40  # a stock: the value at the end of August
    year = evaluate_unit(root, "2022", today=TODAY)
    assert year.value("t-visits") is None  # November and December missing: no partial sum
    assert year.value("t-queue") == 44


# --- targets ----------------------------------------------------------------------------


def test_per_unit_target_wins_and_reporting_point_targets():
    root = OrgUnitFactory(code="P", name="Region P", type="region")
    plan = PlanFactory(unit=root, start_year=2022, end_year=2022, state="adopted")
    goal = GoalFactory(plan=plan, level=1)
    ind = IndicatorFactory(organisation=root.organisation, code="p-share", unit="%")
    placement = PlacementFactory(plan=plan, goal=goal, indicator=ind)
    TargetFactory(placement=placement, year=2022, text="DÅ 04: 56 % DÅ 08: 57 % ÅR: 58 %")
    OutcomeFactory(indicator=ind, unit=root, period="2022-DÅ04", value=56.5)
    OutcomeFactory(indicator=ind, unit=root, period="2022-DÅ08", value=56.5)
    root.refresh_from_db()
    assert evaluate_unit(root, "2022-DÅ04").indicator("p-share").status["total"] == "met"
    assert evaluate_unit(root, "2022-DÅ08").indicator("p-share").status["total"] == "partly"
    TargetFactory(placement=placement, year=2022, unit=root, text="max 52 %")
    ev = evaluate_unit(root, "2022-DÅ04")
    item = ev.indicator("p-share")
    assert item.target.text == "max 52 %" and item.target.unit_code == "P"
    assert item.status["total"] == "partly"  # 56,5 within 10 % above max 52 (57,2)


def test_relative_target_against_named_year_and_missing_reference():
    root = OrgUnitFactory(code="F", name="Region F", type="region")
    plan = PlanFactory(unit=root, start_year=2022, end_year=2022, state="adopted")
    goal = GoalFactory(plan=plan, level=1)
    falls = IndicatorFactory(
        organisation=root.organisation, code="f-falls", unit="st", direction="lower"
    )
    placement = PlacementFactory(plan=plan, goal=goal, indicator=falls)
    TargetFactory(placement=placement, year=2022, text="Minska med 50 % jmf med 2020")
    OutcomeFactory(indicator=falls, unit=root, period="2022-DÅ04", value=90)
    OutcomeFactory(indicator=falls, unit=root, period="2021-DÅ04", value=68)
    root.refresh_from_db()
    item = evaluate_unit(root, "2022-DÅ04").indicator("f-falls")
    # No 2020 value: the rules cannot assess it (seed 001's falls).
    assert item.computed_status["total"] == "not_assessed"
    assert item.target.reference_period == "2020-DÅ04"
    assert item.trend["total"] == "worse"
    assert item.change_pct == pytest.approx(100 * 22 / 68)
    # With a 2020 value of 180, 90 is exactly half: met.
    OutcomeFactory(indicator=falls, unit=root, period="2020-DÅ04", value=180)
    item = evaluate_unit(root, "2022-DÅ04").indicator("f-falls")
    assert item.target.reference_values["total"] == 180
    assert item.computed_status["total"] == "met"


def test_indicator_tolerance_wins_over_organisation():
    root = OrgUnitFactory(code="TOL", name="Region Tol", type="region")
    plan = PlanFactory(unit=root, start_year=2022, end_year=2022, state="adopted")
    goal = GoalFactory(plan=plan, level=1)
    ind = IndicatorFactory(organisation=root.organisation, code="tol", unit="%", tolerance_pct=2)
    TargetFactory(
        placement=PlacementFactory(plan=plan, goal=goal, indicator=ind), year=2022, text="70 %"
    )
    OutcomeFactory(indicator=ind, unit=root, period="2022-DÅ04", value=66)
    root.refresh_from_db()
    assert evaluate_unit(root, "2022-DÅ04").indicator("tol").status["total"] == "not_met"
    ind.tolerance_pct = None
    ind.save()
    assert evaluate_unit(root, "2022-DÅ04").indicator("tol").status["total"] == "partly"


# --- the organisation as it was -----------------------------------------------------------


def test_closed_unit_counts_while_it_existed():
    root = OrgUnitFactory(code="S", name="Primärvården", type="division")
    open_vc = OrgUnitFactory(parent=root, code="VC-A", name="VC A", type="health_centre")
    closing = OrgUnitFactory(
        parent=root,
        code="VC-GAL",
        name="VC Gallerian",
        type="health_centre",
        valid_to=dt.date(2024, 1, 31),
    )
    root.refresh_from_db()
    plan = PlanFactory(unit=root, start_year=2023, end_year=2024, state="adopted")
    goal = GoalFactory(plan=plan, level=1)
    ind = IndicatorFactory(organisation=root.organisation, code="s-visits", unit="st")
    PlacementFactory(plan=plan, goal=goal, indicator=ind)
    for year in (2023, 2024):
        OutcomeFactory(indicator=ind, unit=open_vc, period=f"{year}-DÅ04", value=100)
        OutcomeFactory(indicator=ind, unit=closing, period=f"{year}-DÅ04", value=7)
    y2023 = evaluate_unit(root, "2023-DÅ04").indicator("s-visits")
    assert y2023.values["total"] == 107 and y2023.rollup.units == ("VC-A", "VC-GAL")
    # Gallerian closed 2024-01-31 but existed in January: it still counts for DÅ04 2024 ...
    assert evaluate_unit(root, "2024-DÅ04").value("s-visits") == 107
    # ... and not in a period after it closed.
    OutcomeFactory(indicator=ind, unit=open_vc, period="2024-T2", value=60)
    OutcomeFactory(indicator=ind, unit=closing, period="2024-T2", value=3)
    t2 = evaluate_unit(root, "2024-T2").indicator("s-visits")
    assert t2.values["total"] == 60 and t2.rollup.units == ("VC-A",)


def test_tree_evaluation_matches_unit_evaluation(world):
    tree = evaluate_tree(unit("NLL"), "2022-DÅ04", today=TODAY)
    assert tree.unit_codes()[:2] == ["NLL", "NLL-LS1"]
    from_tree = tree.unit("NLL-LS1").to_json()
    alone = evaluate_unit(unit("NLL-LS1"), "2022-DÅ04", today=TODAY).to_json()
    assert from_tree["indicators"] == alone["indicators"]
    assert from_tree["goals"] == alone["goals"]
    codes = [ev.unit_code for ev in tree]
    assert codes == tree.unit_codes()


def test_no_plan_and_no_data():
    lonely = OrgUnitFactory(code="L", name="Ensam enhet", type="unit")
    ev = evaluate_unit(lonely, "2022")
    assert ev.plan_id is None and ev.indicators == [] and ev.goals == []
    assert ev.to_json()["plan"] is None
    assert math.isclose(sum(ev.activity_counts.values()), 0)
