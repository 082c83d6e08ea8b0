"""The "Historik" pages: an indicator's outcomes, analysis and targets for a unit and
period, a goal's analysis, and a plan with its revisions. All are rows of
``web.history.history_rows`` rendered by ``web/history.html``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from styrkort.followup.models import Analysis, Outcome
from styrkort.organisation.permissions import Action
from styrkort.planning.models import Activity, Goal, Plan, PlanIndicator, Target
from styrkort.web.history import history_rows, merged, person
from styrkort.web.presentation import format_value

from .base import (
    applicable_plan,
    get_indicator,
    get_unit,
    period_label,
    resolve_period,
    unit_context,
)
from .planning import _plan, _plan_context

OUTCOME_LABELS = {
    "value": gettext_lazy("Värde"),
    "numerator": gettext_lazy("Täljare"),
    "denominator": gettext_lazy("Nämnare"),
    "source": gettext_lazy("Källa"),
    "data_source": gettext_lazy("Datakälla"),
    "note": gettext_lazy("Anmärkning"),
}
ANALYSIS_LABELS = {"text": gettext_lazy("Analys")}
TARGET_LABELS = {
    "text": gettext_lazy("Målvärde"),
    "note": gettext_lazy("Anmärkning"),
}
PLAN_LABELS = {
    "name": gettext_lazy("Namn"),
    "code": gettext_lazy("Kod"),
    "start_year": gettext_lazy("Första år"),
    "end_year": gettext_lazy("Sista år"),
    "state": gettext_lazy("Status"),
    "decision_body": gettext_lazy("Beslutande organ"),
    "decision_date": gettext_lazy("Beslutsdatum"),
    "decision_ref": gettext_lazy("Beslutsreferens"),
    "vision": gettext_lazy("Vision"),
    "introduction": gettext_lazy("Inledning"),
    "superior_plan": gettext_lazy("Överordnad plan"),
}
GOAL_LABELS = {
    "name": gettext_lazy("Namn"),
    "code": gettext_lazy("Kod"),
    "description": gettext_lazy("Beskrivning"),
    "planning_comment": gettext_lazy("Planeringskommentar"),
    "order": gettext_lazy("Ordning"),
}
PLACEMENT_LABELS = {
    "indicator": gettext_lazy("Indikator"),
    "goal": gettext_lazy("Mål"),
    "baseline_text": gettext_lazy("Ingångsvärde"),
    "baseline_period": gettext_lazy("Ingångsvärdets period"),
    "reporting_points": gettext_lazy("Uppföljningsperiod"),
    "note": gettext_lazy("Fotnot"),
}
ACTIVITY_LABELS = {
    "name": gettext_lazy("Namn"),
    "number": gettext_lazy("Nummer"),
    "kind": gettext_lazy("Typ"),
    "owner_unit": gettext_lazy("Ansvarig enhet"),
    "status": gettext_lazy("Status"),
    "start_date": gettext_lazy("Startdatum"),
    "end_date": gettext_lazy("Slutdatum"),
    "responsible": gettext_lazy("Ansvarig person"),
    "description": gettext_lazy("Beskrivning"),
    "concretisation": gettext_lazy("Konkretisering"),
}


def _target_subject(record) -> str:
    text = _("Långsiktigt %(year)s") if record.is_long_term else _("År %(year)s")
    return text % {"year": record.year}


@login_required
def indicator_history(request, code, indicator_code):
    """Who changed an indicator's outcomes (per sex), analysis and targets for the unit and
    the period, when, from what to what."""
    unit = get_unit(request, code, Action.VIEW)
    indicator = get_indicator(unit, indicator_code)
    period, period_error = resolve_period(request, unit)

    # An outcome's history is read by the outcome's id (the history table's index).
    outcome_ids = Outcome.objects.filter(
        indicator=indicator, unit=unit, period=period.canonical
    ).values_list("pk", flat=True)

    def value(v, record):
        return format_value(v, indicator.unit, indicator.decimals) if v is not None else "–"

    outcomes = history_rows(
        Outcome.history.filter(id__in=list(outcome_ids)),
        OUTCOME_LABELS,
        subject=lambda r: r.get_sex_display(),
        formats_by_field={"value": value},
    )
    analyses = history_rows(
        Analysis.history.filter(unit=unit, indicator=indicator, period=period.canonical),
        ANALYSIS_LABELS,
    )
    plan = applicable_plan(unit, period.year)
    placements = (
        PlanIndicator.objects.filter(plan=plan, indicator=indicator).values_list("pk", flat=True)
        if plan
        else []
    )
    targets = history_rows(
        Target.history.filter(placement_id__in=list(placements)).filter(year=period.year),
        TARGET_LABELS,
        subject=_target_subject,
    )
    context = unit_context(request, unit, period, "scorecard")
    context.update(
        {
            "heading": _("Historik: %(name)s") % {"name": indicator.name},
            "lead": _("%(unit)s, %(period)s") % {"unit": unit.name, "period": period_label(period)},
            "period_error": period_error,
            "sections": [
                {"title": _("Utfall"), "rows": outcomes, "subjects": True},
                {"title": _("Analys"), "rows": analyses, "subjects": False},
                {"title": _("Målvärde"), "rows": targets, "subjects": True},
            ],
        }
    )
    return render(request, "web/history.html", context)


@login_required
def goal_history(request, code, goal_id):
    """Who changed a goal's analysis for the unit and the period."""
    unit = get_unit(request, code, Action.VIEW)
    goal = Goal.objects.select_related("plan__unit").filter(pk=goal_id).first()
    if goal is None or not unit.path.startswith(goal.plan.unit.path):
        raise Http404(_("Målet finns inte."))
    period, period_error = resolve_period(request, unit)
    rows = history_rows(
        Analysis.history.filter(unit=unit, goal=goal, period=period.canonical), ANALYSIS_LABELS
    )
    context = unit_context(request, unit, period, "scorecard")
    context.update(
        {
            "heading": _("Historik: %(name)s") % {"name": goal.name},
            "lead": _("%(unit)s, %(period)s") % {"unit": unit.name, "period": period_label(period)},
            "period_error": period_error,
            "sections": [{"title": _("Analys av målet"), "rows": rows, "subjects": False}],
        }
    )
    return render(request, "web/history.html", context)


