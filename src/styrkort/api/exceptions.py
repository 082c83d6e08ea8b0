"""The API's exception handler: bad input is a 400 with field errors, never a 500."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler

from styrkort.concurrency import StaleVersionError, etag, who_text
from styrkort.rounds.locks import PeriodLocked


class Locked(exceptions.APIException):
    """409: the unit's data for the period is locked by a reporting round."""

    status_code = 409
    default_code = "locked"


class PreconditionRequired(exceptions.APIException):
    """428: a change or delete of one object without the version it is based on."""

    status_code = 428
    default_code = "precondition_required"
    default_detail = gettext_lazy(
        "Ange versionen du utgår från i If-Match (ETag-huvudet från GET av objektet)."
    )


class PreconditionFailed(exceptions.APIException):
    """412: the object has changed since the version the client sent."""

    status_code = 412
    default_code = "stale"


def stale_response(exc: StaleVersionError, context):
    """412 with what the other person left: the message, who saved it and when, the
    stored version (also as the ETag) and the object as stored now (`current`, set by
    the viewset; None when it is gone)."""
    response = exception_handler(PreconditionFailed(exc.detail), context)
    response.data.update(
        {
            "code": "stale",
            "version": exc.version or None,
            "saved_by": who_text(exc.saved_by) if exc.saved_at is not None else None,
            "saved_at": exc.saved_at.isoformat() if exc.saved_at is not None else None,
            "current": getattr(exc, "current", None),
        }
    )
    if exc.version:
        response["ETag"] = etag(exc.version)
    return response


def _model_name(view) -> str:
    model = getattr(getattr(view, "queryset", None), "model", None)
    if model is None:
        try:
            model = view.get_serializer_class().Meta.model
        except (AttributeError, AssertionError):
            return _("objekt")
    return str(model._meta.verbose_name)


def api_exception_handler(exc, context):
    """DRF's handler, plus Django's ValidationError (from services and model validation)
    as 400 with its field errors, a write to a period a reporting round has locked as
    409 naming the lock, and objects still in use or values the database refuses as 400
    with a `detail` in the active language."""
    if isinstance(exc, StaleVersionError):
        return stale_response(exc, context)
    if isinstance(exc, PeriodLocked):
        response = exception_handler(Locked(exc.messages[0]), context)
        response.data.update({"unit": exc.unit_code, "period": exc.period, "code": "locked"})
        return response
    if isinstance(exc, DjangoValidationError):
        exc = serializers.ValidationError(serializers.as_serializer_error(exc))
    elif isinstance(exc, ProtectedError | RestrictedError):
        exc = exceptions.ValidationError(
            {"detail": _("Objektet används av andra uppgifter och kan inte tas bort.")}
        )
    elif isinstance(exc, IntegrityError):
        exc = exceptions.ValidationError(
            {"detail": _("Uppgifterna strider mot en regel i databasen (finns de redan?).")}
        )
    elif isinstance(exc, DataError):
        exc = exceptions.ValidationError({"detail": _("Ett värde är för stort eller ogiltigt.")})
    elif isinstance(exc, Http404) and "matches the given query" in str(exc):
        # Django's get_object_or_404 names the model in English ("No Outcome matches the
        # given query."); our own 404s already say what is missing in Swedish.
        exc = exceptions.NotFound(
            _("%(name)s med det id:t finns inte (eller så får du inte se det).")
            % {"name": _model_name(context.get("view")).capitalize()}
        )
    return exception_handler(exc, context)
