"""The evaluation of one unit for one period, as objects (scorecard, reports) and as the
stable JSON of ``styrkort evaluate --json`` (DESIGN.md "Interfaces").

Numbers are in the indicator's own unit, unrounded; percentages in percent (51 % is
``51.0``); a missing value is ``None`` (JSON ``null``). Statuses are ``met``,
``partly``, ``not_met``, ``not_assessed``, ``no_data``; trends ``better``, ``worse``,
``unchanged``, ``none``; sexes are keyed ``total``, ``women``, ``men``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from styrkort.followup.evaluation import Obs, share_pct
from styrkort.followup.evaluation.goals import GoalBasis
from styrkort.followup.evaluation.sexes import SEXES
from styrkort.followup.evaluation.status import STATUS_ORDER

#: Version of the JSON contract; raised only when a field changes meaning or goes away.
JSON_VERSION = 1


def _obs_json(obs: Obs | None) -> dict[str, float | None]:
    if obs is None:
        return {"value": None, "numerator": None, "denominator": None}
    return {"value": obs.value, "numerator": obs.numerator, "denominator": obs.denominator}


def _value(obs: Obs | None) -> float | None:
    return None if obs is None else obs.value


def _by_sex(mapping: dict[str, Any]) -> dict[str, Any]:
    return {sex: mapping.get(sex) for sex in SEXES}


@dataclass(frozen=True)
class ManualAssessment:
    """A status set by hand with its written reason (the computed status is kept beside)."""

    status: str
    reason: str
    updated_at: dt.datetime | None = None
    updated_by: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "reason": self.reason,
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
            "updated_by": self.updated_by,
        }


@dataclass(frozen=True)
class Reconciliation:
    """A unit's directly entered value disagrees beyond rounding (or, for a ratio, in
    its numerator or denominator) with what its parts add up to: ``against="subunits"``
    the roll-up of its sub-units, ``against="sexes"`` its women and men (an entered
    ratio total without numerator/denominator, replaced by the sexes' sums).

    ``difference`` = direct - roll-up in the indicator's unit (percentage points for %).
    """

    sex: str
    unit_code: str
    direct: Obs
    rollup: Obs
    difference: float | None
    against: str = "subunits"

    def to_json(self) -> dict[str, Any]:
        return {
            "sex": self.sex,
            "unit": self.unit_code,
            "against": self.against,
            "direct": _obs_json(self.direct),
            "rollup": _obs_json(self.rollup),
            "difference": self.difference,
        }


@dataclass
class Rollup:
    """The aggregation of the sub-units valid in the period (the unit's own entered
    value left out), per sex; ``from_units`` counts the units whose entered values
    make it up and ``units`` lists their codes (tree order, worked out when asked).
    With values below that cannot be combined, every ``obs`` is None (``combined``)."""

    obs: dict[str, Obs | None]
    from_units: int
    units_of: Callable[[], tuple[str, ...]] = field(repr=False, compare=False, default=tuple)

    @cached_property
    def units(self) -> tuple[str, ...]:
        return tuple(self.units_of())

    @property
    def total(self) -> float | None:
        return _value(self.obs.get("total"))

    @property
    def combined(self) -> bool:
        """False when the sub-units have values that the indicator's aggregation cannot
        combine (shares without their numerator and denominator, "not aggregable")."""
        return any(o is not None for o in self.obs.values())

    @property
    def numerator(self) -> float | None:
        total = self.obs.get("total")
        return None if total is None else total.numerator

    @property
    def denominator(self) -> float | None:
        total = self.obs.get("total")
        return None if total is None else total.denominator

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "women": _value(self.obs.get("women")),
            "men": _value(self.obs.get("men")),
            "numerator": self.numerator,
            "denominator": self.denominator,
            "from_units": self.from_units,
            "units": list(self.units),
        }


@dataclass(frozen=True)
class TargetInfo:
    """The target applied: the text as the plan prints it and its parsed ``spec``
    (``planning.targets``), the year, the unit it is set for (per-unit target) and, for a
    relative target, the reference period and its values."""

    text: str
    kind: str
    year: int
    spec: dict[str, Any]
    unit_code: str | None = None
    reference_period: str | None = None
    reference_values: dict[str, float | None] = field(default_factory=dict)
    long_term: tuple[tuple[str, int], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "kind": self.kind,
            "year": self.year,
            "unit": self.unit_code,
            "spec": self.spec,
            "reference": (
                None
                if self.kind not in ("relative", "benchmark", "comparison")
                else {
                    "kind": self.spec.get("reference") or "previous_year",
                    "period": self.reference_period,
                    "values": _by_sex(self.reference_values),
                }
            ),
            "long_term": [{"text": text, "year": year} for text, year in self.long_term],
        }


@dataclass
class IndicatorEvaluation:
    """One indicator placed under a goal of the plan, evaluated for the unit and period.

    ``values``/``obs``: the unit's value per sex (entered, derived from finer periods or
    from the sexes, else rolled up from its sub-units; see ``sources``). ``previous``:
    the same period last year, for ``trend`` and ``change_pct``. ``computed_status``
    is the rules' own, ``status`` the final one after a manual ``assessments`` entry.
    """

    indicator_id: int
    code: str
    name: str
    unit: str
    kind: str
    direction: str
    aggregation: str
    measure_type: str
    decimals: int
    by_sex: bool
    goal_id: int | None
    goal_path: list[str]
    reporting_points: str
    obs: dict[str, Obs | None]
    sources: dict[str, str | None]
    previous_period: str
    previous_obs: dict[str, Obs | None]
    target: TargetInfo | None
    computed_status: dict[str, str]
    status: dict[str, str]
    assessments: dict[str, ManualAssessment]
    trend: dict[str, str]
    change_pct: float | None
    change_pp: float | None
    rollup: Rollup | None
    reconciliation: list[Reconciliation]
    parent_code: str | None = None
    share_of_parent_pct: float | None = None
    analysis: str | None = None
    #: Kolada's values for the own area, riket and the comparison groups (styrkort.comparisons)
    comparisons: list[dict[str, Any]] = field(default_factory=list)
    comparison_year: int | None = None

    @property
    def values(self) -> dict[str, float | None]:
        return {sex: _value(self.obs.get(sex)) for sex in SEXES}

    @property
    def previous_values(self) -> dict[str, float | None]:
        return {sex: _value(self.previous_obs.get(sex)) for sex in SEXES}

    @property
    def numerator(self) -> float | None:
        total = self.obs.get("total")
        return None if total is None else total.numerator

    @property
    def denominator(self) -> float | None:
        total = self.obs.get("total")
        return None if total is None else total.denominator

    @property
    def has_data(self) -> bool:
        return any(o is not None for o in self.obs.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "unit": self.unit,
            "kind": self.kind,
            "direction": self.direction,
            "aggregation": self.aggregation,
            "measure_type": self.measure_type,
            "decimals": self.decimals,
            "goal_path": list(self.goal_path),
            "reporting_points": self.reporting_points,
            "values": self.values,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "sexes": {sex: _obs_json(self.obs.get(sex)) for sex in SEXES if sex != "total"},
            "value_source": _by_sex(self.sources),
            "previous": {"period": self.previous_period, "values": self.previous_values},
            "target": None if self.target is None else self.target.to_json(),
            "computed_status": _by_sex(self.computed_status),
            "status": _by_sex(self.status),
            "assessment": {
                sex: a.to_json() for sex, a in self.assessments.items() if a is not None
            },
            "trend": _by_sex(self.trend),
            "change_pct": self.change_pct,
            "change_pp": self.change_pp,
            "parent_indicator": self.parent_code,
            "share_of_parent_pct": self.share_of_parent_pct,
            "rollup": None if self.rollup is None else self.rollup.to_json(),
            "reconciliation": [r.to_json() for r in self.reconciliation],
            "comparisons": self.comparisons,
        }


@dataclass
class GoalEvaluation:
    """A goal of the plan: its status from the indicators, activities and child goals
    under it (``followup.evaluation.goal_status``), a manual assessment if any, and the
    counts of the indicator statuses in its subtree."""

    goal_id: int
    code: str
    name: str
    level: int
    level_name: str
    parent_id: int | None
    path: list[str]
    computed_status: str
    status: str
    assessment: ManualAssessment | None
    counts: dict[str, int]
    indicators: int
    activities: int
    analysis: str | None = None  # the unit's analysis of the goal for the period
    #: How many of the indicators and activities in its subtree the status rests on.
    basis: GoalBasis | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "basis": None if self.basis is None else self.basis.to_json(),
            "code": self.code,
            "name": self.name,
            "level": self.level,
            "level_name": self.level_name,
            "analysis": self.analysis,
            "path": list(self.path),
            "computed_status": self.computed_status,
            "status": self.status,
            "assessment": None if self.assessment is None else self.assessment.to_json(),
            "counts": dict(self.counts),
            "indicators": self.indicators,
            "activities": self.activities,
        }


@dataclass(frozen=True)
class GoalCount:
    """Seed 002's table: how many goals of one level under one goal area (level 1) are
    met, partly met, not met ... (``area`` None: the whole plan)."""

    area: str | None
    level: int
    level_name: str
    counts: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        return {
            "area": self.area,
            "level": self.level,
            "level_name": self.level_name,
            "counts": dict(self.counts),
        }


@dataclass(frozen=True)
class ActivityEvaluation:
    """An activity's status for the period: the latest report for the period by the unit
    (or by the owner unit), else the activity's own status. ``stale``: a status someone
    forgot to change (``followup.evaluation.is_stale``), with ``stale_reason``."""

    activity_id: int
    number: str
    name: str
    kind: str
    status: str
    status_source: str
    comment: str
    start_date: dt.date | None
    end_date: dt.date | None
    goal_ids: tuple[int, ...]
    stale: bool
    stale_reason: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "name": self.name,
            "kind": self.kind,
            "status": self.status,
            "status_source": self.status_source,
            "comment": self.comment,
            "start_date": self.start_date.isoformat() if self.start_date else None,
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "stale": self.stale,
            "stale_reason": self.stale_reason,
        }


@dataclass
class UnitEvaluation:
    """Everything the scorecard and the reports show for one unit and period.

    ``plan`` is the unit's plan covering the period's year (latest adopted, else latest;
    a unit without its own plan follows its nearest superior unit's plan, named by
    ``plan_unit_code``). ``indicators`` in goal-tree order; ``other_indicators``: those
    with values here that the plan does not place (production figures, control
    measures; no target), by code; ``goals`` in tree order;
    ``activity_counts`` includes rows of ``ActivitySummary`` (activities reported as
    counts only).
    """

    unit_id: int
    unit_code: str
    unit_name: str
    organisation_code: str
    organisation_name: str
    period: str
    period_label: str
    plan_id: int | None
    plan_code: str | None
    plan_name: str | None
    plan_state: str | None
    plan_unit_code: str | None
    indicators: list[IndicatorEvaluation]
    other_indicators: list[IndicatorEvaluation]
    goals: list[GoalEvaluation]
    goal_counts: list[GoalCount]
    activities: list[ActivityEvaluation]
    activity_counts: dict[str, int]
    today: dt.date

    @property
    def stale_activities(self) -> list[ActivityEvaluation]:
        return [a for a in self.activities if a.stale]

    def indicator(self, code: str) -> IndicatorEvaluation:
        """The first placement of the indicator with this code, else the unplaced
        indicator with this code (KeyError if none)."""
        for item in (*self.indicators, *self.other_indicators):
            if item.code == code:
                return item
        raise KeyError(code)

    def value(self, code: str, sex: str = "total") -> float | None:
        """The unit's value of an indicator (None when it has none)."""
        try:
            return self.indicator(code).values[sex]
        except KeyError:
            return None

    def share_pct(self, part_code: str, whole_code: str, sex: str = "total") -> float | None:
        """One indicator's value as a percentage (0-100) of another's, as seed 001's
        production table shows remote visits of all visits: 6 247 of 31 180 -> 20.03."""
        return share_pct(self.value(part_code, sex), self.value(whole_code, sex))

    def status_counts(self) -> dict[str, int]:
        """Final total statuses of the indicators, every status a key."""
        counts = dict.fromkeys(STATUS_ORDER, 0)
        for item in self.indicators:
            counts[item.status["total"]] += 1
        return counts

    def to_json(self) -> dict[str, Any]:
        """The documented contract of ``styrkort evaluate --json`` (docs/evaluation.md)."""
        return {
            "version": JSON_VERSION,
            "org": {
                "code": self.unit_code,
                "name": self.unit_name,
                "organisation": {"code": self.organisation_code, "name": self.organisation_name},
            },
            "period": self.period,
            "plan": (
                None
                if self.plan_id is None
                else {
                    "code": self.plan_code,
                    "name": self.plan_name,
                    "state": self.plan_state,
                    "unit": self.plan_unit_code,
                }
            ),
            "indicators": [item.to_json() for item in self.indicators],
            "other_indicators": [item.to_json() for item in self.other_indicators],
            "status_counts": self.status_counts(),
            "goals": [goal.to_json() for goal in self.goals],
            "goal_counts": [count.to_json() for count in self.goal_counts],
            "activities": {
                "counts": dict(self.activity_counts),
                "stale": [a.to_json() for a in self.stale_activities],
                "items": [a.to_json() for a in self.activities],
            },
        }
