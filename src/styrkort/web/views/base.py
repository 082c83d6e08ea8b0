"""Shared helpers for the web views: the unit in the URL (with its permission check), the
period in the query string, the plan that applies to a unit, and the unit navigation."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Q
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from styrkort.followup.models import Outcome
from styrkort.organisation.models import OrgUnit
from styrkort.organisation.permissions import Action, can, require
from styrkort.periods import Period, PeriodError, parse_period, reporting_points
from styrkort.planning.models import Plan
from styrkort.web.nav import unit_tabs


def get_unit(request, code: str, action: Action | str = Action.VIEW) -> OrgUnit:
    """The unit with `code`, or 404; PermissionDenied (-> the Swedish 403 page) unless the
    user may perform `action` on it."""
    unit = OrgUnit.objects.select_related("organisation").filter(code=code).first()
    if unit is None:
        raise Http404(_("Enheten %(code)s finns inte.") % {"code": code})
    require(request.user, action, unit)
    return unit


def period_label(period: Period) -> str:
    """'DÅ04 2022', 'DÅ08 2022', 'ÅR 2022' (Swedish) or the English label."""
    if get_language() and get_language().startswith("en"):
        return f"Full year {period.year}" if period.is_year else period.label_en
    if period.is_year:
        return f"ÅR {period.year}"
    return period.label_sv


def default_period(unit: OrgUnit, today: dt.date | None = None) -> Period:
    """The latest reporting point (DÅ04, DÅ08, ÅR) that has ended by the latest outcome of
    the unit or its children (an indexed lookup by unit), else of its subtree, else the
    latest reporting point that has ended."""
    today = today or dt.date.today()
    children = children_valid_in(unit, reporting_points(today.year)[-1]).values("pk")
    near = Outcome.objects.filter(Q(unit_id=unit.pk) | Q(unit_id__in=children))
    latest = near.aggregate(end=Max("period_end"))["end"]
    if latest is None:  # values only further down (a region): look through the subtree
        latest = Outcome.objects.filter(unit__path__startswith=unit.path).aggregate(
            end=Max("period_end")
        )["end"]
    anchor = min(latest, today) if latest else today
    for year in (anchor.year, anchor.year - 1):
        ended = [p for p in reporting_points(year) if p.end <= anchor]
        if ended:
            return ended[-1]
    return reporting_points(today.year)[0]


def resolve_period(request, unit: OrgUnit) -> tuple[Period, str]:
    """The period asked for in `?period=`, or the default; with a Swedish message when the
    text could not be read."""
    text = (request.GET.get("period") or request.POST.get("period") or "").strip()
    if text:
        try:
            return parse_period(text), ""
        except PeriodError as exc:
            return default_period(unit), str(exc)
    return default_period(unit), ""


def applicable_plan(unit: OrgUnit, year: int) -> Plan | None:
    """The plan a unit follows up in `year`: its own plan covering the year, else the nearest
    superior unit's (a verksamhetsområde reports on its division's indicators)."""
    paths = [unit.path[:i] for i in range(unit.steplen, len(unit.path) + 1, unit.steplen)]
    plans = list(
        Plan.objects.select_related("unit", "plan_model")
        .filter(unit__path__in=paths, start_year__lte=year, end_year__gte=year)
        .exclude(state="archived")
        .order_by("-unit__depth", "-start_year", "id")[:1]
    )
    return plans[0] if plans else None


def period_choices(unit: OrgUnit, selected: Period) -> list[dict]:
    """Reporting points of the years the unit's plans (own and superior) cover."""
    paths = [unit.path[:i] for i in range(unit.steplen, len(unit.path) + 1, unit.steplen)]
    years = set()
    for start, end in Plan.objects.filter(unit__path__in=paths).values_list(
        "start_year", "end_year"
    ):
        years.update(range(start, end + 1))
    years.add(selected.year)
    choices = []
    for year in sorted(years, reverse=True):
        for p in reversed(reporting_points(year)):
            choices.append({"value": p.canonical, "label": period_label(p), "selected": False})
    if not any(c["value"] == selected.canonical for c in choices):
        choices.insert(
            0, {"value": selected.canonical, "label": period_label(selected), "selected": True}
        )
    for c in choices:
        c["selected"] = c["value"] == selected.canonical
    return choices


def breadcrumbs(unit: OrgUnit) -> list[OrgUnit]:
    """The unit's ancestors from the root down, and the unit (one query)."""
    paths = [unit.path[:i] for i in range(unit.steplen, len(unit.path), unit.steplen)]
    return [*OrgUnit.objects.filter(path__in=paths).order_by("depth"), unit]


def unit_context(request, unit: OrgUnit, period: Period | None, active: str) -> dict:
    """What every unit page's header needs: breadcrumbs, tabs, period choices, permissions."""
    user = request.user
    return {
        "unit": unit,
        "period": period,
        "period_text": period.canonical if period else "",
        "period_label": period_label(period) if period else "",
        "period_choices": period_choices(unit, period) if period else [],
        "crumbs": breadcrumbs(unit),
        "active_tab": active,
        "can_report": can(user, Action.REPORT, unit),
        "can_plan": can(user, Action.PLAN, unit),
        "symbols": unit.organisation.symbols or {},
        "extra_tabs": unit_tabs(unit.code),
    }


def children_valid_in(unit: OrgUnit, period: Period):
    """The unit's children that existed during `period`."""
    return (
        OrgUnit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=period.end))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period.start))
        .order_by("path")
    )
