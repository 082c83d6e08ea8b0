"""Handlers for the built-in fixture kinds (docs/demo-fixtures.md).

organisation, plan_model, indicators, plan, outcomes, assessments, analyses,
activities, activity_summary. Each is an idempotent upsert by natural key.
"""

from __future__ import annotations

from typing import Any

from styrkort.demo.loader import LoadContext, kind
from styrkort.followup.evaluation.sexes import SEXES


def _rows(ctx: LoadContext, doc: dict, key: str) -> list:
    rows = doc.get(key)
    if rows is None:
        raise ctx.error(f"listan '{key}' saknas")
    if not isinstance(rows, list):
        raise ctx.error(f"'{key}' ska vara en lista")
    return rows


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _check_keys(ctx: LoadContext, data: dict, allowed: set[str]) -> None:
    if not isinstance(data, dict):
        raise ctx.error("förväntade en mappning", data)
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ctx.error("okänt fält", ", ".join(unknown))


# --- organisation ----------------------------------------------------------------------------

ORG_FIELDS = {"tolerance_pct", "trend_epsilon_pct", "goal_met_threshold", "goal_partly_threshold"}
UNIT_KEYS = {
    "code",
    "name",
    "short_name",
    "type",
    "parent",
    "site",
    "valid_from",
    "valid_to",
    "note",
}


@kind("organisation")
def load_organisation(doc: dict, ctx: LoadContext) -> None:
    from styrkort.organisation.models import Organisation, OrgUnit, Site, UnitType

    spec = ctx.require(doc, "organisation")
    with ctx.at("organisation"):
        _check_keys(ctx, spec, {"code", "name", "symbols", "settings", "economy_unit", *ORG_FIELDS})
        values = {"name": _text(ctx.require(spec, "name"))}
        if "economy_unit" in spec:  # the unit of the economy tables
            values["economy_unit"] = ctx.choice(
                spec["economy_unit"], ("tkr", "mnkr"), "economy_unit"
            )
        for name in ORG_FIELDS:
            if name in spec:
                values[name] = ctx.number(spec[name], name)
        for name in ("symbols", "settings"):
            if name in spec:
                values[name] = spec[name] or {}
        org = ctx.upsert(Organisation, {"code": ctx.code(ctx.require(spec, "code"))}, values)

    for i, site in enumerate(doc.get("sites") or [], start=1):
        with ctx.at(f"plats {i}"):
            _check_keys(ctx, site, {"code", "name"})
            ctx.upsert(
                Site,
                {"code": ctx.code(ctx.require(site, "code"))},
                {"organisation": org, "name": _text(ctx.require(site, "name"))},
            )

    types = [t.value for t in UnitType]
    for i, row in enumerate(doc.get("units") or [], start=1):
        with ctx.at(f"enhet {i} ({row.get('code') if isinstance(row, dict) else row})"):
            _check_keys(ctx, row, UNIT_KEYS)
            code = ctx.code(ctx.require(row, "code"))
            values = {
                "organisation": org,
                "name": _text(ctx.require(row, "name")),
                "short_name": _text(row.get("short_name")),
                "type": ctx.choice(ctx.require(row, "type"), types, "enhetstyp"),
                "valid_from": ctx.date(row.get("valid_from"), "valid_from"),
                "valid_to": ctx.date(row.get("valid_to"), "valid_to"),
                "site": ctx.site(row["site"]) if row.get("site") else None,
                "note": _text(row.get("note")),
            }
            start, end = values["valid_from"], values["valid_to"]
            if start and end and end < start:
                raise ctx.error("valid_to ligger före valid_from", values["valid_to"])
            parent = ctx.unit(row["parent"]) if row.get("parent") else None
            _upsert_unit(ctx, OrgUnit, code, parent, values)


def _upsert_unit(ctx: LoadContext, OrgUnit, code: str, parent, values: dict) -> None:
    label = OrgUnit._meta.label
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        if parent is None:
            OrgUnit.objects.add_root(create_kwargs={"code": code, **values})
        else:
            parent.refresh_from_db()
            OrgUnit.objects.add_child(parent, create_kwargs={"code": code, **values})
        ctx.stats.created[label] += 1
        return
    moved = False
    current_parent = OrgUnit.objects.get_parent(unit, update=True)
    if (current_parent.pk if current_parent else None) != (parent.pk if parent else None):
        if parent is None:
            raise ctx.error("en befintlig enhet kan inte bli en rot", code)
        parent.refresh_from_db()
        OrgUnit.objects.move(unit, parent, pos="sorted-child")
        unit = OrgUnit.objects.get(pk=unit.pk)
        moved = True
    ctx.upsert(OrgUnit, {"code": code}, values)
    if moved:
        ctx.stats.updated[label] += 1


