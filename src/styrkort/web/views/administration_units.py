"""The organisation tree in the administration: the units the person reads, a new unit
under one they administer, and a unit's page to rename, move, close with a date, open
again or delete it (``organisation.services``, whose Swedish messages are shown)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from styrkort.organisation import services
from styrkort.organisation.models import OrgUnit
from styrkort.organisation.permissions import Action, can

from ..forms.administration import (
    CloseUnitForm,
    MoveUnitForm,
    NewUnitForm,
    RenameUnitForm,
    apply_errors,
)
from .administration import area_for, context


@login_required
def unit_list(request, org):
    area = area_for(request, org)
    form = NewUnitForm(request.POST or None, units=area.admin_units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        parent = next(u for u in area.admin_units if str(u.pk) == data["parent"])
        try:
            unit = services.create_unit(
                user=request.user,
                parent=parent,
                code=data["code"],
                name=data["name"],
                short_name=data["short_name"],
                type=data["type"],
                valid_from=data["valid_from"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(unit)s är skapad under %(parent)s.")
                % {"unit": unit.name, "parent": parent.name},
            )
            return redirect("administration_units", org=org)
    today = timezone.localdate()
    top = min((u.depth for u in area.units), default=1)
    rows = [
        {
            "unit": u,
            "indent": min(u.depth - top, 6),
            "closed": u.valid_to is not None and u.valid_to < today,
            "admin": can(request.user, Action.ADMIN, u),
        }
        for u in area.units
    ]
    return render(
        request,
        "web/administration/units.html",
        context(area, "units", rows=rows, form=form),
    )


def _unit(area, code: str):
    unit = next((u for u in area.units if u.code == code), None)
    if unit is None:
        raise Http404(_("Enheten %(code)s finns inte.") % {"code": code})
    return unit


@login_required
def unit_detail(request, org, code):
    area = area_for(request, org)
    unit = _unit(area, code)
    admin = can(request.user, Action.ADMIN, unit)
    if request.method == "POST" and not admin:
        raise PermissionDenied(
            _("Du saknar behörighet att administrera för %(unit)s.") % {"unit": unit.name}
        )
    subtree = [u.pk for u in area.units if u.path.startswith(unit.path)]
    targets = [u for u in area.admin_units if u.pk != unit.pk]
    forms = {
        "rename": RenameUnitForm(initial={"name": unit.name, "short_name": unit.short_name}),
        "move": MoveUnitForm(units=targets),
        "close": CloseUnitForm(initial={"valid_to": unit.valid_to}),
    }
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            done = _act(request, area, unit, action, forms, targets)
        except ValidationError as exc:
            unit.refresh_from_db()  # the service set the refused values on the object
            form = forms.get(action)
            if form is None:
                for message in exc.messages:
                    messages.error(request, message)
                return redirect("administration_unit", org=org, code=unit.code)
            apply_errors(form, exc, {"valid_to": "valid_to", "parent": "parent"})
            done = None
        if done:
            return done
    parent_path = unit.path[: -OrgUnit.steplen]
    parent = OrgUnit.objects.filter(path=parent_path).first() if parent_path else None
    return render(
        request,
        "web/administration/unit.html",
        context(
            area,
            "units",
            unit=unit,
            parent=parent,
            admin=admin,
            forms=forms,
            subunits=len(subtree) - 1,
            closed=unit.valid_to is not None and unit.valid_to < timezone.localdate(),
        ),
    )


def _act(request, area, unit, action, forms, targets):
    """Run one of the unit page's forms; a redirect when it was done, None when its form
    (in `forms`) has errors to show. ValidationError from the service is the caller's."""
    org = area.organisation.code
    if action == "rename":
        form = forms["rename"] = RenameUnitForm(request.POST)
        if not form.is_valid():
            return None
        services.update_unit(user=request.user, unit=unit, **form.cleaned_data)
        messages.success(request, _("Enheten heter nu %(name)s.") % {"name": unit.name})
    elif action == "move":
        form = forms["move"] = MoveUnitForm(request.POST, units=targets)
        if not form.is_valid():
            return None
        parent = next(u for u in targets if str(u.pk) == form.cleaned_data["parent"])
        services.move_unit(user=request.user, unit=unit, parent=parent)
        messages.success(
            request,
            _("%(unit)s ligger nu under %(parent)s.") % {"unit": unit.name, "parent": parent.name},
        )
    elif action == "close":
        form = forms["close"] = CloseUnitForm(request.POST)
        if not form.is_valid():
            return None
        end = form.cleaned_data["valid_to"]
        services.update_unit(user=request.user, unit=unit, valid_to=end)
        messages.success(
            request,
            _("%(unit)s gäller till och med %(date)s.")
            % {"unit": unit.name, "date": end.isoformat()},
        )
    elif action == "reopen":
        services.update_unit(user=request.user, unit=unit, valid_to=None)
        messages.success(request, _("%(unit)s har inget slutdatum längre.") % {"unit": unit.name})
    elif action == "delete":
        name = unit.name
        services.delete_unit(user=request.user, unit=unit)
        messages.success(request, _("%(unit)s är borttagen.") % {"unit": name})
        return redirect("administration_units", org=org)
    else:
        messages.error(request, _("Okänd åtgärd."))
    return redirect("administration_unit", org=org, code=unit.code)
