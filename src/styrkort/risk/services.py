"""Write services for risks, risk bands, internal-control plans, controls and results.

Each runs in one transaction, takes the acting user as a keyword argument, checks the
permission with organisation.permissions.require ("plan" for risks, bands and controls,
"report" for control results) and records history with that user.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from styrkort.organisation.models import OrgUnit
from styrkort.organisation.permissions import Action, require
from styrkort.periods import PeriodError, parse_period
from styrkort.text import normalise, normalise_line
from styrkort.writes import service

from .models import (
    Control,
    ControlOutcome,
    ControlResult,
    Frequency,
    InternalControlPlan,
    PlanState,
    Risk,
    RiskBand,
)
from .rules import Band, RiskRuleError, assess, check_bands, check_scale

RISK_TEXT_FIELDS = (
    "number",
    "title",
    "area",
    "event",
    "consequence_text",
    "cause",
    "actions",
    "handling",
    "source",
)


def _acting(user):
    return user if getattr(user, "is_authenticated", False) else None


def _save(obj, user) -> None:
    obj._history_user = _acting(user)
    obj.full_clean(validate_unique=False, validate_constraints=False)
    obj.save()


#: Risk texts of one line (the rest are free text with paragraphs and lists).
_LINE_FIELDS = frozenset({"number", "title", "area", "handling", "source", "decision_ref", "name"})


def _clean_text(value, name: str = "") -> str:
    """Free text as stored (styrkort.text): plain text as typed, one line for names."""
    return normalise_line(value) if name in _LINE_FIELDS else normalise(value)


def _check_year(year) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 2100:
        raise ValidationError({"year": _("Ogiltigt år: %(year)s.") % {"year": repr(year)}})
    return year


@service
def save_risk(
    *,
    user,
    unit: OrgUnit | None = None,
    year: int | None = None,
    risk: Risk | None = None,
    probability: int | None = None,
    consequence: int | None = None,
    value: int | None = None,
    residual_probability: int | None = None,
    residual_consequence: int | None = None,
    goals: Iterable | None = None,
    activities: Iterable | None = None,
    order: int | None = None,
    **texts,
) -> Risk:
    """Create a risk (give `unit` and `year`) or change one (give `risk`).

    The figure is completed by risk.rules.assess: probability x consequence, or a value
    alone (seed 003), or consequence and value (seed 004: the probability is derived).
    `goals` and `activities`, when given, replace the links. Texts: number, title, area,
    event, consequence_text, cause, actions, handling, source."""
    unknown = set(texts) - set(RISK_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown risk fields: {', '.join(sorted(unknown))}")
    if risk is None:
        if unit is None or year is None:
            raise ValidationError(_("Ange enhet och år för en ny risk."))
        risk = Risk(unit=unit, year=_check_year(year))
    else:
        require(user, Action.PLAN, risk.unit)
        if unit is not None:
            risk.unit = unit
        if year is not None:
            risk.year = _check_year(year)
    require(user, Action.PLAN, risk.unit)
    try:
        figure = assess(probability, consequence, value)
        check_scale(residual_probability, _("Sannolikheten efter åtgärd"))
        check_scale(residual_consequence, _("Konsekvensen efter åtgärd"))
    except RiskRuleError as exc:
        raise ValidationError(str(exc)) from None
    risk.probability, risk.consequence = figure.probability, figure.consequence
    risk.value, risk.probability_derived = figure.value, figure.probability_derived
    risk.residual_probability = residual_probability
    risk.residual_consequence = residual_consequence
    risk.residual_value = (
        residual_probability * residual_consequence
        if residual_probability and residual_consequence
        else None
    )
    for name, text in texts.items():
        setattr(risk, name, _clean_text(text, name))
    if not risk.title:
        raise ValidationError({"title": _("Beskriv risken.")})
    if order is not None:
        risk.order = order
    risk.updated_by = _acting(user)
    _save(risk, user)
    if goals is not None:
        goals = list(goals)
        foreign = [g for g in goals if g.plan.unit.organisation_id != risk.unit.organisation_id]
        if foreign:
            raise ValidationError(
                _("Målet %(goal)s hör till en annan organisation.") % {"goal": foreign[0]}
            )
        risk.goals.set(goals)
    if activities is not None:
        risk.activities.set(list(activities))
    return risk


@service
def delete_risk(risk: Risk, *, user) -> None:
    require(user, Action.PLAN, risk.unit)
    risk._history_user = _acting(user)
    risk.delete()


@service
def save_control(
    risk: Risk,
    *,
    user,
    method: str,
    owner: str = "",
    frequency: str = "",
    control: Control | None = None,
    order: int | None = None,
) -> Control:
    """Add a control to `risk`, or change `control`."""
    require(user, Action.PLAN, risk.unit)
    method = _clean_text(method)
    if not method:
        raise ValidationError({"method": _("Beskriv kontrollmetoden.")})
    if frequency and frequency not in Frequency.values:
        raise ValidationError(
            {"frequency": _("Okänd frekvens: %(frequency)s.") % {"frequency": frequency}}
        )
    control = control or Control(risk=risk)
    if control.risk_id != risk.pk:
        raise ValidationError(_("Kontrollen hör till en annan risk."))
    control.method, control.owner, control.frequency = method, _clean_text(owner, "name"), frequency
    if order is not None:
        control.order = order
    _save(control, user)
    return control


@service
def record_control_result(
    control: Control, period, *, user, outcome: str, comment: str = ""
) -> ControlResult:
    """The result of `control` for a period (reporting point), created or replaced."""
    require(user, Action.REPORT, control.risk.unit)
    try:
        canonical = parse_period(str(period)).canonical
    except PeriodError as exc:
        raise ValidationError({"period": str(exc)}) from None
    if outcome not in ControlOutcome.values:
        raise ValidationError(
            {
                "outcome": _("Okänt resultat: %(outcome)s (ok, deviation eller not_done).")
                % {"outcome": outcome}
            }
        )
    comment = _clean_text(comment)
    if outcome == ControlOutcome.DEVIATION and not comment:
        raise ValidationError({"comment": _("Beskriv avvikelsen.")})
    result = ControlResult.objects.filter(control=control, period=canonical).first()
    result = result or ControlResult(control=control, period=canonical)
    result.outcome, result.comment, result.updated_by = outcome, comment, _acting(user)
    result._history_user = _acting(user)
    result.save()
    return result


@service
def save_control_plan(
    unit: OrgUnit, year: int, *, user, name: str = "", state: str = PlanState.DRAFT, **texts
) -> InternalControlPlan:
    """Create or change a unit's internal-control plan for a year."""
    require(user, Action.PLAN, unit)
    if state not in PlanState.values:
        raise ValidationError({"state": _("Okänd status: %(state)s.") % {"state": state}})
    plan = InternalControlPlan.objects.filter(unit=unit, year=year).first()
    plan = plan or InternalControlPlan(unit=unit, year=_check_year(year))
    plan.name, plan.state = _clean_text(name, "name"), state
    for key in ("decision_ref", "introduction", "source"):
        if key in texts:
            setattr(plan, key, _clean_text(texts.pop(key), key))
    if texts:
        raise TypeError(f"Unknown plan fields: {', '.join(sorted(texts))}")
    _save(plan, user)
    return plan


