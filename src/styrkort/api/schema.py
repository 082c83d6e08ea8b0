"""OpenAPI schema generation: every operation declares its error responses.

DRF answers 400 (bad input, with field errors), 401 (no or bad credentials), 403 (the
role does not allow it) and 404 (no such object, or not visible to the user); the
schema says so for every operation, so that clients and schemathesis know them.

No lost update (styrkort.concurrency): GET of one object answers an `ETag`; PUT, PATCH
and DELETE of one object require `If-Match` and may answer 428 (no If-Match) and 412
(the object has changed since).
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

ERROR_DESCRIPTIONS = {
    "400": "Felaktiga uppgifter: fältfel per fält, eller `detail`.",
    "401": "Inloggning eller token saknas eller är ogiltig.",
    "403": "Din roll tillåter inte åtgärden för enheten.",
    "404": "Objektet finns inte eller syns inte för dig.",
}


class ErrorSerializer(serializers.Serializer):
    """An error answer: `detail` (Swedish), or one list of messages per field."""

    detail = serializers.CharField(required=False, help_text="Felmeddelande.")
    non_field_errors = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Fel som gäller flera fält."
    )


#: The actions that change or delete one object: they need If-Match.
VERSIONED_WRITES = ("update", "partial_update", "destroy")
#: The actions whose 200 answer carries the object's ETag.
VERSIONED_READS = ("retrieve", "update", "partial_update")

PRECONDITION_DESCRIPTIONS = {
    "412": "Objektet har ändrats sedan versionen i If-Match: `detail` säger vem som sparade "
    "det och när, `current` visar det som sparat nu, `version` (och ETag) dess version. "
    "Ingenting har ändrats.",
    "428": "If-Match saknas: hämta objektet (GET) och skicka dess ETag som If-Match.",
}


class StaleSerializer(serializers.Serializer):
    """A refused change: the object has changed since the version the client sent."""

    detail = serializers.CharField(help_text="Vad som ändrats, av vem och när (svenska).")
    code = serializers.CharField(help_text="`stale`.")
    version = serializers.CharField(
        allow_null=True, help_text="Den sparade versionen (null: objektet är borttaget)."
    )
    saved_by = serializers.CharField(allow_null=True, help_text="Vem som sparade senast.")
    saved_at = serializers.DateTimeField(allow_null=True, help_text="När det sparades.")
    current = serializers.JSONField(allow_null=True, help_text="Objektet som det är sparat nu.")


class StyrkortAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, adding the error responses DRF can give, the
    If-Match header of changes and deletes and the ETag of an object's answer."""

    def _versioned(self, actions) -> bool:
        return getattr(self.view, "action", None) in actions and hasattr(
            self.view, "matched_version"
        )

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self._versioned(VERSIONED_WRITES):
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    required=True,
                    description="Objektets version som ETag-huvudet i svaret på GET gav den, "
                    't.ex. `"t20220430T101502.123456Z"`; `*` skriver över vilken version '
                    "som helst.",
                )
            )
        if self._versioned(VERSIONED_READS):
            parameters.append(
                OpenApiParameter(
                    "ETag",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    required=True,
                    response=[200],
                    description="Objektets version: skicka den som If-Match vid ändring "
                    "och borttagning.",
                )
            )
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self._versioned(VERSIONED_WRITES):
            for code, description in PRECONDITION_DESCRIPTIONS.items():
                serializer = StaleSerializer if code == "412" else ErrorSerializer
                response = self._get_response_for_code(serializer, code, direction=direction)
                response["description"] = description
                responses[code] = response
        for code, description in ERROR_DESCRIPTIONS.items():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = description
                responses[code] = response
        return responses
