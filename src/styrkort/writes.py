"""The one write path: every create, update and delete of a domain model runs inside a
service function, and a guard keeps every other door shut.

A service (the shape of Zulip's `do_*` actions) is a function decorated with `@service`:

    @service
    def update_activity(*, user, activity, **fields) -> Activity:
        require(user, Action.PLAN, activity.plan.unit)   # the permission check
        ...                                             # the domain rules
        save(activity, user)                             # history with the acting user
        on_commit(lambda: ...)                           # side effects after the commit

It takes the acting user as the keyword argument `user` (None for a trusted system
write, such as the command line without --user), runs in one transaction, and only
inside it may a statement write a domain table. Web views, API viewsets, importers and
the Django admin call services; they never save, delete, bulk-write or update domain
rows themselves.

The guard (`guarded()`) wraps every database statement of a request or an import: an
INSERT, UPDATE, DELETE or COPY on a domain table (the tables of the domain apps, their
history tables included, and role assignments) outside a service raises
`DirectWriteError`. It is on in the test suite (`STYRKORT_WRITE_GUARD`), so a bypass
added later fails the web, API and import tests that exercise it.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import re
from collections.abc import Callable, Iterator
from typing import TypeVar

from django.conf import settings
from django.db import connections, transaction

DOMAIN_APPS = (
    "organisation",
    "planning",
    "followup",
    "risk",
    "economy",
    "rounds",
    "identity",
    "comparisons",
)
DOMAIN_MODELS = ("accounts.RoleAssignment", "accounts.HistoricalRoleAssignment")

_depth: contextvars.ContextVar[int] = contextvars.ContextVar("styrkort_service", default=0)
_reason: contextvars.ContextVar[str] = contextvars.ContextVar("styrkort_reason", default="")
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|COPY)\s+"?(\w+)"?', re.IGNORECASE)
# A data-modifying WITH (``WITH w AS (INSERT INTO ... RETURNING ...) SELECT ...``): the
# tables its INSERT, UPDATE and DELETE clauses write.
_CTE = re.compile(r"\s*WITH\b", re.IGNORECASE)
_CTE_WRITE = re.compile(r'\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
_tables: frozenset[str] | None = None

F = TypeVar("F", bound=Callable)


class DirectWriteError(RuntimeError):
    """A domain table was written outside a service function."""


def service(func: F) -> F:
    """Mark `func` as a write service: the acting user is the keyword argument `user`,
    the whole call is one transaction, and domain tables may be written inside it."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if "user" not in kwargs:
            raise TypeError(f"{func.__qualname__}() needs the acting user as user=...")
        from styrkort.followup.versions import batch

        token = _depth.set(_depth.get() + 1)
        reason_token = _reason.set(_reason.get())
        try:
            # The cached pages' versions of what the call touched are bumped once, at
            # its end and after the commit (styrkort.followup.versions).
            with batch(), transaction.atomic():
                return func(*args, **kwargs)
        finally:
            _reason.reset(reason_token)
            _depth.reset(token)

    wrapper.is_service = True
    return wrapper  # type: ignore[return-value]


@contextlib.contextmanager
def service_scope() -> Iterator[None]:
    """Count the block as inside a service, for a write path that is a service but
    writes in its caller's transaction, step by step (the PostgreSQL import writer,
    `styrkort.io.writers.OutcomeWriter`). Everything else uses `@service`."""
    token = _depth.set(_depth.get() + 1)
    try:
        yield
    finally:
        _depth.reset(token)


def in_service() -> bool:
    return _depth.get() > 0


def acting(user):
    """The user to record in the history: None for anonymous or system writes."""
    return user if getattr(user, "is_authenticated", False) else None


def change_reason(reason: str) -> None:
    """Record `reason` as the change reason of every history row the current service call
    writes from here on (a revision of an adopted plan); it ends with the call. The
    history keeps its first 100 characters (simple-history's field); the caller keeps the
    whole text (``planning.PlanRevision``)."""
    text = " ".join((reason or "").split())
    _reason.set(text if len(text) <= 100 else text[:99] + "…")


def save(obj, user, **kwargs) -> None:
    """Save a domain object with `user` as its history user (inside a service)."""
    obj._history_user = acting(user)
    if _reason.get():
        obj._change_reason = _reason.get()
    obj.save(**kwargs)


def delete(obj, user) -> None:
    """Delete a domain object with `user` as its history user (inside a service)."""
    obj._history_user = acting(user)
    if _reason.get():
        obj._change_reason = _reason.get()
    obj.delete()


def domain_tables() -> frozenset[str]:
    """The database tables only services may write."""
    global _tables
    if _tables is None:
        from django.apps import apps

        models = [m for label in DOMAIN_APPS for m in apps.get_app_config(label).get_models()]
        models += [apps.get_model(label) for label in DOMAIN_MODELS]
        tables = {m._meta.db_table for m in models}
        for model in models:  # automatic many-to-many tables
            for field in model._meta.local_many_to_many:
                tables.add(field.remote_field.through._meta.db_table)
        _tables = frozenset(tables)
    return _tables


def _written_table(sql: str) -> str | None:
    match = _WRITE.match(sql)
    if match:
        return match.group(1)
    if _CTE.match(sql):
        written = _CTE_WRITE.findall(sql)
        return next((t for t in written if t in domain_tables()), None)
    return None


def _guard(execute, sql, params, many, context):
    if not _depth.get():
        table = _written_table(sql)
        if table is not None and table in domain_tables():
            raise DirectWriteError(
                f"Direct write to {table} outside a service (styrkort.writes.service): {sql[:120]}"
            )
    return execute(sql, params, many, context)


@contextlib.contextmanager
def guarded() -> Iterator[None]:
    """Refuse domain writes outside services for the statements run inside this block
    (when `STYRKORT_WRITE_GUARD` is on)."""
    if not getattr(settings, "STYRKORT_WRITE_GUARD", False):
        yield
        return
    with contextlib.ExitStack() as stack:
        for alias in connections:
            stack.enter_context(connections[alias].execute_wrapper(_guard))
        yield


class WriteGuardMiddleware:
    """Every web and API request runs under the guard (when it is on)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with guarded():
            return self.get_response(request)
