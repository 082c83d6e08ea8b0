"""The organisation administrators' pages under /administration/: the organisation's
accounts and their roles (here), its units (``administration_units``), its settings, the
administration's history and the sign-in log (``administration_logs``).

Administrators (the admin role) change what their role covers; auditors (revisor) and
administrators read all of it (``Action.AUDIT``). Every change goes through a service
(``accounts.services``, ``organisation.services``, ...), which checks the permission
again and records the history; a POST from someone without the admin role in the
organisation is refused before it reaches one (403).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from styrkort.accounts import services
from styrkort.accounts.models import RoleAssignment, RoleSource, User
from styrkort.organisation.models import Organisation, OrgUnit
from styrkort.organisation.permissions import Action, can, restrict, scope_for
from styrkort.organisation.services import top_unit

from ..forms.administration import (
    GrantRoleForm,
    NewUserForm,
    PersonForm,
    UserSearchForm,
    apply_errors,
)

PAGE_SIZE = 50


def administered_organisations(user) -> list[Organisation]:
    """The organisations whose administration `user` reads: those where they hold the
    admin or auditor role on some unit (every organisation for a superuser)."""
    if not getattr(user, "is_authenticated", False):
        return []
    scope = scope_for(user)
    if scope.superuser:
        return list(Organisation.objects.order_by("name"))
    units = OrgUnit.objects.filter(scope.q(Action.AUDIT, ""))
    ids = units.values_list("organisation_id", flat=True)
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


@dataclass
class Area:
    """One organisation's administration as the signed-in person sees it."""

    organisation: Organisation
    top: OrgUnit
    units: list[OrgUnit]  # those they read (auditor or admin role), by path
    admin_units: list[OrgUnit]  # those they change (admin role), by path
    admin_org: bool  # the admin role on the top unit: settings, every account

    @property
    def read_only(self) -> bool:
        return not self.admin_units


def area_for(request, org: str) -> Area:
    """The organisation with code `org` and what the user may read and change in it;
    404 for an unknown code, 403 without the admin or auditor role there, and 403 for a
    POST without the admin role."""
    organisation = Organisation.objects.filter(code=org).first()
    if organisation is None:
        raise Http404(_("Organisationen %(code)s finns inte.") % {"code": org})
    units = OrgUnit.objects.filter(organisation=organisation).order_by("path")
    readable = list(restrict(units, request.user, Action.AUDIT, ""))
    if not readable:
        raise PermissionDenied(
            _("Du saknar behörighet att se administrationen för %(organisation)s.")
            % {"organisation": organisation.name}
        )
    admin_units = list(restrict(units, request.user, Action.ADMIN, ""))
    if request.method == "POST" and not admin_units:
        raise PermissionDenied(
            _("Du kan läsa administrationen för %(organisation)s men inte ändra något.")
            % {"organisation": organisation.name}
        )
    top = top_unit(organisation.pk)
    return Area(
        organisation=organisation,
        top=top,
        units=readable,
        admin_units=admin_units,
        admin_org=can(request.user, Action.ADMIN, top),
    )


def providers_url() -> str:
    """The single sign-on configuration's page, where it exists."""
    try:
        return reverse("identity:providers")
    except NoReverseMatch:
        return ""


def context(area: Area, section: str, **extra) -> dict:
    return {
        "area": area,
        "organisation": area.organisation,
        "section": section,
        "providers_url": providers_url(),
        **extra,
    }


def people(area: Area):
    """The accounts of the organisation the user reads: everyone holding a role on a unit
    they read, and the accounts created in the organisation that hold no role yet."""
    held = RoleAssignment.objects.filter(unit__in=area.units).values("user_id")
    return User.objects.filter(
        Q(pk__in=held) | Q(organisation=area.organisation, roles__isnull=True)
    ).distinct()


def account_source(person) -> str:
    """Where the account signs in: its identity providers, else a local account."""
    names = sorted({identity.provider.name for identity in person.external_identities.all()})
    return ", ".join(names) if names else _("Lokalt konto")


@login_required
def administration_index(request):
    organisations = administered_organisations(request.user)
    if not organisations:
        raise PermissionDenied(_("Du saknar behörighet att se administrationen."))
    if len(organisations) == 1:
        return redirect("administration_home", org=organisations[0].code)
    return render(
        request,
        "web/administration/index.html",
        {"organisations": organisations, "providers_url": providers_url()},
    )


@login_required
def administration_home(request, org):
    area = area_for(request, org)
    counts = {
        "people": people(area).count(),
        "units": len(area.units),
    }
    return render(request, "web/administration/home.html", context(area, "home", counts=counts))


@login_required
def user_list(request, org):
    area = area_for(request, org)
    form = UserSearchForm(request.GET or None)
    found = people(area).prefetch_related("external_identities__provider")
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        for word in query.split():
            found = found.filter(
                Q(username__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
            )
    found = found.order_by("last_name", "first_name", "username")
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("sida"))
    for person in page.object_list:
        person.source = account_source(person)
    return render(
        request,
        "web/administration/users.html",
        context(
            area,
            "users",
            form=form,
            page=page,
            query=query,
            query_string=urlencode({"q": query}) if query else "",
        ),
    )


