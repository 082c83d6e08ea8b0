"""Write services for plans: plans, goals, indicators and their placements, targets,
activities and their follow-up, and copying a plan into the next year.

The web pages, the API and the plan importer call these, never the models directly.
Each runs in one transaction, takes the acting user as the keyword argument `user` (None:
a trusted system write), checks permissions with the one permission function (`plan` on
the plan's unit, and for activities also on the owner unit; `plan` on the organisation's
top unit for changing or deleting an indicator; `report` on the answering unit for
activity follow-up) and records history (simple-history, with the acting user as the
history user). Messages are in the active language (Swedish source text).

A plan is a draft until ``adopt_plan`` marks it adopted (deciding body, date, reference).
A draft changes freely; an adopted plan changes only through a revision: every service
that changes a plan's content takes `reason` and refuses a change of an adopted plan
without one (``_require_editable``, the one rule), recording who, when and why
(``PlanRevision``) and the reason in the history rows it writes.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from styrkort.concurrency import check_version
from styrkort.organisation.permissions import Action, require
from styrkort.organisation.services import in_use_by, require_organisation_wide
from styrkort.periods import Period, PeriodError, parse_period
from styrkort.rounds.locks import ensure_writable
from styrkort.text import normalise as normalise_text
from styrkort.writes import acting, change_reason, delete, save, service

from .models import (
    Activity,
    ActivityKind,
    ActivityReport,
    ActivityStatus,
    Goal,
    Indicator,
    Plan,
    PlanIndicator,
    PlanModel,
    PlanRevision,
    PlanState,
    Target,
)
from .models.indicators import UNIT_CHOICES, Aggregation, Direction, IndicatorKind, MeasureType
from .target_reading import readable
from .targets import parse_target

GOAL_FIELDS = ("name", "code", "description", "planning_comment", "order")
INDICATOR_FIELDS = (
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
    "numerator_label",
    "denominator_label",
    "numerator_at_most_denominator",
    "parent",
    "tolerance_pct",
    "green_limit",
    "red_limit",
    "note",
    "kolada_kpi",
)


def _require(user, action: Action, unit) -> None:
    """The permission check; `user` None is a trusted system write (the command line
    or an import without a user), as styrkort.writes describes."""
    if user is not None:
        require(user, action, unit)


#: Changes of an adopted plan by one person with the same reason within this span are one
#: revision (a form that adds a placement and its target, a planner's afternoon of edits).
REVISION_SPAN = dt.timedelta(minutes=30)


def _require_editable(plan: Plan, *, user=None, reason: str = "") -> PlanRevision | None:
    """The one rule for changing a plan's content (header, goals, placements, targets,
    activities): an archived plan does not change; a draft changes freely; an adopted
    plan changes only through a recorded revision, so `reason` is required and the change
    is recorded (``PlanRevision``: who, when, why; the history rows written by the rest of
    the service call carry the reason). Returns the revision, or None for a draft."""
    if plan.state == PlanState.ARCHIVED:
        raise ValidationError(
            {"plan": _("Planen %(plan)s är arkiverad och kan inte ändras.") % {"plan": plan.name}}
        )
    if plan.state != PlanState.ADOPTED:
        return None
    text = normalise_text(reason or "")
    if not text:
        raise ValidationError(
            {
                "reason": _(
                    "Planen %(plan)s är fastställd. Ange skäl till ändringen; "
                    "ändringen sparas som en revidering."
                )
                % {"plan": plan.name}
            }
        )
    if len(text) > 2000:
        raise ValidationError({"reason": _("Skälet får vara högst 2 000 tecken.")})
    now = timezone.now()
    who = acting(user)
    revision = (
        PlanRevision.objects.filter(plan=plan, user=who, reason=text, at__gte=now - REVISION_SPAN)
        .order_by("-at")
        .first()
    )
    if revision is None:
        revision = PlanRevision(plan=plan, user=who, at=now, reason=text)
        save(revision, user)
    change_reason(text)
    return revision


def _clean_name(name: str, field: str = "name") -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({field: _("Ange ett namn.")})
    return name


# --- plans ------------------------------------------------------------------------------

PLAN_FIELDS = (
    "code",
    "name",
    "unit",
    "plan_model",
    "start_year",
    "end_year",
    "state",
    "decision_body",
    "decision_ref",
    "decision_date",
    "vision",
    "introduction",
    "superior_plan",
    "copied_from",
    "source",
)


def _year(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1990 <= value <= 2100:
        raise ValidationError(
            {field: _("Året måste ligga mellan 1990 och 2100: %(year)s.") % {"year": value}}
        )
    return value


def _check_plan(plan: Plan) -> None:
    """A plan's own rules: code, name, years in order, a known state, a plan model and
    related plans of the unit's organisation, no plan above itself."""
    plan.code = (plan.code or "").strip()
    if not plan.code:
        raise ValidationError({"code": _("Ange en kod för planen.")})
    if Plan.objects.filter(code=plan.code).exclude(pk=plan.pk).exists():
        raise ValidationError(
            {"code": _("Koden %(code)s används redan av en annan plan.") % {"code": plan.code}}
        )
    plan.name = _clean_name(plan.name)
    start, end = _year(plan.start_year, "start_year"), _year(plan.end_year, "end_year")
    if end < start:
        raise ValidationError(
            {
                "end_year": _("Sista år (%(end)s) får inte vara före första år (%(start)s).")
                % {"end": end, "start": start}
            }
        )
    if plan.state not in PlanState.values:
        raise ValidationError({"state": _("Okänd status: ”%(state)s”.") % {"state": plan.state}})
    organisation_id = plan.unit.organisation_id
    if plan.plan_model.organisation_id != organisation_id:
        raise ValidationError(
            {
                "plan_model": _(
                    "Styrmodellen %(model)s hör till en annan organisation än %(unit)s."
                )
                % {"model": plan.plan_model.name, "unit": plan.unit.name}
            }
        )
    for name in ("superior_plan", "copied_from"):
        other = getattr(plan, name)
        if other is None:
            continue
        if plan.pk is not None and other.pk == plan.pk:
            raise ValidationError({name: _("En plan kan inte peka på sig själv.")})
        if other.unit.organisation_id != organisation_id:
            raise ValidationError(
                {name: _("Planen %(plan)s hör till en annan organisation.") % {"plan": other.code}}
            )
    above, seen = plan.superior_plan, set()
    while above is not None and above.pk not in seen:
        if plan.pk is not None and above.pk == plan.pk:
            raise ValidationError(
                {
                    "superior_plan": _("Planen %(plan)s ligger redan under den här planen.")
                    % {"plan": plan.superior_plan.code}
                }
            )
        seen.add(above.pk)
        above = above.superior_plan
    plan.vision = normalise_text(plan.vision)
    plan.introduction = normalise_text(plan.introduction)
    plan.decision_body = " ".join((plan.decision_body or "").split())
    plan.decision_ref = " ".join((plan.decision_ref or "").split())
    plan.source = (plan.source or "").strip()


