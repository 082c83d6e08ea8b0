"""Scoped data versions: cheap tokens that change when, and only when, the data a unit's
page is built from changes.

A unit's scorecard depends on three things, each with its own version:

- ``sub:<path>`` its own subtree's data (outcomes, analyses, assessments, activity
  reports of the unit or any unit below it, and plans owned in the subtree);
- ``plan:<path>`` for the unit and each ancestor: the plans those units own (a plan
  of the region or a division governs the units below it);
- ``org:<id>`` the organisation's settings, its tree (names, moves, new units) and its
  indicator catalogue and plan models;

and ``all``, bumped by whole-installation changes (demo load, restores). A write to a
unit's data bumps ``sub:`` of the unit and every ancestor (their subtrees changed); a
plan change bumps ``plan:`` of the plan's unit and ``sub:`` of it and its ancestors. A
write in another division or region leaves the page's versions alone, so its cached
page stays valid.

A version is a random token (never a counter: two concurrent bumps cannot collapse into
one, and a token that is evicted or lost is replaced by a fresh one, never by an earlier
value). The tokens live in the cache every worker and every server shares (the
``sessions`` cache: files on one machine, Redis with several servers).

Ordering: a page reads its versions before it reads the data, and a write bumps them
after its transaction commits, so a page cached under a version never lacks a change
committed before that version was set. Models are watched through signals (every
``save`` and ``delete``, services and admin alike); bulk writes that send no signals
(simple-history's bulk helpers, COPY) touch the units they wrote explicitly. Inside a
service call the touched scopes are collected and bumped once when the call ends (and
again when the transaction commits), so a service that saves a thousand rows writes
each token once.
"""

from __future__ import annotations

import contextlib
import contextvars
import secrets
from collections.abc import Iterable, Iterator

from django.db import connection, transaction

# The cache shared by every worker process (and every server): see settings.CACHES.
VERSIONS_CACHE = "sessions"
STEPLEN = 4  # treebeard's materialised path: four characters a level
ALL = "v:all"

# The models whose saves and deletes change a scorecard (signals connected in apps.py).
VERSIONED_MODELS = [
    "organisation.Organisation",
    "organisation.OrgUnit",
    "planning.PlanModel",
    "planning.Plan",
    "planning.PlanLevel",
    "planning.Goal",
    "planning.Indicator",
    "planning.PlanIndicator",
    "planning.Target",
    "planning.Activity",
    "planning.ActivityReport",
    "planning.ActivitySummary",
    "followup.Outcome",
    "followup.Analysis",
    "followup.Assessment",
    # Kolada's published values are the same for every organisation; a group is one's.
    "comparisons.ComparisonValue",
    "comparisons.ComparisonGroup",
]

_batch: contextvars.ContextVar[set | None] = contextvars.ContextVar(
    "styrkort_version_batch", default=None
)


def _cache():
    from django.core.cache import caches

    return caches[VERSIONS_CACHE]


def _token() -> str:
    return secrets.token_hex(6)


def ancestor_paths(path: str) -> list[str]:
    """The paths of the unit and its ancestors, root first."""
    return [path[:end] for end in range(STEPLEN, len(path) + 1, STEPLEN)]


def page_keys(unit) -> list[str]:
    """The version keys a page of `unit` depends on."""
    return [
        ALL,
        f"v:org:{unit.organisation_id}",
        f"v:sub:{unit.path}",
        *(f"v:plan:{p}" for p in ancestor_paths(unit.path)),
    ]


def page_version(unit) -> str:
    """One string that changes whenever the data of `unit`'s scorecard may have changed
    (one read of the shared cache). A missing token is created, never guessed."""
    keys = page_keys(unit)
    cache = _cache()
    found = cache.get_many(keys)
    missing = [k for k in keys if k not in found]
    if missing:
        for key in missing:
            cache.add(key, _token(), timeout=None)
        found.update(cache.get_many(missing))
    return ".".join(str(found.get(k, "-")) for k in keys)


# Touching ------------------------------------------------------------------------------


def unit_keys(path: str) -> list[str]:
    """What a write to a unit's own data changes: its subtree and every ancestor's."""
    return [f"v:sub:{p}" for p in ancestor_paths(path)]


def plan_keys(path: str) -> list[str]:
    """What a change to a plan owned by the unit at `path` changes: the plans that
    govern it and the units below, and the subtrees above (their pages show it too)."""
    return [f"v:plan:{path}", *unit_keys(path)]


def _bump(keys: Iterable[str]) -> None:
    keys = set(keys)
    if ALL in keys:
        keys = {ALL}  # part of every page's version: the others need not be written
    if keys:
        token = _token()
        _cache().set_many(dict.fromkeys(keys, token), timeout=None)


