"""Demo fixture kind `risks` (docs/risk-economy.md): a unit's risk assessment for a year,
optionally with the organisation's risk levels and the year's internal-control plan."""

from __future__ import annotations

from styrkort.demo.loader import LoadContext, register_kind

from .models import Control, Frequency, InternalControlPlan, PlanState, Risk, RiskBand
from .rules import Band, RiskRuleError, assess, check_bands, check_scale

FILE_KEYS = {"seed", "section", "kind", "unit", "year", "bands", "control_plan", "risks"}
RISK_KEYS = {
    "number",
    "title",
    "area",
    "event",
    "consequence_text",
    "cause",
    "probability",
    "consequence",
    "value",
    "actions",
    "handling",
    "residual_probability",
    "residual_consequence",
    "goals",
    "controls",
    "note",
}
TEXTS = ("title", "area", "event", "consequence_text", "cause", "actions", "handling")


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _check_keys(ctx: LoadContext, data, allowed: set[str]) -> None:
    if not isinstance(data, dict):
        raise ctx.error("förväntade en mappning", data)
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ctx.error("okänt fält", ", ".join(unknown))


def _int(ctx: LoadContext, value, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ctx.error(f"{what} ska vara ett heltal", value)
    return value


def load_risks(doc: dict, ctx: LoadContext) -> None:
    _check_keys(ctx, doc, FILE_KEYS)
    unit = ctx.unit(ctx.require(doc, "unit"))
    year = _int(ctx, ctx.require(doc, "year"), "year")
    source = f"Seed {doc['seed']}: {doc['section']}"
    if doc.get("bands"):
        _load_bands(ctx, unit.organisation, doc["bands"])
    if doc.get("control_plan") is not None:
        spec = doc["control_plan"]
        _check_keys(ctx, spec, {"name", "state", "decision_ref", "introduction"})
        state = ctx.choice(spec.get("state", PlanState.DRAFT), PlanState.values, "state")
        ctx.upsert(
            InternalControlPlan,
            {"unit": unit, "year": year},
            {
                "name": _text(spec.get("name")),
                "state": state,
                "decision_ref": _text(spec.get("decision_ref")),
                "introduction": _text(spec.get("introduction")),
                "source": source,
            },
        )
    rows = doc.get("risks")
    if not isinstance(rows, list):
        raise ctx.error("listan 'risks' saknas")
    for order, row in enumerate(rows):
        with ctx.at(f"risk {row.get('number') if isinstance(row, dict) else order + 1}"):
            _load_risk(ctx, unit, year, order, row, source)


def _load_bands(ctx: LoadContext, organisation, specs) -> None:
    with ctx.at("bands"):
        bands = []
        for spec in specs:
            _check_keys(ctx, spec, {"name", "min", "max", "requires_action", "symbol"})
            bands.append(
                Band(
                    _text(ctx.require(spec, "name")),
                    _int(ctx, ctx.require(spec, "min"), "min"),
                    _int(ctx, ctx.require(spec, "max"), "max"),
                    bool(spec.get("requires_action", False)),
                )
            )
        try:
            check_bands(bands)
        except RiskRuleError as exc:
            raise ctx.error(str(exc)) from None
        for band, spec in zip(bands, specs, strict=True):
            ctx.upsert(
                RiskBand,
                {"organisation": organisation, "name": band.name},
                {
                    "min_value": band.low,
                    "max_value": band.high,
                    "requires_action": band.requires_action,
                    "symbol": _text(spec.get("symbol")),
                },
            )
        stale = RiskBand.objects.filter(organisation=organisation).exclude(
            name__in=[b.name for b in bands]
        )
        for row in stale:
            row.delete()


def _load_risk(ctx: LoadContext, unit, year: int, order: int, row, source: str) -> None:
    _check_keys(ctx, row, RISK_KEYS)
    number = _text(ctx.require(row, "number"))
    ints = {
        k: _int(ctx, row.get(k), k)
        for k in (
            "probability",
            "consequence",
            "value",
            "residual_probability",
            "residual_consequence",
        )
    }
    try:
        figure = assess(ints["probability"], ints["consequence"], ints["value"])
        check_scale(ints["residual_probability"], "Sannolikheten efter åtgärd")
        check_scale(ints["residual_consequence"], "Konsekvensen efter åtgärd")
    except RiskRuleError as exc:
        raise ctx.error(str(exc)) from None
    rp, rc = ints["residual_probability"], ints["residual_consequence"]
    values = {k: _text(row.get(k)) for k in TEXTS}
    if not values["title"]:
        raise ctx.error("fältet 'title' saknas")
    values.update(
        probability=figure.probability,
        consequence=figure.consequence,
        value=figure.value,
        probability_derived=figure.probability_derived,
        residual_probability=rp,
        residual_consequence=rc,
        residual_value=rp * rc if rp and rc else None,
        order=order,
        source=source,
    )
    risk = ctx.upsert(Risk, {"unit": unit, "year": year, "number": number}, values)
    goals = []
    for ref in row.get("goals") or []:
        goal = ctx.goal(ref)
        if goal.plan.unit.organisation_id != unit.organisation_id:
            raise ctx.error("målet hör till en annan organisation", ref)
        goals.append(goal)
    ctx.set_m2m(risk, "goals", goals)
    controls = row.get("controls") or []
    for i, spec in enumerate(controls):
        _check_keys(ctx, spec, {"method", "owner", "frequency"})
        frequency = _text(spec.get("frequency"))
        if frequency:
            ctx.choice(frequency, Frequency.values, "frequency")
        ctx.upsert(
            Control,
            {"risk": risk, "order": i},
            {
                "method": _text(ctx.require(spec, "method")),
                "owner": _text(spec.get("owner")),
                "frequency": frequency,
            },
        )
    Control.objects.filter(risk=risk, order__gte=len(controls)).delete()


register_kind("risks", load_risks)
