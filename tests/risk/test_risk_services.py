"""Risk services: permissions per role inside and outside the subtree, validation, history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from factories import OrgUnitFactory, RoleAssignmentFactory, UserFactory
from styrkort.accounts.models import Role
from styrkort.risk import queries, services
from styrkort.risk.models import Risk
from styrkort.risk.rules import Band

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    region = OrgUnitFactory(code="R")
    org = region.organisation
    division = OrgUnitFactory(parent=region, code="R-D", organisation=org)
    other = OrgUnitFactory(parent=region, code="R-O", organisation=org)
    return region, division, other


def user_with(role, unit):
    user = UserFactory()
    RoleAssignmentFactory(user=user, unit=unit, role=role)
    return user


@pytest.mark.parametrize(
    ("role", "inside", "allowed"),
    [
        (Role.ADMIN, True, True),
        (Role.PLANNER, True, True),
        (Role.REPORTER, True, False),
        (Role.READER, True, False),
        (Role.PLANNER, False, False),
        (Role.ADMIN, False, False),
    ],
)
def test_save_risk_needs_plan(tree, role, inside, allowed):
    _region, division, other = tree
    user = user_with(role, division if inside else other)
    if allowed:
        risk = services.save_risk(user=user, unit=division, year=2022, consequence=3, value=12,
                                  title="En god vård")  # fmt: skip
        assert (risk.probability, risk.value, risk.probability_derived) == (4, 12, True)
        assert risk.history.first().history_user == user
    else:
        with pytest.raises(PermissionDenied, match="behörighet"):
            services.save_risk(user=user, unit=division, year=2022, value=4, title="x")
        assert not Risk.objects.exists()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(Role.PLANNER, True), (Role.REPORTER, True), (Role.READER, False)],
)
def test_control_result_needs_report(tree, role, allowed):
    _region, division, _other = tree
    planner = user_with(Role.PLANNER, division)
    risk = services.save_risk(user=planner, unit=division, year=2024, value=9, title="Väntetider")
    control = services.save_control(risk, user=planner, method="Uppföljning", frequency="tertial")
    user = user_with(role, division)
    if allowed:
        result = services.record_control_result(control, "2024-DA04", user=user, outcome="ok")
        assert result.period == "2024-DÅ04"
        again = services.record_control_result(
            control, "2024-DÅ04", user=user, outcome="deviation", comment="Sen uppföljning"
        )
        assert again.pk == result.pk and again.history.count() == 2
    else:
        with pytest.raises(PermissionDenied):
            services.record_control_result(control, "2024-DÅ04", user=user, outcome="ok")


def test_validation_messages_are_swedish(tree):
    _region, division, _other = tree
    user = user_with(Role.PLANNER, division)
    cases = [
        ({"probability": 2, "consequence": 2, "value": 5}, "stämmer inte"),
        ({"consequence": 3, "value": 7}, "går inte att dela upp"),
        ({"probability": 5, "consequence": 1}, "1–4"),
        ({}, "Ange riskvärde"),
    ]
    for kwargs, message in cases:
        with pytest.raises(ValidationError, match=message):
            services.save_risk(user=user, unit=division, year=2024, title="x", **kwargs)
    risk = services.save_risk(user=user, unit=division, year=2024, value=6, title="x")
    with pytest.raises(ValidationError, match="Beskriv avvikelsen"):
        control = services.save_control(risk, user=user, method="Stickprov")
        services.record_control_result(control, "2024-DÅ08", user=user, outcome="deviation")
    with pytest.raises(ValidationError, match="period"):
        services.record_control_result(control, "2024-T9", user=user, outcome="ok")


def test_database_refuses_inconsistent_figures(tree):
    _region, division, _other = tree
    for values in ({"probability": 2, "consequence": 2, "value": 5}, {"value": 17},
                   {"probability": 5, "value": 5}):  # fmt: skip
        with pytest.raises(IntegrityError), transaction.atomic():
            Risk.objects.bulk_create([Risk(unit=division, year=2024, title="x", **values)])


def test_bands_and_matrix_with_residual(tree):
    region, division, _other = tree
    admin = user_with(Role.ADMIN, region)
    bands = [Band("Låg", 1, 3), Band("Medel", 4, 8), Band("Hög", 9, 12, True),
             Band("Mycket hög", 13, 16, True)]  # fmt: skip
    services.save_risk_bands(region.organisation, bands, user=admin)
    with pytest.raises(ValidationError, match="saknar"):
        services.save_risk_bands(region.organisation, bands[:3], user=admin)
    with pytest.raises(PermissionDenied):
        services.save_risk_bands(region.organisation, bands, user=user_with(Role.PLANNER, region))
    services.save_risk(user=admin, unit=division, year=2024, probability=4, consequence=4,
                       residual_probability=2, residual_consequence=2, title="a")  # fmt: skip
    services.save_risk(user=admin, unit=division, year=2024, probability=1, consequence=3,
                       title="b")  # fmt: skip
    matrix = queries.risk_matrix(division, 2024)
    assert matrix.summary == "1 Mycket hög 1 Låg | Totalt: 2"
    assert matrix.cells[(4, 4)] == 1 and matrix.rows[0][3].count == 1
    residual = queries.risk_matrix(division, 2024, residual=True)
    assert residual.summary == "1 Medel 1 Låg | Totalt: 2"
    assert queries.risk_matrix(region, 2024).total == 0
    assert queries.risk_matrix(region, 2024, include_subunits=True).total == 2
