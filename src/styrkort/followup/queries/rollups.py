"""Roll-up of many indicators at once up the organisation tree (pure, no ORM).

The rules are those of ``followup.evaluation.rollup.rollup_tree`` (a unit's reported
value is its direct value, else the aggregation of its valid children's reported
values; a closed unit and its subtree do not count; a reconciliation flag where a
direct value and the roll-up disagree), computed in one pass for every
indicator x sex of a period: each key only visits the units that have a value and
their ancestors, so the work is proportional to the data, not to units x indicators.
The tests check that both give the same numbers.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass

from styrkort.followup.evaluation import NodeRollup, aggregate, reconcile

__all__ = ["RollupRule", "Tree", "rollup_many"]

Unit = Hashable


@dataclass(frozen=True, slots=True)
class RollupRule:
    """How one indicator adds up: its aggregation, ratio scale and shown decimals."""

    aggregation: str
    scale: float
    decimals: int


@dataclass
class Tree:
    """The units of a subtree: ``parent_of`` (the subtree's root maps to None) and
    ``depth_of`` (any integers, deeper is larger)."""

    parent_of: dict[Unit, Unit | None]
    depth_of: dict[Unit, int]

    def children(self) -> dict[Unit, list[Unit]]:
        """Parent -> children, every unit a key."""
        out: dict[Unit, list[Unit]] = {u: [] for u in self.parent_of}
        for unit, parent in self.parent_of.items():
            if parent is not None:
                out[parent].append(unit)
        return out


def _rollup_one(
    direct: Mapping[Unit, object],
    tree: Tree,
    valid: Collection[Unit] | None,
    rule: RollupRule,
) -> dict[Unit, NodeRollup]:
    parent_of, depth_of = tree.parent_of, tree.depth_of
    by_depth: dict[int, set[Unit]] = {}
    for unit in direct:
        if unit in depth_of:
            by_depth.setdefault(depth_of[unit], set()).add(unit)
    pending: dict[Unit, list] = {}
    result: dict[Unit, NodeRollup] = {}
    agg, scale, decimals = rule.aggregation, rule.scale, rule.decimals
    while by_depth:
        depth = max(by_depth)
        for unit in by_depth.pop(depth):
            obs = direct.get(unit)
            own = None if obs is None or obs.is_empty else obs
            kids = pending.pop(unit, None)
            if kids:
                rolled = aggregate([k[0] for k in kids], agg, scale=scale)
                from_units = sum(k[1] for k in kids)
            else:
                rolled, from_units = None, 0
            reported = own if own is not None else rolled
            if valid is not None and unit not in valid:
                continue
            result[unit] = NodeRollup(
                unit=unit,
                direct=own,
                rollup=rolled,
                reported=reported,
                from_units=from_units,
                reconciliation=(
                    reconcile(own, rolled, decimals, unit=unit)
                    if own is not None and rolled is not None
                    else None
                ),
            )
            parent = parent_of.get(unit)
            if parent is not None:
                pending.setdefault(parent, []).append(
                    (reported, 1 if own is not None else from_units)
                )
                by_depth.setdefault(depth_of[parent], set()).add(parent)
    return result


def rollup_many(
    direct: Mapping[Hashable, Mapping[Unit, object]],
    rules: Mapping[Hashable, RollupRule],
    tree: Tree,
    *,
    valid_units: Collection[Unit] | None = None,
) -> dict[Hashable, dict[Unit, NodeRollup]]:
    """Roll every key's direct observations up ``tree``.

    ``direct``: key (e.g. indicator x sex) -> unit -> ``Obs`` entered for the unit.
    ``rules``: key -> :class:`RollupRule`. ``valid_units``: units valid in the period
    (None: all). Returns key -> unit -> ``NodeRollup`` for the units that have a value
    or a value below them (units with neither are absent: no data).
    """
    return {
        key: _rollup_one(observations, tree, valid_units, rules[key])
        for key, observations in direct.items()
    }
