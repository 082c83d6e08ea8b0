"""Plans, goals, indicators, their placements in plans, and targets; writes through
styrkort.planning.services.

A draft plan and its content are read only by those who may plan its unit (others get
404 for it; a write is refused with 403). A change of an adopted plan's
content (its header, goals, placements, targets, activities) is a revision and needs a
reason: the field `reason` in the request body, or the query parameter `?reason=` (for
DELETE). POST /api/plans/{id}/adopt/ adopts a draft (`body`, `date`, `reference`)."""

from __future__ import annotations

from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from styrkort.organisation.permissions import Action, require, scope_for
from styrkort.planning.models import Goal, Indicator, Plan, PlanIndicator, PlanState, Target

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


def revision_reason(request) -> str:
    """The reason of a change of an adopted plan: `reason` in the body, else `?reason=`."""
    data = request.data if isinstance(request.data, dict) else {}
    reason = data.get("reason") or request.query_params.get("reason") or ""
    return reason if isinstance(reason, str) else ""


REASON_PARAMETER = OpenApiParameter(
    "reason",
    str,
    description="Skäl till ändringen: krävs när planen är fastställd (en revidering). "
    "Kan också skickas som fältet `reason` i anropets innehåll.",
    required=False,
)


class PlanAdoptionSerializer(serializers.Serializer):
    """The decision that adopts a plan. Only the types are checked here (a list where a
    text belongs is a 400); what is missing or wrong is named by the service."""

    body = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="Beslutande organ."
    )
    date = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Beslutsdatum (inte i framtiden)."
    )
    reference = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="Diarienummer eller referens.",
    )


def drafts_hidden(queryset, user, *, plan_field: str, unit_field: str):
    """`queryset` without the objects of draft plans the user may not plan: a draft and
    its goals, placements, targets and activities are seen by those who may plan its unit
    (planners of the unit or above it, admins) and by nobody else, as on the plan pages
    (``web.views.planning.visible``). `plan_field` is the path to the plan ("" for plans
    themselves), `unit_field` the path to the plan's unit."""
    scope = scope_for(user)
    if scope.superuser:
        return queryset
    prefix = f"{plan_field}__" if plan_field else ""
    draft = Q(**{f"{prefix}state": PlanState.DRAFT})
    return queryset.filter(~draft | (draft & scope.q(Action.PLAN, unit_field)))


class DraftsHiddenMixin:
    """A viewset of plans or a plan's content: a draft's objects are not read (list, or
    one by its id: 404, as the plan page) by those who may not plan its unit. A write to
    one (change, delete, adopt) is looked up among everything the user may view and
    refused with 403 before its version is asked for, as the services refuse it."""

    plan_field = "plan"
    READS = ("list", "retrieve")

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action not in self.READS:
            return queryset
        return drafts_hidden(
            queryset, self.request.user, plan_field=self.plan_field, unit_field=self.unit_field
        )

    def _check_if_match(self):
        instance = self.get_object()
        plan = instance
        for name in filter(None, self.plan_field.split("__")):
            plan = getattr(plan, name)
        if plan.state == PlanState.DRAFT:
            require(self.request.user, Action.PLAN, plan.unit)
        return super()._check_if_match()


class PlanViewSet(DraftsHiddenMixin, ScopedViewSet):
    """Plans (one unit's plan for a span of years); changed by planners of the unit. A
    draft is read only by those who may plan its unit (DraftsHiddenMixin)."""

    queryset = Plan.objects.select_related("unit").order_by("unit__path", "-start_year", "id")
    serializer_class = PlanSerializer
    filterset_class = PlanFilterSet
    unit_field = "unit"
    plan_field = ""

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = _services().create_plan(user=self.request.user, **data)

    def perform_update(self, serializer):
        serializer.instance = _services().update_plan(
            user=self.request.user,
            plan=serializer.instance,
            reason=revision_reason(self.request),
            **serializer.validated_data,
        )

    def perform_destroy(self, instance):
        _services().delete_plan(user=self.request.user, plan=instance)

    @extend_schema(request=PlanAdoptionSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def adopt(self, request, pk=None):
        """Adopt a draft plan (fastställ): the deciding body, the date and the reference
        are all required. Needs "plan" on the plan's unit."""
        plan = self.get_object()
        adoption = PlanAdoptionSerializer(data=request.data)
        adoption.is_valid(raise_exception=True)  # 400 naming the field
        plan = _services().adopt_plan(user=request.user, plan=plan, **adoption.validated_data)
        return Response(self.get_serializer(plan).data)


class GoalViewSet(DraftsHiddenMixin, ScopedViewSet):
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
        serializer.instance = _services().create_goal(
            user=self.request.user, reason=revision_reason(self.request), **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("plan", None)
        data.pop("parent", None)
        linked = data.pop("linked_goals", None)
        serializer.instance = _services().update_goal(
            user=self.request.user,
            goal=serializer.instance,
            linked_goals=linked,
            reason=revision_reason(self.request),
            **data,
        )

    def perform_destroy(self, instance):
        _services().delete_goal(
            user=self.request.user, goal=instance, reason=revision_reason(self.request)
        )


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


class PlanIndicatorViewSet(DraftsHiddenMixin, ScopedViewSet):
    """An indicator placed under a goal of a plan, with its baseline."""

    queryset = PlanIndicator.objects.select_related("plan__unit").order_by(
        "plan", "goal", "order", "id"
    )
    serializer_class = PlanIndicatorSerializer
    filterset_class = PlanIndicatorFilterSet
    unit_field = "plan__unit"

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = _services().place_indicator(
            user=self.request.user, reason=revision_reason(self.request), **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("goal", None)
        data.pop("indicator", None)
        serializer.instance = _services().update_placement(
            user=self.request.user,
            placement=serializer.instance,
            reason=revision_reason(self.request),
            **data,
        )

    def perform_destroy(self, instance):
        _services().remove_placement(
            user=self.request.user, placement=instance, reason=revision_reason(self.request)
        )


class TargetViewSet(DraftsHiddenMixin, ScopedViewSet):
    """Targets (målvärden) of placed indicators, per year, optionally per unit; `spec` is
    the parsed form the evaluation uses."""

    queryset = Target.objects.select_related("placement__plan__unit").order_by(
        "placement", "is_long_term", "year", "id"
    )
    serializer_class = TargetSerializer
    filterset_class = TargetFilterSet
    unit_field = "placement__plan__unit"
    plan_field = "placement__plan"

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = _services().set_target(
            user=self.request.user, reason=revision_reason(self.request), **data
        )

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
            assessed_by_hand=data.get("assessed_by_hand", target.assessed_by_hand),
            reason=revision_reason(self.request),
        )

    def perform_destroy(self, instance):
        _services().delete_target(
            user=self.request.user, target=instance, reason=revision_reason(self.request)
        )
