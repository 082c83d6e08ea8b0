"""Serializers of the REST API, one per model, named after it."""

from .economy import (
    AmountSerializer,
    FrameChangeSerializer,
    FrameSerializer,
    InvestmentFrameSerializer,
    InvestmentSerializer,
    LedgerLineSerializer,
)
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
from .risk import ControlResultSerializer, ControlSerializer, RiskSerializer

__all__ = [
    "ActivityReportSerializer",
    "ActivitySerializer",
    "AmountSerializer",
    "AnalysisSerializer",
    "ControlResultSerializer",
    "ControlSerializer",
    "FrameChangeSerializer",
    "FrameSerializer",
    "GoalSerializer",
    "ImportRejectionSerializer",
    "ImportReportSerializer",
    "IndicatorSerializer",
    "InvestmentFrameSerializer",
    "InvestmentSerializer",
    "LedgerLineSerializer",
    "OrgUnitSerializer",
    "OutcomeBulkSerializer",
    "OutcomeSerializer",
    "OutcomeUpdateSerializer",
    "PlanIndicatorSerializer",
    "PlanSerializer",
    "RiskSerializer",
    "TargetSerializer",
]
