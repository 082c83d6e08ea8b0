"""Activities and assignments of a unit's plan: status and comment per reporting point,
the cascaded konkretisering answers of each sub-unit, and stale statuses flagged (which
activities, which answer and when it is stale: `planning.rules`, as on the scorecard)."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from styrkort.organisation.models import OrgUnit
from styrkort.organisation.permissions import Action, can
from styrkort.planning.models import Activity, ActivityKind, ActivityReport, ActivityStatus, Goal
from styrkort.planning.rules import (
    ActivityRole,
    activity_answer,
    activity_role,
    stale_message,
    stale_reason,
)
from styrkort.planning.services import report_activity
from styrkort.rounds.locks import LockIndex

from .base import applicable_plan, children_valid_in, get_unit, resolve_period, unit_context


def _answer(activity, unit, role, report, today, user, period, locks=None) -> dict:
    """One unit's answer to an activity for the period, as `planning.rules` reads it;
    read-only with the reason when a reporting round has locked the period (`locks`, a
    rounds.locks.LockIndex of the unit's organisation)."""
    locks = locks or LockIndex([unit.organisation_id])
    locked = locks.reason(unit, period.start, period.end)
    answer = activity_answer(
        role or ActivityRole.CASCADED,  # a unit refused by report_activity: nothing to show
        activity_status=activity.status,
        report=(report.status, report.comment) if report else None,
    )
    reason = stale_reason(answer.status, activity.start_date, today, answer.comment)
    return {
        "unit": unit,
        "report": report,
        "status": answer.status,
        "comment": answer.comment,
        "stale": stale_message(reason, activity.start_date),
        "can_edit": locked is None and can(user, Action.REPORT, unit),
        "locked": locked.messages[0] if locked is not None else "",
        "form_id": f"act-{activity.pk}-{unit.pk}",
        "post_url": reverse("activity_report", args=[unit.code, activity.pk])
        + f"?period={period.canonical}",
    }


def _role(activity, unit, plan) -> ActivityRole | None:
    return activity_role(
        unit_path=unit.path,
        owner_path=activity.owner_unit.path,
        plan_unit_path=plan.unit.path,
        cascaded=bool(activity.concretisation),
    )


def _activity_rows(unit, period, user, plan, kind=None, goal_id=None):
    """The activities of `plan` the unit answers (its own, and those cascaded to it by a
    superior owner's konkretisering) or holds (its plan's activities owned by a unit
    below: shown with the owner's answer), each with its answers for the period."""
    today = timezone.localdate()
    locks = LockIndex([unit.organisation_id])
    children = list(children_valid_in(unit, period))
    units_by_id = {u.pk: u for u in [unit, *children]}
    queryset = (
        Activity.objects.filter(plan=plan)
        .select_related("owner_unit")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.order_by("level", "order")),
            Prefetch(
                "reports",
                queryset=ActivityReport.objects.filter(period=period.canonical).filter(
                    Q(unit__in=list(units_by_id)) | Q(unit=F("activity__owner_unit"))
                ),
                to_attr="period_reports",
            ),
        )
        .order_by("order", "id")
    )
    if kind:
        queryset = queryset.filter(kind=kind)
    if goal_id:
        queryset = queryset.filter(goals__id=goal_id)
    rows = []
    for activity in queryset:
        role = _role(activity, unit, plan)
        if role is None:
            continue  # another unit's activity, listed on its page
        owner = activity.owner_unit
        reports = {r.unit_id: r for r in activity.period_reports}
        if role is ActivityRole.PLAN_HOLDER:  # the owner's answer, edited as the owner
            main = _answer(
                activity,
                owner,
                ActivityRole.OWNER,
                reports.get(owner.pk),
                today,
                user,
                period,
                locks,
            )
        else:
            main = _answer(activity, unit, role, reports.get(unit.pk), today, user, period, locks)
        sub_answers = []
        if activity.concretisation and role is ActivityRole.OWNER:
            sub_answers = [
                _answer(
                    activity,
                    child,
                    ActivityRole.CASCADED,
                    reports.get(child.pk),
                    today,
                    user,
                    period,
                    locks,
                )
                for child in children
            ]
        rows.append(
            {
                "activity": activity,
                "goals": list(activity.goals.all()),
                "main": main,
                "sub_answers": sub_answers,
                "cascaded_from": owner if role is ActivityRole.CASCADED else None,
                "owned_by": owner if role is ActivityRole.PLAN_HOLDER else None,
            }
        )
    return rows


