"""REST API of the economy (`register(router)` adds it): income-statement lines,
amounts, frames with their changes, investments and investment frames.

Reads are limited to the user's organisations; writes go through economy.services:
lines need "admin" on the organisation's top unit, actual amounts "report", budgets,
forecasts, plans, frames and investments "plan" on the unit (403 otherwise). Amounts are
tkr, income positive and costs negative."""

from __future__ import annotations

import django_filters as filters
from django.utils.translation import gettext as _
from rest_framework import serializers

from styrkort.api.base import (
    ORGANISATION,
    ORGANISATION_ITSELF,
    ModelRulesSerializer,
    ScopedRelatedField,
    ScopedViewSet,
)
from styrkort.api.filters import IdFilter, YearFilter
from styrkort.economy import services
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

MONEY = {"max_digits": 18, "decimal_places": 3, "min_value": -(10**14), "max_value": 10**14}


# --- lines ---------------------------------------------------------------------------


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


class LedgerLineFilterSet(filters.FilterSet):
    organisation = IdFilter(field_name="organisation_id")
    parent = IdFilter(field_name="parent_id")
    code = filters.CharFilter(max_length=64)

    class Meta:
        model = LedgerLine
        fields = ["organisation", "parent", "code"]


class LedgerLineViewSet(ScopedViewSet):
    """The income statement's lines as a tree (a line with children is a computed
    subtotal). Writing needs the role "admin" on the organisation's top unit."""

    queryset = LedgerLine.objects.order_by("organisation_id", "order", "id")
    serializer_class = LedgerLineSerializer
    filterset_class = LedgerLineFilterSet
    unit_field = ORGANISATION

    def _save(self, serializer, line=None):
        data = serializer.validated_data
        organisation = data.get("organisation") or line.organisation
        serializer.instance = services.save_ledger_line(
            organisation,
            user=self.request.user,
            code=data.get("code") or line.code,
            name=data.get("name", getattr(line, "name", "")),
            parent=data.get("parent", getattr(line, "parent", None)),
            heading=data.get("heading", getattr(line, "heading", "")),
            order=data.get("order", getattr(line, "order", 0)),
            account_range=data.get("account_range", getattr(line, "account_range", "")),
        )

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    def perform_destroy(self, instance):
        services.delete_ledger_line(instance, user=self.request.user)


# --- amounts -------------------------------------------------------------------------


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


class AmountFilterSet(filters.FilterSet):
    unit = IdFilter(field_name="unit_id")
    unit_code = filters.CharFilter(field_name="unit__code", max_length=64)
    line = IdFilter(field_name="line_id")
    line_code = filters.CharFilter(field_name="line__code", max_length=64)
    year = YearFilter(field_name="year")
    kind = filters.ChoiceFilter(choices=AmountKind.choices)
    month = filters.NumberFilter(field_name="month", min_value=1, max_value=12)

    class Meta:
        model = Amount
        fields = ["unit", "line", "year", "kind", "month"]


class AmountViewSet(ScopedViewSet):
    """Amounts (tkr) per leaf line x unit x year x kind (x month). POST upserts: an amount
    for the same line, unit, year, kind and month is updated. Actuals need the role
    "report", budgets, forecasts and plans "plan"."""

    queryset = Amount.objects.select_related("line", "unit").order_by(
        "unit_id", "year", "kind", "month", "line__order", "id"
    )
    serializer_class = AmountSerializer
    filterset_class = AmountFilterSet
    unit_field = "unit"

    def _upsert(self, data) -> Amount:
        row = {
            "line": data["line"],
            "unit": data["unit"],
            "year": data["year"],
            "kind": data["kind"],
            "month": data.get("month"),
            "value": data["value"],
            "note": data.get("note", ""),
        }
        try:
            services.upsert_amounts([row], user=self.request.user, source="api")
        except services.AmountRowsError as exc:
            raise serializers.ValidationError(
                {"detail": "; ".join(message for _n, message in exc.row_errors)}
            ) from None
        return Amount.objects.select_related("line", "unit").get(
            line=data["line"],
            unit=data["unit"],
            year=data["year"],
            kind=data["kind"],
            month=data.get("month"),
        )

    def perform_create(self, serializer):
        serializer.instance = self._upsert(serializer.validated_data)

    def perform_update(self, serializer):
        amount = serializer.instance
        data = {
            "line": amount.line,
            "unit": amount.unit,
            "year": amount.year,
            "kind": amount.kind,
            "month": amount.month,
            "value": serializer.validated_data.get("value", amount.value),
            "note": serializer.validated_data.get("note", amount.note),
        }
        serializer.instance = self._upsert(data)

    def perform_destroy(self, instance):
        services.delete_amount(instance, user=self.request.user)


