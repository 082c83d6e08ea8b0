"""A command on a fresh installation migrates the database first: `styrkort evaluate` and
`styrkort demo` on an empty SQLite file answer as they should, never "no such table"."""

import os
import subprocess
import sys


def _cli(*args, var_dir):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("STYRKORT_") and key != "DJANGO_SETTINGS_MODULE"
    }
    env["STYRKORT_VAR_DIR"] = str(var_dir)  # the embedded SQLite file lives here
    return subprocess.run(
        [sys.executable, "-m", "styrkort.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_commands_on_a_fresh_database(tmp_path):
    assert not (tmp_path / "styrkort.sqlite3").exists()
    # The first command finds no tables: it migrates, then answers the bad --org in one line.
    unknown = _cli("evaluate", "--org", "NLL-LS1", "--period", "2022-DÅ04", var_dir=tmp_path)
    assert unknown.returncode == 2, unknown.stderr
    assert unknown.stderr.strip() == (
        "styrkort: Okänd enhet: 'NLL-LS1' (ange enhetens kod eller exakta namn)."
    )

    demo = _cli("demo", "--no-users", "001-norrbotten-organisation.yaml", var_dir=tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert "Traceback" not in demo.stderr and "no such table" not in demo.stderr
    assert demo.stdout.startswith("Demodata inläst från 1 filer")

    evaluated = _cli(
        "evaluate", "--org", "NLL-LS1", "--period", "2022-DÅ04", "--json", var_dir=tmp_path
    )
    assert evaluated.returncode == 0, evaluated.stderr
    assert '"name": "Division Länssjukvård 1"' in evaluated.stdout
