"""Lay out an evaluated plan the way the seeds print it (seed 001's goal tables): one
section per top-level goal (perspective), one table per second-level goal (strategic
goal), one row per indicator with the goal it is placed under (success factor) in the
first column. Works for any number of goal levels (plan models name their own levels).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ScorecardTable:
    goal: Any  # GoalEvaluation heading the table (None: indicators placed on the section)
    rows: list[dict] = field(default_factory=list)

    @property
    def goal_analyses(self) -> list:
        """The goals of the first column that have an analysis for the period, once each,
        in the table's order (shown under the table)."""
        seen, goals = set(), []
        for row in self.rows:
            goal = row["goal"]
            if goal is not None and getattr(goal, "analysis", None) and goal.goal_id not in seen:
                seen.add(goal.goal_id)
                goals.append(goal)
        return goals


@dataclass
class ScorecardSection:
    goal: Any  # GoalEvaluation of the top level
    tables: list[ScorecardTable] = field(default_factory=list)
    counts: list[Any] = field(default_factory=list)  # GoalCount rows of this area

    @property
    def indicator_count(self) -> int:
        return sum(len(t.rows) for t in self.tables)


def goal_chain(goal_id, goals_by_id: dict) -> list:
    chain, node = [], goals_by_id.get(goal_id)
    while node is not None:
        chain.append(node)
        node = goals_by_id.get(node.parent_id)
    return list(reversed(chain))


def build_sections(evaluation) -> list[ScorecardSection]:
    """Sections in goal-tree order with their tables and rows."""
    goals_by_id = {g.goal_id: g for g in evaluation.goals}
    sections: dict[int, ScorecardSection] = {}
    tables: dict[tuple, ScorecardTable] = {}
    for goal in evaluation.goals:  # tree order: sections and tables appear as in the plan
        if goal.parent_id is None:
            sections[goal.goal_id] = ScorecardSection(goal=goal)
    for item in evaluation.indicators:
        chain = goal_chain(item.goal_id, goals_by_id)
        if not chain:
            continue
        top = chain[0]
        section = sections.setdefault(top.goal_id, ScorecardSection(goal=top))
        heading = chain[1] if len(chain) >= 2 else None
        key = (top.goal_id, heading.goal_id if heading else None)
        table = tables.get(key)
        if table is None:
            table = tables[key] = ScorecardTable(goal=heading)
            section.tables.append(table)
        placed = chain[-1] if len(chain) >= 3 else None
        table.rows.append({"item": item, "goal": placed, "chain": chain})
    for count in getattr(evaluation, "goal_counts", []):
        for section in sections.values():
            if count.area == section.goal.name:
                section.counts.append(count)
    return [s for s in sections.values() if s.tables or s.counts]


def column_heading(section: ScorecardSection) -> str:
    """The name of the level in the first column (e.g. 'Framgångsfaktor')."""
    for table in section.tables:
        for row in table.rows:
            if row["goal"] is not None:
                return row["goal"].level_name
    return ""
