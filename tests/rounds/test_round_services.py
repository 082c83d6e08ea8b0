"""Rounds through their services: open, mark ready, return, approve, lock, reopen."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from factories import RoleAssignmentFactory, UserFactory
from styrkort.commands import BadInput
from styrkort.followup.models import Outcome
from styrkort.followup.services import record_outcome, save_analysis
from styrkort.rounds import services
from styrkort.rounds.locks import PeriodLocked
from styrkort.rounds.models import Submission

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def rnd(world):
    return services.open_round(
        user=world.users.admin,
        organisation=world.org,
        period="2022-DÅ04",
        opens_on=D(2022, 5, 1),
        deadline=D(2022, 5, 20),
        level_deadlines={"3": "2022-05-10"},
    )


@pytest.fixture
def second_planner(world):
    user = UserFactory(username="planner2", first_name="Per", last_name="Planerare")
    RoleAssignmentFactory(user=user, unit=world.ls1, role="planner")
    return user


def _state(rnd, unit):
    return Submission.objects.get(round=rnd, unit=unit).state


def test_opening_creates_a_submission_for_every_unit_that_exists(world, rnd):
    codes = set(Submission.objects.filter(round=rnd).values_list("unit__code", flat=True))
    assert codes == {
        "NLL",
        "NLL-LS1",
        "NLL-LS1-IM",
        "NLL-LS1-NC",
        "NLL-LS2",
        "NLL-PV",
        "NLL-PV-GAL",
    }
    assert rnd.history.first().history_user == world.users.admin


def test_only_planners_of_the_top_unit_open_rounds_and_bad_input_changes_nothing(world, rnd):
    with pytest.raises(PermissionDenied):
        services.open_round(
            user=world.users.planner,
            organisation=world.org,
            period="2022-DÅ08",
            opens_on=D(2022, 9, 1),
            deadline=D(2022, 9, 20),
        )
    with pytest.raises(ValidationError, match="redan ett uppföljningstillfälle"):
        services.open_round(
            user=world.users.admin,
            organisation=world.org,
            period="2022-DÅ04",
            opens_on=D(2022, 5, 1),
            deadline=D(2022, 5, 20),
        )
    with pytest.raises(ValidationError, match="före öppningsdagen"):
        services.open_round(
            user=world.users.admin,
            organisation=world.org,
            period="2022-DÅ08",
            opens_on=D(2022, 9, 10),
            deadline=D(2022, 9, 1),
        )
    with pytest.raises(ValidationError, match="Okänd period"):
        services.open_round(
            user=world.users.admin,
            organisation=world.org,
            period="2022-DÅ09",
            opens_on=D(2022, 9, 10),
            deadline=D(2022, 9, 30),
        )
    assert world.org.rounds.count() == 1


def test_the_whole_cycle_with_four_eyes_return_approval_and_lock(world, rnd, second_planner):
    w = world
    record_outcome(
        user=w.users.reporter, indicator=w.visits, unit=w.im, period="2022-DÅ04", value=10300
    )
    services.mark_ready(user=w.users.reporter, round=rnd, unit=w.im)
    with pytest.raises(PermissionDenied):  # a reporter approves nothing
        services.approve(user=w.users.reporter, round=rnd, unit=w.im)
    back = services.return_submission(
        user=w.users.planner, round=rnd, unit=w.im, comment="Analys saknas."
    )
    assert (back.state, back.comment) == ("open", "Analys saknas.")
    with pytest.raises(ValidationError, match="inte klarmarkerad"):
        services.approve(user=w.users.planner, round=rnd, unit=w.im)
    services.mark_ready(user=w.users.planner, round=rnd, unit=w.im)
    with pytest.raises(ValidationError, match="fyra ögon"):
        services.approve(user=w.users.planner, round=rnd, unit=w.im)
    approved = services.approve(user=second_planner, round=rnd, unit=w.im)
    assert approved.approved_by == second_planner and len(approved.approved_digest) == 64
    # Locked for every door of the services: outcomes, analyses, the months inside.
    with pytest.raises(PeriodLocked, match="godkänd"):
        record_outcome(
            user=w.users.reporter, indicator=w.visits, unit=w.im, period="2022-DÅ04", value=1
        )
    with pytest.raises(PeriodLocked):
        record_outcome(user=w.users.admin, indicator=w.visits, unit=w.im, period="2022-03", value=1)
    with pytest.raises(PeriodLocked):
        save_analysis(
            user=w.users.reporter, unit=w.im, period="2022-DÅ04", indicator=w.visits, text="Ny text"
        )
    assert Outcome.objects.get(indicator=w.visits, unit=w.im, period="2022-DÅ04").value == 10300
    # May is outside DÅ04; another unit is not locked.
    record_outcome(
        user=w.users.reporter, indicator=w.visits, unit=w.im, period="2022-05", value=2600
    )
    record_outcome(
        user=w.users.reporter, indicator=w.visits, unit=w.nc, period="2022-DÅ04", value=5100
    )
    # Reopen needs a reason, then the unit is writable again.
    with pytest.raises(ValidationError, match="skäl"):
        services.reopen(user=w.users.planner, round=rnd, unit=w.im, reason=" ")
    services.reopen(user=w.users.planner, round=rnd, unit=w.im, reason="Fel i januari.")
    record_outcome(
        user=w.users.reporter, indicator=w.visits, unit=w.im, period="2022-DÅ04", value=10400
    )
    states = list(
        Submission.objects.get(round=rnd, unit=w.im)
        .history.order_by("history_date")
        .values_list("state", flat=True)
    )
    assert states == ["open", "ready", "open", "ready", "approved", "open"]


def test_a_unit_is_approved_only_after_its_sub_units(world, rnd, second_planner):
    w = world
    admin2 = UserFactory(username="admin2")
    RoleAssignmentFactory(user=admin2, unit=w.region, role="planner")
    services.mark_ready(user=w.users.planner, round=rnd, unit=w.ls1)
    with pytest.raises(ValidationError, match="VO Internmedicin"):
        services.approve(user=admin2, round=rnd, unit=w.ls1)
    for vo in (w.im, w.nc):
        services.mark_ready(user=w.users.reporter, round=rnd, unit=vo)
        services.approve(user=second_planner, round=rnd, unit=vo)
    assert _state(rnd, w.ls1) == "ready"
    services.approve(user=admin2, round=rnd, unit=w.ls1)
    assert _state(rnd, w.ls1) == "approved"
    # A VO cannot be reopened while its division is approved.
    with pytest.raises(ValidationError, match="Division Länssjukvård 1 är godkänd"):
        services.reopen(user=w.users.planner, round=rnd, unit=w.im, reason="Rättelse")


def test_excused_sub_units_do_not_hold_back_the_approval(world, rnd, second_planner):
    w = world
    with pytest.raises(PermissionDenied):
        services.excuse(user=w.users.reporter, round=rnd, unit=w.nc, reason="Ny enhet")
    services.excuse(user=w.users.planner, round=rnd, unit=w.nc, reason="Startade i maj")
    services.mark_ready(user=w.users.reporter, round=rnd, unit=w.im)
    services.approve(user=second_planner, round=rnd, unit=w.im)
    services.mark_ready(user=w.users.reporter, round=rnd, unit=w.ls1)
    services.approve(user=w.users.admin, round=rnd, unit=w.ls1)
    assert _state(rnd, w.ls1) == "approved"


def test_closing_locks_everyone_and_a_unit_can_be_reopened(world, rnd):
    w = world
    services.close_round(user=w.users.admin, round=rnd)
    with pytest.raises(PeriodLocked, match="stängt"):
        record_outcome(
            user=w.users.admin, indicator=w.visits, unit=w.ls2, period="2022-DÅ04", value=1
        )
    services.reopen(user=w.users.admin, round=rnd, unit=w.ls2, reason="Sen rättelse")
    record_outcome(
        user=w.users.reporter_ls2, indicator=w.visits, unit=w.ls2, period="2022-DÅ04", value=1
    )
    with pytest.raises(PeriodLocked):  # only the reopened unit
        record_outcome(
            user=w.users.admin, indicator=w.visits, unit=w.im, period="2022-DÅ04", value=1
        )


def _record_im(w, value):
    return record_outcome(
        user=w.users.reporter, indicator=w.visits, unit=w.im, period="2022-DÅ04", value=value
    )


def test_closing_the_round_again_locks_the_units_reopened_in_it(world, rnd):
    w = world
    services.close_round(user=w.users.admin, round=rnd)
    services.reopen(user=w.users.planner, round=rnd, unit=w.im, reason="Fel väntetider")
    _record_im(w, 1)  # the correction
    closed = services.close_round(user=w.users.admin, round=rnd)
    assert closed.state == "closed"
    sub = Submission.objects.get(round=rnd, unit=w.im)
    assert not sub.reopened
    assert sub.history.first().history_user == w.users.admin
    with pytest.raises(PeriodLocked, match="uppföljningstillfället är stängt"):
        _record_im(w, 2)
    with pytest.raises(ValidationError, match="redan stängt"):  # nothing left to lock
        services.close_round(user=w.users.admin, round=rnd)


def test_a_unit_reopened_in_a_closed_round_is_approved_again_and_locked(world, rnd, second_planner):
    w = world
    services.close_round(user=w.users.admin, round=rnd)
    services.reopen(user=w.users.planner, round=rnd, unit=w.im, reason="Fel väntetider")
    _record_im(w, 1)
    services.mark_ready(user=w.users.reporter, round=rnd, unit=w.im)
    services.return_submission(user=w.users.planner, round=rnd, unit=w.im, comment="Källa?")
    services.mark_ready(user=w.users.planner, round=rnd, unit=w.im)
    with pytest.raises(ValidationError, match="fyra ögon"):
        services.approve(user=w.users.planner, round=rnd, unit=w.im)
    sub = services.approve(user=second_planner, round=rnd, unit=w.im)
    assert (sub.state, sub.reopened) == ("approved", False)
    with pytest.raises(PeriodLocked, match="godkänd"):
        _record_im(w, 2)
    # The other units of the closed round stay closed: nothing moves there.
    with pytest.raises(ValidationError, match="stängt"):
        services.mark_ready(user=w.users.reporter, round=rnd, unit=w.nc)


def test_a_closed_round_refuses_excusing_approving_and_returning_unless_reopened(
    world, rnd, second_planner
):
    w = world
    services.mark_ready(user=w.users.reporter, round=rnd, unit=w.im)
    services.close_round(user=w.users.admin, round=rnd)
    before = list(Submission.objects.filter(round=rnd).order_by("pk").values())
    for call in (
        lambda: services.excuse(user=w.users.planner, round=rnd, unit=w.nc, reason="Vilande"),
        lambda: services.excuse(user=w.users.planner, round=rnd, unit=w.im, reason=""),
        lambda: services.approve(user=second_planner, round=rnd, unit=w.im),
        lambda: services.return_submission(
            user=w.users.planner, round=rnd, unit=w.im, comment="Källa?"
        ),
    ):
        with pytest.raises(ValidationError, match="Uppföljningstillfället är stängt"):
            call()
    assert list(Submission.objects.filter(round=rnd).order_by("pk").values()) == before
    # Reopened, the unit is excused (it had nothing to report after all).
    services.reopen(user=w.users.planner, round=rnd, unit=w.nc, reason="Vilande verksamhet")
    sub = services.excuse(user=w.users.planner, round=rnd, unit=w.nc, reason="Vilande")
    assert (sub.excused, sub.excuse_reason) == (True, "Vilande")


def test_the_import_refuses_locked_rows_with_exit_2_and_writes_nothing(
    world, rnd, tmp_path, capsys
):
    w = world
    services.close_round(user=w.users.admin, round=rnd)
    path = tmp_path / "utfall.csv"
    path.write_text(
        "org;indicator;period;sex;value\n"
        "NLL-LS1-IM;lakarbesok;2022-DÅ04;total;10300\n"
        "NLL-LS1-IM;lakarbesok;2022-05;total;2600\n"
    )
    before = Outcome.objects.count()
    with pytest.raises(BadInput) as exc:
        call_command("import_data", "outcomes", str(path), "--json")
    assert exc.value.returncode == 2
    out = capsys.readouterr().out
    assert "DÅ04 2022 är låst för VO Internmedicin" in out
    assert Outcome.objects.count() == before


def test_the_cli_opens_and_reports_status_as_json(world, capsys):
    import json

    call_command(
        "round",
        "open",
        "--org",
        "nll",
        "--period",
        "2022-DÅ08",
        "--opens",
        "2022-09-01",
        "--deadline",
        "2022-09-20",
        "--deadline-level",
        "business_area=2022-09-10",
        "--json",
    )
    data = json.loads(capsys.readouterr().out)
    assert (data["org"], data["period"], data["state"]) == ("nll", "2022-DÅ08", "open")
    assert data["deadlines"] == {"default": "2022-09-20", "3": "2022-09-10"}
    im = next(u for u in data["units"] if u["code"] == "NLL-LS1-IM")
    assert (im["state"], im["deadline"]) == ("not_started", "2022-09-10")
    with pytest.raises(BadInput) as exc:
        call_command("round", "reopen", "--org", "nll", "--period", "2022-DÅ08", "--reason", "x")
    assert exc.value.returncode == 2
    with pytest.raises(BadInput) as exc:
        call_command(
            "round", "open", "--org", "nll", "--period", "DÅ08 2022", "--deadline", "2022-09-30"
        )
    assert exc.value.returncode == 2
    assert str(exc.value) == (
        "Region Norrbotten har redan ett uppföljningstillfälle för DÅ08 2022: "
        "Delårsrapport DÅ08 2022, öppet med sista dag 2022-09-20."
    )
    with pytest.raises(BadInput, match="Okänd organisation"):
        call_command("round", "status", "--org", "nope", "--period", "2022-DÅ08")


def test_a_goal_or_activity_whose_follow_up_is_locked_is_not_deleted(world, rnd):
    """Deleting a goal takes its analyses and assessments (its child goals' too) with it,
    deleting an activity its reports: refused while they lie in a locked period."""
    from styrkort.followup.models import Analysis
    from styrkort.planning.models import Activity, ActivityReport, Goal
    from styrkort.planning.services import delete_activity, delete_goal, report_activity

    w = world
    save_analysis(
        user=w.users.planner, unit=w.ls1, period="2022-DÅ04", text="I fas", goal=w.goals.strategic
    )
    activity = w.activities.on_track
    report_activity(
        user=w.users.planner, activity=activity, unit=w.ls1, period="2022-DÅ04", status="done"
    )
    services.close_round(user=w.users.admin, round=rnd)
    with pytest.raises(PeriodLocked, match="stängt"):
        delete_goal(user=w.users.admin, goal=w.goals.citizens, reason="Ny målstruktur")
    with pytest.raises(PeriodLocked, match="stängt"):
        delete_activity(user=w.users.admin, activity=activity, reason="Avslutad")
    assert Goal.objects.filter(pk=w.goals.strategic.pk).exists()
    assert Analysis.objects.filter(goal=w.goals.strategic).count() == 1
    assert Activity.objects.filter(pk=activity.pk).exists()
    assert ActivityReport.objects.filter(activity=activity).count() == 1
    # a goal without locked follow-up still goes
    delete_goal(user=w.users.admin, goal=w.goals.care, reason="Ny målstruktur")
