"""API tokens in the Django admin: superusers see every person's tokens (never the
tokens themselves) and revoke them by deleting them; nobody adds or edits one here (an
owner gets a token from "Mina API-nycklar" or POST /api/token/)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from styrkort.accounts import tokens

from .models import ApiToken

if admin.site.is_registered(AuthToken):
    admin.site.unregister(AuthToken)  # knox's own page: the digest, an add form


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["owner", "prefix", "created_at", "expires"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    ordering = ["-created"]
    fields = list_display
    readonly_fields = list_display

    @admin.display(description=_("användare"), ordering="user__username")
    def owner(self, token):
        return token.user

    @admin.display(description=_("nyckel (början)"))
    def prefix(self, token):
        return f"{token.token_key[: tokens.PREFIX_LENGTH]}…"

    @admin.display(description=_("skapad"), ordering="created")
    def created_at(self, token):
        return token.created

    @admin.display(description=_("gäller till och med"), ordering="expiry")
    def expires(self, token):
        return token.expiry

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
