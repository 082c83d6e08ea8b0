"""OpenAPI schema generation: every operation declares its error responses.

DRF answers 400 (bad input, with field errors), 401 (no or bad credentials), 403 (the
role does not allow it) and 404 (no such object, or not visible to the user); the
schema says so for every operation, so that clients and schemathesis know them.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
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


class StyrkortAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, adding the error responses DRF can give."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in ERROR_DESCRIPTIONS.items():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = description
                responses[code] = response
        return responses
