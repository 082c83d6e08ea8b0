"""Risks, controls, control results and risk levels: read-only here
(``styrkort.admin_base``), edited on the risk pages (risk.services)."""

from django.contrib import admin

from styrkort.admin_base import ReadOnlyHistoryAdmin, ReadOnlyInline

from .models import Control, ControlResult, InternalControlPlan, Risk, RiskBand


@admin.register(RiskBand)
class RiskBandAdmin(ReadOnlyHistoryAdmin):
    list_display = ["organisation", "name", "min_value", "max_value", "requires_action"]
    list_filter = ["organisation", "requires_action"]


@admin.register(InternalControlPlan)
class InternalControlPlanAdmin(ReadOnlyHistoryAdmin):
    list_display = ["unit", "year", "name", "state", "decision_ref"]
    list_filter = ["year", "state"]
    search_fields = ["name", "unit__name", "unit__code"]
    autocomplete_fields = ["unit"]


class ControlInline(ReadOnlyInline):
    model = Control


@admin.register(Risk)
class RiskAdmin(ReadOnlyHistoryAdmin):
    list_display = ["number", "title", "unit", "year", "probability", "consequence", "value"]
    list_filter = ["year", "value"]
    search_fields = ["title", "event", "cause", "unit__name", "unit__code"]
    autocomplete_fields = ["unit", "goals", "activities"]
    readonly_fields = ["updated_by", "updated_at"]
    inlines = [ControlInline]


@admin.register(Control)
class ControlAdmin(ReadOnlyHistoryAdmin):
    list_display = ["risk", "method", "owner", "frequency"]
    list_filter = ["frequency"]
    search_fields = ["method", "owner", "risk__title"]
    autocomplete_fields = ["risk"]


@admin.register(ControlResult)
class ControlResultAdmin(ReadOnlyHistoryAdmin):
    list_display = ["control", "period", "outcome"]
    list_filter = ["period", "outcome"]
    search_fields = ["comment", "control__method"]
    readonly_fields = ["period_start", "period_end", "updated_by"]
