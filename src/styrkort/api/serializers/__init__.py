"""Serializers of the REST API, one per model, named after it."""

from .followup import (
    ActivityReportSerializer,
    ActivitySerializer,
    AnalysisSerializer,
    ImportRejectionSerializer,
    ImportReportSerializer,
    OutcomeBulkSerializer,
    OutcomeSerializer,
    OutcomeUpdateSerializer,
)
from .organisation import OrgUnitSerializer
from .planning import (
    GoalSerializer,
    IndicatorSerializer,
    PlanIndicatorSerializer,
    PlanSerializer,
    TargetSerializer,
)

__all__ = [
    "ActivityReportSerializer",
    "ActivitySerializer",
    "AnalysisSerializer",
    "GoalSerializer",
    "ImportRejectionSerializer",
    "ImportReportSerializer",
    "IndicatorSerializer",
    "OrgUnitSerializer",
    "OutcomeBulkSerializer",
    "OutcomeSerializer",
    "OutcomeUpdateSerializer",
    "PlanIndicatorSerializer",
    "PlanSerializer",
    "TargetSerializer",
]
