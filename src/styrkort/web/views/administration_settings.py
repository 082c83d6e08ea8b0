"""The organisation's settings in the administration: the evaluation settings, the unit
of the economy tables, the plan model's level names and the risk levels, each through
its service (validated, with history). Administrators of the organisation's top unit
change them; the others who read the administration see them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from styrkort.io.numbers import format_number
from styrkort.organisation.services import (
    EVALUATION_FIELDS,
    set_economy_unit,
    set_second_factor_required,
    update_evaluation_settings,
)
from styrkort.planning.models import PlanModel
from styrkort.planning.services import rename_plan_levels
from styrkort.risk.models import RiskBand
from styrkort.risk.rules import DEFAULT_BANDS, Band
from styrkort.risk.services import save_risk_bands

from ..forms.administration import (
    EconomyUnitForm,
    EvaluationSettingsForm,
    RiskBandFormSet,
    SecondFactorForm,
    apply_errors,
)
from .administration import area_for, context


def _evaluation_initial(organisation) -> dict:
    return {name: format_number(getattr(organisation, name)) for name in EVALUATION_FIELDS}


def _bands_initial(organisation) -> list[dict]:
    rows = list(RiskBand.objects.filter(organisation=organisation).order_by("min_value"))
    bands = [r.as_band() for r in rows] or list(DEFAULT_BANDS)
    return [
        {
            "name": b.name,
            "min_value": b.low,
            "max_value": b.high,
            "requires_action": b.requires_action,
        }
        for b in bands
    ]


def _plan_models(organisation):
    return list(
        PlanModel.objects.filter(organisation=organisation)
        .prefetch_related("levels")
        .order_by("name")
    )


@login_required
def settings_page(request, org):
    area = area_for(request, org)
    organisation = area.organisation
    if request.method == "POST" and not area.admin_org:
        raise PermissionDenied(
            _("Bara administratörer för hela %(organisation)s ändrar inställningarna.")
            % {"organisation": organisation.name}
        )
    evaluation = EvaluationSettingsForm(initial=_evaluation_initial(organisation))
    bands = RiskBandFormSet(initial=_bands_initial(organisation), prefix="band")
    economy_unit = EconomyUnitForm(initial={"economy_unit": organisation.economy_unit})
    bands_error = ""
    level_errors: dict[int, dict[int, str]] = {}
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "evaluation":
        evaluation = EvaluationSettingsForm(request.POST)
        if evaluation.is_valid():
            try:
                update_evaluation_settings(
                    user=request.user, organisation=organisation, **evaluation.cleaned_data
                )
            except ValidationError as exc:
                apply_errors(evaluation, exc)
            else:
                messages.success(request, _("Inställningarna för bedömning är sparade."))
                return redirect("administration_settings", org=org)
    elif action == "economy_unit":
        economy_unit = EconomyUnitForm(request.POST)
        if economy_unit.is_valid():
            try:
                set_economy_unit(
                    user=request.user,
                    organisation=organisation,
                    unit=economy_unit.cleaned_data["economy_unit"],
                )
            except ValidationError as exc:
                apply_errors(economy_unit, exc)
            else:
                messages.success(request, _("Enheten för ekonomitabellerna är sparad."))
                return redirect("administration_settings", org=org)
    elif action == "second_factor":
        form = SecondFactorForm(request.POST)
        form.is_valid()  # a box: always valid
        required = form.cleaned_data.get("require_second_factor", False)
        set_second_factor_required(user=request.user, organisation=organisation, required=required)
        messages.success(
            request,
            _("Tvåstegsverifiering krävs nu av administratörer och planerare.")
            if required
            else _("Tvåstegsverifiering krävs inte längre."),
        )
        return redirect("administration_settings", org=org)
    elif action == "bands":
        bands = RiskBandFormSet(request.POST, prefix="band")
        if bands.is_valid():
            chosen = [
                Band(
                    f["name"].strip(),
                    f["min_value"],
                    f["max_value"],
                    bool(f.get("requires_action")),
                )
                for f in bands.cleaned_data
                if f and (f.get("name") or "").strip()
            ]
            try:
                save_risk_bands(organisation, chosen, user=request.user)
            except ValidationError as exc:
                bands_error = " ".join(exc.messages)
            else:
                messages.success(request, _("Risknivåerna är sparade."))
                return redirect("administration_settings", org=org)
        else:
            bands_error = _("Risknivåerna innehåller fel. Rätta dem och försök igen.")
    elif action == "levels":
        done = _save_levels(request, organisation, level_errors)
        if done:
            return redirect("administration_settings", org=org)
    models = _plan_models(organisation)
    for model in models:
        errors = level_errors.get(model.pk, {})
        model.rows = [
            {
                "level": lvl,
                "name": request.POST.get(f"level_{lvl.level}", lvl.name) if errors else lvl.name,
                "plural": request.POST.get(f"plural_{lvl.level}", lvl.name_plural)
                if errors
                else lvl.name_plural,
                "error": errors.get(lvl.level, ""),
            }
            for lvl in model.levels.all()
        ]
    return render(
        request,
        "web/administration/settings.html",
        context(
            area,
            "settings",
            evaluation=evaluation,
            second_factor=SecondFactorForm(
                initial={"require_second_factor": organisation.require_second_factor}
            ),
            economy_unit=economy_unit,
            bands=bands,
            bands_error=bands_error,
            plan_models=models,
            editable=area.admin_org,
        ),
    )


def _save_levels(request, organisation, level_errors) -> bool:
    pk = request.POST.get("plan_model", "")
    model = (
        PlanModel.objects.filter(pk=int(pk), organisation=organisation).first()
        if pk.isdigit()
        else None
    )
    if model is None:
        messages.error(request, _("Styrmodellen finns inte."))
        return True
    names = {
        lvl.level: (
            request.POST.get(f"level_{lvl.level}", ""),
            request.POST.get(f"plural_{lvl.level}", ""),
        )
        for lvl in model.levels.all()
    }
    try:
        changed = rename_plan_levels(user=request.user, plan_model=model, names=names)
    except ValidationError as exc:
        errors = {}
        for key, texts in getattr(exc, "message_dict", {"": exc.messages}).items():
            level = int(key.removeprefix("level_")) if key.startswith("level_") else 0
            errors[level] = " ".join(texts)
        level_errors[model.pk] = errors
        return False
    if changed:
        messages.success(
            request, _("Nivåernas namn i %(model)s är sparade.") % {"model": model.name}
        )
    else:
        messages.info(request, _("Inga namn ändrades."))
    return True