def _plan_values(fields: dict) -> dict:
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"unknown plan fields: {sorted(unknown)}")
    return fields


@service
def create_plan(
    *,
    user,
    unit,
    plan_model,
    code: str,
    name: str,
    start_year: int,
    end_year: int,
    **fields,
) -> Plan:
    """A new plan of `unit` for `start_year`–`end_year` (a draft unless `state` says
    otherwise). Needs `plan` on the unit."""
    _require(user, Action.PLAN, unit)
    values = _plan_values(fields)
    plan = Plan(
        unit=unit,
        plan_model=plan_model,
        code=code,
        name=name,
        start_year=start_year,
        end_year=end_year,
        **values,
    )
    _check_plan(plan)
    save(plan, user)
    return plan


@service
def update_plan(*, user, plan: Plan, reason: str = "", **fields) -> Plan:
    """Change a plan's header: name, code, years, state, decision, texts, related plans,
    or its unit (needs `plan` on both units; its activities and unit targets must stay
    inside the new unit). An archived plan only changes its state (to reopen it); an
    adopted plan changes with a `reason` (a revision). A draft becomes adopted through
    ``adopt_plan`` only, and an adopted plan never becomes a draft again."""
    values = _plan_values(fields)
    _require(user, Action.PLAN, plan.unit)
    new_state = values.get("state", plan.state)
    if new_state == PlanState.ADOPTED and plan.state == PlanState.DRAFT:
        raise ValidationError(
            {
                "state": _(
                    "En plan fastställs med ”Fastställ plan”, med beslutande organ, "
                    "beslutsdatum och referens."
                )
            }
        )
    if new_state == PlanState.ARCHIVED and plan.state == PlanState.DRAFT:
        raise ValidationError(
            {"state": _("Ett utkast arkiveras inte; ta bort det eller fastställ det först.")}
        )
    if (
        new_state == PlanState.ADOPTED
        and plan.state == PlanState.ARCHIVED
        and not plan.history.filter(state=PlanState.ADOPTED).exists()
    ):
        raise ValidationError(
            {
                "state": _(
                    "Planen har aldrig fastställts; fastställ den med beslutande organ, "
                    "beslutsdatum och referens."
                )
            }
        )
    if new_state == PlanState.DRAFT and plan.state == PlanState.ADOPTED:
        raise ValidationError(
            {"state": _("En fastställd plan blir inte utkast igen; revidera den med ett skäl.")}
        )
    if plan.state == PlanState.ARCHIVED and new_state == PlanState.ARCHIVED:
        _require_editable(plan)  # refused: an archived plan only changes its state
    if plan.state == PlanState.ADOPTED:
        _require_editable(plan, user=user, reason=reason)
    unit = values.get("unit")
    if unit is not None and unit.pk != plan.unit_id:
        _require(user, Action.PLAN, unit)
        outside = (
            Activity.objects.filter(plan=plan)
            .exclude(owner_unit__path__startswith=unit.path)
            .select_related("owner_unit")
            .first()
        )
        if outside is not None:
            message = _("Aktiviteten ”%(activity)s” ägs av %(owner)s, som inte hör till %(unit)s.")
            names = {"activity": outside.name, "owner": outside.owner_unit.name, "unit": unit.name}
            raise ValidationError({"unit": message % names})
        if (
            Target.objects.filter(placement__plan=plan, unit__isnull=False)
            .exclude(unit__path__startswith=unit.path)
            .exists()
        ):
            message = _("Planen har målvärden för enheter utanför %(unit)s.")
            raise ValidationError({"unit": message % {"unit": unit.name}})
    for key, value in values.items():
        setattr(plan, key, value)
    _check_plan(plan)
    save(plan, user)
    return plan


@service
def delete_plan(*, user, plan: Plan) -> None:
    """Remove a plan with its goal tree, placements, targets, activities and their
    follow-up. Needs `plan` on the plan's unit; an archived or adopted plan is kept (an
    adopted plan is archived when it is no longer followed up)."""
    _require(user, Action.PLAN, plan.unit)
    if plan.state == PlanState.ADOPTED:
        raise ValidationError(
            {
                "plan": _(
                    "Planen %(plan)s är fastställd och tas inte bort; arkivera den i stället."
                )
                % {"plan": plan.name}
            }
        )
    _require_editable(plan)
    delete(plan, user)


def _decision_date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(
            {
                "date": _("Ogiltigt beslutsdatum: ”%(date)s” (skriv t.ex. 2023-11-22).")
                % {"date": value}
            }
        ) from None


