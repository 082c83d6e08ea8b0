"""Reminder e-mails of a reporting round, received by a real SMTP server (aiosmtpd) that
the tests start: who gets what, one message each, nothing for units that are done,
nothing after opting out or on a second run, escalation when overdue, the approvers'
"klar att granska" and the substitute's copy. Plus the schedule and the command."""

import datetime as dt
import email
import email.policy
import io
import json
import socket

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from factories import RoleAssignmentFactory, UserFactory
from styrkort.commands import BadInput
from styrkort.mail import email_settings
from styrkort.rounds import reminders, services
from styrkort.rounds.models import ReminderLog

pytestmark = pytest.mark.django_db

T = timezone.localdate()
DAY = dt.timedelta(days=1)


class Inbox:
    """What the SMTP server received: one entry per message and recipient."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        for rcpt in envelope.rcpt_tos:
            self.messages.append((rcpt, message))
        return "250 Message accepted for delivery"

    def to(self, address):
        return [m for rcpt, m in self.messages if rcpt == address]

    def recipients(self):
        return sorted(rcpt for rcpt, _m in self.messages)

    @staticmethod
    def subject(message):
        return " ".join(str(message["Subject"]).split())  # unfolded, as a mail client shows it

    @staticmethod
    def body(message):
        return message.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture(scope="module")
def smtp_server():
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def inbox(smtp_server, tmp_path):
    box, port = smtp_server
    box.messages.clear()
    conf = email_settings(f"smtp://127.0.0.1:{port}", var_dir=tmp_path)
    with override_settings(
        **conf,
        DEFAULT_FROM_EMAIL="Styrkort <styrkort@nll.example>",
        STYRKORT_BASE_URL="https://styrkort.nll.example",
        STYRKORT_REMINDER_DAYS=[5],
    ):
        yield box


@pytest.fixture
def people(world):
    """E-mail addresses for the world's people and a planner at the region."""
    users = world.users
    for user in (users.planner, users.reporter, users.reporter_ls2, users.reader):
        user.email = f"{user.username}@nll.example"
        user.save()
    region_planner = UserFactory(
        username="regionplanerare",
        first_name="Rut",
        last_name="Regionsson",
        email="regionplanerare@nll.example",
    )
    RoleAssignmentFactory(user=region_planner, unit=world.region, role="planner")
    users.region_planner = region_planner
    return users


@pytest.fixture
def rnd(world, people):
    """Delårsrapport DÅ08 2022, open since a month: the VOs (depth 3) report five days
    from today, the divisions and the region ten days from today."""
    return services.open_round(
        user=world.users.admin,
        organisation=world.org,
        period="2022-DÅ08",
        opens_on=T - 30 * DAY,
        deadline=T + 10 * DAY,
        level_deadlines={"3": (T + 5 * DAY).isoformat()},
    )


def _approve(rnd, unit, world):
    services.mark_ready(user=world.users.reporter, round=rnd, unit=unit)
    services.approve(user=world.users.planner, round=rnd, unit=unit)


