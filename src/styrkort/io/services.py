"""The one entry point for imports: the command line, the web upload page and tests.

    from styrkort.io.services import run_import
    report = run_import("outcomes", request.FILES["file"], user=request.user, dry_run=True)
    report.ok, report.as_dict(), report.summary_sv()

`progress(done, total)` is called every few thousand rows (bytes for CSV, rows for
XLSX) and once at the end, so a web page can show progress for a large file.
"""

from __future__ import annotations

from typing import BinaryIO

from django.conf import settings

from styrkort.writes import guarded

from .importers import UnknownImportKind, get_importer, importer_kinds
from .importers.base import ImportReport, Progress, RowError
from .readers import ImportFileError, Limits, open_table

__all__ = [
    "ImportReport",
    "RowError",
    "UnknownImportKind",
    "import_limits",
    "importer_kinds",
    "run_import",
]


def import_limits() -> Limits:
    """The caps on an import file from the settings (STYRKORT_IMPORT_MAX_*)."""
    return Limits(
        max_rows=settings.STYRKORT_IMPORT_MAX_ROWS,
        max_columns=settings.STYRKORT_IMPORT_MAX_COLUMNS,
        max_unpacked_bytes=settings.STYRKORT_IMPORT_MAX_UNPACKED_BYTES,
        max_ratio=settings.STYRKORT_IMPORT_MAX_RATIO,
    )


def run_import(
    kind: str,
    fileobj: BinaryIO,
    *,
    user=None,
    dry_run: bool = False,
    progress: Progress | None = None,
    name: str = "",
    max_bytes: int | None = None,
) -> ImportReport:
    """Import a CSV or XLSX file of `kind` ("outcomes", "plans", or a kind another app
    registered) all-or-nothing in one transaction.

    `user` is the acting user: their roles are checked row by row and they are recorded
    in the history; None means a trusted system import (the command line without
    --user). Never raises for bad input: problems are in `report.rejected` (in the
    active language, Swedish unless the user chose English), and when there are any,
    nothing was written. Raises UnknownImportKind for an unknown `kind`."""
    importer_cls = get_importer(kind)
    importer = importer_cls(user=user, dry_run=dry_run, progress=progress)
    limit = settings.STYRKORT_IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    name = name or getattr(fileobj, "name", "") or ""
    try:
        table = open_table(fileobj, name=str(name), max_bytes=limit, limits=import_limits())
    except ImportFileError as exc:
        importer.report.reject(exc.row, None, str(exc))
        return importer.report
    with guarded():
        return importer.run(table)
