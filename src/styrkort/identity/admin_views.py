"""The sign-in configuration pages (``/administration/inloggning/``): an organisation's
identity providers, their role rules, the addresses to give the provider's
administrator, and the accounts that came through each. For the administrators of the
organisation's top unit (and superusers); the writes go through ``identity.services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from styrkort.organisation.models import Organisation, OrgUnit
from styrkort.organisation.permissions import Action, scope_for

from . import services
from .forms import ProviderForm, RuleForm
from .models import ExternalIdentity, IdentityProvider, RoleRule


def administered(user):
    """The organisations whose top unit the user administers."""
    scope = scope_for(user)
    if scope.superuser:
        return Organisation.objects.all()
    paths = scope.paths[Action.ADMIN]
    tops = OrgUnit.objects.filter(depth=1).filter(path__in=paths)
    return Organisation.objects.filter(pk__in=tops.values("organisation_id"))


def _deny():
    raise PermissionDenied(_("Du saknar behörighet att administrera inloggningen."))


def _apply(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            for message in messages_:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _provider(request, pk: int) -> IdentityProvider:
    provider = get_object_or_404(IdentityProvider.objects.select_related("organisation"), pk=pk)
    if not administered(request.user).filter(pk=provider.organisation_id).exists():
        _deny()
    return provider


@login_required
def providers(request):
    organisations = administered(request.user)
    if not organisations.exists():
        _deny()
    rows = (
        IdentityProvider.objects.filter(organisation__in=organisations)
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )
    return render(request, "identity/providers.html", {"providers": rows})


def _addresses(request, provider) -> dict:
    if not provider.pk:
        return {}
    if provider.protocol == "saml":
        return {
            "metadata": request.build_absolute_uri(
                reverse("identity:saml_metadata", args=[provider.slug])
            ),
            "acs": request.build_absolute_uri(reverse("identity:saml_acs", args=[provider.slug])),
        }
    return {
        "redirect_uri": request.build_absolute_uri(
            reverse("identity:oidc_callback", args=[provider.slug])
        ),
        "logout_uri": request.build_absolute_uri(reverse("login")),
    }


@login_required
def provider_edit(request, pk: int | None = None):
    organisations = administered(request.user)
    if not organisations.exists():
        _deny()
    provider = _provider(request, pk) if pk else IdentityProvider()
    form = ProviderForm(
        request.POST or None, instance=provider, organisations=organisations.order_by("name")
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_provider(user=request.user, provider=form.save(commit=False))
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(
                request, _("Inloggningstjänsten %(name)s är sparad.") % {"name": saved}
            )
            return redirect("identity:provider_edit", pk=saved.pk)
    if provider.pk:
        provider.refresh_from_db()
    context = {
        "form": form,
        "provider": provider,
        "addresses": _addresses(request, provider),
        "rules": provider.role_rules.select_related("unit") if provider.pk else [],
        "rule_form": RuleForm(organisation_id=provider.organisation_id) if provider.pk else None,
        "accounts": (
            ExternalIdentity.objects.filter(provider=provider)
            .select_related("user")
            .order_by("-last_seen")[:200]
            if provider.pk
            else []
        ),
    }
    return render(request, "identity/provider_form.html", context)


@login_required
def rule_edit(request, pk: int, rule_pk: int | None = None):
    provider = _provider(request, pk)
    rule = get_object_or_404(RoleRule, pk=rule_pk, provider=provider) if rule_pk else None
    rule = rule or RoleRule(provider=provider)
    form = RuleForm(request.POST or None, instance=rule, organisation_id=provider.organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_rule(user=request.user, rule=form.save(commit=False))
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("Rollregeln är sparad."))
            return redirect("identity:provider_edit", pk=provider.pk)
    return render(
        request, "identity/rule_form.html", {"form": form, "provider": provider, "rule": rule}
    )


@login_required
@require_POST
def rule_delete(request, pk: int, rule_pk: int):
    provider = _provider(request, pk)
    rule = get_object_or_404(RoleRule, pk=rule_pk, provider=provider)
    services.delete_rule(user=request.user, rule=rule)
    messages.success(request, _("Rollregeln är borttagen."))
    return redirect("identity:provider_edit", pk=provider.pk)
