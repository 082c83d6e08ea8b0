"""The REST API's viewsets, one per model, named after it."""

from .activities import ActivityReportViewSet, ActivityViewSet, AssignmentViewSet
from .followup import AnalysisViewSet, OutcomeViewSet
from .organisation import OrgUnitViewSet
from .planning import (
    GoalViewSet,
    IndicatorViewSet,
    PlanIndicatorViewSet,
    PlanViewSet,
    TargetViewSet,
)

__all__ = [
    "ActivityReportViewSet",
    "ActivityViewSet",
    "AnalysisViewSet",
    "AssignmentViewSet",
    "GoalViewSet",
    "IndicatorViewSet",
    "OrgUnitViewSet",
    "OutcomeViewSet",
    "PlanIndicatorViewSet",
    "PlanViewSet",
    "TargetViewSet",
]
