from django.contrib import admin

from .models import BarrierReport, ImportJob, ReportJob


@admin.register(BarrierReport)
class BarrierReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "page_url", "description", "handled"]
    list_filter = ["handled"]
    readonly_fields = ["created_at", "reported_by"]


class JobAdmin(admin.ModelAdmin):
    """Background jobs are read-only here: they are made by the report and import pages."""

    list_display = ["created_at", "owner", "status", "progress", "message"]
    list_filter = ["status"]
    exclude = ["content", "upload_path"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReportJob)
class ReportJobAdmin(JobAdmin):
    list_display = [*JobAdmin.list_display, "unit", "kind", "period", "fmt"]


@admin.register(ImportJob)
class ImportJobAdmin(JobAdmin):
    list_display = [*JobAdmin.list_display, "kind", "filename", "dry_run"]
