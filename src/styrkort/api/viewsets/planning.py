"""Plans, goals, indicators, their placements in plans, and targets; writes through
styrkort.planning.services."""

from __future__ import annotations

from styrkort.planning.models import Goal, Indicator, Plan, PlanIndicator, Target

from ..base import ORGANISATION, ScopedViewSet
from ..filters import (
    GoalFilterSet,
    IndicatorFilterSet,
    PlanFilterSet,
    PlanIndicatorFilterSet,
    TargetFilterSet,
)
from ..serializers import (
    GoalSerializer,
    IndicatorSerializer,
    PlanIndicatorSerializer,
    PlanSerializer,
    TargetSerializer,
)


def _services():
    from styrkort.planning import services

    return services


class PlanViewSet(ScopedViewSet):
    """Plans (one unit's plan for a span of years); changed by planners of the unit."""

    queryset = Plan.objects.select_related("unit").order_by("unit__path", "-start_year", "id")
    serializer_class = PlanSerializer
    filterset_class = PlanFilterSet
    unit_field = "unit"

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = _services().create_plan(user=self.request.user, **data)

    def perform_update(self, serializer):
        serializer.instance = _services().update_plan(
            user=self.request.user, plan=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        _services().delete_plan(user=self.request.user, plan=instance)


class GoalViewSet(ScopedViewSet):
    """Goals of a plan's goal tree (level from the parent); `linked_goals` cascade upward."""

    queryset = (
        Goal.objects.select_related("plan__unit")
        .prefetch_related("linked_goals")
        .order_by("plan", "level", "order", "id")
    )
    serializer_class = GoalSerializer
    filterset_class = GoalFilterSet
    unit_field = "plan__unit"

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = _services().create_goal(user=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("plan", None)
        data.pop("parent", None)
        linked = data.pop("linked_goals", None)
        serializer.instance = _services().update_goal(
            user=self.request.user, goal=serializer.instance, linked_goals=linked, **data
        )

    def perform_destroy(self, instance):
        _services().delete_goal(user=self.request.user, goal=instance)


class IndicatorViewSet(ScopedViewSet):
    """Indicators of an organisation; changed by planners of the whole organisation."""

    queryset = Indicator.objects.order_by("code")
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilterSet
    unit_field = ORGANISATION

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = _services().create_indicator(user=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("organisation", None)  # unchanged (the serializer refuses a change)
        serializer.instance = _services().update_indicator(
            user=self.request.user, indicator=serializer.instance, **data
        )

    def perform_destroy(self, instance):
        _services().delete_indicator(user=self.request.user, indicator=instance)


class PlanIndicatorViewSet(ScopedViewSet):
    """An indicator placed under a goal of a plan, with its baseline."""

    queryset = PlanIndicator.objects.select_related("plan__unit").order_by(
        "plan", "goal", "order", "id"
    )
    serializer_class = PlanIndicatorSerializer
    filterset_class = PlanIndicatorFilterSet
    unit_field = "plan__unit"

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = _services().place_indicator(user=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("goal", None)
        data.pop("indicator", None)
        serializer.instance = _services().update_placement(
            user=self.request.user, placement=serializer.instance, **data
        )

    def perform_destroy(self, instance):
        _services().remove_placement(user=self.request.user, placement=instance)


class TargetViewSet(ScopedViewSet):
    """Targets (målvärden) of placed indicators, per year, optionally per unit; `spec` is
    the parsed form the evaluation uses."""

    queryset = Target.objects.select_related("placement__plan__unit").order_by(
        "placement", "is_long_term", "year", "id"
    )
    serializer_class = TargetSerializer
    filterset_class = TargetFilterSet
    unit_field = "placement__plan__unit"

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = _services().set_target(user=self.request.user, **data)

    def perform_update(self, serializer):
        target = serializer.instance
        data = serializer.validated_data
        serializer.instance = _services().set_target(
            user=self.request.user,
            placement=target.placement,
            year=target.year,
            unit=target.unit,
            is_long_term=target.is_long_term,
            text=data.get("text", target.text),
            note=data.get("note", target.note),
        )

    def perform_destroy(self, instance):
        _services().delete_target(user=self.request.user, target=instance)
