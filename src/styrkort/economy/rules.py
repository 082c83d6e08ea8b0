"""Pure economy rules: income-statement totals, deviations, frames, investment split.

No ORM here. Sign convention (as seed 003's resultaträkning prints it): amounts are stored
with their sign, income positive and costs negative, so every subtotal is the plain sum of
its children and the result line ("Årets resultat") is the sum of everything under it. A
deviation is `actual - reference`: positive is always the better side (more income or
less cost than budgeted). Amounts are in tkr unless a caller says otherwise.

The ledger arithmetic behind indicators fed from the income statement (a yearly amount
wins over the months, the year and the reporting points DÅ04/DÅ08 as actual minus budget,
tkr to the indicator's unit) is here too; ``economy.services.feed_ledger_indicators``
only reads the amounts and writes the outcomes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from styrkort.periods import Period, reporting_points

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


# --- the ledger behind an indicator --------------------------------------------------------

#: Factor from tkr (how amounts are stored) to an indicator's unit.
TKR_FACTORS: dict[str, Decimal] = {"tkr": Decimal(1), "mnkr": Decimal("0.001"), "kr": Decimal(1000)}


def in_unit(amount_tkr: Number, unit: str) -> Decimal:
    """An amount in tkr in ``unit`` (kr, tkr or mnkr); KeyError for any other unit.

    Seed 003's result line, 3 200 tkr, is 3,2 mnkr and 3 200 000 kr."""
    return Decimal(str(amount_tkr)) * TKR_FACTORS[unit]


def leaves_under(line: int, children: Mapping[int, Sequence[int]]) -> list[int]:
    """The leaf lines under ``line`` (itself when it has no children); ``children`` maps a
    line to its child lines."""
    stack, leaves = [line], []
    while stack:
        node = stack.pop()
        kids = children.get(node)
        if kids:
            stack.extend(kids)
        else:
            leaves.append(node)
    return leaves


def year_amount(yearly: Number | None, months: Iterable[Number] = ()) -> Number | None:
    """A line's amount for the year: the yearly amount where one is stored (it wins over
    the months), else the sum of the stored months, else None."""
    if yearly is not None:
        return yearly
    values = list(months)
    return sum(values[1:], values[0]) if values else None


class LedgerFigures:
    """One unit's and year's amounts on some leaf lines, yearly and monthly, per kind.

    ``rows``: (line, kind, month or None, value); kinds are ``actual``, ``budget``,
    ``forecast``, ``plan``."""

    def __init__(self, rows: Iterable[tuple], leaves: Iterable):
        self.leaves = list(leaves)
        self.yearly: dict[tuple, Number] = {}
        self.months: dict[tuple, dict[int, Number]] = {}
        for line, kind, month, value in rows:
            if month is None:
                self.yearly[(str(kind), line)] = value
            else:
                self.months.setdefault((str(kind), line), {})[month] = value

    def year_total(self, kind: str) -> Number | None:
        """The year over the leaves: per line ``year_amount``; None when no line has one."""
        amounts = [
            year_amount(self.yearly.get((kind, line)), self.months.get((kind, line), {}).values())
            for line in self.leaves
        ]
        present = [a for a in amounts if a is not None]
        return sum(present, Decimal(0)) if present else None

    def complete_year(self, kind: str) -> bool:
        """A yearly amount, or December among the months."""
        return any(k == kind for k, _line in self.yearly) or any(
            12 in ms for (k, _line), ms in self.months.items() if k == kind
        )

    def through(self, kind: str, last: int) -> Number | None:
        """Months 1..``last`` added up; None unless month ``last`` is there."""
        if not any(last in ms for (k, _line), ms in self.months.items() if k == kind):
            return None
        total = Decimal(0)
        for (k, _line), ms in self.months.items():
            if k == kind:
                total += sum((v for m, v in ms.items() if m <= last), Decimal(0))
        return total


def ledger_deviations(figures: LedgerFigures, year: int, basis: str = "actual") -> dict:
    """{Period: basis - budget in tkr} for one unit's figures of ``year``.

    The year when the basis is complete (a yearly amount, or December among the months)
    and a budget exists; with the ``actual`` basis also the reporting points DÅ04 and
    DÅ08 (months 1-4 and 1-8) where monthly actuals and budgets reach that month. A
    forecast basis gives the year only (a forecast is for the whole year)."""
    result: dict[Period, Number] = {}
    budget = figures.year_total("budget")
    if budget is not None and figures.complete_year(basis):
        result[Period(year, 1, 12)] = figures.year_total(basis) - budget
    if basis == "actual":
        for point in reporting_points(year)[:-1]:
            actual = figures.through("actual", point.last_month)
            planned = figures.through("budget", point.last_month)
            if actual is not None and planned is not None:
                result[point] = actual - planned
    return result
