"""Building the search index's rows from the objects they describe.

``index_objects(kind, ids)`` replaces the rows of those objects (dropping those of
objects that no longer exist) with a fixed number of queries per kind; ``rebuild()``
rebuilds every row (after bulk writes that bypass ``save``, such as the synthetic
benchmark region). Titles and contexts are stored as written; the URL is the page the
result opens.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse

from styrkort.periods import PeriodError, parse_period

from .folding import fold, sort_key
from .models import Kind, SearchEntry

EXCERPT_CHARS = 200
BATCH = 2000


def _draft_path(plan) -> str:
    from styrkort.planning.models.plans import PlanState

    return plan.unit.path if plan.state == PlanState.DRAFT else ""


def _entry(kind, obj, *, organisation_id, title, url, text="", code="", context="", **extra):
    return SearchEntry(
        kind=kind,
        object_id=obj.pk,
        organisation_id=organisation_id,
        title=title[:500],
        code=code[:100],
        context=context[:500],
        url=url,
        folded=fold(" ".join(part for part in (title, code, text) if part)),
        sort_key=sort_key(title),
        **extra,
    )


def _units(ids):
    from styrkort.organisation.models import OrgUnit

    for unit in OrgUnit.objects.filter(pk__in=ids).select_related("organisation"):
        yield _entry(
            Kind.UNIT,
            unit,
            organisation_id=unit.organisation_id,
            link_unit_id=unit.pk,
            title=unit.name,
            code=unit.code,
            context=unit.organisation.name,
            text=unit.short_name,
            url=reverse("scorecard", args=[unit.code]),
        )


def _roots(organisation_ids) -> dict:
    from styrkort.organisation.models import OrgUnit

    return {
        u.organisation_id: u
        for u in OrgUnit.objects.filter(organisation_id__in=set(organisation_ids), depth=1)
    }


def _indicators(ids):
    from styrkort.planning.models import Indicator

    indicators = list(Indicator.objects.filter(pk__in=ids).select_related("organisation"))
    roots = _roots(i.organisation_id for i in indicators)
    for ind in indicators:
        root = roots.get(ind.organisation_id)
        if root is None:
            continue
        yield _entry(
            Kind.INDICATOR,
            ind,
            organisation_id=ind.organisation_id,
            link_unit_id=root.pk,
            title=ind.name,
            code=ind.code,
            context=ind.organisation.name,
            url=reverse("indicator_detail", args=[root.code, ind.code]),
        )


def _goals(ids):
    from styrkort.planning.models import Goal

    for goal in Goal.objects.filter(pk__in=ids).select_related("plan__unit"):
        plan = goal.plan
        draft = _draft_path(plan)
        url = (
            reverse("goal_edit", args=[plan.code, goal.pk])
            if draft
            else reverse("goal_followup", args=[plan.unit.code, goal.pk])
        )
        yield _entry(
            Kind.GOAL,
            goal,
            organisation_id=plan.unit.organisation_id,
            link_unit_id=plan.unit_id,
            draft_path=draft,
            title=goal.name,
            code=goal.code,
            context=plan.name,
            text=goal.description,
            url=url,
        )


def _activities(ids):
    from styrkort.planning.models import Activity

    for activity in Activity.objects.filter(pk__in=ids).select_related("plan__unit", "owner_unit"):
        title = f"{activity.number} {activity.name}".strip()
        yield _entry(
            Kind.ACTIVITY,
            activity,
            organisation_id=activity.owner_unit.organisation_id,
            link_unit_id=activity.owner_unit_id,
            draft_path=_draft_path(activity.plan),
            title=title,
            context=f"{activity.plan.name} · {activity.owner_unit.name}",
            text=activity.description,
            url=reverse("activity_list", args=[activity.owner_unit.code]),
        )


def _plans(ids):
    from styrkort.planning.models import Plan

    for plan in Plan.objects.filter(pk__in=ids).select_related("unit"):
        years = (
            str(plan.start_year)
            if plan.start_year == plan.end_year
            else f"{plan.start_year}–{plan.end_year}"
        )
        yield _entry(
            Kind.PLAN,
            plan,
            organisation_id=plan.unit.organisation_id,
            link_unit_id=plan.unit_id,
            draft_path=_draft_path(plan),
            title=plan.name,
            code=plan.code,
            context=f"{plan.unit.name} · {years}",
            url=reverse("plan_detail", args=[plan.code]),
        )


def _period_label(period: str) -> str:
    try:
        return parse_period(period).label_sv
    except PeriodError:
        return period


def _analyses(ids):
    from styrkort.followup.models import Analysis

    for analysis in Analysis.objects.filter(pk__in=ids).select_related(
        "unit", "indicator", "goal__plan__unit"
    ):
        unit = analysis.unit
        draft = ""
        if analysis.indicator_id is not None:
            subject = analysis.indicator.name
            url = reverse("indicator_detail", args=[unit.code, analysis.indicator.code])
        else:
            subject = analysis.goal.name
            url = reverse("goal_followup", args=[unit.code, analysis.goal_id])
            draft = _draft_path(analysis.goal.plan)
        text = " ".join((analysis.text or "").split())
        excerpt = text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"
        yield _entry(
            Kind.ANALYSIS,
            analysis,
            organisation_id=unit.organisation_id,
            link_unit_id=unit.pk,
            draft_path=draft,
            title=subject,
            context=f"{unit.name} · {_period_label(analysis.period)}",
            excerpt=excerpt,
            text=analysis.text,
            url=url,
        )


BUILDERS = {
    Kind.UNIT: _units,
    Kind.INDICATOR: _indicators,
    Kind.GOAL: _goals,
    Kind.ACTIVITY: _activities,
    Kind.PLAN: _plans,
    Kind.ANALYSIS: _analyses,
}


def _chunks(ids: list, size: int = BATCH):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def index_objects(kind: str, ids: Iterable[int]) -> int:
    """Replace the index rows of these objects of `kind`; returns the rows written."""
    ids = sorted(set(ids))
    written = 0
    with transaction.atomic():
        for chunk in _chunks(ids):
            SearchEntry.objects.filter(kind=kind, object_id__in=chunk).delete()
            entries = list(BUILDERS[Kind(kind)](chunk))
            SearchEntry.objects.bulk_create(entries, batch_size=500)
            written += len(entries)
    return written


def _all_ids(kind: str, organisation_id: int | None) -> list[int]:
    from styrkort.followup.models import Analysis
    from styrkort.organisation.models import OrgUnit
    from styrkort.planning.models import Activity, Goal, Indicator, Plan

    querysets = {
        Kind.UNIT: (OrgUnit.objects, "organisation_id"),
        Kind.INDICATOR: (Indicator.objects, "organisation_id"),
        Kind.GOAL: (Goal.objects, "plan__unit__organisation_id"),
        Kind.ACTIVITY: (Activity.objects, "owner_unit__organisation_id"),
        Kind.PLAN: (Plan.objects, "unit__organisation_id"),
        Kind.ANALYSIS: (Analysis.objects, "unit__organisation_id"),
    }
    manager, field = querysets[Kind(kind)]
    qs = manager.all() if organisation_id is None else manager.filter(**{field: organisation_id})
    return list(qs.values_list("pk", flat=True))


def rebuild(organisation_id: int | None = None) -> int:
    """Rebuild the whole index, or one organisation's part; returns the rows written."""
    written = 0
    with transaction.atomic():
        stale = SearchEntry.objects.all()
        if organisation_id is not None:
            stale = stale.filter(organisation_id=organisation_id)
        stale.delete()
        for kind in Kind:
            ids = _all_ids(kind, organisation_id)
            for chunk in _chunks(ids):
                entries = list(BUILDERS[kind](chunk))
                SearchEntry.objects.bulk_create(entries, batch_size=500)
                written += len(entries)
    return written


def reindex_links_to(unit_ids: Iterable[int]) -> None:
    """Rows whose URL names one of these units again (after a unit's code changed)."""
    by_kind: dict[str, list[int]] = {}
    for kind, object_id in SearchEntry.objects.filter(link_unit_id__in=list(unit_ids)).values_list(
        "kind", "object_id"
    ):
        by_kind.setdefault(kind, []).append(object_id)
    for kind, ids in by_kind.items():
        index_objects(kind, ids)