@service
def adopt_plan(*, user, plan: Plan, body: str, date, reference: str) -> Plan:
    """Mark a draft plan adopted (fastställd) by the body that decided it (Regionfullmäktige,
    Hälso- och sjukvårdsnämnden), on the decision's date (not in the future) with its
    reference (diarienummer, paragraph). All three are required. From then on the plan is
    the one its unit follows up, shown to everyone who may see the unit, and changes only
    with a reason (``revise_plan``). Needs `plan` on the plan's unit."""
    _require(user, Action.PLAN, plan.unit)
    if plan.state != PlanState.DRAFT:
        message = (
            _("Planen %(plan)s är redan fastställd.")
            if plan.state == PlanState.ADOPTED
            else _("Planen %(plan)s är arkiverad och kan inte fastställas.")
        )
        raise ValidationError({"plan": message % {"plan": plan.name}})
    body = " ".join((body or "").split())
    reference = " ".join((reference or "").split())
    errors: dict[str, str] = {}
    if not body:
        errors["body"] = _("Ange beslutande organ, t.ex. Regionfullmäktige.")
    elif len(body) > 200:
        errors["body"] = _("Beslutande organ får vara högst 200 tecken.")
    try:
        decided = _decision_date(date)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        decided = None
    else:
        if decided is None:
            errors["date"] = _("Ange beslutsdatum.")
        elif decided > timezone.localdate():
            errors["date"] = _(
                "Beslutsdatumet %(date)s ligger i framtiden; en plan fastställs när beslutet "
                "är fattat."
            ) % {"date": decided.isoformat()}
        elif decided.year < 1990:
            errors["date"] = _("Ogiltigt beslutsdatum: %(date)s.") % {"date": decided.isoformat()}
    if not reference:
        errors["reference"] = _("Ange beslutets referens, t.ex. diarienummer eller paragraf.")
    elif len(reference) > 200:
        errors["reference"] = _("Referensen får vara högst 200 tecken.")
    if errors:
        raise ValidationError(errors)
    plan.state = PlanState.ADOPTED
    plan.decision_body = body
    plan.decision_date = decided
    plan.decision_ref = reference
    save(plan, user)
    return plan


@service
def revise_plan(*, user, plan: Plan, reason: str) -> PlanRevision:
    """Record a revision of an adopted plan (who, when, why) before changing it; the
    content services do this themselves when given a `reason`, so this is for a door that
    records the reason first (or a change outside the plan's rows, such as a decision
    taken elsewhere). Needs `plan` on the plan's unit."""
    _require(user, Action.PLAN, plan.unit)
    if plan.state != PlanState.ADOPTED:
        raise ValidationError(
            {"plan": _("Bara en fastställd plan revideras; ett utkast ändras direkt.")}
        )
    return _require_editable(plan, user=user, reason=reason)


# --- goals ------------------------------------------------------------------------------


def _check_links(goal: Goal, linked: list[Goal]) -> None:
    """Linked goals must belong to a plan of a superior unit (or the superior plan)."""
    plan = goal.plan
    for other in linked:
        other_plan = other.plan
        superior_unit = plan.unit.path.startswith(other_plan.unit.path) and (
            other_plan.unit.path != plan.unit.path
        )
        if other_plan.pk == plan.pk or not (
            superior_unit or other_plan.pk == plan.superior_plan_id
        ):
            raise ValidationError(
                {
                    "linked_goals": _("Målet ”%(goal)s” hör inte till en överordnad plan.")
                    % {"goal": other.name}
                }
            )


@service
def create_goal(
    *,
    user,
    plan: Plan,
    reason: str = "",
    name: str,
    parent: Goal | None = None,
    code: str = "",
    description: str = "",
    planning_comment: str = "",
    order: int | None = None,
    linked_goals: list[Goal] | None = None,
) -> Goal:
    """A new goal in `plan`, under `parent` (its level is the parent's + 1, or 1)."""
    _require(user, Action.PLAN, plan.unit)
    _require_editable(plan, user=user, reason=reason)
    if parent is not None and parent.plan_id != plan.pk:
        raise ValidationError({"parent": _("Det överordnade målet hör till en annan plan.")})
    if code and Goal.objects.filter(plan=plan, code=code).exists():
        raise ValidationError(
            {"code": _("Koden %(code)s används redan i planen.") % {"code": code}}
        )
    if order is None:
        order = (
            Goal.objects.filter(plan=plan, parent=parent).aggregate(m=Max("order"))["m"] or 0
        ) + 1
    goal = Goal(
        plan=plan,
        parent=parent,
        level=parent.level + 1 if parent else 1,
        name=_clean_name(name),
        code=(code or "").strip(),
        description=normalise_text(description),
        planning_comment=normalise_text(planning_comment),
        order=order,
    )
    save(goal, user)
    if linked_goals:
        _check_links(goal, linked_goals)
        goal.linked_goals.set(linked_goals)
    return goal


@service
def update_goal(
    *, user, goal: Goal, linked_goals: list[Goal] | None = None, reason: str = "", **fields
) -> Goal:
    """Change a goal's name, code, description, planning comment or order; with
    `linked_goals` also replace its links to goals in superior plans."""
    _require(user, Action.PLAN, goal.plan.unit)
    _require_editable(goal.plan, user=user, reason=reason)
    unknown = set(fields) - set(GOAL_FIELDS)
    if unknown:
        raise ValueError(f"unknown goal fields: {sorted(unknown)}")
    if "name" in fields:
        fields["name"] = _clean_name(fields["name"])
    for text_field in ("description", "planning_comment"):
        if text_field in fields:
            fields[text_field] = normalise_text(fields[text_field])
    code = (fields.get("code") or "").strip()
    if code and Goal.objects.filter(plan=goal.plan, code=code).exclude(pk=goal.pk).exists():
        raise ValidationError(
            {"code": _("Koden %(code)s används redan i planen.") % {"code": code}}
        )
    for key, value in fields.items():
        setattr(goal, key, value)
    save(goal, user)
    if linked_goals is not None:
        _check_links(goal, linked_goals)
        goal.linked_goals.set(linked_goals)
    return goal


