"""factory_boy factories for Styrkort's models, and `build_world()`: a small organisation
with real numbers from seed 001 (Division Länssjukvård 1, DÅ04 2022) for tests that need a
plan, outcomes and users with roles.

Other test packages may import these; keep them free of test-specific assertions.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import factory
from factory.django import DjangoModelFactory

from styrkort.accounts.models import Role, RoleAssignment, User
from styrkort.followup.models import Analysis, Outcome, Sex
from styrkort.organisation.models import Organisation, OrgUnit, UnitType
from styrkort.planning.models import (
    Activity,
    ActivityReport,
    Goal,
    Indicator,
    Plan,
    PlanIndicator,
    PlanLevel,
    PlanModel,
    Target,
)

PASSWORD = "styrkort-test-1"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"org{n}")
    name = factory.Sequence(lambda n: f"Region {n}")


class OrgUnitFactory(DjangoModelFactory):
    """Creates a root unit, or a child of `parent=` (treebeard's manager methods)."""

    class Meta:
        model = OrgUnit

    parent = None
    organisation = factory.LazyAttribute(
        lambda o: o.parent.organisation if o.parent is not None else OrganisationFactory()
    )
    code = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"Enhet {n}")
    type = UnitType.UNIT

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        if parent is not None:
            unit = OrgUnit.objects.add_child(parent, instance=model_class(**kwargs))
            parent.refresh_from_db()
            return unit
        return OrgUnit.objects.add_root(instance=model_class(**kwargs))


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password(PASSWORD)


class RoleAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(OrgUnitFactory)
    role = Role.READER


class PlanModelFactory(DjangoModelFactory):
    class Meta:
        model = PlanModel
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = "Balanserad styrning"

    @factory.post_generation
    def levels(self, create, extracted, **kwargs):
        if not create:
            return
        names = extracted or ["Perspektiv", "Strategiskt mål", "Framgångsfaktor"]
        for number, name in enumerate(names, start=1):
            PlanLevel.objects.create(plan_model=self, level=number, name=name)


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = Plan

    unit = factory.SubFactory(OrgUnitFactory)
    plan_model = factory.SubFactory(
        PlanModelFactory, organisation=factory.SelfAttribute("..unit.organisation")
    )
    code = factory.Sequence(lambda n: f"plan-{n}")
    name = factory.LazyAttribute(lambda o: f"Verksamhetsplan {o.start_year} {o.unit.name}")
    start_year = 2022
    end_year = 2022


class GoalFactory(DjangoModelFactory):
    class Meta:
        model = Goal

    plan = factory.SubFactory(PlanFactory)
    parent = None
    level = factory.LazyAttribute(lambda o: o.parent.level + 1 if o.parent else 1)
    name = factory.Sequence(lambda n: f"Mål {n}")
    order = factory.Sequence(lambda n: n)


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.Sequence(lambda n: f"ind-{n}")
    name = factory.Sequence(lambda n: f"Indikator {n}")
    unit = "st"


class PlacementFactory(DjangoModelFactory):
    class Meta:
        model = PlanIndicator

    goal = factory.SubFactory(GoalFactory)
    plan = factory.SelfAttribute("goal.plan")
    indicator = factory.SubFactory(
        IndicatorFactory, organisation=factory.SelfAttribute("..plan.unit.organisation")
    )
    order = factory.Sequence(lambda n: n)
    reporting_points = "DÅ04, DÅ08, ÅR"


class TargetFactory(DjangoModelFactory):
    class Meta:
        model = Target

    placement = factory.SubFactory(PlacementFactory)
    year = 2022
    text = "100 %"


class OutcomeFactory(DjangoModelFactory):
    class Meta:
        model = Outcome

    indicator = factory.SubFactory(IndicatorFactory)
    unit = factory.SubFactory(OrgUnitFactory)
    period = "2022-DÅ04"
    sex = Sex.TOTAL
    value = 1.0


