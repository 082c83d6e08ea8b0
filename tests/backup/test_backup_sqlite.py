"""`styrkort backup` and `restore` on an SQLite file (the embedded default): a backup taken
while ten clients write restores to what was true at backup time; a backup of another
schema version or vendor, a damaged file and a database with data (without --force) are
refused with one Swedish line and exit 2, the database untouched."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from backup_flow import (
    EVALUATE,
    backup_while_writing,
    change_restore_and_check,
    cli,
    environment,
    ok,
    seed,
)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """A var directory with the seed and an uploaded file, and a backup of it."""
    root = tmp_path_factory.mktemp("seeded")
    var_dir = root / "var"
    env = environment(var_dir)
    seed(env)
    upload = var_dir / "media" / "imports" / "utfall.csv"
    upload.parent.mkdir(parents=True)
    upload.write_text("Indikator;Enhet;Period;Värde\n", encoding="utf-8")
    ok(cli(env, "backup", str(root / "styrkort.tar.gz")))
    return {"var": var_dir, "file": root / "styrkort.tar.gz", "evaluation": ok(cli(env, *EVALUATE))}


@pytest.fixture
def installation(seeded, tmp_path):
    """A copy of the seeded var directory for one test."""
    var_dir = tmp_path / "var"
    shutil.copytree(seeded["var"], var_dir)
    return environment(var_dir), var_dir


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _refused(env, var_dir: Path, *args: str) -> str:
    """Run a restore that must be refused; returns its one line. The database and the
    uploaded files are what they were."""
    database = var_dir / "styrkort.sqlite3"
    before = _sha(database), sorted(p.name for p in (var_dir / "media").rglob("*"))
    result = cli(env, "restore", *args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("styrkort: "), result.stderr
    assert (_sha(database), sorted(p.name for p in (var_dir / "media").rglob("*"))) == before
    return lines[0]


def _rewritten(source: Path, target: Path, edit) -> Path:
    """A copy of the backup file with its manifest edited by `edit(manifest)`."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        manifest = None
        for member in old.getmembers():
            data = old.extractfile(member).read() if member.isfile() else None
            if member.name == "manifest.json":
                manifest = json.loads(data)
                edit(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            elif member.name.startswith("database.") and manifest is not None:
                member.name = manifest["database"]["member"]
            new.addfile(member, io.BytesIO(data) if data is not None else None)
    return target


def test_backup_while_ten_clients_write_restores_the_moment_of_the_backup(installation, tmp_path):
    env, _ = installation
    taken = backup_while_writing(env, tmp_path)
    change_restore_and_check(env, taken)


def test_restore_into_a_new_installation(seeded, tmp_path):
    env = environment(tmp_path / "new")
    result = cli(env, "restore", str(seeded["file"]))  # an empty database: no --force
    assert result.returncode == 0, result.stderr
    assert "och 1 uppladdade filer" in result.stdout
    # a new installation made its own secret key: the restore says so
    assert "den hemliga nyckeln är inte densamma" in result.stderr
    assert ok(cli(env, *EVALUATE)) == seeded["evaluation"]
    assert (
        (tmp_path / "new" / "media" / "imports" / "utfall.csv").read_text().startswith("Indikator;")
    )


def test_a_database_with_data_needs_force(seeded, installation):
    env, var_dir = installation
    line = _refused(env, var_dir, str(seeded["file"]))
    assert line == (
        "styrkort: Databasen innehåller redan uppgifter; ange --force för att ersätta dem "
        "med säkerhetskopians (gör gärna en kopia av dem först)."
    )


def test_another_schema_version_is_refused(seeded, installation, tmp_path):
    env, var_dir = installation
    with tarfile.open(seeded["file"]) as tar:
        current = json.loads(tar.extractfile("manifest.json").read())
    latest = current["migrations"]["followup"]

    def older(manifest):
        manifest["migrations"]["followup"] = "0001_initial"

    line = _refused(env, var_dir, "--force", str(_rewritten(seeded["file"], tmp_path / "a", older)))
    assert line == (
        "styrkort: Säkerhetskopian har en annan schemaversion än denna Styrkort "
        f"(followup: kopian 0001_initial, programmet {latest}). Återställ den med "
        f"Styrkort {current['styrkort_version']}, som gjorde den, och uppgradera sedan."
    )

    def newer(manifest):
        manifest["migrations"]["followup"] = "9999_from_the_future"
        manifest["migrations"]["budget"] = "0001_initial"

    line = _refused(env, var_dir, "--force", str(_rewritten(seeded["file"], tmp_path / "b", newer)))
    assert "followup: kopian 9999_from_the_future" in line
    assert "budget: kopian 0001_initial, programmet saknas" in line


def test_another_vendor_is_refused(seeded, installation, tmp_path):
    env, var_dir = installation

    def postgres(manifest):
        manifest["vendor"] = "postgresql"
        manifest["database"]["member"] = "database.pgdump"

    line = _refused(
        env, var_dir, "--force", str(_rewritten(seeded["file"], tmp_path / "pg", postgres))
    )
    assert line.startswith(
        "styrkort: Säkerhetskopian är gjord från PostgreSQL, men denna Styrkort använder SQLite"
    )


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _flipped(data: bytes) -> bytes:
    damaged = bytearray(data)
    damaged[len(damaged) // 2] ^= 0xFF
    return bytes(damaged)


@pytest.mark.parametrize(
    ("damage", "start"),
    [
        (_truncated, "styrkort: Säkerhetskopian {} är skadad eller ofullständig ("),
        (_flipped, "styrkort: Säkerhetskopian {} är skadad eller ofullständig ("),
        (lambda data: b"", "styrkort: {} är ingen läsbar säkerhetskopia från Styrkort"),
        (lambda data: b"Enhet;Period\n", "styrkort: {} är ingen läsbar säkerhetskopia"),
    ],
    ids=["truncated", "flipped-byte", "empty", "not-a-backup"],
)
def test_a_damaged_file_is_refused(seeded, installation, tmp_path, damage, start):
    env, var_dir = installation
    path = tmp_path / "damaged.tar.gz"
    path.write_bytes(damage(seeded["file"].read_bytes()))
    line = _refused(env, var_dir, "--force", str(path))
    assert line.startswith(start.format(path)), line


def test_a_dump_not_matching_its_checksum_is_refused(seeded, installation, tmp_path):
    env, var_dir = installation

    def wrong(manifest):
        manifest["database"]["sha256"] = "0" * 64

    path = _rewritten(seeded["file"], tmp_path / "wrong", wrong)
    line = _refused(env, var_dir, "--force", str(path))
    assert line == (
        f"styrkort: Säkerhetskopian {path} är skadad eller ofullständig (databasen stämmer "
        "inte med sin kontrollsumma); inget är återställt."
    )
