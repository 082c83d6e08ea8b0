"""The one permission function, for each role inside and outside its subtree."""

import pytest

from styrkort.accounts.models import Role, User
from styrkort.organisation.models import Organisation, OrgUnit
from styrkort.organisation.permissions import Action, can, restrict

# role -> the actions it grants inside its subtree
GRANTS = {
    Role.ADMIN: {Action.VIEW, Action.REPORT, Action.PLAN, Action.ADMIN},
    Role.PLANNER: {Action.VIEW, Action.REPORT, Action.PLAN},
    Role.REPORTER: {Action.VIEW, Action.REPORT},
    Role.READER: {Action.VIEW},
}


@pytest.mark.parametrize("role", list(GRANTS))
@pytest.mark.parametrize("action", list(Action))
def test_role_inside_and_outside_subtree(region, make_user, role, action):
    user = make_user(role, "T-D1")
    units = region["units"]
    inside = [units["T-D1"], units["T-D1-VO1"], units["T-D1-OLD"]]
    outside = [units["T"], units["T-D2"], units["T-D2-VO2"]]
    for unit in inside:
        assert can(user, action, unit) is (action in GRANTS[role]), (role, action, unit.code)
    for unit in outside:
        # Viewing is open across the organisation; every change stays in the subtree.
        expected = action == Action.VIEW
        assert can(user, action, unit) is expected, (role, action, unit.code)


def test_restrict_filters_querysets_like_can(region, make_user):
    reporter = make_user(Role.REPORTER, "T-D1")
    reportable = restrict(OrgUnit.objects.all(), reporter, Action.REPORT, unit_field="")
    assert sorted(reportable.values_list("code", flat=True)) == ["T-D1", "T-D1-OLD", "T-D1-VO1"]
    for unit in OrgUnit.objects.all():
        assert can(reporter, Action.REPORT, unit) is (unit in reportable)


def test_other_organisation_is_invisible(region, make_user):
    other = Organisation.objects.create(code="other", name="Region Annan")
    other_root = OrgUnit.objects.add_root(
        create_kwargs={"organisation": other, "code": "O", "name": "Region Annan", "type": "region"}
    )
    reader = make_user(Role.READER, "T")
    assert can(reader, Action.VIEW, region["units"]["T-D2-VO2"])
    assert not can(reader, Action.VIEW, other_root)
    assert list(restrict(OrgUnit.objects.filter(code="O"), reader, "view", unit_field="")) == []


def test_no_role_no_access_and_superuser_everything(region):
    nobody = User.objects.create_user("nobody", password="x-pass-123")
    root = User.objects.create_superuser("root", password="x-pass-123")
    unit = region["units"]["T-D1-VO1"]
    assert not any(can(nobody, a, unit) for a in Action)
    assert all(can(root, a, unit) for a in Action)


def test_inactive_user_has_no_rights(region, make_user):
    user = make_user(Role.ADMIN, "T")
    user.is_active = False
    user.save()
    user = User.objects.get(pk=user.pk)
    assert not can(user, Action.VIEW, region["units"]["T"])
