"""Who may do what in a reporting round, through the API (real HTTP through DRF's
APIClient) and through the services: open, extend, close and reopen a round (plan on
the top unit), mark a unit ready (report on the unit), approve, return, excuse and
reopen a unit (plan on the unit above). Allowed exactly there; a refusal changes
nothing, an allowed action records the acting user in the history."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from rest_framework.test import APIClient

from styrkort.rounds import services
from styrkort.rounds.models import ReportingRound, Submission

pytestmark = pytest.mark.django_db

D = dt.date
PERIOD = "2022-DÅ08"

#: The six people of the matrix: (world user or (role, unit code)).
PEOPLE = ("admin", "top_planner", "planner", "reporter", "reader", "other_planner")

TOP = {"admin", "top_planner"}  # plan on Region Norrbotten
LS1_PLAN = TOP | {"planner"}  # plan on Division Länssjukvård 1
LS1_REPORT = LS1_PLAN | {"reporter"}  # report on LS1 and VO Internmedicin

# (action, unit code or None, who may)
MATRIX = [
    ("open", None, TOP),
    ("extend", None, TOP),
    ("close", None, TOP),
    ("reopen_round", None, TOP),
    ("ready", "NLL-LS1-IM", LS1_REPORT),
    ("ready", "NLL-LS1", LS1_REPORT),
    ("approve", "NLL-LS1-IM", LS1_PLAN),
    ("approve", "NLL-LS1", TOP),  # the division's own planner cannot approve it
    ("return", "NLL-LS1-IM", LS1_PLAN),
    ("return", "NLL-LS1", TOP),
    ("excuse", "NLL-LS1-IM", LS1_PLAN),
    ("reopen_unit", "NLL-LS1-IM", LS1_PLAN),
    ("reopen_unit", "NLL-LS1", TOP),
]


@pytest.fixture
def people(world, user_on):
    return {
        "admin": world.users.admin,
        "top_planner": user_on("planner", "NLL", "top_planner"),
        "planner": world.users.planner,
        "reporter": world.users.reporter,
        "reader": world.users.reader,
        "other_planner": user_on("planner", "SRS", "other_planner"),
    }


def _open(world):
    return services.open_round(
        user=None,
        organisation=world.org,
        period=PERIOD,
        opens_on=D(2022, 9, 1),
        deadline=D(2022, 9, 20),
        level_deadlines={"3": "2022-09-12"},
    )


def _unit(world, code):
    return {u.code: u for u in (world.region, world.ls1, world.im, world.nc)}[code]


def _prepare(world, action, code):
    """The round as the action needs it, prepared by the system (user None)."""
    if action == "open":
        return None
    rnd = _open(world)
    if action == "reopen_round":
        services.close_round(user=None, round=rnd)
    if code is None:
        return rnd
    unit = _unit(world, code)
    if code == "NLL-LS1" and action in ("approve", "reopen_unit"):
        for child in (world.im, world.nc):  # a division is approved after its VOs
            services.excuse(user=None, round=rnd, unit=child, reason="Inget att rapportera.")
    if action in ("approve", "return", "reopen_unit"):
        services.mark_ready(user=None, round=rnd, unit=unit)
    if action == "reopen_unit":
        services.approve(user=None, round=rnd, unit=unit)
    return rnd


def _snapshot():
    rounds = list(ReportingRound.objects.order_by("pk").values())
    subs = list(Submission.objects.order_by("pk").values())
    history = (
        ReportingRound.history.count(),
        Submission.history.count(),
    )
    return rounds, subs, history


def _by_service(world, action, code, rnd, user):
    unit = _unit(world, code) if code else None
    if action == "open":
        return services.open_round(
            user=user,
            organisation=world.org,
            period=PERIOD,
            opens_on=D(2022, 9, 1),
            deadline=D(2022, 9, 20),
        )
    calls = {
        "extend": lambda: services.extend_round(
            user=user, round=rnd, deadline=D(2022, 9, 27), reason="Sommaren."
        ),
        "close": lambda: services.close_round(user=user, round=rnd),
        "reopen_round": lambda: services.reopen(user=user, round=rnd, reason="Rättelse."),
        "ready": lambda: services.mark_ready(user=user, round=rnd, unit=unit),
        "approve": lambda: services.approve(user=user, round=rnd, unit=unit),
        "return": lambda: services.return_submission(
            user=user, round=rnd, unit=unit, comment="Analysen saknas."
        ),
        "excuse": lambda: services.excuse(user=user, round=rnd, unit=unit, reason="Ny enhet."),
        "reopen_unit": lambda: services.reopen(user=user, round=rnd, unit=unit, reason="Fel."),
    }
    return calls[action]()


def _by_api(world, action, code, rnd, user):
    client = APIClient()
    client.force_authenticate(user)
    if action == "open":
        return client.post(
            "/api/rounds/",
            {
                "organisation": world.org.pk,
                "period": PERIOD,
                "opens_on": "2022-09-01",
                "deadline": "2022-09-20",
            },
            format="json",
        )
    base = f"/api/rounds/{rnd.pk}/"
    bodies = {
        "extend": ("extend/", {"deadline": "2022-09-27", "reason": "Sommaren."}),
        "close": ("close/", {}),
        "reopen_round": ("reopen/", {"reason": "Rättelse."}),
        "ready": (f"units/{code}/ready/", {}),
        "approve": (f"units/{code}/approve/", {}),
        "return": (f"units/{code}/return/", {"comment": "Analysen saknas."}),
        "excuse": (f"units/{code}/excuse/", {"reason": "Ny enhet."}),
        "reopen_unit": ("reopen/", {"reason": "Fel.", "unit": code}),
    }
    path, body = bodies[action]
    return client.post(base + path, body, format="json")


def _effect(world, action, code):
    """What the allowed action leaves: (round state, deadline) or the unit's state."""
    rnd = ReportingRound.objects.get(organisation=world.org, period=PERIOD)
    if code is None:
        return rnd.state, rnd.deadline
    sub = Submission.objects.get(round=rnd, unit__code=code)
    return sub.state, sub.excused


