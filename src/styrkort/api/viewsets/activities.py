"""Activities, assignments (activities given by a political body) and their follow-up."""

from __future__ import annotations

from django.db import transaction

from styrkort.organisation.permissions import Action, require
from styrkort.planning.models import Activity, ActivityKind, ActivityReport

from ..base import ScopedViewSet, acting
from ..filters import ActivityFilterSet, ActivityReportFilterSet
from ..serializers import ActivityReportSerializer, ActivitySerializer


class ActivityViewSet(ScopedViewSet):
    """Activities of a plan, linked to any number of its goals and indicators."""

    kind = ActivityKind.ACTIVITY
    queryset = Activity.objects.select_related("plan__unit").prefetch_related("goals", "indicators")
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet
    unit_field = "plan__unit"

    def base_queryset(self):
        return self.queryset.filter(kind=self.kind).order_by("plan", "order", "id")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "activity_kind": self.kind}

    def unit_of(self, obj):
        return obj.plan.unit

    def unit_of_data(self, data, instance=None):
        return (data.get("plan") or instance.plan).unit


class AssignmentViewSet(ActivityViewSet):
    """Assignments (uppdrag): tasks given by a political body (`issued_by`) to a unit."""

    kind = ActivityKind.ASSIGNMENT


class ActivityReportViewSet(ScopedViewSet):
    """An activity's status and comment per reporting point, by its owner unit or, for a
    cascaded konkretisering, by each sub-unit. POST replaces the report with the same
    activity, unit and period."""

    queryset = ActivityReport.objects.select_related("unit").order_by(
        "activity_id", "period", "unit__path", "id"
    )
    serializer_class = ActivityReportSerializer
    filterset_class = ActivityReportFilterSet
    unit_field = "unit"
    write_action = Action.REPORT

    def unit_of_data(self, data, instance=None):
        return data.get("unit") or instance.unit

    def perform_create(self, serializer):
        from styrkort.planning.services import report_activity

        data = serializer.validated_data
        serializer.instance = report_activity(
            user=self.request.user,
            activity=data["activity"],
            unit=data["unit"],
            period=data["period"],
            status=data.get("status", "not_reported"),
            comment=data.get("comment", ""),
        )

    def perform_update(self, serializer):
        from styrkort.planning.services import report_activity

        report = serializer.instance
        data = serializer.validated_data
        serializer.instance = report_activity(
            user=self.request.user,
            activity=report.activity,
            unit=report.unit,
            period=report.period,
            status=data.get("status", report.status),
            comment=data.get("comment", report.comment),
        )

    def perform_destroy(self, instance):
        require(self.request.user, Action.REPORT, instance.unit)
        with transaction.atomic():
            instance._history_user = acting(self.request.user)
            instance.delete()
