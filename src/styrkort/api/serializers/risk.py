"""Risks, controls and control results. Probability and consequence 1-4 carry their
Swedish labels in the schema; the level comes from the organisation's risk bands."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from styrkort.organisation.models import OrgUnit
from styrkort.planning.models import Goal
from styrkort.risk.models import Control, ControlOutcome, ControlResult, Frequency, Risk
from styrkort.risk.queries import bands_for
from styrkort.risk.rules import CONSEQUENCE_LABELS, PROBABILITY_LABELS, level_for

from ..base import ScopedRelatedField
from ..text import FreeTextSerializerMixin


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
