"""From a loaded ``Snapshot`` to ``UnitEvaluation`` objects, with the pure rules of
``followup.evaluation`` (status, trend, change, goal roll-up, activities)."""

from __future__ import annotations

import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property

from django.utils import timezone

from styrkort.followup.evaluation import (
    Status,
    Trend,
    activity_counts,
    activity_to_status,
    change_pp,
    contributing_units,
    evaluate_sexes,
    evaluate_total_from_sexes,
    evaluate_trend,
    final_status,
    goal_status,
    reconcile,
    share_pct,
    status_counts,
    trend_rule,
    yoy_change_pct,
)
from styrkort.followup.evaluation.goals import goal_basis
from styrkort.followup.evaluation.sexes import SEXES
from styrkort.organisation.models import OrgUnit
from styrkort.periods import Period, parse_period
from styrkort.planning.rules import activity_answer, activity_role, stale_message, stale_reason
from styrkort.planning.targets import parse_target

from .loading import GoalRow, PlacementRow, Snapshot, TargetRow, reference_period
from .results import (
    ActivityEvaluation,
    GoalCount,
    GoalEvaluation,
    IndicatorEvaluation,
    Reconciliation,
    Rollup,
    TargetInfo,
    UnitEvaluation,
)

__all__ = ["TreeEvaluation", "evaluate_tree", "evaluate_unit"]

_NO_DATA = {sex: Status.NO_DATA.value for sex in SEXES}
_NO_TREND = {sex: "none" for sex in SEXES}
_EMPTY: dict = {}
_TREND_VALUES = {trend: trend.value for trend in Trend}
_REPORTED = 3  # Node.reported as a tuple index (the attribute, without a property call)


