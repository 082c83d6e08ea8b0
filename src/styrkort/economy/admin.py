"""Income statement lines, amounts, frames and investments: read-only here
(``styrkort.admin_base``), edited on the economy pages and by the ledger import
(economy.services)."""

from django.contrib import admin

from styrkort.admin_base import ReadOnlyAdmin, ReadOnlyHistoryAdmin, ReadOnlyInline

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
class LedgerLineAdmin(ReadOnlyHistoryAdmin):
    list_display = ["organisation", "code", "name", "parent", "order"]
    list_filter = ["organisation"]
    search_fields = ["code", "name"]


@admin.register(Amount)
class AmountAdmin(ReadOnlyHistoryAdmin):
    list_display = ["line", "unit", "year", "month", "kind", "value"]
    list_filter = ["kind", "year"]
    search_fields = ["line__name", "line__code", "unit__name", "unit__code"]
    autocomplete_fields = ["line", "unit"]
    readonly_fields = ["updated_by", "updated_at"]


class FrameChangeInline(ReadOnlyInline):
    model = FrameChange


@admin.register(Frame)
class FrameAdmin(ReadOnlyHistoryAdmin):
    list_display = ["code", "name", "unit", "year", "base_amount", "parent"]
    list_filter = ["year"]
    search_fields = ["code", "name", "recipient", "unit__name"]
    autocomplete_fields = ["unit"]
    inlines = [FrameChangeInline]


@admin.register(Investment)
class InvestmentAdmin(ReadOnlyHistoryAdmin):
    list_display = ["unit", "year", "name", "category", "amount"]
    list_filter = ["year", "category"]
    search_fields = ["name", "unit__name", "unit__code"]
    autocomplete_fields = ["unit"]


@admin.register(InvestmentFrame)
class InvestmentFrameAdmin(ReadOnlyHistoryAdmin):
    list_display = ["unit", "year", "decision_level", "category", "amount"]
    list_filter = ["year"]
    autocomplete_fields = ["unit"]


@admin.register(LedgerIndicator)
class LedgerIndicatorAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "line", "basis"]
    list_filter = ["basis"]
    autocomplete_fields = ["indicator"]
