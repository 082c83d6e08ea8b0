"""The periodic task of the comparisons (`settings.STYRKORT_SCHEDULES`) and the job the
administrators' button queues."""

from __future__ import annotations

#: The schedule's name (settings.STYRKORT_SCHEDULES); a fetch from the button runs in its group.
SCHEDULE = "Hämta jämförelsevärden från Kolada"


def fetch_kolada() -> dict:
    """Fetch every organisation's Kolada KPIs; a failure raises (the jobs page shows the
    last error) and stores nothing. Without any indicator mapped there is nothing to do."""
    from styrkort.planning.models import Indicator

    from .services import fetch

    if not Indicator.objects.exclude(kolada_kpi="").exists():
        return {"skipped": "inga indikatorer med Kolada-nyckeltal"}
    return fetch().to_json()


def fetch_for(organisation_id: int, user_id: int | None = None) -> dict:
    """The administrators' button: fetch one organisation's KPIs."""
    from django.contrib.auth import get_user_model

    from styrkort.organisation.models import Organisation

    from .services import fetch

    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return fetch(Organisation.objects.get(pk=organisation_id), user=user).to_json()