@service
def delete_goal(*, user, goal: Goal, reason: str = "") -> None:
    """Remove a goal with its child goals and their indicator placements and targets.
    Activities stay in the plan; only their link to the goal goes."""
    _require(user, Action.PLAN, goal.plan.unit)
    _require_editable(goal.plan, user=user, reason=reason)
    from styrkort.followup.models import Analysis, Assessment

    goals = _goal_subtree(goal)
    _refuse_locked_follow_up(
        [
            *Analysis.objects.filter(goal__in=goals).select_related("unit"),
            *Assessment.objects.filter(goal__in=goals).select_related("unit"),
        ]
    )
    delete(goal, user)


def _goal_subtree(goal: Goal) -> list[int]:
    ids, level = [goal.pk], [goal.pk]
    while level:
        level = list(Goal.objects.filter(parent__in=level).values_list("pk", flat=True))
        ids += level
    return ids


def _refuse_locked_follow_up(rows) -> None:
    """A goal or activity is not deleted while follow-up of it lies in a period a
    reporting round has locked: the follow-up would go with it (PeriodLocked names the
    unit and period)."""
    from styrkort.periods import parse_period
    from styrkort.rounds.locks import ensure_writable

    seen = set()
    for row in rows:
        # follow-up rows keep their period's dates; an activity report its period's name
        period = row if hasattr(row, "period_start") else parse_period(row.period)
        key = (row.unit_id, str(row.period))
        if key not in seen:
            seen.add(key)
            ensure_writable(row.unit, period)


# --- indicators and placements ------------------------------------------------------------


def indicator_values(fields: dict) -> dict:
    """Indicator attributes checked and cleaned as the services store them (known
    choices, trimmed code and name, normalised free text); an importer compares these
    with the stored values to leave unchanged indicators alone."""
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise ValueError(f"unknown indicator fields: {sorted(unknown)}")
    values = dict(fields)
    choices = {
        "unit": {c for c, _label in UNIT_CHOICES},
        "kind": set(IndicatorKind.values),
        "direction": set(Direction.values),
        "aggregation": set(Aggregation.values),
        "measure_type": set(MeasureType.values),
    }
    for key, allowed in choices.items():
        if key in values and values[key] not in allowed:
            raise ValidationError({key: _("Ogiltigt värde: ”%(value)s”.") % {"value": values[key]}})
    if "code" in values:
        values["code"] = (values["code"] or "").strip()
    if "name" in values:
        values["name"] = _clean_name(values["name"])
    for key in ("definition", "note"):
        if key in values:
            values[key] = normalise_text(values[key])
    if "kolada_kpi" in values:
        values["kolada_kpi"] = _kolada_kpi(values["kolada_kpi"])
    return values


def _kolada_kpi(value) -> str:
    """A Kolada KPI id upper-cased (``n79221`` -> ``N79221``), checked against the form
    and, once Kolada's catalogue is imported, against the catalogue."""
    from styrkort.comparisons.models import KoladaKpi

    kpi = (value or "").strip().upper()
    if not kpi:
        return ""
    if not re.fullmatch(r"[NU][0-9]{5}", kpi):
        raise ValidationError(
            {
                "kolada_kpi": _(
                    "”%(value)s” är inget Kolada-id: N eller U och fem siffror, t.ex. N79221."
                )
                % {"value": kpi}
            }
        )
    catalogue = KoladaKpi.objects.all()
    if catalogue.exists() and not catalogue.filter(id=kpi).exists():
        raise ValidationError(
            {"kolada_kpi": _("%(value)s finns inte i Koladas nyckeltalskatalog.") % {"value": kpi}}
        )
    return kpi


def _check_indicator(indicator: Indicator) -> None:
    """Code unique, parent in the same organisation and not below the indicator itself,
    tolerance 0–100, then the model's field rules."""
    if not indicator.code:
        raise ValidationError({"code": _("Ange en kod för indikatorn.")})
    if Indicator.objects.filter(code=indicator.code).exclude(pk=indicator.pk).exists():
        raise ValidationError(
            {
                "code": _("Koden %(code)s används redan av en annan indikator.")
                % {"code": indicator.code}
            }
        )
    parent, seen = indicator.parent, set()
    if parent is not None and parent.organisation_id != indicator.organisation_id:
        raise ValidationError(
            {
                "parent": _("Den överordnade indikatorn %(code)s hör till en annan organisation.")
                % {"code": parent.code}
            }
        )
    while parent is not None and parent.pk not in seen:
        if indicator.pk is not None and parent.pk == indicator.pk:
            raise ValidationError(
                {"parent": _("En indikator kan inte ingå i sig själv eller i sina delindikatorer.")}
            )
        seen.add(parent.pk)
        parent = parent.parent
    tolerance = indicator.tolerance_pct
    if tolerance is not None and not 0 <= tolerance <= 100:
        raise ValidationError(
            {"tolerance_pct": _("Toleransen ska vara 0–100 %%: %(value)s.") % {"value": tolerance}}
        )
    indicator.full_clean(validate_unique=False, validate_constraints=False)


