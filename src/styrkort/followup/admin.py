"""Outcomes, analyses and assessments: read-only here (``styrkort.admin_base``), entered on
the reporting pages, the API and the imports (followup.services)."""

from django.contrib import admin

from styrkort.admin_base import ReadOnlyHistoryAdmin

from .models import Analysis, Assessment, Outcome


@admin.register(Outcome)
class OutcomeAdmin(ReadOnlyHistoryAdmin):
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
class AnalysisAdmin(ReadOnlyHistoryAdmin):
    list_display = ["unit", "period", "indicator", "goal"]
    list_filter = ["period"]
    search_fields = ["text", "unit__name"]
    autocomplete_fields = ["unit", "indicator", "goal"]
    readonly_fields = ["period_start", "period_end", "updated_by"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyHistoryAdmin):
    list_display = ["unit", "period", "indicator", "goal", "sex", "status"]
    list_filter = ["status", "period"]
    search_fields = ["reason", "unit__name"]
    autocomplete_fields = ["unit", "indicator", "goal"]
    readonly_fields = ["period_start", "period_end", "updated_by"]
