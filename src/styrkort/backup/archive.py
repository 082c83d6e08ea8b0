"""The backup file: a gzip-compressed tar whose first member says what the rest is.

    manifest.json      format, Styrkort version, database vendor, the latest applied
                       migration per app (the schema version), when the copy was made, the
                       dump's SHA-256 and a fingerprint of the secret key (never the key)
    database.sqlite3   SQLite: a copy made with the online backup API
    database.pgdump    PostgreSQL: `pg_dump --format=custom`
    media/...          the uploaded files (MEDIA_ROOT)

Reading checks the manifest before anything else is unpacked, then the whole file (the
dump's checksum, gzip's CRC at the end), so a refused or damaged file is known before the
database is touched."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import os
import tarfile
import uuid
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

FORMAT = "styrkort-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
_CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is one Swedish sentence."""


def latest_migrations(applied: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The latest of `applied` migrations per app (``{"followup": "0031_..."}``), by this
    code's migration graph; a migration the code does not know counts by its name."""
    from django.db.migrations.loader import MigrationLoader

    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    applied = set(applied)
    latest: dict[str, str] = {}
    for app, name in sorted(applied):
        node = graph.node_map.get((app, name))
        if node is not None and any(c in applied for c in node.children if c[0] == app):
            continue
        latest[app] = name
    return latest


def code_migrations() -> dict[str, str]:
    """The schema version this code expects: the latest migration of each app."""
    from django.db.migrations.loader import MigrationLoader

    return latest_migrations(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def key_fingerprint() -> str:
    """A short HMAC made with the secret key: tells whether a restore runs with the key
    the backup was made with, without revealing anything of the key."""
    from django.utils.crypto import salted_hmac

    return salted_hmac("styrkort.backup", "secret-key-fingerprint").hexdigest()[:16]


def styrkort_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("styrkort")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "okänd"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def make_manifest(*, vendor: str, migrations: dict[str, str], database: Path) -> dict:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "styrkort_version": styrkort_version(),
        "vendor": vendor,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "migrations": migrations,
        "database": {
            "member": DATABASE_MEMBERS[vendor],
            "bytes": database.stat().st_size,
            "sha256": sha256_of(database),
        },
        "secret_key_fingerprint": key_fingerprint(),
    }


def write_archive(target: Path, manifest: dict, database: Path, media_root: Path) -> int:
    """Write the backup file (beside `target`, renamed into place when complete, so an
    interrupted backup never leaves a half file under the name); returns how many
    uploaded files it holds."""
    part = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.part")
    # A custom-format dump is compressed already: gzip only packs it.
    level = 1 if manifest["vendor"] == "postgresql" else 6
    try:
        with tarfile.open(part, "w:gz", compresslevel=level) as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(dt.datetime.now().timestamp()), 0o644
            tar.addfile(info, io.BytesIO(data))
            tar.add(database, arcname=manifest["database"]["member"], recursive=False)
            files = _add_media(tar, media_root)
        with open(part, "rb") as file:
            os.fsync(file.fileno())
        os.replace(part, target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return files


def _add_media(tar: tarfile.TarFile, media_root: Path) -> int:
    count = 0
    for directory, subdirectories, names in os.walk(media_root):
        subdirectories.sort()
        for name in sorted(names):
            path = Path(directory) / name
            arcname = f"{MEDIA}/{path.relative_to(media_root).as_posix()}"
            try:
                tar.add(path, arcname=arcname, recursive=False)
            except FileNotFoundError:  # deleted while the backup ran (an old job pruned)
                continue
            count += 1
    return count


@dataclass
class Unpacked:
    manifest: dict
    database: Path  #: the dump, unpacked
    media: Path  #: the uploaded files, unpacked (an empty directory when there were none)


def unpack(path: Path, staging: Path, check: Callable[[dict], None]) -> Unpacked:
    """Read the whole backup file into `staging`, calling `check(manifest)` (which raises
    BackupError to refuse) before anything but the manifest is unpacked. Raises
    BackupError for a file that is missing, of another kind, damaged or incomplete."""
    if not path.is_file():
        raise BackupError(f"Filen finns inte: {path}")
    unreadable = (tarfile.TarError, EOFError, zlib.error, OSError)
    try:
        tar = tarfile.open(path, "r:gz")  # noqa: SIM115 - the with below closes it
    except unreadable as exc:
        raise BackupError(_unreadable(path, exc)) from exc
    with tar:
        try:
            first = tar.next()
        except unreadable as exc:
            raise BackupError(_unreadable(path, exc)) from exc
        if first is None or first.name != MANIFEST or not first.isfile():
            raise BackupError(f"{path} är ingen säkerhetskopia från Styrkort (styrkort backup).")
        try:
            manifest = _read_manifest(tar, first)
        except (tarfile.TarError, EOFError, zlib.error, OSError, ValueError, KeyError) as exc:
            raise BackupError(f"{path} har ingen läsbar förteckning (manifest.json).") from exc
        check(manifest)
        member_name = manifest["database"]["member"]
        unpacked = Unpacked(manifest, staging / member_name, staging / MEDIA)
        unpacked.media.mkdir(parents=True, exist_ok=True)
        digest = None
        try:
            while (member := tar.next()) is not None:
                if member.name == member_name and member.isfile() and digest is None:
                    digest = _extract_hashing(tar, member, unpacked.database)
                elif member.name == MEDIA or member.name.startswith(f"{MEDIA}/"):
                    tar.extract(member, staging, filter="data")
                else:
                    raise BackupError(_damaged(path, f"okänd del {member.name!r}"))
            # Read to the end of the stream: gzip checks its CRC and length there.
            while tar.fileobj.read(_CHUNK):
                pass
        except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise BackupError(_damaged(path, str(exc) or type(exc).__name__)) from exc
    if digest is None:
        raise BackupError(_damaged(path, "databasen saknas i filen"))
    if digest != manifest["database"]["sha256"]:
        raise BackupError(_damaged(path, "databasen stämmer inte med sin kontrollsumma"))
    return unpacked


def _unreadable(path: Path, exc: BaseException) -> str:
    return (
        f"{path} är ingen läsbar säkerhetskopia från Styrkort "
        f"(skadad, eller en fil av annat slag: {exc or type(exc).__name__})."
    )


def _damaged(path: Path, reason: str) -> str:
    return f"Säkerhetskopian {path} är skadad eller ofullständig ({reason}); inget är återställt."


def _read_manifest(tar: tarfile.TarFile, member: tarfile.TarInfo) -> dict:
    manifest = json.loads(tar.extractfile(member).read().decode("utf-8"))
    if manifest.get("format") != FORMAT:
        raise ValueError("not a Styrkort backup")
    if not isinstance(manifest["migrations"], dict) or manifest["vendor"] not in DATABASE_MEMBERS:
        raise ValueError("manifest without migrations or vendor")
    if manifest["database"]["member"] != DATABASE_MEMBERS[manifest["vendor"]]:
        raise ValueError("unexpected database member")
    str(manifest["database"]["sha256"])
    return manifest


def _extract_hashing(tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path) -> str:
    digest = hashlib.sha256()
    source = tar.extractfile(member)
    with open(target, "wb") as out:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def check_compatible(manifest: dict, *, vendor: str, migrations: dict[str, str]) -> None:
    """Refuse a backup of another database vendor or another schema version than this
    code's (BackupError, one Swedish sentence)."""
    made_by = manifest.get("styrkort_version", "okänd")
    if int(manifest.get("format_version", 0)) > FORMAT_VERSION:
        raise BackupError(
            f"Säkerhetskopian är gjord av en nyare Styrkort ({made_by}) i ett format som "
            "denna version inte kan läsa."
        )
    if manifest["vendor"] != vendor:
        raise BackupError(
            f"Säkerhetskopian är gjord från {VENDOR_NAMES[manifest['vendor']]}, men denna "
            f"Styrkort använder {VENDOR_NAMES.get(vendor, vendor)}: en kopia kan bara "
            "återställas till samma slags databas (se docs/backup.md)."
        )
    differences = schema_differences(manifest["migrations"], migrations)
    if differences:
        shown = "; ".join(differences[:3])
        if len(differences) > 3:
            shown += f" och {len(differences) - 3} till"
        raise BackupError(
            f"Säkerhetskopian har en annan schemaversion än denna Styrkort ({shown}). "
            f"Återställ den med Styrkort {made_by}, som gjorde den, och uppgradera sedan."
        )


def schema_differences(backup: dict[str, str], code: dict[str, str]) -> list[str]:
    """Per app where the two differ: ``"followup: kopian 0030_x, programmet 0031_y"``."""
    return [
        f"{app}: kopian {backup.get(app) or 'saknas'}, programmet {code.get(app) or 'saknas'}"
        for app in sorted(set(backup) | set(code))
        if backup.get(app) != code.get(app)
    ]