def test_a_reporter_with_two_units_gets_one_message_naming_both(world, rnd, inbox):
    run = reminders.send(T)
    assert sorted(run.sent) == ["planner", "regionplanerare", "reporter"]
    assert inbox.recipients() == [
        "planner@nll.example",
        "regionplanerare@nll.example",
        "reporter@nll.example",
    ]
    (message,) = inbox.to("reporter@nll.example")
    assert inbox.subject(message) == "Styrkort: påminnelse om Delårsrapport DÅ08 2022 (2 enheter)"
    assert message["From"] == "Styrkort <styrkort@nll.example>"
    body = inbox.body(message)
    deadline = (T + 5 * DAY).isoformat()
    assert "Hej Reporter Test," in body
    assert "Delårsrapport DÅ08 2022, Region Norrbotten" in body
    assert "Att rapportera och klarmarkera:" in body
    assert (
        f"- VO Internmedicin (NLL-LS1-IM): sista dag {deadline}, 5 dagar kvar. "
        "Status: Ej påbörjad." in body
    )
    assert f"- VO Neurocentrum (NLL-LS1-NC): sista dag {deadline}, 5 dagar kvar." in body
    # The divisions' deadline is ten days away: not a reminder day for Länssjukvård 1.
    assert "Division Länssjukvård 1" not in body
    assert "Öppna Styrkort: https://styrkort.nll.example/" in body
    assert "https://styrkort.nll.example/installningar/paminnelser/" in body
    # Nobody holds a role at Division Primärvård: its health centre goes to the region.
    (regional,) = inbox.to("regionplanerare@nll.example")
    assert "Hälsocentral Gallerian (NLL-PV-GAL)" in inbox.body(regional)
    assert "VO Internmedicin" not in inbox.body(regional)
    assert ReminderLog.objects.get(user=world.users.reporter, day=T).units == 2


def test_no_reminder_about_approved_or_excused_units(world, rnd, inbox):
    _approve(rnd, world.nc, world)
    services.excuse(
        user=world.users.region_planner, round=rnd, unit=world.gallerian, reason="Stängs 2024."
    )
    run = reminders.send(T)
    assert sorted(run.sent) == ["planner", "reporter"]
    (message,) = inbox.to("reporter@nll.example")
    body = inbox.body(message)
    assert inbox.subject(message).endswith("(1 enhet)")
    assert "VO Internmedicin" in body
    assert "VO Neurocentrum" not in body
    assert inbox.to("regionplanerare@nll.example") == []


def test_nobody_is_reminded_after_opting_out(world, rnd, inbox):
    reminders.set_reminders(user=world.users.reporter, enabled=False)
    run = reminders.send(T)
    assert "reporter" not in run.sent
    assert run.skipped["opted_out"] == ["reporter"]
    assert inbox.to("reporter@nll.example") == []
    assert len(inbox.to("planner@nll.example")) == 1
    reminders.set_reminders(user=world.users.reporter, enabled=True)
    assert reminders.send(T).sent == ["reporter"]


def test_a_second_run_the_same_day_sends_nothing(world, rnd, inbox):
    first = reminders.send(T)
    assert len(first.sent) == 3
    second = reminders.send(T)
    assert second.sent == []
    assert sorted(second.skipped["already_sent"]) == ["planner", "regionplanerare", "reporter"]
    assert len(inbox.messages) == 3
    assert ReminderLog.objects.filter(day=T).count() == 3


def test_overdue_units_are_escalated_to_the_planners_above(world, rnd, inbox):
    _approve(rnd, world.im, world)
    _approve(rnd, world.nc, world)
    day = T + 12 * DAY  # the divisions' deadline was two days ago
    run = reminders.send(day)
    assert "reporter_ls2" in run.sent
    (late,) = inbox.to("reporter_ls2@nll.example")
    assert "- Division Länssjukvård 2 (NLL-LS2): sista dag" in inbox.body(late)
    assert "2 dagar försenad. Status: Ej påbörjad." in inbox.body(late)
    (regional,) = inbox.to("regionplanerare@nll.example")
    body = inbox.body(regional)
    escalation = body.split("Försenade enheter under dig (eskalering):")[1]
    assert "- Division Länssjukvård 1 (NLL-LS1)" in escalation
    assert "- Division Länssjukvård 2 (NLL-LS2)" in escalation
    # LS1's own people are reminded to report, not told about it as escalation.
    body = inbox.body(inbox.to("planner@nll.example")[0])
    assert "Division Länssjukvård 1 (NLL-LS1)" in body
    assert "eskalering" not in body


