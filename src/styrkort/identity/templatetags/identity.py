"""The login page's buttons for the identity providers."""

from django import template

from styrkort.identity.models import IdentityProvider

register = template.Library()


@register.inclusion_tag("identity/_provider_buttons.html")
def provider_buttons(next_url=""):
    """A "Logga in med …" link for each enabled identity provider."""
    providers = IdentityProvider.objects.filter(enabled=True).select_related("organisation")
    return {"providers": list(providers.order_by("organisation__name", "name")), "next": next_url}
