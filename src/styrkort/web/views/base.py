"""Shared helpers for the web views: the unit in the URL (with its permission check), the
period in the query string and the unit navigation. Which plan applies to a unit and the
default period are domain look-ups (`planning.lookup`, `organisation.lookup`), imported
here for the views."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from styrkort.organisation.lookup import ancestor_paths, children_valid_in
from styrkort.organisation.models import OrgUnit
from styrkort.organisation.permissions import Action, can, require
from styrkort.periods import Period, PeriodError, parse_period, reporting_points
from styrkort.planning.lookup import applicable_plan, default_period, plan_years
from styrkort.planning.models import Indicator
from styrkort.rounds.locks import lock_reason
from styrkort.web.nav import unit_tabs

__all__ = [
    "applicable_plan",
    "breadcrumbs",
    "children_valid_in",
    "default_period",
    "get_indicator",
    "get_unit",
    "period_choices",
    "period_label",
    "resolve_period",
    "unit_context",
]


def get_unit(request, code: str, action: Action | str = Action.VIEW) -> OrgUnit:
    """The unit with `code`, or 404; PermissionDenied (-> the Swedish 403 page) unless the
    user may perform `action` on it."""
    unit = OrgUnit.objects.select_related("organisation").filter(code=code).first()
    if unit is None:
        raise Http404(_("Enheten %(code)s finns inte.") % {"code": code})
    require(request.user, action, unit)
    return unit


def get_indicator(unit: OrgUnit, code: str) -> Indicator:
    """The indicator with this code in the unit's organisation (from the URL); 404 when
    there is none."""
    indicator = Indicator.objects.filter(code=code, organisation_id=unit.organisation_id).first()
    if indicator is None:
        raise Http404(_("Indikatorn finns inte."))
    return indicator


def period_label(period: Period) -> str:
    """'DÅ04 2022', 'DÅ08 2022', a year as '2022' (Swedish) or the English label: the
    form of headings, captions and menus (``periods.period_text``, docs/reports.md)."""
    from styrkort.periods import period_text

    return period_text(period, "label", get_language())


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


def period_choices(unit: OrgUnit, selected: Period) -> list[dict]:
    """Reporting points of the years the unit's plans (own and superior) cover."""
    years = plan_years(unit) | {selected.year}
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


def period_lock(unit: OrgUnit, period: Period) -> str:
    """Why the unit's data for the period is locked by a reporting round ("" when it is
    not): the reporting pages show it and make their forms read-only."""
    locked = lock_reason(unit, period.start, period.end)
    return locked.messages[0] if locked is not None else ""


def breadcrumbs(unit: OrgUnit) -> list[OrgUnit]:
    """The unit's ancestors from the root down, and the unit (one query)."""
    return [*OrgUnit.objects.filter(path__in=ancestor_paths(unit)).order_by("depth"), unit]


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
