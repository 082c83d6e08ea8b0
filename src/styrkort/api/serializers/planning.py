"""Plans, goals, indicators, their placements in plans, and targets."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rest_framework import serializers

from styrkort.organisation.models import Organisation, OrgUnit
from styrkort.planning.models import Goal, Indicator, Plan, PlanIndicator, PlanModel, Target
from styrkort.planning.services import PLAN_FIELDS
from styrkort.text import normalise

from ..base import (
    ORGANISATION,
    ORGANISATION_ITSELF,
    ModelRulesSerializer,
    ScopedRelatedField,
)
from ..text import FreeTextSerializerMixin


def _unchanged(serializer, attrs, names, message):
    """On update, refuse a change of the fields that identify the object; `message` is
    marked with gettext_noop and translated only when the change is refused."""
    instance = serializer.instance
    if instance is None:
        return
    for name in names:
        if name in attrs and attrs[name] != getattr(instance, name):
            raise serializers.ValidationError({name: _(message)})


class PlanSerializer(FreeTextSerializerMixin, ModelRulesSerializer):
    check_constraints = False  # the service checks them, naming the field
    unit = ScopedRelatedField(unit_field="", queryset=OrgUnit.objects.all())
    plan_model = ScopedRelatedField(unit_field=ORGANISATION, queryset=PlanModel.objects.all())
    superior_plan = ScopedRelatedField(
        unit_field="unit", queryset=Plan.objects.all(), required=False, allow_null=True
    )
    copied_from = ScopedRelatedField(
        unit_field="unit", queryset=Plan.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Plan
        fields = ["id", *PLAN_FIELDS]
        extra_kwargs = {
            "start_year": {"min_value": 1990, "max_value": 2100},
            "end_year": {"min_value": 1990, "max_value": 2100},
        }

    def validate(self, attrs):
        unit = attrs.get("unit") or getattr(self.instance, "unit", None)
        model = attrs.get("plan_model") or getattr(self.instance, "plan_model", None)
        if unit is not None and model is not None and model.organisation_id != unit.organisation_id:
            raise serializers.ValidationError(
                {"plan_model": _("Styrmodellen hör till en annan organisation än enheten.")}
            )
        for name in ("superior_plan", "copied_from"):
            other = attrs.get(name)
            if other is not None and unit is not None:
                if other.unit.organisation_id != unit.organisation_id:
                    raise serializers.ValidationError(
                        {name: _("Planen hör till en annan organisation.")}
                    )
                if self.instance is not None and other.pk == self.instance.pk:
                    raise serializers.ValidationError(
                        {name: _("En plan kan inte peka på sig själv.")}
                    )
        for name in ("vision", "introduction"):
            if name in attrs:
                attrs[name] = normalise(attrs[name])
        return attrs


class GoalSerializer(FreeTextSerializerMixin, serializers.ModelSerializer):
    plan = ScopedRelatedField(unit_field="unit", queryset=Plan.objects.all())
    parent = ScopedRelatedField(
        unit_field="plan__unit", queryset=Goal.objects.all(), required=False, allow_null=True
    )
    linked_goals = ScopedRelatedField(
        unit_field="plan__unit", queryset=Goal.objects.all(), many=True, required=False
    )

    class Meta:
        model = Goal
        fields = [
            "id",
            "plan",
            "parent",
            "level",
            "code",
            "name",
            "description",
            "planning_comment",
            "order",
            "linked_goals",
        ]
        read_only_fields = ["level"]
        extra_kwargs = {"order": {"required": False, "max_value": 2_147_483_647}}

    def validate(self, attrs):
        _unchanged(self, attrs, ("plan", "parent"), gettext_noop("Ett mål flyttas inte via API:t."))
        return attrs


class IndicatorSerializer(FreeTextSerializerMixin, ModelRulesSerializer):
    check_constraints = False  # the service checks them, naming the field
    organisation = ScopedRelatedField(
        unit_field=ORGANISATION_ITSELF, queryset=Organisation.objects.all()
    )
    parent = ScopedRelatedField(
        unit_field=ORGANISATION, queryset=Indicator.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Indicator
        fields = [
            "id",
            "organisation",
            "code",
            "name",
            "short_name",
            "definition",
            "unit",
            "kind",
            "direction",
            "aggregation",
            "measure_type",
            "source",
            "reporting_points",
            "by_sex",
            "decimals",
            "numerator_label",
            "denominator_label",
            "numerator_at_most_denominator",
            "parent",
            "tolerance_pct",
            "green_limit",
            "red_limit",
            "note",
            "kolada_kpi",
        ]
        extra_kwargs = {
            "decimals": {"max_value": 6},
            "tolerance_pct": {"min_value": 0, "max_value": 100},
        }

    def validate(self, attrs):
        _unchanged(
            self, attrs, ("organisation",), gettext_noop("En indikator byter inte organisation.")
        )
        organisation = attrs.get("organisation") or getattr(self.instance, "organisation", None)
        parent = attrs.get("parent")
        if parent is not None:
            if parent.organisation_id != organisation.pk:
                raise serializers.ValidationError(
                    {"parent": _("Den överordnade indikatorn hör till en annan organisation.")}
                )
            if self.instance is not None and parent.pk == self.instance.pk:
                raise serializers.ValidationError(
                    {"parent": _("En indikator kan inte ingå i sig själv.")}
                )
        if "definition" in attrs:
            attrs["definition"] = normalise(attrs["definition"])
        return attrs


class PlanIndicatorSerializer(FreeTextSerializerMixin, serializers.ModelSerializer):
    goal = ScopedRelatedField(unit_field="plan__unit", queryset=Goal.objects.all())
    indicator = ScopedRelatedField(unit_field=ORGANISATION, queryset=Indicator.objects.all())

    class Meta:
        model = PlanIndicator
        fields = [
            "id",
            "plan",
            "goal",
            "indicator",
            "order",
            "baseline_text",
            "baseline_value",
            "baseline_period",
            "reporting_points",
            "note",
        ]
        read_only_fields = ["plan"]
        extra_kwargs = {"order": {"required": False, "max_value": 2_147_483_647}}

    def validate(self, attrs):
        _unchanged(
            self,
            attrs,
            ("goal", "indicator"),
            gettext_noop(
                "Placeringens mål och indikator ändras inte; ta bort och placera på nytt."
            ),
        )
        return attrs


class TargetSerializer(FreeTextSerializerMixin, serializers.ModelSerializer):
    placement = ScopedRelatedField(unit_field="plan__unit", queryset=PlanIndicator.objects.all())
    unit = ScopedRelatedField(
        unit_field="", queryset=OrgUnit.objects.all(), required=False, allow_null=True
    )
    spec = serializers.JSONField(read_only=True, help_text="Målvärdet tolkat (planning.targets).")

    class Meta:
        model = Target
        fields = [
            "id",
            "placement",
            "year",
            "unit",
            "is_long_term",
            "text",
            "assessed_by_hand",
            "spec",
            "note",
        ]
        extra_kwargs = {"year": {"min_value": 1990, "max_value": 2100}}
        validators = []  # set_target replaces the target with the same key

    def validate(self, attrs):
        _unchanged(
            self,
            attrs,
            ("placement", "year", "unit", "is_long_term"),
            gettext_noop("Ett målvärdes år och enhet ändras inte; skapa ett nytt målvärde."),
        )
        return attrs
