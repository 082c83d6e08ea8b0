"""The backup tests' steps, the same on SQLite and PostgreSQL: `styrkort` and the clients
(backup_clients.py) run as processes against a database of the test's own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
FIXTURES = HERE.parents[1] / "src" / "styrkort" / "demo" / "fixtures"
#: Region Norrbotten's seed files: NLL-LS1 with its plan and outcomes for 2022-DÅ04
DEMO_FILES = sorted(path.name for path in FIXTURES.glob("0*.yaml"))
EVALUATE = ("evaluate", "--org", "NLL-LS1", "--period", "2022-DÅ04", "--json")


def environment(var_dir: Path, database_url: str | None = None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("STYRKORT_")
        and key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env["STYRKORT_VAR_DIR"] = str(var_dir)
    if database_url:
        env["STYRKORT_DATABASE_URL"] = database_url
    return env


def cli(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "styrkort.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def clients(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, str(HERE / "backup_clients.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def seed(env: dict[str, str]) -> None:
    """The demo's Norrbotten files and the clients' user."""
    ok(cli(env, "demo", "--no-users", *DEMO_FILES))
    clients(env, "prepare")


def counts(env: dict[str, str]) -> dict:
    return json.loads(clients(env, "counts").stdout)


def _progress(path: Path) -> dict[str, int]:
    try:
        data = json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        return {}
    data.pop("_done", None)
    return data


def backup_while_writing(env: dict[str, str], work: Path) -> dict:
    """Back up while ten clients save outcomes; what was true at backup time."""
    base = counts(env)
    stop, progress = work / "stop", work / "progress.json"
    writer = subprocess.Popen(
        [sys.executable, str(HERE / "backup_clients.py"), "write", str(stop), str(progress)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not (len(p := _progress(progress)) == 10 and min(p.values()) >= 5):
            assert writer.poll() is None, writer.communicate()[1]
            assert time.monotonic() < deadline, "the clients did not get going"
            time.sleep(0.05)
        evaluation = ok(cli(env, *EVALUATE))
        before = _progress(progress)  # committed before the backup started
        made = cli(env, "backup", str(work / "styrkort.tar.gz"))
        during = _progress(progress)
    finally:
        stop.touch()
        _, errors = writer.communicate(timeout=60)
    assert writer.returncode == 0, errors
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("Säkerhetskopia skriven: ")
    after = _progress(progress)
    assert sum(after.values()) > sum(before.values())  # they wrote while it ran
    return {
        "file": work / "styrkort.tar.gz",
        "evaluation": evaluation,
        "history": base["history"],
        "before": before,
        "during": during,
        "after": after,
    }


def change_restore_and_check(env: dict[str, str], taken: dict) -> dict:
    """Change what `evaluate` shows, restore, and compare with backup time; returns the
    restored counts."""
    clients(env, "change")
    assert ok(cli(env, *EVALUATE)) != taken["evaluation"]

    restored = cli(env, "restore", "--force", str(taken["file"]))
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith(f"Återställt från {taken['file']}: databasen")

    assert ok(cli(env, *EVALUATE)) == taken["evaluation"]
    now = counts(env)
    saved = {code: value for code, (value, _) in now["clients"].items()}
    for code, (value, history) in now["clients"].items():
        # one instant: each outcome with exactly its own history
        assert history == value, code
        # nothing saved before the backup started is missing
        assert taken["before"][code] <= value <= taken["after"][code], code
    # the history tables hold what they held at backup time: the seed's rows and one row
    # per save the copy holds
    assert now["history"] == taken["history"] + sum(saved.values())
    return now
