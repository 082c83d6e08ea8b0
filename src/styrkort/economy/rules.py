"""Pure economy rules: income-statement totals, deviations, frames, investment split.

No ORM here. Sign convention (as seed 003's resultaträkning prints it): amounts are stored
with their sign, income positive and costs negative, so every subtotal is the plain sum of
its children and the result line ("Årets resultat") is the sum of everything under it. A
deviation is `actual - reference`: positive is always the better side (more income or
less cost than budgeted). Amounts are in tkr unless a caller says otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

Number = TypeVar("Number", int, float, Decimal)

# Objects above this amount (tkr) are decided one by one: "objekt över 4,5 mnkr".
INVESTMENT_THRESHOLD_TKR = Decimal("4500")


@dataclass
class LineNode:
    """A line of an income statement: a leaf holds amounts, a group is the sum of its
    children."""

    code: str
    children: list[LineNode] = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return not self.children


def build_tree(lines: Iterable[tuple[str, str | None]]) -> list[LineNode]:
    """Roots of the tree given (code, parent_code) pairs in display order."""
    nodes: dict[str, LineNode] = {}
    pairs = list(lines)
    for code, _parent in pairs:
        nodes[code] = LineNode(code)
    roots: list[LineNode] = []
    for code, parent in pairs:
        if parent is None:
            roots.append(nodes[code])
        elif parent not in nodes:
            raise ValueError(f"Raden {code} pekar på en okänd överordnad rad {parent}.")
        else:
            nodes[parent].children.append(nodes[code])
    return roots


def line_totals(roots: Sequence[LineNode], leaf_values: Mapping[str, Number | None]) -> dict:
    """Every line's amount: leaves from `leaf_values`, groups the sum of their children.

    A leaf without a value is None; a group is None only when all its children are."""
    result: dict[str, Number | None] = {}

    def visit(node: LineNode):
        if node.is_leaf:
            value = leaf_values.get(node.code)
        else:
            parts = [visit(child) for child in node.children]
            present = [p for p in parts if p is not None]
            value = sum(present[1:], present[0]) if present else None
        result[node.code] = value
        return value

    for root in roots:
        visit(root)
    return result


@dataclass(frozen=True)
class Deviation:
    """`amount` = actual - reference; `pct` relative to |reference| in percent (0-100
    scale), None when the reference is zero or missing."""

    amount: Number | None
    pct: float | None


def deviation(actual: Number | None, reference: Number | None) -> Deviation:
    """Deviation of an actual (or forecast) from a reference (budget). Positive is better
    under the sign convention above."""
    if actual is None or reference is None:
        return Deviation(None, None)
    amount = actual - reference
    pct = float(amount) / abs(float(reference)) * 100.0 if reference else None
    return Deviation(amount, pct)


def budget_deviation(actual: Number | None, budget: Number | None) -> Deviation:
    """Budgetavvikelse: actual - budget."""
    return deviation(actual, budget)


def forecast_deviation(forecast: Number | None, budget: Number | None) -> Deviation:
    """Prognosavvikelse: forecast for the year - budget."""
    return deviation(forecast, budget)


def frame_total(base: Number | None, changes: Iterable[Number]) -> Number | None:
    """A frame: last year's grant (anslag året innan) plus its changes; None without a base.

    Seed 004: 8 406,5 + 300,2 + 17,0 + 38,5 + 15,6 - 8,1 + 2,4 + 50,0 - 110,0 = 8 712,1."""
    if base is None:
        return None
    total = base
    for change in changes:
        total = total + change
    return total


def allocation_gap(parent_total: Number | None, child_totals: Iterable[Number | None]):
    """Parent frame minus the sum of the frames allocated from it (0 when it adds up),
    None when a figure is missing."""
    children = list(child_totals)
    if parent_total is None or any(c is None for c in children):
        return None
    gap = parent_total
    for c in children:
        gap = gap - c
    return gap


@dataclass(frozen=True)
class InvestmentSplit:
    over: list
    under: list
    over_total: Decimal
    under_total: Decimal

    @property
    def total(self) -> Decimal:
        return self.over_total + self.under_total


def split_investments(
    items: Iterable, threshold: Number = INVESTMENT_THRESHOLD_TKR, amount=lambda i: i.amount
) -> InvestmentSplit:
    """Split investment objects at the threshold (tkr): strictly above it "över",
    everything else "under". Seed 003: no object over 4,5 mnkr, three under: 560 tkr."""
    over, under = [], []
    for item in items:
        (over if Decimal(str(amount(item))) > Decimal(str(threshold)) else under).append(item)
    return InvestmentSplit(
        over,
        under,
        sum((Decimal(str(amount(i))) for i in over), Decimal(0)),
        sum((Decimal(str(amount(i))) for i in under), Decimal(0)),
    )


def remaining_frame(frame: Number | None, used: Iterable[Number]) -> Number | None:
    """What is left of an investment frame after the listed objects (seed 003: room for
    urgent investments 1 000 - 560 = 440 tkr)."""
    if frame is None:
        return None
    left = frame
    for value in used:
        left = left - value
    return left
