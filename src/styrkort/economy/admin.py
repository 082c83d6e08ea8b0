from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Amount,
    Frame,
    FrameChange,
    Investment,
    InvestmentFrame,
    LedgerIndicator,
    LedgerLine,
)


@admin.register(LedgerLine)
class LedgerLineAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "code", "name", "parent", "order"]
    list_filter = ["organisation"]
    search_fields = ["code", "name"]


@admin.register(Amount)
class AmountAdmin(SimpleHistoryAdmin):
    list_display = ["line", "unit", "year", "month", "kind", "value"]
    list_filter = ["kind", "year"]
    search_fields = ["line__name", "line__code", "unit__name", "unit__code"]
    autocomplete_fields = ["line", "unit"]
    readonly_fields = ["updated_by", "updated_at"]


class FrameChangeInline(admin.TabularInline):
    model = FrameChange
    extra = 0


@admin.register(Frame)
class FrameAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "unit", "year", "base_amount", "parent"]
    list_filter = ["year"]
    search_fields = ["code", "name", "recipient", "unit__name"]
    autocomplete_fields = ["unit"]
    inlines = [FrameChangeInline]


@admin.register(Investment)
class InvestmentAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "year", "name", "category", "amount"]
    list_filter = ["year", "category"]
    search_fields = ["name", "unit__name", "unit__code"]
    autocomplete_fields = ["unit"]


@admin.register(InvestmentFrame)
class InvestmentFrameAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "year", "decision_level", "category", "amount"]
    list_filter = ["year"]
    autocomplete_fields = ["unit"]


@admin.register(LedgerIndicator)
class LedgerIndicatorAdmin(admin.ModelAdmin):
    list_display = ["indicator", "line", "basis"]
    list_filter = ["basis"]
    autocomplete_fields = ["indicator"]
