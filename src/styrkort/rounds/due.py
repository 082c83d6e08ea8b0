"""What a round asks of each unit, and how far each unit has come.

`overview(round)` gives every unit's state, deadline and counts of what is missing in
a fixed number of queries, however many units the organisation has (the region's
units × rounds page, "Mina uppgifter", ``styrkort round status``). `unit_due(round,
unit)` lists for one unit what exactly is missing (the reporting page's "only what is
missing").

What is due, from the plan that applies to the unit (``planning.rules.plan_rank``):
- an outcome for every indicator reported at the round's reporting point (its
  placement's or else its own "Period" text names the point, or says nothing), per sex
  where the indicator is split;
- an analysis for every indicator that is not met (``unit_due`` only: it needs the
  evaluation);
- a goal analysis for each top-level goal of the unit's own plan;
- a status confirmed in this round for every activity the unit owns. A status carried
  over from an earlier round is not a report (seed 002: most activities read
  "planerad" because nobody confirmed them);
- where the unit has them: a result for every internal-control check due at the point
  (checks done at every follow-up or every tertial, and yearly checks at ÅR), and, at
  DÅ04 and DÅ08 for a unit with a budget for the year, a full-year forecast saved since
  the round opened.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db.models import Count, F, Q
from django.utils import timezone

from styrkort.followup.models import Analysis, Outcome
from styrkort.organisation.models import OrgUnit
from styrkort.periods import parse_period, parse_reporting_point_list
from styrkort.planning.models import (
    Activity,
    ActivityReport,
    Goal,
    Plan,
    PlanIndicator,
    PlanState,
)
from styrkort.planning.models.activities import ActivityStatus
from styrkort.planning.rules import plan_rank

from . import rules
from .models import ReportingRound, RoundState, Submission

_SUB_FIELDS = (
    "id",
    "unit_id",
    "unit__code",
    "unit__name",
    "unit__depth",
    "unit__path",
    "state",
    "excused",
    "excuse_reason",
    "comment",
    "ready_at",
    "approved_at",
    "ready_by__first_name",
    "ready_by__last_name",
    "ready_by__username",
    "approved_by__first_name",
    "approved_by__last_name",
    "approved_by__username",
    "reopened",
    "ready_by_id",
)


def _name(first: str | None, last: str | None, username: str | None) -> str | None:
    """A person's full name, else their user name (as User.get_full_name does)."""
    if username is None:
        return None
    return f"{first or ''} {last or ''}".strip() or username


@dataclass
class UnitProgress:
    """One unit in a round."""

    submission_id: int
    unit_id: int
    code: str
    name: str
    depth: int
    path: str
    state: str
    deadline: dt.date
    days_left: int
    ready_by: str | None
    ready_at: dt.datetime | None
    approved_by: str | None
    approved_at: dt.datetime | None
    comment: str
    excuse_reason: str
    expected: dict[str, int] = field(default_factory=dict)
    done: dict[str, int] = field(default_factory=dict)
    reopened: bool = False  # reopened in the closed round: its cycle runs again
    ready_by_id: int | None = None  # who marked it ready (never its approver: four eyes)

    @property
    def missing(self) -> dict[str, int]:
        return {k: max(self.expected[k] - self.done.get(k, 0), 0) for k in self.expected}

    @property
    def overdue(self) -> bool:
        return self.days_left < 0 and self.state not in rules.DONE and self.state != rules.READY

    @property
    def state_label(self) -> str:
        return str(rules.STATE_LABELS[self.state])

    @property
    def symbol(self) -> str:
        return rules.STATE_SYMBOLS[self.state]

    @property
    def share_reported(self) -> int:
        """Percent of what is due that is in (100 when nothing is due)."""
        expected = sum(self.expected.values())
        if not expected:
            return 100
        return round(
            100 * sum(min(self.done.get(k, 0), v) for k, v in self.expected.items()) / expected
        )

    def as_json(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "state": self.state,
            "deadline": self.deadline.isoformat(),
            "ready_by": self.ready_by,
            "ready_at": self.ready_at.isoformat() if self.ready_at else None,
            "approved_by": self.approved_by,
            "approved_at": self.approved_at.isoformat() if self.approved_at else None,
            "missing": self.missing,
        }