def touch(keys: Iterable[str]) -> None:
    """Mark `keys` changed: at the end of the current service call (or now, outside
    one), and again when the transaction commits."""
    keys = set(keys)
    if not keys:
        return
    pending = _batch.get()
    if pending is not None:
        pending.update(keys)
        return
    _bump_now_and_on_commit(keys)


def _bump_now_and_on_commit(keys: set[str]) -> None:
    _bump(keys)
    if connection.in_atomic_block:
        # Bumped now (a test, or a caller's own transaction) and after the commit: a
        # page rendered in between from the data before the commit is not kept.
        transaction.on_commit(lambda: _bump(keys))


@contextlib.contextmanager
def batch() -> Iterator[None]:
    """Collect the touches of the block and bump each key once at its end (the outermost
    block of nested ones). `styrkort.writes.service` runs every service in one."""
    if _batch.get() is not None:
        yield
        return
    pending: set[str] = set()
    token = _batch.set(pending)
    try:
        yield
    finally:
        _batch.reset(token)
        if pending:
            _bump_now_and_on_commit(pending)


def _paths(units: Iterable) -> set[str]:
    """The tree paths of these units (OrgUnit objects or their ids)."""
    paths, ids = set(), set()
    for unit in units:
        if hasattr(unit, "path"):
            paths.add(unit.path)
        elif unit is not None:
            ids.add(unit)
    if ids:
        from styrkort.organisation.models import OrgUnit

        paths.update(OrgUnit.objects.filter(pk__in=ids).values_list("path", flat=True))
    return paths


def touch_units(units: Iterable) -> None:
    """The data of these units changed (OrgUnit objects or their ids)."""
    touch(k for p in _paths(units) for k in unit_keys(p))


def touch_plan_units(units: Iterable) -> None:
    """Plans owned by these units (OrgUnit objects or ids) changed."""
    touch(k for p in _paths(units) for k in plan_keys(p))


def touch_organisation(organisation_id) -> None:
    touch([f"v:org:{organisation_id}"])


def touch_everything() -> None:
    """Every page is stale (a demo load, a restore, a migration of text)."""
    touch([ALL])


# Signals ---------------------------------------------------------------------------------


def _plan_unit_ids(model, instance) -> list:
    """The units owning the plan(s) an instance of a planning model belongs to."""
    from styrkort.planning.models import Plan

    plan_id = getattr(instance, "plan_id", None)
    if plan_id is None and model.__name__ == "Target":
        from styrkort.planning.models import PlanIndicator

        plan_id = (
            PlanIndicator.objects.filter(pk=instance.placement_id)
            .values_list("plan_id", flat=True)
            .first()
        )
    if plan_id is None:
        return []
    return list(Plan.objects.filter(pk=plan_id).values_list("unit_id", flat=True))


def changed(sender, instance, **kwargs) -> None:
    """post_save / post_delete of a versioned model: touch what depends on it."""
    name = sender._meta.label
    if name == "organisation.Organisation":
        touch_organisation(instance.pk)
    elif name == "comparisons.ComparisonValue":
        touch_everything()
    elif name in (
        "organisation.OrgUnit",
        "planning.Indicator",
        "planning.PlanModel",
        "comparisons.ComparisonGroup",
    ):
        touch_organisation(instance.organisation_id)
    elif name == "planning.PlanLevel":
        from styrkort.planning.models import PlanModel

        org = (
            PlanModel.objects.filter(pk=instance.plan_model_id)
            .values_list("organisation_id", flat=True)
            .first()
        )
        if org is not None:
            touch_organisation(org)
    elif name == "planning.Plan":
        touch_plan_units([instance.unit_id])
    elif name in ("planning.Goal", "planning.PlanIndicator", "planning.Activity"):
        touch_plan_units(_plan_unit_ids(sender, instance))
    elif name == "planning.Target":
        touch_plan_units(_plan_unit_ids(sender, instance))
        if getattr(instance, "unit_id", None):
            touch_units([instance.unit_id])
    else:  # outcomes, analyses, assessments, activity reports: the unit's own data
        unit = instance._state.fields_cache.get("unit")
        touch_units([unit if unit is not None else instance.unit_id])


def _activity_goals_changed(sender, instance, action, **kwargs) -> None:
    """An activity's goals set or cleared (a many-to-many change sends no post_save)."""
    if action in ("post_add", "post_remove", "post_clear"):
        touch_plan_units(_plan_unit_ids(type(instance), instance))


def connect_signals() -> None:
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for label in VERSIONED_MODELS:
        try:
            model = apps.get_model(label)
        except LookupError:  # an app that is not installed
            continue
        uid = f"styrkort-versions-{label}"
        post_save.connect(changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(changed, sender=model, dispatch_uid=uid + "-delete")
    m2m_changed.connect(
        _activity_goals_changed,
        sender=apps.get_model("planning.Activity").goals.through,
        dispatch_uid="styrkort-versions-activity-goals",
    )
