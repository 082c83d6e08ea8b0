"""Roll-up of many indicators at once up the organisation tree (pure, no ORM).

The rules are those of ``followup.evaluation.rollup.rollup_tree`` (a unit's reported
value is its direct value, else the aggregation of its valid children's reported
values; a closed unit and its subtree do not count; a reconciliation flag where a
direct value and the roll-up disagree), computed in one pass for every
indicator x sex of a period: one walk up the tree (deepest units first) in which each
unit only handles the keys it or its sub-units have a value for, so the work is
proportional to the data, not to units x indicators.
The tests check that both give the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass
from operator import itemgetter

from styrkort.followup.evaluation import Obs, aggregate, reconcile

__all__ = ["Node", "RollupRule", "Tree", "rollup_many", "rollup_units"]

Unit = Hashable


class Node(tuple):
    """One unit's numbers for one key, with the attributes of the pure core's
    ``NodeRollup`` (``direct``, ``rollup``, ``reported``, ``from_units``,
    ``reconciliation``) and ``unit``. A tuple underneath, because there is one per unit
    x indicator x sex x period and a tuple is built without running Python code
    (``_new_node``)."""

    __slots__ = ()

    def __new__(cls, unit, direct, rollup, reported, from_units, reconciliation):
        return tuple.__new__(cls, (unit, direct, rollup, reported, from_units, reconciliation))

    unit = property(itemgetter(0))
    direct = property(itemgetter(1))
    rollup = property(itemgetter(2))
    reported = property(itemgetter(3))
    from_units = property(itemgetter(4))
    reconciliation = property(itemgetter(5))

    def __repr__(self) -> str:
        return f"Node({self.unit!r}, reported={self.reported!r}, from_units={self.from_units})"


_new_node = tuple.__new__  # _new_node(Node, (unit, direct, rollup, reported, ...))


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

    def bottom_up(self) -> list[Unit]:
        """Every unit, deepest first (computed once)."""
        order = self.__dict__.get("_bottom_up")
        if order is None:
            order = sorted(self.depth_of, key=self.depth_of.__getitem__, reverse=True)
            self.__dict__["_bottom_up"] = order
        return order

    def children(self) -> dict[Unit, list[Unit]]:
        """Parent -> children, every unit a key."""
        out: dict[Unit, list[Unit]] = {u: [] for u in self.parent_of}
        for unit, parent in self.parent_of.items():
            if parent is not None:
                out[parent].append(unit)
        return out


def _aggregate(children: list, rule: RollupRule):
    """The pure core's ``aggregate`` on the children's reported observations (``None``
    for a child without one), with sum, mean and ratio done inline where every child
    has its numbers (same arithmetic: ``math.fsum``, the mean divided by the count)."""
    agg = rule.aggregation
    if agg == "sum" or agg == "mean":
        try:
            values = [o.value for o in children]
            total = math.fsum(values)
        except (AttributeError, TypeError):
            pass  # a child without a value (None, or an Obs without value): the general rule
        else:
            return Obs(total if agg == "sum" else total / len(values))
    elif agg == "ratio":
        parts = [
            o
            for o in children
            if o is not None and o.numerator is not None and o.denominator is not None
        ]
        if not parts:
            return None
        return Obs.from_ratio(
            math.fsum([o.numerator for o in parts]),
            math.fsum([o.denominator for o in parts]),
            rule.scale,
        )
    return aggregate(children, agg, scale=rule.scale)


def rollup_units(
    direct: Mapping[Unit, Mapping[Hashable, Obs]],
    rules: Mapping[Hashable, RollupRule],
    tree: Tree,
    *,
    valid_units: Collection[Unit] | None = None,
) -> dict[Unit, dict[Hashable, Node]]:
    """Roll every key's direct observations up ``tree`` in one pass over the units.

    ``direct``: unit -> key (e.g. indicator x sex) -> ``Obs`` entered for the unit.
    ``rules``: the first element of each key (the indicator) -> :class:`RollupRule`.
    ``valid_units``: units valid in the period (None: all). Returns unit -> key ->
    :class:`Node` for the units that have a value or a value below them (units with
    neither are absent: no data).

    Each parent collects, per key, its children's reported observations and how many
    entered values stand behind them (``[observations, from_units]``); a key without
    children at a unit (a reporting leaf) is handled without aggregating.
    """
    parent_of = tree.parent_of
    new_node = _new_node
    pending: dict[Unit, dict[Hashable, list]] = {}
    result: dict[Unit, dict[Hashable, Node]] = {}
    for unit in tree.bottom_up():
        own = direct.get(unit)
        kids = pending.pop(unit, None)
        if not own and not kids:
            continue
        if valid_units is not None and unit not in valid_units:
            continue  # a closed unit and its subtree do not count
        parent = parent_of.get(unit)
        if parent is None:
            up = None
        else:
            up = pending.get(parent)
            if up is None:
                up = pending[parent] = {}
        nodes: dict[Hashable, Node] = {}
        if own:
            up_get = up.get if up is not None else None
            for key, obs in own.items():
                if kids and key in kids:
                    continue  # with its sub-units' values, below
                if obs.value is None and not obs.has_ratio:
                    obs = None  # Obs.is_empty, without the NaN checks: values come from SQL
                nodes[key] = new_node(Node, (unit, obs, None, obs, 0, None))
                if up_get is not None:
                    bucket = up_get(key)
                    if bucket is None:
                        up[key] = [[obs], 0 if obs is None else 1]
                    else:
                        bucket[0].append(obs)
                        if obs is not None:
                            bucket[1] += 1
        if kids:
            for key, (children, from_units) in kids.items():
                obs = own.get(key) if own else None
                if obs is not None and obs.value is None and not obs.has_ratio:
                    obs = None
                rule = rules[key[0]]
                rolled = _aggregate(children, rule)
                if obs is None:
                    reported, flag = rolled, None
                else:
                    reported = obs
                    flag = (
                        reconcile(obs, rolled, rule.decimals, unit=unit)
                        if rolled is not None
                        else None
                    )
                nodes[key] = new_node(Node, (unit, obs, rolled, reported, from_units, flag))
                if up is not None:
                    count = 1 if obs is not None else from_units
                    bucket = up.get(key)
                    if bucket is None:
                        up[key] = [[reported], count]
                    else:
                        bucket[0].append(reported)
                        bucket[1] += count
        result[unit] = nodes
    return result


def rollup_many(
    direct: Mapping[Hashable, Mapping[Unit, Obs]],
    rules: Mapping[Hashable, RollupRule],
    tree: Tree,
    *,
    valid_units: Collection[Unit] | None = None,
) -> dict[Hashable, dict[Unit, Node]]:
    """Like :func:`rollup_units` with the dicts the other way round: ``direct`` and the
    result are key -> unit -> ..., and ``rules`` is keyed by the whole key."""
    by_unit: dict[Unit, dict[Hashable, Obs]] = {}
    for key, observations in direct.items():
        for unit, obs in observations.items():
            by_unit.setdefault(unit, {})[(key,)] = obs
    result = rollup_units(
        by_unit, {(key,)[0]: rule for key, rule in rules.items()}, tree, valid_units=valid_units
    )
    out: dict[Hashable, dict[Unit, Node]] = {key: {} for key in direct}
    for unit, nodes in result.items():
        for (key,), node in nodes.items():
            out[key][unit] = node
    return out
