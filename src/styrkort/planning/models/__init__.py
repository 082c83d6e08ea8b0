from .activities import Activity, ActivityKind, ActivityReport, ActivityStatus, ActivitySummary
from .indicators import (
    Aggregation,
    Direction,
    Indicator,
    IndicatorKind,
    MeasureType,
    PlanIndicator,
    Target,
)
from .plans import Goal, Plan, PlanLevel, PlanModel, PlanRevision, PlanState

__all__ = [
    "Activity",
    "ActivityKind",
    "ActivityReport",
    "ActivityStatus",
    "ActivitySummary",
    "Aggregation",
    "Direction",
    "Goal",
    "Indicator",
    "IndicatorKind",
    "MeasureType",
    "Plan",
    "PlanIndicator",
    "PlanLevel",
    "PlanModel",
    "PlanRevision",
    "PlanState",
    "Target",
]
