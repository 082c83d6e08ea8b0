"""Races of the follow-up cycle decided in the database (PostgreSQL row locks): two
approvers at once give one approval; an approval and a save of the same unit run one
after the other and the save never lands after the approval unnoticed."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from factories import RoleAssignmentFactory, UserFactory
from styrkort.followup.models import Outcome
from styrkort.followup.services import record_outcome
from styrkort.rounds import services
from styrkort.rounds.locks import PeriodLocked
from styrkort.rounds.models import Submission

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL"),
]


def _run_together(*calls):
    """Run the calls in threads released at the same moment; {index: result or error}."""
    start = threading.Barrier(len(calls))
    results: dict[int, object] = {}

    def run(index, call):
        try:
            start.wait()
            results[index] = call()
        except (ValidationError, PeriodLocked) as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


@pytest.fixture
def ready_round(world):
    rnd = services.open_round(
        user=world.users.admin,
        organisation=world.org,
        period="2022-DÅ04",
        opens_on=dt.date(2022, 5, 1),
        deadline=dt.date(2022, 5, 20),
    )
    services.mark_ready(user=world.users.reporter, round=rnd, unit=world.im)
    return rnd


def test_two_approvers_at_once_give_one_approval(world, ready_round):
    second = UserFactory(username="planner2")
    RoleAssignmentFactory(user=second, unit=world.ls1, role="planner")
    results = _run_together(
        lambda: services.approve(user=world.users.planner, round=ready_round, unit=world.im),
        lambda: services.approve(user=second, round=ready_round, unit=world.im),
    )
    outcomes = sorted(type(r).__name__ for r in results.values())
    assert outcomes == ["Submission", "ValidationError"]
    refused = next(r for r in results.values() if isinstance(r, ValidationError))
    assert "redan godkänd" in " ".join(refused.messages)
    sub = Submission.objects.get(round=ready_round, unit=world.im)
    assert sub.history.filter(state="approved").count() == 1


def test_approve_while_the_reporter_saves_never_half_applies(world, ready_round):
    second = UserFactory(username="planner2")
    RoleAssignmentFactory(user=second, unit=world.ls1, role="planner")
    results = _run_together(
        lambda: services.approve(user=second, round=ready_round, unit=world.im),
        lambda: record_outcome(
            user=world.users.reporter,
            indicator=world.visits,
            unit=world.im,
            period="2022-DÅ04",
            value=10300,
        ),
    )
    sub = Submission.objects.get(round=ready_round, unit=world.im)
    assert sub.state == "approved"
    saved = Outcome.objects.filter(unit=world.im, indicator=world.visits, period="2022-DÅ04")
    if isinstance(results[1], PeriodLocked):
        # The approval came first: the save was refused and nothing was written.
        assert not saved.exists()
    else:
        # The save came first: the approval saw it, and its digest covers it.
        assert saved.get().value == 10300
    assert sub.approved_digest == services.content_digest(ready_round, world.im)


def test_two_openings_of_the_same_round_at_once_give_one_round_and_a_message(world):
    """The second opening waits for the first and is refused with the message naming the
    round, never an IntegrityError."""
    from styrkort.rounds.models import ReportingRound

    def opening():
        return services.open_round(
            user=world.users.admin,
            organisation=world.org,
            period="2022-DÅ08",
            opens_on=dt.date(2022, 9, 1),
            deadline=dt.date(2022, 9, 20),
        )

    results = _run_together(opening, opening)
    outcomes = sorted(type(r).__name__ for r in results.values())
    assert outcomes == ["ReportingRound", "ValidationError"], results
    refused = next(r for r in results.values() if isinstance(r, ValidationError))
    assert refused.message_dict["period"] == [
        "Region Norrbotten har redan ett uppföljningstillfälle för DÅ08 2022: "
        "Delårsrapport DÅ08 2022, öppet med sista dag 2022-09-20."
    ]
    rnd = ReportingRound.objects.get(organisation=world.org, period="2022-DÅ08")
    assert Submission.objects.filter(round=rnd).count() == 7
