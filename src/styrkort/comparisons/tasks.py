"""The periodic task of the comparisons (`settings.STYRKORT_SCHEDULES`) and the job the
administrators' button queues."""

from __future__ import annotations


def fetch_kolada() -> dict:
    """Fetch every organisation's Kolada KPIs; a failure raises (the jobs page shows the
    last error) and stores nothing. Without any indicator mapped there is nothing to do."""
    from styrkort.planning.models import Indicator

    from .services import fetch

    if not Indicator.objects.exclude(kolada_kpi="").exists():
        return {"skipped": "inga indikatorer med Kolada-nyckeltal"}
    return fetch().to_json()
