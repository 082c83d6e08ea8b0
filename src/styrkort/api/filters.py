"""One FilterSet per model (django-filter), for the API and for list pages alike.

References to other objects are filtered by id (`?unit=12`) or, where people type them,
by code (`?unit_code=NLL-LS1`, `?indicator_code=...`); periods by any spelling
`parse_period` accepts (`?period=2022-DA04` finds `2022-DÅ04`). Invalid values are a 400.
"""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.db.models import Q

from styrkort.economy.models import (
    Amount,
    AmountKind,
    Frame,
    Investment,
    InvestmentFrame,
    LedgerLine,
)
from styrkort.followup.models import Analysis, Outcome, OutcomeSource, Sex
from styrkort.organisation.models import OrgUnit, UnitType
from styrkort.periods import PeriodError, parse_period
from styrkort.planning.models import (
    Activity,
    ActivityReport,
    ActivityStatus,
    Goal,
    Indicator,
    Plan,
    PlanIndicator,
    PlanState,
    Target,
)
from styrkort.planning.models.indicators import IndicatorKind
from styrkort.risk.models import ControlResult, Risk
from styrkort.rounds.models import ReportingRound, RoundState

MAX_ID = 2**63 - 1


class IdFilter(filters.NumberFilter):
    """An object id: a positive integer (no decimals), else a 400."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class PeriodFormField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        try:
            return parse_period(value).canonical
        except PeriodError as exc:
            # As a parameter: the message quotes the input, which may hold a "%".
            raise forms.ValidationError("%(message)s", params={"message": str(exc)}) from exc


class PeriodFilter(filters.CharFilter):
    """A period in any accepted spelling, compared in canonical form."""

    field_class = PeriodFormField


class YearFilter(filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)


class OrgUnitFilterSet(filters.FilterSet):
    code = filters.CharFilter(max_length=64)
    type = filters.ChoiceFilter(choices=UnitType.choices)
    organisation = IdFilter(field_name="organisation_id")
    parent = IdFilter(method="filter_parent", help_text="Enheter direkt under denna enhet.")
    within = IdFilter(method="filter_within", help_text="Enheten och allt under den.")
    valid_on = filters.DateFilter(method="filter_valid_on", help_text="Enheter som fanns då.")
    name = filters.CharFilter(lookup_expr="icontains", max_length=200)

    class Meta:
        model = OrgUnit
        fields = ["code", "type", "organisation", "name"]

    def _unit(self, pk):
        return OrgUnit.objects.filter(pk=pk).only("path", "depth").first()

    def filter_parent(self, qs, name, value):
        unit = self._unit(value)
        if unit is None:
            return qs.none()
        return qs.filter(path__startswith=unit.path, depth=unit.depth + 1)

    def filter_within(self, qs, name, value):
        unit = self._unit(value)
        return qs.none() if unit is None else qs.filter(path__startswith=unit.path)

    def filter_valid_on(self, qs, name, value):
        return qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=value)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=value)
        )


class PlanFilterSet(filters.FilterSet):
    code = filters.CharFilter(max_length=64)
    unit = IdFilter(field_name="unit_id")
    unit_code = filters.CharFilter(field_name="unit__code", max_length=64)
    organisation = IdFilter(field_name="unit__organisation_id")
    state = filters.ChoiceFilter(choices=PlanState.choices)
    year = YearFilter(method="filter_year", help_text="Planer som gäller detta år.")

    class Meta:
        model = Plan
        fields = ["code", "unit", "state"]

    def filter_year(self, qs, name, value):
        return qs.filter(start_year__lte=value, end_year__gte=value)


class GoalFilterSet(filters.FilterSet):
    plan = IdFilter(field_name="plan_id")
    parent = IdFilter(field_name="parent_id")
    level = filters.NumberFilter(field_name="level", min_value=1, max_value=100)
    top = filters.BooleanFilter(field_name="parent", lookup_expr="isnull", help_text="Bara nivå 1.")

    class Meta:
        model = Goal
        fields = ["plan", "parent", "level"]


class IndicatorFilterSet(filters.FilterSet):
    code = filters.CharFilter(max_length=64)
    organisation = IdFilter(field_name="organisation_id")
    kind = filters.ChoiceFilter(choices=IndicatorKind.choices)
    plan = IdFilter(field_name="placements__plan_id", distinct=True)
    name = filters.CharFilter(lookup_expr="icontains", max_length=200)

    class Meta:
        model = Indicator
        fields = ["code", "organisation", "kind"]


class PlanIndicatorFilterSet(filters.FilterSet):
    plan = IdFilter(field_name="plan_id")
    goal = IdFilter(field_name="goal_id")
    indicator = IdFilter(field_name="indicator_id")

    class Meta:
        model = PlanIndicator
        fields = ["plan", "goal", "indicator"]


class TargetFilterSet(filters.FilterSet):
    placement = IdFilter(field_name="placement_id")
    plan = IdFilter(field_name="placement__plan_id")
    indicator = IdFilter(field_name="placement__indicator_id")
    unit = IdFilter(field_name="unit_id")
    year = YearFilter(field_name="year")
    is_long_term = filters.BooleanFilter()

    class Meta:
        model = Target
        fields = ["placement", "year", "is_long_term"]


class OutcomeFilterSet(filters.FilterSet):
    indicator = IdFilter(field_name="indicator_id")
    indicator_code = filters.CharFilter(field_name="indicator__code", max_length=64)
    unit = IdFilter(field_name="unit_id")
    unit_code = filters.CharFilter(field_name="unit__code", max_length=64)
    period = PeriodFilter(field_name="period", max_length=32)
    year = YearFilter(field_name="period_start__year")
    sex = filters.ChoiceFilter(choices=Sex.choices)
    source = filters.ChoiceFilter(choices=OutcomeSource.choices)
    updated_after = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Outcome
        fields = ["indicator", "unit", "period", "sex", "source"]


class AnalysisFilterSet(filters.FilterSet):
    unit = IdFilter(field_name="unit_id")
    indicator = IdFilter(field_name="indicator_id")
    goal = IdFilter(field_name="goal_id")
    period = PeriodFilter(field_name="period", max_length=32)

    class Meta:
        model = Analysis
        fields = ["unit", "indicator", "goal", "period"]


class ActivityFilterSet(filters.FilterSet):
    plan = IdFilter(field_name="plan_id")
    owner_unit = IdFilter(field_name="owner_unit_id")
    status = filters.ChoiceFilter(choices=ActivityStatus.choices)
    goal = IdFilter(field_name="goals", distinct=True)
    indicator = IdFilter(field_name="indicators", distinct=True)

    class Meta:
        model = Activity
        fields = ["plan", "owner_unit", "status"]


class ActivityReportFilterSet(filters.FilterSet):
    activity = IdFilter(field_name="activity_id")
    unit = IdFilter(field_name="unit_id")
    period = PeriodFilter(field_name="period", max_length=32)
    status = filters.ChoiceFilter(choices=ActivityStatus.choices)

    class Meta:
        model = ActivityReport
        fields = ["activity", "unit", "period", "status"]


# --- risks -------------------------------------------------------------------------


class RiskFilterSet(filters.FilterSet):
    unit = IdFilter(field_name="unit_id")
    unit_code = filters.CharFilter(field_name="unit__code", max_length=64)
    within = IdFilter(method="filter_within", help_text="Enheten och allt under den.")
    year = YearFilter(field_name="year")
    goal = IdFilter(field_name="goals", distinct=True)

    class Meta:
        model = Risk
        fields = ["unit", "year"]

    def filter_within(self, qs, name, value):
        unit = OrgUnit.objects.filter(pk=value).only("path").first()
        return qs.none() if unit is None else qs.filter(unit__path__startswith=unit.path)


class ControlResultFilterSet(filters.FilterSet):
    control = IdFilter(field_name="control_id")
    risk = IdFilter(field_name="control__risk_id")
    period = PeriodFilter(field_name="period", max_length=32)

    class Meta:
        model = ControlResult
        fields = ["control", "period", "outcome"]


# --- economy -----------------------------------------------------------------------


class LedgerLineFilterSet(filters.FilterSet):
    organisation = IdFilter(field_name="organisation_id")
    parent = IdFilter(field_name="parent_id")
    code = filters.CharFilter(max_length=64)

    class Meta:
        model = LedgerLine
        fields = ["organisation", "parent", "code"]


class AmountFilterSet(filters.FilterSet):
    unit = IdFilter(field_name="unit_id")
    unit_code = filters.CharFilter(field_name="unit__code", max_length=64)
    line = IdFilter(field_name="line_id")
    line_code = filters.CharFilter(field_name="line__code", max_length=64)
    year = YearFilter(field_name="year")
    kind = filters.ChoiceFilter(choices=AmountKind.choices)
    month = filters.NumberFilter(field_name="month", min_value=1, max_value=12)

    class Meta:
        model = Amount
        fields = ["unit", "line", "year", "kind", "month"]


class FrameFilterSet(filters.FilterSet):
    unit = IdFilter(field_name="unit_id")
    unit_code = filters.CharFilter(field_name="unit__code", max_length=64)
    year = YearFilter(field_name="year")
    parent = IdFilter(field_name="parent_id")

    class Meta:
        model = Frame
        fields = ["unit", "year", "parent"]


class InvestmentFilterSet(filters.FilterSet):
    unit = IdFilter(field_name="unit_id")
    unit_code = filters.CharFilter(field_name="unit__code", max_length=64)
    year = YearFilter(field_name="year")

    class Meta:
        model = Investment
        fields = ["unit", "year"]


class InvestmentFrameFilterSet(filters.FilterSet):
    unit = IdFilter(field_name="unit_id")
    year = YearFilter(field_name="year")

    class Meta:
        model = InvestmentFrame
        fields = ["unit", "year"]


# --- reporting rounds --------------------------------------------------------------


class RoundFilterSet(filters.FilterSet):
    organisation = IdFilter(field_name="organisation_id")
    period = PeriodFilter(field_name="period", max_length=32)
    year = YearFilter(field_name="period_start__year")
    state = filters.ChoiceFilter(choices=RoundState.choices)

    class Meta:
        model = ReportingRound
        fields = ["organisation", "period", "state"]