def test_the_approver_is_told_when_a_unit_is_ready_to_review(world, rnd, inbox):
    services.mark_ready(user=world.users.reporter, round=rnd, unit=world.im)
    # The morning after: four days before the VOs' deadline, not a reminder day, but IM
    # was marked ready yesterday.
    run = reminders.send(T + DAY)
    assert run.sent == ["planner"]
    body = inbox.body(inbox.to("planner@nll.example")[0])
    assert "Klar att granska (godkänn eller återsänd):" in body
    assert "- VO Internmedicin (NLL-LS1-IM)" in body
    assert "Status: Klarmarkerad." in body
    assert "VO Neurocentrum" not in body
    # On the reminder day the reporter hears only of what is not ready.
    inbox.messages.clear()
    reminders.send(T)
    reporter_body = inbox.body(inbox.to("reporter@nll.example")[0])
    assert "VO Neurocentrum" in reporter_body
    assert "VO Internmedicin" not in reporter_body


def _review_items(day):
    found, _skipped = reminders.collect(day)
    return {
        (r.user.username, i.unit_code, i.on_behalf_of)
        for r in found
        for i in r.items
        if i.kind == reminders.REVIEW
    }


def test_the_one_who_marked_the_unit_ready_is_not_asked_to_review_it(world, rnd, inbox):
    """Four eyes: the planner who marked VO Internmedicin ready cannot approve it, so the
    review reminder goes to the next planners above who can (the region's), and not to
    the planner as a substitute either."""
    services.name_substitute(
        user=world.users.region_planner,
        substitute=world.users.planner,
        starts_on=T,
        ends_on=T + 7 * DAY,
    )
    services.mark_ready(user=world.users.planner, round=rnd, unit=world.im)
    assert _review_items(T + DAY) == {("regionplanerare", "NLL-LS1-IM", "")}
    # Marked ready by the reporter, the division's planner reviews it, as before.
    services.return_submission(user=world.users.planner, round=rnd, unit=world.im, comment="x")
    services.mark_ready(user=world.users.reporter, round=rnd, unit=world.im)
    assert _review_items(T + DAY) == {("planner", "NLL-LS1-IM", "")}


def test_a_substitute_gets_the_reminders_of_the_person_away(world, rnd, inbox):
    stand_in = UserFactory(
        username="vikarie", first_name="Vera", last_name="Vikarie", email="vikarie@nll.example"
    )
    services.name_substitute(
        user=world.users.reporter, substitute=stand_in, starts_on=T, ends_on=T + 7 * DAY
    )
    reminders.send(T)
    (message,) = inbox.to("vikarie@nll.example")
    body = inbox.body(message)
    assert "Som ersättare för Reporter Test:" in body
    assert "- VO Internmedicin (NLL-LS1-IM)" in body.split("Som ersättare för Reporter Test:")[1]
    assert len(inbox.to("reporter@nll.example")) == 1  # the person away still gets theirs
    # After the period, nothing.
    inbox.messages.clear()
    reminders.send(T + 12 * DAY)
    assert inbox.to("vikarie@nll.example") == []