@service
def create_indicator(*, user, plan: Plan | None = None, organisation=None, **fields) -> Indicator:
    """A new indicator of an organisation. With `plan`: in the organisation of the
    plan's unit, needing `plan` on that unit (a planner creating an indicator for the
    plan); with `organisation`: needing `plan` on the organisation's top unit."""
    if (plan is None) == (organisation is None):
        raise TypeError("create_indicator() needs either plan or organisation")
    if plan is not None:
        _require(user, Action.PLAN, plan.unit)
        organisation_id = plan.unit.organisation_id
    else:
        organisation_id = organisation.pk
        if user is not None:
            require_organisation_wide(user, Action.PLAN, organisation_id)
    values = indicator_values(fields)
    indicator = Indicator(organisation_id=organisation_id, **values)
    _check_indicator(indicator)
    save(indicator, user)
    return indicator


@service
def update_indicator(*, user, indicator: Indicator, **fields) -> Indicator:
    """Change an indicator's attributes. Indicators are shared by the organisation's
    plans, so this needs `plan` on the organisation's top unit."""
    if user is not None:
        require_organisation_wide(user, Action.PLAN, indicator.organisation_id)
    values = indicator_values(fields)
    for key, value in values.items():
        setattr(indicator, key, value)
    _check_indicator(indicator)
    save(indicator, user)
    return indicator


@service
def delete_indicator(*, user, indicator: Indicator) -> None:
    """Remove an indicator nothing uses (no placements, outcomes, analyses, links …).
    Needs `plan` on the organisation's top unit."""
    if user is not None:
        require_organisation_wide(user, Action.PLAN, indicator.organisation_id)
    used_by = in_use_by(indicator)
    if used_by:
        raise ValidationError(
            _("Indikatorn %(code)s används av %(what)s och kan inte tas bort.")
            % {"code": indicator.code, "what": ", ".join(used_by)}
        )
    delete(indicator, user)


@service
def place_indicator(
    *,
    user,
    goal: Goal,
    reason: str = "",
    indicator: Indicator,
    order: int | None = None,
    baseline_text: str = "",
    baseline_value: float | None = None,
    baseline_period: str = "",
    reporting_points: str = "",
    note: str = "",
) -> PlanIndicator:
    """Place an indicator under a goal of a plan (one indicator may serve several goals)."""
    plan = goal.plan
    _require(user, Action.PLAN, plan.unit)
    _require_editable(plan, user=user, reason=reason)
    if indicator.organisation_id != plan.unit.organisation_id:
        raise ValidationError({"indicator": _("Indikatorn hör till en annan organisation.")})
    if PlanIndicator.objects.filter(goal=goal, indicator=indicator).exists():
        raise ValidationError(
            {
                "indicator": _("Indikatorn ”%(indicator)s” finns redan under målet.")
                % {"indicator": indicator.name}
            }
        )
    if baseline_period:
        try:
            baseline_period = parse_period(baseline_period).canonical
        except PeriodError as exc:
            raise ValidationError({"baseline_period": str(exc)}) from exc
    if order is None:
        order = (PlanIndicator.objects.filter(goal=goal).aggregate(m=Max("order"))["m"] or 0) + 1
    placement = PlanIndicator(
        plan=plan,
        goal=goal,
        indicator=indicator,
        order=order,
        baseline_text=baseline_text.strip(),
        baseline_value=baseline_value,
        baseline_period=baseline_period,
        reporting_points=reporting_points.strip(),
        note=normalise_text(note),
    )
    save(placement, user)
    return placement


@service
def update_placement(
    *, user, placement: PlanIndicator, reason: str = "", **fields
) -> PlanIndicator:
    """Change a placement's baseline, reporting points, order or footnote."""
    _require(user, Action.PLAN, placement.plan.unit)
    _require_editable(placement.plan, user=user, reason=reason)
    allowed = {
        "baseline_text",
        "baseline_value",
        "baseline_period",
        "reporting_points",
        "order",
        "note",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"unknown placement fields: {sorted(unknown)}")
    if fields.get("baseline_period"):
        try:
            fields["baseline_period"] = parse_period(fields["baseline_period"]).canonical
        except PeriodError as exc:
            raise ValidationError({"baseline_period": str(exc)}) from exc
    if "note" in fields:
        fields["note"] = normalise_text(fields["note"])
    for key, value in fields.items():
        setattr(placement, key, value.strip() if isinstance(value, str) else value)
    save(placement, user)
    return placement


@service
def remove_placement(*, user, placement: PlanIndicator, reason: str = "") -> None:
    """Take an indicator out of a goal (with its targets); outcomes are kept."""
    _require(user, Action.PLAN, placement.plan.unit)
    _require_editable(placement.plan, user=user, reason=reason)
    delete(placement, user)


# --- targets -----------------------------------------------------------------------------


@service
def set_target(
    *,
    user,
    placement: PlanIndicator,
    reason: str = "",
    year: int,
    text: str,
    is_long_term: bool = False,
    unit=None,
    note: str = "",
    assessed_by_hand: bool = False,
) -> Target:
    """Create or replace the target of a placed indicator for `year` (optionally for one
    unit, or the long-term target with its year). The text is parsed on save. A text the
    parser cannot read is refused unless the target is `assessed_by_hand`: then the
    indicator's status comes from a manual assessment, never from the text."""
    plan = placement.plan
    _require(user, Action.PLAN, plan.unit)
    _require_editable(plan, user=user, reason=reason)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Ange ett målvärde, t.ex. 70 %, max 175 eller Öka.")})
    if len(text) > 300:
        raise ValidationError({"text": _("Målvärdet får vara högst 300 tecken.")})
    if not assessed_by_hand and not readable(parse_target(text)):
        raise ValidationError({"text": unreadable_target_message(text)})
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("Ogiltigt år: ”%(year)s”.") % {"year": year}}) from None
    if not 1990 <= year <= 2100:
        raise ValidationError(
            {"year": _("Året måste ligga mellan 1990 och 2100: %(year)s.") % {"year": year}}
        )
    if not is_long_term and not plan.covers_year(year):
        raise ValidationError(
            {
                "year": _(
                    "Planen gäller %(start)s–%(end)s; "
                    "målvärden för %(year)s hör till en annan plan (eller är långsiktiga)."
                )
                % {"start": plan.start_year, "end": plan.end_year, "year": year}
            }
        )
    if unit is not None and not unit.path.startswith(plan.unit.path):
        raise ValidationError(
            {"unit": _("%(unit)s hör inte till planens organisation.") % {"unit": unit.name}}
        )
    target = (
        Target.objects.select_for_update()
        .filter(placement=placement, year=year, unit=unit, is_long_term=is_long_term)
        .first()
    )
    if target is None:
        target = Target(placement=placement, year=year, unit=unit, is_long_term=is_long_term)
    target.text = text
    target.note = normalise_text(note)
    target.assessed_by_hand = bool(assessed_by_hand)
    save(target, user)
    return target


