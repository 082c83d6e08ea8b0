"""Log in and out. Failed logins are throttled by django-axes (per account and address,
and per address: styrkort.accounts.throttling); a locked-out person gets a Swedish page
(HTTP 429) instead of axes' English text."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Fel användarnamn eller lösenord. Observera att båda fälten skiljer på stora "
            "och små bokstäver."
        ),
        "inactive": _("Kontot är inaktiverat."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Användarnamn")
        self.fields["password"].label = _("Lösenord")
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            # styrkort.identity.backends: a right password, but the organisation signs in
            # through its identity provider
            if getattr(self.request, "styrkort_password_refused", False):
                from styrkort.identity.backends import PASSWORD_REFUSED

                raise forms.ValidationError(PASSWORD_REFUSED, code="sso_only") from None
            raise


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        credentials = {"username": request.POST.get("username", "")}
        if settings.AXES_ENABLED and AxesProxyHandler.is_locked(request, credentials):
            return locked_out(request)
        return super().post(request, *args, **kwargs)


def locked_out(request, *args, **kwargs):
    """Shown after too many failed logins (also AXES_LOCKOUT_CALLABLE): a Swedish page,
    or under /api/ (the token endpoint) a JSON answer, both HTTP 429."""
    if request.path.startswith("/api/"):
        from styrkort.api.token_views import locked_out_response

        return locked_out_response(request)
    hours = float(getattr(settings, "AXES_COOLOFF_TIME", 0) or 0)
    minutes = round(hours * 60) if hours else None
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        # Signed in through an identity provider: its session ends too (single logout).
        from styrkort.identity.views import single_logout_url

        provider_logout = single_logout_url(request)
        response = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(provider_logout) if provider_logout else response
