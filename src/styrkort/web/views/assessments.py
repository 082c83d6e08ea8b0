"""Manual assessments and goal analyses.

A manual assessment overrides the computed status only with a written reason; both are
kept and shown side by side. A reporter assesses an indicator of their unit, a planner a
goal; anyone who may report writes a goal's analysis. Writes go through
`styrkort.followup.services` (`assess`, `withdraw_assessment`, `save_analysis`)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from styrkort.followup.models import Analysis, AssessedStatus, Assessment, Sex
from styrkort.followup.services import assess, save_analysis, withdraw_assessment
from styrkort.organisation.permissions import Action, can, require
from styrkort.planning.models import Goal

from .base import (
    applicable_plan,
    get_indicator,
    get_unit,
    period_lock,
    resolve_period,
    unit_context,
)
from .scorecard import evaluate

SEX_CHOICES = [
    ("total", gettext_lazy("Totalt")),
    ("women", gettext_lazy("Kvinnor")),
    ("men", gettext_lazy("Män")),
]


class AssessmentForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Bedömd måluppfyllelse"))
    sex = forms.ChoiceField(label=gettext_lazy("Gäller"), choices=SEX_CHOICES, initial="total")
    reason = forms.CharField(
        label=gettext_lazy("Motivering"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Varför bedömningen skiljer sig från den beräknade. Den beräknade statusen "
            "visas alltid bredvid."
        ),
    )

    def __init__(self, *args, by_sex: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = AssessedStatus.choices
        self.fields["reason"].error_messages["required"] = _(
            "En manuell bedömning kräver en motivering."
        )
        if not by_sex:
            del self.fields["sex"]


class AnalysisForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Analys"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Ett tomt fält tar bort analysen."),
    )


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _assessments(unit, period, **lookup):
    return list(
        Assessment.objects.filter(unit=unit, period=period.canonical, **lookup)
        .select_related("updated_by")
        .order_by("sex")
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_assessment(request, code, indicator_code):
    unit = get_unit(request, code, Action.REPORT)
    period, period_error = resolve_period(request, unit)
    indicator = get_indicator(unit, indicator_code)
    status = 200
    form = AssessmentForm(request.POST or None, by_sex=indicator.by_sex)
    if request.method == "POST":
        if period_error:
            form.add_error(None, period_error)
        if form.is_valid() and not period_error:
            try:
                assess(
                    user=request.user,
                    unit=unit,
                    period=period,
                    indicator=indicator,
                    sex=form.cleaned_data.get("sex") or Sex.TOTAL,
                    status=form.cleaned_data["status"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Bedömningen är sparad."))
                return redirect(
                    reverse("indicator_assessment", args=[unit.code, indicator.code])
                    + f"?period={period.canonical}"
                )
        status = 422
    try:
        item = evaluate(unit, period).indicator(indicator.code)
    except KeyError:
        item = None
    context = unit_context(request, unit, period, "scorecard")
    context.update(
        {
            "indicator": indicator,
            "item": item,
            "form": form,
            "assessments": _assessments(unit, period, indicator=indicator),
            "period_error": period_error,
            "period_lock": period_lock(unit, period),
            "back_url": reverse("indicator_detail", args=[unit.code, indicator.code])
            + f"?period={period.canonical}",
        }
    )
    return render(request, "web/indicator_assessment.html", context, status=status)


def _goal_of(unit, period, goal_id) -> Goal:
    plan = applicable_plan(unit, period.year)
    goal = Goal.objects.filter(pk=goal_id, plan=plan).select_related("plan").first()
    if goal is None:
        raise Http404(_("Målet finns inte i enhetens plan för perioden."))
    return goal


@login_required
@require_http_methods(["GET", "POST"])
def goal_followup(request, code, goal_id):
    """A goal's manual assessment (planner) and analysis (reporter) for the period."""
    unit = get_unit(request, code, Action.REPORT)
    period, period_error = resolve_period(request, unit)
    goal = _goal_of(unit, period, goal_id)
    may_assess = can(request.user, Action.PLAN, unit)
    which = request.POST.get("form")
    assessment_form = AssessmentForm(
        request.POST if which == "assessment" else None, prefix="assessment"
    )
    stored = Analysis.objects.filter(unit=unit, period=period.canonical, goal=goal).first()
    analysis_form = AnalysisForm(
        request.POST if which == "analysis" else None,
        prefix="analysis",
        initial={"text": stored.text if stored else ""},
    )
    status = 200
    here = reverse("goal_followup", args=[unit.code, goal.pk]) + f"?period={period.canonical}"
    if request.method == "POST":
        if which == "assessment":
            require(request.user, Action.PLAN, unit)
            form = assessment_form
        elif which == "analysis":
            form = analysis_form
        else:
            raise Http404(_("Okänt formulär."))
        if period_error:
            form.add_error(None, period_error)
        if form.is_valid() and not period_error:
            try:
                if which == "assessment":
                    assess(
                        user=request.user,
                        unit=unit,
                        period=period,
                        goal=goal,
                        status=form.cleaned_data["status"],
                        reason=form.cleaned_data["reason"],
                    )
                    messages.success(request, _("Bedömningen är sparad."))
                else:
                    save_analysis(
                        user=request.user,
                        unit=unit,
                        period=period,
                        goal=goal,
                        text=form.cleaned_data["text"],
                    )
                    messages.success(request, _("Analysen är sparad."))
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                return redirect(here)
        status = 422
    evaluation = evaluate(unit, period)
    item = next((g for g in evaluation.goals if g.goal_id == goal.pk), None)
    context = unit_context(request, unit, period, "scorecard")
    context.update(
        {
            "goal": goal,
            "item": item,
            "may_assess": may_assess,
            "assessment_form": assessment_form,
            "analysis_form": analysis_form,
            "assessments": _assessments(unit, period, goal=goal),
            "period_error": period_error,
            "period_lock": period_lock(unit, period),
            "back_url": reverse("scorecard", args=[unit.code]) + f"?period={period.canonical}",
        }
    )
    return render(request, "web/goal_followup.html", context, status=status)


@login_required
@require_POST
def assessment_withdraw(request, code, assessment_id):
    """Withdraw a manual assessment: the computed status applies again."""
    unit = get_unit(request, code, Action.REPORT)
    assessment = (
        Assessment.objects.filter(pk=assessment_id, unit=unit)
        .select_related("unit", "indicator", "goal")
        .first()
    )
    if assessment is None:
        raise Http404(_("Bedömningen finns inte."))
    if assessment.goal_id is not None:
        require(request.user, Action.PLAN, unit)
    withdraw_assessment(user=request.user, assessment=assessment)
    messages.success(request, _("Bedömningen är borttagen; den beräknade måluppfyllelsen gäller."))
    if assessment.goal_id is not None:
        url = reverse("goal_followup", args=[unit.code, assessment.goal_id])
    else:
        url = reverse("indicator_assessment", args=[unit.code, assessment.indicator.code])
    return redirect(url + f"?period={assessment.period}")