class AnalysisFactory(DjangoModelFactory):
    class Meta:
        model = Analysis

    unit = factory.SubFactory(OrgUnitFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    period = "2022-DÅ04"
    text = "Analys."


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    owner_unit = factory.SelfAttribute("plan.unit")
    number = factory.Sequence(lambda n: str(n + 1))
    name = factory.Sequence(lambda n: f"Åtgärd {n}")

    @factory.post_generation
    def goals(self, create, extracted, **kwargs):
        if create and extracted:
            self.goals.set(extracted)


class ActivityReportFactory(DjangoModelFactory):
    class Meta:
        model = ActivityReport

    activity = factory.SubFactory(ActivityFactory)
    unit = factory.SelfAttribute("activity.owner_unit")
    period = "2022-DÅ04"


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


def build_world(*, extra_indicators: int = 0) -> SimpleNamespace:
    """A small Region Norrbotten with seed 001's numbers.

    Tree: Region Norrbotten (NLL) > Division Länssjukvård 1 (LS1) > VO Internmedicin (IM),
    VO Neurocentrum (NC); and Division Länssjukvård 2 (LS2), outside LS1's subtree.
    The LS1 plan 2022 has the perspectives Medborgare and Verksamhet with four indicators:
    the wait share to a first visit (51 %, target 100 %), doctor visits (target "Öka",
    29 685 in 2021-DÅ04 and nothing yet for 2022: reported in the tests), unplanned readmissions
    (M 17,3 % / K 18,8 % vs M 17,2 % K 16 %) and medication reports (K 644/819, M 658/845
    vs 70 %), with 2021 values for the trends. Users, each with the password PASSWORD:
    admin (admin at the region), planner / reporter / reader (at LS1) and reporter_ls2
    (reporter at LS2). LS2 has a small plan of its own (one goal, doctor visits, one
    activity) for tests outside LS1's subtree. `extra_indicators` adds more placed
    indicators with outcomes, for query-count tests.
    """
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
    for unit in (region, ls1, im, nc, ls2):
        unit.refresh_from_db()

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

    wait = IndicatorFactory(
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
    readmit = IndicatorFactory(
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
    medication = IndicatorFactory(
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
    visits = IndicatorFactory(
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
    p_wait = PlacementFactory(plan=plan, goal=access, indicator=wait, order=1)
    p_visits = PlacementFactory(plan=plan, goal=access, indicator=visits, order=2)
    TargetFactory(placement=p_visits, year=2022, text="Öka")
    p_readmit = PlacementFactory(plan=plan, goal=coordinated, indicator=readmit, order=1)
    p_med = PlacementFactory(plan=plan, goal=safety, indicator=medication, order=1)
    TargetFactory(placement=p_wait, year=2022, text="100 %")
    TargetFactory(placement=p_readmit, year=2022, text="M: 17,2 % K: 16 %")
    TargetFactory(placement=p_med, year=2022, text="70 %")
    TargetFactory(placement=p_med, year=2024, text="100 %", is_long_term=True)

    period = "2022-DÅ04"
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
    _outcome(medication, ls1, period, Sex.WOMEN, numerator=644, denominator=819)
    _outcome(medication, ls1, period, Sex.MEN, numerator=658, denominator=845)
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
        superior_plan=board_plan,
    )
    ls2_goal = GoalFactory(plan=ls2_plan, level=1, name="Medborgare", order=1)
    ls2_placement = PlacementFactory(plan=ls2_plan, goal=ls2_goal, indicator=visits, order=1)
    ls2_target = TargetFactory(placement=ls2_placement, year=2022, text="Öka")
    ls2_activity = ActivityFactory(
        plan=ls2_plan, owner_unit=ls2, number="1", name="Öka kontinuiteten", goals=[ls2_goal]
    )

    users = {
        "admin": _user("admin", Role.ADMIN, region),
        "planner": _user("planner", Role.PLANNER, ls1),
        "reporter": _user("reporter", Role.REPORTER, ls1),
        "reader": _user("reader", Role.READER, ls1),
        "reporter_ls2": _user("reporter_ls2", Role.REPORTER, ls2),
    }
    world = SimpleNamespace(
        org=org,
        region=region,
        ls1=ls1,
        im=im,
        nc=nc,
        ls2=ls2,
        plan_model=model,
        board_plan=board_plan,
        board_strategic=board_strategic,
        plan=plan,
        goals=SimpleNamespace(
            citizens=citizens,
            strategic=strategic,
            access=access,
            operations=operations,
            care=care,
            coordinated=coordinated,
            safety=safety,
        ),
        wait=wait,
        visits=visits,
        readmit=readmit,
        medication=medication,
        placements=SimpleNamespace(
            wait=p_wait, visits=p_visits, readmit=p_readmit, medication=p_med
        ),
        ls2_plan=ls2_plan,
        ls2_goal=ls2_goal,
        ls2_placement=ls2_placement,
        ls2_target=ls2_target,
        ls2_activity=ls2_activity,
        activities=SimpleNamespace(on_track=activity_on_track, cascaded=activity_cascaded),
        period=period,
        users=SimpleNamespace(**users),
    )
    add_indicators(world, extra_indicators)
    return world


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
