"""`styrkort bench evaluate` at the small size (a benchmark, not a timed test: only the
figures' presence and the query count are asserted), and the bench dispatch table."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from styrkort.bench.evaluate import SIZES, bench_evaluate
from styrkort.bench.management.commands import bench as bench_command
from styrkort.followup.queries import evaluate_tree, evaluate_unit
from styrkort.organisation.models import OrgUnit

pytestmark = pytest.mark.django_db


def test_small_bench_runs_and_query_count_does_not_grow():
    lines: list[str] = []
    result = bench_evaluate("small", echo=lines.append)
    spec = SIZES["small"]
    assert result["database"] in {"sqlite", "postgresql"}
    assert result["outcome_rows"] > 10_000
    # Every unit valid in the period (one leaf closed the year before) is evaluated.
    assert result["units"] == 1 + 2 + 6 + 42 - 1
    assert result["queries"] == result["queries_one_division"] <= 20
    assert result["wall_s"] > 0 and result["scorecards_s"] > 0
    assert any("SQL-frågor" in line for line in lines)
    if result["database"] == "sqlite":
        assert result["ratio"] is None and any("hoppas över" in line for line in lines)
    # The roll-ups are right: the region's total of a summed indicator equals the sum of
    # its valid leaves' own months, women plus men.
    root = OrgUnit.objects.get(code="BENCH-SMALL")
    tree = evaluate_tree(root, spec.period)
    from styrkort.followup.models import Outcome

    indicator = root.plans.get().placements.order_by("order").first().indicator
    assert indicator.aggregation == "sum" and indicator.measure_type == "flow"
    closed = list(OrgUnit.objects.filter(organisation=root.organisation, valid_to__isnull=False))
    expected = sum(
        Outcome.objects.filter(
            indicator=indicator, period__in=[f"{spec.years[-1]}-0{m}" for m in range(1, 5)]
        )
        .exclude(unit__in=closed)
        .values_list("value", flat=True)
    )
    node = tree.rollup(indicator.id)[root.id]
    assert node.reported.value == pytest.approx(expected)
    # from_units counts the leaves whose own values make up the total.
    reporting = (
        Outcome.objects.filter(indicator=indicator, period=f"{spec.years[-1]}-01")
        .exclude(unit__in=closed)
        .values("unit")
        .distinct()
        .count()
    )
    assert node.from_units == reporting
    # The tree and a single unit agree.
    division = OrgUnit.objects.get_children(root).first()
    alone = evaluate_unit(division, spec.period).indicator(indicator.code)
    assert alone.values == tree.unit(division.code).indicator(indicator.code).values
    trends = tree.trends()
    assert trends[(root.id, indicator.id, "total")][0] in {"better", "worse", "unchanged"}


def test_bench_command_json_and_missing_modules(monkeypatch):
    monkeypatch.setitem(bench_command.BENCHMARKS, "report", "styrkort.bench.not_there:bench_x")
    out = io.StringIO()
    call_command("bench", "report", "--size", "small", stdout=out)
    assert "inte tillgänglig ännu" in out.getvalue()
    out = io.StringIO()
    call_command("bench", "evaluate", "--size", "small", "--json", stdout=out, stderr=io.StringIO())
    data = json.loads(out.getvalue())
    assert data["benchmark"] == "evaluate" and data["queries"] == data["queries_one_division"]


def test_bench_command_bad_input():
    with pytest.raises(CommandError) as info:
        call_command("bench", "evaluate", "--size", "huge")
    assert info.value.returncode == 2
    with pytest.raises(CommandError):
        call_command("bench", "everything")


def test_bench_all_runs_every_available_benchmark(monkeypatch):
    calls = []
    monkeypatch.setattr(
        bench_command,
        "BENCHMARKS",
        {
            "evaluate": "styrkort.bench.evaluate:SIZES",  # any attribute: a stand-in
            "report": "styrkort.bench.not_there:bench_report",
        },
    )
    monkeypatch.setattr(
        bench_command, "load_benchmark", _fake_loader(calls, bench_command.load_benchmark)
    )
    out = io.StringIO()
    call_command("bench", "all", "--size", "small", "--json", stdout=out, stderr=io.StringIO())
    data = json.loads(out.getvalue())
    assert data["evaluate"] == {"benchmark": "evaluate", "size": "small"}
    assert data["report"] == {"benchmark": "report", "available": False}
    assert calls == ["evaluate", "report"]


def _fake_loader(calls, real):
    def load(name):
        calls.append(name)
        if name == "evaluate":
            return lambda size: {"benchmark": "evaluate", "size": size}
        return real(name)

    return load
