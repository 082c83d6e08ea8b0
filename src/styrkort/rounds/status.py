"""A round's status as plain data: what ``styrkort round status --json`` prints and
``GET /api/rounds/{id}/status/`` answers (one builder for both)."""

from __future__ import annotations

import datetime as dt

from .due import overview, round_state
from .models import ReportingRound


def round_json(
    rnd: ReportingRound, *, units=None, today: dt.date | None = None, progress=None
) -> dict:
    """{"org", "period", "state", "opens", "deadlines", "units": [...]}: the round, its
    deadlines ("default" and one per tree depth) and every unit's progress
    (``UnitProgress.as_json``), in tree order. `units` limits the list as
    ``due.overview`` does; `progress` is that overview when the caller has it."""
    if progress is None:
        progress = overview(rnd, units=units, today=today)
    return {
        "org": rnd.organisation.code,
        "period": rnd.period,
        "state": round_state(rnd, today),
        "opens": rnd.opens_on.isoformat(),
        "deadlines": {"default": rnd.deadline.isoformat(), **rnd.level_deadlines},
        "units": [u.as_json() for u in progress],
    }


def open_round_period(unit, today: dt.date | None = None):
    """The period of the latest round of `unit`'s organisation that is open and has
    opened by `today` (a Period), or None: the period the pages lead to while a round
    is running."""
    from django.utils import timezone

    from styrkort.periods import parse_period

    from .models import RoundState

    today = today or timezone.localdate()
    period = (
        ReportingRound.objects.filter(
            organisation_id=unit.organisation_id, state=RoundState.OPEN, opens_on__lte=today
        )
        .order_by("-period_end", "period_start")
        .values_list("period", flat=True)
        .first()
    )
    return parse_period(period) if period else None
