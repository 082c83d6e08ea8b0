"""Users and their roles. A role is granted or revoked through ``accounts.services``
(admin on the unit, history with the acting user); a role is never changed in place
(revoke it and grant the new one), and a user is deactivated rather than deleted, so
that the history of what they did keeps their name."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from styrkort.admin_base import ReadOnlyAdmin
from styrkort.organisation.permissions import REFUSALS, Action, can

from .models import RoleAssignment, SignInEvent, User
from .services import grant_role, revoke_role


def _check_admin_on_unit(form, user) -> None:
    unit = form.cleaned_data.get("unit")
    if unit is not None and not can(user, Action.ADMIN, unit):
        form.add_error("unit", _(REFUSALS[Action.ADMIN]) % {"unit": unit.name})


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    autocomplete_fields = ["unit"]
    fields = ["unit", "role", "source"]
    readonly_fields = ["source"]  # a provider's roles come and go with its sign-ins

    def has_change_permission(self, request, obj=None):
        return False  # revoke and grant instead

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class Form(formset.form):
            def clean(self):
                cleaned = super().clean()
                if not self.instance.pk:
                    _check_admin_on_unit(self, request.user)
                return cleaned

        formset.form = Form
        return formset


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleAssignmentInline]

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: the history names the user

    def save_formset(self, request, form, formset, change):
        if formset.model is not RoleAssignment:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for assignment in formset.deleted_objects:
            revoke_role(user=request.user, assignment=assignment)
        for assignment in formset.new_objects:
            grant_role(
                user=request.user,
                target_user=form.instance,
                unit=assignment.unit,
                role=assignment.role,
            )


class RoleAssignmentForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["user", "unit", "role"]

    def clean(self):
        cleaned = super().clean()
        _check_admin_on_unit(self, self.acting_user)
        return cleaned


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    form = RoleAssignmentForm
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    search_fields = ["user__username", "unit__name", "unit__code"]
    autocomplete_fields = ["user", "unit"]

    def has_change_permission(self, request, obj=None):
        return False  # revoke and grant instead

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied  # a revert would write outside the services
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.acting_user = request.user
        return form

    def save_model(self, request, obj, form, change):
        if change:
            raise PermissionDenied
        granted = grant_role(user=request.user, target_user=obj.user, unit=obj.unit, role=obj.role)
        obj.pk = granted.pk  # the admin's log entry and redirect name the stored row

    def delete_model(self, request, obj):
        revoke_role(user=request.user, assignment=obj)

    def delete_queryset(self, request, queryset):
        for assignment in queryset.select_related("unit", "user"):
            revoke_role(user=request.user, assignment=assignment)


@admin.register(SignInEvent)
class SignInEventAdmin(ReadOnlyAdmin):
    """The sign-in log, for looking things up; written only by ``accounts.signin``."""

    list_display = ["at", "username", "outcome", "method", "provider", "address", "organisation"]
    list_filter = ["outcome", "method", "organisation"]
    search_fields = ["username", "address"]
    date_hierarchy = "at"
