"""The shared test data: one small world, and the seed demo.

`build_world()` is a small Region Norrbotten with seed 001's numbers; the fixture `world`
(conftest.py) builds it once per test module. `DEMO_FILES` are the seed fixture files
the fixture `demo` loads once per module, unless the module names its own.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from factories import (
    ActivityFactory,
    ActivityReportFactory,
    AnalysisFactory,
    GoalFactory,
    IndicatorFactory,
    OrganisationFactory,
    OrgUnitFactory,
    OutcomeFactory,
    PlacementFactory,
    PlanFactory,
    PlanModelFactory,
    RoleAssignmentFactory,
    TargetFactory,
    UserFactory,
)
from styrkort.accounts.models import Role, User
from styrkort.demo.loader import FIXTURE_DIR
from styrkort.followup.models import Sex
from styrkort.planning.models import Indicator

#: Seed 001 (Norrbotten: organisation, indicators, Division Länssjukvård 1's plan and
#: follow-up, the board's plan), seed 003 (Sörmland's Division Primärvård) and the risk
#: and economy fixtures of seeds 003 and 004.
DEMO_FILES = [
    *sorted(FIXTURE_DIR.glob("0[0-9][0-9]-norrbotten-*.yaml")),
    *sorted(FIXTURE_DIR.glob("2[0-9]-srs-*.yaml")),
    *sorted(FIXTURE_DIR.glob("5*-*.yaml")),
]

#: Norrbotten's board plan and Sörmland's Division Primärvård with the risk and economy
#: fixtures of seeds 003 and 004: enough for the risk pages and API.
RISK_FILES = [
    *sorted(FIXTURE_DIR.glob("00[1-4]-norrbotten-*.yaml")),
    FIXTURE_DIR / "20-srs-organisation.yaml",
    FIXTURE_DIR / "21-srs-plan-model.yaml",
    FIXTURE_DIR / "22-srs-indicators.yaml",
    FIXTURE_DIR / "23-srs-plan.yaml",
    *sorted(FIXTURE_DIR.glob("5*-*.yaml")),
]

#: The organisations of Norrbotten and Sörmland, Sörmland's indicators and the economy
#: fixtures of seeds 003 and 004: enough for the economy's pages, API and import.
ECONOMY_FILES = [
    FIXTURE_DIR / "001-norrbotten-organisation.yaml",
    FIXTURE_DIR / "20-srs-organisation.yaml",
    FIXTURE_DIR / "22-srs-indicators.yaml",
    *sorted(FIXTURE_DIR.glob("5[1-267]-*.yaml")),
]


def _outcome(indicator, unit, period, sex, value=None, numerator=None, denominator=None):
    """An outcome as record_outcome would store it (a ratio's value from its parts)."""
    if value is None and numerator is not None and denominator:
        value = indicator.ratio_scale * numerator / denominator
    return OutcomeFactory(
        indicator=indicator,
        unit=unit,
        period=period,
        sex=sex,
        value=value,
        numerator=numerator,
        denominator=denominator,
    )


def build_world(*, plans: bool = True, extra_indicators: int = 0) -> SimpleNamespace:
    """A small Region Norrbotten with seed 001's numbers.

    Tree: Region Norrbotten (NLL) > Division Länssjukvård 1 (LS1) > VO Internmedicin (IM),
    VO Neurocentrum (NC); Division Länssjukvård 2 (LS2), outside LS1's subtree; Division
    Primärvård (PV) > Hälsocentral Gallerian (PV-GAL, closed 2024-02-01). A second
    tenant, Region Sörmland (SRS), has one unit and one indicator. Indicators: the wait
    share to a first visit, doctor visits, unplanned readmissions and medication reports
    (seed 001), the economic result and the budget deviation in percent (which may be
    negative). Users, each with the password PASSWORD: admin (admin at the region),
    planner / reporter / reader (at LS1), reporter_ls2 (reporter at LS2) and outsider
    (reader in Sörmland). Medication reports at LS1 for 2022-DÅ04: women 644/819, men
    658/845.

    With `plans` (the default) the plans and their follow-up too (every plan adopted, so
    that units follow it up: a change of it needs a reason): the LS1 plan 2022 has
    the perspectives Medborgare and Verksamhet with the four seed 001 indicators: the wait
    share (51 %, target 100 %), doctor visits (target "Öka", 29 685 in 2021-DÅ04 and
    nothing yet for 2022: reported in the tests), unplanned readmissions (M 17,3 % /
    K 18,8 % vs M 17,2 % K 16 %) and medication reports (vs 70 %), with 2021 values for
    the trends, an analysis and two activities with reports; the board's plan above it.
    LS2 has a small plan of its own (one goal, doctor visits, one activity) for tests
    outside LS1's subtree. Without `plans` there are no plans, no wait share (the plan
    import creates it) and no outcomes but the medication reports: for the import and
    API tests, which write them. `extra_indicators` adds more placed indicators with
    outcomes (with `plans`), for query-count tests.
    """
    world = _organisation()
    _indicators(world, wait=plans)
    world.users = SimpleNamespace(
        admin=_user("admin", Role.ADMIN, world.region),
        planner=_user("planner", Role.PLANNER, world.ls1),
        reporter=_user("reporter", Role.REPORTER, world.ls1),
        reader=_user("reader", Role.READER, world.ls1),
        reporter_ls2=_user("reporter_ls2", Role.REPORTER, world.ls2),
        outsider=_user("outsider", Role.READER, world.other),
    )
    world.period = "2022-DÅ04"
    _outcome(world.medication, world.ls1, world.period, Sex.WOMEN, numerator=644, denominator=819)
    _outcome(world.medication, world.ls1, world.period, Sex.MEN, numerator=658, denominator=845)
    if plans:
        _plans(world)
        add_indicators(world, extra_indicators)
    return world


def _organisation() -> SimpleNamespace:
    org = OrganisationFactory(code="nll", name="Region Norrbotten")
    region = OrgUnitFactory(organisation=org, code="NLL", name="Region Norrbotten", type="region")
    ls1 = OrgUnitFactory(
        parent=region, code="NLL-LS1", name="Division Länssjukvård 1", type="division"
    )
    im = OrgUnitFactory(
        parent=ls1, code="NLL-LS1-IM", name="VO Internmedicin", type="business_area"
    )
    nc = OrgUnitFactory(parent=ls1, code="NLL-LS1-NC", name="VO Neurocentrum", type="business_area")
    ls2 = OrgUnitFactory(
        parent=region, code="NLL-LS2", name="Division Länssjukvård 2", type="division"
    )
    pv = OrgUnitFactory(parent=region, code="NLL-PV", name="Division Primärvård", type="division")
    gallerian = OrgUnitFactory(
        parent=pv,
        code="NLL-PV-GAL",
        name="Hälsocentral Gallerian",
        type="health_centre",
        valid_from=dt.date(2010, 1, 1),
        valid_to=dt.date(2024, 2, 1),
    )
    other_org = OrganisationFactory(code="srs", name="Region Sörmland")
    other = OrgUnitFactory(
        organisation=other_org, code="SRS", name="Region Sörmland", type="region"
    )
    for unit in (region, ls1, im, nc, ls2, pv, gallerian, other):
        unit.refresh_from_db()
    return SimpleNamespace(
        org=org,
        region=region,
        ls1=ls1,
        im=im,
        nc=nc,
        ls2=ls2,
        pv=pv,
        gallerian=gallerian,
        other_org=other_org,
        other=other,
    )


def _indicators(world, *, wait: bool) -> None:
    """Seed 001's indicators (the wait share only with `wait`: the plan import creates
    it), the economic result, the budget deviation and Sörmland's visits."""
    org = world.org
    world.wait = None
    if wait:
        world.wait = IndicatorFactory(
            organisation=org,
            code="vantetid-forsta-besok",
            name="Andel väntande som väntat 90 dagar eller kortare till första besök",
            definition="Andel av patienter på väntelista som väntat 90 dagar eller kortare.",
            unit="%",
            aggregation="ratio",
            measure_type="average",
            direction="higher",
            source="Väntetidsdatabasen",
            by_sex=True,
            decimals=0,
        )
    world.readmit = IndicatorFactory(
        organisation=org,
        code="aterinskrivningar-65",
        name="Oplanerade återinskrivningar inom 30 dagar för personer 65 år eller äldre",
        unit="%",
        aggregation="ratio",
        direction="lower",
        source="Datalager",
        by_sex=True,
        decimals=1,
    )
    world.medication = IndicatorFactory(
        organisation=org,
        code="lakemedelsberattelse",
        name="Andel utskrivna patienter 75 år och äldre med mer än 5 läkemedel som fått "
        "en läkemedelsberättelse",
        unit="%",
        aggregation="ratio",
        direction="higher",
        source="Datalager",
        by_sex=True,
        decimals=0,
        numerator_label="Antal med LM-berättelse",
        denominator_label="Antal med 5 ATC och VTF",
    )
    world.visits = IndicatorFactory(
        organisation=org,
        code="lakarbesok",
        name="Antal läkarbesök",
        definition="Besök hos läkare, fysiska och på distans.",
        unit="st",
        kind="control",
        aggregation="sum",
        measure_type="flow",
        direction="higher",
        source="Datalager",
    )
    world.result = IndicatorFactory(
        organisation=org,
        code="resultat",
        name="Ekonomiskt resultat",
        unit="mnkr",
        aggregation="sum",
    )
    # Budget deviation in percent: may be negative (-11,2 %), not a bounded share.
    world.deviation = IndicatorFactory(
        organisation=org,
        code="budgetavvikelse",
        name="Budgetavvikelse",
        unit="%",
        aggregation="mean",
        direction="higher",
    )
    world.other_indicator = IndicatorFactory(
        organisation=world.other_org, code="srs-besok", name="Besök", unit="st", aggregation="sum"
    )


def _plans(world) -> None:
    org, region, ls1, ls2 = world.org, world.region, world.ls1, world.ls2
    im, nc = world.im, world.nc
    wait, readmit, medication, visits = world.wait, world.readmit, world.medication, world.visits
    model = PlanModelFactory(organisation=org, name="Balanserad styrning Norrbotten")
    board_plan = PlanFactory(
        unit=region,
        plan_model=model,
        code="nll-rs-2022",
        name="Regionstyrelsens plan 2022–2024",
        start_year=2022,
        end_year=2024,
        state="adopted",
    )
    board_goal = GoalFactory(plan=board_plan, level=1, name="Medborgare", order=1)
    board_strategic = GoalFactory(
        plan=board_plan, parent=board_goal, name="Trygg norrbottning med god livskvalitet"
    )
    plan = PlanFactory(
        unit=ls1,
        plan_model=model,
        code="ls1-2022",
        name="Verksamhetsplan 2022 Division Länssjukvård 1",
        start_year=2022,
        end_year=2022,
        state="adopted",
        superior_plan=board_plan,
    )
    citizens = GoalFactory(plan=plan, level=1, name="Medborgare", order=1)
    strategic = GoalFactory(
        plan=plan, parent=citizens, name="Trygg norrbottning med god livskvalitet", order=1
    )
    strategic.linked_goals.add(board_strategic)
    access = GoalFactory(
        plan=plan, parent=strategic, name="En god vård med hög tillgänglighet", order=1
    )
    operations = GoalFactory(plan=plan, level=1, name="Verksamhet", order=2)
    care = GoalFactory(plan=plan, parent=operations, name="God nära och samordnad vård", order=1)
    coordinated = GoalFactory(
        plan=plan,
        parent=care,
        name="En sammanhållen och samordnad vård utifrån individens behov",
        order=1,
    )
    safety = GoalFactory(
        plan=plan, parent=care, name="En hållbar verksamhet med hög säkerhet", order=2
    )

    p_wait = PlacementFactory(plan=plan, goal=access, indicator=wait, order=1)
    p_visits = PlacementFactory(plan=plan, goal=access, indicator=visits, order=2)
    TargetFactory(placement=p_visits, year=2022, text="Öka")
    p_readmit = PlacementFactory(plan=plan, goal=coordinated, indicator=readmit, order=1)
    p_med = PlacementFactory(plan=plan, goal=safety, indicator=medication, order=1)
    TargetFactory(placement=p_wait, year=2022, text="100 %")
    TargetFactory(placement=p_readmit, year=2022, text="M: 17,2 % K: 16 %")
    TargetFactory(placement=p_med, year=2022, text="70 %")
    TargetFactory(placement=p_med, year=2024, text="100 %", is_long_term=True)

    period = world.period
    _outcome(visits, ls1, "2021-DÅ04", Sex.TOTAL, 29685)
    _outcome(wait, ls1, period, Sex.TOTAL, 51.0)
    _outcome(wait, ls1, period, Sex.WOMEN, 45.0)
    _outcome(wait, ls1, period, Sex.MEN, 60.0)
    _outcome(wait, ls1, "2021-DÅ04", Sex.TOTAL, 49.0)
    # Seed 001's yearly table: discharged patients and unplanned readmissions.
    for year, readmitted, discharged in (
        ("2019", 1590, 8976),
        ("2020", 1479, 8152),
        ("2021", 1421, 7928),
        (period, 489, 2725),
    ):
        _outcome(readmit, ls1, year, Sex.TOTAL, numerator=readmitted, denominator=discharged)
    _outcome(readmit, ls1, period, Sex.WOMEN, 18.8)
    _outcome(readmit, ls1, period, Sex.MEN, 17.3)
    _outcome(readmit, ls1, "2021-DÅ04", Sex.WOMEN, 18.0)
    _outcome(readmit, ls1, "2021-DÅ04", Sex.MEN, 17.9)
    _outcome(medication, im, period, Sex.TOTAL, numerator=1320, denominator=1753)
    _outcome(medication, nc, period, Sex.TOTAL, numerator=4, denominator=4)
    AnalysisFactory(
        unit=ls1,
        indicator=medication,
        period=period,
        text="Divisionen har ett gott genomsnitt; målet för 2022 är 70 procent.",
    )

    activity_on_track = ActivityFactory(
        plan=plan,
        owner_unit=ls1,
        number="12",
        name="Utveckla den palliativa vården",
        status="on_track",
        goals=[coordinated],
    )
    activity_cascaded = ActivityFactory(
        plan=plan,
        owner_unit=ls1,
        number="17",
        name="Minskad användning av inhyrd personal",
        status="planned",
        start_date=dt.date(2022, 1, 1),
        concretisation="Varje verksamhetsområde redovisar sin plan för minskad inhyrning.",
        goals=[access],
    )
    ActivityReportFactory(
        activity=activity_on_track,
        unit=ls1,
        period=period,
        status="on_track",
        comment="Utbildningar i dokumentation hålls i maj.",
    )
    ActivityReportFactory(
        activity=activity_cascaded,
        unit=im,
        period=period,
        status="delayed",
        comment="Hög frånvaro gör det svårt att minska inhyrningen.",
    )

    ls2_plan = PlanFactory(
        unit=ls2,
        plan_model=model,
        code="ls2-2022",
        name="Verksamhetsplan 2022 Division Länssjukvård 2",
        start_year=2022,
        end_year=2022,
        state="adopted",
        superior_plan=board_plan,
    )
    ls2_goal = GoalFactory(plan=ls2_plan, level=1, name="Medborgare", order=1)
    ls2_placement = PlacementFactory(plan=ls2_plan, goal=ls2_goal, indicator=visits, order=1)
    ls2_target = TargetFactory(placement=ls2_placement, year=2022, text="Öka")
    ls2_activity = ActivityFactory(
        plan=ls2_plan, owner_unit=ls2, number="1", name="Öka kontinuiteten", goals=[ls2_goal]
    )
    world.plan_model = model
    world.board_plan = board_plan
    world.board_strategic = board_strategic
    world.plan = plan
    world.goals = SimpleNamespace(
        citizens=citizens,
        strategic=strategic,
        access=access,
        operations=operations,
        care=care,
        coordinated=coordinated,
        safety=safety,
    )
    world.placements = SimpleNamespace(
        wait=p_wait, visits=p_visits, readmit=p_readmit, medication=p_med
    )
    world.activities = SimpleNamespace(on_track=activity_on_track, cascaded=activity_cascaded)
    world.ls2_plan = ls2_plan
    world.ls2_goal = ls2_goal
    world.ls2_placement = ls2_placement
    world.ls2_target = ls2_target
    world.ls2_activity = ls2_activity


def add_indicators(world, count: int, *, start: int | None = None) -> None:
    """Place `count` more indicators (each with a target, outcomes for LS1 this year and
    last, and an activity) in the LS1 plan: for tests that pages do not get slower per
    indicator."""
    start = (
        start if start is not None else Indicator.objects.filter(code__startswith="extra-").count()
    )
    for n in range(start, start + count):
        extra = IndicatorFactory(
            organisation=world.org, code=f"extra-{n}", name=f"Extra mått {n}", by_sex=True
        )
        goal = world.goals.safety if n % 2 else world.goals.access
        placement = PlacementFactory(plan=world.plan, goal=goal, indicator=extra, order=10 + n)
        TargetFactory(placement=placement, year=2022, text="max 175")
        for sex in (Sex.TOTAL, Sex.WOMEN, Sex.MEN):
            _outcome(extra, world.ls1, world.period, sex, 100.0 + n)
            _outcome(extra, world.ls1, "2021-DÅ04", sex, 90.0 + n)
            _outcome(extra, world.im, world.period, sex, 50.0 + n)
        activity = ActivityFactory(
            plan=world.plan,
            owner_unit=world.ls1,
            name=f"Extra åtgärd {n}",
            concretisation="Varje verksamhetsområde redovisar." if n % 2 else "",
            goals=[goal],
        )
        ActivityReportFactory(activity=activity, unit=world.ls1, period=world.period)


def _user(username: str, role: str, unit) -> User:
    user = UserFactory(username=username, first_name=username.capitalize(), last_name="Test")
    RoleAssignmentFactory(user=user, unit=unit, role=role)
    return user