#: The outcomes due for an indicator split by sex: women and men (the total follows from
#: them, as the evaluation derives it; a total given as well is welcome).
SPLIT = ("women", "men")


def _due_placement(text: str, point: str | None) -> bool:
    if not (text or "").strip():
        return True
    return point is not None and point in parse_reporting_point_list(text)


def _plans_by_unit(organisation_id: int, year: int) -> dict[int, Plan]:
    """The plan each plan-holding unit follows up in `year` (``plan_rank``); never a
    draft (``planning.rules.followed``): nothing is due from a draft, and a unit whose
    only plan is a draft follows the plan above it, as ``planning.lookup`` says."""
    best: dict[int, Plan] = {}
    for plan in (
        Plan.objects.filter(
            unit__organisation_id=organisation_id, start_year__lte=year, end_year__gte=year
        )
        .exclude(state=PlanState.DRAFT)
        .only("id", "unit_id", "state", "start_year")
    ):
        held = best.get(plan.unit_id)
        if held is None or plan_rank(plan.state, plan.start_year, plan.pk) > plan_rank(
            held.state, held.start_year, held.pk
        ):
            best[plan.unit_id] = plan
    return best


def _expected_outcomes(plan_ids, point: str | None) -> dict[int, set[tuple[int, str]]]:
    """{plan id: {(indicator id, sex)}} due at the reporting point."""
    due: dict[int, set] = defaultdict(set)
    for plan_id, ind_id, text, own_text, by_sex in PlanIndicator.objects.filter(
        plan_id__in=plan_ids
    ).values_list(
        "plan_id",
        "indicator_id",
        "reporting_points",
        "indicator__reporting_points",
        "indicator__by_sex",
    ):
        if _due_placement(text or own_text, point):
            for sex in SPLIT if by_sex else ("total",):
                due[plan_id].add((ind_id, sex))
    return due


def _grouped(queryset, key: str) -> dict[int, int]:
    return dict(queryset.values_list(key).annotate(n=Count("id")).order_by())