def activity_filters(request) -> tuple[str, int | None]:
    """The list's filters from the query string: the kind (``typ``; "" for all) and the
    goal (``mal``; None for all); anything else is no filter."""
    kind = request.GET.get("typ") or ""
    if kind not in ActivityKind.values:
        kind = ""
    goal_id = request.GET.get("mal") or ""
    return kind, int(goal_id) if goal_id.isdigit() else None


@login_required
def activity_list(request, code):
    unit = get_unit(request, code, Action.VIEW)
    period, period_error = resolve_period(request, unit)
    plan = applicable_plan(unit, period.year)
    kind, goal_id = activity_filters(request)
    rows = _activity_rows(unit, period, request.user, plan, kind, goal_id) if plan else []
    goals = list(Goal.objects.filter(plan=plan).order_by("level", "order", "id")) if plan else []
    goals_by_id = {g.pk: g for g in goals}
    sections = defaultdict(list)
    for row in rows:
        first = row["goals"][0] if row["goals"] else None
        top = first
        while top is not None and top.parent_id:
            top = goals_by_id.get(top.parent_id)
        sections[top].append(row)
    counts = defaultdict(int)
    stale = 0
    for row in rows:
        counts[row["main"]["status"]] += 1
        stale += bool(row["main"]["stale"]) + sum(bool(a["stale"]) for a in row["sub_answers"])
    context = unit_context(request, unit, period, "activities")
    context.update(
        {
            "plan": plan,
            "sections": [{"goal": g, "rows": r} for g, r in sections.items()],
            "row_count": len(rows),
            "counts": [(s, counts[s]) for s in ActivityStatus.values if counts[s]],
            "stale_count": stale,
            "kind": kind,
            "kinds": ActivityKind.choices,
            "goal_filter": goal_id,
            "goal_choices": [g for g in goals if g.level <= 3],
            "statuses": ActivityStatus.choices,
            "period_error": period_error,
        }
    )
    return render(request, "web/activity_list.html", context)


@login_required
@require_POST
def activity_report(request, code, activity_id):
    """Save one unit's status and comment on an activity for the period (htmx or plain)."""
    unit = get_unit(request, code, Action.REPORT)
    period, period_error = resolve_period(request, unit)
    activity = (
        Activity.objects.select_related("owner_unit", "plan__unit").filter(pk=activity_id).first()
    )
    if activity is None or activity.owner_unit.organisation_id != unit.organisation_id:
        raise Http404(_("Aktiviteten finns inte."))
    status = request.POST.get("status", "")
    comment = request.POST.get("comment", "")
    errors = {}
    if period_error:
        errors["general"] = period_error
    else:
        try:
            report_activity(
                user=request.user,
                activity=activity,
                unit=unit,
                period=period,
                status=status,
                comment=comment,
            )
        except ValidationError as exc:
            for field, messages_ in exc.message_dict.items():
                errors[field if field in ("status", "comment") else "general"] = messages_[0]
    if not request.htmx and not errors:
        return redirect(
            reverse("activity_list", args=[_list_unit(activity, unit).code])
            + f"?period={period.canonical}"
        )
    activity.refresh_from_db()
    report = ActivityReport.objects.filter(
        activity=activity, unit=unit, period=period.canonical
    ).first()
    plan = activity.plan
    role = _role(activity, unit, plan)
    answer = _answer(activity, unit, role, report, timezone.localdate(), request.user, period)
    if errors:
        answer.update({"status": status, "comment": comment})
    context = unit_context(request, unit, period, "activities")
    context.update(
        {
            "answer": answer,
            "activity": activity,
            "errors": errors,
            "saved": not errors,
            "statuses": ActivityStatus.choices,
        }
    )
    template = "web/_activity_answer.html" if request.htmx else "web/activity_answer_page.html"
    return render(request, template, context, status=422 if errors else 200)


def _list_unit(activity, unit) -> OrgUnit:
    """After a plain form post, go back to the list where the answer was shown."""
    return activity.owner_unit if unit.pk != activity.owner_unit_id else unit