def unreadable_target_message(text: str) -> str:
    """Why a target text is refused, naming the field and the way out."""
    return _(
        "Målvärde: Styrkort kan inte läsa ”%(text)s” som ett mätbart målvärde. Skriv t.ex. "
        "70 %%, max 175, min 75 %%, Öka eller Minska, eller markera ”Bedöms manuellt” om "
        "måluppfyllelsen ska sättas för hand."
    ) % {"text": text}


@service
def delete_target(*, user, target: Target, reason: str = "") -> None:
    _require(user, Action.PLAN, target.placement.plan.unit)
    _require_editable(target.placement.plan, user=user, reason=reason)
    delete(target, user)


# --- activities and assignments --------------------------------------------------------------

ACTIVITY_FIELDS = (
    "kind",
    "number",
    "name",
    "description",
    "background",
    "concretisation",
    "status",
    "start_date",
    "end_date",
    "responsible",
    "issued_by",
    "order",
)
_ACTIVITY_TEXT = ("description", "background", "concretisation")
_ACTIVITY_LINES = ("number", "responsible", "issued_by")


def _activity_values(plan: Plan, fields: dict) -> dict:
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise ValueError(f"unknown activity fields: {sorted(unknown)}")
    values = dict(fields)
    if "name" in values:
        values["name"] = _clean_name(values["name"])
        if len(values["name"]) > 500:
            raise ValidationError({"name": _("Namnet får vara högst 500 tecken.")})
    if "kind" in values and values["kind"] not in ActivityKind.values:
        raise ValidationError({"kind": _("Okänd typ: ”%(kind)s”.") % {"kind": values["kind"]}})
    if "status" in values and values["status"] not in ActivityStatus.values:
        raise ValidationError(
            {"status": _("Okänd status: ”%(status)s”.") % {"status": values["status"]}}
        )
    for key in _ACTIVITY_TEXT:
        if key in values:
            values[key] = normalise_text(values[key] or "")
    for key in _ACTIVITY_LINES:
        if key in values:
            values[key] = " ".join((values[key] or "").split())
    if values.get("order") is None:
        values.pop("order", None)
    return values


def _check_activity(activity: Activity, goals, indicators) -> None:
    """Owner unit in the plan unit's subtree, dates in order, links within the plan."""
    plan = activity.plan
    owner = activity.owner_unit
    if not owner.path.startswith(plan.unit.path):
        raise ValidationError(
            {
                "owner_unit": _(
                    "%(owner)s hör inte till %(unit)s och kan inte ansvara för aktiviteten."
                )
                % {"owner": owner.name, "unit": plan.unit.name}
            }
        )
    if activity.start_date and activity.end_date and activity.end_date < activity.start_date:
        raise ValidationError({"end_date": _("Slutdatum får inte vara före startdatum.")})
    for goal in goals or ():
        if goal.plan_id != plan.pk:
            raise ValidationError(
                {"goals": _("Målet ”%(goal)s” hör inte till planen.") % {"goal": goal.name}}
            )
    for indicator in indicators or ():
        if indicator.organisation_id != plan.unit.organisation_id:
            raise ValidationError(
                {
                    "indicators": _("Indikatorn ”%(indicator)s” hör till en annan organisation.")
                    % {"indicator": indicator.name}
                }
            )


@service
def create_activity(
    *,
    user,
    plan: Plan,
    reason: str = "",
    name: str,
    owner_unit=None,
    goals: list[Goal] | None = None,
    indicators: list[Indicator] | None = None,
    **fields,
) -> Activity:
    """A new activity or assignment (`kind`) in `plan`, owned by `owner_unit` (the plan's
    unit or one below it; default the plan's unit), linked to goals of the plan and
    indicators of the organisation. Needs `plan` on the plan's unit and the owner unit."""
    owner_unit = owner_unit or plan.unit
    _require(user, Action.PLAN, plan.unit)
    _require(user, Action.PLAN, owner_unit)
    _require_editable(plan, user=user, reason=reason)
    values = _activity_values(plan, {"name": name, **fields})
    if "order" not in values:
        values["order"] = (
            Activity.objects.filter(plan=plan).aggregate(m=Max("order"))["m"] or 0
        ) + 1
    activity = Activity(plan=plan, owner_unit=owner_unit, **values)
    _check_activity(activity, goals, indicators)
    save(activity, user)
    if goals:
        activity.goals.set(goals)
    if indicators:
        activity.indicators.set(indicators)
    return activity


