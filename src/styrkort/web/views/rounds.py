"""Pages of the follow-up cycle: "Mina uppgifter" (the start page while one of the user's
organisations has an open round), the organisation's units × rounds overview, a round's
page and one unit's page in a round.

They read ``rounds.due`` (``overview``: every unit's state in a fixed number of queries;
``unit_due``: what one unit lacks) and never decide a rule themselves; their buttons post
to ``web.views.round_actions``, which call ``rounds.services`` and nothing else. What a
user may do on a row comes from the one permission function (``Scope.allows``) on the
row's path, so that a page of 969 units asks the database nothing per unit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from types import SimpleNamespace

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from styrkort.io.numbers import format_percent_value
from styrkort.organisation.models import Organisation, OrgUnit, UnitType
from styrkort.organisation.permissions import Action, can, require, scope_for
from styrkort.periods import PeriodError, parse_period
from styrkort.rounds import rules
from styrkort.rounds.due import overview, round_state, unit_due
from styrkort.rounds.models import ReportingRound, RoundState, Submission
from styrkort.rounds.services import content_digest
from styrkort.web.history import history_rows

from .base import period_label

#: Rows of one list on the start page; the round's page has them all.
MAX_ROWS = 50
#: Rounds side by side in the overview (latest first).
MAX_ROUNDS = 8


# --- what a page shows of a unit in a round ----------------------------------------------


def deadline_note(days_left: int) -> str:
    """'3 dagar kvar', 'Sista dag i dag', '2 dagar försenad', '9 veckor försenad', 'Mer än
    ett år försenad'."""
    if days_left > 0:
        return ngettext("%(n)s dag kvar", "%(n)s dagar kvar", days_left) % {"n": days_left}
    if days_left == 0:
        return _("Sista dag i dag")
    late = -days_left
    if late > 365:  # a past year's round still open (the demo's 2022 rounds)
        return _("Mer än ett år försenad")
    if late > 60:
        return _("%(n)s veckor försenad") % {"n": late // 7}
    return ngettext("%(n)s dag försenad", "%(n)s dagar försenad", late) % {"n": late}


def missing_text(missing: dict[str, int]) -> str:
    """'4 utfall, 1 målanalys, 2 aktiviteter' ('' when nothing is missing)."""
    parts = []
    if missing.get("outcomes"):
        n = missing["outcomes"]
        parts.append(ngettext("%(n)s utfall", "%(n)s utfall", n) % {"n": n})
    if missing.get("goal_analyses"):
        n = missing["goal_analyses"]
        parts.append(ngettext("%(n)s målanalys", "%(n)s målanalyser", n) % {"n": n})
    if missing.get("activities"):
        n = missing["activities"]
        parts.append(ngettext("%(n)s aktivitet", "%(n)s aktiviteter", n) % {"n": n})
    return ", ".join(parts)


def _allows(scope, action: Action, path: str, organisation_id: int) -> bool:
    return scope.allows(action, SimpleNamespace(path=path, organisation_id=organisation_id))


def annotate(items, user, organisation_id: int, round_open: bool) -> list:
    """Each UnitProgress with what `user` may do on it and its texts: `may_report`,
    `may_approve` (a planner of the unit above; of the top unit itself), `note` (days left
    or overdue, for units that still have work), `missing_text`, `indent`."""
    scope = scope_for(user)
    step = OrgUnit.steplen
    for item in items:
        # A unit reopened in a closed round is reported, marked ready and approved again.
        unit_open = round_open or item.reopened
        item.may_report = unit_open and _allows(scope, Action.REPORT, item.path, organisation_id)
        above = item.path[:-step] or item.path
        item.may_approve = unit_open and _allows(scope, Action.PLAN, above, organisation_id)
        waiting = item.state not in rules.DONE and item.state != rules.READY
        item.note = deadline_note(item.days_left) if round_open and waiting else ""
        item.missing_text = missing_text(item.missing)
        item.indent = item.depth - 1
    return items


@dataclass
class Progress:
    """How far a set of units has come: percent of what is due that is reported, units
    ready (or further), units approved (or excused)."""

    units: int
    reported_pct: float
    ready: int
    approved: int

    @property
    def reported_text(self) -> str:
        return format_percent_value(self.reported_pct, 0)


def progress(items) -> Progress:
    expected = sum(sum(i.expected.values()) for i in items)
    done = sum(sum(min(i.done.get(k, 0), v) for k, v in i.expected.items()) for i in items)
    return Progress(
        units=len(items),
        reported_pct=100.0 * done / expected if expected else 100.0,
        ready=sum(i.state in (rules.READY, rules.APPROVED) for i in items),
        approved=sum(i.state in rules.DONE for i in items),
    )


def level_names(organisation) -> dict[int, str]:
    """{tree depth: the unit types found at that depth}, e.g. {2: 'Division'} (one query)."""
    labels = dict(UnitType.choices)
    found: dict[int, set[str]] = {}
    for depth, kind in (
        OrgUnit.objects.filter(organisation=organisation).values_list("depth", "type").distinct()
    ):
        found.setdefault(depth, set()).add(str(labels.get(kind, kind)))
    return {depth: ", ".join(sorted(names)) for depth, names in sorted(found.items())}


def level_deadlines(rnd: ReportingRound, names: dict[int, str]) -> list[dict]:
    return [
        {
            "depth": int(depth),
            "name": names.get(int(depth), ""),
            "day": dt.date.fromisoformat(day),
        }
        for depth, day in sorted(rnd.level_deadlines.items(), key=lambda kv: int(kv[0]))
    ]


def round_url(rnd: ReportingRound) -> str:
    return reverse("round_page", args=[rnd.organisation.code, rnd.period])


# --- look-ups from the URL ----------------------------------------------------------------


def get_organisation(request, org_code: str) -> Organisation:
    """The organisation with `org_code`, or 404; 403 unless the user may see its units
    (a role in it, or an administrator: an organisation without units yet included)."""
    org = Organisation.objects.filter(code__iexact=org_code).first()
    if org is None:
        raise Http404(_("Organisationen %(code)s finns inte.") % {"code": org_code})
    require(
        request.user, Action.VIEW, SimpleNamespace(organisation_id=org.pk, path="", name=org.name)
    )
    return org


def get_round(request, org_code: str, period_text: str) -> ReportingRound:
    org = get_organisation(request, org_code)
    try:
        period = parse_period(period_text)
    except PeriodError as exc:
        raise Http404(str(exc)) from exc
    rnd = (
        ReportingRound.objects.select_related("organisation")
        .filter(organisation=org, period=period.canonical)
        .first()
    )
    if rnd is None:
        raise Http404(
            _("%(org)s har inget uppföljningstillfälle för %(period)s.")
            % {"org": org.name, "period": period_label(period)}
        )
    return rnd


def get_round_unit(rnd: ReportingRound, code: str) -> OrgUnit:
    unit = (
        OrgUnit.objects.select_related("organisation")
        .filter(organisation=rnd.organisation, code__iexact=code)
        .first()
    )
    if unit is None:
        raise Http404(_("Enheten %(code)s finns inte.") % {"code": code})
    return unit


def may_run_rounds(user, organisation) -> bool:
    """Planners of the top unit and admins open, extend, close and reopen rounds (the
    services check it again)."""
    top = OrgUnit.objects.filter(organisation=organisation).order_by("depth", "path").first()
    return top is not None and can(user, Action.PLAN, top)


def _round_info(rnd: ReportingRound, today: dt.date) -> dict:
    period = parse_period(rnd.period)
    return {
        "round": rnd,
        "label": period_label(period),
        "state": round_state(rnd, today),
        "url": round_url(rnd),
        "is_open": rnd.state == RoundState.OPEN,
    }


# --- "Mina uppgifter" -------------------------------------------------------------------


def open_rounds(user):
    scope = scope_for(user)
    rounds = ReportingRound.objects.filter(state=RoundState.OPEN).select_related("organisation")
    if not scope.superuser:
        rounds = rounds.filter(organisation_id__in=sorted(scope.organisation_ids))
    return list(rounds.order_by("organisation__name", "-period_end", "period_start"))


def _round_tasks(request, rnd: ReportingRound, today: dt.date) -> dict:
    user = request.user
    scope = scope_for(user)
    block = _round_info(rnd, today)
    acting = scope.superuser or scope.paths[Action.REPORT] or scope.paths[Action.PLAN]
    items: list = []
    if acting:
        units = OrgUnit.objects.filter(organisation_id=rnd.organisation_id)
        if not scope.superuser:
            units = units.filter(scope.q(Action.REPORT, "") | scope.q(Action.PLAN, ""))
        items = annotate(
            overview(rnd, units=units.values("pk"), today=today),
            user,
            rnd.organisation_id,
            round_open=True,
        )
    mine = [i for i in items if i.may_report]
    tasks = [i for i in mine if i.state not in rules.DONE]
    tasks.sort(key=lambda i: (i.state == rules.READY, i.deadline, i.path))
    approvable = [i for i in items if i.may_approve]
    plan_paths = scope.paths[Action.PLAN]
    top_depth = min((len(p) // OrgUnit.steplen for p in plan_paths), default=1)
    block.update(
        {
            "tasks": tasks[:MAX_ROWS],
            "more_tasks": max(len(tasks) - MAX_ROWS, 0),
            "my_progress": progress(mine) if mine else None,
            "is_planner": bool(approvable),
            "to_review": [i for i in approvable if i.state == rules.READY][:MAX_ROWS],
            "overdue": [i for i in approvable if i.overdue][:MAX_ROWS],
            "not_started": [i for i in approvable if i.state == rules.NOT_STARTED],
            "below": [i for i in approvable if i.depth <= top_depth + 1][:MAX_ROWS],
            "below_progress": progress(approvable) if approvable else None,
        }
    )
    return block


def my_tasks(request):
    """'Mina uppgifter' for every open round of the user's organisations; None when there
    is none (the start page is then the organisation tree)."""
    rounds = open_rounds(request.user)
    if not rounds:
        return None
    today = timezone.localdate()
    blocks = [_round_tasks(request, rnd, today) for rnd in rounds]
    return render(
        request,
        "web/rounds/my_tasks.html",
        {"blocks": blocks, "today": today, "next_url": reverse("home"), "tasks_page": True},
    )


# --- the organisation's units × rounds --------------------------------------------------


@login_required
def round_index(request):
    """'Uppföljning' in the menu: the overview of the user's organisation (or a choice)."""
    scope = scope_for(request.user)
    orgs = Organisation.objects.order_by("name")
    if not scope.superuser:
        orgs = orgs.filter(pk__in=sorted(scope.organisation_ids))
    orgs = list(orgs)
    if len(orgs) == 1:
        return redirect("round_overview", orgs[0].code)
    return render(request, "web/rounds/index.html", {"organisations": orgs})


def overview_context(request, org, open_form=None) -> dict:
    """Rows = the units that report in any of the organisation's latest rounds (tree
    order), columns = the rounds, latest first. overview() per round: the number of
    queries grows with the rounds shown, never with the units."""
    from styrkort.web.forms.rounds import OpenRoundForm

    today = timezone.localdate()
    rounds = list(
        ReportingRound.objects.filter(organisation=org)
        .select_related("organisation")
        .order_by("-period_end", "period_start")[:MAX_ROUNDS]
    )
    columns, rows = [], {}
    for rnd in rounds:
        info = _round_info(rnd, today)
        by_unit = {}
        for item in overview(rnd, today=today):
            by_unit[item.unit_id] = item
            rows.setdefault(item.path, item)
        info["cells"] = by_unit
        columns.append(info)
    units = [rows[p] for p in sorted(rows)]
    for unit in units:
        unit.cells = [
            {
                "item": col["cells"].get(unit.unit_id),
                "label": col["label"],
                "closed": not col["is_open"],
            }
            for col in columns
        ]
        unit.indent = unit.depth - 1
    may_run = may_run_rounds(request.user, org)
    if may_run and open_form is None:
        open_form = OpenRoundForm(levels=level_names(org))
    return {
        "organisation": org,
        "has_units": bool(units) or OrgUnit.objects.filter(organisation=org).exists(),
        "columns": columns,
        "units": units,
        "may_run": may_run,
        "open_form": open_form if may_run else None,
    }


@login_required
def round_overview(request, org):
    organisation = get_organisation(request, org)
    return render(request, "web/rounds/overview.html", overview_context(request, organisation))


# --- one round ----------------------------------------------------------------------------


def round_context(request, rnd: ReportingRound, *, extend_form=None, reopen_form=None) -> dict:
    from styrkort.web.forms.rounds import ExtendRoundForm, ReasonForm

    today = timezone.localdate()
    names = level_names(rnd.organisation)
    is_open = rnd.state == RoundState.OPEN
    items = annotate(overview(rnd, today=today), request.user, rnd.organisation_id, is_open)
    may_run = may_run_rounds(request.user, rnd.organisation)
    reopened = [i for i in items if i.reopened] if not is_open else []
    if may_run and extend_form is None:
        extend_form = ExtendRoundForm(
            levels=names,
            initial={"deadline": rnd.deadline}
            | {f"level_{k}": v for k, v in rnd.level_deadlines.items()},
        )
    if may_run and reopen_form is None:
        reopen_form = ReasonForm(prefix="reopen")
    return {
        **_round_info(rnd, today),
        "organisation": rnd.organisation,
        "levels": level_deadlines(rnd, names),
        "items": items,
        "progress": progress(items),
        "may_run": may_run,
        "extend_form": extend_form if may_run and is_open else None,
        "reopen_form": reopen_form if may_run and not is_open else None,
        "reopened_names": ", ".join(i.name for i in reopened),
        "reopened_count": len(reopened),
        "overdue_count": sum(i.overdue for i in items) if is_open else 0,
        "not_open": not is_open,
        "next_url": round_url(rnd),
    }


@login_required
def round_page(request, org, period):
    rnd = get_round(request, org, period)
    return render(request, "web/rounds/round.html", round_context(request, rnd))


# --- one unit in a round ------------------------------------------------------------------


def _history_labels() -> dict[str, str]:
    # Labels in the request's language (the module's dict was built at import).
    return {
        "state": _("Status"),
        "excused": _("Undantagen"),
        "excuse_reason": _("Skäl till undantag"),
        "comment": _("Kommentar"),
        "ready_by": _("Klarmarkerad av"),
        "approved_by": _("Godkänd av"),
        "reopened": _("Återöppnad"),
    }


SEX_ORDER = ["total", "women", "men"]


def _submission_history(submission) -> list:
    """The submission's changes, newest first (web.history); a creation lists only what
    it set beyond the defaults (not "Undantagen: Nej")."""
    rows = history_rows(submission.history.all(), _history_labels())
    no = _("Nej")
    return [
        replace(row, changes=tuple(c for c in row.changes if c.new != no))
        if row.action == _("Skapad")
        else row
        for row in rows
    ]


def _due_links(unit, period_text: str, due) -> dict:
    """What is missing, each with the page where it is entered."""
    query = f"?period={period_text}"
    reporting = reverse("reporting", args=[unit.code]) + query
    return {
        "outcomes": [
            {
                "indicator": ind,
                "sexes": sorted(sexes, key=SEX_ORDER.index),
                "url": f"{reporting}#rad-{ind.code}",
            }
            for ind, sexes in due.outcomes
        ],
        "analyses": [
            {"indicator": ind, "url": f"{reporting}#rad-{ind.code}"} for ind in due.analyses
        ],
        "goal_analyses": [
            {"goal": goal, "url": reverse("goal_followup", args=[unit.code, goal.pk]) + query}
            for goal in due.goal_analyses
        ],
        "activities": [
            {
                "activity": act,
                "url": reverse("activity_list", args=[unit.code])
                + f"{query}#act-{act.pk}-{unit.pk}",
            }
            for act in due.activities
        ],
        "controls": [
            {
                "control": control,
                "url": reverse("control_result", args=[unit.code, control.pk, period_text]),
            }
            for control in due.controls
        ],
        "forecast_url": reverse("economy", args=[unit.code]) if due.forecast else "",
        "count": due.count,
    }


def round_unit_context(request, rnd: ReportingRound, unit: OrgUnit) -> dict:
    today = timezone.localdate()
    is_open = rnd.state == RoundState.OPEN
    found = overview(rnd, units=[unit.pk], today=today)
    if not found:
        raise Http404(
            _("%(unit)s rapporterar inte i %(period)s.")
            % {"unit": unit.name, "period": period_label(parse_period(rnd.period))}
        )
    item = annotate(found, request.user, rnd.organisation_id, is_open)[0]
    submission = Submission.objects.get(pk=item.submission_id)
    changed = bool(submission.approved_digest) and (
        content_digest(rnd, unit) != submission.approved_digest
    )
    names = level_names(rnd.organisation)
    above = unit.path[: -OrgUnit.steplen] or unit.path
    approver = _allows(scope_for(request.user), Action.PLAN, above, unit.organisation_id)
    return {
        **_round_info(rnd, today),
        "organisation": rnd.organisation,
        "unit": unit,
        "item": item,
        "submission": submission,
        "level_name": names.get(unit.depth, ""),
        "changed_since_approval": changed,
        "not_open": not is_open,
        "due": _due_links(unit, rnd.period, unit_due(rnd, unit)),
        "history": _submission_history(submission),
        "may_reopen": approver
        and (item.state == rules.APPROVED or (not is_open and not submission.reopened)),
        "next_url": reverse("round_unit", args=[rnd.organisation.code, rnd.period, unit.code]),
    }


@login_required
def round_unit(request, org, period, code):
    rnd = get_round(request, org, period)
    unit = get_round_unit(rnd, code)
    return render(request, "web/rounds/unit.html", round_unit_context(request, rnd, unit))


def messages_of(exc: ValidationError) -> list[str]:
    """The Swedish sentences of a service's ValidationError."""
    if hasattr(exc, "message_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(exc.messages)