# --- plan model ------------------------------------------------------------------------------


@kind("plan_model")
def load_plan_model(doc: dict, ctx: LoadContext) -> None:
    from styrkort.planning.models import PlanLevel, PlanModel

    org = ctx.organisation(ctx.require(doc, "organisation"))
    spec = ctx.require(doc, "plan_model")
    with ctx.at("plan_model"):
        _check_keys(ctx, spec, {"name", "levels"})
        model = ctx.upsert(
            PlanModel, {"organisation": org, "name": _text(ctx.require(spec, "name"))}, {}
        )
        for level, item in enumerate(ctx.require(spec, "levels"), start=1):
            if isinstance(item, dict):
                name, plural = _text(item.get("name")), _text(item.get("name_plural"))
            else:
                name, plural = _text(item), ""
            if not name:
                raise ctx.error(f"nivå {level} saknar namn")
            ctx.upsert(
                PlanLevel,
                {"plan_model": model, "level": level},
                {"name": name, "name_plural": plural},
            )


# --- indicators ------------------------------------------------------------------------------

INDICATOR_KEYS = {
    "code",
    "name",
    "short_name",
    "definition",
    "unit",
    "kind",
    "direction",
    "aggregation",
    "measure_type",
    "source",
    "reporting_points",
    "by_sex",
    "decimals",
    "parent",
    "note",
    "numerator_label",
    "denominator_label",
    "numerator_at_most_denominator",
    "tolerance_pct",
    "green_limit",
    "red_limit",
}


@kind("indicators")
def load_indicators(doc: dict, ctx: LoadContext) -> None:
    from styrkort.planning.models import (
        Aggregation,
        Direction,
        Indicator,
        IndicatorKind,
        MeasureType,
    )
    from styrkort.planning.models.indicators import UNIT_CHOICES

    org = ctx.organisation(ctx.require(doc, "organisation"))
    rows = _rows(ctx, doc, "indicators")
    parents: list[tuple[Indicator, str | None, str]] = []
    for i, row in enumerate(rows, start=1):
        code = row.get("code") if isinstance(row, dict) else row
        where = f"indikator {i} ({code})"
        with ctx.at(where):
            _check_keys(ctx, row, INDICATOR_KEYS)
            code = ctx.code(ctx.require(row, "code"))
            decimals = row.get("decimals", 0)
            if not isinstance(decimals, int) or decimals < 0:
                raise ctx.error("decimals ska vara ett heltal >= 0", decimals)
            values = {
                "organisation": org,
                "name": _text(ctx.require(row, "name")),
                "short_name": _text(row.get("short_name")),
                "definition": _text(row.get("definition")),
                "unit": ctx.choice(row.get("unit", "st"), [u for u, _ in UNIT_CHOICES], "enhet"),
                "kind": ctx.choice(
                    row.get("kind", "steering"), [k.value for k in IndicatorKind], "kind"
                ),
                "direction": ctx.choice(
                    row.get("direction", "higher"), [d.value for d in Direction], "direction"
                ),
                "aggregation": ctx.choice(
                    row.get("aggregation", "sum"), [a.value for a in Aggregation], "aggregation"
                ),
                "measure_type": ctx.choice(
                    row.get("measure_type", "flow"), [m.value for m in MeasureType], "measure_type"
                ),
                "source": _text(row.get("source")),
                "reporting_points": _text(row.get("reporting_points")),
                "by_sex": bool(row.get("by_sex", False)),
                "decimals": decimals,
                "note": _text(row.get("note")),
                "numerator_label": _text(row.get("numerator_label")),
                "denominator_label": _text(row.get("denominator_label")),
                "numerator_at_most_denominator": bool(
                    row.get("numerator_at_most_denominator", True)
                ),
                "tolerance_pct": ctx.number(row.get("tolerance_pct"), "tolerance_pct"),
                "green_limit": ctx.number(row.get("green_limit"), "green_limit"),
                "red_limit": ctx.number(row.get("red_limit"), "red_limit"),
            }
            parent_code = row.get("parent")
            if parent_code:  # set now when the parent exists, else after the whole file
                parent = Indicator.objects.filter(code=str(parent_code)).first()
                if parent is not None and parent.code != code:
                    values["parent"] = parent
            else:
                values["parent"] = None
            ind = ctx.upsert(Indicator, {"code": code}, values)
            parents.append((ind, parent_code, where))
    for ind, parent_code, where in parents:
        with ctx.at(where):
            parent = ctx.indicator(parent_code) if parent_code else None
            if parent is not None and parent.pk == ind.pk:
                raise ctx.error("en indikator kan inte vara sin egen överordnade", parent_code)
            if ind.parent_id != (parent.pk if parent else None):
                ind.parent = parent
                ind.save()
                ctx.stats.updated[Indicator._meta.label] += 1


