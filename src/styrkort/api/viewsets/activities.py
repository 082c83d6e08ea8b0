"""Activities, assignments (activities given by a political body) and their follow-up;
writes through styrkort.planning.services, as the planner's form does."""

from __future__ import annotations

from styrkort.planning import services
from styrkort.planning.models import Activity, ActivityKind, ActivityReport

from ..base import ScopedViewSet
from ..filters import ActivityFilterSet, ActivityReportFilterSet
from ..serializers import ActivityReportSerializer, ActivitySerializer
from .planning import DraftsHiddenMixin, revision_reason


class ActivityViewSet(DraftsHiddenMixin, ScopedViewSet):
    """Activities of a plan, linked to any number of its goals and indicators. Writing
    needs "plan" on the plan's unit and on the owner unit (create_activity,
    update_activity, delete_activity)."""

    kind = ActivityKind.ACTIVITY
    queryset = Activity.objects.select_related("plan__unit").prefetch_related("goals", "indicators")
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet
    unit_field = "plan__unit"

    def base_queryset(self):
        return self.queryset.filter(kind=self.kind).order_by("plan", "order", "id")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "activity_kind": self.kind}

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.create_activity(
            user=self.request.user,
            reason=revision_reason(self.request),
            plan=data.pop("plan"),
            name=data.pop("name"),
            owner_unit=data.pop("owner_unit"),
            goals=data.pop("goals", None),
            indicators=data.pop("indicators", None),
            kind=self.kind,
            **data,
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("plan", None)  # unchanged (the serializer refuses a move)
        serializer.instance = services.update_activity(
            user=self.request.user,
            reason=revision_reason(self.request),
            activity=serializer.instance,
            owner_unit=data.pop("owner_unit", None),
            goals=data.pop("goals", None),
            indicators=data.pop("indicators", None),
            **data,
        )

    def perform_destroy(self, instance):
        services.delete_activity(
            user=self.request.user, activity=instance, reason=revision_reason(self.request)
        )


class AssignmentViewSet(ActivityViewSet):
    """Assignments (uppdrag): tasks given by a political body (`issued_by`) to a unit."""

    kind = ActivityKind.ASSIGNMENT


class ActivityReportViewSet(ScopedViewSet):
    """An activity's status and comment per reporting point, by its owner unit or, for a
    cascaded konkretisering, by each sub-unit. POST replaces the report with the same
    activity, unit and period. Writing needs "report" on the answering unit."""

    queryset = ActivityReport.objects.select_related("unit").order_by(
        "activity_id", "period", "unit__path", "id"
    )
    serializer_class = ActivityReportSerializer
    filterset_class = ActivityReportFilterSet
    unit_field = "unit"

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.report_activity(
            user=self.request.user,
            activity=data["activity"],
            unit=data["unit"],
            period=data["period"],
            status=data.get("status", "not_reported"),
            comment=data.get("comment", ""),
        )

    def perform_update(self, serializer):
        report = serializer.instance
        data = serializer.validated_data
        serializer.instance = services.report_activity(
            user=self.request.user,
            activity=report.activity,
            unit=report.unit,
            period=report.period,
            status=data.get("status", report.status),
            comment=data.get("comment", report.comment),
            expected_version=self.matched_version,
        )

    def perform_destroy(self, instance):
        services.delete_activity_report(
            user=self.request.user, report=instance, expected_version=self.matched_version
        )
