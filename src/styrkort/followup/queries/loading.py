"""Everything one evaluation needs from the database, loaded set-wise.

``Snapshot.load`` reads a subtree's units, the plans that apply to them, goals,
placements, targets, outcomes (``outcomes.load_period_values``), manual assessments,
analyses and activities in a fixed number of queries, whatever the number of units,
goals or indicators, and rolls every indicator up the tree for the periods needed
(the period, the same period last year, and the reference periods of relative
targets). ``engine`` turns a snapshot into ``UnitEvaluation`` objects.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q

from styrkort.followup.models import Analysis, Assessment, Outcome
from styrkort.organisation.lookup import ancestor_paths
from styrkort.organisation.models import Organisation, OrgUnit
from styrkort.periods import Period, PeriodError, parse_period
from styrkort.planning.models import (
    Activity,
    ActivityReport,
    ActivitySummary,
    Goal,
    Indicator,
    Plan,
    PlanIndicator,
    PlanLevel,
    PlanState,
    Target,
)
from styrkort.planning.rules import plan_rank

from .compiled import Many, rows
from .outcomes import IndicatorRule, PeriodValues, load_period_values
from .results import ManualAssessment
from .rollups import Node, RollupRule, Tree, rollup_units

_SCALES = {"%": 100.0, "‰": 1000.0, "per 1000": 1000.0}


@dataclass
class UnitRow:
    id: int
    code: str
    name: str
    path: str
    depth: int
    valid_from: dt.date | None
    valid_to: dt.date | None
    organisation_id: int

    def valid_in(self, period: Period) -> bool:
        return (self.valid_from is None or self.valid_from <= period.end) and (
            self.valid_to is None or self.valid_to >= period.start
        )


@dataclass
class IndicatorRow:
    id: int
    code: str
    name: str
    unit: str
    kind: str
    direction: str
    aggregation: str
    measure_type: str
    decimals: int
    by_sex: bool
    tolerance_pct: float | None
    green_limit: float | None
    red_limit: float | None
    reporting_points: str
    parent_id: int | None
    parent_code: str | None
    epsilon_pct: float | None = None

    @property
    def scale(self) -> float:
        return _SCALES.get(self.unit, 1.0)


@dataclass
class PlacementRow:
    id: int
    plan_id: int
    goal_id: int
    indicator: IndicatorRow
    order: int
    reporting_points: str


@dataclass
class TargetRow:
    placement_id: int
    year: int
    unit_id: int | None
    is_long_term: bool
    text: str
    spec: dict[str, Any]


@dataclass
class GoalRow:
    id: int
    plan_id: int
    parent_id: int | None
    level: int
    code: str
    name: str
    order: int


@dataclass
class PlanRow:
    id: int
    unit_id: int
    plan_model_id: int
    code: str
    name: str
    state: str
    start_year: int


@dataclass
class ActivityRow:
    id: int
    plan_id: int
    owner_unit_id: int
    kind: str
    number: str
    name: str
    status: str
    start_date: dt.date | None
    end_date: dt.date | None
    order: int
    owner_path: str
    cascaded: bool  # has a konkretisering: every unit below the owner answers it
    goal_ids: list[int] = field(default_factory=list)


def _period_or_none(text: str, cache: dict[str, Period | None]) -> Period | None:
    if text not in cache:
        try:
            cache[text] = parse_period(text)
        except PeriodError:
            cache[text] = None
    return cache[text]


def reference_period(spec: dict[str, Any] | None, period: Period) -> Period | None:
    """The period a relative target compares with: the same period last year unless
    the target names a year (the same months in that year) or a period; None for
    national or peer comparisons (no such values in the database)."""
    if not spec or spec.get("kind") != "relative":
        return None
    reference = spec.get("reference") or "previous_year"
    if reference == "previous_year":
        return period.previous_year()
    if reference == "year" and spec.get("reference_year"):
        return period.shift_years(int(spec["reference_year"]) - period.year)
    if reference == "period" and spec.get("reference_period"):
        try:
            return parse_period(spec["reference_period"])
        except PeriodError:
            return None
    return None


@dataclass
class Snapshot:
    """The loaded data of a subtree for one period (see the module docstring)."""

    root: UnitRow
    ancestors: list[UnitRow]
    period: Period
    previous: Period
    organisation: Organisation
    units: dict[int, UnitRow]
    tree: Tree
    children: dict[int, list[int]]
    plan_of_unit: dict[int, PlanRow | None]
    plans: dict[int, PlanRow]
    level_names: dict[tuple[int, int], str]
    goals_by_plan: dict[int, list[GoalRow]]
    placements_by_plan: dict[int, list[PlacementRow]]
    targets: dict[int, list[TargetRow]]
    indicators: dict[int, IndicatorRow]
    unplaced_ids: list[int]
    values: PeriodValues
    rollups: dict[Period, dict[int, dict[tuple[int, str], Node]]]
    valid: dict[Period, set[int]]
    assessments: dict[tuple, ManualAssessment]
    analyses: dict[tuple, str]  # (unit, indicator) or (unit, "goal", goal) -> text
    activities_by_plan: dict[int, list[ActivityRow]]
    reports: dict[tuple[int, int], tuple[str, str, dt.datetime | None]]
    summaries: dict[tuple[int, int], dict[str, int]]

    # --- loading ----------------------------------------------------------------

    @classmethod
    def load(
        cls,
        root: OrgUnit,
        period: Period,
        *,
        evaluated: list[int] | None = None,
        unplaced: bool = True,
    ):
        """Load ``root``'s subtree for ``period``. ``evaluated``: the units that will be
        evaluated (None: all of the subtree); assessments and analyses are read for
        those only. ``unplaced``: also the indicators with outcomes in the subtree this
        period or last year that no plan places (production figures, control measures)."""
        steplen = OrgUnit.steplen
        prefixes = ancestor_paths(root)
        # Each query through ``compiled.rows``: built and compiled once, then reused.
        unit_rows = rows(
            ("units",),
            lambda root_path, prefixes: OrgUnit.objects.filter(
                Q(path__startswith=root_path) | Q(path__in=prefixes)
            ).values_list(
                "id", "code", "name", "path", "depth", "valid_from", "valid_to",
                "organisation_id",
            ),
            root_path=root.path,
            prefixes=Many(prefixes, str),
        )  # fmt: skip
        all_units = [UnitRow(*row) for row in unit_rows]
        by_path = {u.path: u for u in all_units}
        units = {u.id: u for u in all_units if u.path.startswith(root.path)}
        parent_of: dict[int, int | None] = {}
        for unit in units.values():
            parent = by_path.get(unit.path[:-steplen]) if unit.id != root.id else None
            parent_of[unit.id] = parent.id if parent is not None else None
        tree = Tree(parent_of, {u.id: u.depth for u in units.values()})
        organisation = Organisation.objects.get(pk=root.organisation_id)
        evaluated_ids = list(units) if evaluated is None else list(evaluated)

        # Plans covering the year, for the evaluated units and their ancestors.
        year = period.year
        plan_rows = rows(
            ("plans",),
            lambda root_path, prefixes, year: (
                Plan.objects.filter(
                    Q(unit__path__startswith=root_path) | Q(unit__path__in=prefixes),
                    start_year__lte=year,
                    end_year__gte=year,
                )
                .exclude(state=PlanState.DRAFT)  # a draft is never followed up (rules.followed)
                .values_list(
                    "id", "unit_id", "plan_model_id", "code", "name", "state", "start_year"
                )
            ),
            root_path=root.path,
            prefixes=Many(prefixes, str),
            year=year,
        )
        best: dict[int, PlanRow] = {}
        for row in plan_rows:
            plan = PlanRow(*row)
            current = best.get(plan.unit_id)
            if current is None or _plan_rank(plan) > _plan_rank(current):
                best[plan.unit_id] = plan
        plan_of_unit: dict[int, PlanRow | None] = {}
        for uid in evaluated_ids:
            path = units[uid].path
            plan_of_unit[uid] = None
            for i in range(len(path), 0, -steplen):
                holder = by_path.get(path[:i])
                if holder is not None and holder.id in best:
                    plan_of_unit[uid] = best[holder.id]
                    break
        plans = {p.id: p for p in plan_of_unit.values() if p is not None}
        plan_ids = list(plans)

        level_names = {
            (model_id, level): name
            for model_id, level, name in rows(
                ("levels",),
                lambda models: PlanLevel.objects.filter(plan_model_id__in=models).values_list(
                    "plan_model_id", "level", "name"
                ),
                models=Many(sorted({p.plan_model_id for p in plans.values()})),
            )
        }
        goals_by_plan: dict[int, list[GoalRow]] = defaultdict(list)
        for row in rows(
            ("goals",),
            lambda plan_ids: Goal.objects.filter(plan_id__in=plan_ids).values_list(
                "id", "plan_id", "parent_id", "level", "code", "name", "order"
            ),
            plan_ids=Many(plan_ids),
        ):
            goals_by_plan[row[1]].append(GoalRow(*row))

        placements_by_plan: dict[int, list[PlacementRow]] = defaultdict(list)
        indicators: dict[int, IndicatorRow] = {}
        fields = (
            "code", "name", "unit", "kind", "direction", "aggregation", "measure_type",
            "decimals", "by_sex", "tolerance_pct", "green_limit", "red_limit",
            "reporting_points", "parent_id", "parent__code",
        )  # fmt: skip
        placement_rows = rows(
            ("placements",),
            lambda plan_ids: PlanIndicator.objects.filter(plan_id__in=plan_ids).values_list(
                "id", "plan_id", "goal_id", "order", "reporting_points", "indicator_id",
                *(f"indicator__{f}" for f in fields),
            ),
            plan_ids=Many(plan_ids),
        )  # fmt: skip
        for pid, plan_id, goal_id, order, points, ind_id, *ind in placement_rows:
            indicator = indicators.get(ind_id)
            if indicator is None:
                indicator = indicators[ind_id] = IndicatorRow(ind_id, *ind)
            placements_by_plan[plan_id].append(
                PlacementRow(pid, plan_id, goal_id, indicator, order, points)
            )
        placement_ids = [p.id for ps in placements_by_plan.values() for p in ps]
        targets: dict[int, list[TargetRow]] = defaultdict(list)
        for row in rows(
            ("targets",),
            lambda year, placement_ids: Target.objects.filter(
                Q(year__lte=year) | Q(is_long_term=True), placement_id__in=placement_ids
            ).values_list("placement_id", "year", "unit_id", "is_long_term", "text", "spec"),
            year=year,
            placement_ids=Many(placement_ids),
        ):
            targets[row[0]].append(TargetRow(*row))

        # Indicators no plan places but with outcomes here, and parent indicators (for
        # the share of the parent: Somatik 29 752 of Läkarbesök 31 180).
        previous = period.previous_year()

        def others(parents, placed, **window):
            extra = Q(id__in=parents)
            if unplaced:
                extra |= Q(
                    id__in=Outcome.objects.filter(
                        Q(period_start__gte=window["start"], period_end__lte=window["end"])
                        | Q(
                            period_start__gte=window["previous_start"],
                            period_end__lte=window["previous_end"],
                        ),
                        unit__path__startswith=window["root_path"],
                    ).values("indicator_id")
                )
            return (
                Indicator.objects.filter(extra)
                .exclude(id__in=placed)
                .values_list("id", *fields)
                .order_by("code")
            )

        rules_indicators = dict(indicators)
        unplaced_ids = []
        for row in rows(
            ("indicators", unplaced),
            others,
            parents=Many(sorted({i.parent_id for i in indicators.values() if i.parent_id})),
            placed=Many(list(indicators)),
            **(
                {
                    "start": period.start,
                    "end": period.end,
                    "previous_start": previous.start,
                    "previous_end": previous.end,
                    "root_path": root.path,
                }
                if unplaced
                else {}
            ),
        ):
            rules_indicators[row[0]] = IndicatorRow(*row)
            unplaced_ids.append(row[0])

        # The periods: this one, last year's, and the relative targets' references.
        periods = {period, previous}
        for rows_ in targets.values():
            for target in rows_:
                ref = reference_period(target.spec, period)
                if ref is not None:
                    periods.add(ref)
        rules = {
            i.id: IndicatorRule(i.aggregation, i.measure_type, i.scale, i.decimals)
            for i in rules_indicators.values()
        }
        # The subtree's unit ids rather than a join on paths: the database then knows
        # how many units there are and plans a hash aggregate, not a nested loop.
        values = load_period_values(rules, periods, unit_ids=list(units))
        valid = {p: {u.id for u in units.values() if u.valid_in(p)} for p in periods}
        rollup_rules = {
            ind: RollupRule(rule.aggregation, rule.scale, rule.decimals)
            for ind, rule in rules.items()
        }
        rollups = {}
        for p in periods:
            rollups[p] = rollup_units(values.obs[p], rollup_rules, tree, valid_units=valid[p])

        assessments: dict[tuple, ManualAssessment] = {}
        for unit_id, ind_id, goal_id, sex, status, reason, updated_at, user in (
            rows(
                ("assessments",),
                lambda unit_ids, period: Assessment.objects.filter(
                    unit_id__in=unit_ids, period=period
                ).values_list(
                    "unit_id", "indicator_id", "goal_id", "sex", "status", "reason",
                    "updated_at", "updated_by__username",
                ),
                unit_ids=Many(evaluated_ids),
                period=period.canonical,
            )
        ):  # fmt: skip
            key = (unit_id, "goal", goal_id) if goal_id else (unit_id, ind_id, sex)
            assessments[key] = ManualAssessment(status, reason, updated_at, user)
        # (unit, indicator) -> an indicator's analysis; (unit, "goal", goal) -> a goal's.
        analyses = {
            (unit_id, ind_id) if ind_id else (unit_id, "goal", goal_id): text
            for unit_id, ind_id, goal_id, text in rows(
                ("analyses",),
                lambda unit_ids, period: Analysis.objects.filter(
                    unit_id__in=unit_ids, period=period
                ).values_list("unit_id", "indicator_id", "goal_id", "text"),
                unit_ids=Many(evaluated_ids),
                period=period.canonical,
            )
        }

        activities_by_plan: dict[int, list[ActivityRow]] = defaultdict(list)
        activities: dict[int, ActivityRow] = {}
        for row in rows(
            ("activities",),
            lambda plan_ids: Activity.objects.filter(plan_id__in=plan_ids)
            .annotate(
                cascaded=ExpressionWrapper(~Q(concretisation=""), output_field=BooleanField())
            )
            .values_list(
                "id", "plan_id", "owner_unit_id", "kind", "number", "name", "status",
                "start_date", "end_date", "order", "owner_unit__path", "cascaded",
            ),
            plan_ids=Many(plan_ids),
        ):  # fmt: skip
            activity = ActivityRow(*row)
            activities[activity.id] = activity
            activities_by_plan[activity.plan_id].append(activity)
        if activities:
            for activity_id, goal_id in rows(
                ("activity goals",),
                lambda plan_ids: Activity.goals.through.objects.filter(
                    activity__plan_id__in=plan_ids
                ).values_list("activity_id", "goal_id"),
                plan_ids=Many(plan_ids),
            ):
                activities[activity_id].goal_ids.append(goal_id)
        cache: dict[str, Period | None] = {}
        reports: dict[tuple[int, int], tuple[str, str, dt.datetime | None]] = {}
        if activities:
            for activity_id, unit_id, text, status, comment, updated_at in rows(
                ("activity reports",),
                lambda plan_ids: (
                    ActivityReport.objects.filter(activity__plan_id__in=plan_ids)
                    .values_list(
                        "activity_id", "unit_id", "period", "status", "comment", "updated_at"
                    )
                    .order_by("updated_at")
                ),
                plan_ids=Many(plan_ids),
            ):
                if _period_or_none(text, cache) == period:
                    reports[(activity_id, unit_id)] = (status, comment, updated_at)
        summaries: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
        for plan_id, unit_id, text, status, count in rows(
            ("activity summaries",),
            lambda plan_ids: ActivitySummary.objects.filter(plan_id__in=plan_ids).values_list(
                "plan_id", "unit_id", "period", "status", "count"
            ),
            plan_ids=Many(plan_ids),
        ):
            if _period_or_none(text, cache) == period:
                summaries[(plan_id, unit_id)][status] = (
                    summaries[(plan_id, unit_id)].get(status, 0) + count
                )

        return cls(
            root=units[root.id],
            ancestors=[by_path[p] for p in prefixes if p in by_path],
            period=period,
            previous=previous,
            organisation=organisation,
            units=units,
            tree=tree,
            children=tree.children(),
            plan_of_unit=plan_of_unit,
            plans=plans,
            level_names=level_names,
            goals_by_plan=dict(goals_by_plan),
            placements_by_plan=dict(placements_by_plan),
            targets=dict(targets),
            indicators=rules_indicators,
            unplaced_ids=unplaced_ids,
            values=values,
            rollups=rollups,
            valid=valid,
            assessments=assessments,
            analyses=analyses,
            activities_by_plan=dict(activities_by_plan),
            reports=reports,
            summaries=dict(summaries),
        )


def _plan_rank(plan: PlanRow) -> tuple:
    """The rule of ``planning.rules.plan_rank``: adopted, then latest, archived last
    (drafts are left out before)."""
    return plan_rank(plan.state, plan.start_year, plan.id)
