"""Units side by side for one indicator and reporting point: a unit's sub-units (or, for a
unit without any, its sibling units), each with its value per sex, status and target,
sorted best first by the indicator's direction; with the target line of the unit above.

One tree evaluation (``followup.queries.evaluate_tree``) of the unit whose children are
compared: a fixed number of queries whatever the number of units.
"""

from __future__ import annotations

from dataclasses import dataclass

from styrkort.periods import Period

SEXES = ("total", "women", "men")


@dataclass(frozen=True)
class UnitValue:
    code: str
    name: str
    values: dict[str, float | None]  # total, women, men
    numerator: float | None
    denominator: float | None
    source: str | None  # entered, rollup, sexes, months ... (the engine's value source)
    status: str
    target_text: str | None
    is_self: bool


@dataclass
class SideBySide:
    indicator_code: str
    indicator_name: str
    unit: str  # the indicator's unit (%, st ...)
    decimals: int
    direction: str
    period: Period
    parent_code: str  # the unit whose sub-units are compared
    parent_name: str
    siblings: bool  # True: the asked unit has no sub-units, its siblings are compared
    target_value: float | None  # the parent's numeric target for the period, if any
    target_text: str | None
    rows: list[UnitValue]  # sorted: units with a value best first, then those without

    @property
    def with_values(self) -> list[UnitValue]:
        return [r for r in self.rows if any(v is not None for v in r.values.values())]


def target_line(spec: dict | None, period: Period) -> float | None:
    """The numeric target of a parsed target (``planning.targets``) for the period: a
    value target's value, the reporting point's value of a target per reporting point;
    None for other kinds (per sex, relative, qualitative)."""
    if not spec:
        return None
    kind = spec.get("kind")
    if kind == "value":
        return spec.get("value")
    if kind == "by_point":
        part = (spec.get("parts") or {}).get(period.reporting_point or "")
        return part.get("value") if part else None
    return None


def sort_best_first(rows: list[UnitValue], direction: str) -> list[UnitValue]:
    """Units with a total value first, best first (lower first when lower is better,
    else higher first), ties and units without a value in tree order."""
    valued = [r for r in rows if r.values["total"] is not None]
    empty = [r for r in rows if r.values["total"] is None]
    sign = 1 if direction == "lower" else -1
    return sorted(valued, key=lambda r: sign * r.values["total"]) + empty


class NotInPlan(LookupError):
    """Neither the unit nor its compared units have the indicator."""


def side_by_side(unit, period: Period, indicator_code: str, *, today=None) -> SideBySide:
    """The sub-units of ``unit`` (an ``OrgUnit``) for the indicator, or its siblings when it
    has no sub-units valid in the period. Raises NotInPlan when no compared unit and not the
    parent has the indicator."""
    from styrkort.followup.queries import evaluate_tree
    from styrkort.organisation.lookup import parent_unit

    tree = evaluate_tree(unit, period, today=today)
    snap = tree.snapshot
    valid = snap.valid[tree.period]
    kids = [c for c in snap.children.get(unit.id, ()) if c in valid]
    parent, siblings = unit, False
    if not kids and unit.depth > 1:
        parent = parent_unit(unit)
        if parent is not None:
            tree = evaluate_tree(parent, period, today=today)
            snap = tree.snapshot
            valid = snap.valid[tree.period]
            kids = [c for c in snap.children.get(parent.id, ()) if c in valid]
            siblings = True
        else:
            parent = unit
    kids.sort(key=lambda c: snap.units[c].path)

    def item_of(unit_id):
        try:
            return tree.evaluator.unit(unit_id, include_empty=True).indicator(indicator_code)
        except KeyError:
            return None

    head = item_of(parent.id)
    rows, first = [], head
    for kid in kids:
        item = item_of(kid)
        first = first or item
        row = snap.units[kid]
        rows.append(
            UnitValue(
                code=row.code,
                name=row.name,
                values=dict(item.values) if item else dict.fromkeys(SEXES),
                numerator=item.numerator if item else None,
                denominator=item.denominator if item else None,
                source=item.sources.get("total") if item else None,
                status=item.status["total"] if item else "no_data",
                target_text=item.target.text if item and item.target else None,
                is_self=kid == unit.id,
            )
        )
    if first is None:
        raise NotInPlan(indicator_code)
    target = head.target if head is not None else None
    return SideBySide(
        indicator_code=first.code,
        indicator_name=first.name,
        unit=first.unit,
        decimals=first.decimals,
        direction=first.direction,
        period=tree.period,
        parent_code=parent.code,
        parent_name=parent.name,
        siblings=siblings,
        target_value=target_line(target.spec, tree.period) if target else None,
        target_text=target.text if target else None,
        rows=sort_best_first(rows, first.direction),
    )
