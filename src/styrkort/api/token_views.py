"""The API's token endpoints: get a token for a user name and password (throttled like
the login page: 429 during a lock-out), list one's own tokens, revoke one, all, or the
one the request is signed with."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from styrkort.accounts import second_factor, tokens

from .schema import ErrorSerializer, StyrkortAutoSchema


def locked_out_response(request) -> JsonResponse:
    """429 for /api/: too many failed logins from this address (for this name)."""
    hours = float(getattr(settings, "AXES_COOLOFF_TIME", 0) or 0)
    minutes = round(hours * 60)
    if minutes:
        detail = _(
            "För många misslyckade inloggningsförsök. Inloggningen är spärrad från den här "
            "adressen i %(minutes)s minuter."
        ) % {"minutes": minutes}
    else:
        detail = _("För många misslyckade inloggningsförsök. Kontakta din administratör.")
    response = JsonResponse({"detail": detail}, status=429)
    if minutes:
        response["Retry-After"] = str(minutes * 60)
    return response


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField(
        label=gettext_lazy("Användarnamn"), max_length=150, write_only=True
    )
    password = serializers.CharField(
        label=gettext_lazy("Lösenord"),
        max_length=4096,
        write_only=True,
        trim_whitespace=False,
        style={"input_type": "password"},
    )
    code = serializers.CharField(
        label=gettext_lazy("Kod"),
        max_length=40,
        required=False,
        write_only=True,
        help_text=gettext_lazy(
            "Koden från autentiseringsappen (eller en återställningskod), för den som har "
            "tvåstegsverifiering."
        ),
    )


class IssuedTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="API-nyckeln: visas bara nu, spara den.")
    expiry = serializers.DateTimeField(help_text="När nyckeln slutar gälla.")
    token_id = serializers.CharField(help_text="Nyckelns id i /api/tokens/.")


class TokenInfoSerializer(serializers.Serializer):
    token_id = serializers.CharField(help_text="Id för att återkalla nyckeln.")
    prefix = serializers.CharField(help_text="Nyckelns första tecken, för att känna igen den.")
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField(allow_null=True)
    current = serializers.BooleanField(help_text="Anropet är gjort med den här nyckeln.")


class RevokedSerializer(serializers.Serializer):
    revoked = serializers.IntegerField(help_text="Antal återkallade nycklar.")


LOCKED = OpenApiResponse(
    ErrorSerializer, description="För många misslyckade inloggningar: spärrad en tid."
)


class ObtainTokenView(APIView):
    """POST a user name and password, get a new API token (send it as
    `Authorization: Token <token>`) and when it expires."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]
    schema = StyrkortAutoSchema()

    @extend_schema(
        request=LoginSerializer,
        responses={200: IssuedTokenSerializer, 429: LOCKED},
        operation_id="token_create",
    )
    def post(self, request):
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        username = serializer.validated_data["username"]
        # axes reads and marks the Django request, not DRF's wrapper.
        http_request = request._request
        if settings.AXES_ENABLED and AxesProxyHandler.is_locked(
            http_request, {"username": username}
        ):
            return locked_out_response(http_request)
        user = authenticate(
            http_request, username=username, password=serializer.validated_data["password"]
        )
        if user is None:
            if getattr(http_request, "axes_locked_out", False):
                return locked_out_response(http_request)
            raise serializers.ValidationError(
                {"non_field_errors": [_("Fel användarnamn eller lösenord.")]}
            )
        refusal = second_factor.token_refusal(user, request.data.get("code", ""))
        if refusal:
            raise serializers.ValidationError({"code": [refusal]})
        text, row = tokens.issue_token(user)
        user_logged_in.send(sender=user.__class__, request=http_request, user=user)
        return Response(
            IssuedTokenSerializer(
                {"token": text, "expiry": row.expiry, "token_id": tokens.token_id_of(row)}
            ).data
        )


def _current_id(request) -> str | None:
    auth = getattr(request, "auth", None)
    digest = getattr(auth, "digest", None)
    return digest[: tokens.ID_LENGTH] if digest else None


class TokenListView(APIView):
    """Your own API tokens that have not expired, newest first (never the tokens
    themselves)."""

    schema = StyrkortAutoSchema()

    @extend_schema(responses={200: TokenInfoSerializer(many=True)}, operation_id="tokens_list")
    def get(self, request):
        current = _current_id(request)
        rows = [
            {**info.__dict__, "current": info.token_id == current}
            for info in tokens.list_tokens(request.user)
        ]
        return Response(TokenInfoSerializer(rows, many=True).data)


class TokenDetailView(APIView):
    """Revoke one of your own API tokens."""

    schema = StyrkortAutoSchema()

    @extend_schema(responses={204: None}, operation_id="tokens_destroy")
    def delete(self, request, token_id: str):
        if not tokens.revoke_token(request.user, token_id):
            return Response({"detail": _("Du har ingen sådan API-nyckel.")}, status=404)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RevokeAllTokensView(APIView):
    """Revoke all your API tokens (sign out everywhere), this one included."""

    schema = StyrkortAutoSchema()

    @extend_schema(
        request=None, responses={200: RevokedSerializer}, operation_id="tokens_revoke_all"
    )
    def post(self, request):
        return Response({"revoked": tokens.revoke_all_tokens(request.user)})


class LogoutView(APIView):
    """Revoke the API token this request is signed with."""

    schema = StyrkortAutoSchema()

    @extend_schema(request=None, responses={204: None}, operation_id="token_logout")
    def post(self, request):
        current = _current_id(request)
        if current is None:
            raise serializers.ValidationError(
                {"detail": _("Anropet är inte gjort med en API-nyckel (Authorization: Token …).")}
            )
        tokens.revoke_token(request.user, current)
        return Response(status=status.HTTP_204_NO_CONTENT)
