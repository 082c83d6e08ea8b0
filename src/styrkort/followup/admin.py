from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Analysis, Assessment, Outcome


@admin.register(Outcome)
class OutcomeAdmin(SimpleHistoryAdmin):
    list_display = [
        "indicator",
        "unit",
        "period",
        "sex",
        "value",
        "numerator",
        "denominator",
        "source",
    ]
    list_filter = ["period", "sex", "source"]
    search_fields = ["indicator__code", "indicator__name", "unit__code", "unit__name"]
    autocomplete_fields = ["indicator", "unit"]
    readonly_fields = ["period_start", "period_end", "updated_by"]


@admin.register(Analysis)
class AnalysisAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "period", "indicator", "goal"]
    list_filter = ["period"]
    search_fields = ["text", "unit__name"]
    autocomplete_fields = ["unit", "indicator", "goal"]
    readonly_fields = ["period_start", "period_end", "updated_by"]


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "period", "indicator", "goal", "sex", "status"]
    list_filter = ["status", "period"]
    search_fields = ["reason", "unit__name"]
    autocomplete_fields = ["unit", "indicator", "goal"]
    readonly_fields = ["period_start", "period_end", "updated_by"]