@service
def save_risk_bands(organisation, bands: Sequence[Band], *, user) -> list[RiskBand]:
    """Replace an organisation's risk levels. They must cover 1-16 without overlap.

    Needs the admin role on one of the organisation's root units."""
    roots = list(OrgUnit.objects.get_root_nodes().filter(organisation=organisation))
    if not roots:
        raise ValidationError(_("Organisationen saknar enheter."))
    require(user, Action.ADMIN, roots[0])
    try:
        check_bands(bands)
    except RiskRuleError as exc:
        raise ValidationError(str(exc)) from None
    keep = []
    for band in bands:
        row = RiskBand.objects.filter(organisation=organisation, name=band.name).first()
        row = row or RiskBand(organisation=organisation, name=band.name)
        row.min_value, row.max_value = band.low, band.high
        row.requires_action = band.requires_action
        row._history_user = _acting(user)
        keep.append(row)
    stale = RiskBand.objects.filter(organisation=organisation).exclude(
        name__in=[b.name for b in bands]
    )
    for row in stale:
        row._history_user = _acting(user)
        row.delete()
    for row in keep:
        row.save()
    return keep


@service
def delete_control(control: Control, *, user) -> None:
    """Remove a control of a risk with its results. Needs "plan" on the risk's unit."""
    require(user, Action.PLAN, control.risk.unit)
    control._history_user = _acting(user)
    control.delete()


@service
def delete_control_result(result: ControlResult, *, user) -> None:
    """Remove one result of a control. Needs "report" on the risk's unit."""
    require(user, Action.REPORT, result.control.risk.unit)
    result._history_user = _acting(user)
    result.delete()
