from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Control, ControlResult, InternalControlPlan, Risk, RiskBand


@admin.register(RiskBand)
class RiskBandAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "name", "min_value", "max_value", "requires_action"]
    list_filter = ["organisation", "requires_action"]


@admin.register(InternalControlPlan)
class InternalControlPlanAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "year", "name", "state", "decision_ref"]
    list_filter = ["year", "state"]
    search_fields = ["name", "unit__name", "unit__code"]
    autocomplete_fields = ["unit"]


class ControlInline(admin.TabularInline):
    model = Control
    extra = 0


@admin.register(Risk)
class RiskAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "unit", "year", "probability", "consequence", "value"]
    list_filter = ["year", "value"]
    search_fields = ["title", "event", "cause", "unit__name", "unit__code"]
    autocomplete_fields = ["unit", "goals", "activities"]
    readonly_fields = ["updated_by", "updated_at"]
    inlines = [ControlInline]


@admin.register(Control)
class ControlAdmin(SimpleHistoryAdmin):
    list_display = ["risk", "method", "owner", "frequency"]
    list_filter = ["frequency"]
    search_fields = ["method", "owner", "risk__title"]
    autocomplete_fields = ["risk"]


@admin.register(ControlResult)
class ControlResultAdmin(SimpleHistoryAdmin):
    list_display = ["control", "period", "outcome"]
    list_filter = ["period", "outcome"]
    search_fields = ["comment", "control__method"]
    readonly_fields = ["period_start", "period_end", "updated_by"]
