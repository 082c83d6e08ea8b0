"""The header's "Administration" link: shown to those who hold the admin or the auditor
role somewhere (and to superusers)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def may_administer(context) -> bool:
    from styrkort.organisation.permissions import scope_for

    user = context.get("user")
    if not getattr(user, "is_authenticated", False):
        return False
    from styrkort.organisation.permissions import Action

    scope = scope_for(user)
    return bool(scope.superuser or scope.paths[Action.AUDIT])