@service
def update_activity(
    *,
    user,
    activity: Activity,
    reason: str = "",
    owner_unit=None,
    goals: list[Goal] | None = None,
    indicators: list[Indicator] | None = None,
    **fields,
) -> Activity:
    """Change an activity's fields; `owner_unit` moves it to another unit of the plan's
    subtree; `goals` / `indicators` (when given) replace its links. Needs `plan` on the
    plan's unit and on the owner unit (old and new)."""
    plan = activity.plan
    _require(user, Action.PLAN, plan.unit)
    _require(user, Action.PLAN, activity.owner_unit)
    if owner_unit is not None:
        _require(user, Action.PLAN, owner_unit)
        activity.owner_unit = owner_unit
    _require_editable(plan, user=user, reason=reason)
    values = _activity_values(plan, fields)
    for key, value in values.items():
        setattr(activity, key, value)
    _check_activity(activity, goals, indicators)
    save(activity, user)
    if goals is not None:
        activity.goals.set(goals)
    if indicators is not None:
        activity.indicators.set(indicators)
    return activity


@service
def delete_activity(*, user, activity: Activity, reason: str = "") -> None:
    """Remove an activity or assignment with its follow-up. Needs `plan` on the plan's
    unit and on the owner unit."""
    _require(user, Action.PLAN, activity.plan.unit)
    _require(user, Action.PLAN, activity.owner_unit)
    _require_editable(activity.plan, user=user, reason=reason)
    _refuse_locked_follow_up(activity.reports.select_related("unit"))
    delete(activity, user)


# --- activity follow-up --------------------------------------------------------------------


def refuse_draft_follow_up(plan: Plan, *, field: str, item: str) -> None:
    """Refuse follow-up of a draft plan's item (an activity's report, a goal's analysis or
    assessment): nothing of a draft is followed up (``rules.followed``) until it is
    adopted. `item` names the item in the message ("Aktiviteten ”…”")."""
    if plan.state == PlanState.DRAFT:
        raise ValidationError(
            {
                field: _(
                    "%(item)s hör till planen ”%(plan)s”, som är ett utkast; den följs upp "
                    "först när planen är fastställd."
                )
                % {"item": item, "plan": plan.name}
            }
        )


@service
def report_activity(
    *,
    user,
    activity: Activity,
    unit,
    period: Period | str,
    status: str,
    comment: str = "",
    expected_version: str | None = None,
) -> ActivityReport:
    """An activity's status and comment for a reporting point, by its owner unit or (for a
    cascaded konkretisering) by one of the owner's sub-units. Needs `report` on `unit`.
    Reporting for the owner unit also moves the activity's current status.
    `expected_version`: the version of the report its author read ("" for none; None: no
    check); a report changed since is refused with StaleVersionError
    (styrkort.concurrency)."""
    _require(user, Action.REPORT, unit)
    if isinstance(period, str):
        try:
            period = parse_period(period)
        except PeriodError as exc:
            raise ValidationError({"period": str(exc)}) from exc
    if status not in ActivityStatus.values:
        raise ValidationError({"status": _("Okänd status: ”%(status)s”.") % {"status": status}})
    refuse_draft_follow_up(
        activity.plan,
        field="activity",
        item=_("Aktiviteten ”%(activity)s”") % {"activity": activity.name},
    )
    ensure_writable(unit, period)
    owner = activity.owner_unit
    if unit.pk != owner.pk and not (activity.concretisation and unit.path.startswith(owner.path)):
        raise ValidationError(
            {
                "unit": _("%(unit)s rapporterar inte på aktiviteten ”%(activity)s”.")
                % {"unit": unit.name, "activity": activity.name}
            }
        )
    comment = normalise_text(comment)
    if len(comment) > 5000:
        raise ValidationError({"comment": _("Kommentaren får vara högst 5 000 tecken.")})
    report = (
        ActivityReport.objects.select_for_update()
        .filter(activity=activity, unit=unit, period=period.canonical)
        .first()
    )
    check_version(
        report,
        expected_version,
        what=_activity_report_name(activity, unit, period.canonical),
        value=_activity_report_text,
    )
    if report is None:
        report = ActivityReport(activity=activity, unit=unit, period=period.canonical)
    report.status = status
    report.comment = comment
    report.updated_by = acting(user)
    save(report, user)
    if unit.pk == owner.pk and status != ActivityStatus.NOT_REPORTED and activity.status != status:
        activity.status = status
        save(activity, user)
    return report


@service
def delete_activity_report(
    *, user, report: ActivityReport, expected_version: str | None = None
) -> None:
    """Remove one follow-up answer of an activity. Needs `report` on the answering unit;
    the activity keeps its current status. `expected_version`: as in `report_activity`."""
    _require(user, Action.REPORT, report.unit)
    ensure_writable(report.unit, parse_period(report.period))
    if expected_version is not None:
        current = ActivityReport.objects.select_for_update().filter(pk=report.pk).first()
        check_version(
            current,
            expected_version,
            what=_activity_report_name(report.activity, report.unit, report.period),
            value=_activity_report_text,
        )
    delete(report, user)


def _activity_report_name(activity: Activity, unit, period: str) -> str:
    return _("uppföljningen av ”%(activity)s” för %(unit)s, %(period)s") % {
        "activity": activity.name,
        "unit": unit.name,
        "period": period,
    }


def _activity_report_text(report: ActivityReport) -> str:
    status = report.get_status_display()
    return f"{status}: {report.comment}" if report.comment else status


# --- copying a plan --------------------------------------------------------------------


def _next_code(code: str, years: int) -> str:
    """'ls1-2022' -> 'ls1-2023'; otherwise '<code>-<n>' made unique."""
    head, _sep, tail = code.rpartition("-")
    candidate = f"{head}-{int(tail) + years}" if head and tail.isdigit() else f"{code}-kopia"
    base, n = candidate, 2
    while Plan.objects.filter(code=candidate).exists():
        candidate = f"{base}-{n}"
        n += 1
    return candidate[:64]


