"""Set-based evaluation of units and periods: the ORM edge of ``followup.evaluation``.

``evaluate_unit(unit, period)`` gives a :class:`UnitEvaluation` (the scorecard, the
reports and ``styrkort evaluate`` are built on it; ``to_json()`` is the documented
contract); ``evaluate_tree(root, period)`` evaluates a whole subtree from one load and
one roll-up pass. Both read the database in a fixed number of queries.
"""

from .engine import TreeEvaluation, evaluate_tree, evaluate_unit
from .results import (
    JSON_VERSION,
    SEXES,
    ActivityEvaluation,
    GoalCount,
    GoalEvaluation,
    IndicatorEvaluation,
    ManualAssessment,
    Reconciliation,
    Rollup,
    TargetInfo,
    UnitEvaluation,
)

__all__ = [
    "JSON_VERSION",
    "SEXES",
    "ActivityEvaluation",
    "GoalCount",
    "GoalEvaluation",
    "IndicatorEvaluation",
    "ManualAssessment",
    "Reconciliation",
    "Rollup",
    "TargetInfo",
    "TreeEvaluation",
    "UnitEvaluation",
    "evaluate_tree",
    "evaluate_unit",
]
