"""Organisation units: the services the API (and the administration) write through –
create under a parent, change, move within the organisation, delete only what nothing
uses (the endpoint on top of them: tests/api/test_api_one_write_path.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from factories import UserFactory
from styrkort.organisation import services
from styrkort.organisation.models import OrgUnit

WORLD = {"plans": False}  # no plans or outcomes: units are moved and deleted


def _fresh(unit):
    return OrgUnit.objects.get(pk=unit.pk)


def test_create_unit_under_a_parent(world):
    admin = world.users.admin
    unit = services.create_unit(
        user=admin, parent=world.ls1, code="NLL-LS1-ORT", name="VO Ortopedi", type="business_area"
    )
    assert _fresh(unit).path.startswith(world.ls1.path)
    assert (unit.depth, unit.organisation_id) == (3, world.org.pk)
    assert _fresh(world.ls1).numchild == 3
    assert unit.history.first().history_user == admin
    with pytest.raises(PermissionDenied, match="administrera"):
        services.create_unit(
            user=world.users.planner,
            parent=world.ls1,
            code="NLL-LS1-KIR",
            name="VO Kirurgi",
            type="business_area",
        )
    with pytest.raises(ValidationError) as error:
        services.create_unit(
            user=admin, parent=world.ls1, code="NLL-LS2", name="Dubblett", type="division"
        )
    assert "NLL-LS2" in error.value.message_dict["code"][0]


def test_update_unit_renames_and_closes(world):
    admin = world.users.admin
    services.update_unit(
        user=admin, unit=world.nc, name="VO Neurocentrum och rehab", valid_to=dt.date(2024, 12, 31)
    )
    nc = _fresh(world.nc)
    assert (nc.name, nc.valid_to) == ("VO Neurocentrum och rehab", dt.date(2024, 12, 31))
    assert nc.history.first().history_user == admin
    with pytest.raises(ValidationError) as error:
        services.update_unit(user=admin, unit=_fresh(world.gallerian), valid_to=dt.date(2009, 1, 1))
    assert "2009-01-01" in error.value.message_dict["valid_to"][0]
    assert _fresh(world.gallerian).valid_to == dt.date(2024, 2, 1)
    with pytest.raises(PermissionDenied):
        services.update_unit(user=world.users.planner, unit=_fresh(world.nc), name="X")


def test_move_unit_within_the_organisation(world):
    admin = world.users.admin
    moved = services.move_unit(user=admin, unit=world.im, parent=world.ls2)
    assert moved.path.startswith(_fresh(world.ls2).path) and moved.depth == 3
    assert (_fresh(world.ls1).numchild, _fresh(world.ls2).numchild) == (1, 1)
    assert moved.history.first().history_user == admin
    # Back again; a planner (no admin role) may not.
    with pytest.raises(PermissionDenied):
        services.move_unit(user=world.users.planner, unit=_fresh(world.im), parent=world.ls1)
    services.move_unit(user=admin, unit=_fresh(world.im), parent=world.ls1)
    assert _fresh(world.im).path.startswith(_fresh(world.ls1).path)


def test_move_unit_refuses_its_own_subtree_and_other_organisations(world):
    admin = world.users.admin
    before = list(OrgUnit.objects.order_by("pk").values_list("path", "numchild"))
    with pytest.raises(ValidationError) as error:
        services.move_unit(user=admin, unit=world.ls1, parent=world.im)
    assert "under sig själv" in error.value.message_dict["parent"][0]
    with pytest.raises(ValidationError):
        services.move_unit(user=admin, unit=world.ls1, parent=world.ls1)
    with pytest.raises(PermissionDenied):  # no role in Region Sörmland
        services.move_unit(user=admin, unit=world.ls1, parent=world.other)
    root = UserFactory(username="root", is_superuser=True)
    with pytest.raises(ValidationError) as error:
        services.move_unit(user=root, unit=world.ls1, parent=world.other)
    assert "annan organisation" in error.value.message_dict["parent"][0]
    assert list(OrgUnit.objects.order_by("pk").values_list("path", "numchild")) == before


def test_delete_unit_only_when_nothing_refers_to_it(world):
    admin = world.users.admin
    with pytest.raises(ValidationError, match="underenheter"):
        services.delete_unit(user=admin, unit=world.ls1)
    # LS1 holds seed 001's medication outcomes (and roles).
    services.move_unit(user=admin, unit=world.im, parent=world.ls2)
    services.move_unit(user=admin, unit=world.nc, parent=world.ls2)
    with pytest.raises(ValidationError) as error:
        services.delete_unit(user=admin, unit=_fresh(world.ls1))
    assert "utfall" in error.value.messages[0] and "giltig till" in error.value.messages[0]
    assert OrgUnit.objects.filter(pk=world.ls1.pk).exists()
    with pytest.raises(PermissionDenied):
        services.delete_unit(user=world.users.planner, unit=_fresh(world.nc))
    services.delete_unit(user=admin, unit=_fresh(world.nc))
    assert not OrgUnit.objects.filter(pk=world.nc.pk).exists()
    assert _fresh(world.ls2).numchild == 1
    assert OrgUnit.history.filter(id=world.nc.pk).first().history_user == admin
