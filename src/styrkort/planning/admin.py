"""Plans, goals, indicators, targets and activities: read-only here
(``styrkort.admin_base``), edited on the plan and follow-up pages (planning.services)."""

from django.contrib import admin

from styrkort.admin_base import ReadOnlyAdmin, ReadOnlyHistoryAdmin, ReadOnlyInline

from .models import (
    Activity,
    ActivityReport,
    ActivitySummary,
    Goal,
    Indicator,
    Plan,
    PlanIndicator,
    PlanLevel,
    PlanModel,
    PlanRevision,
    Target,
)


class PlanLevelInline(ReadOnlyInline):
    model = PlanLevel


@admin.register(PlanModel)
class PlanModelAdmin(ReadOnlyAdmin):
    list_display = ["name", "organisation"]
    inlines = [PlanLevelInline]


class PlanRevisionInline(ReadOnlyInline):
    model = PlanRevision


@admin.register(Plan)
class PlanAdmin(ReadOnlyHistoryAdmin):
    inlines = [PlanRevisionInline]
    list_display = ["name", "unit", "start_year", "end_year", "state", "decision_ref"]
    list_filter = ["state", "plan_model"]
    search_fields = ["name", "code", "unit__name"]
    autocomplete_fields = ["unit", "superior_plan", "copied_from"]


@admin.register(Goal)
class GoalAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "plan", "level", "code", "parent"]
    list_filter = ["plan", "level"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["plan", "parent", "linked_goals"]


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyHistoryAdmin):
    list_display = ["code", "name", "unit", "kind", "direction", "aggregation", "measure_type"]
    list_filter = ["organisation", "kind", "direction", "aggregation", "measure_type", "by_sex"]
    search_fields = ["code", "name", "source"]
    autocomplete_fields = ["parent"]


class TargetInline(ReadOnlyInline):
    model = Target
    fields = ["year", "unit", "is_long_term", "text", "note"]
    autocomplete_fields = ["unit"]


@admin.register(PlanIndicator)
class PlanIndicatorAdmin(ReadOnlyHistoryAdmin):
    list_display = ["indicator", "goal", "plan", "baseline_text"]
    list_filter = ["plan"]
    search_fields = ["indicator__name", "indicator__code", "goal__name"]
    autocomplete_fields = ["plan", "goal", "indicator"]
    inlines = [TargetInline]


@admin.register(Target)
class TargetAdmin(ReadOnlyHistoryAdmin):
    list_display = ["placement", "year", "unit", "is_long_term", "text"]
    list_filter = ["year", "is_long_term"]
    search_fields = ["text", "placement__indicator__name"]
    readonly_fields = ["spec"]
    autocomplete_fields = ["placement", "unit"]


class ActivityReportInline(ReadOnlyInline):
    model = ActivityReport
    autocomplete_fields = ["unit"]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyHistoryAdmin):
    list_display = ["number", "name", "kind", "status", "owner_unit", "start_date", "end_date"]
    list_filter = ["kind", "status", "plan"]
    search_fields = ["name", "number", "description"]
    autocomplete_fields = ["plan", "owner_unit", "goals", "indicators"]
    inlines = [ActivityReportInline]


@admin.register(ActivityReport)
class ActivityReportAdmin(ReadOnlyHistoryAdmin):
    list_display = ["activity", "unit", "period", "status"]
    list_filter = ["status", "period"]
    search_fields = ["activity__name", "comment"]
    autocomplete_fields = ["activity", "unit"]


@admin.register(ActivitySummary)
class ActivitySummaryAdmin(ReadOnlyAdmin):
    list_display = ["plan", "unit", "period", "status", "count"]