def _person(area: Area, pk: int) -> User:
    person = people(area).filter(pk=pk).first()
    if person is None:
        raise Http404(
            _("Användaren finns inte i %(organisation)s.")
            % {"organisation": area.organisation.name}
        )
    return person


@login_required
def user_create(request, org):
    area = area_for(request, org)
    if area.read_only:
        raise PermissionDenied(_("Du kan läsa administrationen men inte ändra något."))
    passwords = services.local_passwords_allowed(area.organisation)
    form = NewUserForm(request.POST or None, passwords=passwords)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.create_user(
                user=request.user,
                organisation=area.organisation,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                password=data.get("password1") or None,
            )
        except ValidationError as exc:
            apply_errors(form, exc, {"password": "password1"})
        else:
            messages.success(
                request,
                _("Kontot %(username)s är skapat. Ge det en roll nedan.")
                % {"username": person.username},
            )
            return redirect("administration_user", org=org, pk=person.pk)
    return render(
        request,
        "web/administration/user_new.html",
        context(area, "users", form=form, passwords=passwords),
    )


def _roles(area: Area, person: User, user) -> tuple[list, list]:
    """The person's roles on the organisation's units: given by hand (with whether the
    user may take each back) and from the identity provider."""
    assignments = (
        RoleAssignment.objects.filter(user=person, unit__organisation=area.organisation)
        .select_related("unit")
        .order_by("unit__path", "role")
    )
    manual, provided = [], []
    for assignment in assignments:
        assignment.revocable = can(user, Action.ADMIN, assignment.unit)
        (provided if assignment.source == RoleSource.SSO else manual).append(assignment)
    return manual, provided


@login_required
def user_detail(request, org, pk):
    area = area_for(request, org)
    person = _person(area, pk)
    manageable = services.may_manage(request.user, person, area.organisation)
    person_form = PersonForm(
        initial={
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
        }
    )
    grant_form = GrantRoleForm(units=area.admin_units)
    if request.method == "POST":
        action = request.POST.get("action", "")
        handler = {
            "edit": _edit_person,
            "activate": _activate,
            "deactivate": _activate,
            "grant": _grant,
            "revoke": _revoke,
        }.get(action)
        if handler is None:
            messages.error(request, _("Okänd åtgärd."))
            return redirect("administration_user", org=org, pk=pk)
        result = handler(request, area, person, action)
        if result is None:
            return redirect("administration_user", org=org, pk=pk)
        if action == "edit":
            person_form = result
        else:
            grant_form = result
    manual, provided = _roles(area, person, request.user)
    identities = person.external_identities.select_related("provider").order_by("provider__name")
    return render(
        request,
        "web/administration/user.html",
        context(
            area,
            "users",
            person=person,
            source=account_source(person),
            identities=identities,
            manageable=manageable,
            person_form=person_form,
            grant_form=grant_form,
            manual=manual,
            provided=provided,
            other_roles=RoleAssignment.objects.filter(user=person)
            .exclude(unit__organisation=area.organisation)
            .count(),
        ),
    )


def _edit_person(request, area, person, action):
    form = PersonForm(request.POST)
    if not form.is_valid():
        return form
    try:
        services.update_user(
            user=request.user, organisation=area.organisation, person=person, **form.cleaned_data
        )
    except ValidationError as exc:
        apply_errors(form, exc)
        return form
    messages.success(
        request, _("Uppgifterna för %(username)s är sparade.") % {"username": person.username}
    )
    return None


def _activate(request, area, person, action):
    active = action == "activate"
    try:
        services.set_active(
            user=request.user, organisation=area.organisation, person=person, active=active
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return None
    if active:
        messages.success(
            request, _("Kontot %(username)s är aktivt igen.") % {"username": person.username}
        )
    else:
        messages.success(
            request,
            _(
                "Kontot %(username)s är inaktiverat: det kan inte logga in och dess "
                "API-nycklar har upphört."
            )
            % {"username": person.username},
        )
    return None


def _grant(request, area, person, action):
    form = GrantRoleForm(request.POST, units=area.admin_units)
    if not form.is_valid():
        return form
    unit = next(u for u in area.admin_units if str(u.pk) == form.cleaned_data["unit"])
    try:
        assignment = services.grant_role(
            user=request.user, target_user=person, unit=unit, role=form.cleaned_data["role"]
        )
    except ValidationError as exc:
        apply_errors(form, exc)
        return form
    messages.success(
        request,
        _("%(username)s har nu rollen %(role)s på %(unit)s.")
        % {
            "username": person.username,
            "role": assignment.get_role_display().lower(),
            "unit": unit.name,
        },
    )
    return None


def _revoke(request, area, person, action):
    pk = request.POST.get("assignment", "")
    assignment = (
        RoleAssignment.objects.filter(pk=int(pk), user=person, unit__organisation=area.organisation)
        .select_related("unit")
        .first()
        if pk.isdigit()
        else None
    )
    if assignment is None:
        messages.error(request, _("Rollen finns inte (redan borttagen?)."))
        return None
    try:
        services.revoke_role(user=request.user, assignment=assignment)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return None
    messages.success(
        request,
        _("%(username)s har inte längre rollen %(role)s på %(unit)s.")
        % {
            "username": person.username,
            "role": assignment.get_role_display().lower(),
            "unit": assignment.unit.name,
        },
    )
    return None
