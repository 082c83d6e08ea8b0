"""The interface language: Swedish first.

`PreferredLanguageMiddleware` replaces Django's LocaleMiddleware: the language is the one
chosen with the sv/en switch in the header (Django's language cookie, set by
`set_language`), else `settings.LANGUAGE_CODE`. The browser's Accept-Language is ignored,
so a Swedish region's staff with English browsers still get Swedish until they choose
otherwise."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin


def preferred_language(request) -> str:
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or ""
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


class PreferredLanguageMiddleware(MiddlewareMixin):
    def process_request(self, request):
        translation.activate(preferred_language(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