@login_required
def plan_history(request, plan_code):
    """A plan's header, goals, placements, targets and activities: every recorded change
    (with the revision's reason once the plan is adopted), and the list of revisions."""
    plan: Plan = _plan(request, plan_code)
    placement_ids = list(
        PlanIndicator.history.filter(plan_id=plan.pk).values_list("id", flat=True).distinct()
    )
    names = dict(
        PlanIndicator.objects.filter(pk__in=placement_ids).values_list("pk", "indicator__name")
    )

    def placement_name(record) -> str:
        return _("Indikator: %(name)s") % {"name": names.get(record.id, record.id)}

    def target_subject(record) -> str:
        return _("Målvärde %(year)s, %(indicator)s") % {
            "year": record.year,
            "indicator": names.get(record.placement_id, "–"),
        }

    rows = merged(
        history_rows(Plan.history.filter(id=plan.pk), PLAN_LABELS, subject=_("Planen")),
        history_rows(
            Goal.history.filter(plan_id=plan.pk),
            GOAL_LABELS,
            subject=lambda r: _("Mål: %(name)s") % {"name": r.name},
        ),
        history_rows(
            PlanIndicator.history.filter(plan_id=plan.pk), PLACEMENT_LABELS, subject=placement_name
        ),
        history_rows(
            Target.history.filter(placement_id__in=placement_ids),
            TARGET_LABELS,
            subject=target_subject,
        ),
        history_rows(
            Activity.history.filter(plan_id=plan.pk),
            ACTIVITY_LABELS,
            subject=lambda r: _("Aktivitet: %(name)s") % {"name": r.name},
        ),
    )
    revisions = [
        {"at": r.at, "who": person(r.user), "reason": r.reason}
        for r in plan.revisions.select_related("user")
    ]
    context = _plan_context(
        request,
        plan,
        heading=_("Historik: %(name)s") % {"name": plan.name},
        lead=plan.unit.name,
        revisions=revisions,
        sections=[{"title": _("Ändringar"), "rows": rows, "subjects": True}],
    )
    return render(request, "web/history.html", context)