def test_a_mail_server_that_does_not_answer_records_nothing(world, rnd, inbox, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    with override_settings(**email_settings(f"smtp://127.0.0.1:{closed}", var_dir=tmp_path)):
        run = reminders.send(T)
        assert sorted(run.failed) == ["planner", "regionplanerare", "reporter"]
        assert not ReminderLog.objects.exists()
        with pytest.raises(CommandError, match="Kunde inte skickas till: planner, "):
            call_command("round", "remind", stdout=io.StringIO())
    assert sorted(reminders.send(T).sent) == ["planner", "regionplanerare", "reporter"]


def test_people_without_an_address_are_listed_and_skipped(world, rnd, inbox):
    world.users.reporter.email = ""
    world.users.reporter.save()
    run = reminders.send(T)
    assert run.skipped["no_address"] == ["reporter"]
    assert "reporter" not in run.sent


def test_nothing_before_a_reminder_day_or_in_a_closed_round(world, rnd, inbox):
    assert reminders.send(T - DAY).reminders == []  # six days before the VOs' deadline
    services.close_round(user=world.users.admin, round=rnd)
    assert reminders.send(T + 12 * DAY).reminders == []
    assert inbox.messages == []


@pytest.mark.parametrize(
    ("state", "days_left", "newly_ready", "kinds"),
    [
        ("not_started", 6, False, ()),
        ("not_started", 5, False, ("report",)),
        ("in_progress", 0, False, ("report",)),
        ("returned", -3, False, ("report", "overdue")),
        ("ready", 4, False, ()),
        ("ready", 4, True, ("review",)),
        ("ready", -1, False, ("review",)),
        ("approved", -9, False, ()),
        ("excused", 0, False, ()),
    ],
)
def test_what_a_unit_is_reminded_of(state, days_left, newly_ready, kinds):
    assert reminders.kinds_for(state, days_left, [5], newly_ready=newly_ready) == kinds


def test_days_are_said_in_swedish():
    assert reminders.days_text(5) == "5 dagar kvar"
    assert reminders.days_text(1) == "1 dag kvar"
    assert reminders.days_text(0) == "sista dagen är i dag"
    assert reminders.days_text(-1) == "1 dag försenad"
    assert reminders.round_title("2022-DÅ08") == "Delårsrapport DÅ08 2022"
    assert reminders.round_title("2022") == "Årsrapport 2022"


def test_the_daily_schedule_is_registered(world):
    from django_q.models import Schedule

    from styrkort.jobs import services as jobs

    jobs.sync_schedules()
    schedule = Schedule.objects.get(name="Skicka påminnelser")
    assert schedule.func == "styrkort.rounds.tasks.send_reminders"
    assert schedule.schedule_type == Schedule.DAILY
    assert timezone.localtime(schedule.next_run).strftime("%H:%M") == "07:00"
    assert timezone.localtime(schedule.next_run) > timezone.localtime()
    row = next(r for r in jobs.schedules() if r["name"] == "Skicka påminnelser")
    assert row["daily_at"] == "07:00"
    with override_settings(
        STYRKORT_SCHEDULES={
            "Skicka påminnelser": {
                "func": "styrkort.rounds.tasks.send_reminders",
                "daily_at": "06:30",
            }
        }
    ):
        jobs.sync_schedules()
    schedule.refresh_from_db()
    assert timezone.localtime(schedule.next_run).strftime("%H:%M") == "06:30"


def test_the_scheduled_task_sends_todays_reminders(world, rnd, inbox):
    from styrkort.rounds.tasks import send_reminders

    summary = send_reminders()
    assert summary["day"] == T.isoformat()
    assert summary["sent"] == 3
    assert len(inbox.messages) == 3


def test_round_remind_dry_run_json_shows_who_and_sends_nothing(world, rnd, inbox):
    out = io.StringIO()
    call_command("round", "remind", "--today", T.isoformat(), "--dry-run", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["dry_run"] is True and data["day"] == T.isoformat()
    by_user = {m["username"]: m for m in data["messages"]}
    assert set(by_user) == {"planner", "reporter", "regionplanerare"}
    assert by_user["reporter"]["units"] == ["NLL-LS1-IM", "NLL-LS1-NC"]
    assert by_user["reporter"]["items"][0]["round"] == "Delårsrapport DÅ08 2022"
    assert by_user["reporter"]["items"][0]["days_left"] == 5
    assert data["sent"] == []
    assert inbox.messages == []
    assert not ReminderLog.objects.exists()
    out = io.StringIO()
    call_command("round", "remind", "--today", T.isoformat(), stdout=out)
    assert f"Påminnelser {T.isoformat()}: 3 personer får e-post." in out.getvalue()
    assert len(inbox.messages) == 3


def test_round_remind_refuses_a_bad_date(world):
    with pytest.raises(BadInput, match="Ogiltigt datum för --today: '2022-13-01'"):
        call_command("round", "remind", "--today", "2022-13-01")