def overview(
    rnd: ReportingRound, *, units=None, today: dt.date | None = None
) -> list[UnitProgress]:
    """Every unit's progress in the round (or only the submissions of `units`, a
    queryset or list of unit ids), in tree order. Nine queries."""
    today = today or timezone.localdate()
    period = parse_period(rnd.period)
    subs = Submission.objects.filter(round=rnd)
    if units is not None:
        subs = subs.filter(unit_id__in=units)
    # Plain rows, not model instances: a region has a thousand units.
    subs = [
        SimpleNamespace(**dict(zip(_SUB_FIELDS, row, strict=True)))
        for row in subs.order_by("unit__path").values_list(*_SUB_FIELDS)
    ]
    org = rnd.organisation_id
    plans = _plans_by_unit(org, period.year)
    expected = _expected_outcomes([p.pk for p in plans.values()], period.reporting_point)
    split = {i for keys in expected.values() for i, sex in keys if sex != "total"}
    unsplit = {i for keys in expected.values() for i, sex in keys if sex == "total"}
    plan_units = {}
    if plans:
        plan_units = dict(OrgUnit.objects.filter(pk__in=list(plans)).values_list("path", "pk"))
    top_goals = _grouped(
        Goal.objects.filter(plan_id__in=[p.pk for p in plans.values()], parent__isnull=True),
        "plan_id",
    )
    inside = {"period": rnd.period, "unit__organisation_id": org}
    outcomes = _grouped(
        Outcome.objects.filter(
            Q(indicator_id__in=split, sex__in=SPLIT) | Q(indicator_id__in=unsplit, sex="total"),
            **inside,
        ),
        "unit_id",
    )
    goal_analyses = _grouped(Analysis.objects.filter(goal__isnull=False, **inside), "unit_id")
    owned = _grouped(
        Activity.objects.filter(plan_id__in=[p.pk for p in plans.values()]), "owner_unit_id"
    )
    confirmed = _grouped(
        ActivityReport.objects.filter(activity__owner_unit_id=F("unit_id"), **inside).exclude(
            status=ActivityStatus.NOT_REPORTED
        ),
        "unit_id",
    )
    round_open = rnd.state == RoundState.OPEN
    result = []
    steplen = OrgUnit.steplen
    for sub in subs:
        unit = SimpleNamespace(
            pk=sub.unit_id,
            code=sub.unit__code,
            name=sub.unit__name,
            depth=sub.unit__depth,
            path=sub.unit__path,
        )
        # The deepest plan-holding unit on the way up is the plan followed.
        plan = None
        for end in range(len(unit.path), 0, -steplen):
            holder = plan_units.get(unit.path[:end])
            if holder is not None:
                plan = plans[holder]
                break
        own_plan = plans.get(unit.pk)
        done = {
            "outcomes": outcomes.get(unit.pk, 0),
            "goal_analyses": goal_analyses.get(unit.pk, 0),
            "activities": confirmed.get(unit.pk, 0),
        }
        due = {
            "outcomes": len(expected.get(plan.pk, ())) if plan else 0,
            "goal_analyses": top_goals.get(own_plan.pk, 0) if own_plan else 0,
            "activities": owned.get(unit.pk, 0),
        }
        state = rules.shown_state(
            sub.state,
            excused=sub.excused,
            has_content=any(done.values()),
            comment=sub.comment if round_open else "",
        )
        deadline = rules.deadline_for(unit.depth, rnd.deadline, rnd.level_deadlines)
        result.append(
            UnitProgress(
                submission_id=sub.id,
                unit_id=unit.pk,
                code=unit.code,
                name=unit.name,
                depth=unit.depth,
                path=unit.path,
                state=state,
                deadline=deadline,
                days_left=rules.days_left(deadline, today),
                ready_by=_name(
                    sub.ready_by__first_name, sub.ready_by__last_name, sub.ready_by__username
                ),
                ready_at=sub.ready_at,
                approved_by=_name(
                    sub.approved_by__first_name,
                    sub.approved_by__last_name,
                    sub.approved_by__username,
                ),
                approved_at=sub.approved_at,
                comment=sub.comment,
                excuse_reason=sub.excuse_reason,
                expected=due,
                done=done,
                reopened=sub.reopened,
                ready_by_id=sub.ready_by_id,
            )
        )
    return result


def round_state(rnd: ReportingRound, today: dt.date | None = None) -> str:
    """planned (before its opening day), open or closed."""
    today = today or timezone.localdate()
    if rnd.state == RoundState.CLOSED:
        return "closed"
    return "planned" if today < rnd.opens_on else "open"


@dataclass
class UnitDue:
    """Exactly what one unit still has to do in a round."""

    outcomes: list[tuple[object, list[str]]]  # (indicator, missing sexes)
    analyses: list[object]  # indicators not met without an analysis
    goal_analyses: list[object]  # top-level goals of its own plan without an analysis
    activities: list[object]  # activities whose status is not confirmed in the round
    controls: list[object] = field(default_factory=list)  # checks due without a result
    forecast: bool = False  # a full-year forecast is due and not saved in this round

    @property
    def count(self) -> int:
        return (
            sum(len(s) for _i, s in self.outcomes)
            + len(self.analyses)
            + len(self.goal_analyses)
            + len(self.activities)
            + len(self.controls)
            + int(self.forecast)
        )


#: Control frequencies due at each reporting point.
CONTROLS_DUE = {
    "DÅ04": ("reporting_points", "tertial"),
    "DÅ08": ("reporting_points", "tertial"),
    "ÅR": ("reporting_points", "tertial", "yearly"),
}


