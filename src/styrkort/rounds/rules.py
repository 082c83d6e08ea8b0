"""The rules of a reporting round, pure (no database): deadlines per level, the states
a unit's submission goes through, who may move it, what locks a period, and the digest
an approval keeps. ``rounds.services`` applies them; the tests call them directly."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from styrkort.periods import parse_period

# The states a person sees. Stored are only open/ready/approved (and `excused`); "not
# started", "in progress" and "returned" are open submissions told apart by their content
# and comment.
NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
RETURNED = "returned"
READY = "ready"
APPROVED = "approved"
EXCUSED = "excused"

STATE_LABELS = {
    NOT_STARTED: gettext_lazy("Ej påbörjad"),
    IN_PROGRESS: gettext_lazy("Pågår"),
    RETURNED: gettext_lazy("Återsänd"),
    READY: gettext_lazy("Klarmarkerad"),
    APPROVED: gettext_lazy("Godkänd"),
    EXCUSED: gettext_lazy("Undantagen"),
}
#: Symbols beside the label (never colour alone).
STATE_SYMBOLS = {
    NOT_STARTED: "○",
    IN_PROGRESS: "◐",
    RETURNED: "↩",
    READY: "●",
    APPROVED: "✔",
    EXCUSED: "–",
}
DONE = frozenset({APPROVED, EXCUSED})


def shown_state(stored: str, *, excused: bool, has_content: bool, comment: str) -> str:
    """What a submission is, as people say it: stored state plus content and comment."""
    if excused:
        return EXCUSED
    if stored in (READY, APPROVED):
        return stored
    if comment:
        return RETURNED
    return IN_PROGRESS if has_content else NOT_STARTED


def deadline_for(depth: int, deadline: dt.date, level_deadlines: Mapping[str, str]) -> dt.date:
    """The deadline of a unit at tree depth `depth`: its level's own, else the nearest
    shallower level's, else the round's."""
    found = deadline
    best = 0
    for key, text in level_deadlines.items():
        level = int(key)
        if best < level <= depth:
            best, found = level, dt.date.fromisoformat(text)
    return found


def check_deadlines(
    opens_on: dt.date, deadline: dt.date, level_deadlines: Mapping[str, str]
) -> dict[str, str]:
    """Swedish messages per field for deadlines that cannot be: before the opening day, or
    a deeper level (a VO) later than a level above it (its division) or the round."""
    errors: dict[str, str] = {}
    if deadline < opens_on:
        errors["deadline"] = _(
            "Sista dag (%(deadline)s) kan inte ligga före öppningsdagen (%(opens)s)."
        ) % {"deadline": deadline.isoformat(), "opens": opens_on.isoformat()}
    for key in sorted(level_deadlines, key=int):
        day = dt.date.fromisoformat(level_deadlines[key])
        if day < opens_on:
            errors["level_deadlines"] = _(
                "Sista dag för nivå %(level)s (%(deadline)s) ligger före öppningsdagen (%(opens)s)."
            ) % {"level": key, "deadline": day.isoformat(), "opens": opens_on.isoformat()}
        elif day > deadline:
            errors["level_deadlines"] = _(
                "Sista dag för nivå %(level)s (%(deadline)s) ligger efter tillfällets sista "
                "dag (%(round)s): en lägre nivå rapporterar före den högre."
            ) % {"level": key, "deadline": day.isoformat(), "round": deadline.isoformat()}
    levels = sorted((int(k), dt.date.fromisoformat(v)) for k, v in level_deadlines.items())
    for (upper, upper_day), (lower, lower_day) in itertools.pairwise(levels):
        if lower_day > upper_day:
            errors["level_deadlines"] = _(
                "Nivå %(lower)s har sista dag %(lower_day)s, efter nivå %(upper)s "
                "(%(upper_day)s): en lägre nivå rapporterar före den högre."
            ) % {
                "lower": lower,
                "lower_day": lower_day.isoformat(),
                "upper": upper,
                "upper_day": upper_day.isoformat(),
            }
    return errors


@dataclass(frozen=True)
class Facts:
    """What the transition rules need to know about one submission."""

    stored: str
    excused: bool
    ready_by_id: int | None
    round_open: bool  # the round is open, or this unit was reopened in the closed round


def refuse_mark_ready(facts: Facts) -> str | None:
    if not facts.round_open:
        return _("Uppföljningstillfället är stängt.")
    if facts.excused:
        return _("Enheten är undantagen från detta uppföljningstillfälle.")
    if facts.stored == READY:
        return _("Enheten är redan klarmarkerad.")
    if facts.stored == APPROVED:
        return _("Enheten är redan godkänd och låst.")
    return None


def refuse_approve(
    facts: Facts, user_id: int | None, children_not_done: Iterable[str]
) -> str | None:
    """Why `user_id` may not approve: four eyes, a unit that is not ready, sub-units
    not yet approved (or excused)."""
    if not facts.round_open:
        return _("Uppföljningstillfället är stängt.")
    if facts.stored == APPROVED:
        return _("Enheten är redan godkänd.")
    if facts.stored != READY:
        return _("Enheten är inte klarmarkerad och kan inte godkännas ännu.")
    if user_id is not None and facts.ready_by_id == user_id:
        return _("Du klarmarkerade själv enheten; en annan person måste godkänna den (fyra ögon).")
    waiting = sorted(children_not_done)
    if waiting:
        return _("Underenheter är inte godkända eller undantagna: %(units)s.") % {
            "units": ", ".join(waiting[:10]) + (" …" if len(waiting) > 10 else "")
        }
    return None


def refuse_return(facts: Facts, comment: str) -> str | None:
    if not facts.round_open:
        return _("Uppföljningstillfället är stängt.")
    if facts.stored != READY:
        return _("Bara en klarmarkerad enhet kan återsändas.")
    if not comment.strip():
        return _("Skriv en kommentar om vad som behöver rättas.")
    return None


def refuse_excuse(facts: Facts) -> str | None:
    """Why a unit may not be excused (or its excuse withdrawn): a closed round (unless
    the unit was reopened in it), an approved unit."""
    if not facts.round_open:
        return _("Uppföljningstillfället är stängt.")
    if facts.stored == APPROVED:
        return _("Enheten är redan godkänd.")
    return None


def covers(round_start: dt.date, round_end: dt.date, start: dt.date, end: dt.date) -> bool:
    """Whether a round's period covers a period (DÅ04 covers January–April, T1 and Q1)."""
    return round_start <= start and end <= round_end


