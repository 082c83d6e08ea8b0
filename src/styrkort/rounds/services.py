"""Write services of the follow-up cycle: open, extend, close and reopen a round; mark
a unit ready, approve it or return it; excuse a unit; name a substitute.

Each is a `styrkort.writes.service` (one transaction, the acting user in the history) and
applies the pure rules of ``rounds.rules``; the web pages, the API and the command line
call these and nothing else. Races are decided by row locks: two approvers of one unit
give one approval, an approval and a save of the same unit run one after the other.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from styrkort.followup.models import Analysis, Outcome
from styrkort.organisation.models import OrgUnit
from styrkort.organisation.permissions import Action, can, require
from styrkort.periods import Period, PeriodError, parse_period
from styrkort.planning.models import ActivityReport
from styrkort.text import normalise
from styrkort.writes import acting, delete, save, service

from . import rules
from .models import ReportingRound, RoundState, Submission, SubmissionState, Substitution


def top_unit(organisation) -> OrgUnit:
    """The organisation's top unit (the region): planners there run its rounds."""
    unit = OrgUnit.objects.filter(organisation=organisation).order_by("depth", "path").first()
    if unit is None:
        raise ValidationError(
            {"org": _("Organisationen %(org)s har inga enheter.") % {"org": organisation.name}}
        )
    return unit


def _period(text) -> Period:
    if isinstance(text, Period):
        return text
    try:
        return parse_period(str(text))
    except PeriodError as exc:
        raise ValidationError({"period": str(exc)}) from exc


def _require_round_admin(user, organisation) -> None:
    if user is not None:
        require(user, Action.PLAN, top_unit(organisation))


def _level_deadlines(levels: dict | None) -> dict[str, str]:
    out = {}
    for key, day in (levels or {}).items():
        if isinstance(day, str):
            try:
                day = dt.date.fromisoformat(day)
            except ValueError as exc:
                raise ValidationError(
                    {
                        "level_deadlines": _("Ogiltigt datum för nivå %(level)s: %(day)s.")
                        % {"level": key, "day": day}
                    }
                ) from exc
        out[str(int(key))] = day.isoformat()
    return out


def _check(opens_on, deadline, levels) -> None:
    errors = rules.check_deadlines(opens_on, deadline, levels)
    if errors:
        raise ValidationError(errors)


def round_units(organisation, period: Period):
    """The units that report in a round: every unit of the organisation that existed
    during the period, in tree order."""
    return (
        OrgUnit.objects.filter(organisation=organisation)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=period.end))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period.start))
        .order_by("path")
    )


def _create_submissions(rnd: ReportingRound, period: Period, user) -> None:
    """A submission (state open) for every unit of `round_units`, with its history row
    ('+', by `user`): two set-based statements, however many units the organisation has
    (a region's thousand units in a few milliseconds instead of a thousand objects)."""
    quote = connection.ops.quote_name
    sub = Submission._meta
    hist = Submission.history.model._meta
    values = {
        "round": ("%s", rnd.pk),
        "unit": ("u.id", None),
        "state": ("%s", SubmissionState.OPEN),
        "excused": ("%s", False),
        "excuse_reason": ("%s", ""),
        "comment": ("%s", ""),
        "approved_digest": ("%s", ""),
        "reopened": ("%s", False),
        "updated_at": ("%s", timezone.now()),
    }
    fields = [f for f in sub.concrete_fields if f.name in values]
    columns = ", ".join(quote(f.column) for f in fields)
    selects = ", ".join(values[f.name][0] for f in fields)
    # Each value as its field writes it (a datetime in the form the backend stores).
    params = [
        f.get_db_prep_value(values[f.name][1], connection)
        for f in fields
        if values[f.name][0] == "%s"
    ]
    units_sql, units_params = (
        round_units(rnd.organisation, period).values("id").order_by().query.sql_with_params()
    )
    copied = [f.column for f in sub.concrete_fields]
    history_columns = ", ".join(
        [quote(c) for c in copied]
        + [
            quote(hist.get_field(n).column)
            for n in ("history_date", "history_type", "history_user")
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(sub.db_table)} ({columns}) SELECT {selects} FROM ({units_sql}) u",
            [*params, *units_params],
        )
        cursor.execute(
            f"INSERT INTO {quote(hist.db_table)} ({history_columns})"
            f" SELECT {', '.join('s.' + quote(c) for c in copied)}, %s, '+', %s"
            f" FROM {quote(sub.db_table)} s WHERE s.{quote(sub.get_field('round').column)} = %s",
            [
                hist.get_field("history_date").get_db_prep_value(timezone.now(), connection),
                getattr(user, "pk", None),
                rnd.pk,
            ],
        )


