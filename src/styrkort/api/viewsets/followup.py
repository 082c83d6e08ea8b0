"""Outcomes (with the bulk upsert shared with the file import) and analyses."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from styrkort.concurrency import etag
from styrkort.followup.models import Analysis, Outcome, OutcomeSource
from styrkort.followup.services import (
    delete_analysis,
    delete_outcome,
    outcome_name,
    outcome_value_text,
    record_outcome,
    save_analysis,
)
from styrkort.io.importers.outcomes import import_outcome_rows
from styrkort.organisation.permissions import Action, scope_for

from ..base import ScopedViewSet
from ..filters import AnalysisFilterSet, OutcomeFilterSet
from ..serializers import (
    AnalysisSerializer,
    ImportRejectionSerializer,
    ImportReportSerializer,
    OutcomeBulkSerializer,
    OutcomeSerializer,
    OutcomeUpdateSerializer,
)


class OutcomeViewSet(ScopedViewSet):
    """Outcomes per indicator x unit x period x sex. POST upserts (an outcome with the
    same indicator, unit, period and sex is updated); `bulk/` takes many rows at once."""

    queryset = Outcome.objects.order_by(
        "indicator_id", "unit_id", "period_start", "period_end", "sex", "id"
    )
    serializer_class = OutcomeSerializer
    filterset_class = OutcomeFilterSet
    unit_field = "unit"

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return OutcomeUpdateSerializer
        if self.action == "bulk":
            return OutcomeBulkSerializer
        return OutcomeSerializer

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = record_outcome(
            user=self.request.user,
            indicator=data["indicator"],
            unit=data["unit"],
            period=data["period"],
            sex=data.get("sex", "total"),
            value=data.get("value"),
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
            source=OutcomeSource.API,
            data_source=data.get("data_source", ""),
            note=data.get("note", ""),
        )

    def perform_update(self, serializer):
        outcome = serializer.instance
        data = serializer.validated_data
        numbers = {
            name: data.get(name, getattr(outcome, name))
            for name in ("value", "numerator", "denominator")
        }
        if "numerator" in data or "denominator" in data:
            # New counts: let the value follow them unless it is given too.
            numbers["value"] = data.get("value")
        serializer.instance = record_outcome(
            user=self.request.user,
            indicator=outcome.indicator,
            unit=outcome.unit,
            period=outcome.period,
            sex=outcome.sex,
            source=OutcomeSource.API,
            data_source=data.get("data_source", outcome.data_source),
            note=data.get("note", outcome.note),
            expected_version=self.matched_version,
            **numbers,
        )

    def update(self, request, *args, **kwargs):
        """The outcome as saved, in full (not only the numbers the request could change),
        with its new version. It is read again by the id the service wrote, not through
        the list's query parameters, which it may no longer match (`?source=manual`)."""
        response = super().update(request, *args, **kwargs)
        pk = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
        saved = Outcome.objects.filter(pk=pk).first() if response.status_code == 200 else None
        if saved is None:
            return response
        return Response(
            OutcomeSerializer(saved, context=self.get_serializer_context()).data,
            headers={"ETag": etag(self.version(saved))},
        )

    def perform_destroy(self, instance):
        delete_outcome(
            user=self.request.user, outcome=instance, expected_version=self.matched_version
        )

    def describe(self, instance) -> str:
        return outcome_name(instance.indicator, instance.unit, instance.period, instance.sex)

    def describe_value(self, instance) -> str:
        return outcome_value_text(instance)

    @extend_schema(
        request=OutcomeBulkSerializer,
        responses={
            200: ImportReportSerializer,
            400: ImportRejectionSerializer,
            403: ImportRejectionSerializer,
        },
        summary="Spara många utfall på en gång (allt eller inget)",
        description=(
            "Raderna har samma kolumner och regler som importfilen (docs/import.md): org, "
            "indicator, period, sex, value, numerator, denominator, source, note. Okända "
            "nycklar rapporteras i ignored_columns. Avvisas någon rad sparas ingenting "
            "(400, eller 403 när rollen inte räcker); en rad som är identisk med en "
            "befintlig ändrar ingenting."
        ),
    )
    @action(
        detail=False, methods=["post"], url_path="bulk", filterset_class=None, pagination_class=None
    )
    def bulk(self, request):
        serializer = OutcomeBulkSerializer(data=request.data)
        if not serializer.is_valid():
            body = _empty_report(False)
            body["rejected"] = _shape_errors(serializer.errors)
            body["detail"] = _("Felaktiga uppgifter – ingenting har sparats.")
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        scope = scope_for(request.user)
        if not scope.superuser and not scope.paths[Action.REPORT]:
            body = _empty_report(serializer.validated_data["dry_run"])
            body["detail"] = _("Du saknar behörighet att rapportera utfall.")
            return Response(body, status=status.HTTP_403_FORBIDDEN)
        rows = request.data["rows"]
        report = import_outcome_rows(
            rows, user=request.user, dry_run=serializer.validated_data["dry_run"]
        )
        body = report.as_dict()
        if report.ok:
            return Response(body)
        body["detail"] = report.summary_sv()
        code = status.HTTP_403_FORBIDDEN if report.forbidden else status.HTTP_400_BAD_REQUEST
        return Response(body, status=code)


def _shape_errors(errors) -> list[dict]:
    """Serializer errors as rejected rows ({"row", "column", "reason"}), rows from 1."""
    rejected = []
    for name, value in errors.items():
        if name == "rows" and isinstance(value, list | dict):
            # A list with one entry per row, or (newer DRF) a dict keyed by row index, or
            # {"non_field_errors": [...]} when `rows` is not a list of the right length.
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for position, row_errors in items:
                if not isinstance(position, int):
                    for message in row_errors if isinstance(row_errors, list) else [row_errors]:
                        rejected.append({"row": None, "column": "rows", "reason": str(message)})
                    continue
                index = position + 1
                if isinstance(row_errors, dict):
                    for column, messages in row_errors.items():
                        for message in messages:
                            rejected.append(
                                {"row": index, "column": column, "reason": str(message)}
                            )
                else:
                    rejected.append({"row": None, "column": "rows", "reason": str(row_errors)})
        else:
            messages = value if isinstance(value, list) else [value]
            for message in messages:
                rejected.append({"row": None, "column": name, "reason": str(message)})
    return rejected


def _empty_report(dry_run: bool) -> dict:
    from styrkort.io.importers.base import ImportReport

    return ImportReport(kind="outcomes", dry_run=dry_run).as_dict()


class AnalysisViewSet(ScopedViewSet):
    """Analyses per indicator or goal, unit and period (plain text as typed; `text_html`
    beside it)."""

    queryset = Analysis.objects.order_by("unit_id", "period_start", "id")
    serializer_class = AnalysisSerializer
    filterset_class = AnalysisFilterSet
    unit_field = "unit"

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = save_analysis(
            user=self.request.user,
            unit=data["unit"],
            period=data["period"],
            text=data["text"],
            indicator=data.get("indicator"),
            goal=data.get("goal"),
        )

    def perform_update(self, serializer):
        analysis = serializer.instance
        serializer.instance = save_analysis(
            user=self.request.user,
            unit=analysis.unit,
            period=analysis.period,
            text=serializer.validated_data.get("text", analysis.text),
            indicator=analysis.indicator,
            goal=analysis.goal,
            expected_version=self.matched_version,
        )

    def perform_destroy(self, instance):
        delete_analysis(
            user=self.request.user, analysis=instance, expected_version=self.matched_version
        )

    def describe_value(self, instance) -> str:
        return instance.text