EXPECTED_EFFECT = {
    "open": ("open", D(2022, 9, 20)),
    "extend": ("open", D(2022, 9, 27)),
    "close": ("closed", D(2022, 9, 20)),
    "reopen_round": ("open", D(2022, 9, 20)),
    "ready": ("ready", False),
    "approve": ("approved", False),
    "return": ("open", False),
    "excuse": ("open", True),
    "reopen_unit": ("open", False),
}

CASES = [
    pytest.param(action, code, who, action_code_who in allowed, id=f"{action}-{code}-{who}")
    for action, code, allowed in MATRIX
    for who in PEOPLE
    for action_code_who in [who]
]


@pytest.mark.parametrize("door", ["api", "service"])
@pytest.mark.parametrize(("action", "code", "who", "allowed"), CASES)
def test_round_permission_matrix(world, people, door, action, code, who, allowed):
    rnd = _prepare(world, action, code)
    user = people[who]
    before = _snapshot()
    if door == "api":
        response = _by_api(world, action, code, rnd, user)
        if allowed:
            assert response.status_code in (200, 201), response.content
        else:
            # Another region's planner does not see the round at all (404) and may not
            # open one in a region they cannot see (400: no such organisation).
            refused = {"other_planner": 400 if action == "open" else 404}.get(who, 403)
            assert response.status_code == refused, response.content
    elif allowed:
        _by_service(world, action, code, rnd, user)
    else:
        with pytest.raises(PermissionDenied):
            _by_service(world, action, code, rnd, user)
    if not allowed:
        assert _snapshot() == before
        return
    assert _effect(world, action, code) == EXPECTED_EFFECT[action]
    changed = (
        ReportingRound.objects.get(organisation=world.org, period=PERIOD)
        if code is None
        else Submission.objects.get(round__period=PERIOD, unit__code=code)
    )
    assert changed.history.first().history_user == user