def _controls_due(rnd: ReportingRound, unit, period) -> list:
    from styrkort.risk.models import Control, ControlResult

    frequencies = CONTROLS_DUE.get(period.reporting_point or "", ())
    if not frequencies:
        return []
    done = ControlResult.objects.filter(period=rnd.period).values("control_id")
    return list(
        Control.objects.filter(risk__unit=unit, risk__year=period.year, frequency__in=frequencies)
        .exclude(pk__in=done)
        .select_related("risk")
        .order_by("risk__number", "order", "pk")
    )


def _forecast_due(rnd: ReportingRound, unit, period) -> bool:
    from styrkort.economy.models import Amount, AmountKind

    if period.reporting_point not in ("DÅ04", "DÅ08"):
        return False
    amounts = Amount.objects.filter(unit=unit, year=period.year)
    if not amounts.filter(kind=AmountKind.BUDGET).exists():
        return False
    opened = dt.datetime.combine(rnd.opens_on, dt.time.min, tzinfo=dt.UTC)
    return not amounts.filter(kind=AmountKind.FORECAST, updated_at__gte=opened).exists()


def unit_due(rnd: ReportingRound, unit, evaluation=None) -> UnitDue:
    """What `unit` still has to report in the round (`evaluation`: the unit's evaluation
    for the round's period, when the caller has it)."""
    from styrkort.planning.lookup import applicable_plan, unit_plan
    from styrkort.planning.models import Indicator

    period = parse_period(rnd.period)
    plan = applicable_plan(unit, period.year)
    own = unit_plan(unit, period.year)
    missing_outcomes, missing_analyses, missing_goals, missing_activities = [], [], [], []
    if plan is not None:
        due = _expected_outcomes([plan.pk], period.reporting_point).get(plan.pk, set())
        stored = set(
            Outcome.objects.filter(unit=unit, period=rnd.period).values_list("indicator_id", "sex")
        )
        by_indicator: dict[int, list[str]] = defaultdict(list)
        for ind_id, sex in sorted(due - stored):
            by_indicator[ind_id].append(sex)
        indicators = Indicator.objects.in_bulk(list(by_indicator))
        missing_outcomes = [(indicators[i], sexes) for i, sexes in by_indicator.items()]
        if evaluation is None:
            from styrkort.followup.queries import evaluate_unit

            evaluation = evaluate_unit(unit, period)
        written = set(
            Analysis.objects.filter(
                unit=unit, period=rnd.period, indicator__isnull=False
            ).values_list("indicator_id", flat=True)
        )
        not_met = {
            item.indicator_id
            for item in evaluation.indicators
            if item.status.get("total") == "not_met" and item.indicator_id not in written
        }
        missing_analyses = list(Indicator.objects.filter(pk__in=not_met).order_by("code"))
    if own is not None:
        written_goals = set(
            Analysis.objects.filter(unit=unit, period=rnd.period, goal__isnull=False).values_list(
                "goal_id", flat=True
            )
        )
        missing_goals = list(
            Goal.objects.filter(plan=own, parent__isnull=True)
            .exclude(pk__in=written_goals)
            .order_by("order", "pk")
        )
    if plan is not None:
        confirmed = ActivityReport.objects.filter(unit=unit, period=rnd.period).exclude(
            status=ActivityStatus.NOT_REPORTED
        )
        missing_activities = list(
            Activity.objects.filter(
                owner_unit=unit, plan__start_year__lte=period.year, plan__end_year__gte=period.year
            )
            .exclude(plan__state=PlanState.DRAFT)
            .exclude(pk__in=confirmed.values("activity_id"))
            .order_by("order", "pk")
        )
    return UnitDue(
        missing_outcomes,
        missing_analyses,
        missing_goals,
        missing_activities,
        controls=_controls_due(rnd, unit, period),
        forecast=_forecast_due(rnd, unit, period),
    )