# --- plan ------------------------------------------------------------------------------------

PLAN_KEYS = {
    "code",
    "unit",
    "plan_model",
    "name",
    "start_year",
    "end_year",
    "state",
    "decision_body",
    "decision_ref",
    "decision_date",
    "vision",
    "introduction",
    "superior_plan",
    "source",
}
GOAL_KEYS = {
    "code",
    "name",
    "description",
    "planning_comment",
    "linked",
    "indicators",
    "children",
}
PLACEMENT_KEYS = {"indicator", "baseline", "reporting_points", "note", "targets"}
TARGET_KEYS = {"year", "text", "long_term", "unit", "note"}


@kind("plan")
def load_plan(doc: dict, ctx: LoadContext) -> None:
    from styrkort.planning.models import Plan, PlanModel, PlanState

    spec = ctx.require(doc, "plan")
    with ctx.at("plan"):
        _check_keys(ctx, spec, PLAN_KEYS)
        code = ctx.code(ctx.require(spec, "code"))
        unit = ctx.unit(ctx.require(spec, "unit"))
        model_name = ctx.require(spec, "plan_model")
        model = PlanModel.objects.filter(organisation=unit.organisation, name=model_name).first()
        if model is None:
            raise ctx.error("okänd styrmodell", model_name)
        start, end = spec.get("start_year"), spec.get("end_year")
        if not isinstance(start, int) or not isinstance(end, int) or end < start:
            raise ctx.error("start_year och end_year ska vara år i ordning", f"{start}-{end}")
        plan = ctx.upsert(
            Plan,
            {"code": code},
            {
                "unit": unit,
                "plan_model": model,
                "name": _text(ctx.require(spec, "name")),
                "start_year": start,
                "end_year": end,
                "state": ctx.choice(
                    spec.get("state", "draft"), [s.value for s in PlanState], "state"
                ),
                "decision_body": _text(spec.get("decision_body")),
                "decision_ref": _text(spec.get("decision_ref")),
                "decision_date": ctx.date(spec.get("decision_date"), "decision_date"),
                "vision": _text(spec.get("vision")),
                "introduction": _text(spec.get("introduction")),
                "superior_plan": ctx.plan(spec["superior_plan"])
                if spec.get("superior_plan")
                else None,
                "source": _text(spec.get("source")),
            },
        )
    for order, goal in enumerate(doc.get("goals") or [], start=1):
        _load_goal(ctx, plan, None, 1, order, goal)


@kind("plan_copy")
def load_plan_copy(doc: dict, ctx: LoadContext) -> None:
    """A plan copied into a later year as a draft (``planning.services.copy_plan``, as a
    planner does in the autumn); loaded once: an existing copy is left as it is."""
    from styrkort.planning.models import Plan
    from styrkort.planning.services import copy_plan

    spec = ctx.require(doc, "copy")
    with ctx.at("copy"):
        _check_keys(ctx, spec, {"plan", "years"})
        plan = ctx.plan(ctx.require(spec, "plan"))
        years = spec.get("years", 1)
        if not isinstance(years, int) or years < 1:
            raise ctx.error("years ska vara ett positivt heltal", years)
        start = plan.start_year + years
        if Plan.objects.filter(copied_from=plan, unit=plan.unit, start_year=start).exists():
            ctx.stats.unchanged["planning.Plan"] += 1
            return
        copy_plan(user=None, plan=plan, years=years)
        ctx.stats.created["planning.Plan"] += 1


