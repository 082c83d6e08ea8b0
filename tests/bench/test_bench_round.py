"""`styrkort bench round` at the small size (a benchmark, not a timed test: the figures'
presence and the query count are asserted), and its place in `bench all`."""

from __future__ import annotations

import pytest

from styrkort.bench.management.commands.bench import BENCHMARKS, load_benchmark
from styrkort.bench.rounds import bench_round
from styrkort.rounds.models import ReportingRound

pytestmark = pytest.mark.django_db


def test_small_round_bench_runs_and_the_overview_query_count_does_not_grow():
    lines: list[str] = []
    result = bench_round("small", echo=lines.append)
    # Every unit valid in the period (one leaf closed the year before) has a submission.
    assert result["units"] == 1 + 2 + 6 + 42 - 1
    assert result["period"] == "2026-DÅ04"
    assert result["overview_queries"] == result["overview_queries_one_division"] <= 10
    assert result["division_units"] < result["units"]
    assert result["open_s"] > 0 and result["open_floor_s"] > 0
    assert result["overview_s"] > 0 and result["overview_floor_s"] > 0
    assert any("SQL-frågor för översikten" in line for line in lines)
    assert not ReportingRound.objects.exists()  # every timed run is rolled back


def test_bench_all_includes_the_round_benchmark():
    assert load_benchmark("round") is bench_round
    assert "round" in BENCHMARKS
