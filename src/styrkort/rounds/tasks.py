"""The periodic task of the reporting rounds (`settings.STYRKORT_SCHEDULES`)."""

from __future__ import annotations


def send_reminders() -> dict:
    """Send today's reminder e-mails; the summary is kept as the task's result."""
    from .reminders import send

    run = send()
    return {
        "day": run.day.isoformat(),
        "sent": len(run.sent),
        "failed": run.failed,
        "skipped": {reason: len(names) for reason, names in run.skipped.items()},
    }
