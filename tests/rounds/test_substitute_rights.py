"""A substitute (ersättare) acts with the roles of the person they stand in for, from
the first to the last day named, and not outside those days."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from factories import UserFactory
from styrkort.accounts.models import User
from styrkort.organisation.permissions import Action, can, scope_for
from styrkort.rounds import services
from styrkort.rounds.models import Submission, Substitution

pytestmark = pytest.mark.django_db

T = timezone.localdate()
DAY = dt.timedelta(days=1)


def fresh(user):
    """The user as a new request sees them (the scope is cached per user object)."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def stand_in(db):
    return UserFactory(username="vikarie", first_name="Vera", last_name="Vikarie")


def test_the_substitute_reports_for_the_person_only_within_the_dates(world, stand_in):
    assert not can(fresh(stand_in), Action.REPORT, world.im)
    services.name_substitute(
        user=world.users.reporter, substitute=stand_in, starts_on=T, ends_on=T + 7 * DAY
    )
    user = fresh(stand_in)
    assert can(user, Action.REPORT, world.im)
    assert can(user, Action.VIEW, world.region)
    assert not can(user, Action.PLAN, world.im)  # the reporter's roles, nothing more
    assert not can(user, Action.REPORT, world.ls2)
    # Before and after the period: nothing.
    Substitution.objects.update(starts_on=T + DAY)
    assert not can(fresh(stand_in), Action.REPORT, world.im)
    Substitution.objects.update(starts_on=T - 9 * DAY, ends_on=T - DAY)
    assert not can(fresh(stand_in), Action.REPORT, world.im)


def test_the_substitute_marks_ready_in_the_persons_place(world, stand_in):
    rnd = services.open_round(
        user=world.users.admin,
        organisation=world.org,
        period="2022-DÅ08",
        opens_on=T - 30 * DAY,
        deadline=T + 10 * DAY,
    )
    with pytest.raises(PermissionDenied):
        services.mark_ready(user=fresh(stand_in), round=rnd, unit=world.im)
    services.name_substitute(
        user=world.users.reporter, substitute=stand_in, starts_on=T, ends_on=T + 7 * DAY
    )
    services.mark_ready(user=fresh(stand_in), round=rnd, unit=world.im)
    sub = Submission.objects.get(round=rnd, unit=world.im)
    assert sub.ready_by == stand_in  # the history says who did it


def test_a_person_who_left_passes_on_nothing(world, stand_in):
    services.name_substitute(
        user=world.users.reporter, substitute=stand_in, starts_on=T, ends_on=T + 7 * DAY
    )
    User.objects.filter(pk=world.users.reporter.pk).update(is_active=False)
    assert not can(fresh(stand_in), Action.REPORT, world.im)


def test_the_roles_are_read_in_one_statement(world, stand_in):
    services.name_substitute(
        user=world.users.planner, substitute=stand_in, starts_on=T, ends_on=T + 7 * DAY
    )
    user = fresh(stand_in)
    with CaptureQueriesContext(connection) as queries:
        scope = scope_for(user)
    assert len(queries) == 1
    assert scope.allows(Action.PLAN, world.nc)


def test_an_administrators_substitute_gets_no_administration(world, stand_in):
    services.name_substitute(
        user=world.users.admin, substitute=stand_in, starts_on=T, ends_on=T + 7 * DAY
    )
    user = fresh(stand_in)
    # The administrator's admin role (the region) is not passed on: no role granting.
    assert not can(user, Action.ADMIN, world.region)
    assert not can(user, Action.PLAN, world.region)
