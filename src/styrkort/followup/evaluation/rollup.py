"""Roll-up of outcomes up the organisation tree, and reconciliation of reported values.

Definitions, for one indicator, period and sex:

* a unit's **direct** value is the observation entered for the unit itself (if any);
* a unit's **roll-up** is the aggregation (``aggregate.aggregate``) of the *reported*
  values of its children that are valid in the period (a closed unit and its subtree
  do not count);
* a unit's **reported** value is its direct value if entered, else its roll-up
  (so recursively the roll-up of its descendants' values);
* a **reconciliation flag** is raised where a unit has both a direct value and a
  roll-up and they disagree beyond rounding.

For ``sum`` and ``ratio`` the roll-up of a unit without direct values below it equals
the aggregation of all its leaves, whatever the tree's shape. ``mean`` is the
unweighted mean of the children's reported values. Values are in the indicator's unit
(percentages 0-100). Everything is computed in one pass: O(number of units).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from . import _num
from .aggregate import PERCENT_SCALE, Aggregation, Obs, aggregate

Unit = Hashable


@dataclass(frozen=True, slots=True)
class ReconciliationFlag:
    """A unit's directly reported value disagrees with the roll-up of its children.

    ``difference`` = direct value - roll-up value (indicator's unit; for % in
    percentage points), None when one side has no value.
    """

    unit: Unit | None
    direct: Obs
    rollup: Obs
    difference: float | None
    decimals: int

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: numbers unrounded."""

        def obs(o: Obs) -> dict[str, float | None]:
            return {"value": o.value, "numerator": o.numerator, "denominator": o.denominator}

        return {
            "unit": self.unit,
            "direct": obs(self.direct),
            "rollup": obs(self.rollup),
            "difference": self.difference,
        }


@dataclass(frozen=True, slots=True)
class NodeRollup:
    """One unit's numbers: ``direct`` (entered), ``rollup`` (from its valid children),
    ``reported`` (direct, else rollup); ``from_units`` counts the units whose entered
    values make up ``rollup`` (``contributing_units`` lists them)."""

    unit: Unit
    direct: Obs | None
    rollup: Obs | None
    reported: Obs | None
    from_units: int
    reconciliation: ReconciliationFlag | None


def _differ(a: float | None, b: float | None, tolerance: float) -> bool:
    if _num.is_missing(a) and _num.is_missing(b):
        return False
    if _num.is_missing(a) or _num.is_missing(b):
        return True
    return abs(a - b) > tolerance + _num.slack(a, b)


def reconcile(
    direct: Obs | None, rolled: Obs | None, decimals: int, *, unit: Unit | None = None
) -> ReconciliationFlag | None:
    """Flag when a unit's direct value and the roll-up of its children disagree.

    They disagree when the values differ by more than half a unit of the last shown
    decimal (``decimals``: 1 -> 0.05), i.e. beyond what rounding explains, or when both
    carry numerator and denominator and either differs (those are counts: 1 302/1 664
    against 1 324/1 757 is a different population even if the shares were close).
    Nothing to compare (either missing) -> None.
    """
    if direct is None or rolled is None or direct.is_empty or rolled.is_empty:
        return None
    tolerance = 0.5 * 10.0 ** (-decimals)
    mismatch = _differ(direct.value, rolled.value, tolerance)
    if direct.has_ratio and rolled.has_ratio:
        mismatch = (
            mismatch
            or _differ(direct.numerator, rolled.numerator, 0.0)
            or _differ(direct.denominator, rolled.denominator, 0.0)
        )
    if not mismatch:
        return None
    difference = (
        None
        if _num.is_missing(direct.value) or _num.is_missing(rolled.value)
        else direct.value - rolled.value
    )
    return ReconciliationFlag(unit, direct, rolled, difference, decimals)