@service
def open_round(
    *,
    user,
    organisation,
    period,
    deadline: dt.date,
    opens_on: dt.date | None = None,
    level_deadlines: dict | None = None,
) -> ReportingRound:
    """Open the round of `organisation` for `period` with a submission for every unit.
    Needs `plan` on the organisation's top unit."""
    _require_round_admin(user, organisation)
    per = _period(period)
    opens_on = opens_on or timezone.localdate()
    _refuse_existing(organisation, per)
    levels = _level_deadlines(level_deadlines)
    _check(opens_on, deadline, levels)
    rnd = ReportingRound(
        organisation=organisation, opens_on=opens_on, deadline=deadline, level_deadlines=levels
    )
    rnd.set_period(per)
    try:
        # Two openings at once: the second insert waits for the first to commit and then
        # breaks the unique constraint; it is told which round exists, like a later one.
        with transaction.atomic():
            save(rnd, user)
    except IntegrityError:
        _refuse_existing(organisation, per)
        raise
    _create_submissions(rnd, per, acting(user))
    return rnd


def _refuse_existing(organisation, per: Period) -> None:
    """Refuse a second round of an organisation for a period, naming the one there is."""
    rnd = ReportingRound.objects.filter(organisation=organisation, period=per.canonical).first()
    if rnd is None:
        return
    if rnd.state == RoundState.CLOSED:
        state = _("stängt")
    else:
        state = _("öppet med sista dag %(deadline)s") % {"deadline": rnd.deadline.isoformat()}
    raise ValidationError(
        {
            "period": _(
                "%(org)s har redan ett uppföljningstillfälle för %(period)s: %(round)s, %(state)s."
            )
            % {
                "org": organisation.name,
                "period": per.label_sv,
                "round": rules.round_title(rnd.period),
                "state": state,
            }
        }
    )


@service
def extend_round(
    *,
    user,
    round: ReportingRound,
    deadline: dt.date | None = None,
    level_deadlines: dict | None = None,
    reason: str = "",
) -> ReportingRound:
    """Move a round's deadlines (only later ones make sense for people already late, but
    any consistent set is accepted)."""
    _require_round_admin(user, round.organisation)
    rnd = ReportingRound.objects.select_for_update().get(pk=round.pk)
    if rnd.state == RoundState.CLOSED:
        raise ValidationError({"state": _("Tillfället är stängt; öppna det igen först.")})
    deadline = deadline or rnd.deadline
    levels = {**rnd.level_deadlines, **_level_deadlines(level_deadlines)}
    _check(rnd.opens_on, deadline, levels)
    rnd.deadline, rnd.level_deadlines = deadline, levels
    rnd.reason = normalise(reason)
    save(rnd, user)
    return rnd


@service
def close_round(*, user, round: ReportingRound) -> ReportingRound:
    """Close a round: every unit's data for its period is locked (reopening takes a
    reason). Closing a closed round locks again the units reopened in it since; with none
    reopened it is refused."""
    _require_round_admin(user, round.organisation)
    rnd = ReportingRound.objects.select_for_update().get(pk=round.pk)
    reopened = list(Submission.objects.select_for_update().filter(round=rnd, reopened=True))
    if rnd.state == RoundState.CLOSED and not reopened:
        raise ValidationError({"state": _("Tillfället är redan stängt.")})
    if rnd.state != RoundState.CLOSED:
        rnd.state = RoundState.CLOSED
        save(rnd, user)
    # A unit reopened (in the closed round, or before the round was reopened) is locked
    # again with the round.
    for sub in reopened:
        sub.reopened = False
        save(sub, user)
    return rnd


def _reason(reason: str) -> str:
    clean = normalise(reason or "")
    if not clean:
        raise ValidationError({"reason": _("Ange ett skäl till att öppna igen.")})
    return clean


