"""Reminder e-mails of the reporting rounds: who is reminded of what on a day, the text,
and sending it (at most one message per person and day).

Who gets what, for every open round that has opened (docs/rounds.md, "Påminnelser"):

- **att rapportera**: a unit not ready (not started, in progress or returned) on each of
  the days `STYRKORT_REMINDER_DAYS` before its deadline, on the deadline and every day
  after it, to the unit's reporters: the people holding the reporter or planner role on
  the unit itself, or, when nobody does, on its nearest unit above where somebody does
  (a VO without reporters of its own is reported by its division's). A role further up
  does not bring every unit below into one's mail: the region's planners are not sent
  each VO's reminder.
- **försenad** (escalation): a unit not ready after its deadline, also to the planners
  of the unit above (nearest holders again, from the unit above up), who approve it.
- **klar att granska**: a ready unit, to those planners of the unit above, the morning
  after it was marked ready and on the same reminder days as above.
- Nothing for approved or excused units, nor for closed rounds.
- A substitute (``Substitution`` active that day) gets the reminders of the person they
  stand in for, named "som ersättare för ...".
- People who turned reminders off (``ReminderPreference``), have no e-mail address or
  already got their message that day (``ReminderLog``) are left out.

`collect(day)` reads and decides (no writes); `send(day)` sends through Django's e-mail
backend (`STYRKORT_EMAIL_URL`) and records each message through the service `deliver`.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from styrkort.accounts.models import Role, RoleAssignment
from styrkort.organisation.models import OrgUnit
from styrkort.writes import save, service

from . import rules
from .due import overview
from .models import ReminderLog, ReminderPreference, ReportingRound, RoundState, Substitution
from .rules import round_title

log = logging.getLogger(__name__)

REPORT = "report"  # the unit has to report and mark ready
REVIEW = "review"  # the unit is ready: approve it or send it back
OVERDUE = "overdue"  # a unit below is late (escalation to the unit above)
KINDS = (REPORT, REVIEW, OVERDUE)
NOT_READY = frozenset({rules.NOT_STARTED, rules.IN_PROGRESS, rules.RETURNED})


# --- the pure rules ------------------------------------------------------------------------


def kinds_for(
    state: str, days_left: int, days_before: Iterable[int], *, newly_ready: bool
) -> tuple[str, ...]:
    """What a unit in `state`, `days_left` days before its deadline (negative: late),
    is reminded of today."""
    due_day = days_left <= 0 or days_left in set(days_before)
    if state == rules.READY:
        return (REVIEW,) if newly_ready or due_day else ()
    if state not in NOT_READY or not due_day:
        return ()
    return (REPORT, OVERDUE) if days_left < 0 else (REPORT,)


def nearest_holders(
    path: str, steplen: int, holders: dict[str, set[int]], exclude: frozenset[int] = frozenset()
) -> set[int]:
    """The people holding a role on the unit at `path`, or else on the nearest unit above
    where anybody holds it; people in `exclude` left out (a unit where only they hold
    the role counts as one where nobody does)."""
    for end in range(len(path), 0, -steplen):
        found = holders.get(path[:end], set()) - exclude
        if found:
            return found
    return set()


def days_text(days_left: int) -> str:
    if days_left > 0:
        return ngettext("%(n)s dag kvar", "%(n)s dagar kvar", days_left) % {"n": days_left}
    if days_left == 0:
        return _("sista dagen är i dag")
    late = -days_left
    return ngettext("%(n)s dag försenad", "%(n)s dagar försenad", late) % {"n": late}


# --- what is due today -------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One unit in one person's reminder."""

    kind: str
    round_id: int
    round_title: str
    organisation: str
    unit_code: str
    unit_name: str
    unit_path: str
    deadline: dt.date
    days_left: int
    state_label: str
    on_behalf_of: str = ""  # the person a substitute stands in for
    ready_by_id: int | None = None  # of a unit to review: who marked it ready

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "round": self.round_title,
            "organisation": self.organisation,
            "unit": self.unit_code,
            "unit_name": self.unit_name,
            "deadline": self.deadline.isoformat(),
            "days_left": self.days_left,
            "state": self.state_label,
            "on_behalf_of": self.on_behalf_of or None,
        }


