"""The Django admin writes nothing past the services: domain models are read-only there
(a posted change, addition, deletion or history revert is refused with 403), and roles
are granted and revoked through accounts.services, recorded with the acting user."""

import pytest
from django.contrib import admin
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse

from styrkort.accounts.models import Role, RoleAssignment, User
from styrkort.organisation.models import Organisation, OrgUnit
from styrkort.planning.models import Indicator
from styrkort.writes import DOMAIN_APPS

pytestmark = pytest.mark.django_db

WORLD = {"plans": False}


def domain_admins():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in DOMAIN_APPS
    ]


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", password="x-pass-123")


def test_every_domain_model_is_read_only_in_the_admin(root):
    request = RequestFactory().get("/")
    request.user = root
    assert len(domain_admins()) >= 25
    for model, model_admin in domain_admins():
        label = model._meta.label
        assert model_admin.has_view_permission(request), label
        assert not model_admin.has_add_permission(request), label
        assert not model_admin.has_change_permission(request), label
        assert not model_admin.has_delete_permission(request), label
        for inline in model_admin.get_inline_instances(request):
            assert not inline.has_add_permission(request, None), label
            assert not inline.has_change_permission(request), label
            assert not inline.has_delete_permission(request), label


def _url(obj, view, *args):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def test_a_posted_change_of_a_domain_model_is_refused(client, root, world):
    client.force_login(root)
    indicator: Indicator = world.visits
    change = _url(indicator, "change", indicator.pk)
    assert client.get(change).status_code == 200  # shown, read-only
    response = client.post(change, {"code": "lakarbesok", "name": "Ändrat", "unit": "st"})
    assert response.status_code == 403
    indicator.refresh_from_db()
    assert indicator.name == "Antal läkarbesök"

    org: Organisation = world.org
    assert client.post(_url(org, "change", org.pk), {"name": "X"}).status_code == 403
    assert client.post(_url(org, "add"), {"code": "ny", "name": "Ny"}).status_code == 403
    unit = world.ls2
    assert client.post(_url(unit, "delete", unit.pk), {"post": "yes"}).status_code == 403
    assert OrgUnit.objects.filter(pk=unit.pk).exists()
    assert Organisation.objects.filter(code="ny").count() == 0
    org.refresh_from_db()
    assert org.name == "Region Norrbotten"


def test_a_history_revert_is_refused(client, root, world):
    client.force_login(root)
    indicator = world.visits
    indicator.name = "Läkarbesök totalt"
    indicator.save()
    first = indicator.history.order_by("history_date").first()
    url = _url(indicator, "simple_history", indicator.pk, first.history_id)
    assert client.get(url).status_code == 200  # the old version can be looked at
    response = client.post(url, {"code": "lakarbesok", "name": "Antal läkarbesök", "unit": "st"})
    assert response.status_code == 403
    indicator.refresh_from_db()
    assert indicator.name == "Läkarbesök totalt"


def test_a_role_granted_in_the_admin_is_recorded_with_the_acting_user(client, root, world):
    client.force_login(root)
    person = User.objects.create_user("anna", password="x-pass-123")
    unit = world.ls1
    response = client.post(
        reverse("admin:accounts_roleassignment_add"),
        {"user": person.pk, "unit": unit.pk, "role": Role.PLANNER},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assignment = RoleAssignment.objects.get(user=person)
    assert (assignment.unit, assignment.role) == (unit, Role.PLANNER)
    [created] = assignment.history.all()
    assert (created.history_type, created.history_user) == ("+", root)
    entry = LogEntry.objects.get(object_id=str(assignment.pk))
    assert (entry.user, entry.action_flag) == (root, ADDITION)

    # Revoked through the admin: gone, and the history says who took it back.
    delete = reverse("admin:accounts_roleassignment_delete", args=[assignment.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not RoleAssignment.objects.filter(user=person).exists()
    removed = RoleAssignment.history.filter(id=assignment.pk, history_type="-").get()
    assert removed.history_user == root


def test_a_role_is_revoked_and_granted_not_changed(client, root, world, user_on):
    client.force_login(root)
    reader = user_on(Role.READER, "NLL-LS1")
    assignment = RoleAssignment.objects.get(user=reader)
    change = reverse("admin:accounts_roleassignment_change", args=[assignment.pk])
    response = client.post(change, {"user": reader.pk, "unit": assignment.unit_id, "role": "admin"})
    assert response.status_code == 403
    assert RoleAssignment.objects.get(user=reader).role == Role.READER


def test_a_staff_member_grants_roles_only_where_they_are_admin(client, world, user_on):
    staff = user_on(Role.ADMIN, "NLL-LS1", username="division-admin")
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_roleassignment", "view_roleassignment"])
    )
    client.force_login(staff)
    person = User.objects.create_user("bertil", password="x-pass-123")
    add = reverse("admin:accounts_roleassignment_add")
    refused = client.post(add, {"user": person.pk, "unit": world.ls2.pk, "role": Role.READER})
    assert refused.status_code == 200  # the form again, with the reason
    assert (
        "Du saknar behörighet att administrera för Division Länssjukvård 2."
        in refused.content.decode()
    )
    assert not RoleAssignment.objects.filter(user=person).exists()
    vo1 = world.im
    granted = client.post(add, {"user": person.pk, "unit": vo1.pk, "role": Role.REPORTER})
    assert granted.status_code == 302
    assignment = RoleAssignment.objects.get(user=person)
    assert assignment.unit == vo1
    assert assignment.history.get().history_user == staff


def test_roles_on_the_user_page_go_through_the_services(client, root, world):
    client.force_login(root)
    person = User.objects.create_user("cecilia", password="x-pass-123")
    unit = world.ls2
    data = {
        "username": "cecilia",
        "first_name": "Cecilia",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "date_joined_0": "2024-01-01",
        "date_joined_1": "08:00:00",
        "roles-TOTAL_FORMS": "1",
        "roles-INITIAL_FORMS": "0",
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
        "roles-0-unit": unit.pk,
        "roles-0-role": Role.REPORTER,
    }
    response = client.post(reverse("admin:accounts_user_change", args=[person.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assignment = RoleAssignment.objects.get(user=person)
    assert (assignment.unit, assignment.role) == (unit, Role.REPORTER)
    assert assignment.history.get().history_user == root
    # A user is deactivated, not deleted: the history keeps naming them.
    assert client.get(reverse("admin:accounts_user_delete", args=[person.pk])).status_code == 403
