"""Goal roll-up from the statuses under a goal, status counts, and activity follow-up.

A goal's status is the mean score of the statuses under it (its indicators, its
activities as statuses, its child goals): met = 3, partly = 2, not met = 1; not
assessed and no data are left out. Mean >= 2.5 -> met, >= 1.5 -> partly, else not met
(thresholds configurable).

Which activities a unit answers, their status for it and when a status has gone stale:
``planning.rules``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from .status import Status

GOAL_SCORES: dict[Status, int] = {Status.MET: 3, Status.PARTLY: 2, Status.NOT_MET: 1}


class ActivityStatus(StrEnum):
    PLANNED = "planned"
    ON_TRACK = "on_track"
    DELAYED = "delayed"
    DONE = "done"
    CANCELLED = "cancelled"
    NOT_REPORTED = "not_reported"


#: Activity statuses in the order the seeds count them (seed 002: 58 done, 425 on track,
#: 24 delayed, 224 planned), then cancelled and not reported.
ACTIVITY_ORDER: tuple[str, ...] = tuple(
    s.value
    for s in (
        ActivityStatus.DONE,
        ActivityStatus.ON_TRACK,
        ActivityStatus.DELAYED,
        ActivityStatus.PLANNED,
        ActivityStatus.CANCELLED,
        ActivityStatus.NOT_REPORTED,
    )
)


#: Default symbols as the seeds print them (shape, not colour alone).
ACTIVITY_SYMBOLS: dict[ActivityStatus, str] = {
    ActivityStatus.ON_TRACK: "●",
    ActivityStatus.DELAYED: "▲",
    ActivityStatus.DONE: "■",
    ActivityStatus.PLANNED: "◇",
    ActivityStatus.CANCELLED: "✕",
    ActivityStatus.NOT_REPORTED: "",
}

#: How an activity counts in its goal's status by default. Seed 002 colours assignments
#: fulfilled green, ongoing according to plan yellow, delayed red, and seed 001 draws done
#: like met (■), on track like partly (●), delayed like not met (▲); the rest do not count.
ACTIVITY_AS_STATUS: dict[ActivityStatus, Status] = {
    ActivityStatus.DONE: Status.MET,
    ActivityStatus.ON_TRACK: Status.PARTLY,
    ActivityStatus.DELAYED: Status.NOT_MET,
    ActivityStatus.PLANNED: Status.NOT_ASSESSED,
    ActivityStatus.CANCELLED: Status.NOT_ASSESSED,
    ActivityStatus.NOT_REPORTED: Status.NOT_ASSESSED,
}


def goal_status(
    child_statuses: Iterable[Status | str | None],
    thresholds: tuple[float, float] = (2.5, 1.5),
) -> Status:
    """A goal's status from the statuses under it (see the module docstring).

    ``thresholds`` = (lowest mean for met, lowest mean for partly). Nothing scoreable
    (empty, or only not assessed / no data / None) -> not assessed.
    """
    met_at, partly_at = thresholds
    if met_at < partly_at:
        raise ValueError(
            "Gränsen för uppfyllt måste vara minst lika hög som gränsen för delvis uppfyllt."
        )
    scores = [GOAL_SCORES[s] for s in map(_status_or_none, child_statuses) if s in GOAL_SCORES]
    if not scores:
        return Status.NOT_ASSESSED
    mean = sum(scores) / len(scores)
    if mean >= met_at:
        return Status.MET
    if mean >= partly_at:
        return Status.PARTLY
    return Status.NOT_MET


@dataclass(frozen=True)
class GoalBasis:
    """How many of the items under a goal (its indicators and activities, in its whole
    subtree) its status rests on: ``assessed`` of them count (met, partly, not met);
    the rest are not assessed or have no data. Seed 002's overall goals rest on 9 of
    their 74 items: the OCR lost the colour of the others."""

    assessed: int
    total: int

    @property
    def complete(self) -> bool:
        return self.assessed == self.total

    def text(self, language: str = "sv") -> str:
        """``bygger på 9 av 74`` (``rests on 9 of 74``); empty when there are no items."""
        if not self.total:
            return ""
        if language == "en":
            return f"rests on {self.assessed} of {self.total}"
        return f"bygger på {self.assessed} av {self.total}"

    def to_json(self) -> dict[str, int]:
        return {"assessed": self.assessed, "total": self.total}


def goal_basis(item_statuses: Iterable[Status | str | None]) -> GoalBasis:
    """The basis of a goal's status from the statuses of all items under it (None: no
    data): how many are scoreable of how many there are."""
    statuses = [_status_or_none(s) for s in item_statuses]
    return GoalBasis(sum(s in GOAL_SCORES for s in statuses), len(statuses))


def _status_or_none(value: Status | str | None) -> Status | None:
    return None if value is None else Status(value)


def status_counts(statuses: Iterable[Status | str | None]) -> dict[Status, int]:
    """How many of each status, every status present as a key (None counts as no data).

    Keys are ``Status`` (a str enum: ``counts["met"]`` works and JSON shows ``"met"``).
    """
    counts = dict.fromkeys(Status, 0)
    for s in statuses:
        counts[Status.NO_DATA if s is None else Status(s)] += 1
    return counts


def activity_to_status(
    status: ActivityStatus | str | None,
    mapping: Mapping[ActivityStatus, Status] = ACTIVITY_AS_STATUS,
) -> Status:
    """An activity's status as a goal-status contribution (None: not reported)."""
    return mapping[ActivityStatus.NOT_REPORTED if status is None else ActivityStatus(status)]


def activity_counts(statuses: Iterable[ActivityStatus | str | None]) -> dict[ActivityStatus, int]:
    """How many activities in each status, every status a key (None counts as not reported)."""
    counts = dict.fromkeys(ActivityStatus, 0)
    for s in statuses:
        counts[ActivityStatus.NOT_REPORTED if s is None else ActivityStatus(s)] += 1
    return counts