@contextmanager
def gc_paused():
    """The cyclic garbage collector paused while an evaluation builds its hundreds of
    thousands of small objects (none of them in a cycle: reference counting frees
    them): otherwise the collector walks the growing structure again and again, which
    costs more than building it. On the way out the new objects join the oldest
    generation directly (``gc.freeze()`` then ``gc.unfreeze()``, only when nothing else
    is frozen) instead of being walked once more by the next young collection. Nested
    or with the collector already off: no change."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        gc.enable()


def _as_period(period: Period | str) -> Period:
    return period if isinstance(period, Period) else parse_period(period)


def evaluate_unit(
    unit: OrgUnit, period: Period | str, *, today: dt.date | None = None
) -> UnitEvaluation:
    """Evaluate ``unit`` for ``period`` (a ``Period`` or its text; ``PeriodError`` if bad).

    Every indicator placed in the unit's plan covering the period's year, with the
    unit's values (entered, derived from finer periods, or rolled up from its valid
    sub-units), last year's, the target, statuses, trends, roll-up and reconciliation;
    the goals with their roll-up and counts; the activities with counts and stale ones.
    ``today`` (default: today) decides which activities are stale. A fixed number of
    SQL queries, whatever the number of units, goals or indicators.
    """
    period = _as_period(period)
    with gc_paused():
        snapshot = Snapshot.load(unit, period, evaluated=[unit.id])
        return Evaluator(snapshot, today=today).unit(unit.id)


def evaluate_tree(
    root: OrgUnit,
    period: Period | str,
    *,
    today: dt.date | None = None,
    unplaced: bool = False,
) -> TreeEvaluation:
    """Evaluate every unit of ``root``'s subtree for ``period`` from one load and one
    roll-up pass (the same code as ``evaluate_unit``). The units are evaluated lazily:
    iterate the result, or ask ``.unit(code)``. ``unplaced``: also list the indicators
    no plan places (``UnitEvaluation.other_indicators``; ``evaluate_unit`` always does)."""
    period = _as_period(period)
    with gc_paused():
        snapshot = Snapshot.load(root, period, unplaced=unplaced)
    return TreeEvaluation(Evaluator(snapshot, today=today))


class TreeEvaluation:
    """The evaluations of a whole subtree for one period (see ``evaluate_tree``)."""

    def __init__(self, evaluator: Evaluator):
        self.evaluator = evaluator
        self.snapshot = evaluator.snapshot
        self.period = self.snapshot.period

    def unit_codes(self) -> list[str]:
        """The units valid in the period, in tree order."""
        units = sorted(self.snapshot.units.values(), key=lambda u: u.path)
        valid = self.snapshot.valid[self.period]
        return [u.code for u in units if u.id in valid]

    def unit(self, code_or_id: str | int, *, include_empty: bool = True) -> UnitEvaluation:
        """One unit's evaluation. ``include_empty=False`` leaves out indicators with no
        value for the unit this period or last year (a leaf seldom reports them all)."""
        if isinstance(code_or_id, str):
            ids = [u.id for u in self.snapshot.units.values() if u.code == code_or_id]
            if not ids:
                raise KeyError(code_or_id)
            code_or_id = ids[0]
        return self.evaluator.unit(code_or_id, include_empty=include_empty)

    def __iter__(self) -> Iterator[UnitEvaluation]:
        return self.iter_units()

    def iter_units(self, *, include_empty: bool = True) -> Iterator[UnitEvaluation]:
        units = sorted(self.snapshot.units.values(), key=lambda u: u.path)
        valid = self.snapshot.valid[self.period]
        for unit in units:
            if unit.id in valid:
                yield self.evaluator.unit(unit.id, include_empty=include_empty)

    def trends(self) -> dict[tuple[int, int, str], tuple[str, float | None]]:
        """Every unit's trend against the same period last year, for every indicator and
        sex it has a value for: (unit id, indicator id, sex) -> (trend, change_pct).

        The same rule as each ``UnitEvaluation`` (``evaluation.evaluate_trend`` with the
        indicator's direction and epsilon), for the whole tree at once; an indicator
        whose direction is "on target" needs the unit's target, so it gets ``none``
        here (``unit()`` gives its trend)."""
        snap = self.snapshot
        epsilon = self.evaluator.epsilon
        previous = snap.rollups[snap.previous]
        rules = {}
        out = {}
        with gc_paused():
            for unit_id, nodes in snap.rollups[self.period].items():
                before = previous.get(unit_id, _EMPTY)
                for key, node in nodes.items():
                    ind_id = key[0]
                    rule = rules.get(ind_id)
                    if rule is None:
                        ind = snap.indicators[ind_id]
                        eps = ind.epsilon_pct if ind.epsilon_pct is not None else epsilon
                        rule = rules[ind_id] = trend_rule(ind.direction, eps)
                    reported = node[_REPORTED]
                    now = reported.value if reported is not None else None
                    prev_node = before.get(key)
                    if prev_node is None:
                        then = None
                    else:
                        reported = prev_node[_REPORTED]
                        then = reported.value if reported is not None else None
                    out[(unit_id, ind_id, key[1])] = (
                        _TREND_VALUES[rule(now, then)],
                        yoy_change_pct(now, then),
                    )
        return out

    def rollup(self, indicator_id: int, sex: str = "total", *, previous: bool = False):
        """unit id -> ``NodeRollup`` of one indicator (this period, or last year's)."""
        period = self.snapshot.previous if previous else self.period
        key = (indicator_id, sex)
        return {
            unit: nodes[key]
            for unit, nodes in self.snapshot.rollups[period].items()
            if key in nodes
        }


class Evaluator:
    """Evaluates units of a snapshot; per-plan work (goal paths, targets) is cached."""

    def __init__(self, snapshot: Snapshot, *, today: dt.date | None = None):
        self.snapshot = snapshot
        self.today = today or timezone.localdate()
        org = snapshot.organisation
        self.tolerance = org.tolerance_pct
        self.epsilon = org.trend_epsilon_pct
        self.thresholds = (org.goal_met_threshold, org.goal_partly_threshold)
        self.point = snapshot.period.reporting_point or snapshot.period.canonical

    # --- per plan, cached ---------------------------------------------------------

    @cached_property
    def _comparisons(self) -> dict:
        """Kolada comparisons of the indicators with a KPI (``styrkort.comparisons``),
        for an organisation with a Kolada area; none (and no query) otherwise."""
        org = self.snapshot.organisation
        if not getattr(org, "kolada_area", ""):
            return {}
        from styrkort.comparisons.queries import for_indicators
        from styrkort.planning.models import Indicator

        from .compiled import Many, rows

        found = rows(
            ("kolada_kpis",),
            lambda ids: (
                Indicator.objects.filter(id__in=ids)
                .exclude(kolada_kpi="")
                .values_list("id", "kolada_kpi", "direction")
            ),
            ids=Many(list(self.snapshot.indicators)),
        )
        return for_indicators(org, found, self.snapshot.period.year)

    def _comparison_facts(self, spec: dict | None, comparison) -> dict | None:
        if comparison is None or not spec or spec.get("kind") != "comparison":
            return None
        return {sex: comparison.facts(spec, sex) for sex in SEXES}

    @cached_property
    def _goal_paths(self) -> dict[int, list[str]]:
        paths: dict[int, list[str]] = {}
        for goals in self.snapshot.goals_by_plan.values():
            by_id = {g.id: g for g in goals}
            for goal in goals:
                chain, node = [], goal
                while node is not None:
                    chain.append(node.name)
                    node = by_id.get(node.parent_id)
                paths[goal.id] = list(reversed(chain))
        return paths

    def _ordered_goals(self, plan_id: int) -> list[GoalRow]:
        """The plan's goals depth-first, siblings by order."""
        goals = self.snapshot.goals_by_plan.get(plan_id, [])
        kids: dict[int | None, list[GoalRow]] = defaultdict(list)
        ids = {g.id for g in goals}
        for goal in goals:
            kids[goal.parent_id if goal.parent_id in ids else None].append(goal)
        for siblings in kids.values():
            siblings.sort(key=lambda g: (g.order, g.id))
        out: list[GoalRow] = []
        stack = list(reversed(kids[None]))
        while stack:
            goal = stack.pop()
            out.append(goal)
            stack.extend(reversed(kids.get(goal.id, [])))
        return out

    @cached_property
    def _plan_layout(self) -> dict[int, tuple[list[GoalRow], list[PlacementRow]]]:
        layout = {}
        for plan_id in self.snapshot.plans:
            goals = self._ordered_goals(plan_id)
            rank = {g.id: i for i, g in enumerate(goals)}
            placements = sorted(
                self.snapshot.placements_by_plan.get(plan_id, []),
                key=lambda p: (rank.get(p.goal_id, len(rank)), p.order, p.id),
            )
            layout[plan_id] = (goals, placements)
        return layout

    def _target(self, placement: PlacementRow, unit_id: int) -> tuple[TargetRow | None, list]:
        """The target for the period's year (a target for this unit wins; a year without
        its own target keeps the latest earlier one), and the long-term targets."""
        year = self.snapshot.period.year
        rows = self.snapshot.targets.get(placement.id, [])
        long_term = sorted((t.text, t.year) for t in rows if t.is_long_term)
        best = None
        for t in rows:
            if t.is_long_term or t.year > year or t.unit_id not in (None, unit_id):
                continue
            rank = (t.year, t.unit_id is not None)
            if best is None or rank > best[0]:
                best = (rank, t)
        return (best[1] if best else None), long_term

    # --- one unit -----------------------------------------------------------------

    def unit(self, unit_id: int, *, include_empty: bool = True) -> UnitEvaluation:
        snap = self.snapshot
        unit = snap.units[unit_id]
        plan = snap.plan_of_unit.get(unit_id)
        if plan is None:
            goals, placements = [], []
        else:
            goals, placements = self._plan_layout[plan.id]
        with_data = self._with_data(unit_id)
        indicators = [
            self._indicator(unit_id, placement)
            for placement in placements
            if include_empty or placement.indicator.id in with_data
        ]
        others = [
            self._indicator(unit_id, PlacementRow(0, 0, None, snap.indicators[ind_id], 0, ""))
            for ind_id in snap.unplaced_ids
            if ind_id in with_data
        ]
        activities = self._activities(unit_id, plan)
        goal_evals, goal_counts = self._goals(unit_id, plan, goals, indicators, activities)
        counts = {k.value: v for k, v in activity_counts(a.status for a in activities).items()}
        if plan is not None:
            for status, n in snap.summaries.get((plan.id, unit_id), {}).items():
                counts[status] = counts.get(status, 0) + n
        org_units = snap.organisation
        holder = snap.units.get(plan.unit_id) if plan is not None else None
        return UnitEvaluation(
            unit_id=unit_id,
            unit_code=unit.code,
            unit_name=unit.name,
            organisation_code=org_units.code,
            organisation_name=org_units.name,
            period=snap.period.canonical,
            period_label=snap.period.label_sv,
            plan_id=plan.id if plan else None,
            plan_code=plan.code if plan else None,
            plan_name=plan.name if plan else None,
            plan_state=plan.state if plan else None,
            plan_unit_code=(
                holder.code if holder else (self._unit_code(plan.unit_id) if plan else None)
            ),
            indicators=indicators,
            other_indicators=others,
            goals=goal_evals,
            goal_counts=goal_counts,
            activities=activities,
            activity_counts=counts,
            today=self.today,
        )

    def _unit_code(self, unit_id: int) -> str | None:
        unit = self.snapshot.units.get(unit_id)
        if unit is not None:
            return unit.code
        for ancestor in self.snapshot.ancestors:
            if ancestor.id == unit_id:
                return ancestor.code
        return None

    def _with_data(self, unit_id: int) -> set[int]:
        """The indicators with a value at the unit (own or rolled up), this period or
        last year."""
        found = set()
        for period in (self.snapshot.period, self.snapshot.previous):
            for (ind_id, _), node in self.snapshot.rollups[period].get(unit_id, {}).items():
                if node.reported is not None:
                    found.add(ind_id)
        return found

    def _node(self, period: Period, ind_id: int, sex: str, unit_id: int):
        return self.snapshot.rollups.get(period, {}).get(unit_id, {}).get((ind_id, sex))

    def _indicator(self, unit_id: int, placement: PlacementRow) -> IndicatorEvaluation:
        snap = self.snapshot
        ind = placement.indicator
        period, previous = snap.period, snap.previous
        current_nodes = snap.rollups[period].get(unit_id, _EMPTY)
        previous_nodes = snap.rollups[previous].get(unit_id, _EMPTY)
        obs, prev_obs, sources, nodes = {}, {}, {}, {}
        for sex in SEXES:
            key = (ind.id, sex)
            node = current_nodes.get(key)
            nodes[sex] = node
            reported = obs[sex] = node.reported if node is not None else None
            if reported is None:
                sources[sex] = None
            elif node.direct is not None:
                sources[sex] = snap.values.how_of(period, unit_id, key) or "entered"
            else:
                sources[sex] = "rollup"
            prev = previous_nodes.get(key)
            prev_obs[sex] = prev.reported if prev is not None else None
        values = {sex: (o.value if o is not None else None) for sex, o in obs.items()}
        prev_values = {sex: (o.value if o is not None else None) for sex, o in prev_obs.items()}

        target_row, long_term = self._target(placement, unit_id)
        spec = target_row.spec if target_row is not None else None
        if spec and spec.get("kind") == "benchmark":
            # Stored before the comparison kind existed ("I nivå med riket"): read again.
            spec = parse_target(target_row.text).to_dict()
        comparison = self._comparisons.get(ind.id)
        ref_period = reference_period(spec, period)
        references = {}
        if ref_period is not None:
            for sex in SEXES:
                node = self._node(ref_period, ind.id, sex, unit_id)
                references[sex] = (
                    node.reported.value if node is not None and node.reported else None
                )
        tolerance = ind.tolerance_pct if ind.tolerance_pct is not None else self.tolerance
        epsilon = ind.epsilon_pct if ind.epsilon_pct is not None else self.epsilon
        if comparison is not None and spec and spec.get("kind") == "comparison":
            tolerance = self.snapshot.organisation.settings.get(
                "comparison_tolerance_pct", tolerance
            )
            ref_period = None
            references = {sex: comparison.reference(spec, sex) for sex in SEXES}
        if any(v is not None for v in values.values()) or spec is not None:
            computed = evaluate_sexes(
                spec,
                values,
                direction=ind.direction,
                point=self.point,
                references=references,
                comparisons=self._comparison_facts(spec, comparison),
                tolerance_pct=tolerance,
                green=ind.green_limit,
                red=ind.red_limit,
                epsilon_pct=epsilon,
            )
            computed = {sex: s.value for sex, s in computed.items()}
        else:
            computed = dict(_NO_DATA)

        assessments = {
            sex: a
            for sex in SEXES
            if (a := snap.assessments.get((unit_id, ind.id, sex))) is not None
        }
        status = dict(computed)
        for sex, manual in assessments.items():
            status[sex] = final_status(computed[sex], manual.status, manual.reason).value
        if (
            spec
            and spec.get("kind") == "by_sex"
            and "total" not in assessments
            and ("women" in assessments or "men" in assessments)
        ):
            status["total"] = evaluate_total_from_sexes(status["women"], status["men"]).value

        if any(v is not None for v in prev_values.values()):
            target_value = spec.get("value") if spec and spec.get("kind") == "value" else None
            trend = {
                sex: evaluate_trend(
                    values[sex],
                    prev_values[sex],
                    direction=ind.direction,
                    epsilon_pct=epsilon,
                    target=target_value,
                ).value
                for sex in SEXES
            }
        else:
            trend = dict(_NO_TREND)
        change = yoy_change_pct(values["total"], prev_values["total"])
        pp = change_pp(values["total"], prev_values["total"]) if ind.unit == "%" else None

        rollup = self._rollup(unit_id, ind, nodes)
        code = snap.units[unit_id].code
        flags = []
        replaced = snap.values.replaced[period].get((unit_id, ind.id, "total"))
        if replaced is not None:
            own_total = snap.values.obs[period][unit_id][(ind.id, "total")]
            flag = reconcile(replaced, own_total, ind.decimals)
            if flag is not None:
                flags.append(
                    Reconciliation(
                        "total", code, flag.direct, flag.rollup, flag.difference, "sexes"
                    )
                )
        for sex, n in nodes.items():
            if n is not None and n.reconciliation is not None:
                flag = n.reconciliation
                flags.append(Reconciliation(sex, code, flag.direct, flag.rollup, flag.difference))
        share = None
        if ind.parent_id is not None:
            parent = self._node(period, ind.parent_id, "total", unit_id)
            if parent is not None and parent.reported is not None:
                share = share_pct(values["total"], parent.reported.value)

        target = None
        if target_row is not None:
            target = TargetInfo(
                text=target_row.text,
                kind=(spec or {}).get("kind") or "qualitative",
                year=target_row.year,
                spec=spec or {},
                unit_code=snap.units[unit_id].code if target_row.unit_id else None,
                reference_period=(
                    ref_period.canonical
                    if ref_period
                    else str(comparison.year)
                    if comparison is not None and comparison.year and references
                    else None
                ),
                reference_values=references,
                long_term=tuple(long_term),
            )
        return IndicatorEvaluation(
            indicator_id=ind.id,
            code=ind.code,
            name=ind.name,
            unit=ind.unit,
            kind=ind.kind,
            direction=ind.direction,
            aggregation=ind.aggregation,
            measure_type=ind.measure_type,
            decimals=ind.decimals,
            by_sex=ind.by_sex,
            goal_id=placement.goal_id,
            goal_path=self._goal_paths.get(placement.goal_id, []),
            reporting_points=placement.reporting_points or ind.reporting_points,
            obs=obs,
            sources=sources,
            previous_period=previous.canonical,
            previous_obs=prev_obs,
            target=target,
            computed_status=computed,
            status=status,
            assessments=assessments,
            trend=trend,
            change_pct=change,
            change_pp=pp,
            rollup=rollup,
            reconciliation=flags,
            parent_code=ind.parent_code,
            share_of_parent_pct=share,
            analysis=snap.analyses.get((unit_id, ind.id)),
            comparisons=comparison.entries() if comparison is not None else [],
            comparison_year=comparison.year if comparison is not None else None,
        )

    def _rollup(self, unit_id: int, ind, nodes) -> Rollup | None:
        present = {sex: n for sex, n in nodes.items() if n is not None and n.rollup is not None}
        if not present:
            # Values below that the aggregation cannot combine (a share entered without its
            # numerator and denominator, an indicator that is not aggregable): no roll-up
            # value, but the units below are named, so that the page can link down to them.
            present = {
                sex: n
                for sex, n in nodes.items()
                if n is not None and n.from_units and n.direct is None
            }
            if not present:
                return None
        snap = self.snapshot
        sex = "total" if "total" in present else next(iter(present))
        key = (ind.id, sex)

        def units_of() -> tuple[str, ...]:
            values = snap.values.obs[snap.period]
            direct = {unit: own[key] for unit, own in values.items() if key in own}
            contributing = contributing_units(
                unit_id, snap.children, direct, valid_units=snap.valid[snap.period]
            )
            return tuple(snap.units[u].code for u in contributing)

        return Rollup(
            obs={s: (n.rollup if n is not None else None) for s, n in nodes.items()},
            from_units=present[sex].from_units,
            units_of=units_of,
        )

    # --- activities and goals -------------------------------------------------------

    def _activities(self, unit_id: int, plan) -> list[ActivityEvaluation]:
        """The activities of the unit's plan that the unit answers or holds, each with
        its answer for the period (``planning.rules``: the same rule as the activity
        page)."""
        if plan is None:
            return []
        snap = self.snapshot
        unit_path = snap.units[unit_id].path
        plan_unit_path = self._unit_path(plan.unit_id)
        out = []
        for a in sorted(snap.activities_by_plan.get(plan.id, []), key=lambda a: (a.order, a.id)):
            role = activity_role(
                unit_path=unit_path,
                owner_path=a.owner_path,
                plan_unit_path=plan_unit_path,
                cascaded=a.cascaded,
            )
            if role is None:
                continue  # another unit's activity
            own = snap.reports.get((a.id, unit_id))
            owner = snap.reports.get((a.id, a.owner_unit_id))
            answer = activity_answer(
                role,
                activity_status=a.status,
                report=own[:2] if own else None,
                owner_report=owner[:2] if owner else None,
            )
            reason = stale_reason(answer.status, a.start_date, self.today, answer.comment)
            out.append(
                ActivityEvaluation(
                    activity_id=a.id,
                    number=a.number,
                    name=a.name,
                    kind=a.kind,
                    status=answer.status,
                    status_source=answer.source,
                    comment=answer.comment,
                    start_date=a.start_date,
                    end_date=a.end_date,
                    goal_ids=tuple(a.goal_ids),
                    stale=reason is not None,
                    stale_reason=stale_message(reason, a.start_date, language="sv") or None,
                )
            )
        return out

    def _unit_path(self, unit_id: int) -> str | None:
        unit = self.snapshot.units.get(unit_id)
        if unit is not None:
            return unit.path
        for ancestor in self.snapshot.ancestors:
            if ancestor.id == unit_id:
                return ancestor.path
        return None

    def _goals(self, unit_id, plan, goals, indicators, activities):
        if plan is None:
            return [], []
        snap = self.snapshot
        by_goal_ind: dict[int, list[str]] = defaultdict(list)
        for item in indicators:
            by_goal_ind[item.goal_id].append(item.status["total"])
        by_goal_act: dict[int, list[str]] = defaultdict(list)
        for a in activities:
            for goal_id in a.goal_ids:
                by_goal_act[goal_id].append(activity_to_status(a.status).value)
        ids = {g.id for g in goals}
        children: dict[int, list[int]] = defaultdict(list)
        for g in goals:
            if g.parent_id in ids:
                children[g.parent_id].append(g.id)
        final: dict[int, str] = {}
        computed: dict[int, str] = {}
        subtree_statuses: dict[int, list[str]] = {}
        subtree_items: dict[int, list[str]] = {}  # indicators and activities: the basis
        for g in sorted(goals, key=lambda g: -g.level):
            kids = children.get(g.id, [])
            computed[g.id] = goal_status(
                [*by_goal_ind[g.id], *by_goal_act[g.id], *(final[k] for k in kids)],
                self.thresholds,
            ).value
            manual = snap.assessments.get((unit_id, "goal", g.id))
            final[g.id] = final_status(
                computed[g.id], manual.status if manual else None, manual.reason if manual else None
            ).value
            subtree_statuses[g.id] = [
                *by_goal_ind[g.id],
                *(s for k in kids for s in subtree_statuses[k]),
            ]
            subtree_items[g.id] = [
                *by_goal_ind[g.id],
                *by_goal_act[g.id],
                *(s for k in kids for s in subtree_items[k]),
            ]
        out = []
        for g in goals:
            level_name = snap.level_names.get((plan.plan_model_id, g.level), f"Nivå {g.level}")
            counts = {k.value: v for k, v in status_counts(subtree_statuses[g.id]).items()}
            out.append(
                GoalEvaluation(
                    goal_id=g.id,
                    code=g.code,
                    name=g.name,
                    level=g.level,
                    level_name=level_name,
                    parent_id=g.parent_id,
                    path=self._goal_paths.get(g.id, [g.name]),
                    computed_status=computed[g.id],
                    status=final[g.id],
                    assessment=snap.assessments.get((unit_id, "goal", g.id)),
                    analysis=snap.analyses.get((unit_id, "goal", g.id)),
                    counts=counts,
                    indicators=len(subtree_statuses[g.id]),
                    activities=len(by_goal_act[g.id]),
                    basis=goal_basis(subtree_items[g.id]),
                )
            )
        # Seed 002's table: per goal area (level 1) and level, the goals by status.
        area_of: dict[int, GoalRow] = {}
        for g in goals:  # tree order: parents first
            area_of[g.id] = g if g.parent_id not in ids else area_of[g.parent_id]
        tally: dict[tuple[str | None, int], list[str]] = defaultdict(list)
        for g in goals:
            if g.level < 2:
                continue
            tally[(area_of[g.id].name, g.level)].append(final[g.id])
            tally[(None, g.level)].append(final[g.id])
        goal_counts = [
            GoalCount(
                area=area,
                level=level,
                level_name=snap.level_names.get((plan.plan_model_id, level), f"Nivå {level}"),
                counts={k.value: v for k, v in status_counts(statuses).items()},
            )
            for (area, level), statuses in tally.items()
        ]
        return out, goal_counts
