"""Errors outside the views: bodies above the limit and Django's error handlers.

The web answers with its Swedish HTML pages (templates `400.html` ... `500.html`,
`413.html`); everything under `/api/` answers as the API always does, JSON
`{"detail": "..."}`, whatever went wrong: a 500, a body too large, a request Django
refused before any view ran.

`RequestSizeMiddleware` refuses a request whose Content-Length is above the limit before
anything reads its body: an upload (multipart) may be `STYRKORT_IMPORT_MAX_BYTES` plus
room for the form's other fields, any other body `DATA_UPLOAD_MAX_MEMORY_SIZE`
(`STYRKORT_REQUEST_MAX_BYTES`). Without the check Django would stream a 200 MB upload to
disk before the import page could refuse it, and DRF's parsers read a JSON body without
Django's limit.

A database that stays locked is not a server error. On SQLite one connection writes at a
time; a write waits up to busy_timeout (settings.py) for another writer's transaction
and then fails with ``OperationalError: database is locked``. Imports write in one short
transaction (styrkort.io), so this should be rare, but when it happens the request gets
503 with ``Retry-After`` and a Swedish "try again" page (JSON ``{"code": "busy"}`` under
/api/), never a 500: from a view (`RequestSizeMiddleware.process_exception`) or from
anywhere else in the request, such as the session saved after the view (`server_error`,
which finds the exception being handled). Nothing of the request was saved: its
transaction was rolled back.
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import OperationalError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger(__name__)

#: room for the other fields and the multipart framing of an upload, in bytes
UPLOAD_MARGIN = 1024 * 1024
API_PREFIX = "/api/"
#: seconds a client is asked to wait when the database was locked (Retry-After)
RETRY_AFTER_S = 5


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _mb(n: int) -> str:
    if n < 1024 * 1024:
        return f"{n // 1024} kB"
    return f"{n / (1024 * 1024):.1f}".replace(".", ",") + " MB"


def _json(body: dict, status: int) -> JsonResponse:
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def body_limit(request) -> int | None:
    """The largest body accepted for this request, in bytes (None: no limit)."""
    if request.content_type == "multipart/form-data":
        return settings.STYRKORT_IMPORT_MAX_BYTES + UPLOAD_MARGIN
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _language(request):
    from styrkort.web.middleware import preferred_language

    return translation.override(preferred_language(request))


def too_large(request, *, upload: bool, limit: int):
    """413: the web's Swedish page, or JSON under /api/. `upload`: the body is a file
    upload (multipart) and `limit` is the import's; else `limit` is that of other bodies."""
    with _language(request):
        if upload:
            detail = _(
                "Filen är för stor. Den största fil som kan läsas in är %(limit)s; dela upp "
                "filen eller packa den som XLSX."
            ) % {"limit": _mb(settings.STYRKORT_IMPORT_MAX_BYTES)}
        else:
            detail = _("Begäran är för stor (högst %(limit)s).") % {"limit": _mb(limit)}
        if is_api(request):
            return _json({"detail": detail, "code": "too_large"}, status=413)
        return render(request, "413.html", {"detail": detail}, status=413)


class RequestSizeMiddleware:
    """Refuse a body above the limit from its Content-Length, before it is read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = body_limit(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            logger.warning(
                "Refused %s %s: Content-Length %s above %s",
                request.method,
                request.path_info,
                length,
                limit,
            )
            upload = request.content_type == "multipart/form-data"
            return too_large(request, upload=upload, limit=limit)
        return self.get_response(request)

    def process_exception(self, request, exception):
        """A view that met a locked database: 503, try again (see `database_busy`)."""
        if is_database_locked(exception):
            return database_busy(request)
        return None


# --- a locked database -----------------------------------------------------------------


def is_database_locked(exc: BaseException | None) -> bool:
    """Whether `exc` is SQLite's "database is locked" (another writer held the database
    longer than busy_timeout) rather than a real database error."""
    if not isinstance(exc, OperationalError):
        return False
    text = str(exc).lower()
    return "database is locked" in text or "database table is locked" in text


def database_busy(request):
    """503 with Retry-After: the web's Swedish page, or JSON under /api/."""
    logger.warning(
        "Database locked: %s %s answered 503 (try again)", request.method, request.path_info
    )
    with _language(request):
        detail = _(
            "Systemet är upptaget av en annan användares sparande just nu. Ingenting har "
            "sparats; försök igen om några sekunder."
        )
        if is_api(request):
            response = _json({"detail": detail, "code": "busy"}, status=503)
        else:
            response = render(request, "503.html", {"detail": detail}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_S)
    return response


# --- Django's error handlers (styrkort.urls) ---------------------------------------------


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        # Django found the fields of a form (not its files) above the limit while parsing.
        return too_large(request, upload=False, limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    if is_api(request):
        with _language(request):
            return _json({"detail": _("Begäran kunde inte tolkas.")}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if is_api(request):
        with _language(request):
            detail = str(exception) if exception and str(exception) else ""
            return _json({"detail": detail or _("Du saknar behörighet till detta.")}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    if is_api(request):
        with _language(request):
            return _json({"detail": _("Finns inte.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    # Called while Django handles the exception: a locked database anywhere in the
    # request (a middleware's write, such as the session's) is a 503, not a 500.
    if is_database_locked(sys.exc_info()[1]):
        return database_busy(request)
    if is_api(request):
        with _language(request):
            return _json(
                {
                    "detail": _(
                        "Ett fel uppstod hos oss. Felet är loggat; försök igen om en stund."
                    ),
                    "code": "server_error",
                },
                status=500,
            )
    return defaults.server_error(request)
