"""Status of a target relative to others (``planning.targets`` kind ``comparison``).

Pure: no Django, no ORM. The caller supplies the published values the target compares
with (Kolada's riket, a comparison group's average, the regions' values) for one year
(the latest published year not after the period's year) as :class:`ComparisonFacts`.
Values are in the indicator's own unit; percentages 0-100. ``tolerance_pct`` and
``epsilon_pct`` are percentages *of the reference value* (not percentage points).

The rules, for an indicator whose desired direction is higher or lower (an indicator
without a direction cannot be better or worse, so only ``level`` is assessed for it):

* ``level`` ("I nivå med riket"): met when the value is within ``tolerance_pct`` of the
  reference or better than it; partly within twice the tolerance; else not met.
* ``better`` ("Bättre än riket"): met when better than the reference by more than
  ``epsilon_pct``; partly when within epsilon of it (level, not better); else not met.
* ``top`` ("Bland de N bästa regionerna"): the value's place among the other regions'
  values (1 = best; ties share the better place); met when the place is at most N;
  partly when at most N + 2; else not met. Fewer than N other regions published: not
  assessed.
* ``gap`` ("Minskad skillnad mot riket jämfört med 2019"): the gap is the value minus
  the reference; compared with the gap in the baseline year (the region's and riket's
  published values then). Met when its size shrank by more than ``epsilon_pct`` of the
  reference; partly when unchanged within it; not met when it grew.

Anything missing (no reference, no baseline) is not assessed; a missing value is no
data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from . import _num
from .direction import Direction, as_direction, direction_sign

__all__ = ["ComparisonFacts", "evaluate_comparison", "rank_among"]


@dataclass(frozen=True)
class ComparisonFacts:
    """What a comparison target is assessed against, for one sex and one year.

    ``year``: the published year used. ``reference``: riket's value (or the
    comparison group's) that year. ``regions``: every region's value that year by area
    id (for ``top``), the organisation's own area excluded by the caller or by
    ``own_area``. ``baseline_value``/``baseline_reference``: the region's and the
    reference's values in the ``gap`` target's baseline year."""

    year: int | None = None
    reference: float | None = None
    regions: Mapping[str, float] = field(default_factory=dict)
    own_area: str | None = None
    baseline_year: int | None = None
    baseline_value: float | None = None
    baseline_reference: float | None = None


def _get(spec: Any, name: str) -> Any:
    if isinstance(spec, Mapping):
        return spec.get(name)
    return getattr(spec, name, None)


def rank_among(value: float, others: Mapping[str, float], direction: Direction | str | None):
    """The place (1 = best) ``value`` would take among ``others`` (area -> value): one
    more than the number of others strictly better. None without a direction."""
    sign = direction_sign(as_direction(direction))
    if not sign:
        return None
    better = sum(1 for v in others.values() if v is not None and _num.gt(sign * v, sign * value))
    return better + 1


def evaluate_comparison(
    spec: Any,
    value: float | None,
    facts: ComparisonFacts | None,
    *,
    direction: Direction | str | None,
    tolerance_pct: float = 10.0,
    epsilon_pct: float = 1.0,
) -> str:
    """The status (``met``, ``partly``, ``not_met``, ``not_assessed``, ``no_data``) of
    ``value`` against a comparison target ``spec`` (a ``TargetSpec`` or its dict)."""
    _num.check_pct(tolerance_pct, "tolerance_pct")
    _num.check_pct(epsilon_pct, "epsilon_pct")
    if _num.is_missing(value):
        return "no_data"
    if facts is None:
        return "not_assessed"
    relation = _get(spec, "relation")
    direction = as_direction(direction)
    sign = direction_sign(direction)
    if relation == "top":
        return _top(spec, value, facts, direction)
    if relation == "gap":
        return _gap(value, facts, epsilon_pct)
    reference = facts.reference
    if _num.is_missing(reference):
        return "not_assessed"
    deviation = value - reference
    if relation == "level":
        band = abs(reference) * tolerance_pct / 100
        if _num.le(abs(deviation), band) or (sign and sign * deviation > 0):
            return "met"
        return "partly" if _num.le(abs(deviation), 2 * band) else "not_met"
    if relation == "better":
        if not sign:
            return "not_assessed"
        eps = abs(reference) * epsilon_pct / 100
        if _num.gt(sign * deviation, eps):
            return "met"
        return "partly" if _num.le(abs(deviation), eps) else "not_met"
    return "not_assessed"


def _top(spec: Any, value: float, facts: ComparisonFacts, direction: Direction) -> str:
    n = _get(spec, "rank")
    others = {a: v for a, v in facts.regions.items() if a != facts.own_area and v is not None}
    if not n or len(others) < n:
        return "not_assessed"
    place = rank_among(value, others, direction)
    if place is None:
        return "not_assessed"
    if place <= n:
        return "met"
    return "partly" if place <= n + 2 else "not_met"


def _gap(value: float, facts: ComparisonFacts, epsilon_pct: float) -> str:
    if any(
        _num.is_missing(x)
        for x in (facts.reference, facts.baseline_value, facts.baseline_reference)
    ):
        return "not_assessed"
    now = abs(value - facts.reference)
    then = abs(facts.baseline_value - facts.baseline_reference)
    eps = abs(facts.reference) * epsilon_pct / 100
    if _num.gt(then - now, eps):
        return "met"
    return "partly" if _num.le(abs(then - now), eps) else "not_met"
