"""A cheap token that changes whenever follow-up or plan data changes.

Every write to the models a scorecard is built from leaves a history row (simple-history,
bulk writes included), so the largest history id of each of those tables changes with
every change. One query reads them all; pages cache what they render under this token
and never have to be invalidated by hand.
"""

import functools

from django.apps import apps
from django.db import connection

# The historical tables a scorecard depends on.
VERSIONED_MODELS = [
    "organisation.Organisation",
    "organisation.OrgUnit",
    "planning.Plan",
    "planning.PlanLevel",
    "planning.Goal",
    "planning.Indicator",
    "planning.PlanIndicator",
    "planning.Target",
    "planning.Activity",
    "planning.ActivityReport",
    "followup.Outcome",
    "followup.Analysis",
    "followup.Assessment",
]


@functools.cache
def _version_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    tables = [apps.get_model(label).history.model._meta.db_table for label in VERSIONED_MODELS]
    return "SELECT " + ", ".join(f"(SELECT MAX(history_id) FROM {quote(t)})" for t in tables)


def data_version() -> str:
    """A string that differs after any change to the organisation tree, plans, targets,
    outcomes, analyses, assessments or activities (one SQL query, each part an index lookup)."""
    with connection.cursor() as cursor:
        cursor.execute(_version_sql(connection.vendor))
        row = cursor.fetchone()
    return ".".join(str(v or 0) for v in row)