@dataclass
class Reminder:
    """One person's message of the day."""

    user: object
    items: list[Item]
    subject: str = ""
    body: str = ""

    @property
    def units(self) -> list[str]:
        return sorted({i.unit_code for i in self.items})

    def as_json(self) -> dict:
        return {
            "username": self.user.username,
            "email": self.user.email,
            "subject": self.subject,
            "units": self.units,
            "items": [i.as_json() for i in self.items],
        }


@dataclass
class Run:
    """What one run decided and did."""

    day: dt.date
    dry_run: bool
    reminders: list[Reminder] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)
    skipped: dict[str, list[str]] = field(
        default_factory=lambda: {"opted_out": [], "no_address": [], "already_sent": []}
    )
    failed: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "day": self.day.isoformat(),
            "dry_run": self.dry_run,
            "messages": [r.as_json() for r in self.reminders],
            "sent": self.sent,
            "skipped": self.skipped,
            "failed": self.failed,
        }


def _holders(organisation_ids) -> tuple[dict[str, set[int]], dict[str, set[int]]]:
    """{unit path: people} holding reporter-or-planner roles, and planner roles."""
    reporters: dict[str, set[int]] = defaultdict(set)
    planners: dict[str, set[int]] = defaultdict(set)
    for user_id, role, path in RoleAssignment.objects.filter(
        unit__organisation_id__in=organisation_ids,
        role__in=[Role.REPORTER, Role.PLANNER],
        user__is_active=True,
    ).values_list("user_id", "role", "unit__path"):
        reporters[path].add(user_id)
        if role == Role.PLANNER:
            planners[path].add(user_id)
    return reporters, planners


def _due_items(day: dt.date) -> dict[int, dict[tuple, Item]]:
    """{person id: {key: item}} of everything due on `day`, before substitutes."""
    rounds = list(
        ReportingRound.objects.filter(state=RoundState.OPEN, opens_on__lte=day).select_related(
            "organisation"
        )
    )
    if not rounds:
        return {}
    reporters, planners = _holders({r.organisation_id for r in rounds})
    steplen = OrgUnit.steplen
    days_before = set(settings.STYRKORT_REMINDER_DAYS)
    yesterday = day - dt.timedelta(days=1)
    by_person: dict[int, dict[tuple, Item]] = defaultdict(dict)
    for rnd in rounds:
        title = round_title(rnd.period)
        for unit in overview(rnd, today=day):
            newly_ready = bool(
                unit.ready_at and timezone.localtime(unit.ready_at).date() == yesterday
            )
            kinds = kinds_for(unit.state, unit.days_left, days_before, newly_ready=newly_ready)
            above = rules.approver_path(unit.path, steplen)
            for kind in kinds:
                if kind == REPORT:
                    people = nearest_holders(unit.path, steplen, reporters)
                elif kind == OVERDUE and above == unit.path:
                    continue  # the top unit: nobody above to escalate to
                elif kind == REVIEW and unit.ready_by_id is not None:
                    # Four eyes: who marked it ready cannot approve it; the planners
                    # nearest above who can are asked instead.
                    people = nearest_holders(
                        above, steplen, planners, exclude=frozenset({unit.ready_by_id})
                    )
                else:
                    people = nearest_holders(above, steplen, planners)
                item = Item(
                    kind=kind,
                    round_id=rnd.pk,
                    round_title=title,
                    organisation=rnd.organisation.name,
                    unit_code=unit.code,
                    unit_name=unit.name,
                    unit_path=unit.path,
                    deadline=unit.deadline,
                    days_left=unit.days_left,
                    state_label=unit.state_label,
                    ready_by_id=unit.ready_by_id if kind == REVIEW else None,
                )
                for person in people:
                    by_person[person][(rnd.pk, unit.path, kind, "")] = item
    # A person reminded to report a unit is not also told it is late as its approver.
    for items in by_person.values():
        for rnd_id, path, kind, _who in list(items):
            if kind == OVERDUE and (rnd_id, path, REPORT, "") in items:
                del items[(rnd_id, path, kind, "")]
    return by_person


