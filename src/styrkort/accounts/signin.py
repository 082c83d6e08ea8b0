"""The sign-in log: every sign-in, failed sign-in, lock-out, refusal and sign-out, with
who (or the name that was tried), how, from which address and why.

``record`` is the one writer; Django's authentication signals and django-axes' lock-out
signal call it for password sign-ins, the single sign-on views call it with their
provider and reason. The client address is axes' (``STYRKORT_TRUSTED_PROXIES`` decides
when ``X-Forwarded-For`` is believed), so the log and the throttling agree on who asked.
Administrators and auditors of an organisation read its events (``events_for``).
"""

from __future__ import annotations

import logging

from django.contrib.auth import user_logged_in, user_logged_out, user_login_failed
from django.db import DatabaseError
from django.db.models import Q, QuerySet
from django.dispatch import receiver

from .models import RoleAssignment, SignInEvent, SignInMethod, SignInOutcome

__all__ = ["events_for", "record"]

logger = logging.getLogger("styrkort.signin")


def _address(request) -> str | None:
    if request is None:
        return None
    from axes.helpers import get_client_ip_address

    try:
        return get_client_ip_address(request) or None
    except (ValueError, AttributeError):
        return None


def _organisation_id(user) -> int | None:
    if user is None or not getattr(user, "pk", None):
        return None
    return (
        RoleAssignment.objects.filter(user=user)
        .order_by("pk")
        .values_list("unit__organisation_id", flat=True)
        .first()
    )


def _method_of(user) -> str:
    backend = (getattr(user, "backend", "") or "").lower()
    if "oidc" in backend:
        return SignInMethod.OIDC
    if "saml" in backend:
        return SignInMethod.SAML
    return SignInMethod.PASSWORD


def record(
    *,
    outcome: str,
    method: str,
    request=None,
    user=None,
    username: str = "",
    organisation_id: int | None = None,
    provider: str = "",
    reason: str = "",
) -> SignInEvent | None:
    """Write one event. A sign-in is never refused because its log line could not be
    written: the failure is logged to the server log instead. A personal identity number
    in the name tried or the reason (people type theirs as user name) is never stored."""
    from styrkort.identity.rules import scrub_text

    if user is not None and not username:
        username = user.get_username()
    username, reason = scrub_text(username or ""), scrub_text(reason or "")
    if organisation_id is None:
        organisation_id = _organisation_id(user)
    agent = request.META.get("HTTP_USER_AGENT", "") if request is not None else ""
    try:
        return SignInEvent.objects.create(
            user=user if getattr(user, "pk", None) else None,
            username=(username or "")[:150],
            organisation_id=organisation_id,
            method=method,
            outcome=outcome,
            provider=provider[:100],
            address=_address(request),
            user_agent=agent[:300],
            reason=reason[:300],
        )
    except DatabaseError:
        logger.exception("sign-in event not recorded: %s %s", username, outcome)  # scrubbed
        return None


def events_for(organisation_ids) -> QuerySet[SignInEvent]:
    """The events an administrator or auditor of these organisations reads: those recorded
    for the organisations, and those of their people recorded without one."""
    ids = sorted(organisation_ids)
    people = RoleAssignment.objects.filter(unit__organisation_id__in=ids).values("user_id")
    return (
        SignInEvent.objects.filter(
            Q(organisation_id__in=ids) | Q(organisation__isnull=True, user_id__in=people)
        )
        .select_related("user")
        .order_by("-at", "-pk")
    )


@receiver(user_logged_in, dispatch_uid="styrkort-signin-success")
def _signed_in(sender, request, user, **kwargs):
    api = request is not None and request.path.startswith("/api/")
    method = SignInMethod.TOKEN if api else _method_of(user)  # /api/token/ issued a token
    record(outcome=SignInOutcome.SUCCESS, method=method, request=request, user=user)


@receiver(user_logged_out, dispatch_uid="styrkort-signin-logout")
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        record(
            outcome=SignInOutcome.SIGNED_OUT, method=_method_of(user), request=request, user=user
        )


@receiver(user_login_failed, dispatch_uid="styrkort-signin-failure")
def _failed(sender, credentials, request=None, **kwargs):
    from django.contrib.auth import get_user_model

    username = str((credentials or {}).get("username", ""))[:150]
    user = get_user_model().objects.filter(username=username).first() if username else None
    if request is not None and getattr(request, "axes_locked_out", False):
        outcome, reason = SignInOutcome.LOCKED, "för många misslyckade försök"
    else:
        outcome, reason = SignInOutcome.FAILURE, ""
    record(
        outcome=outcome,
        method=SignInMethod.PASSWORD,
        request=request,
        user=user,
        username=username,
        reason=reason,
    )
