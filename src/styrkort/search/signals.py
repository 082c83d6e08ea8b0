"""Keep the search index in step with writes: every save or delete of a searchable
object marks it, and one callback after the transaction commits re-indexes the marked
objects in bulk (so a reporting round's thousand saves cost a handful of queries, and a
rolled-back write leaves the index alone)."""

from __future__ import annotations

import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .models import Kind

_state = threading.local()


def _pending() -> dict[str, set[int]]:
    pending = getattr(_state, "pending", None)
    if pending is None:
        pending = _state.pending = {}
    return pending


def mark(kind: str, object_id: int) -> None:
    _pending().setdefault(kind, set()).add(object_id)
    # Every mark asks for a flush: after a rollback the earlier callback is gone, and a
    # flush with nothing marked costs nothing.
    transaction.on_commit(flush)


def flush() -> None:
    """Re-index everything marked since the last flush."""
    from .index import index_objects, reindex_links_to
    from .models import SearchEntry

    pending = _pending()
    if not pending:
        return
    _state.pending = {}
    units = pending.get(Kind.UNIT.value, set())
    moved = []
    if units:
        from styrkort.organisation.models import OrgUnit

        codes = dict(
            SearchEntry.objects.filter(kind=Kind.UNIT, object_id__in=units).values_list(
                "object_id", "code"
            )
        )
        current = dict(OrgUnit.objects.filter(pk__in=units).values_list("pk", "code"))
        moved = [pk for pk, code in codes.items() if pk in current and current[pk] != code]
    for kind, ids in pending.items():
        index_objects(kind, ids)
    if moved:
        reindex_links_to(moved)


def _receiver(kind: Kind, *, plan: bool = False):
    def receive(sender, instance, raw=False, **kwargs):
        if raw or instance.pk is None:
            return
        mark(kind.value, instance.pk)
        if plan:  # a plan's state decides who sees its goals and activities
            for goal_id in instance.goals.values_list("pk", flat=True):
                mark(Kind.GOAL.value, goal_id)
            for activity_id in instance.activities.values_list("pk", flat=True):
                mark(Kind.ACTIVITY.value, activity_id)

    return receive


def _delete_receiver(kind: Kind):
    def receive(sender, instance, **kwargs):
        if instance.pk is not None:
            mark(kind.value, instance.pk)

    return receive


_RECEIVERS: list = []


def connect() -> None:
    from styrkort.followup.models import Analysis
    from styrkort.organisation.models import OrgUnit
    from styrkort.planning.models import Activity, Goal, Indicator, Plan

    for model, kind in (
        (OrgUnit, Kind.UNIT),
        (Indicator, Kind.INDICATOR),
        (Goal, Kind.GOAL),
        (Activity, Kind.ACTIVITY),
        (Plan, Kind.PLAN),
        (Analysis, Kind.ANALYSIS),
    ):
        saved = _receiver(kind, plan=model is Plan)
        deleted = _delete_receiver(kind)
        _RECEIVERS.extend((saved, deleted))  # signals hold weak references
        post_save.connect(saved, sender=model, dispatch_uid=f"search-save-{kind}")
        post_delete.connect(deleted, sender=model, dispatch_uid=f"search-delete-{kind}")
