"""compiled.rows gives exactly the rows its queryset gives, however long the lists
(none, one, many), with LIKE patterns, dates, joins and converted columns, on SQLite
and on PostgreSQL, and compiles each shape once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import BooleanField, ExpressionWrapper, Q

from styrkort.followup.models import Outcome
from styrkort.followup.queries import compiled
from styrkort.followup.queries.compiled import Many, rows
from styrkort.organisation.models import OrgUnit
from styrkort.planning.models import Activity

pytestmark = pytest.mark.django_db


def _units(root_path, prefixes, ids):
    return (
        OrgUnit.objects.filter(Q(path__startswith=root_path) | Q(path__in=prefixes))
        .exclude(id__in=ids)
        .values_list("id", "code", "path", "valid_from")
        .order_by("path")
    )


def test_rows_equal_the_querysets_rows_for_every_list_length(world):
    ls1 = OrgUnit.objects.get(code="NLL-LS1")
    all_ids = list(OrgUnit.objects.order_by("id").values_list("id", flat=True))
    prefixes = [u.path for u in OrgUnit.objects.filter(depth=1)]
    key = ("test units", object())
    for excluded in ([], all_ids[:1], all_ids[:5], all_ids):
        for wanted_prefixes in ([], prefixes[:1], prefixes):
            got = rows(
                key,
                _units,
                root_path=ls1.path,
                prefixes=Many(wanted_prefixes, str),
                ids=Many(excluded),
            )
            assert got == list(_units(ls1.path, wanted_prefixes, excluded))
    assert sum(1 for k in compiled._COMPILED if k[0] == key) == 1


def test_dates_joins_and_converted_columns(world):
    def outcomes(start, end, root_path):
        return (
            Outcome.objects.filter(
                period_start__gte=start, period_end__lte=end, unit__path__startswith=root_path
            )
            .values_list("unit__code", "period_start", "period_end", "value")
            .order_by("unit__code", "period_start", "indicator_id", "sex")
        )

    root = OrgUnit.objects.get(code="NLL").path
    for start, end in ((dt.date(2022, 1, 1), dt.date(2022, 12, 31)), (dt.date(2030, 1, 1),) * 2):
        got = rows(("test outcomes",), outcomes, start=start, end=end, root_path=root)
        assert got == list(outcomes(start, end, root))
    assert got == []

    def activities(plan_ids):
        return (
            Activity.objects.filter(plan_id__in=plan_ids)
            .annotate(cascaded=ExpressionWrapper(~Q(concretisation=""), BooleanField()))
            .values_list("id", "cascaded", "start_date", "owner_unit__path")
            .order_by("id")
        )

    plan_ids = list(Activity.objects.values_list("plan_id", flat=True).distinct())
    got = rows(("test activities",), activities, plan_ids=Many(plan_ids))
    assert got == list(activities(plan_ids))
    assert all(isinstance(cascaded, bool) for _id, cascaded, *_rest in got)
