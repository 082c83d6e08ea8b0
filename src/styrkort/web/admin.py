from django.contrib import admin

from .models import BarrierReport


@admin.register(BarrierReport)
class BarrierReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "page_url", "description", "handled"]
    list_filter = ["handled"]
    readonly_fields = ["created_at", "reported_by"]
