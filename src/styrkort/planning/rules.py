"""Pure planning rules: which of a unit's plans it follows up, and what an activity shows
for a unit (which answer, which status, and whether that status has gone stale).

No ORM here. The scorecard and ``styrkort evaluate`` (``followup.queries``), the activity
pages (``web.views.activities``) and the reports all read plans and activities through
these functions, so a unit's activity counts and stale flags are the same on every page.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import NamedTuple

from django.utils import translation
from django.utils.translation import gettext as _

from styrkort.followup.evaluation.goals import ActivityStatus

__all__ = [
    "ActivityAnswer",
    "ActivityRole",
    "StaleReason",
    "activity_answer",
    "activity_role",
    "followed",
    "is_stale",
    "plan_rank",
    "stale_message",
    "stale_reason",
]

# --- which plan -------------------------------------------------------------------------

_STATE_RANK = {"adopted": 2, "archived": 1}  # a draft is never followed up


def followed(state: str) -> bool:
    """Whether a plan in ``state`` can be the plan a unit follows up: adopted or archived,
    never a draft. A draft (the copy for next year's plan, made in the autumn; a plan
    being written) is shown to its planners only, until it is adopted."""
    return str(state) in _STATE_RANK


def plan_rank(state: str, start_year: int, pk: int) -> tuple[int, int, int]:
    """Sort key of the plans one unit holds for a year (drafts left out, see
    ``followed``); the highest is the one followed up.

    The adopted plan wins over an archived one, then the latest start year, then the
    latest made. An archived plan still counts when it is the unit's only plan for the
    year: the follow-up of a past year stays with the plan that was followed up then,
    and does not move to the superior unit's plan."""
    return (_STATE_RANK.get(str(state), 0), start_year, pk)


# --- which activities, which answer ------------------------------------------------------


class ActivityRole(StrEnum):
    """How a unit stands to an activity of the plan it follows up."""

    OWNER = "owner"  # the unit owns it and answers it; its answer moves the activity's status
    CASCADED = "cascaded"  # a unit above owns it and its konkretisering asks this unit
    PLAN_HOLDER = "plan_holder"  # the unit holds the plan; a unit below owns the activity


def activity_role(
    *, unit_path: str, owner_path: str, plan_unit_path: str, cascaded: bool
) -> ActivityRole | None:
    """The unit's role for an activity (paths are the organisation tree's materialised
    paths); None when the activity is another unit's (it is listed on that unit's page).

    ``cascaded``: the activity has a konkretisering, which every unit below its owner
    answers."""
    if unit_path == owner_path:
        return ActivityRole.OWNER
    if cascaded and unit_path.startswith(owner_path):
        return ActivityRole.CASCADED
    if unit_path == plan_unit_path:
        return ActivityRole.PLAN_HOLDER
    return None


class ActivityAnswer(NamedTuple):
    """What an activity shows for a unit and reporting point.

    ``source``: ``report`` (the unit's own answer for the period), ``owner_report`` (the
    owning unit's answer, shown to the plan holder), ``activity`` (no answer for the
    period: the activity's current status), ``none`` (a konkretisering not answered yet:
    ``not_reported``)."""

    status: str
    comment: str
    source: str


def activity_answer(
    role: ActivityRole,
    *,
    activity_status: str,
    report: tuple[str, str] | None = None,
    owner_report: tuple[str, str] | None = None,
) -> ActivityAnswer:
    """The status and comment of an activity for a unit in ``role``.

    ``report``: the unit's own (status, comment) for the period, ``owner_report`` the
    owning unit's. The owner without an answer shows the activity's current status; a
    unit asked by a konkretisering that has not answered is ``not_reported`` (seed 002's
    complaint is statuses nobody changed: a missing answer must show, not vanish); the
    plan holder shows the owner's answer, else the activity's status."""
    if role is ActivityRole.PLAN_HOLDER:
        report, source = owner_report, "owner_report"
    else:
        source = "report"
    if report is not None:
        return ActivityAnswer(str(report[0]), report[1] or "", source)
    if role is ActivityRole.CASCADED:
        return ActivityAnswer(ActivityStatus.NOT_REPORTED.value, "", "none")
    return ActivityAnswer(str(activity_status), "", "activity")


# --- stale statuses ---------------------------------------------------------------------


class StaleReason(StrEnum):
    """Why a status is probably out of date."""

    COMMENT = "comment"  # planned, while the comment tells of work under way
    START_DATE = "start_date"  # planned, though the start date has passed


def stale_reason(
    status: str | None, start_date: dt.date | None, today: dt.date, comment: str = ""
) -> StaleReason | None:
    """Why an answer's status is a status someone forgot to change (seed 002: "flertalet
    aktiviteter som har status planerad ... de facto är påbörjade, men utan att statusen
    ändrats"), or None. Only *planned* goes stale: with a comment (someone wrote about
    the work but left the status), or after its start date (``today > start_date``)."""
    if status is None or ActivityStatus(status) is not ActivityStatus.PLANNED:
        return None
    if comment.strip():
        return StaleReason.COMMENT
    if start_date is not None and today > start_date:
        return StaleReason.START_DATE
    return None


def is_stale(
    status: str | None, start_date: dt.date | None, today: dt.date, has_comment: bool
) -> bool:
    """Whether ``stale_reason`` finds a reason (``has_comment``: the answer has a comment)."""
    return stale_reason(status, start_date, today, "x" if has_comment else "") is not None


def stale_message(
    reason: StaleReason | None, start_date: dt.date | None, *, language: str | None = None
) -> str:
    """The reason in a sentence, in the active language or in ``language`` ("sv" for the
    documents and ``styrkort evaluate``, which are Swedish whoever asks); "" for none."""
    if reason is None:
        return ""
    if language is not None:
        with translation.override(language):
            return stale_message(reason, start_date)
    if reason is StaleReason.COMMENT:
        return _("Status är ”Planerad” men kommentaren beskriver pågående arbete.")
    if reason is StaleReason.START_DATE and start_date is not None:
        return _("Status är fortfarande ”Planerad” fast startdatum %(date)s har passerat.") % {
            "date": start_date.isoformat()
        }
    return ""
