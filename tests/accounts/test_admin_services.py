"""The organisation administrators' services: accounts created, changed, deactivated and
reactivated (with their history, and the end of their API tokens), roles granted and
revoked, the evaluation settings and the plan model's level names, each refused to
those who may not and to bad input with a Swedish message naming the field."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from factories import UserFactory
from styrkort.accounts import services
from styrkort.accounts.models import Role, RoleAssignment, RoleSource, User
from styrkort.identity.models import IdentityProvider
from styrkort.organisation.services import update_evaluation_settings
from styrkort.planning.models import PlanLevel, PlanModel
from styrkort.planning.services import rename_plan_levels

GOOD_PASSWORD = "Blåbär-i-Luleå-2026"


def _new(world, **fields):
    values = {
        "username": "anna.berg",
        "first_name": "Anna",
        "last_name": "Berg",
        "email": "anna.berg@nll.example",
    }
    values.update(fields)
    return services.create_user(user=world.users.admin, organisation=world.org, **values)


def test_an_administrator_creates_an_account_with_a_password(world):
    person = _new(world, password=GOOD_PASSWORD)
    person.refresh_from_db()
    assert person.check_password(GOOD_PASSWORD)
    assert (person.organisation, person.is_active) == (world.org, True)
    record = person.history.get()
    assert (record.history_type, record.history_user) == ("+", world.users.admin)
    assert not hasattr(record, "password")  # the history never keeps the password


def test_without_a_password_the_account_signs_in_through_the_provider(world):
    person = _new(world)
    assert not person.has_usable_password()


def test_a_weak_password_is_refused_by_djangos_validators(world):
    with pytest.raises(ValidationError) as error:
        _new(world, password="123")
    assert "password" in error.value.message_dict
    assert not User.objects.filter(username="anna.berg").exists()


def test_no_local_password_where_the_organisation_does_not_allow_them(world):
    IdentityProvider.objects.create(
        organisation=world.org,
        slug="nll-siths",
        name="SITHS-kort",
        protocol="oidc",
        local_passwords_allowed=False,
    )
    assert not services.local_passwords_allowed(world.org)
    assert services.local_passwords_allowed(world.other_org)
    with pytest.raises(ValidationError, match="tillåter inte lokala lösenord"):
        _new(world, password=GOOD_PASSWORD)
    assert not _new(world).has_usable_password()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"username": " "}, "username", "Ange ett användarnamn."),
        ({"username": "Planner"}, "username", "Användarnamnet Planner är upptaget."),
        ({"username": "anna berg"}, "username", "får bara innehålla"),
        ({"first_name": ""}, "first_name", "Ange förnamn."),
        ({"last_name": "  "}, "last_name", "Ange efternamn."),
        ({"email": "anna@"}, "email", "”anna@” är ingen e-postadress."),
    ],
)
def test_bad_input_names_the_field(world, fields, field, message):
    with pytest.raises(ValidationError) as error:
        _new(world, **fields)
    assert message in " ".join(error.value.message_dict[field])


def test_an_address_in_use_is_refused(world):
    _new(world)
    with pytest.raises(ValidationError) as error:
        _new(world, username="anna.b", email="ANNA.BERG@nll.example")
    assert "används redan av anna.berg" in error.value.message_dict["email"][0]


def test_only_administrators_of_the_organisation_create_accounts(world):
    for actor in (world.users.planner, world.users.reader, world.users.outsider):
        with pytest.raises(PermissionDenied):
            services.create_user(
                user=actor, organisation=world.org, username="x", first_name="X", last_name="Y"
            )


def test_an_auditor_changes_nothing(world, user_on):
    auditor = user_on(Role.AUDITOR, "NLL")
    person = world.users.reader
    with pytest.raises(PermissionDenied):
        services.create_user(
            user=auditor, organisation=world.org, username="x", first_name="X", last_name="Y"
        )
    with pytest.raises(PermissionDenied):
        services.update_user(user=auditor, organisation=world.org, person=person, first_name="Z")
    with pytest.raises(PermissionDenied):
        services.set_active(user=auditor, organisation=world.org, person=person, active=False)
    with pytest.raises(PermissionDenied):
        services.grant_role(user=auditor, target_user=person, unit=world.ls1, role=Role.PLANNER)
    with pytest.raises(PermissionDenied):
        services.revoke_role(user=auditor, assignment=person.roles.get())
    with pytest.raises(PermissionDenied):
        update_evaluation_settings(user=auditor, organisation=world.org, tolerance_pct=5)


def test_editing_and_deactivating_keep_history(world):
    admin, person = world.users.admin, world.users.reporter
    services.update_user(
        user=admin, organisation=world.org, person=person, first_name="Rut", email="rut@x.se"
    )
    services.set_active(user=admin, organisation=world.org, person=person, active=False)
    person.refresh_from_db()
    assert (person.first_name, person.email, person.is_active) == ("Rut", "rut@x.se", False)
    records = list(person.history.order_by("history_id"))
    assert [r.is_active for r in records[-2:]] == [True, False]
    assert all(r.history_user == admin for r in records[-2:])
    services.set_active(user=admin, organisation=world.org, person=person, active=True)
    person.refresh_from_db()
    assert person.is_active


def test_a_sign_in_writes_no_account_history(world, client):
    person = world.users.reporter
    before = person.history.count()
    client.force_login(person)  # sets last_login, as every sign-in does
    person.refresh_from_db()
    assert person.last_login is not None
    assert person.history.count() == before
    services.update_user(
        user=world.users.admin, organisation=world.org, person=person, first_name="Rut"
    )
    assert person.history.count() == before + 1  # the next change is recorded again


def test_deactivation_ends_the_api_tokens(world):
    from knox.models import AuthToken

    from styrkort.api.tokens import issue_token

    person = world.users.reporter
    issue_token(person)
    issue_token(person)
    assert AuthToken.objects.filter(user=person).count() == 2
    services.set_active(user=world.users.admin, organisation=world.org, person=person, active=False)
    assert AuthToken.objects.filter(user=person).count() == 0


def test_nobody_deactivates_themselves(world):
    admin = world.users.admin
    with pytest.raises(ValidationError, match="ditt eget konto"):
        services.set_active(user=admin, organisation=world.org, person=admin, active=False)


def test_a_subtree_administrator_manages_only_the_people_of_the_subtree(world, user_on):
    ls1_admin = user_on(Role.ADMIN, "NLL-LS1")
    org = world.org
    assert services.may_manage(ls1_admin, world.users.reporter, org)  # a role in LS1
    assert not services.may_manage(ls1_admin, world.users.reporter_ls2, org)  # LS2
    assert not services.may_manage(ls1_admin, world.users.admin, org)  # at the region
    with pytest.raises(PermissionDenied, match="reporter_ls2"):
        services.set_active(
            user=ls1_admin, organisation=org, person=world.users.reporter_ls2, active=False
        )
    created = services.create_user(
        user=ls1_admin, organisation=org, username="ny", first_name="Ny", last_name="Person"
    )
    assert services.may_manage(ls1_admin, created, org)  # no role yet, created here


def test_a_subtree_administrator_leaves_alone_someone_who_also_works_above(world, user_on):
    """The region's administrator also plans for LS1: LS1's administrator may not
    deactivate or rename them."""
    ls1_admin = user_on(Role.ADMIN, "NLL-LS1")
    region_admin = user_on(Role.ADMIN, "NLL")
    RoleAssignment.objects.create(user=region_admin, unit=world.ls1, role=Role.PLANNER)
    assert not services.may_manage(ls1_admin, region_admin, world.org)
    with pytest.raises(PermissionDenied):
        services.set_active(
            user=ls1_admin, organisation=world.org, person=region_admin, active=False
        )
    region_admin.refresh_from_db()
    assert region_admin.is_active
    assert services.may_manage(region_admin, ls1_admin, world.org)  # from above: yes


def test_superusers_and_people_of_other_organisations_are_left_alone(world, user_on):
    admin = world.users.admin
    root = UserFactory(is_superuser=True)
    assert not services.may_manage(admin, root, world.org)
    both = world.users.reader
    RoleAssignment.objects.create(user=both, unit=world.other, role=Role.READER)
    assert not services.may_manage(admin, both, world.org)
    assert not services.may_manage(admin, world.users.outsider, world.org)


def test_grant_and_revoke_a_role_with_history(world):
    admin, person = world.users.admin, world.users.reader
    assignment = services.grant_role(user=admin, target_user=person, unit=world.im, role="planner")
    assert assignment.source == RoleSource.MANUAL
    pk = assignment.pk
    services.revoke_role(user=admin, assignment=assignment)
    kinds = list(
        RoleAssignment.history.filter(id=pk)
        .order_by("history_id")
        .values_list("history_type", "history_user__username")
    )
    assert kinds == [("+", "admin"), ("-", "admin")]


def test_a_role_from_the_provider_is_not_revoked_by_hand(world):
    sso = RoleAssignment.objects.create(
        user=world.users.reader, unit=world.ls1, role=Role.PLANNER, source=RoleSource.SSO
    )
    with pytest.raises(ValidationError, match="inloggningstjänsten"):
        services.revoke_role(user=world.users.admin, assignment=sso)
    assert RoleAssignment.objects.filter(pk=sso.pk).exists()


def test_evaluation_settings(world):
    admin, org = world.users.admin, world.org
    update_evaluation_settings(
        user=admin, organisation=org, tolerance_pct=5.5, goal_met_threshold=2.6
    )
    org.refresh_from_db()
    assert (org.tolerance_pct, org.goal_met_threshold, org.goal_partly_threshold) == (
        5.5,
        2.6,
        1.5,
    )
    assert org.history.first().history_user == admin
    bad = [
        ({"tolerance_pct": 101}, "tolerance_pct", "Toleransen ska vara mellan 0 och 100."),
        ({"trend_epsilon_pct": -1}, "trend_epsilon_pct", "mellan 0 och 100"),
        ({"goal_met_threshold": 4}, "goal_met_threshold", "mellan 1 och 3"),
        ({"goal_partly_threshold": 2.8}, "goal_partly_threshold", "inte vara högre"),
        ({"tolerance_pct": "tio"}, "tolerance_pct", "måste vara ett tal"),
    ]
    for fields, field, message in bad:
        with pytest.raises(ValidationError) as error:
            update_evaluation_settings(user=admin, organisation=org, **fields)
        assert message in error.value.message_dict[field][0]
    with pytest.raises(PermissionDenied):
        update_evaluation_settings(user=world.users.planner, organisation=org, tolerance_pct=1)


def test_level_names_are_renamed_with_history(world):
    admin = world.users.admin
    model = PlanModel.objects.filter(organisation=world.org).first()
    level = model.levels.order_by("level").first()
    rename_plan_levels(
        user=admin, plan_model=model, names={level.level: ("Fokusområde", "Fokusområden")}
    )
    level = PlanLevel.objects.get(pk=level.pk)
    assert (level.name, level.name_plural) == ("Fokusområde", "Fokusområden")
    assert level.history.first().history_user == admin
    with pytest.raises(ValidationError) as error:
        rename_plan_levels(user=admin, plan_model=model, names={level.level: (" ", "")})
    assert "Ange ett namn för nivå" in str(error.value)
    with pytest.raises(ValidationError, match="ingen nivå 99"):
        rename_plan_levels(user=admin, plan_model=model, names={99: ("X", "")})
    with pytest.raises(PermissionDenied):
        rename_plan_levels(user=world.users.planner, plan_model=model, names={1: ("X", "")})
