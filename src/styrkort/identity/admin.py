"""The identity providers in the Django admin, for looking things up; they are configured
in the app's administration (``identity.services``)."""

from django.contrib import admin

from styrkort.admin_base import ReadOnlyAdmin, ReadOnlyHistoryAdmin, ReadOnlyInline

from .models import ExternalIdentity, IdentityProvider, RoleRule, SamlMessage


class RoleRuleInline(ReadOnlyInline):
    model = RoleRule


@admin.register(IdentityProvider)
class IdentityProviderAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "slug", "organisation", "protocol", "enabled"]
    list_filter = ["organisation", "protocol", "enabled"]
    exclude = ["client_secret"]
    inlines = [RoleRuleInline]


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(ReadOnlyAdmin):
    list_display = ["user", "provider", "subject", "first_seen", "last_seen"]
    list_filter = ["provider"]
    search_fields = ["user__username", "subject"]


@admin.register(SamlMessage)
class SamlMessageAdmin(ReadOnlyAdmin):
    list_display = ["provider", "kind", "message_id", "expires_at"]
    list_filter = ["provider", "kind"]