def digest(
    outcomes: Iterable[tuple], analyses: Iterable[tuple], activities: Iterable[tuple]
) -> str:
    """A fingerprint of a unit's content in a round as it stood: the same rows in any
    order give the same digest, any changed value a different one."""
    payload = {
        "outcomes": sorted(map(list, outcomes), key=repr),
        "analyses": sorted(map(list, analyses), key=repr),
        "activities": sorted(map(list, activities), key=repr),
    }
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def days_left(deadline: dt.date, today: dt.date) -> int:
    """Days until the deadline (0 on the day, negative when overdue)."""
    return (deadline - today).days


def round_title(period_text: str) -> str:
    """What people call a round: "Delårsrapport DÅ08 2022", "Årsrapport 2022"."""
    period = parse_period(period_text)
    if period.kind == "year":
        return _("Årsrapport %(period)s") % {"period": period.label_sv}
    if period.kind == "reporting_point":
        return _("Delårsrapport %(period)s") % {"period": period.label_sv}
    return _("Uppföljning %(period)s") % {"period": period.label_sv}


def approver_path(path: str, steplen: int) -> str:
    """The path of the unit whose planners approve the unit at `path`: the unit above,
    or the top unit itself (materialised paths, `steplen` characters per level)."""
    return path[:-steplen] if len(path) > steplen else path
