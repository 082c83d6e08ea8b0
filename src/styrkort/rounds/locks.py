"""Locked periods: once a unit's submission is approved, or its round closed, nothing
of that unit (and its sub-units) for the round's period and every period inside it may
change, through any door. Services call `ensure_writable`; bulk writers and imports ask
a `LockIndex` built once.

A round locks a period when it covers it (``rules.covers``: DÅ04 covers January–April,
T1 and Q1) and either
- the round is closed and the unit has not been reopened in it, or
- the submission of the unit or of one of its superior units is approved.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from styrkort.organisation.lookup import ancestor_paths
from styrkort.periods import parse_period

from .models import ReportingRound, RoundState, Submission, SubmissionState
from .rules import covers


class PeriodLocked(ValidationError):
    """A write to a locked unit and period (HTTP 409 in the API, exit 2 from an import)."""

    def __init__(self, message: str, *, round_id: int, unit_code: str, period: str):
        # A form-wide error (NON_FIELD_ERRORS): pages show it above the form.
        super().__init__({NON_FIELD_ERRORS: ValidationError(message, code="locked")})
        self.round_id, self.unit_code, self.period = round_id, unit_code, period


def _label(period_text: str) -> str:
    return parse_period(period_text).label_sv


def _closed_message(unit, round_period: str) -> str:
    return _(
        "%(period)s är låst för %(unit)s: uppföljningstillfället är stängt. En planerare "
        "på enheten ovanför kan öppna enheten igen med ett skäl."
    ) % {"period": _label(round_period), "unit": unit.name}


def _approved_message(unit, round_period: str, approved_unit: str) -> str:
    return _(
        "%(period)s är låst för %(unit)s: rapporteringen för %(approved)s är godkänd. En "
        "planerare på enheten ovanför kan öppna den igen med ett skäl."
    ) % {"period": _label(round_period), "unit": unit.name, "approved": approved_unit}


def lock_reason(unit, start, end, *, for_update: bool = False) -> PeriodLocked | None:
    """Why `unit` may not change data for the period `start`–`end`, or None. Two small
    queries (the rounds covering the period, then the submissions that lock it).

    `for_update` first locks the unit's own submission rows (inside the caller's
    transaction), so that an approval of the unit waits for this write to end, and a
    write waits for an approval and then sees it."""
    rounds = {
        r.pk: r
        for r in ReportingRound.objects.filter(
            organisation_id=unit.organisation_id, period_start__lte=start, period_end__gte=end
        )
    }
    if not rounds:
        return None
    paths = ancestor_paths(unit, include_self=True)
    if for_update:
        list(
            Submission.objects.select_for_update()
            .filter(round_id__in=list(rounds), unit=unit)
            .values_list("pk", flat=True)
        )
    subs = Submission.objects.filter(round_id__in=list(rounds), unit__path__in=paths).values_list(
        "round_id", "unit_id", "state", "reopened", "unit__name"
    )
    own = {rid: (state, reopened) for rid, uid, state, reopened, _n in subs if uid == unit.pk}
    for rid, _uid, state, _reopened, name in subs:
        if state == SubmissionState.APPROVED:
            r = rounds[rid]
            return PeriodLocked(
                _approved_message(unit, r.period, name),
                round_id=rid,
                unit_code=unit.code,
                period=r.period,
            )
    for rid, r in rounds.items():
        if r.state == RoundState.CLOSED and not own.get(rid, ("", False))[1]:
            return PeriodLocked(
                _closed_message(unit, r.period), round_id=rid, unit_code=unit.code, period=r.period
            )
    return None


def ensure_writable(unit, period) -> None:
    """Raise PeriodLocked when `unit`'s data for `period` (a Period, or anything with
    `period_start` and `period_end`, such as a stored outcome) is locked."""
    if not hasattr(period, "start"):
        locked = lock_reason(unit, period.period_start, period.period_end, for_update=True)
        if locked is not None:
            raise locked
        return
    locked = lock_reason(unit, period.start, period.end, for_update=True)
    if locked is not None:
        raise locked


class LockIndex:
    """The locks of some organisations, loaded once (three queries), for writes of many
    rows: `reason(unit, start, end)` answers in memory."""

    def __init__(self, organisation_ids):
        ids = sorted(set(organisation_ids))
        self.rounds = list(
            ReportingRound.objects.filter(organisation_id__in=ids).values_list(
                "pk", "organisation_id", "period", "period_start", "period_end", "state"
            )
        )
        self.approved: dict[int, list[tuple[str, str]]] = defaultdict(list)
        self.reopened: dict[int, set[int]] = defaultdict(set)
        if not self.rounds:
            return
        round_ids = [r[0] for r in self.rounds]
        for rid, path, name in Submission.objects.filter(
            round_id__in=round_ids, state=SubmissionState.APPROVED
        ).values_list("round_id", "unit__path", "unit__name"):
            self.approved[rid].append((path, name))
        for rid, uid in (
            Submission.objects.filter(round_id__in=round_ids, reopened=True)
            .exclude(state=SubmissionState.APPROVED)
            .values_list("round_id", "unit_id")
        ):
            self.reopened[rid].add(uid)
        self._cache: dict[tuple, PeriodLocked | None] = {}

    def reason(self, unit, start, end) -> PeriodLocked | None:
        if not self.rounds:
            return None
        key = (unit.pk, start, end)
        if key in self._cache:
            return self._cache[key]
        found = None
        for rid, org_id, period, r_start, r_end, state in self.rounds:
            if org_id != unit.organisation_id or not covers(r_start, r_end, start, end):
                continue
            for path, name in self.approved.get(rid, ()):
                if unit.path.startswith(path):
                    found = PeriodLocked(
                        _approved_message(unit, period, name),
                        round_id=rid,
                        unit_code=unit.code,
                        period=period,
                    )
                    break
            if found is None and state == RoundState.CLOSED and unit.pk not in self.reopened[rid]:
                found = PeriodLocked(
                    _closed_message(unit, period), round_id=rid, unit_code=unit.code, period=period
                )
            if found is not None:
                break
        self._cache[key] = found
        return found
