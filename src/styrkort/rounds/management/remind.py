"""`styrkort round remind [--today DATE] [--dry-run] [--json]`: send today's reminder
e-mails now (the scheduled task does it daily); with --dry-run only show who would get
what."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management import CommandError

from styrkort.commands import BadInput


def add_parser(sub) -> None:
    p = sub.add_parser("remind", help="Skicka dagens påminnelser per e-post.")
    p.add_argument("--today", help="Dagen att räkna från, ÅÅÅÅ-MM-DD (standard: i dag).")
    p.add_argument("--dry-run", action="store_true", help="Visa bara vem som skulle få vad.")
    p.add_argument("--json", action="store_true", dest="as_json")


def run(command, *, today=None, dry_run=False, as_json=False, **_options) -> None:
    from styrkort.rounds.reminders import KINDS, send

    day = None
    if today:
        try:
            day = dt.date.fromisoformat(today)
        except ValueError as exc:
            raise BadInput(f"Ogiltigt datum för --today: '{today}' (skriv ÅÅÅÅ-MM-DD).") from exc
    result = send(day, dry_run=dry_run)
    if as_json:
        command.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        _fail_on(result)
        return
    verb = "skulle få" if dry_run else "får"
    count = len(result.reminders)
    command.stdout.write(f"Påminnelser {result.day}: {count} personer {verb} e-post.")
    words = {"report": "rapportera", "review": "granska", "overdue": "försenad"}
    for reminder in result.reminders:
        counts = {k: sum(1 for i in reminder.items if i.kind == k) for k in KINDS}
        what = ", ".join(f"{words[k]} {n}" for k, n in counts.items() if n)
        command.stdout.write(f"  {reminder.user.username} <{reminder.user.email}>: {what}")
    reasons = {
        "opted_out": "har stängt av påminnelserna",
        "no_address": "saknar e-postadress",
        "already_sent": "har redan fått dagens",
    }
    for reason, names in result.skipped.items():
        if names:
            command.stdout.write(f"  Inget till {', '.join(names)}: {reasons[reason]}.")
    _fail_on(result)


def _fail_on(result) -> None:
    if result.failed:
        raise CommandError(
            f"Kunde inte skickas till: {', '.join(result.failed)} (se loggen; "
            "de skickas vid nästa körning)."
        )
