"""Web pages of risks and internal control: the 4x4 risk matrix of a unit and year with
the list of risks and their controls, the risk form (role "plan") and the control result
form (role "report"). Permissions are checked on the server by
organisation.permissions: a refused action is the Swedish 403 page, and nothing is
written."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from styrkort.organisation.permissions import Action, can
from styrkort.periods import PeriodError, parse_period, reporting_points
from styrkort.planning.lookup import applicable_plan
from styrkort.planning.models import Goal
from styrkort.risk import queries, services
from styrkort.risk.models import Control, ControlOutcome, ControlResult, Risk
from styrkort.risk.rules import CONSEQUENCE_LABELS, PROBABILITY_LABELS, SCALE, level_for
from styrkort.web.forms.risk import ControlResultForm, RiskForm

from .base import get_unit, period_label, unit_context

#: Shapes for the levels from the lowest to the highest (with 2 levels: the first and
#: the last), so that a level is told by shape and text, not by colour alone.
LEVEL_SYMBOLS = ("○", "◑", "▲", "◆")
CONTROL_SYMBOLS = {
    ControlOutcome.OK: "✓",
    ControlOutcome.DEVIATION: "⚠",
    ControlOutcome.NOT_DONE: "✕",
}


def risk_years(unit, include_subunits: bool = False) -> list[int]:
    where = {"unit__path__startswith": unit.path} if include_subunits else {"unit": unit}
    return sorted(set(Risk.objects.filter(**where).values_list("year", flat=True)), reverse=True)


def resolve_year(request, years: list[int]) -> tuple[int, str]:
    """The year in `?year=`, else the year of `?period=`, else the latest year with data,
    else this year; with a Swedish message when the text could not be read."""
    import datetime as dt

    text = (request.GET.get("year") or "").strip()
    if text:
        if text.isdigit() and 1990 <= int(text) <= 2100:
            return int(text), ""
        fallback = years[0] if years else dt.date.today().year
        return fallback, _("”%(text)s” är inget år (skriv t.ex. 2024).") % {"text": text}
    period = (request.GET.get("period") or "").strip()
    if period:
        try:
            year = parse_period(period).year
        except PeriodError:
            year = None
        if year is not None and (not years or year in years):
            return year, ""
    return (years[0] if years else dt.date.today().year), ""


def level_styles(bands) -> dict[str, dict]:
    """{band name: {"symbol", "rank"}} with `rank` 0-3 for the CSS class."""
    n = len(bands)
    styles = {}
    for i, band in enumerate(sorted(bands, key=lambda b: b.low)):
        rank = 0 if n <= 1 else round(i * 3 / (n - 1))
        styles[band.name] = {"symbol": LEVEL_SYMBOLS[rank], "rank": rank}
    return styles


def _year_choices(years: list[int], year: int) -> list[int]:
    return sorted(set(years) | {year}, reverse=True)


@login_required
def risk_matrix(request, code):
    """The risk matrix (counts per probability x consequence and per level) of a unit and
    year, the risks with their figures and actions, and the internal-control results."""
    unit = get_unit(request, code, Action.VIEW)
    include_subunits = request.GET.get("underenheter") == "1"
    residual = request.GET.get("efter_atgard") == "1"
    years = risk_years(unit, include_subunits)
    year, year_error = resolve_year(request, years)
    matrix = queries.risk_matrix(unit, year, include_subunits=include_subunits, residual=residual)
    bands = queries.bands_for(unit.organisation)
    styles = level_styles(bands)
    rows = []
    for cells in matrix.rows:
        p = cells[0].probability
        rows.append(
            {
                "probability": p,
                "label": PROBABILITY_LABELS[p],
                "cells": [
                    {
                        "cell": cell,
                        "consequence_label": CONSEQUENCE_LABELS[cell.consequence],
                        **styles[cell.band.name],
                    }
                    for cell in cells
                ],
            }
        )
    levels = [{**level, **styles[level["name"]]} for level in matrix.levels]
    points = reporting_points(year)
    risks = list(
        queries.risks_for(unit, year, include_subunits=include_subunits).prefetch_related(
            "controls__results", "goals__plan"
        )
    )
    point_keys = [p.canonical for p in points]
    point_labels = {p.canonical: period_label(p) for p in points}
    risk_rows = []
    for risk in risks:
        band = level_for(risk.value, bands)
        residual_band = level_for(risk.residual_value, bands) if risk.residual_value else None
        controls = []
        for control in risk.controls.all():
            by_period = {r.period: r for r in control.results.all()}
            controls.append(
                {
                    "control": control,
                    "results": [
                        {
                            "period": key,
                            "label": point_labels[key],
                            "result": by_period.get(key),
                            "symbol": CONTROL_SYMBOLS.get(by_period[key].outcome, "")
                            if key in by_period
                            else "",
                        }
                        for key in point_keys
                    ],
                }
            )
        risk_rows.append(
            {
                "risk": risk,
                "band": band,
                "style": styles[band.name],
                "residual_band": residual_band,
                "residual_style": styles[residual_band.name] if residual_band else None,
                "probability_label": PROBABILITY_LABELS.get(risk.probability, ""),
                "consequence_label": CONSEQUENCE_LABELS.get(risk.consequence, ""),
                "controls": controls,
            }
        )
    context = unit_context(request, unit, None, "risk_matrix")
    context.update(
        {
            "year": year,
            "year_error": year_error,
            "year_choices": _year_choices(years, year),
            "matrix": matrix,
            "matrix_rows": rows,
            "consequence_headers": [(c, CONSEQUENCE_LABELS[c]) for c in SCALE],
            "levels": levels,
            "risk_rows": risk_rows,
            "has_controls": any(row["controls"] for row in risk_rows),
            "points": [{"key": p.canonical, "label": period_label(p)} for p in points],
            "include_subunits": include_subunits,
            "residual": residual,
            "can_plan": can(request.user, Action.PLAN, unit),
            "can_report": can(request.user, Action.REPORT, unit),
        }
    )
    return render(request, "web/risk/matrix.html", context)


def _goal_choices(unit, year, risk: Risk | None):
    plan = applicable_plan(unit, year)
    qs = Goal.objects.none()
    if plan is not None:
        qs = Goal.objects.filter(plan=plan)
    if risk is not None:
        qs = Goal.objects.filter(
            pk__in=[*qs.values_list("pk", flat=True), *risk.goals.values_list("pk", flat=True)]
        )
    return qs.select_related("plan").order_by("plan_id", "level", "order", "id")


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            name = field if field in form.fields else None
            for error in errors:
                form.add_error(name, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


def _matrix_url(unit, year) -> str:
    return f"{reverse('risk_matrix', args=[unit.code])}?year={year}"


@login_required
def risk_edit(request, code, risk_id=None):
    """Create (no `risk_id`) or change a risk. Needs the role "plan" on the unit."""
    unit = get_unit(request, code, Action.PLAN)
    risk = None
    if risk_id is not None:
        risk = Risk.objects.filter(pk=risk_id, unit=unit).first()
        if risk is None:
            raise Http404(_("Risken finns inte för enheten."))
        year, year_error = risk.year, ""
    else:
        year, year_error = resolve_year(request, risk_years(unit))
        if request.method == "POST" and (request.POST.get("year") or "").isdigit():
            year = int(request.POST["year"])
    initial = {}
    if risk is not None:
        initial = {
            name: getattr(risk, name)
            for name in (
                "number",
                "title",
                "area",
                "event",
                "cause",
                "consequence_text",
                "probability",
                "consequence",
                "actions",
                "handling",
                "residual_probability",
                "residual_consequence",
            )
        }
        if risk.probability is None or risk.consequence is None:
            initial["value"] = risk.value
        initial["goals"] = list(risk.goals.all())
    form = RiskForm(request.POST or None, initial=initial, goals=_goal_choices(unit, year, risk))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        p, c = data["probability"], data["consequence"]
        value = data["value"] if (p is None or c is None) else None
        try:
            saved = services.save_risk(
                user=request.user,
                unit=unit if risk is None else None,
                year=year if risk is None else None,
                risk=risk,
                probability=p,
                consequence=c,
                value=value,
                residual_probability=data["residual_probability"],
                residual_consequence=data["residual_consequence"],
                goals=list(data["goals"]),
                **{
                    name: data[name]
                    for name in (
                        "number",
                        "title",
                        "area",
                        "event",
                        "cause",
                        "consequence_text",
                        "actions",
                        "handling",
                    )
                },
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Risken ”%(title)s” är sparad.") % {"title": saved.title})
            return redirect(_matrix_url(unit, saved.year))
    context = unit_context(request, unit, None, "risk_matrix")
    context.update(
        {
            "form": form,
            "risk": risk,
            "year": year,
            "year_error": year_error,
            "heading": _("Ändra risk") if risk else _("Ny risk %(year)s") % {"year": year},
        }
    )
    return render(request, "web/risk/risk_form.html", context)


@login_required
def risk_delete(request, code, risk_id):
    unit = get_unit(request, code, Action.PLAN)
    risk = Risk.objects.filter(pk=risk_id, unit=unit).first()
    if risk is None:
        raise Http404(_("Risken finns inte för enheten."))
    if request.method == "POST":
        year, title = risk.year, risk.title
        services.delete_risk(risk, user=request.user)
        messages.success(request, _("Risken ”%(title)s” är borttagen.") % {"title": title})
        return redirect(_matrix_url(unit, year))
    context = unit_context(request, unit, None, "risk_matrix")
    context["risk"] = risk
    return render(request, "web/risk/risk_delete.html", context)


@login_required
def control_result(request, code, control_id, period):
    """Record a control's result for a reporting point. Needs the role "report"."""
    unit = get_unit(request, code, Action.REPORT)
    control = Control.objects.select_related("risk").filter(pk=control_id, risk__unit=unit).first()
    if control is None:
        raise Http404(_("Kontrollmomentet finns inte för enheten."))
    try:
        point = parse_period(period)
    except PeriodError as exc:
        raise Http404(str(exc)) from None
    current = ControlResult.objects.filter(control=control, period=point.canonical).first()
    initial = {"outcome": current.outcome, "comment": current.comment} if current else {}
    form = ControlResultForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_control_result(
                control,
                point.canonical,
                user=request.user,
                outcome=form.cleaned_data["outcome"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Kontrollresultatet är sparat."))
            return redirect(_matrix_url(unit, control.risk.year))
    context = unit_context(request, unit, None, "risk_matrix")
    context.update(
        {"form": form, "control": control, "point": point, "point_label": period_label(point)}
    )
    return render(request, "web/risk/control_result_form.html", context)
