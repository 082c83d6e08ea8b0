"""Write services for role assignments: who may do what on which part of the organisation.

The Django admin (and anything else that hands out roles) calls these: each needs the
admin role on the unit, runs in one transaction and records the change in the role
assignment's history with the acting user.
"""

from __future__ import annotations

from styrkort.organisation.permissions import Action, require
from styrkort.writes import delete, save, service

from .models import RoleAssignment, RoleSource

__all__ = ["grant_role", "revoke_role"]


def _forget_scope(user) -> None:
    """Drop the permission scope cached on the user object (it holds the old roles)."""
    user.__dict__.pop("_styrkort_scope", None)


@service
def grant_role(*, user, target_user, unit, role: str) -> RoleAssignment:
    """Give ``target_user`` the ``role`` on ``unit`` and everything below it. Needs
    ``admin`` on the unit. A role the person already holds there is returned unchanged."""
    require(user, Action.ADMIN, unit)
    existing = RoleAssignment.objects.filter(
        user=target_user, unit=unit, role=role, source=RoleSource.MANUAL
    ).first()
    if existing is not None:
        return existing
    assignment = RoleAssignment(user=target_user, unit=unit, role=role)
    assignment.full_clean()  # ValidationError for a role that does not exist
    save(assignment, user)
    _forget_scope(target_user)
    return assignment


@service
def revoke_role(*, user, assignment: RoleAssignment) -> None:
    """Take a role back. Needs ``admin`` on the assignment's unit."""
    require(user, Action.ADMIN, assignment.unit)
    target = assignment.user
    delete(assignment, user)
    _forget_scope(target)