@service
def reopen(*, user, round: ReportingRound, reason: str, unit=None):
    """Reopen a closed round, or one unit of a round (after approval or closing), with a
    reason kept in the history. A unit: needs `plan` on the unit above (or admin); a
    round: on the top unit."""
    reason = _reason(reason)
    rnd = ReportingRound.objects.select_for_update().get(pk=round.pk)
    if unit is None:
        _require_round_admin(user, rnd.organisation)
        if rnd.state == RoundState.OPEN:
            raise ValidationError({"state": _("Tillfället är redan öppet.")})
        rnd.state, rnd.reason = RoundState.OPEN, reason
        save(rnd, user)
        return rnd
    _require_approver(user, unit)
    sub = _submission(rnd, unit, lock=True)
    approved_above = (
        Submission.objects.filter(
            round=rnd, state=SubmissionState.APPROVED, unit__path__in=_ancestors(unit)
        )
        .order_by("unit__depth")
        .values_list("unit__name", flat=True)
        .first()
    )
    if approved_above:
        raise ValidationError(
            {"unit": _("%(above)s är godkänd; öppna den först.") % {"above": approved_above}}
        )
    if sub.state != SubmissionState.APPROVED and not (
        rnd.state == RoundState.CLOSED and not sub.reopened
    ):
        raise ValidationError({"unit": _("%(unit)s är inte låst.") % {"unit": unit.name}})
    sub.state = SubmissionState.OPEN
    sub.approved_at = sub.approved_by = None
    sub.reopened = rnd.state == RoundState.CLOSED
    sub.comment = reason
    save(sub, user)
    return sub


def _ancestors(unit) -> list[str]:
    from styrkort.organisation.lookup import ancestor_paths

    return ancestor_paths(unit)


def _submission(rnd: ReportingRound, unit, *, lock: bool = False) -> Submission:
    qs = Submission.objects.filter(round=rnd, unit=unit)
    if lock:
        qs = qs.select_for_update()
    sub = qs.first()
    if sub is None:
        raise ValidationError(
            {
                "unit": _("%(unit)s rapporterar inte i %(period)s.")
                % {"unit": unit.name, "period": parse_period(rnd.period).label_sv}
            }
        )
    return sub


def _facts(rnd: ReportingRound, sub: Submission) -> rules.Facts:
    # A unit reopened in a closed round goes through the cycle again (ready, returned,
    # approved), as in an open round; the round's other units stay closed.
    return rules.Facts(
        stored=sub.state,
        excused=sub.excused,
        ready_by_id=sub.ready_by_id,
        round_open=rnd.state == RoundState.OPEN or sub.reopened,
    )


def approver_unit(unit):
    """Whose planners approve `unit`: the unit above, or the top unit itself."""
    path = rules.approver_path(unit.path, unit.steplen)
    return unit if path == unit.path else OrgUnit.objects.get(path=path)


def _require_approver(user, unit) -> None:
    if user is None:
        return
    above = approver_unit(unit)
    if not can(user, Action.PLAN, above):
        raise PermissionDenied(
            _("Bara en planerare på %(above)s kan godkänna, återsända eller öppna %(unit)s.")
            % {"above": above.name, "unit": unit.name}
        )


def _refuse(message: str | None, field: str = "state") -> None:
    if message:
        raise ValidationError({field: message})


@service
def mark_ready(*, user, round: ReportingRound, unit) -> Submission:
    """Klarmarkera: the unit's reporter or planner says the report is ready for review
    (user None: a trusted system write, such as the demo loader's)."""
    if user is not None:
        require(user, Action.REPORT, unit)
    rnd = ReportingRound.objects.get(pk=round.pk)
    sub = _submission(rnd, unit, lock=True)
    _refuse(rules.refuse_mark_ready(_facts(rnd, sub)))
    sub.state = SubmissionState.READY
    sub.ready_by, sub.ready_at = acting(user), timezone.now()
    save(sub, user)
    return sub


def content_rows(rnd: ReportingRound, unit) -> tuple[list, list, list]:
    """The unit's outcomes, analyses and activity statuses for the round's period and
    every period inside it, as plain rows (what an approval's digest covers)."""
    inside = {"period_start__gte": rnd.period_start, "period_end__lte": rnd.period_end}
    outcomes = list(
        Outcome.objects.filter(unit=unit, **inside).values_list(
            "indicator_id", "period", "sex", "value", "numerator", "denominator"
        )
    )
    analyses = list(
        Analysis.objects.filter(unit=unit, **inside).values_list(
            "indicator_id", "goal_id", "period", "text"
        )
    )
    activities = list(
        ActivityReport.objects.filter(unit=unit, period=rnd.period).values_list(
            "activity_id", "status", "comment"
        )
    )
    return outcomes, analyses, activities