@kind("placements")
def load_placements(doc: dict, ctx: LoadContext) -> None:
    """More indicators placed under goals of a plan loaded before, after the ones it
    already has: ``goals`` maps a goal code to a list of placements (an indicator code
    or a mapping as under a plan's goal)."""
    from django.db.models import Max

    from styrkort.planning.models import PlanIndicator

    plan = ctx.plan(ctx.require(doc, "plan"))
    goals = ctx.require(doc, "goals")
    if not isinstance(goals, dict):
        raise ctx.error("'goals' ska vara en mappning från målkod till placeringar")
    for goal_code, placements in goals.items():
        with ctx.at(f"mål {goal_code}"):
            goal = ctx.goal(f"{plan.code}:{goal_code}")
            if not isinstance(placements, list):
                raise ctx.error("placeringarna ska vara en lista", goal_code)
            codes = [p.get("indicator") if isinstance(p, dict) else p for p in placements]
            first = (
                PlanIndicator.objects.filter(goal=goal)
                .exclude(indicator__code__in=[str(c) for c in codes])
                .aggregate(m=Max("order"))["m"]
                or 0
            )
            for i, spec in enumerate(placements, start=1):
                if not isinstance(spec, dict):
                    spec = {"indicator": spec}
                _load_placement(ctx, plan, goal, first + i, spec)


def _load_goal(ctx: LoadContext, plan, parent, level: int, order: int, spec: dict) -> None:
    from styrkort.planning.models import Goal

    code = spec.get("code") if isinstance(spec, dict) else spec
    with ctx.at(f"mål {code}"):
        _check_keys(ctx, spec, GOAL_KEYS)
        code = ctx.code(ctx.require(spec, "code"), "målkod")
        goal = ctx.upsert(
            Goal,
            {"plan": plan, "code": code},
            {
                "parent": parent,
                "level": level,
                "order": order,
                "name": _text(ctx.require(spec, "name")),
                "description": _text(spec.get("description")),
                "planning_comment": _text(spec.get("planning_comment")),
            },
        )
        linked = [ctx.goal(ref) for ref in spec.get("linked") or []]
        ctx.set_m2m(goal, "linked_goals", linked)
        for i, placement in enumerate(spec.get("indicators") or [], start=1):
            _load_placement(ctx, plan, goal, i, placement)
    for i, child in enumerate(spec.get("children") or [], start=1):
        _load_goal(ctx, plan, goal, level + 1, i, child)


def _load_placement(ctx: LoadContext, plan, goal, order: int, spec: dict) -> None:
    from styrkort.planning.models import PlanIndicator, Target

    code = spec.get("indicator") if isinstance(spec, dict) else spec
    with ctx.at(f"indikator {code}"):
        _check_keys(ctx, spec, PLACEMENT_KEYS)
        indicator = ctx.indicator(ctx.require(spec, "indicator"))
        baseline = spec.get("baseline") or {}
        if not isinstance(baseline, dict):
            baseline = {"text": baseline}
        _check_keys(ctx, baseline, {"text", "value", "period"})
        period = baseline.get("period")
        placement = ctx.upsert(
            PlanIndicator,
            {"goal": goal, "indicator": indicator},
            {
                "plan": plan,
                "order": order,
                "baseline_text": _text(baseline.get("text")),
                "baseline_value": ctx.number(baseline.get("value"), "baseline.value"),
                "baseline_period": ctx.period(period).canonical if period else "",
                "reporting_points": _text(spec.get("reporting_points")),
                "note": _text(spec.get("note")),
            },
        )
        for t in spec.get("targets") or []:
            _check_keys(ctx, t, TARGET_KEYS)
            year = t.get("year")
            if not isinstance(year, int) or not 1990 <= year <= 2100:
                raise ctx.error("målvärdets år ska vara ett årtal", year)
            text = _text(t.get("text"))
            if not text:
                raise ctx.error(f"målvärde {year} saknar text")
            ctx.upsert(
                Target,
                {
                    "placement": placement,
                    "year": year,
                    "unit": ctx.unit(t["unit"]) if t.get("unit") else None,
                    "is_long_term": bool(t.get("long_term", False)),
                },
                {"text": text, "note": _text(t.get("note"))},
            )


# --- outcomes, assessments, analyses ---------------------------------------------------------

OUTCOME_KEYS = {
    "indicator",
    "unit",
    "period",
    "sex",
    "value",
    "numerator",
    "denominator",
    "source",
    "note",
}