def _name(user) -> str:
    return user.get_full_name() or user.username


def collect(day: dt.date | None = None) -> tuple[list[Reminder], dict[str, list[str]]]:
    """The messages due on `day` (default today), one per person, and who was left out
    and why ({"opted_out", "no_address", "already_sent"}: usernames)."""
    day = day or timezone.localdate()
    own = _due_items(day)
    User = get_user_model()
    standing_in = list(
        Substitution.objects.filter(
            starts_on__lte=day, ends_on__gte=day, user__is_active=True, substitute__is_active=True
        ).values_list("user_id", "substitute_id")
    )
    people = User.objects.in_bulk({*own, *(s for _u, s in standing_in)})
    mail: dict[int, dict[tuple, Item]] = defaultdict(dict)
    for person, items in own.items():
        mail[person].update(items)
    for absent, substitute in standing_in:
        for (rnd_id, path, kind, _who), item in own.get(absent, {}).items():
            if (rnd_id, path, kind, "") in mail[substitute]:
                continue  # they have it themselves
            if item.ready_by_id == substitute:
                continue  # they marked it ready: not theirs to approve (four eyes)
            name = _name(people[absent]) if absent in people else ""
            key = (rnd_id, path, kind, name)
            mail[substitute][key] = Item(**{**item.__dict__, "on_behalf_of": name})
    skipped: dict[str, list[str]] = {"opted_out": [], "no_address": [], "already_sent": []}
    off = set(ReminderPreference.objects.filter(enabled=False).values_list("user_id", flat=True))
    sent = set(ReminderLog.objects.filter(day=day).values_list("user_id", flat=True))
    reminders = []
    for person_id in sorted(mail, key=lambda pk: people[pk].username if pk in people else ""):
        user, items = people.get(person_id), mail[person_id]
        if user is None or not user.is_active or not items:
            continue
        if person_id in off:
            skipped["opted_out"].append(user.username)
        elif not user.email:
            skipped["no_address"].append(user.username)
        elif person_id in sent:
            skipped["already_sent"].append(user.username)
        else:
            reminder = Reminder(user=user, items=_ordered(items.values()))
            reminder.subject, reminder.body = render(reminder, day)
            reminders.append(reminder)
    return reminders, skipped


def _ordered(items: Iterable[Item]) -> list[Item]:
    return sorted(
        items,
        key=lambda i: (i.on_behalf_of, i.round_title, KINDS.index(i.kind), i.unit_path),
    )


# --- the text ------------------------------------------------------------------------------

#: translated where they are shown
HEADINGS = {
    REPORT: gettext_noop("Att rapportera och klarmarkera:"),
    REVIEW: gettext_noop("Klar att granska (godkänn eller återsänd):"),
    OVERDUE: gettext_noop("Försenade enheter under dig (eskalering):"),
}


def _url(path: str) -> str:
    return settings.STYRKORT_BASE_URL + path


