"""Planning pages: a unit's plans, a plan's goal tree with indicators and targets, and for
a planner the editing of goals (with links to the superior plan), indicator placements and
targets, activities and assignments, copying a plan into the next year, adopting a draft.
Every write goes through styrkort.planning.services; every edit page needs the `plan`
permission on the plan's unit. A draft is shown to those who may plan it only (others get
404); every change of an adopted plan asks for a reason (a revision)."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from styrkort.organisation.lookup import ancestor_paths
from styrkort.organisation.permissions import Action, can, require
from styrkort.periods import year_span
from styrkort.planning import services
from styrkort.planning.models import (
    Activity,
    ActivityKind,
    Goal,
    Plan,
    PlanIndicator,
    PlanState,
    Target,
)
from styrkort.planning.target_reading import TargetReading, target_reading
from styrkort.web.forms import (
    ActivityForm,
    GoalForm,
    PlacementDetailsForm,
    PlacementForm,
    TargetForm,
)
from styrkort.web.forms.plans import AdoptPlanForm, ask_reason, reason_of

from .base import get_unit, unit_context


def _plan(request, plan_code: str, action=Action.VIEW) -> Plan:
    plan = (
        Plan.objects.select_related("unit__organisation", "plan_model", "superior_plan__unit")
        .filter(code=plan_code)
        .first()
    )
    if plan is None or not visible(request.user, plan):
        raise Http404(_("Planen finns inte."))
    require(request.user, action, plan.unit)
    return plan


def visible(user, plan: Plan) -> bool:
    """A draft is shown to those who may plan its unit (planners of the unit's subtree
    above it, admins) and to nobody else; other plans to everyone who may see the unit."""
    return plan.state != PlanState.DRAFT or can(user, Action.PLAN, plan.unit)


def _plan_context(request, plan: Plan, **extra) -> dict:
    context = unit_context(request, plan.unit, None, "plans")
    context.update(
        {
            "plan": plan,
            "can_plan": can(request.user, Action.PLAN, plan.unit),
            "adopted": plan.state == PlanState.ADOPTED,
        }
    )
    context.update(extra)
    return context


def _reason(request) -> str:
    return (request.POST.get("reason") or "").strip()


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _superior_goals(plan: Plan):
    """Goals a goal of `plan` may link to: those of the superior plan, else of plans of
    superior units covering the plan's first year."""
    if plan.superior_plan_id:
        return Goal.objects.filter(plan_id=plan.superior_plan_id).select_related("plan")
    return Goal.objects.filter(
        plan__unit__path__in=ancestor_paths(plan.unit),
        plan__start_year__lte=plan.start_year,
        plan__end_year__gte=plan.start_year,
    ).select_related("plan")


@login_required
def plan_list(request, code):
    unit = get_unit(request, code, Action.VIEW)
    plans = [
        plan
        for plan in Plan.objects.filter(unit__path__in=ancestor_paths(unit, include_self=True))
        .select_related("unit__organisation")
        .order_by("-unit__depth", "-start_year")
        if visible(request.user, plan)
    ]
    context = unit_context(request, unit, None, "plans")
    context.update(
        {
            "own_plans": [p for p in plans if p.unit_id == unit.pk],
            "superior_plans": [p for p in plans if p.unit_id != unit.pk],
        }
    )
    return render(request, "web/plan_list.html", context)


@login_required
def plan_detail(request, plan_code, adopt_form=None):
    plan = _plan(request, plan_code)
    goals = list(plan.goals.order_by("level", "order", "id").prefetch_related("linked_goals__plan"))
    placements = defaultdict(list)
    for placement in (
        PlanIndicator.objects.filter(plan=plan)
        .select_related("indicator")
        .prefetch_related("targets__unit")
        .order_by("order", "id")
    ):
        placements[placement.goal_id].append(placement)
    children = defaultdict(list)
    for goal in goals:
        children[goal.parent_id].append(goal)
    ordered = []

    def walk(parent_id, depth):
        for goal in children.get(parent_id, []):
            ordered.append({"goal": goal, "depth": depth, "placements": placements[goal.pk]})
            walk(goal.pk, depth + 1)

    walk(None, 1)
    copies = [c for c in plan.copies.select_related("unit") if visible(request.user, c)]
    activities = list(
        Activity.objects.filter(plan=plan).select_related("owner_unit").order_by("order", "id")
    )
    context = _plan_context(
        request,
        plan,
        rows=ordered,
        activities=activities,
        level_names={lvl.level: lvl.name for lvl in plan.plan_model.levels.all()},
        copies=copies,
        adopt_form=adopt_form or AdoptPlanForm(),
        revisions=list(plan.revisions.select_related("user")[:5]),
    )
    return render(request, "web/plan_detail.html", context, status=422 if adopt_form else 200)


