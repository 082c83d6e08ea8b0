"""Mina API-nycklar: a person's own API tokens, listed (never the tokens themselves),
created (shown once), revoked one by one or all at once. The API's /api/tokens/ does
the same through the same functions (styrkort.accounts.tokens)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from styrkort.accounts import tokens


@never_cache
@login_required
def api_tokens(request):
    """GET: the list. POST `create`: a new token, shown on the answer page only;
    `revoke=<id>`: end one; `revoke_all`: end every one."""
    issued = None
    if request.method == "POST":
        if "create" in request.POST:
            issued, _row = tokens.issue_token(request.user)
        elif "revoke_all" in request.POST:
            count = tokens.revoke_all_tokens(request.user)
            messages.success(
                request,
                ngettext(
                    "%(count)s API-nyckel återkallad.", "%(count)s API-nycklar återkallade.", count
                )
                % {"count": count},
            )
            return redirect("api_tokens")
        elif "revoke" in request.POST:
            if tokens.revoke_token(request.user, request.POST["revoke"]):
                messages.success(
                    request, _("API-nyckeln är återkallad och går inte längre att använda.")
                )
            else:
                messages.error(request, _("Du har ingen sådan API-nyckel (redan återkallad?)."))
            return redirect("api_tokens")
    return render(
        request,
        "web/api_tokens.html",
        {
            "tokens": tokens.list_tokens(request.user),
            "issued": issued,
            "days": settings.STYRKORT_API_TOKEN_DAYS,
        },
    )
