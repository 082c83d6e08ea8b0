"""A dump of every row of the follow-up and planning tables, history and link tables
included, for checking that a failed import left the database exactly as it was."""

from __future__ import annotations

from django.apps import apps
from django.db import connection

APPS = ("followup", "planning")


def tables() -> list[str]:
    names = set()
    for label in APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            names.add(model._meta.db_table)
    return sorted(names)


def dump() -> dict[str, list[tuple]]:
    """{table: every row, in primary-key order}, read with plain SQL."""
    result = {}
    with connection.cursor() as cursor:
        for table in tables():
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')
            result[table] = [tuple(row) for row in cursor.fetchall()]
    return result


def row_count() -> int:
    return sum(len(rows) for rows in dump().values())
