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
from .plans import Goal, Plan, PlanLevel, PlanModel, PlanState

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
    "PlanState",
    "Target",
]
