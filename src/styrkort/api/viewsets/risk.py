"""Risks, controls and control results.

Reads are limited to the user's organisations (restrict()); writes go through
risk.services, which require "plan" (risks, controls) or "report" (control results) on
the unit: 403 otherwise, 400 with Swedish field errors for bad figures."""

from __future__ import annotations

from styrkort.risk import services
from styrkort.risk.models import Control, ControlResult, Risk

from ..base import ScopedViewSet
from ..filters import ControlResultFilterSet, RiskFilterSet
from ..serializers import ControlResultSerializer, ControlSerializer, RiskSerializer

RISK_TEXTS = (
    "number",
    "title",
    "area",
    "event",
    "consequence_text",
    "cause",
    "actions",
    "handling",
    "source",
)


class RiskViewSet(ScopedViewSet):
    """Risks per unit and year: probability 1–4 × consequence 1–4 = value 1–16 (or the
    value alone), the level from the organisation's bands, goals, actions, residual
    risk. Writing needs the role "plan" on the unit."""

    queryset = Risk.objects.select_related("unit__organisation").prefetch_related("goals")
    queryset = queryset.order_by("unit__path", "year", "order", "id")
    serializer_class = RiskSerializer
    filterset_class = RiskFilterSet
    unit_field = "unit"

    def _save(self, serializer, risk=None):
        data = dict(serializer.validated_data)
        figures = {
            k: data.get(k, getattr(risk, k, None))
            for k in ("probability", "consequence", "residual_probability", "residual_consequence")
        }
        value = data.get("value", None if risk is None else risk.value)
        if figures["probability"] is not None and figures["consequence"] is not None:
            value = data.get("value")  # computed from the two; a given value must agree
        texts = {k: data[k] for k in RISK_TEXTS if k in data}
        serializer.instance = services.save_risk(
            user=self.request.user,
            unit=data["unit"] if risk is None else None,
            year=data["year"] if risk is None else None,
            risk=risk,
            value=value,
            goals=data.get("goals"),
            order=data.get("order"),
            **figures,
            **texts,
        )

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    def perform_destroy(self, instance):
        services.delete_risk(instance, user=self.request.user)


class ControlViewSet(ScopedViewSet):
    """Controls (kontrollmoment) of risks: method, owner, frequency. Role "plan"."""

    queryset = Control.objects.select_related("risk__unit").order_by("risk_id", "order", "id")
    serializer_class = ControlSerializer
    unit_field = "risk__unit"

    def get_queryset(self):
        qs = super().get_queryset()
        risk = self.request.query_params.get("risk")
        return qs.filter(risk_id=int(risk)) if risk and risk.isdigit() else qs

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.save_control(
            data["risk"],
            user=self.request.user,
            method=data["method"],
            owner=data.get("owner", ""),
            frequency=data.get("frequency", ""),
            order=data.get("order"),
        )

    def perform_update(self, serializer):
        control, data = serializer.instance, serializer.validated_data
        serializer.instance = services.save_control(
            control.risk,
            user=self.request.user,
            control=control,
            method=data.get("method", control.method),
            owner=data.get("owner", control.owner),
            frequency=data.get("frequency", control.frequency),
            order=data.get("order"),
        )

    def perform_destroy(self, instance):
        services.delete_control(instance, user=self.request.user)


class ControlResultViewSet(ScopedViewSet):
    """Results of controls per reporting point (ok, deviation with a comment, not done).
    Role "report" on the risk's unit. POST for an existing control and period replaces
    its result."""

    queryset = ControlResult.objects.select_related("control__risk__unit").order_by(
        "control_id", "period_start", "id"
    )
    serializer_class = ControlResultSerializer
    filterset_class = ControlResultFilterSet
    unit_field = "control__risk__unit"

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.record_control_result(
            data["control"],
            data["period"],
            user=self.request.user,
            outcome=data["outcome"],
            comment=data.get("comment", ""),
        )

    def perform_update(self, serializer):
        result, data = serializer.instance, serializer.validated_data
        serializer.instance = services.record_control_result(
            result.control,
            result.period,
            user=self.request.user,
            outcome=data.get("outcome", result.outcome),
            comment=data.get("comment", result.comment),
        )

    def perform_destroy(self, instance):
        services.delete_control_result(instance, user=self.request.user)
