"""The Django admin over the domain: it shows everything and changes nothing by itself.

Domain objects (organisation, plans, follow-up, risks, economy) are edited in the app,
whose pages call the services (``styrkort.writes``: permission, history with the acting
user, locks). The admin is for looking things up, with their history; each domain
model's admin is ``ReadOnlyAdmin`` (or ``ReadOnlyHistoryAdmin``) and its inlines
``ReadOnlyInline``. Role assignments are the exception: their admin calls
``accounts.services``.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

__all__ = ["ReadOnlyAdmin", "ReadOnlyHistoryAdmin", "ReadOnlyInline"]


class NoWritePermissions:
    """No add, change or delete permission (for a model admin or an inline)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyMixin(NoWritePermissions):
    """No add, change or delete; every save or delete that still reaches the admin (a
    hand-made POST, simple-history's revert) is refused with 403."""

    def save_model(self, request, obj, form, change):
        raise PermissionDenied

    def delete_model(self, request, obj):
        raise PermissionDenied

    def delete_queryset(self, request, queryset):
        raise PermissionDenied

    def save_formset(self, request, form, formset, change):
        raise PermissionDenied


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """A domain model shown in the admin, edited in the app."""


class ReadOnlyHistoryAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """A domain model with its history shown in the admin; no revert (that is a write)."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyInline(NoWritePermissions, admin.TabularInline):
    """Rows of a domain model shown under their parent in the admin, read-only."""

    extra = 0
