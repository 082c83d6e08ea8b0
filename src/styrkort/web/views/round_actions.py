"""The buttons of the round pages: open, extend, close and reopen a round; mark a unit
ready, approve it, return it, excuse it, reopen it. Each calls one ``rounds.services``
function and nothing else: a refusal of the rules (four eyes, not ready, no reason, a
deadline before the opening day) comes back as the service's Swedish message and nothing
is changed; a missing right is the 403 page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from styrkort.rounds import services
from styrkort.web.forms.rounds import ExtendRoundForm, OpenRoundForm, ReasonForm

from .base import period_label
from .rounds import (
    get_organisation,
    get_round,
    get_round_unit,
    level_names,
    messages_of,
    overview_context,
    round_context,
    round_url,
)


def _next(request, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _label(rnd) -> str:
    from styrkort.periods import parse_period

    return period_label(parse_period(rnd.period))


@login_required
@require_POST
def round_open(request, org):
    organisation = get_organisation(request, org)
    form = OpenRoundForm(request.POST, levels=level_names(organisation))
    if form.is_valid():
        try:
            rnd = services.open_round(
                user=request.user,
                organisation=organisation,
                period=form.cleaned_data["period"],
                opens_on=form.cleaned_data["opens_on"],
                deadline=form.cleaned_data["deadline"],
                level_deadlines=form.level_deadlines(),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("Uppföljningstillfället %(period)s är öppnat.") % {"period": _label(rnd)},
            )
            return redirect(round_url(rnd))
    context = overview_context(request, organisation, open_form=form)
    if context["open_form"] is None:  # no form on the page (no units): its errors above it
        for text in form.non_field_errors():
            messages.error(request, text)
    return render(request, "web/rounds/overview.html", context, status=400)


@login_required
@require_POST
def round_action(request, org, period, action):
    """extend (förläng), close (stäng) or reopen (öppna igen) a whole round."""
    rnd = get_round(request, org, period)
    if action == "forlang":
        form = ExtendRoundForm(request.POST, levels=level_names(rnd.organisation))
        if form.is_valid():
            try:
                services.extend_round(
                    user=request.user,
                    round=rnd,
                    deadline=form.cleaned_data["deadline"],
                    level_deadlines=form.level_deadlines(),
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("Sista dagarna är ändrade."))
                return redirect(round_url(rnd))
        context = round_context(request, rnd, extend_form=form)
        return render(request, "web/rounds/round.html", context, status=400)
    if action == "oppna-igen":
        form = ReasonForm(request.POST, prefix="reopen")
        if form.is_valid():
            try:
                services.reopen(user=request.user, round=rnd, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(
                    request,
                    _("Uppföljningstillfället %(period)s är öppnat igen.")
                    % {"period": _label(rnd)},
                )
                return redirect(round_url(rnd))
        context = round_context(request, rnd, reopen_form=form)
        return render(request, "web/rounds/round.html", context, status=400)
    if action == "stang":
        try:
            services.close_round(user=request.user, round=rnd)
        except ValidationError as exc:
            for text in messages_of(exc):
                messages.error(request, text)
        else:
            messages.success(
                request,
                _("Uppföljningstillfället %(period)s är stängt och dess uppgifter låsta.")
                % {"period": _label(rnd)},
            )
        return redirect(round_url(rnd))
    raise Http404(_("Okänd åtgärd: %(action)s.") % {"action": action})


#: action in the URL -> (service call, message on success)
UNIT_ACTIONS = {
    "klarmarkera": "mark_ready",
    "godkann": "approve",
    "atersand": "return_submission",
    "undanta": "excuse",
    "oppna-igen": "reopen",
}


def _success(action: str, unit, excused: bool) -> str:
    texts = {
        "mark_ready": _("%(unit)s är klarmarkerad och väntar på granskning."),
        "approve": _("%(unit)s är godkänd och låst."),
        "return_submission": _("%(unit)s är återsänd med din kommentar."),
        "excuse": _("%(unit)s är undantagen.") if excused else _("Undantaget är borttaget."),
        "reopen": _("%(unit)s är öppnad igen."),
    }
    return texts[action] % {"unit": unit.name}


@login_required
@require_POST
def unit_action(request, org, period, code, action):
    """One unit's submission: mark ready, approve, return (comment), excuse (reason),
    reopen (reason). Back to the page the button was on, with the outcome as a message."""
    rnd = get_round(request, org, period)
    unit = get_round_unit(rnd, code)
    name = UNIT_ACTIONS.get(action)
    if name is None:
        raise Http404(_("Okänd åtgärd: %(action)s.") % {"action": action})
    kwargs = {"user": request.user, "round": rnd, "unit": unit}
    if name == "return_submission":
        kwargs["comment"] = request.POST.get("comment", "")
    elif name in ("excuse", "reopen"):
        kwargs["reason"] = request.POST.get("reason", "")
    target = _next(request, round_url(rnd))
    try:
        submission = getattr(services, name)(**kwargs)
    except ValidationError as exc:
        for text in messages_of(exc):
            messages.error(
                request,
                _("%(unit)s: %(message)s") % {"unit": unit.name, "message": text},
            )
    else:
        messages.success(request, _success(name, unit, getattr(submission, "excused", False)))
    return redirect(target)