def _with_defaults(ctx: LoadContext, doc: dict, row: Any) -> dict:
    if not isinstance(row, dict):
        raise ctx.error("raden ska vara en mappning", row)
    defaults = doc.get("defaults") or {}
    return {**defaults, **row}


@kind("outcomes")
def load_outcomes(doc: dict, ctx: LoadContext) -> None:
    from styrkort.followup.models import Outcome, OutcomeSource

    for i, raw in enumerate(_rows(ctx, doc, "rows"), start=1):
        with ctx.at(f"rad {i}"):
            row = _with_defaults(ctx, doc, raw)
            _check_keys(ctx, row, OUTCOME_KEYS)
            indicator = ctx.indicator(ctx.require(row, "indicator"))
            unit = ctx.unit(ctx.require(row, "unit"))
            period = ctx.period(row.get("period"))
            sex = ctx.choice(row.get("sex", "total"), SEXES, "sex")
            value = ctx.number(row.get("value"), "value")
            num = ctx.number(row.get("numerator"), "numerator")
            den = ctx.number(row.get("denominator"), "denominator")
            if (num is None) != (den is None):
                raise ctx.error("ange både numerator och denominator", f"{num}/{den}")
            if den is not None:
                if den < 0 or num < 0:
                    raise ctx.error("täljare och nämnare får inte vara negativa", f"{num}/{den}")
                if indicator.is_ratio and indicator.numerator_at_most_denominator and num > den:
                    raise ctx.error("täljaren är större än nämnaren", f"{num}/{den}")
                if value is None:
                    if den == 0:
                        raise ctx.error("nämnaren är 0 och inget värde anges", f"{num}/{den}")
                    value = indicator.ratio_scale * num / den
            if value is None:
                raise ctx.error("värde saknas (ange value eller numerator/denominator)")
            ctx.upsert(
                Outcome,
                {
                    "indicator": indicator,
                    "unit": unit,
                    "period": period.canonical,
                    "sex": sex,
                },
                {
                    "period_start": period.start,
                    "period_end": period.end,
                    "value": value,
                    "numerator": num,
                    "denominator": den,
                    "source": OutcomeSource.DEMO,
                    "data_source": _text(row.get("source")),
                    "note": _text(row.get("note")),
                },
            )


def _subject(ctx: LoadContext, row: dict) -> dict:
    """The indicator or the goal a row is about (exactly one)."""
    if bool(row.get("indicator")) == bool(row.get("goal")):
        raise ctx.error("ange antingen indicator eller goal")
    if row.get("indicator"):
        return {"indicator": ctx.indicator(row["indicator"]), "goal": None}
    return {"indicator": None, "goal": ctx.goal(row["goal"])}


@kind("assessments")
def load_assessments(doc: dict, ctx: LoadContext) -> None:
    from styrkort.followup.models import AssessedStatus, Assessment

    for i, raw in enumerate(_rows(ctx, doc, "rows"), start=1):
        with ctx.at(f"rad {i}"):
            row = _with_defaults(ctx, doc, raw)
            _check_keys(
                ctx, row, {"indicator", "goal", "unit", "period", "sex", "status", "reason"}
            )
            subject = _subject(ctx, row)
            period = ctx.period(row.get("period"))
            reason = _text(ctx.require(row, "reason"))
            ctx.upsert(
                Assessment,
                {
                    **subject,
                    "unit": ctx.unit(ctx.require(row, "unit")),
                    "period": period.canonical,
                    "sex": ctx.choice(row.get("sex", "total"), SEXES, "sex"),
                },
                {
                    "period_start": period.start,
                    "period_end": period.end,
                    "status": ctx.choice(
                        row.get("status"), [s.value for s in AssessedStatus], "status"
                    ),
                    "reason": reason,
                },
            )


@kind("analyses")
def load_analyses(doc: dict, ctx: LoadContext) -> None:
    from styrkort.followup.models import Analysis

    for i, raw in enumerate(_rows(ctx, doc, "rows"), start=1):
        with ctx.at(f"rad {i}"):
            row = _with_defaults(ctx, doc, raw)
            _check_keys(ctx, row, {"indicator", "goal", "unit", "period", "text"})
            subject = _subject(ctx, row)
            period = ctx.period(row.get("period"))
            ctx.upsert(
                Analysis,
                {**subject, "unit": ctx.unit(ctx.require(row, "unit")), "period": period.canonical},
                {
                    "period_start": period.start,
                    "period_end": period.end,
                    "text": _text(ctx.require(row, "text")),
                },
            )


