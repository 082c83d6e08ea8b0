"""The economy: income-statement lines, amounts, frames with their changes,
investments and investment frames. Amounts are tkr, income positive and costs
negative."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from styrkort.economy.models import (
    Amount,
    AmountKind,
    Frame,
    FrameChange,
    FrameChangeCategory,
    Investment,
    InvestmentFrame,
    LedgerLine,
)
from styrkort.economy.rules import INVESTMENT_THRESHOLD_TKR, frame_total
from styrkort.organisation.models import Organisation, OrgUnit

from ..base import (
    ORGANISATION,
    ORGANISATION_ITSELF,
    ModelRulesSerializer,
    ScopedRelatedField,
)

MONEY = {"max_digits": 18, "decimal_places": 3, "min_value": -(10**14), "max_value": 10**14}


class LedgerLineSerializer(serializers.ModelSerializer):
    organisation = ScopedRelatedField(
        unit_field=ORGANISATION_ITSELF, queryset=Organisation.objects.all()
    )
    parent = ScopedRelatedField(
        unit_field=ORGANISATION,
        queryset=LedgerLine.objects.all(),
        required=False,
        allow_null=True,
    )

    class Meta:
        model = LedgerLine
        fields = [
            "id",
            "organisation",
            "code",
            "name",
            "heading",
            "parent",
            "order",
            "account_range",
        ]
        extra_kwargs = {"order": {"required": False, "min_value": 0, "max_value": 2_147_483_647}}

    def validate(self, attrs):
        instance = self.instance
        if instance is not None:
            for name in ("organisation", "code"):
                if name in attrs and attrs[name] != getattr(instance, name):
                    raise serializers.ValidationError(
                        {name: _("Radens kod och organisation ändras inte.")}
                    )
        return attrs


class AmountSerializer(serializers.ModelSerializer):
    line = ScopedRelatedField(unit_field=ORGANISATION, queryset=LedgerLine.objects.all())
    unit = ScopedRelatedField(unit_field="", queryset=OrgUnit.objects.all())
    kind = serializers.ChoiceField(choices=AmountKind.choices)
    month = serializers.IntegerField(min_value=1, max_value=12, required=False, allow_null=True)
    value = serializers.DecimalField(**MONEY, help_text="Belopp i tkr.")

    class Meta:
        model = Amount
        fields = [
            "id",
            "line",
            "unit",
            "year",
            "kind",
            "month",
            "value",
            "note",
            "source",
            "updated_at",
        ]
        read_only_fields = ["source", "updated_at"]
        extra_kwargs = {"year": {"min_value": 1990, "max_value": 2100}}
        validators = []  # an existing amount is updated (upsert), not refused

    def validate(self, attrs):
        instance = self.instance
        if instance is not None:
            for name in ("line", "unit", "year", "kind", "month"):
                if name in attrs and attrs[name] != getattr(instance, name):
                    raise serializers.ValidationError(
                        {name: _("Ändra beloppet, inte rad, enhet, år, typ eller månad.")}
                    )
        return attrs


class FrameChangeSerializer(serializers.ModelSerializer):
    category = serializers.ChoiceField(
        choices=FrameChangeCategory.choices, default=FrameChangeCategory.OTHER
    )
    amount = serializers.DecimalField(**MONEY, help_text="Tkr; en minskning är negativ.")

    class Meta:
        model = FrameChange
        fields = ["name", "category", "amount", "note"]


class FrameSerializer(serializers.ModelSerializer):
    unit = ScopedRelatedField(unit_field="", queryset=OrgUnit.objects.all())
    parent = ScopedRelatedField(
        unit_field="unit", queryset=Frame.objects.all(), required=False, allow_null=True
    )
    base_amount = serializers.DecimalField(
        **MONEY, required=False, allow_null=True, help_text="Anslag året innan (tkr)."
    )
    changes = FrameChangeSerializer(many=True, required=False)
    total = serializers.SerializerMethodField(help_text="Anslag + förändringar (tkr).")

    class Meta:
        model = Frame
        fields = [
            "id",
            "unit",
            "year",
            "code",
            "name",
            "recipient",
            "base_amount",
            "parent",
            "order",
            "note",
            "source",
            "changes",
            "total",
        ]
        extra_kwargs = {
            "year": {"min_value": 1990, "max_value": 2100},
            "order": {"required": False, "min_value": 0, "max_value": 2_147_483_647},
        }

    def get_total(self, frame) -> str | None:
        total = frame_total(frame.base_amount, [c.amount for c in frame.changes.all()])
        return None if total is None else str(total)

    def validate(self, attrs):
        instance = self.instance
        if instance is not None and "code" in attrs and attrs["code"] != instance.code:
            raise serializers.ValidationError({"code": _("Ramens kod ändras inte.")})
        return attrs


class InvestmentSerializer(serializers.ModelSerializer):
    unit = ScopedRelatedField(unit_field="", queryset=OrgUnit.objects.all())
    amount = serializers.DecimalField(**MONEY, help_text="Belopp i tkr, inte negativt.")
    over_threshold = serializers.SerializerMethodField(
        help_text="Över organisationens gräns (standard 4 500 tkr = 4,5 mnkr)."
    )

    class Meta:
        model = Investment
        fields = [
            "id",
            "unit",
            "year",
            "name",
            "category",
            "amount",
            "over_threshold",
            "order",
            "note",
            "source",
        ]
        extra_kwargs = {
            "year": {"min_value": 1990, "max_value": 2100},
            "order": {"required": False, "min_value": 0, "max_value": 2_147_483_647},
        }

    def get_over_threshold(self, obj) -> bool:
        setting = obj.unit.organisation.settings.get("investment_threshold_tkr")
        threshold = INVESTMENT_THRESHOLD_TKR if setting is None else setting
        return obj.amount > type(obj.amount)(str(threshold))


class InvestmentFrameSerializer(ModelRulesSerializer):
    unit = ScopedRelatedField(unit_field="", queryset=OrgUnit.objects.all())
    amount = serializers.DecimalField(**MONEY, help_text="Tkr, inte negativt.")

    class Meta:
        model = InvestmentFrame
        validators = []  # duplicates are refused by the model's own validation (400)
        fields = [
            "id",
            "unit",
            "year",
            "decision_level",
            "category",
            "amount",
            "order",
            "note",
            "source",
        ]
        extra_kwargs = {
            "year": {"min_value": 1990, "max_value": 2100},
            "order": {"required": False, "min_value": 0, "max_value": 2_147_483_647},
        }

    def validate(self, attrs):
        instance = self.instance
        if instance is not None:
            for name in ("unit", "year", "decision_level", "category"):
                if name in attrs and attrs[name] != getattr(instance, name):
                    raise serializers.ValidationError(
                        {name: _("Ändra beloppet, inte enhet, år, beslutsnivå eller kategori.")}
                    )
        return attrs
