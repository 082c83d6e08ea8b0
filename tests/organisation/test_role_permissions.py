"""The one permission function, for each role inside and outside its subtree."""

import pytest

from styrkort.accounts.models import Role, User
from styrkort.organisation.models import OrgUnit
from styrkort.organisation.permissions import Action, can, restrict

WORLD = {"plans": False}

# role -> the actions it grants inside its subtree
GRANTS = {
    Role.ADMIN: {Action.VIEW, Action.REPORT, Action.PLAN, Action.ADMIN, Action.AUDIT},
    Role.PLANNER: {Action.VIEW, Action.REPORT, Action.PLAN},
    Role.REPORTER: {Action.VIEW, Action.REPORT},
    Role.READER: {Action.VIEW},
    Role.AUDITOR: {Action.VIEW, Action.AUDIT},
}


@pytest.mark.parametrize("role", list(GRANTS))
@pytest.mark.parametrize("action", list(Action))
def test_role_inside_and_outside_subtree(world, user_on, role, action):
    user = user_on(role, "NLL-PV")
    inside = [world.pv, world.gallerian]  # a closed unit too
    outside = [world.region, world.ls1, world.im]
    for unit in inside:
        assert can(user, action, unit) is (action in GRANTS[role]), (role, action, unit.code)
    for unit in outside:
        # Viewing is open across the organisation; every change stays in the subtree.
        expected = action == Action.VIEW
        assert can(user, action, unit) is expected, (role, action, unit.code)


def test_restrict_filters_querysets_like_can(world, user_on):
    reporter = user_on(Role.REPORTER, "NLL-LS1")
    reportable = restrict(OrgUnit.objects.all(), reporter, Action.REPORT, unit_field="")
    assert sorted(reportable.values_list("code", flat=True)) == [
        "NLL-LS1",
        "NLL-LS1-IM",
        "NLL-LS1-NC",
    ]
    for unit in OrgUnit.objects.all():
        assert can(reporter, Action.REPORT, unit) is (unit in reportable)


def test_other_organisation_is_invisible(world, user_on):
    reader = user_on(Role.READER, "NLL")
    assert can(reader, Action.VIEW, world.ls2)
    assert not can(reader, Action.VIEW, world.other)  # Region Sörmland
    others = OrgUnit.objects.filter(organisation=world.other_org)
    assert list(restrict(others, reader, "view", unit_field="")) == []


def test_no_role_no_access_and_superuser_everything(world):
    nobody = User.objects.create_user("nobody", password="x-pass-123")
    root = User.objects.create_superuser("root", password="x-pass-123")
    unit = world.im
    assert not any(can(nobody, a, unit) for a in Action)
    assert all(can(root, a, unit) for a in Action)


def test_inactive_user_has_no_rights(world, user_on):
    user = user_on(Role.ADMIN, "NLL")
    user.is_active = False
    user.save()
    user = User.objects.get(pk=user.pk)
    assert not can(user, Action.VIEW, world.region)
