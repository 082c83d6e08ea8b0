"""REST API of risks, controls and control results (`register(router)` adds them).

Reads are limited to the user's organisations (restrict()); writes go through
risk.services, which require "plan" (risks, controls) or "report" (control results) on
the unit: 403 otherwise, 400 with Swedish field errors for bad figures."""

from __future__ import annotations

import django_filters as filters
from django.utils.translation import gettext as _
from rest_framework import serializers

from styrkort.api.base import ScopedRelatedField, ScopedViewSet
from styrkort.api.filters import IdFilter, PeriodFilter, YearFilter
from styrkort.api.text import FreeTextSerializerMixin
from styrkort.organisation.models import OrgUnit
from styrkort.planning.models import Goal
from styrkort.risk import services
from styrkort.risk.models import Control, ControlOutcome, ControlResult, Frequency, Risk
from styrkort.risk.queries import bands_for
from styrkort.risk.rules import CONSEQUENCE_LABELS, PROBABILITY_LABELS, level_for

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


def _scale_field(labels: dict[int, str]) -> serializers.IntegerField:
    text = ", ".join(f"{k} {v.lower()}" for k, v in labels.items())
    return serializers.IntegerField(
        min_value=1, max_value=4, required=False, allow_null=True, help_text=text
    )


class RiskSerializer(FreeTextSerializerMixin, serializers.ModelSerializer):
    probability = _scale_field(PROBABILITY_LABELS)
    consequence = _scale_field(CONSEQUENCE_LABELS)
    residual_probability = _scale_field(PROBABILITY_LABELS)
    residual_consequence = _scale_field(CONSEQUENCE_LABELS)
    unit = ScopedRelatedField(unit_field="", queryset=OrgUnit.objects.all())
    goals = ScopedRelatedField(
        unit_field="plan__unit", queryset=Goal.objects.all(), many=True, required=False
    )
    value = serializers.IntegerField(
        min_value=1,
        max_value=16,
        required=False,
        allow_null=True,
        help_text="Riskvärde 1–16; räknas fram ur sannolikhet × konsekvens när båda anges.",
    )
    level = serializers.SerializerMethodField(help_text="Risknivå enligt organisationens nivåer.")
    requires_action = serializers.SerializerMethodField()

    class Meta:
        model = Risk
        fields = [
            "id",
            "unit",
            "year",
            "number",
            "title",
            "area",
            "event",
            "consequence_text",
            "cause",
            "probability",
            "consequence",
            "value",
            "probability_derived",
            "level",
            "requires_action",
            "actions",
            "handling",
            "residual_probability",
            "residual_consequence",
            "residual_value",
            "goals",
            "order",
            "source",
            "updated_at",
        ]
        read_only_fields = ["probability_derived", "residual_value", "updated_at"]
        extra_kwargs = {
            "year": {"min_value": 1990, "max_value": 2100},
            "order": {"required": False, "min_value": 0, "max_value": 2_147_483_647},
        }

    def _band(self, risk):
        cache = self.context.setdefault("_bands", {})
        org_id = risk.unit.organisation_id
        if org_id not in cache:
            cache[org_id] = bands_for(risk.unit.organisation)
        return level_for(risk.value, cache[org_id])

    def get_level(self, risk) -> str:
        return self._band(risk).name

    def get_requires_action(self, risk) -> bool:
        return self._band(risk).requires_action

    def validate(self, attrs):
        instance = self.instance
        if instance is not None:
            for name in ("unit", "year"):
                if name in attrs and attrs[name] != getattr(instance, name):
                    raise serializers.ValidationError(
                        {name: _("En risk flyttas inte till en annan enhet eller ett annat år.")}
                    )
        unit = attrs.get("unit") or getattr(instance, "unit", None)
        for goal in attrs.get("goals", []):
            if unit is not None and goal.plan.unit.organisation_id != unit.organisation_id:
                raise serializers.ValidationError(
                    {"goals": _("Målet %(goal)s hör till en annan organisation.") % {"goal": goal}}
                )
        return attrs


class RiskFilterSet(filters.FilterSet):
    unit = IdFilter(field_name="unit_id")
    unit_code = filters.CharFilter(field_name="unit__code", max_length=64)
    within = IdFilter(method="filter_within", help_text="Enheten och allt under den.")
    year = YearFilter(field_name="year")
    goal = IdFilter(field_name="goals", distinct=True)

    class Meta:
        model = Risk
        fields = ["unit", "year"]

    def filter_within(self, qs, name, value):
        unit = OrgUnit.objects.filter(pk=value).only("path").first()
        return qs.none() if unit is None else qs.filter(unit__path__startswith=unit.path)


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


class ControlSerializer(FreeTextSerializerMixin, serializers.ModelSerializer):
    risk = ScopedRelatedField(unit_field="unit", queryset=Risk.objects.all())
    frequency = serializers.ChoiceField(choices=Frequency.choices, required=False, allow_blank=True)

    class Meta:
        model = Control
        fields = ["id", "risk", "method", "owner", "frequency", "order"]
        extra_kwargs = {"order": {"required": False, "min_value": 0, "max_value": 2_147_483_647}}

    def validate(self, attrs):
        if self.instance is not None and "risk" in attrs and attrs["risk"] != self.instance.risk:
            raise serializers.ValidationError({"risk": "Ett kontrollmoment flyttas inte."})
        return attrs


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


class ControlResultSerializer(FreeTextSerializerMixin, serializers.ModelSerializer):
    control = ScopedRelatedField(unit_field="risk__unit", queryset=Control.objects.all())
    period = serializers.CharField(
        max_length=32, help_text="Uppföljningsperiod, t.ex. 2024-DÅ04 (DA04 går också)."
    )
    outcome = serializers.ChoiceField(choices=ControlOutcome.choices)

    class Meta:
        model = ControlResult
        fields = [
            "id",
            "control",
            "period",
            "period_start",
            "period_end",
            "outcome",
            "comment",
            "updated_at",
        ]
        read_only_fields = ["period_start", "period_end", "updated_at"]

    def validate(self, attrs):
        instance = self.instance
        if instance is not None:
            for name in ("control", "period"):
                if name in attrs and str(attrs[name]) != str(getattr(instance, name)):
                    raise serializers.ValidationError(
                        {name: _("Ändra resultatet, inte kontrollen eller perioden.")}
                    )
        return attrs


class ControlResultFilterSet(filters.FilterSet):
    control = IdFilter(field_name="control_id")
    risk = IdFilter(field_name="control__risk_id")
    period = PeriodFilter(field_name="period", max_length=32)

    class Meta:
        model = ControlResult
        fields = ["control", "period", "outcome"]


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


def register(router) -> None:
    """Add the risk endpoints to the API's router."""
    router.register("risks", RiskViewSet, basename="risk")
    router.register("controls", ControlViewSet, basename="control")
    router.register("control-results", ControlResultViewSet, basename="controlresult")
