"""`styrkort bench load`: a reporting round's traffic (readers, reporters saving outcomes,
planners ordering reports) against `serve --production` and the worker. The harness's own
logic (fast) and one real small run on PostgreSQL (slow)."""

import json
import os
import subprocess
import sys

import pytest
from django.db import connection
from test_bench_scorecard import LOCUST_HEADER as HEADER

from styrkort.bench.load import _read_stats, bench_load, format_result
from styrkort.commands import BadInput


def test_full_size_refuses_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("the refusal concerns SQLite")
    with pytest.raises(BadInput, match="PostgreSQL"):
        bench_load("full")


def test_unknown_size_is_bad_input():
    with pytest.raises(BadInput, match="medium"):
        bench_load("medium")


def test_reads_every_kind_of_request_and_prints_failures(tmp_path):
    path = tmp_path / "load_stats.csv"
    path.write_text(
        HEADER
        + "GET,scorecard,120,0,80,90,20,900,50000,4.0,0,80,90,95,100,120,150,200,300,900,900,900\n"
        + "POST,save outcome,30,2,120,130,40,800,0,1.0,0,"
        + "120,130,140,150,170,210,400,800,800,800,800\n"
        + ",Aggregated,150,2,90,95,20,900,40000,5.0,0,90,95,100,110,130,160,210,300,900,900,900\n"
    )
    stats = _read_stats(path)
    assert set(stats) == {"scorecard", "save outcome"}
    assert stats["save outcome"] == {
        "requests": 30,
        "failures": 2,
        "p50_ms": 120.0,
        "p95_ms": 210.0,
        "max_ms": 800.0,
    }
    lines = format_result(
        {
            "requests": stats,
            "server_errors": 0,
            "failure_messages": ["POST save outcome: inte sparat (HTTP 422) (2x)"],
            "passed": False,
        }
    )
    assert lines[1].split() == ["scorecard", "120", "0", "80", "ms", "150", "ms"]
    assert "inte sparat (HTTP 422)" in lines[-2]
    assert lines[-1].endswith("FAIL")


@pytest.mark.slow
def test_small_run_against_serve_production_and_the_worker():
    url = os.environ.get("STYRKORT_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the benchmark runs against PostgreSQL (STYRKORT_DATABASE_URL)")
    completed = subprocess.run(
        [sys.executable, "-m", "styrkort.cli", "bench", "load", "--size", "small", "--json"],
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    result = json.loads(completed.stdout)
    assert result["database"] == "postgresql"
    assert result["users"] == 10 and result["window_s"] == 20
    requests = result["requests"]
    assert requests["sign in"]["requests"] == 10
    for kind in ("scorecard", "pages", "reporting page", "save outcome"):
        assert requests[kind]["requests"] > 0, kind
    assert result["failures"] == 0, result["failure_messages"]
    assert result["server_errors"] == 0
    assert result["passed"] is True
