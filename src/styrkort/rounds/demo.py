"""Demo fixture kind `round` (docs/demo-fixtures.md): an organisation's reporting round
and where each unit stands in it, brought there through ``rounds.services`` with the
demo users as the people who act (so four eyes hold: the one who marks a unit ready is
never the one who approves it).

```yaml
kind: round
organisation: nll
period: 2022-DÅ04
opens_on: 2022-05-02
deadline: 2022-05-20
level_deadlines: {3: 2022-05-13}      # tree depth: an earlier deadline
closed: true                            # closed after the approvals
default: {state: approved, approved_by: admin, ready_at: 2022-05-16, approved_at: 2022-05-23}
units:                                  # per unit, over the default
  NLL-LS1-IM: {ready_by: rapportor, approved_by: planerare}
  NLL-LS1-IM-SUN: {state: returned, ready_by: rapportor, returned_by: planerare,
                   comment: "..."}
```

States: `not_started` (nothing is done), `ready`, `approved`, `returned` (marked ready,
then sent back with `comment`). `ready_by`, `approved_by`, `returned_by` are demo user
names (None: a system write); `ready_at` and `approved_at` the days it happened (the
services record the moment of loading; the demo keeps the document's days).
Loading again changes nothing: a unit already in its state is left alone, an existing
round is not opened again and a closed round not closed again.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from styrkort.demo.loader import LoadContext, register_kind
from styrkort.writes import save, service

from . import services
from .models import ReportingRound, RoundState, Submission, SubmissionState

FILE_KEYS = {
    "seed",
    "section",
    "kind",
    "organisation",
    "period",
    "opens_on",
    "deadline",
    "level_deadlines",
    "closed",
    "default",
    "units",
}
UNIT_KEYS = {
    "state",
    "ready_by",
    "ready_at",
    "approved_by",
    "approved_at",
    "returned_by",
    "comment",
}
STATES = ("not_started", "ready", "approved", "returned")


def _check_keys(ctx: LoadContext, data, allowed: set[str]) -> None:
    if not isinstance(data, dict):
        raise ctx.error("förväntade en mappning", data)
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ctx.error("okänt fält", ", ".join(unknown))


def _user(ctx: LoadContext, name):
    if name in (None, ""):
        return None
    from styrkort.demo.users import DEMO_USERS, create_demo_users

    if name not in {u["username"] for u in DEMO_USERS}:
        raise ctx.error("okänd demoanvändare", name)
    key = ("demo-user", name)
    if key not in ctx.stats.cache:
        ctx.stats.cache[key] = create_demo_users(usernames=[name], passwords=False)[0]
    return ctx.stats.cache[key]


def _moment(ctx: LoadContext, value, what: str) -> dt.datetime | None:
    day = ctx.date(value, what)
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


@service
def record_days(*, user, submission: Submission, ready_at=None, approved_at=None) -> None:
    """Keep the days a document gives for a demo unit's ready mark and approval."""
    changed = False
    for name, value in (("ready_at", ready_at), ("approved_at", approved_at)):
        if value is not None and getattr(submission, name) != value:
            setattr(submission, name, value)
            changed = True
    if changed:
        save(submission, user)


def load_round(doc: dict, ctx: LoadContext) -> None:
    _check_keys(ctx, doc, FILE_KEYS)
    org = ctx.organisation(ctx.require(doc, "organisation"))
    period = ctx.period(ctx.require(doc, "period"))
    rnd = ReportingRound.objects.filter(organisation=org, period=period.canonical).first()
    if rnd is None:
        levels = {
            str(k): ctx.date(v, f"level_deadlines {k}").isoformat()
            for k, v in (doc.get("level_deadlines") or {}).items()
        }
        rnd = services.open_round(
            user=None,
            organisation=org,
            period=period,
            opens_on=ctx.date(ctx.require(doc, "opens_on"), "opens_on"),
            deadline=ctx.date(ctx.require(doc, "deadline"), "deadline"),
            level_deadlines=levels,
        )
        ctx.stats.created["rounds.ReportingRound"] += 1
    else:
        ctx.stats.unchanged["rounds.ReportingRound"] += 1
    default = doc.get("default") or {}
    _check_keys(ctx, default, UNIT_KEYS)
    specs = doc.get("units") or {}
    if not isinstance(specs, dict):
        raise ctx.error("'units' ska vara en mappning från enhetskod")
    subs = {s.unit.code: s for s in Submission.objects.filter(round=rnd).select_related("unit")}
    for code in specs:
        if code not in subs:
            raise ctx.error("enheten rapporterar inte i tillfället", code)
    wanted = {}
    for code in subs:
        with ctx.at(code):
            spec = {**default, **(specs.get(code) or {})}
            _check_keys(ctx, spec, UNIT_KEYS)
            ctx.choice(spec.get("state", "not_started"), STATES, "state")
            wanted[code] = spec
    # Ready marks first, then approvals from the deepest units up (a unit is approved
    # after its sub-units), then returns; the round is closed last.
    for code, spec in wanted.items():
        state = spec.get("state", "not_started")
        sub = subs[code]
        if state in ("ready", "approved", "returned") and sub.state == SubmissionState.OPEN:
            if state == "returned" and sub.comment:
                continue
            with ctx.at(code):
                services.mark_ready(user=_user(ctx, spec.get("ready_by")), round=rnd, unit=sub.unit)
                ctx.stats.updated["rounds.Submission"] += 1
    for code, spec in sorted(wanted.items(), key=lambda item: -subs[item[0]].unit.depth):
        sub = Submission.objects.get(pk=subs[code].pk)
        with ctx.at(code):
            if spec.get("state") == "approved" and sub.state != SubmissionState.APPROVED:
                services.approve(user=_user(ctx, spec.get("approved_by")), round=rnd, unit=sub.unit)
                ctx.stats.updated["rounds.Submission"] += 1
            elif spec.get("state") == "returned" and sub.state == SubmissionState.READY:
                services.return_submission(
                    user=_user(ctx, spec.get("returned_by")),
                    round=rnd,
                    unit=sub.unit,
                    comment=ctx.require(spec, "comment"),
                )
                ctx.stats.updated["rounds.Submission"] += 1
            sub = Submission.objects.get(pk=sub.pk)
            record_days(
                user=None,
                submission=sub,
                ready_at=_moment(ctx, spec.get("ready_at"), "ready_at") if sub.ready_at else None,
                approved_at=_moment(ctx, spec.get("approved_at"), "approved_at")
                if sub.approved_at
                else None,
            )
    rnd.refresh_from_db()
    if doc.get("closed") and rnd.state == RoundState.OPEN:
        services.close_round(user=None, round=rnd)


register_kind("round", load_round)
