"""`styrkort bench scorecard`: the harness's own logic (fast) and one real small run
against `serve --production` on PostgreSQL (slow)."""

import json
import os
import subprocess
import sys

import pytest
from django.db import connection

from styrkort.bench.scorecard import _read_stats, _summarise, bench_scorecard, format_result
from styrkort.commands import BadInput

LOCUST_HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\n"
)


def test_full_size_refuses_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("the refusal concerns SQLite")
    with pytest.raises(BadInput, match="PostgreSQL"):
        bench_scorecard("full")


def test_unknown_size_is_bad_input():
    with pytest.raises(BadInput, match="medium"):
        bench_scorecard("medium")


def test_reads_the_measured_row_and_login_failures(tmp_path):
    path = tmp_path / "scorecard_stats.csv"
    path.write_text(
        LOCUST_HEADER
        + "GET,login form,20,0,12,14.5,5,40,2100,0.5,0,12,13,14,15,20,31,38,40,40,40,40\n"
        + "POST,login,20,1,600,650.2,420,900,0,0.5,0.02,600,640,700,720,850,880,900,900,"
        "900,900,900\n"
        + "GET,scorecard,1234,2,41,47.9,18,230,98000,153.6,0.2,41,48,53,57,70,88,120,160,"
        "220,230,230\n"
        + ",Aggregated,1274,3,41,60.1,5,900,95000,154.6,0.2,41,48,53,57,72,90,300,700,"
        "900,900,900\n"
    )
    stats = _read_stats(path, "scorecard")
    assert stats["requests"] == 1234
    assert stats["failures"] == 2
    assert stats["login_failures"] == 1
    assert stats["logins"] == 20
    assert stats["p95_ms"] == 88.0
    assert stats["p50_ms"] == 41.0
    assert stats["rps"] == 153.6
    assert _read_stats(path, "trivial") is None


def _run(p95, failures=0, rps=100.0):
    return {
        "requests": 500,
        "failures": failures,
        "login_failures": 0,
        "logins": 20,
        "rps": rps,
        "p50_ms": p95 / 2,
        "p95_ms": p95,
        "p99_ms": p95 * 1.2,
        "mean_ms": p95 / 2,
        "max_ms": p95 * 2,
        "failure_messages": [],
    }


TARGET = {
    "unit": "NLL-LS1",
    "period": "2022-DÅ04",
    "scorecard_path": "/enheter/NLL-LS1/styrkort/?period=2022-D%C3%8504",
    "health_path": "/halsa/",
}


@pytest.mark.parametrize(
    ("page_p95", "floor_p95", "failures", "p95_check", "ratio_check", "passed"),
    [
        (90.0, 40.0, 0, "PASS", "PASS", True),  # 2.25x, under 100 ms
        (100.0, 40.0, 0, "PASS", "PASS", True),  # exactly 100 ms: the bound is inclusive
        (90.0, 30.0, 0, "PASS", "PASS", True),  # exactly 3x: inclusive
        (130.0, 60.0, 0, "FAIL", "PASS", False),
        (90.0, 20.0, 0, "PASS", "FAIL", False),  # 4.5x
        (50.0, 40.0, 3, "PASS", "PASS", False),  # failed requests fail the run
    ],
)
def test_summary_checks_both_targets(page_p95, floor_p95, failures, p95_check, ratio_check, passed):
    runs = {"scorecard": _run(page_p95, failures), "trivial": _run(floor_p95)}
    result = _summarise("small", "postgresql", 8, 5, TARGET, runs, 90000)
    assert result["ratio"] == pytest.approx(page_p95 / floor_p95)
    assert result["checks"] == {"p95": p95_check, "ratio": ratio_check}
    assert result["passed"] is passed
    assert result["failures"] == failures
    json.dumps(result)  # --json must be able to print it
    lines = format_result(result)
    assert f"p95 {page_p95:.0f} ms" in lines[0]
    assert lines[-1] == f"Totalt: {'PASS' if passed else 'FAIL'}"


def test_summary_with_writers_reports_writes_and_the_uncached_page():
    runs = {
        "scorecard": {**_run(140.0), "writes": 40, "write_errors": 0},
        "scorecard_own": {**_run(400.0), "writes": 41, "write_errors": 0},
        "trivial": {**_run(50.0), "writes": 39, "write_errors": 0},
    }
    result = _summarise(
        "small", "postgresql", 8, 5, TARGET, runs, 90000, writers=5, uncached_ms=21.5
    )
    # With writers the page may take up to 150 ms (p95), still at most 3x the trivial view.
    assert result["targets"]["p95_ms"] == 150.0
    assert set(result["checks"]) == {"p95", "ratio", "uncached", "writes"}
    assert set(result["checks"].values()) == {"PASS"}
    assert result["passed"] is True
    assert result["writes"] == 40 and result["writers"] == 5
    assert result["uncached_ms"] == 21.5
    assert result["ratio_own"] == pytest.approx(8.0)
    json.dumps(result)
    text = "\n".join(format_result(result))
    assert "40 skrivningar" in text
    assert "träffar enheten själv: p95 400 ms" in text
    assert "Utan cache i processen: 22 ms" in text
    # A refused write or a slow uncached page fails the run.
    runs["scorecard"]["write_errors"] = 2
    result = _summarise(
        "small", "postgresql", 8, 5, TARGET, runs, 90000, writers=5, uncached_ms=30.0
    )
    assert result["checks"]["writes"] == "FAIL" and result["checks"]["uncached"] == "FAIL"
    assert result["passed"] is False


def test_writers_must_be_a_sensible_number():
    with pytest.raises(BadInput, match="--writers"):
        bench_scorecard("small", writers=-1)


@pytest.mark.slow
def test_small_run_against_serve_production():
    url = os.environ.get("STYRKORT_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the benchmark runs against PostgreSQL (STYRKORT_DATABASE_URL)")
    completed = subprocess.run(
        [
            *(sys.executable, "-m", "styrkort.cli", "bench", "scorecard"),
            *("--size", "small", "--writers", "2", "--json"),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    result = json.loads(completed.stdout)
    assert result["database"] == "postgresql"
    assert result["period"] == "2022-DÅ04"
    for key in ("scorecard", "trivial"):
        run = result[key]
        assert run["requests"] > 0, key
        assert run["p95_ms"] is not None and run["p95_ms"] > 0, key
        assert run["failures"] == 0, run["failure_messages"]
        assert run["login_failures"] == 0, run["failure_messages"]
        assert run["logins"] == result["users"] == 20
    assert result["ratio"] == pytest.approx(
        result["scorecard"]["p95_ms"] / result["trivial"]["p95_ms"]
    )
    assert result["failures"] == 0
    assert result["single_user"]["scorecard_ms"] > 0
    assert result["single_user"]["trivial_ms"] > 0
    assert set(result["checks"].values()) <= {"PASS", "FAIL"}
    # Two writes a second during each run: to other units, then to the page's own unit.
    assert result["writers"] == 2
    assert result["writes"] > 0 and result["scorecard"]["write_errors"] == 0
    own = result["scorecard_own"]
    assert own["requests"] > 0 and own["failures"] == 0 and own["writes"] > 0
    assert result["uncached_ms"] > 0


def test_think_time_must_be_seconds(monkeypatch):
    monkeypatch.setenv("STYRKORT_BENCH_THINK_SECONDS", "en stund")
    with pytest.raises(BadInput, match="sekunder"):
        bench_scorecard("small")
    with pytest.raises(BadInput, match="mellan 0 och 60"):
        bench_scorecard("small", think_time=-1)
