"""SQLite: copy and load with the online backup API (`sqlite3.Connection.backup`).

A plain copy of the running file misses what is still in the write-ahead log and can
catch a page half written; the backup API copies the database as one read transaction
sees it, while others go on writing."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from .archive import BackupError


def database_path(settings_dict: dict) -> Path:
    name = str(settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError("En databas i minnet kan inte säkerhetskopieras.")
    return Path(name)


def _open_existing(path: Path, timeout: float = 30) -> sqlite3.Connection:
    # mode=rw: never create an empty database where the real one was expected
    return sqlite3.connect(f"file:{quote(str(path))}?mode=rw", uri=True, timeout=timeout)


def dump(source: Path, target: Path) -> list[tuple[str, str]]:
    """Copy the database at `source` to the new file `target` in one step (all pages
    under one read transaction: one instant of the database); returns the migrations
    applied in the copy."""
    if not source.is_file():
        raise BackupError(f"Databasfilen finns inte: {source}")
    src = _open_existing(source)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)  # pages=-1: every page in one step
            return _migrations(dst)
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise BackupError(f"Databasen kunde inte kopieras: {exc}") from exc
    finally:
        src.close()


def _migrations(con: sqlite3.Connection) -> list[tuple[str, str]]:
    try:
        return [tuple(row) for row in con.execute("SELECT app, name FROM django_migrations")]
    except sqlite3.OperationalError as exc:
        raise BackupError(
            "Databasen saknar Styrkorts tabeller: det finns inget att säkerhetskopiera."
        ) from exc


def verify(staged: Path) -> list[tuple[str, str]]:
    """Check the unpacked copy (SQLite's quick_check); returns its applied migrations."""
    try:
        con = _open_existing(staged)
        try:
            result = con.execute("PRAGMA quick_check").fetchone()[0]
            migrations = _migrations(con)
        finally:
            con.close()
    except (sqlite3.DatabaseError, BackupError) as exc:
        raise BackupError(f"Databasen i säkerhetskopian går inte att läsa: {exc}") from exc
    if result != "ok":
        raise BackupError(f"Databasen i säkerhetskopian är skadad: {result}")
    return migrations


def load(staged: Path, target: Path) -> None:
    """Replace the content of the live database at `target` with the checked copy.

    The backup API writes every page into the live file in one write transaction:
    another process reads the old database or the new, never a mix, and a crash half-way
    leaves the old one (SQLite's journal rolls it back). A renamed file would leave a
    running process reading, and writing, the old file that no longer has a name."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = _open_existing(staged)
    try:
        dst = sqlite3.connect(target, timeout=60)
        try:
            src.backup(dst)
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise BackupError(f"Databasen kunde inte återställas (den är oförändrad): {exc}") from exc
    finally:
        src.close()
