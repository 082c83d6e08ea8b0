"""Reporting rounds: read by everyone in the organisation; opened, extended, closed and
reopened by planners of the top unit (and admins); each unit marked ready by its
reporters and planners, approved, returned or excused by planners of the unit above.
Every write is a POST to an action and goes through rounds.services."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from styrkort.organisation.models import OrgUnit
from styrkort.rounds import services
from styrkort.rounds.models import ReportingRound
from styrkort.rounds.status import round_json

from ..base import ORGANISATION, ScopedViewSet
from ..filters import RoundFilterSet
from ..serializers.rounds import (
    ExcuseSerializer,
    ReturnSerializer,
    RoundExtendSerializer,
    RoundOpenSerializer,
    RoundReopenSerializer,
    RoundSerializer,
    RoundStatusSerializer,
    UnitProgressSerializer,
)

UNIT_CODE = OpenApiParameter(
    "code", str, OpenApiParameter.PATH, description="Enhetens kod, t.ex. NLL-LS1-IM."
)


def _unit_action(name: str, summary: str, request=None):
    """The schema and route of a per-unit action: POST units/{code}/<name>/."""

    def decorate(method):
        method = extend_schema(
            summary=summary,
            request=request,
            responses={200: UnitProgressSerializer},
            parameters=[UNIT_CODE],
        )(method)
        return action(
            detail=True,
            methods=["post"],
            url_path=rf"units/(?P<code>[^/]+)/{name}",
            url_name=f"unit-{name}",
            filterset_class=None,
            pagination_class=None,
        )(method)

    return decorate


@extend_schema_view(
    list=extend_schema(summary="Uppföljningstillfällen i de organisationer du har en roll i"),
    retrieve=extend_schema(summary="Ett uppföljningstillfälle"),
    create=extend_schema(
        summary="Öppna ett uppföljningstillfälle (planerare på toppenheten)",
        request=RoundOpenSerializer,
        responses={201: RoundSerializer},
    ),
)
class RoundViewSet(ScopedViewSet):
    """Reporting rounds (uppföljningstillfällen) per organisation and reporting point,
    with each unit's submission. See docs/rounds.md."""

    queryset = ReportingRound.objects.select_related("organisation").order_by(
        "organisation_id", "-period_end", "period_start"
    )
    serializer_class = RoundSerializer
    filterset_class = RoundFilterSet
    unit_field = ORGANISATION
    http_method_names = ["get", "post", "head", "options"]

    def get_serializer_class(self):
        if self.action == "create":
            return RoundOpenSerializer
        return RoundSerializer

    def create(self, request, *args, **kwargs):
        body = RoundOpenSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        self.perform_create(body)
        data = RoundSerializer(body.instance, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    def perform_create(self, serializer):
        serializer.instance = services.open_round(
            user=self.request.user, **serializer.validated_data
        )

    # --- the round --------------------------------------------------------------------

    def _body(self, serializer_class):
        body = serializer_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data

    def _round(self, rnd) -> Response:
        rnd = ReportingRound.objects.select_related("organisation").get(pk=rnd.pk)
        return Response(RoundSerializer(rnd, context=self.get_serializer_context()).data)

    @extend_schema(summary="Varje enhets läge och vad som saknas", responses=RoundStatusSerializer)
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def status(self, request, pk=None):
        return Response(round_json(self.get_object()))

    @extend_schema(
        summary="Flytta sista dag (planerare på toppenheten)",
        request=RoundExtendSerializer,
        responses={200: RoundSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def extend(self, request, pk=None):
        data = self._body(RoundExtendSerializer)
        rnd = services.extend_round(user=request.user, round=self.get_object(), **data)
        return self._round(rnd)

    @extend_schema(
        summary="Stäng tillfället: allt låses (planerare på toppenheten)",
        request=None,
        responses={200: RoundSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def close(self, request, pk=None):
        rnd = services.close_round(user=request.user, round=self.get_object())
        return self._round(rnd)

    @extend_schema(
        summary="Öppna tillfället eller en enhet igen, med skäl",
        description="Utan `unit`: hela tillfället (planerare på toppenheten). Med `unit`: "
        "den enheten (planerare på enheten ovanför). Svaret är tillfället.",
        request=RoundReopenSerializer,
        responses={200: RoundSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def reopen(self, request, pk=None):
        rnd = self.get_object()
        data = self._body(RoundReopenSerializer)
        unit = self._unit(rnd, data["unit"]) if data.get("unit") else None
        services.reopen(user=request.user, round=rnd, unit=unit, reason=data["reason"])
        return self._round(rnd)

    # --- one unit ---------------------------------------------------------------------

    def _unit(self, rnd, code: str) -> OrgUnit:
        unit = OrgUnit.objects.filter(organisation_id=rnd.organisation_id, code=code).first()
        if unit is None:
            raise serializers.ValidationError(
                {
                    "unit": [
                        _("Okänd enhet i %(org)s: ”%(code)s”.")
                        % {"org": rnd.organisation.name, "code": code}
                    ]
                }
            )
        return unit

    def _progress(self, rnd, unit) -> Response:
        data = round_json(rnd, units=[unit.pk])["units"][0]
        return Response(data)

    @_unit_action("ready", "Klarmarkera enheten (rapportör eller planerare på enheten)")
    def ready(self, request, pk=None, code=None):
        rnd = self.get_object()
        unit = self._unit(rnd, code)
        services.mark_ready(user=request.user, round=rnd, unit=unit)
        return self._progress(rnd, unit)

    @_unit_action("approve", "Godkänn enheten (planerare på enheten ovanför, fyra ögon)")
    def approve(self, request, pk=None, code=None):
        rnd = self.get_object()
        unit = self._unit(rnd, code)
        services.approve(user=request.user, round=rnd, unit=unit)
        return self._progress(rnd, unit)

    @_unit_action(
        "return",
        "Återsänd enheten med en kommentar (planerare på enheten ovanför)",
        ReturnSerializer,
    )
    def return_(self, request, pk=None, code=None):
        rnd = self.get_object()
        unit = self._unit(rnd, code)
        data = self._body(ReturnSerializer)
        services.return_submission(user=request.user, round=rnd, unit=unit, comment=data["comment"])
        return self._progress(rnd, unit)

    @_unit_action(
        "excuse", "Undanta enheten med ett skäl (planerare på enheten ovanför)", ExcuseSerializer
    )
    def excuse(self, request, pk=None, code=None):
        rnd = self.get_object()
        unit = self._unit(rnd, code)
        data = self._body(ExcuseSerializer)
        services.excuse(user=request.user, round=rnd, unit=unit, reason=data["reason"])
        return self._progress(rnd, unit)
