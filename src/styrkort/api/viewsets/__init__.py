"""The REST API's viewsets, one per model, named after it."""

from .activities import ActivityReportViewSet, ActivityViewSet, AssignmentViewSet
from .economy import (
    AmountViewSet,
    FrameViewSet,
    InvestmentFrameViewSet,
    InvestmentViewSet,
    LedgerLineViewSet,
)
from .followup import AnalysisViewSet, OutcomeViewSet
from .organisation import OrgUnitViewSet
from .planning import (
    GoalViewSet,
    IndicatorViewSet,
    PlanIndicatorViewSet,
    PlanViewSet,
    TargetViewSet,
)
from .risk import ControlResultViewSet, ControlViewSet, RiskViewSet
from .rounds import RoundViewSet

__all__ = [
    "ActivityReportViewSet",
    "ActivityViewSet",
    "AmountViewSet",
    "AnalysisViewSet",
    "AssignmentViewSet",
    "ControlResultViewSet",
    "ControlViewSet",
    "FrameViewSet",
    "GoalViewSet",
    "IndicatorViewSet",
    "InvestmentFrameViewSet",
    "InvestmentViewSet",
    "LedgerLineViewSet",
    "OrgUnitViewSet",
    "OutcomeViewSet",
    "PlanIndicatorViewSet",
    "PlanViewSet",
    "RiskViewSet",
    "RoundViewSet",
    "TargetViewSet",
]
