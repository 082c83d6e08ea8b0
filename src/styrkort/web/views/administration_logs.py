"""What administrators and auditors read: the administration's history (who gave whom
which role, who created, changed or deactivated whom, the units and the settings, when)
and the sign-in log (who, when, how, from where, with what outcome and why)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from styrkort.accounts.models import RoleAssignment, User
from styrkort.accounts.signin import events_for
from styrkort.organisation.models import Organisation, OrgUnit
from styrkort.planning.models import PlanLevel
from styrkort.risk.models import RiskBand
from styrkort.web.history import history_rows, merged, person

from ..forms.administration import SignInFilterForm
from .administration import PAGE_SIZE, area_for, context, people

USER_LABELS = {
    "username": gettext_lazy("Användarnamn"),
    "first_name": gettext_lazy("Förnamn"),
    "last_name": gettext_lazy("Efternamn"),
    "email": gettext_lazy("E-post"),
    "is_active": gettext_lazy("Aktiv"),
}
ROLE_LABELS = {
    "user": gettext_lazy("Användare"),
    "role": gettext_lazy("Roll"),
    "unit": gettext_lazy("Enhet"),
    "source": gettext_lazy("Källa"),
}
UNIT_LABELS = {
    "code": gettext_lazy("Kod"),
    "name": gettext_lazy("Namn"),
    "short_name": gettext_lazy("Kortnamn"),
    "type": gettext_lazy("Typ"),
    "path": gettext_lazy("Plats i trädet"),
    "valid_from": gettext_lazy("Giltig från"),
    "valid_to": gettext_lazy("Giltig till"),
}
ORGANISATION_LABELS = {
    "name": gettext_lazy("Namn"),
    "tolerance_pct": gettext_lazy("Tolerans för delvis uppfyllt (%)"),
    "trend_epsilon_pct": gettext_lazy("Gräns för oförändrad utveckling (%)"),
    "goal_met_threshold": gettext_lazy("Gräns för uppfyllt mål"),
    "goal_partly_threshold": gettext_lazy("Gräns för delvis uppfyllt mål"),
    "require_second_factor": gettext_lazy("Kräv tvåstegsverifiering"),
}
BAND_LABELS = {
    "name": gettext_lazy("Namn"),
    "min_value": gettext_lazy("Lägsta riskvärde"),
    "max_value": gettext_lazy("Högsta riskvärde"),
    "requires_action": gettext_lazy("Kräver åtgärd"),
}
LEVEL_LABELS = {"name": gettext_lazy("Namn"), "name_plural": gettext_lazy("Namn i plural")}

KINDS = {
    "roller": gettext_lazy("Roller"),
    "konton": gettext_lazy("Konton"),
    "enheter": gettext_lazy("Enheter"),
    "installningar": gettext_lazy("Inställningar"),
}


def _unit_place(organisation):
    """A unit's place in the tree by its parent's name (the path itself says nothing)."""
    names = dict(OrgUnit.objects.filter(organisation=organisation).values_list("path", "name"))

    def place(value, record) -> str:
        parent = names.get((value or "")[: -OrgUnit.steplen])
        return _("under %(parent)s") % {"parent": parent} if parent else "–"

    return place


def _role_person(value, record) -> str:
    try:
        return person(record.user)
    except User.DoesNotExist:  # the account was deleted since
        return str(value)


def _role_unit(value, record) -> str:
    try:
        return record.unit.name
    except OrgUnit.DoesNotExist:
        return str(value)


def _role_subject(record) -> str:
    try:
        name = record.user.username
    except User.DoesNotExist:  # the account was deleted since
        name = str(record.user_id)
    return _("Roll för %(username)s") % {"username": name}


def _history(area, kind: str) -> list:
    organisation: Organisation = area.organisation
    unit_ids = [u.pk for u in area.units]
    lists = []
    if kind in ("", "roller"):
        lists.append(
            history_rows(
                list(
                    RoleAssignment.history.filter(unit_id__in=unit_ids).select_related(
                        "user", "unit", "history_user"
                    )
                ),
                ROLE_LABELS,
                subject=_role_subject,
                formats_by_field={"user": _role_person, "unit": _role_unit},
            )
        )
    if kind in ("", "konton"):
        person_ids = list(people(area).values_list("pk", flat=True))
        lists.append(
            history_rows(
                User.history.filter(id__in=person_ids),
                USER_LABELS,
                subject=lambda r: _("Konto: %(username)s") % {"username": r.username},
            )
        )
    if kind in ("", "enheter"):
        lists.append(
            history_rows(
                OrgUnit.history.filter(id__in=unit_ids),
                UNIT_LABELS,
                subject=lambda r: _("Enhet: %(name)s") % {"name": r.name},
                formats_by_field={"path": _unit_place(organisation)},
            )
        )
    if kind in ("", "installningar") and area.top in area.units:
        lists.append(
            history_rows(
                Organisation.history.filter(id=organisation.pk),
                ORGANISATION_LABELS,
                subject=_("Organisationens inställningar"),
            )
        )
        lists.append(
            history_rows(
                RiskBand.history.filter(organisation_id=organisation.pk),
                BAND_LABELS,
                subject=lambda r: _("Risknivå: %(name)s") % {"name": r.name},
            )
        )
        levels = PlanLevel.objects.filter(plan_model__organisation=organisation)
        lists.append(
            history_rows(
                PlanLevel.history.filter(id__in=list(levels.values_list("pk", flat=True))),
                LEVEL_LABELS,
                subject=lambda r: _("Nivå %(level)s i styrmodellen") % {"level": r.level},
            )
        )
    return merged(*lists)


@login_required
def history_page(request, org):
    area = area_for(request, org)
    kind = request.GET.get("visa", "")
    if kind not in KINDS:
        kind = ""
    rows = _history(area, kind)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("sida"))
    return render(
        request,
        "web/administration/history.html",
        context(area, "history", page=page, kind=kind, kinds=KINDS),
    )


@login_required
def signin_log(request, org):
    area = area_for(request, org)
    form = SignInFilterForm(request.GET or None)
    events = events_for([area.organisation.pk])
    if not any(unit.pk == area.top.pk for unit in area.units):
        # An administrator or auditor of part of the organisation reads the sign-ins of
        # the people of that part (who, when, from where is personal data).
        events = events.filter(user__in=people(area))
    if form.is_valid():
        data = form.cleaned_data
        zone = timezone.get_current_timezone()
        if data["start"]:
            start = dt.datetime.combine(data["start"], dt.time.min, tzinfo=zone)
            events = events.filter(at__gte=start)
        if data["end"]:
            end = dt.datetime.combine(data["end"] + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
            events = events.filter(at__lt=end)
        if data["outcome"]:
            events = events.filter(outcome=data["outcome"])
        if data["username"].strip():
            name = data["username"].strip()
            events = events.filter(Q(username__icontains=name) | Q(user__username__icontains=name))
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "web/administration/signins.html",
        context(area, "signins", form=form, page=page, query=query.urlencode()),
    )
