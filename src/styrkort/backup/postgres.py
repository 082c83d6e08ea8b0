"""PostgreSQL: `pg_dump --format=custom` and `pg_restore` into one transaction.

pg_dump reads the whole database in one snapshot, so the dump is one instant while
others go on writing. pg_dump refuses a server newer than itself: the binaries are taken
from STYRKORT_PG_BIN, else the newest of Debian's /usr/lib/postgresql/*/bin, else PATH."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from pathlib import Path

from .archive import BackupError

#: connection options of the database URL that libpq itself understands
_LIBPQ_OPTIONS = {
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslcrl",
    "sslnegotiation",
    "connect_timeout",
    "options",
    "application_name",
    "target_session_attrs",
    "service",
    "passfile",
    "gssencmode",
    "channel_binding",
}


def binary(name: str) -> str:
    """The path of `pg_dump` or `pg_restore`."""
    from django.conf import settings

    configured = getattr(settings, "STYRKORT_PG_BIN", "")
    candidates = [Path(configured) / name] if configured else []
    debian = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: [int(x) for x in Path(p).parts[-3].split(".") if x.isdigit()],
    )
    candidates += [Path(p) for p in reversed(debian)]
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    raise BackupError(
        f"{name} saknas: installera PostgreSQL-klienten i samma version som servern "
        "(Debian: postgresql-client) eller ange katalogen i STYRKORT_PG_BIN."
    )


def _connection(settings_dict: dict) -> tuple[str, dict[str, str]]:
    """The conninfo string (without the password) and the environment with it."""
    from psycopg.conninfo import make_conninfo

    params = {
        "dbname": settings_dict["NAME"],
        "host": settings_dict.get("HOST") or None,
        "port": str(settings_dict["PORT"]) if settings_dict.get("PORT") else None,
        "user": settings_dict.get("USER") or None,
    }
    options = settings_dict.get("OPTIONS") or {}
    params.update({k: str(v) for k, v in options.items() if k in _LIBPQ_OPTIONS})
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])  # not on the command line
    return make_conninfo(**{k: v for k, v in params.items() if v is not None}), env


def _run(args: list[str], env: dict[str, str], failure: str) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        detail = lines[0] if lines else f"slutstatus {result.returncode}"
        raise BackupError(f"{failure}: {detail}")


def dump(settings_dict: dict, target: Path) -> None:
    """Dump the database to `target` in pg_dump's custom format."""
    conninfo, env = _connection(settings_dict)
    _run(
        [binary("pg_dump"), "--format=custom", "--no-password", f"--file={target}", conninfo],
        env,
        "pg_dump misslyckades",
    )


def verify(staged: Path) -> None:
    """Check that pg_restore can read the unpacked dump's table of contents."""
    _run(
        [binary("pg_restore"), "--list", str(staged)],
        dict(os.environ),
        "Databasen i säkerhetskopian går inte att läsa",
    )


def load(settings_dict: dict, staged: Path) -> None:
    """Replace the database's tables with the dump's in one transaction: an error
    anywhere rolls all of it back and leaves the database as it was."""
    conninfo, env = _connection(settings_dict)
    _run(
        [
            binary("pg_restore"),
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            "--no-password",
            f"--dbname={conninfo}",
            str(staged),
        ],
        env,
        "pg_restore misslyckades (databasen är oförändrad)",
    )