# --- activities ------------------------------------------------------------------------------

ACTIVITY_KEYS = {
    "number",
    "name",
    "kind",
    "owner_unit",
    "goals",
    "indicators",
    "status",
    "description",
    "background",
    "concretisation",
    "responsible",
    "issued_by",
    "start_date",
    "end_date",
    "reports",
}


@kind("activities")
def load_activities(doc: dict, ctx: LoadContext) -> None:
    from styrkort.planning.models import (
        Activity,
        ActivityKind,
        ActivityReport,
        ActivityStatus,
    )

    plan = ctx.plan(ctx.require(doc, "plan"))
    statuses = [s.value for s in ActivityStatus]
    for i, raw in enumerate(_rows(ctx, doc, "activities"), start=1):
        label = raw.get("number") or raw.get("name") if isinstance(raw, dict) else raw
        with ctx.at(f"aktivitet {i} ({label})"):
            row = _with_defaults(ctx, doc, raw)
            _check_keys(ctx, row, ACTIVITY_KEYS)
            owner = ctx.unit(ctx.require(row, "owner_unit"))
            number = _text(row.get("number"))
            name = _text(ctx.require(row, "name"))
            key = {"plan": plan, "number": number} if number else {"plan": plan, "name": name}
            reports = row.get("reports") or []
            status = row.get("status") or (reports[-1].get("status") if reports else "planned")
            start = ctx.date(row.get("start_date"), "start_date")
            end = ctx.date(row.get("end_date"), "end_date")
            if start and end and end < start:
                raise ctx.error("end_date ligger före start_date", end)
            activity = ctx.upsert(
                Activity,
                key,
                {
                    "owner_unit": owner,
                    "kind": ctx.choice(
                        row.get("kind", "activity"), [k.value for k in ActivityKind], "kind"
                    ),
                    "number": number,
                    "name": name,
                    "description": _text(row.get("description")),
                    "background": _text(row.get("background")),
                    "concretisation": _text(row.get("concretisation")),
                    "status": ctx.choice(status, statuses, "status"),
                    "start_date": start,
                    "end_date": end,
                    "responsible": _text(row.get("responsible")),
                    "issued_by": _text(row.get("issued_by")),
                    "order": i,
                },
            )
            ctx.set_m2m(activity, "goals", [ctx.goal(g) for g in row.get("goals") or []])
            ctx.set_m2m(
                activity, "indicators", [ctx.indicator(c) for c in row.get("indicators") or []]
            )
            for j, rep in enumerate(reports, start=1):
                with ctx.at(f"uppföljning {j}"):
                    _check_keys(ctx, rep, {"period", "unit", "status", "comment"})
                    ctx.upsert(
                        ActivityReport,
                        {
                            "activity": activity,
                            "unit": ctx.unit(rep["unit"]) if rep.get("unit") else owner,
                            "period": ctx.period(rep.get("period")).canonical,
                        },
                        {
                            "status": ctx.choice(
                                rep.get("status", "not_reported"), statuses, "status"
                            ),
                            "comment": _text(rep.get("comment")),
                        },
                    )


@kind("activity_summary")
def load_activity_summary(doc: dict, ctx: LoadContext) -> None:
    from styrkort.planning.models import ActivityStatus, ActivitySummary

    plan = ctx.plan(ctx.require(doc, "plan"))
    unit = ctx.unit(ctx.require(doc, "unit"))
    period = ctx.period(doc.get("period")).canonical
    counts = ctx.require(doc, "counts")
    if not isinstance(counts, dict):
        raise ctx.error("counts ska vara en mappning", counts)
    source = _text(doc.get("source")) or f"Seed {doc['seed']}: {doc['section']}"
    for status, count in counts.items():
        with ctx.at(f"counts.{status}"):
            ctx.choice(status, [s.value for s in ActivityStatus], "status")
            if not isinstance(count, int) or count < 0:
                raise ctx.error("antalet ska vara ett heltal >= 0", count)
            ctx.upsert(
                ActivitySummary,
                {"plan": plan, "unit": unit, "period": period, "status": status},
                {"count": count, "source": source},
            )