# --- frames --------------------------------------------------------------------------


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


class FrameFilterSet(filters.FilterSet):
    unit = IdFilter(field_name="unit_id")
    unit_code = filters.CharFilter(field_name="unit__code", max_length=64)
    year = YearFilter(field_name="year")
    parent = IdFilter(field_name="parent_id")

    class Meta:
        model = Frame
        fields = ["unit", "year", "parent"]


class FrameViewSet(ScopedViewSet):
    """Budget frames: last year's grant plus the changes (price index, expansions,
    reductions ...); the total is computed. Role "plan" on the unit."""

    queryset = Frame.objects.select_related("unit").prefetch_related("changes")
    queryset = queryset.order_by("unit__path", "year", "order", "id")
    serializer_class = FrameSerializer
    filterset_class = FrameFilterSet
    unit_field = "unit"

    def _save(self, serializer, frame=None):
        data = serializer.validated_data
        get = lambda name, default=None: data.get(name, getattr(frame, name, default))  # noqa: E731
        changes = data.get("changes")
        serializer.instance = services.save_frame(
            get("unit"),
            get("year"),
            user=self.request.user,
            code=get("code"),
            name=get("name"),
            base_amount=get("base_amount"),
            changes=None if changes is None else [dict(c) for c in changes],
            recipient=get("recipient", ""),
            parent=get("parent"),
            order=get("order", 0),
            note=get("note", ""),
            source=get("source", ""),
        )

    def perform_create(self, serializer):
        if Frame.objects.filter(code=serializer.validated_data["code"]).exists():
            raise serializers.ValidationError({"code": "Det finns redan en ram med koden."})
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    def perform_destroy(self, instance):
        services.delete_frame(instance, user=self.request.user)


# --- investments ---------------------------------------------------------------------


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


class InvestmentFilterSet(filters.FilterSet):
    unit = IdFilter(field_name="unit_id")
    unit_code = filters.CharFilter(field_name="unit__code", max_length=64)
    year = YearFilter(field_name="year")

    class Meta:
        model = Investment
        fields = ["unit", "year"]


class InvestmentViewSet(ScopedViewSet):
    """Investment objects per unit and year (tkr), with the over/under 4,5 mnkr split.
    Role "plan" on the unit."""

    queryset = Investment.objects.select_related("unit__organisation").order_by(
        "unit__path", "year", "order", "id"
    )
    serializer_class = InvestmentSerializer
    filterset_class = InvestmentFilterSet
    unit_field = "unit"

    def _save(self, serializer, obj=None):
        data = serializer.validated_data
        get = lambda name, default=None: data.get(name, getattr(obj, name, default))  # noqa: E731
        serializer.instance = services.save_investment(
            get("unit"),
            get("year"),
            user=self.request.user,
            name=get("name"),
            amount=get("amount"),
            category=get("category", ""),
            investment=obj,
            order=get("order", 0),
            note=get("note", ""),
            source=get("source", ""),
        )

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    def perform_destroy(self, instance):
        services.delete_investment(instance, user=self.request.user)


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


class InvestmentFrameFilterSet(filters.FilterSet):
    unit = IdFilter(field_name="unit_id")
    year = YearFilter(field_name="year")

    class Meta:
        model = InvestmentFrame
        fields = ["unit", "year"]


class InvestmentFrameViewSet(ScopedViewSet):
    """Investment frames by decision level and category (seed 004: 245 mnkr in 2022).
    Role "plan" on the unit."""

    queryset = InvestmentFrame.objects.select_related("unit").order_by(
        "unit__path", "year", "order", "id"
    )
    serializer_class = InvestmentFrameSerializer
    filterset_class = InvestmentFrameFilterSet
    unit_field = "unit"

    def _save(self, serializer, frame=None):
        data = serializer.validated_data
        get = lambda name, default=None: data.get(name, getattr(frame, name, default))  # noqa: E731
        serializer.instance = services.save_investment_frame(
            get("unit"),
            get("year"),
            user=self.request.user,
            amount=get("amount"),
            decision_level=get("decision_level", ""),
            category=get("category", ""),
            order=get("order", 0),
            note=get("note", ""),
            source=get("source", ""),
        )

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    def perform_destroy(self, instance):
        services.delete_investment_frame(instance, user=self.request.user)


def register(router) -> None:
    """Add the economy endpoints to the API's router."""
    router.register("ledger-lines", LedgerLineViewSet, basename="ledgerline")
    router.register("amounts", AmountViewSet, basename="amount")
    router.register("frames", FrameViewSet, basename="frame")
    router.register("investments", InvestmentViewSet, basename="investment")
    router.register("investment-frames", InvestmentFrameViewSet, basename="investmentframe")