def render(reminder: Reminder, day: dt.date) -> tuple[str, str]:
    """The subject and plain-text body of a reminder, in the installation's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return _render(reminder, day)


def _render(reminder: Reminder, day: dt.date) -> tuple[str, str]:
    items = reminder.items
    titles = sorted({i.round_title for i in items})
    n = len(reminder.units)
    subject = ngettext(
        "Styrkort: påminnelse om %(round)s (%(n)s enhet)",
        "Styrkort: påminnelse om %(round)s (%(n)s enheter)",
        n,
    ) % {"round": ", ".join(titles), "n": n}
    lines = [_("Hej %(name)s,") % {"name": _name(reminder.user)}, ""]
    lines.append(_("Det här väntar på dig i Styrkort i dag, %(day)s.") % {"day": day.isoformat()})
    groups: dict[str, dict[tuple[str, str], dict[str, list[Item]]]] = {}
    for item in items:
        by_round = groups.setdefault(item.on_behalf_of, {})
        by_kind = by_round.setdefault((item.round_title, item.organisation), {})
        by_kind.setdefault(item.kind, []).append(item)
    for on_behalf_of, by_round in groups.items():
        if on_behalf_of:
            lines += ["", _("Som ersättare för %(name)s:") % {"name": on_behalf_of}]
        for (title, organisation), by_kind in by_round.items():
            lines += ["", f"{title}, {organisation}"]
            for kind in KINDS:
                if kind not in by_kind:
                    continue
                lines.append(_(HEADINGS[kind]))
                for item in by_kind[kind]:
                    lines.append(
                        _(
                            "- %(unit)s (%(code)s): sista dag %(deadline)s, %(days)s. "
                            "Status: %(state)s."
                        )
                        % {
                            "unit": item.unit_name,
                            "code": item.unit_code,
                            "deadline": item.deadline.isoformat(),
                            "days": days_text(item.days_left),
                            "state": item.state_label,
                        }
                    )
    lines += [
        "",
        _("Öppna Styrkort: %(url)s") % {"url": _url(reverse("home"))},
        "",
        _(
            "Du får högst ett meddelande om dagen. Stäng av påminnelserna eller utse en "
            "ersättare: %(url)s"
        )
        % {"url": _url(reverse("reminder_settings"))},
    ]
    return subject, "\n".join(lines) + "\n"


# --- sending -------------------------------------------------------------------------------


@service
def deliver(*, user, reminder: Reminder, day: dt.date, connection=None) -> bool:
    """Send one reminder and record it; False when the person already got one on `day`.
    The record and the message stand or fall together: a message the mail server
    refused is not recorded, and goes out with the next run."""
    person = reminder.user
    if ReminderLog.objects.filter(user=person, day=day).exists():
        return False
    entry = ReminderLog(
        user=person,
        day=day,
        address=person.email,
        subject=reminder.subject[:200],
        units=len(reminder.units),
    )
    save(entry, user)
    EmailMessage(
        subject=reminder.subject,
        body=reminder.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email],
        connection=connection,
    ).send()
    return True


def send(day: dt.date | None = None, *, dry_run: bool = False) -> Run:
    """Collect the reminders due on `day` (default today) and, unless `dry_run`, send
    each one through the configured e-mail backend."""
    day = day or timezone.localdate()
    reminders, skipped = collect(day)
    run = Run(day=day, dry_run=dry_run, reminders=reminders, skipped=skipped)
    if dry_run or not reminders:
        return run
    connection = get_connection()
    try:
        connection.open()
    except (smtplib.SMTPException, OSError) as exc:
        log.error("E-postservern svarar inte (STYRKORT_EMAIL_URL): %s", exc)
        run.failed = [r.user.username for r in reminders]
        return run
    try:
        for reminder in reminders:
            name = reminder.user.username
            try:
                if deliver(user=None, reminder=reminder, day=day, connection=connection):
                    run.sent.append(name)
                else:
                    run.skipped["already_sent"].append(name)
            except IntegrityError:  # another run recorded it first
                run.skipped["already_sent"].append(name)
            except (smtplib.SMTPException, OSError) as exc:
                log.error("Påminnelsen till %s kunde inte skickas: %s", name, exc)
                run.failed.append(name)
    finally:
        connection.close()
    return run


# --- each person's choice --------------------------------------------------------------------


def reminders_enabled(user) -> bool:
    pref = ReminderPreference.objects.filter(user=user).first()
    return pref is None or pref.enabled


@service
def set_reminders(*, user, enabled: bool) -> ReminderPreference:
    """Turn the signed-in person's reminder e-mails on or off."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Logga in för att ändra dina påminnelser."))
    pref = ReminderPreference.objects.select_for_update().filter(user=user).first()
    pref = pref or ReminderPreference(user=user)
    pref.enabled = bool(enabled)
    save(pref, user)
    return pref
