"""`styrkort bench report`'s second part, the region's compiled report for the synthetic
region, at the small size (a benchmark, not a timed test: the figures' presence, the
document's shape and the rollback are asserted)."""

from __future__ import annotations

import pytest

from styrkort.bench.reports import bench_region_report
from styrkort.rounds.models import ReportingRound

# Slow: generating the small synthetic region takes most of a minute on SQLite.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_small_region_report_bench_runs_and_leaves_nothing_behind():
    lines: list[str] = []
    result = bench_region_report("small", echo=lines.append)
    # Every unit valid in the period has a submission (one leaf closed the year before).
    assert result["region_units"] == 1 + 2 + 6 + 42 - 1
    assert result["region_period"] == "2026-DÅ04"
    # Inledning, Inrapportering, the scorecard, per division, two divisions, economy,
    # internal control.
    assert result["region_chapters"] == 8
    assert result["region_s"] > 0 and result["region_floor_s"] > 0
    assert result["region_target_s"] == 30.0
    assert any("Regionens sammanställda rapport" in line for line in lines)
    assert any("Golv (python-docx" in line for line in lines)
    assert not ReportingRound.objects.exists()  # the round and its approvals rolled back
