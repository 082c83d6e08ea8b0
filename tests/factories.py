"""factory_boy factories for Styrkort's models. The small world built from them, and the
seed demo, are in `worlds.py` (fixtures `world` and `demo` in `conftest.py`).

Other test packages may import these; keep them free of test-specific assertions.
"""

from __future__ import annotations

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


def build_world(**options):
    """`worlds.build_world`, for modules that import it from here."""
    from worlds import build_world

    return build_world(**options)