@service
def copy_plan(*, user, plan: Plan, years: int = 1, name: str = "") -> Plan:
    """Copy `plan` `years` years forward as a draft: its goal tree (with the links to
    superior plans), indicator placements, targets (year-bound targets move with the plan;
    long-term targets keep their year) and activities (status planned, no follow-up).
    Returns the new plan; `copied_from` points at the original."""
    _require(user, Action.PLAN, plan.unit)
    if years < 1:
        raise ValidationError({"years": _("Planen kan bara kopieras framåt i tiden.")})
    start, end = plan.start_year + years, plan.end_year + years
    if Plan.objects.filter(unit=plan.unit, copied_from=plan, start_year=start).exists():
        raise ValidationError(
            {
                "plan": _("Planen är redan kopierad till %(year)s. Öppna den kopian i stället.")
                % {"year": start}
            }
        )
    new_name = name.strip() or _shift_years_in_text(plan.name, years)
    new = Plan(
        unit=plan.unit,
        plan_model=plan.plan_model,
        code=_next_code(plan.code, years),
        name=new_name,
        start_year=start,
        end_year=end,
        state=PlanState.DRAFT,
        vision=plan.vision,
        introduction=plan.introduction,
        superior_plan=_successor(plan.superior_plan, start) or plan.superior_plan,
        copied_from=plan,
    )
    save(new, user)

    goal_map: dict[int, Goal] = {}
    goals = list(plan.goals.order_by("level", "order", "id").prefetch_related("linked_goals"))
    for goal in goals:  # parents first: ordered by level
        copy = Goal(
            plan=new,
            parent=goal_map.get(goal.parent_id),
            level=goal.level,
            code=goal.code,
            name=goal.name,
            description=goal.description,
            planning_comment=goal.planning_comment,
            order=goal.order,
        )
        save(copy, user)
        goal_map[goal.pk] = copy
    for goal in goals:
        links = list(goal.linked_goals.all())
        if links:
            goal_map[goal.pk].linked_goals.set(links)

    for placement in plan.placements.select_related("indicator").prefetch_related("targets"):
        new_placement = PlanIndicator(
            plan=new,
            goal=goal_map[placement.goal_id],
            indicator=placement.indicator,
            order=placement.order,
            baseline_text=placement.baseline_text,
            baseline_value=placement.baseline_value,
            baseline_period=placement.baseline_period,
            reporting_points=placement.reporting_points,
            note=placement.note,
        )
        save(new_placement, user)
        for target in placement.targets.all():
            year = target.year if target.is_long_term else target.year + years
            if not target.is_long_term and not start <= year <= end:
                continue
            save(
                Target(
                    placement=new_placement,
                    year=year,
                    unit=target.unit,
                    is_long_term=target.is_long_term,
                    text=target.text,
                    note=target.note,
                    assessed_by_hand=target.assessed_by_hand,
                ),
                user,
            )

    for activity in plan.activities.prefetch_related("goals", "indicators"):
        copy = Activity(
            plan=new,
            owner_unit=activity.owner_unit,
            kind=activity.kind,
            number=activity.number,
            name=activity.name,
            description=activity.description,
            background=activity.background,
            concretisation=activity.concretisation,
            status=(
                activity.status
                if activity.status in (ActivityStatus.DONE, ActivityStatus.CANCELLED)
                else ActivityStatus.PLANNED
            ),
            responsible=activity.responsible,
            issued_by=activity.issued_by,
            order=activity.order,
        )
        save(copy, user)
        copy.goals.set([goal_map[g.pk] for g in activity.goals.all() if g.pk in goal_map])
        copy.indicators.set(list(activity.indicators.all()))
    return new


def _shift_years_in_text(text: str, years: int) -> str:
    """'Verksamhetsplan 2022' -> 'Verksamhetsplan 2023'; '2022–2024' -> '2023–2025'."""
    import re

    return re.sub(r"\b(19|20)(\d{2})\b", lambda m: str(int(m.group(0)) + years), text)


def _successor(plan: Plan | None, year: int) -> Plan | None:
    """The superior unit's plan that covers `year` (a new superior plan may exist)."""
    if plan is None or plan.covers_year(year):
        return plan
    return (
        Plan.objects.filter(unit=plan.unit, start_year__lte=year, end_year__gte=year)
        .exclude(state=PlanState.ARCHIVED)
        .order_by("-start_year")
        .first()
    )


@service
def rename_plan_levels(*, user, plan_model: PlanModel, names: dict[int, tuple[str, str]]):
    """Rename the levels of an organisation's plan model: ``names`` maps a level (1, 2,
    ...) to its name and plural name. Needs "admin" on the organisation's top unit; a
    level left empty or unknown is refused with a message naming it."""
    if user is not None:
        require_organisation_wide(user, Action.ADMIN, plan_model.organisation_id)
    levels = {lvl.level: lvl for lvl in plan_model.levels.all()}
    changed = []
    for level, (name, plural) in sorted(names.items()):
        row = levels.get(level)
        if row is None:
            raise ValidationError(
                {"level": _("Styrmodellen har ingen nivå %(level)s.") % {"level": level}}
            )
        name, plural = " ".join((name or "").split()), " ".join((plural or "").split())
        if not name:
            raise ValidationError(
                {f"level_{level}": _("Ange ett namn för nivå %(level)s.") % {"level": level}}
            )
        if len(name) > 100 or len(plural) > 100:
            raise ValidationError(
                {
                    f"level_{level}": _("Namnet på nivå %(level)s är för långt (högst 100 tecken).")
                    % {"level": level}
                }
            )
        if (row.name, row.name_plural) != (name, plural):
            row.name, row.name_plural = name, plural
            changed.append(row)
    for row in changed:
        save(row, user)
    return changed
