"""A small region for the foundation tests: two divisions, each with units below."""

import datetime as dt

import pytest

from styrkort.accounts.models import Role, RoleAssignment, User
from styrkort.organisation.models import Organisation, OrgUnit
from styrkort.planning.models import Aggregation, Indicator


@pytest.fixture
def region(db):
    org = Organisation.objects.create(code="test", name="Region Test")

    def add(parent, code, name, type, **kw):
        kw.update(organisation=org, code=code, name=name, type=type)
        if parent is None:
            return OrgUnit.objects.add_root(create_kwargs=kw)
        return OrgUnit.objects.add_child(OrgUnit.objects.get(pk=parent.pk), create_kwargs=kw)

    root = add(None, "T", "Region Test", "region")
    div1 = add(root, "T-D1", "Division 1", "division")
    div2 = add(root, "T-D2", "Division 2", "division")
    vo1 = add(div1, "T-D1-VO1", "VO 1", "business_area")
    vo2 = add(div2, "T-D2-VO2", "VO 2", "business_area")
    closed = add(
        div1,
        "T-D1-OLD",
        "VC Stängd",
        "health_centre",
        valid_from=dt.date(2020, 1, 1),
        valid_to=dt.date(2024, 1, 31),
    )
    ratio = Indicator.objects.create(
        organisation=org,
        code="T-LMB",
        name="Andel med läkemedelsberättelse",
        unit="%",
        aggregation=Aggregation.RATIO,
        by_sex=True,
    )
    count = Indicator.objects.create(
        organisation=org, code="T-BESOK", name="Läkarbesök", unit="st", aggregation="sum"
    )
    units = {u.code: OrgUnit.objects.get(pk=u.pk) for u in (root, div1, div2, vo1, vo2, closed)}
    return {"org": org, "units": units, "ratio": ratio, "count": count}


@pytest.fixture
def make_user(db):
    def make(role, unit_code, username=None):
        user = User.objects.create_user(username or f"{role}-{unit_code}", password="x-pass-123")
        RoleAssignment.objects.create(
            user=user, unit=OrgUnit.objects.get(code=unit_code), role=role
        )
        return user

    return make


ROLES = [Role.ADMIN, Role.PLANNER, Role.REPORTER, Role.READER]