def content_digest(rnd: ReportingRound, unit) -> str:
    return rules.digest(*content_rows(rnd, unit))


@service
def approve(*, user, round: ReportingRound, unit) -> Submission:
    """Approve a ready unit (a planner of the unit above, never the person who marked it
    ready); its sub-units must be approved or excused. Records the content's digest."""
    _require_approver(user, unit)
    rnd = ReportingRound.objects.get(pk=round.pk)
    sub = _submission(rnd, unit, lock=True)
    waiting = (
        Submission.objects.filter(
            round=rnd, unit__path__startswith=unit.path, unit__depth=unit.depth + 1
        )
        .exclude(state=SubmissionState.APPROVED)
        .exclude(excused=True)
        .values_list("unit__name", flat=True)
    )
    user_id = getattr(user, "pk", None)
    _refuse(rules.refuse_approve(_facts(rnd, sub), user_id, waiting))
    sub.state = SubmissionState.APPROVED
    sub.approved_by, sub.approved_at = acting(user), timezone.now()
    sub.approved_digest = content_digest(rnd, unit)
    sub.comment = ""
    sub.reopened = False  # approved again in a closed round: locked by both again
    save(sub, user)
    return sub


@service
def return_submission(*, user, round: ReportingRound, unit, comment: str) -> Submission:
    """Send a ready unit back to its reporters with a comment (back to in progress)."""
    _require_approver(user, unit)
    rnd = ReportingRound.objects.get(pk=round.pk)
    sub = _submission(rnd, unit, lock=True)
    comment = normalise(comment or "")
    _refuse(rules.refuse_return(_facts(rnd, sub), comment), "comment")
    sub.state = SubmissionState.OPEN
    sub.comment = comment
    save(sub, user)
    return sub


@service
def excuse(*, user, round: ReportingRound, unit, reason: str) -> Submission:
    """Excuse a unit from a round (it has nothing to report this time), with a reason; an
    empty reason withdraws the excuse. Not in a closed round (unless the unit was
    reopened in it), not an approved unit."""
    _require_approver(user, unit)
    rnd = ReportingRound.objects.get(pk=round.pk)
    sub = _submission(rnd, unit, lock=True)
    _refuse(rules.refuse_excuse(_facts(rnd, sub)))
    reason = normalise(reason or "")
    sub.excused, sub.excuse_reason = bool(reason), reason
    save(sub, user)
    return sub


@service
def name_substitute(*, user, substitute, starts_on: dt.date, ends_on: dt.date) -> Substitution:
    """`user` names `substitute` to act with their roles from `starts_on` to `ends_on`."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Logga in för att utse en ersättare."))
    if substitute.pk == user.pk:
        raise ValidationError({"substitute": _("Du kan inte vara din egen ersättare.")})
    if not substitute.is_active:
        raise ValidationError(
            {"substitute": _("%(name)s har inget aktivt konto.") % {"name": substitute.username}}
        )
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("Slutdatum ligger före startdatum.")})
    if ends_on < timezone.localdate():
        raise ValidationError(
            {"ends_on": _("Slutdatum %(day)s har redan passerat.") % {"day": ends_on.isoformat()}}
        )
    if Substitution.objects.filter(
        user=user, substitute=substitute, starts_on__lte=ends_on, ends_on__gte=starts_on
    ).exists():
        raise ValidationError(
            {
                "substitute": _("%(name)s är redan din ersättare under en del av perioden.")
                % {"name": substitute.username}
            }
        )
    sub = Substitution(user=user, substitute=substitute, starts_on=starts_on, ends_on=ends_on)
    save(sub, user)
    return sub


@service
def remove_substitute(*, user, substitution: Substitution) -> None:
    """The person who named a substitute ends it (from now on the substitute has only
    their own roles)."""
    if not getattr(user, "is_authenticated", False) or substitution.user_id != user.pk:
        raise PermissionDenied(_("Bara den som utsåg ersättaren kan ta bort den."))
    delete(substitution, user)


def find_round(organisation, period) -> ReportingRound:
    per = _period(period)
    rnd = ReportingRound.objects.filter(organisation=organisation, period=per.canonical).first()
    if rnd is None:
        raise ValidationError(
            {
                "period": _("%(org)s har inget uppföljningstillfälle för %(period)s.")
                % {"org": organisation.name, "period": per.label_sv}
            }
        )
    return rnd
