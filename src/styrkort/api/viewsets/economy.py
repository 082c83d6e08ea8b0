"""The economy: income-statement lines, amounts, frames with their changes,
investments and investment frames.

Reads are limited to the user's organisations; writes go through economy.services:
lines need "admin" on the organisation's top unit, actual amounts "report", budgets,
forecasts, plans, frames and investments "plan" on the unit (403 otherwise). Amounts are
tkr, income positive and costs negative."""

from __future__ import annotations

from rest_framework import serializers

from styrkort.economy import services
from styrkort.economy.models import Amount, Frame, Investment, InvestmentFrame, LedgerLine

from ..base import ORGANISATION, ScopedViewSet
from ..filters import (
    AmountFilterSet,
    FrameFilterSet,
    InvestmentFilterSet,
    InvestmentFrameFilterSet,
    LedgerLineFilterSet,
)
from ..serializers import (
    AmountSerializer,
    FrameSerializer,
    InvestmentFrameSerializer,
    InvestmentSerializer,
    LedgerLineSerializer,
)


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
