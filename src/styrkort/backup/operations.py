"""Make a backup file and restore one (the commands `styrkort backup` and `restore`)."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from . import postgres, sqlite
from .archive import (
    VENDOR_NAMES,
    BackupError,
    check_compatible,
    code_migrations,
    key_fingerprint,
    latest_migrations,
    make_manifest,
    unpack,
    write_archive,
)


@dataclass
class Outcome:
    manifest: dict
    media_files: int
    key_differs: bool = False


def _vendor(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in VENDOR_NAMES:
        raise BackupError(f"Databasen {vendor} kan inte säkerhetskopieras av Styrkort.")
    return vendor


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


@contextlib.contextmanager
def _staging(near: Path):
    """A private directory on the same file system as `near` (renames stay renames)."""
    near.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=".styrkort-backup-", dir=near))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def make_backup(target: Path, alias: str = DEFAULT_DB_ALIAS) -> Outcome:
    """Write the database and the uploaded files to `target`, consistent while others
    write: the database is copied at one instant, the uploaded files after it (so every
    file a copied row names is there)."""
    target = Path(target).absolute()
    if target.is_dir():
        raise BackupError(f"{target} är en katalog: ange en fil, t.ex. styrkort-2025-01-31.tar.gz")
    if not target.parent.is_dir():
        raise BackupError(f"Katalogen finns inte: {target.parent}")
    vendor = _vendor(alias)
    settings_dict = connections[alias].settings_dict
    with _staging(target.parent) as staging:
        dumped = staging / "database"
        if vendor == "sqlite":
            applied = sqlite.dump(sqlite.database_path(settings_dict), dumped)
        else:
            before = _applied(alias)
            postgres.dump(settings_dict, dumped)
            applied = _applied(alias)
            if applied != before:
                raise BackupError("Databasen migrerades medan kopian togs: ta en ny kopia.")
        manifest = make_manifest(
            vendor=vendor, migrations=latest_migrations(applied), database=dumped
        )
        files = write_archive(target, manifest, dumped, _media_root())
    return Outcome(manifest, files)


def _applied(alias: str) -> list[tuple[str, str]]:
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connections[alias])
    if not recorder.has_table():
        raise BackupError(
            "Databasen saknar Styrkorts tabeller: det finns inget att säkerhetskopiera."
        )
    return sorted(recorder.applied_migrations())


def database_has_data(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether the database holds anything of Styrkort's (a user, a unit, a plan, ...):
    a freshly migrated database holds only Django's content types and permissions."""
    from django.apps import apps

    connection = connections[alias]
    try:
        tables = set(connection.introspection.table_names())
        for model in apps.get_models():
            meta = model._meta
            if meta.proxy or not meta.managed or not model.__module__.startswith("styrkort."):
                continue
            if meta.db_table in tables and model._base_manager.using(alias).exists():
                return True
    except DatabaseError:
        return True  # cannot tell: treat as not empty
    return False


def restore_backup(source: Path, *, force: bool = False, alias: str = DEFAULT_DB_ALIAS) -> Outcome:
    """Replace the database and the uploaded files with the backup's. Refuses (BackupError,
    nothing changed) a file of another vendor or schema version, a damaged file, and a
    database that already holds data unless `force`."""
    source = Path(source).absolute()
    vendor = _vendor(alias)
    expected = code_migrations()
    settings_dict = connections[alias].settings_dict

    def check(manifest: dict) -> None:
        check_compatible(manifest, vendor=vendor, migrations=expected)
        if not force and database_has_data(alias):
            raise BackupError(
                "Databasen innehåller redan uppgifter; ange --force för att ersätta dem "
                "med säkerhetskopians (gör gärna en kopia av dem först)."
            )

    media_root = _media_root()
    with _staging(media_root.parent) as staging:
        unpacked = unpack(source, staging, check)
        if vendor == "sqlite":
            if latest_migrations(sqlite.verify(unpacked.database)) != expected:
                raise BackupError(
                    f"Säkerhetskopian {source} är skadad: databasens migreringar stämmer inte "
                    "med förteckningen; inget är återställt."
                )
        else:
            postgres.verify(unpacked.database)
        connections.close_all()  # no connection of ours holds the database open
        if vendor == "sqlite":
            sqlite.load(unpacked.database, sqlite.database_path(settings_dict))
        else:
            postgres.load(settings_dict, unpacked.database)
        _replace_directory(unpacked.media, media_root)
    _clear_caches()
    manifest = unpacked.manifest
    return Outcome(
        manifest,
        _count_files(media_root),
        key_differs=manifest.get("secret_key_fingerprint") != key_fingerprint(),
    )


def _count_files(root: Path) -> int:
    return sum(len(names) for _, _, names in os.walk(root))


def _replace_directory(new: Path, current: Path) -> None:
    """Put `new` where `current` is, by two renames on one file system."""
    old = current.with_name(f".{current.name}.old-{uuid.uuid4().hex[:8]}")
    if current.exists():
        os.rename(current, old)
    try:
        shutil.move(new, current)
    except BaseException:
        if old.exists():
            os.rename(old, current)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _clear_caches() -> None:
    """Sessions and pages cached before the restore belong to the old data."""
    from django.core.cache import caches

    for alias in settings.CACHES:
        with contextlib.suppress(Exception):
            caches[alias].clear()
