from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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
    Target,
)


class PlanLevelInline(admin.TabularInline):
    model = PlanLevel
    extra = 1


@admin.register(PlanModel)
class PlanModelAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    inlines = [PlanLevelInline]


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit", "start_year", "end_year", "state", "decision_ref"]
    list_filter = ["state", "plan_model"]
    search_fields = ["name", "code", "unit__name"]
    autocomplete_fields = ["unit", "superior_plan", "copied_from"]


@admin.register(Goal)
class GoalAdmin(SimpleHistoryAdmin):
    list_display = ["name", "plan", "level", "code", "parent"]
    list_filter = ["plan", "level"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["plan", "parent", "linked_goals"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "unit", "kind", "direction", "aggregation", "measure_type"]
    list_filter = ["organisation", "kind", "direction", "aggregation", "measure_type", "by_sex"]
    search_fields = ["code", "name", "source"]
    autocomplete_fields = ["parent"]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 1
    fields = ["year", "unit", "is_long_term", "text", "note"]
    autocomplete_fields = ["unit"]


@admin.register(PlanIndicator)
class PlanIndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "goal", "plan", "baseline_text"]
    list_filter = ["plan"]
    search_fields = ["indicator__name", "indicator__code", "goal__name"]
    autocomplete_fields = ["plan", "goal", "indicator"]
    inlines = [TargetInline]


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["placement", "year", "unit", "is_long_term", "text"]
    list_filter = ["year", "is_long_term"]
    search_fields = ["text", "placement__indicator__name"]
    readonly_fields = ["spec"]
    autocomplete_fields = ["placement", "unit"]


class ActivityReportInline(admin.TabularInline):
    model = ActivityReport
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name", "kind", "status", "owner_unit", "start_date", "end_date"]
    list_filter = ["kind", "status", "plan"]
    search_fields = ["name", "number", "description"]
    autocomplete_fields = ["plan", "owner_unit", "goals", "indicators"]
    inlines = [ActivityReportInline]


@admin.register(ActivityReport)
class ActivityReportAdmin(SimpleHistoryAdmin):
    list_display = ["activity", "unit", "period", "status"]
    list_filter = ["status", "period"]
    search_fields = ["activity__name", "comment"]
    autocomplete_fields = ["activity", "unit"]


@admin.register(ActivitySummary)
class ActivitySummaryAdmin(admin.ModelAdmin):
    list_display = ["plan", "unit", "period", "status", "count"]
