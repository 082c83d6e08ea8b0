"""A person's own settings for the follow-up cycle: reminder e-mails on or off
(/installningar/paminnelser/) and substitutes (/installningar/ersattare/)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from styrkort.rounds import reminders, services
from styrkort.rounds.models import ReminderLog, Substitution

from ..forms.settings import ReminderSettingsForm, SubstituteForm


@login_required
def reminder_settings(request):
    enabled = reminders.reminders_enabled(request.user)
    # An unticked box sends nothing: an empty POST is still a submitted form.
    data = request.POST if request.method == "POST" else None
    form = ReminderSettingsForm(data, initial={"enabled": enabled})
    if request.method == "POST" and form.is_valid():
        reminders.set_reminders(user=request.user, enabled=form.cleaned_data["enabled"])
        messages.success(
            request,
            _("Påminnelserna är påslagna.")
            if form.cleaned_data["enabled"]
            else _("Påminnelserna är avstängda."),
        )
        return redirect("reminder_settings")
    return render(
        request,
        "web/reminder_settings.html",
        {
            "form": form,
            "enabled": enabled,
            "reminder_days": ", ".join(
                str(d) for d in sorted(settings.STYRKORT_REMINDER_DAYS, reverse=True)
            ),
            "sent": ReminderLog.objects.filter(user=request.user).order_by("-day")[:10],
        },
    )


def _apply(form, exc: ValidationError) -> None:
    fields = {"substitute": "username", "starts_on": "starts_on", "ends_on": "ends_on"}
    for field, errors in exc.message_dict.items():
        for message in errors:
            form.add_error(fields.get(field), message)


@login_required
def substitutes(request):
    form = SubstituteForm()
    if request.method == "POST" and "remove" in request.POST:
        _remove(request)
        return redirect("substitutes")
    if request.method == "POST":
        form = SubstituteForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.name_substitute(
                    user=request.user,
                    substitute=form.substitute,
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                )
            except ValidationError as exc:
                _apply(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s är din ersättare %(start)s–%(end)s.")
                    % {
                        "name": form.substitute.get_full_name() or form.substitute.username,
                        "start": data["starts_on"].isoformat(),
                        "end": data["ends_on"].isoformat(),
                    },
                )
                return redirect("substitutes")
    today = timezone.localdate()
    return render(
        request,
        "web/substitutes.html",
        {
            "form": form,
            "today": today,
            "mine": Substitution.objects.filter(user=request.user, ends_on__gte=today)
            .select_related("substitute")
            .order_by("starts_on"),
            "standing_in": Substitution.objects.filter(substitute=request.user, ends_on__gte=today)
            .select_related("user")
            .order_by("starts_on"),
        },
    )


def _remove(request) -> None:
    pk = request.POST.get("remove", "")
    substitution = (
        Substitution.objects.filter(pk=int(pk), user=request.user).first() if pk.isdigit() else None
    )
    if substitution is None:
        messages.error(request, _("Ersättaren finns inte (redan borttagen?)."))
        return
    try:
        services.remove_substitute(user=request.user, substitution=substitution)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return
    name = substitution.substitute.get_full_name() or substitution.substitute.username
    messages.success(request, _("%(name)s är inte längre din ersättare.") % {"name": name})