def _children_map(
    children_by_parent: Mapping[Unit, Iterable[Unit]], extra: Iterable[Unit]
) -> dict[Unit, list[Unit]]:
    """Deduplicated children per unit, every unit present; checks one parent per unit."""
    children: dict[Unit, list[Unit]] = {}
    parent_of: dict[Unit, Unit] = {}
    for parent, kids in children_by_parent.items():
        own = children.setdefault(parent, [])
        for child in dict.fromkeys(kids):
            if child in parent_of and parent_of[child] != parent:
                raise ValueError(
                    f"Enheten {child!r} har två överordnade enheter "
                    f"({parent_of[child]!r} och {parent!r})."
                )
            parent_of[child] = parent
            own.append(child)
            children.setdefault(child, [])
    for unit in extra:
        children.setdefault(unit, [])
    return children


def _post_order(children: Mapping[Unit, list[Unit]]) -> list[Unit]:
    """Every unit, children before their parent. Raises ValueError on a cycle."""
    has_parent = {c for kids in children.values() for c in kids}
    pre: list[Unit] = []
    stack = [u for u in children if u not in has_parent]
    while stack:
        unit = stack.pop()
        pre.append(unit)
        stack.extend(children[unit])
    if len(pre) != len(children):
        raise ValueError("Organisationsträdet innehåller en cykel.")
    pre.reverse()
    return pre


def rollup_tree(
    children_by_parent: Mapping[Unit, Iterable[Unit]],
    observations: Mapping[Unit, Obs | None],
    aggregation: Aggregation | str,
    *,
    valid_units: Collection[Unit] | None = None,
    scale: float = PERCENT_SCALE,
    decimals: int = 1,
) -> dict[Unit, NodeRollup]:
    """Roll observations up the tree; one ``NodeRollup`` per unit valid in the period.

    ``children_by_parent``: parent -> children (a forest; a unit with two parents or a
    cycle raises ValueError). ``observations``: the direct values entered per unit
    (units absent from the tree are taken as single-unit trees). ``valid_units``: the
    units valid in the period (None: all); an invalid unit's subtree is left out of its
    ancestors' roll-ups and out of the result. ``scale``: see ``aggregate.ratio_scale``.
    ``decimals``: the indicator's shown decimals, for the reconciliation.
    """
    agg = Aggregation(aggregation)
    children = _children_map(children_by_parent, observations.keys())

    def valid(unit: Unit) -> bool:
        return valid_units is None or unit in valid_units

    reported: dict[Unit, Obs | None] = {}
    entered: dict[Unit, bool] = {}
    counts: dict[Unit, int] = {}
    result: dict[Unit, NodeRollup] = {}
    for unit in _post_order(children):
        obs = observations.get(unit)
        direct = None if obs is None or obs.is_empty else obs
        kids = [c for c in children[unit] if valid(c)]
        rolled = aggregate((reported[c] for c in kids), agg, scale=scale) if kids else None
        from_units = sum(1 if entered[c] else counts[c] for c in kids)
        reported[unit] = direct if direct is not None else rolled
        entered[unit] = direct is not None
        counts[unit] = from_units
        if valid(unit):
            result[unit] = NodeRollup(
                unit=unit,
                direct=direct,
                rollup=rolled,
                reported=reported[unit],
                from_units=from_units,
                reconciliation=reconcile(direct, rolled, decimals, unit=unit),
            )
    return result


def contributing_units(
    unit: Unit,
    children_by_parent: Mapping[Unit, Iterable[Unit]],
    observations: Mapping[Unit, Obs | None],
    *,
    valid_units: Collection[Unit] | None = None,
) -> list[Unit]:
    """The units whose entered values make up ``unit``'s roll-up, in tree order: the
    nearest valid descendants with a direct value (their own subtrees are not entered)."""
    out: list[Unit] = []
    stack = list(reversed(list(dict.fromkeys(children_by_parent.get(unit, ())))))
    seen: set[Unit] = {unit}
    while stack:
        child = stack.pop()
        if child in seen:
            raise ValueError("Organisationsträdet innehåller en cykel.")
        seen.add(child)
        if valid_units is not None and child not in valid_units:
            continue
        obs = observations.get(child)
        if obs is not None and not obs.is_empty:
            out.append(child)
        else:
            stack.extend(reversed(list(dict.fromkeys(children_by_parent.get(child, ())))))
    return out
