"""Reports: the interim/annual report and the operational plan as Word, PDF, Excel and
HTML (see docs/reports.md). ``build_report`` is the one entry point."""

from .build import (
    CONTENT_TYPES,
    FORMATS,
    KINDS,
    ReportError,
    build_report,
    content_type,
    report_filename,
)

__all__ = [
    "CONTENT_TYPES",
    "FORMATS",
    "KINDS",
    "ReportError",
    "build_report",
    "content_type",
    "report_filename",
]
