"""The politician's overview of a region or division for one reporting point: status
counts per goal area (goals, indicators, activities), the units x goal areas grid of
statuses, what changed since the previous reporting point, and which units have reported.

Built on the evaluation engine (``followup.queries``): one tree evaluation of the unit's
subtree, one evaluation of the unit at the previous reporting point and the reporting
round's progress, so the number of queries does not grow with units, goals or indicators.
The counting rules are plain functions of evaluations (``area_counts``, ``status_changes``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from styrkort.followup.evaluation.goals import ACTIVITY_ORDER
from styrkort.followup.evaluation.status import STATUS_ORDER
from styrkort.followup.queries.results import UnitEvaluation
from styrkort.periods import Period, reporting_point_period

#: Order of the statuses that say how well a target is met (higher is better); "Ej bedömt"
#: and "Utfall saknas" are not on the scale.
_RANK = {"met": 2, "partly": 1, "not_met": 0}


def previous_reporting_point(period: Period) -> Period:
    """The reporting point before ``period``: DÅ04 -> ÅR of the year before, DÅ08 -> DÅ04,
    ÅR -> DÅ08; any other period -> the same period a year earlier."""
    point = period.reporting_point
    if point == "DÅ04":
        return reporting_point_period(period.year - 1, "ÅR")
    if point == "DÅ08":
        return reporting_point_period(period.year, "DÅ04")
    if point == "ÅR":
        return reporting_point_period(period.year, "DÅ08")
    return period.previous_year()


def _zero(keys) -> dict[str, int]:
    return dict.fromkeys(keys, 0)


@dataclass
class AreaCounts:
    """One goal area (a top-level goal of the plan, "perspektiv" or "målområde"): its own
    status and how many goals under it, indicators and activities have each status."""

    goal_id: int | None
    name: str
    status: str
    goals: dict[str, int] = field(default_factory=lambda: _zero(STATUS_ORDER))
    indicators: dict[str, int] = field(default_factory=lambda: _zero(STATUS_ORDER))
    activities: dict[str, int] = field(default_factory=lambda: _zero(ACTIVITY_ORDER))

    @property
    def goal_total(self) -> int:
        return sum(self.goals.values())

    @property
    def indicator_total(self) -> int:
        return sum(self.indicators.values())

    @property
    def activity_total(self) -> int:
        return sum(self.activities.values())


def _area_of(goals) -> dict[int, int]:
    """goal id -> the id of its top-level goal."""
    parent = {g.goal_id: g.parent_id for g in goals}
    out = {}
    for goal_id in parent:
        node = goal_id
        while parent.get(node) is not None:
            node = parent[node]
        out[goal_id] = node
    return out


def area_counts(evaluation) -> list[AreaCounts]:
    """Per goal area of the unit's plan (tree order): the statuses of the goals below the
    area (the area itself not counted), of the indicators placed in it (each placement
    once, its total status after manual assessments) and of the activities tied to its
    goals (an activity under two areas counts in both)."""
    areas = {
        g.goal_id: AreaCounts(g.goal_id, g.name, g.status)
        for g in evaluation.goals
        if g.parent_id is None
    }
    area_of = _area_of(evaluation.goals)
    for goal in evaluation.goals:
        if goal.parent_id is not None and area_of.get(goal.goal_id) in areas:
            areas[area_of[goal.goal_id]].goals[goal.status] += 1
    for item in evaluation.indicators:
        area = areas.get(area_of.get(item.goal_id))
        if area is not None:
            area.indicators[item.status["total"]] += 1
    for activity in evaluation.activities:
        for area_id in {area_of.get(g) for g in activity.goal_ids}:
            if area_id in areas:
                areas[area_id].activities[activity.status] += 1
    return list(areas.values())


def totals(areas: list[AreaCounts], evaluation) -> AreaCounts:
    """The whole plan: the areas' counts added up; activities as the evaluation counts
    them (each once, and those reported only as counts, seed 002's 731)."""
    total = AreaCounts(None, "", "")
    for area in areas:
        for key in STATUS_ORDER:
            total.goals[key] += area.goals[key]
    for item in evaluation.indicators:
        total.indicators[item.status["total"]] += 1
    for key, count in evaluation.activity_counts.items():
        total.activities[key] = total.activities.get(key, 0) + count
    return total


@dataclass(frozen=True)
class StatusChange:
    """An indicator whose total status differs from the previous reporting point's.
    ``kind``: better, worse, new (assessed now, not before), gone (assessed before, not
    now)."""

    code: str
    name: str
    area: str
    kind: str
    before: str
    after: str
    value_before: float | None
    value_after: float | None
    unit: str
    decimals: int


def _change_kind(before: str, after: str) -> str | None:
    if before == after:
        return None
    if before in _RANK and after in _RANK:
        return "better" if _RANK[after] > _RANK[before] else "worse"
    if after in _RANK:
        return "new"
    if before in _RANK:
        return "gone"
    return None  # between "Ej bedömt" and "Utfall saknas": nothing to tell


def status_changes(evaluation, previous) -> list[StatusChange]:
    """The unit's indicators whose total status changed since ``previous`` (the evaluation
    of the previous reporting point; an indicator it lacks counts as "Utfall saknas"),
    worse first, then better, new and gone, in plan order within each."""
    before = {}
    if previous is not None:
        for item in previous.indicators:
            before.setdefault(item.code, item)
    area_names = {g.goal_id: g.name for g in evaluation.goals if g.parent_id is None}
    area_of = _area_of(evaluation.goals)
    out, seen = [], set()
    for item in evaluation.indicators:
        if item.code in seen:
            continue
        seen.add(item.code)
        old = before.get(item.code)
        old_status = old.status["total"] if old is not None else "no_data"
        kind = _change_kind(old_status, item.status["total"])
        if kind is None:
            continue
        out.append(
            StatusChange(
                code=item.code,
                name=item.name,
                area=area_names.get(area_of.get(item.goal_id), ""),
                kind=kind,
                before=old_status,
                after=item.status["total"],
                value_before=old.values["total"] if old is not None else None,
                value_after=item.values["total"],
                unit=item.unit,
                decimals=item.decimals,
            )
        )
    order = {"worse": 0, "better": 1, "new": 2, "gone": 3}
    return sorted(out, key=lambda c: order[c.kind])  # stable: plan order kept


@dataclass
class GridCell:
    """One unit's status in one goal area (``goal_id`` and ``status`` None: the unit's plan
    has no such area)."""

    goal_id: int | None
    area: str
    status: str | None
    indicators: dict[str, int]

    @property
    def in_plan(self) -> bool:
        return self.goal_id is not None

    @property
    def indicator_total(self) -> int:
        return sum(self.indicators.values())


@dataclass
class GridRow:
    code: str
    name: str
    is_self: bool
    has_children: bool
    own_plan: bool
    plan: bool  # the unit follows some plan for the period (its own or a superior's)
    cells: list[GridCell]


@dataclass
class UnitReported:
    """Whether a unit has reported for the period: its state in the reporting round
    (``state``: open, ready, approved, excused...) with the share of what is due that is
    in; without a round, whether it has entered any value for the period."""

    code: str
    name: str
    depth: int
    state: str
    share_reported: int | None
    deadline: str | None = None


@dataclass
class Overview:
    unit_code: str
    unit_name: str
    period: Period
    previous_period: Period
    plan_name: str | None
    plan_unit_code: str | None
    areas: list[AreaCounts]
    total: AreaCounts
    grid_areas: list[str]
    grid: list[GridRow]
    changes: list[StatusChange]
    round_state: str | None  # None: no reporting round for the period
    reported: list[UnitReported]
    reported_counts: dict[str, int]
    units_in_subtree: int

    @property
    def change_counts(self) -> dict[str, int]:
        counts = Counter(c.kind for c in self.changes)
        return {k: counts.get(k, 0) for k in ("worse", "better", "new", "gone")}

    def to_json(self) -> dict:
        """What ``styrkort overview --json`` prints (docs/web.md, the overview)."""

        def area(a: AreaCounts) -> dict:
            return {
                "name": a.name,
                "status": a.status or None,
                "goals": dict(a.goals),
                "indicators": dict(a.indicators),
                "activities": dict(a.activities),
            }

        return {
            "org": {"code": self.unit_code, "name": self.unit_name},
            "period": self.period.canonical,
            "previous_period": self.previous_period.canonical,
            "plan": self.plan_name,
            "areas": [area(a) for a in self.areas],
            "total": {k: v for k, v in area(self.total).items() if k not in ("name", "status")},
            "grid": {
                "areas": list(self.grid_areas),
                "units": [
                    {
                        "code": r.code,
                        "name": r.name,
                        "own_plan": r.own_plan,
                        "cells": [
                            {"area": c.area, "status": c.status, "indicators": dict(c.indicators)}
                            if c.in_plan
                            else {"area": c.area, "status": None, "indicators": None}
                            for c in r.cells
                        ],
                    }
                    for r in self.grid
                ],
            },
            "changes": [
                {
                    "code": c.code,
                    "name": c.name,
                    "area": c.area,
                    "kind": c.kind,
                    "before": c.before,
                    "after": c.after,
                    "value_before": c.value_before,
                    "value_after": c.value_after,
                }
                for c in self.changes
            ],
            "reporting": {
                "round": self.round_state,
                "counts": dict(self.reported_counts),
                "units": [
                    {
                        "code": r.code,
                        "name": r.name,
                        "state": r.state,
                        "share_reported": r.share_reported,
                        "deadline": r.deadline,
                    }
                    for r in self.reported
                ],
            },
        }


def _grid(
    tree, unit_id: int, child_ids: list[int], own: UnitEvaluation, own_areas: list[AreaCounts]
) -> tuple[list[str], list[GridRow]]:
    """The unit (``own``, its evaluation, with its ``own_areas``) and its children x the
    goal areas: the unit's own areas first, then any other area a child's plan has (by
    name, since each unit's plan has its own goals). A unit without any plan for the
    period (its own or a superior unit's) has no row."""
    names: list[str] = []
    rows: list[GridRow] = []
    evaluations = []
    for uid in [unit_id, *child_ids]:
        ev = own if uid == unit_id else tree.evaluator.unit(uid, include_empty=True)
        if uid == unit_id and ev.plan_id is None:
            continue  # a region without a plan of its own: only its units
        evaluations.append((uid, ev))
        for goal in ev.goals:
            if goal.parent_id is None and goal.name not in names:
                names.append(goal.name)
    children = tree.snapshot.children
    valid = tree.snapshot.valid[tree.period]
    for uid, ev in evaluations:
        by_name = {a.name: a for a in (own_areas if uid == unit_id else area_counts(ev))}
        cells = []
        for name in names:
            area = by_name.get(name)
            cells.append(
                GridCell(None, name, None, _zero(STATUS_ORDER))
                if area is None
                else GridCell(area.goal_id, name, area.status, area.indicators)
            )
        rows.append(
            GridRow(
                code=ev.unit_code,
                name=ev.unit_name,
                is_self=uid == unit_id,
                has_children=any(c in valid for c in children.get(uid, ())),
                own_plan=ev.plan_unit_code == ev.unit_code,
                plan=ev.plan_id is not None,
                cells=cells,
            )
        )
    return names, rows


def _reported(tree, unit, period: Period, child_ids: list[int]):
    """(round state or None, the unit and its children as ``UnitReported``, counts of the
    states over the whole subtree)."""
    from styrkort.rounds.due import overview as round_progress
    from styrkort.rounds.due import round_state
    from styrkort.rounds.models import ReportingRound

    snap = tree.snapshot
    valid = snap.valid[period]
    subtree = [u for u in sorted(snap.units.values(), key=lambda u: u.path) if u.id in valid]
    shown = {unit.id, *child_ids}
    rnd = ReportingRound.objects.filter(
        organisation_id=unit.organisation_id, period=period.canonical
    ).first()
    if rnd is not None:
        progress = round_progress(rnd, units=[u.id for u in subtree])
        rows = [
            UnitReported(
                p.code,
                p.name,
                p.depth,
                p.state,
                p.share_reported,
                p.deadline.isoformat(),
            )
            for p in progress
            if p.unit_id in shown
        ]
        counts = Counter(p.state for p in progress)
        return round_state(rnd), rows, dict(counts)
    entered = snap.values.obs.get(period, {})
    rows, counts = [], Counter()
    for u in subtree:
        state = "entered" if entered.get(u.id) else "nothing"
        counts[state] += 1
        if u.id in shown:
            rows.append(UnitReported(u.code, u.name, u.depth, state, None))
    return None, rows, dict(counts)


def build_overview(unit, period: Period, *, today=None) -> Overview:
    """The overview of ``unit`` (an ``OrgUnit``) for ``period``."""
    from styrkort.followup.queries import evaluate_tree, evaluate_unit

    tree = evaluate_tree(unit, period, today=today)
    snap = tree.snapshot
    valid = snap.valid[tree.period]
    child_ids = sorted(
        (c for c in snap.children.get(unit.id, ()) if c in valid),
        key=lambda c: snap.units[c].path,
    )
    evaluation = tree.evaluator.unit(unit.id)
    previous_period = previous_reporting_point(tree.period)
    previous = evaluate_unit(unit, previous_period, today=today)
    areas = area_counts(evaluation)
    grid_areas, grid = _grid(tree, unit.id, child_ids, evaluation, areas)
    round_state, reported, reported_counts = _reported(tree, unit, tree.period, child_ids)
    return Overview(
        unit_code=unit.code,
        unit_name=unit.name,
        period=tree.period,
        previous_period=previous_period,
        plan_name=evaluation.plan_name,
        plan_unit_code=evaluation.plan_unit_code,
        areas=areas,
        total=totals(areas, evaluation),
        grid_areas=grid_areas,
        grid=grid,
        changes=status_changes(evaluation, previous),
        round_state=round_state,
        reported=reported,
        reported_counts=reported_counts,
        units_in_subtree=sum(reported_counts.values()),
    )