@login_required
@require_POST
def plan_adopt(request, plan_code):
    """Adopt a draft (fastställ): the deciding body, the date and the reference."""
    plan = _plan(request, plan_code, Action.PLAN)
    form = AdoptPlanForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.adopt_plan(
                user=request.user,
                plan=plan,
                body=data["body"],
                date=data["date"],
                reference=data["reference"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Planen är fastställd: %(body)s %(date)s, %(reference)s.")
                % {
                    "body": plan.decision_body,
                    "date": plan.decision_date.isoformat(),
                    "reference": plan.decision_ref,
                },
            )
            return redirect("plan_detail", plan_code=plan.code)
    return plan_detail(request, plan_code, adopt_form=form)


@login_required
@require_POST
def plan_copy(request, plan_code):
    plan = _plan(request, plan_code, Action.PLAN)
    try:
        new = services.copy_plan(user=request.user, plan=plan)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("plan_detail", plan_code=plan.code)
    messages.success(
        request,
        _("Planen är kopierad till %(years)s som utkast: %(name)s.")
        % {"years": year_span(new.start_year, new.end_year), "name": new.name},
    )
    return redirect("plan_detail", plan_code=new.code)


def _goal_from(plan, goal_id) -> Goal:
    goal = Goal.objects.filter(plan=plan, pk=goal_id).first()
    if goal is None:
        raise Http404(_("Målet finns inte i planen."))
    return goal


@login_required
def goal_create(request, plan_code):
    plan = _plan(request, plan_code, Action.PLAN)
    parent_id = request.GET.get("overordnat") or request.POST.get("parent") or ""
    parent = _goal_from(plan, int(parent_id)) if parent_id.isdigit() else None
    form = ask_reason(GoalForm(request.POST or None, superior_goals=_superior_goals(plan)), plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.create_goal(
                user=request.user,
                plan=plan,
                reason=reason_of(form),
                parent=parent,
                name=data["name"],
                code=data["code"],
                description=data["description"],
                planning_comment=data["planning_comment"],
                order=data["order"],
                linked_goals=list(data["linked_goals"]),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Målet ”%(name)s” är skapat.") % {"name": data["name"]})
            return redirect("plan_detail", plan_code=plan.code)
    level = parent.level + 1 if parent else 1
    context = _plan_context(
        request,
        plan,
        form=form,
        parent=parent,
        level_name=plan.plan_model.level_name(level),
        heading=_("Nytt mål"),
    )
    return render(request, "web/goal_form.html", context)


@login_required
def goal_edit(request, plan_code, goal_id):
    plan = _plan(request, plan_code, Action.PLAN)
    goal = _goal_from(plan, goal_id)
    initial = {
        "name": goal.name,
        "code": goal.code,
        "description": goal.description,
        "planning_comment": goal.planning_comment,
        "order": goal.order,
        "linked_goals": list(goal.linked_goals.all()),
    }
    form = ask_reason(
        GoalForm(request.POST or None, initial=initial, superior_goals=_superior_goals(plan)), plan
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_goal(
                user=request.user,
                goal=goal,
                reason=reason_of(form),
                linked_goals=list(data["linked_goals"]),
                name=data["name"],
                code=data["code"],
                description=data["description"],
                planning_comment=data["planning_comment"],
                order=data["order"] if data["order"] is not None else goal.order,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Målet är sparat."))
            return redirect("plan_detail", plan_code=plan.code)
    context = _plan_context(
        request,
        plan,
        form=form,
        goal=goal,
        parent=goal.parent,
        level_name=plan.plan_model.level_name(goal.level),
        heading=_("Ändra mål"),
    )
    return render(request, "web/goal_form.html", context)


@login_required
def goal_delete(request, plan_code, goal_id):
    plan = _plan(request, plan_code, Action.PLAN)
    goal = _goal_from(plan, goal_id)
    if request.method == "POST":
        try:
            services.delete_goal(user=request.user, goal=goal, reason=_reason(request))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("goal_delete", plan_code=plan.code, goal_id=goal.pk)
        messages.success(request, _("Målet ”%(name)s” är borttaget.") % {"name": goal.name})
        return redirect("plan_detail", plan_code=plan.code)
    return render(request, "web/goal_delete.html", _plan_context(request, plan, goal=goal))


@login_required
def placement_create(request, plan_code, goal_id):
    plan = _plan(request, plan_code, Action.PLAN)
    goal = _goal_from(plan, goal_id)
    form = ask_reason(
        PlacementForm(
            request.POST or None,
            organisation=plan.unit.organisation,
            initial={"target_year": plan.start_year},
        ),
        plan,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with_transaction = _create_placement(request.user, plan, goal, data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Indikatorn ”%(name)s” är kopplad till målet.")
                % {"name": with_transaction.indicator.name},
            )
            return redirect("plan_detail", plan_code=plan.code)
    context = _plan_context(
        request, plan, form=form, goal=goal, reading=_posted_reading(request, "target_text")
    )
    return render(request, "web/placement_form.html", context)


def _create_placement(user, plan, goal, data) -> PlanIndicator:
    from django.db import transaction

    reason = data.get("reason", "")
    with transaction.atomic():
        indicator = data["indicator"]
        if indicator is None:
            indicator = services.create_indicator(
                user=user,
                plan=plan,
                code=data["new_code"],
                name=data["new_name"],
                unit=data["new_unit"] or "st",
                direction=data["new_direction"] or "higher",
                aggregation=data["new_aggregation"] or "sum",
                by_sex=data["new_by_sex"],
                source=data["new_source"],
                kolada_kpi=data.get("new_kolada_kpi", ""),
                definition=data["new_definition"],
            )
        placement = services.place_indicator(
            user=user,
            reason=reason,
            goal=goal,
            indicator=indicator,
            baseline_text=data["baseline_text"],
            reporting_points=data["reporting_points"],
        )
        if data.get("target_text"):
            services.set_target(
                user=user,
                reason=reason,
                placement=placement,
                year=data["target_year"],
                text=data["target_text"],
                assessed_by_hand=data["target_assessed_by_hand"],
            )
    return placement


def _posted_reading(request, name: str) -> TargetReading | None:
    """The parser's reading of a posted target text, shown beside a refused form."""
    text = (request.POST.get(name) or "").strip() if request.method == "POST" else ""
    return target_reading(text) if text else None


@login_required
def target_reading_fragment(request):
    """How the parser reads a target text as it is typed (htmx fragment of the target
    forms). Reading a text writes nothing and reveals nothing but the parser's rules."""
    text = next(
        (request.GET[k] for k in ("target-text", "target_text", "text") if k in request.GET), ""
    )
    reading = target_reading(text.strip()[:300]) if text.strip() else None
    return render(request, "web/_target_reading.html", {"reading": reading})


def _placement_from(plan, placement_id) -> PlanIndicator:
    placement = (
        PlanIndicator.objects.select_related("indicator", "goal", "plan__unit")
        .filter(plan=plan, pk=placement_id)
        .first()
    )
    if placement is None:
        raise Http404(_("Indikatorn finns inte i planen."))
    return placement


@login_required
def placement_edit(request, plan_code, placement_id):
    """A placed indicator's targets (add or replace one per year) and baseline."""
    plan = _plan(request, plan_code, Action.PLAN)
    placement = _placement_from(plan, placement_id)
    target_form = ask_reason(
        TargetForm(
            request.POST if request.POST.get("form") == "target" else None,
            initial={"year": plan.start_year},
            prefix="target",
        ),
        plan,
    )
    details_form = ask_reason(
        PlacementDetailsForm(
            request.POST if request.POST.get("form") == "details" else None,
            initial={
                "baseline_text": placement.baseline_text,
                "baseline_period": placement.baseline_period,
                "reporting_points": placement.reporting_points,
                "order": placement.order,
            },
            prefix="details",
        ),
        plan,
    )
    if request.method == "POST":
        if request.POST.get("form") == "target" and target_form.is_valid():
            data = target_form.cleaned_data
            try:
                target = services.set_target(
                    user=request.user,
                    reason=reason_of(target_form),
                    placement=placement,
                    year=data["year"],
                    text=data["text"],
                    is_long_term=data["is_long_term"],
                    assessed_by_hand=data["assessed_by_hand"],
                )
            except ValidationError as exc:
                _apply_errors(target_form, exc)
            else:
                saved = _("Målvärdet för %(year)s är sparat: %(text)s.")
                if target.assessed_by_hand:
                    saved = _(
                        "Målvärdet för %(year)s är sparat: %(text)s. Det bedöms manuellt: "
                        "måluppfyllelsen sätts i en manuell bedömning."
                    )
                messages.success(request, saved % {"year": target.year, "text": target.text})
                return redirect("placement_edit", plan_code=plan.code, placement_id=placement.pk)
        elif request.POST.get("form") == "details" and details_form.is_valid():
            data = details_form.cleaned_data
            try:
                services.update_placement(
                    user=request.user,
                    reason=reason_of(details_form),
                    placement=placement,
                    baseline_text=data["baseline_text"],
                    baseline_period=data["baseline_period"],
                    reporting_points=data["reporting_points"],
                    order=data["order"] if data["order"] is not None else placement.order,
                )
            except ValidationError as exc:
                _apply_errors(details_form, exc)
            else:
                messages.success(request, _("Uppgifterna är sparade."))
                return redirect("placement_edit", plan_code=plan.code, placement_id=placement.pk)
    context = _plan_context(
        request,
        plan,
        placement=placement,
        targets=list(placement.targets.select_related("unit").order_by("is_long_term", "year")),
        target_form=target_form,
        details_form=details_form,
        reading=_posted_reading(request, "target-text"),
    )
    return render(request, "web/placement_edit.html", context)


@login_required
@require_POST
def placement_delete(request, plan_code, placement_id):
    plan = _plan(request, plan_code, Action.PLAN)
    placement = _placement_from(plan, placement_id)
    try:
        services.remove_placement(user=request.user, placement=placement, reason=_reason(request))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("placement_edit", plan_code=plan.code, placement_id=placement.pk)
    messages.success(
        request,
        _("Indikatorn ”%(name)s” är borttagen från målet.") % {"name": placement.indicator.name},
    )
    return redirect("plan_detail", plan_code=plan.code)


@login_required
@require_POST
def target_delete(request, plan_code, target_id):
    plan = _plan(request, plan_code, Action.PLAN)
    target = (
        Target.objects.select_related("placement")
        .filter(pk=target_id, placement__plan=plan)
        .first()
    )
    if target is None:
        raise Http404(_("Målvärdet finns inte."))
    try:
        services.delete_target(user=request.user, target=target, reason=_reason(request))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Målvärdet är borttaget."))
    return redirect(reverse("placement_edit", args=[plan.code, target.placement_id]))


# --- activities and assignments ------------------------------------------------------------

# The activity form's fields are the service's.
ACTIVITY_DATA = services.ACTIVITY_FIELDS


def _activity_form_page(request, plan, form, activity=None, status=200):
    kind = form["kind"].value() or ActivityKind.ACTIVITY
    if activity is not None:
        heading = (
            _("Ändra uppdrag") if activity.kind == ActivityKind.ASSIGNMENT else _("Ändra aktivitet")
        )
    else:
        heading = _("Nytt uppdrag") if kind == ActivityKind.ASSIGNMENT else _("Ny aktivitet")
    context = _plan_context(request, plan, form=form, activity=activity, heading=heading)
    return render(request, "web/activity_form.html", context, status=status)


@login_required
def activity_create(request, plan_code):
    """A new activity (or, with ?typ=uppdrag, an assignment) in the plan."""
    plan = _plan(request, plan_code, Action.PLAN)
    kind = (
        ActivityKind.ASSIGNMENT
        if request.GET.get("typ") in ("uppdrag", ActivityKind.ASSIGNMENT)
        else ActivityKind.ACTIVITY
    )
    form = ask_reason(
        ActivityForm(
            request.POST or None,
            plan=plan,
            initial={"kind": kind, "owner_unit": plan.unit.pk, "status": "planned"},
        ),
        plan,
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                activity = services.create_activity(
                    user=request.user,
                    reason=reason_of(form),
                    plan=plan,
                    owner_unit=data["owner_unit"],
                    goals=list(data["goals"]),
                    indicators=list(data["indicators"]),
                    **{key: data[key] for key in ACTIVITY_DATA},
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("”%(name)s” är skapad.") % {"name": activity.name},
                )
                return redirect(reverse("plan_detail", args=[plan.code]) + "#aktiviteter")
        return _activity_form_page(request, plan, form, status=422)
    return _activity_form_page(request, plan, form)


@login_required
def activity_edit(request, plan_code, activity_id):
    plan = _plan(request, plan_code, Action.PLAN)
    activity = (
        Activity.objects.select_related("owner_unit", "plan__unit")
        .filter(plan=plan, pk=activity_id)
        .first()
    )
    if activity is None:
        raise Http404(_("Aktiviteten finns inte i planen."))
    require(request.user, Action.PLAN, activity.owner_unit)
    initial = {key: getattr(activity, key) for key in ACTIVITY_DATA}
    initial.update(
        {
            "owner_unit": activity.owner_unit_id,
            "goals": list(activity.goals.all()),
            "indicators": list(activity.indicators.all()),
        }
    )
    form = ask_reason(ActivityForm(request.POST or None, plan=plan, initial=initial), plan)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            values = {key: data[key] for key in ACTIVITY_DATA}
            if values["order"] is None:
                values["order"] = activity.order
            try:
                services.update_activity(
                    user=request.user,
                    reason=reason_of(form),
                    activity=activity,
                    owner_unit=data["owner_unit"],
                    goals=list(data["goals"]),
                    indicators=list(data["indicators"]),
                    **values,
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("”%(name)s” är sparad.") % {"name": activity.name})
                return redirect(reverse("plan_detail", args=[plan.code]) + "#aktiviteter")
        return _activity_form_page(request, plan, form, activity, status=422)
    return _activity_form_page(request, plan, form, activity)
