"""The one permission function: what a user may do on which organisation units.

Roles are held on a unit and reach its whole subtree (materialised paths); a substitute
(ersättare) holds, for the period they were named for, the roles of the person they
stand in for as well. Viewing is
open to anyone holding any role in the same organisation (tenant); changing requires a
role that allows the action on the unit or one of its ancestors.
"""

from __future__ import annotations

import functools
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from styrkort.accounts.models import Role, RoleAssignment


class Action(StrEnum):
    VIEW = "view"
    REPORT = "report"  # outcomes, analyses, activity follow-up
    PLAN = "plan"  # plans, goals, indicators, targets, activities, risks, budgets
    ADMIN = "admin"  # units, users and roles
    AUDIT = "audit"  # the sign-in log and the administration's history (read only)


ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.PLANNER: frozenset({Action.VIEW, Action.REPORT, Action.PLAN}),
    Role.REPORTER: frozenset({Action.VIEW, Action.REPORT}),
    Role.READER: frozenset({Action.VIEW}),
    Role.AUDITOR: frozenset({Action.VIEW, Action.AUDIT}),
}


class Scope:
    """The units a user may act on, computed once per user and cached on the user object."""

    def __init__(self, user):
        self.superuser = bool(getattr(user, "is_superuser", False))
        self.organisation_ids: set[int] = set()
        self.paths: dict[Action, list[str]] = {a: [] for a in Action}
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return
        today = timezone.localdate()
        with connection.cursor() as cursor:
            cursor.execute(_roles_sql(), [user.pk, user.pk, today, today])
            rows = cursor.fetchall()
        for role, path, org_id in rows:
            self.organisation_ids.add(org_id)
            for action in ROLE_ACTIONS.get(role, ()):
                self.paths[action].append(path)

    def allows(self, action: Action, unit) -> bool:
        if self.superuser:
            return True
        if action == Action.VIEW:
            return unit.organisation_id in self.organisation_ids
        return any(unit.path.startswith(p) for p in self.paths[action])

    def q(self, action: Action, unit_field: str = "unit") -> Q:
        """A filter selecting objects whose `unit_field` the user may act on."""
        if self.superuser:
            return Q()
        prefix = f"{unit_field}__" if unit_field else ""
        if action == Action.VIEW:
            return Q(**{f"{prefix}organisation_id__in": sorted(self.organisation_ids)})
        paths = self.paths[action]
        if not paths:
            return Q(pk__in=[])
        q = Q()
        for path in paths:
            q |= Q(**{f"{prefix}path__startswith": path})
        return q


@functools.cache
def _roles_sql() -> str:
    """A user's roles with their units' paths and organisations, as one plain statement:
    their own, and those of every active person who named them substitute (ersättare,
    ``rounds.Substitution``) for a period that includes today. Parameters: the user's id
    twice, today twice.

    Every signed-in page reads it; written out once instead of compiled by the ORM at
    each request (a fifth of the cost of a cached scorecard)."""
    from django.contrib.auth import get_user_model

    from styrkort.organisation.models import OrgUnit
    from styrkort.rounds.models import Substitution

    quote = connection.ops.quote_name
    role, unit = RoleAssignment._meta, OrgUnit._meta
    sub, person = Substitution._meta, get_user_model()._meta

    def column(meta, name: str) -> str:
        return quote(meta.get_field(name).column)

    select = (
        f"SELECT r.{column(role, 'role')}, u.{column(unit, 'path')},"
        f" u.{column(unit, 'organisation')}"
        f" FROM {quote(role.db_table)} r JOIN {quote(unit.db_table)} u"
        f" ON u.{column(unit, 'id')} = r.{column(role, 'unit')}"
    )
    return (
        f"{select} WHERE r.{column(role, 'user')} = %s"
        f" UNION ALL {select}"
        f" JOIN {quote(sub.db_table)} s ON s.{column(sub, 'user')} = r.{column(role, 'user')}"
        f" JOIN {quote(person.db_table)} p ON p.{column(person, 'id')} = s.{column(sub, 'user')}"
        f" WHERE s.{column(sub, 'substitute')} = %s AND s.{column(sub, 'starts_on')} <= %s"
        f" AND s.{column(sub, 'ends_on')} >= %s AND p.{column(person, 'is_active')}"
        # A substitute stands in for the follow-up work, never for administration: an
        # administrator's substitute could otherwise grant themselves lasting roles, and
        # an auditor's office is personal.
        f" AND r.{column(role, 'role')} NOT IN ('{Role.ADMIN.value}', '{Role.AUDITOR.value}')"
    )


def scope_for(user) -> Scope:
    scope = getattr(user, "_styrkort_scope", None)
    if scope is None:
        scope = Scope(user)
        if getattr(user, "is_authenticated", False):
            user._styrkort_scope = scope
    return scope


def can(user, action: Action | str, unit) -> bool:
    """May `user` perform `action` on organisation unit `unit`?"""
    return scope_for(user).allows(Action(action), unit)


def may_import_anything(user) -> bool:
    """Whether the user holds report or plan rights on some unit (the import menu)."""
    if not getattr(user, "is_authenticated", False):
        return False
    scope = scope_for(user)
    return bool(scope.superuser or scope.paths[Action.REPORT] or scope.paths[Action.PLAN])


def restrict(queryset: QuerySet, user, action: Action | str, unit_field: str = "unit") -> QuerySet:
    """`queryset` narrowed to the objects whose unit the user may act on.

    `unit_field` is the path to the OrgUnit from the queryset's model ("" for OrgUnit itself,
    "plan__unit" for goals)."""
    return queryset.filter(scope_for(user).q(Action(action), unit_field))


def require(user, action: Action | str, unit) -> None:
    """Raise PermissionDenied unless `can(user, action, unit)`, with a message in the active
    language (Swedish, or English when the user chose English)."""
    if not can(user, action, unit):
        raise PermissionDenied(_(REFUSALS[Action(action)]) % {"unit": unit.name})


#: One whole sentence per action, translated when the refusal is raised.
REFUSALS = {
    Action.VIEW: gettext_noop("Du saknar behörighet att se uppgifter för %(unit)s."),
    Action.REPORT: gettext_noop("Du saknar behörighet att rapportera för %(unit)s."),
    Action.PLAN: gettext_noop("Du saknar behörighet att ändra planen för %(unit)s."),
    Action.ADMIN: gettext_noop("Du saknar behörighet att administrera för %(unit)s."),
    Action.AUDIT: gettext_noop("Du saknar behörighet att granska loggarna för %(unit)s."),
}
