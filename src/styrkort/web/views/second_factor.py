"""The second factor's pages: set up an authenticator app (a QR code and the key in
text, confirmed with a code from the app; ten recovery codes shown once) and give a code
after signing in with a password (accounts.second_factor)."""

from __future__ import annotations

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from styrkort.accounts import second_factor


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kod"),
        max_length=40,
        help_text=_("Sex siffror från autentiseringsappen, eller en av dina återställningskoder."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return "/"
    return target


@never_cache
@login_required
def verify(request):
    """A code from the app or a recovery code; three wrong codes slow down (django-otp)."""
    if not second_factor.has_second_factor(request.user):
        return redirect("second_factor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor.verify(request, form.cleaned_data["code"]):
            return redirect(_next(request))
        form.add_error("code", _("Koden stämmer inte eller har redan använts. Försök igen."))
    return render(
        request,
        "registration/second_factor.html",
        {"form": form, "next": _next(request)},
        status=200 if not form.errors else 400,
    )


@never_cache
@login_required
def setup(request):
    """Set up (or replace) the app. Replacing needs a verified session."""
    if second_factor.has_second_factor(request.user) and not request.user.is_verified():
        return redirect("second_factor")
    device = second_factor.pending_totp(request.user)
    form = CodeForm(request.POST or None)
    form.fields["code"].help_text = _("Sex siffror som appen visar för Styrkort.")
    if request.method == "POST" and form.is_valid():
        codes = second_factor.confirm_totp(request, form.cleaned_data["code"])
        if codes is not None:
            return render(
                request,
                "registration/second_factor_codes.html",
                {"codes": codes, "next": _next(request)},
            )
        form.add_error("code", _("Koden stämmer inte. Kontrollera att appens klocka går rätt."))
    key = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
    return render(
        request,
        "registration/second_factor_setup.html",
        {
            "form": form,
            "next": _next(request),
            "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=5),
            "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
        },
        status=200 if not form.errors else 400,
    )
