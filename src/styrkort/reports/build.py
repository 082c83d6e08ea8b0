"""One entry point for every report and format, used by the command line and the web.

``build_report("interim", unit, "2022-DÅ04", "docx")`` returns the document's bytes;
``report_filename`` and ``CONTENT_TYPES`` give what a download needs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from styrkort.periods import Period, PeriodError, parse_period

from .document import Document
from .suppression import SuppressionPolicy, suppress_document

__all__ = [
    "CONTENT_TYPES",
    "FORMATS",
    "KINDS",
    "ReportError",
    "build_document",
    "build_report",
    "content_type",
    "render",
    "report_filename",
]

KINDS = ("interim", "annual", "plan", "region")
FORMATS = ("docx", "pdf", "xlsx", "html")
KIND_NAMES = {
    "interim": "Delårsrapport",
    "annual": "Årsrapport",
    "plan": "Verksamhetsplan",
    "region": "Regionens rapport",
}
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}

#: progress(fraction 0-1, Swedish words of the step)
Progress = Callable[[float, str], None]


class ReportError(ValueError):
    """A report that cannot be made from what was asked; the message is one Swedish line."""


def _period(kind: str, period: Period | str) -> Period:
    try:
        p = period if isinstance(period, Period) else parse_period(str(period))
    except PeriodError as exc:
        raise ReportError(str(exc)) from exc
    if kind == "annual" and not p.is_year:
        raise ReportError(
            f"En årsrapport gäller ett helt år, inte {p.canonical}. Ange t.ex. {p.year}."
        )
    if kind == "interim" and p.is_year:
        raise ReportError(
            f"En delårsrapport gäller en del av året, inte {p.canonical}. "
            f"Ange t.ex. {p.year}-DÅ04 eller {p.year}-DÅ08, eller välj årsrapport."
        )
    return p


def build_document(
    kind: str,
    unit,
    period: Period | str,
    *,
    publication: bool = False,
    suppression: SuppressionPolicy | None = None,
    with_charts: bool = True,
    progress: Progress | None = None,
) -> Document:
    """The report as a format-neutral ``Document`` (``reports.document``)."""
    if kind not in KINDS:
        raise ReportError(f"Okänd rapport: '{kind}'. Välj interim, annual, plan eller region.")
    p = _period(kind, period)
    step = (lambda words: progress(0.1, words)) if progress else None
    if kind == "region":
        from .region import build_region

        document = build_region(unit, p, progress=(lambda s: step(f"Hämtar {s}")) if step else None)
    elif kind == "plan":
        from .plan import build_plan

        document = build_plan(unit, p.year, with_charts=with_charts)
    else:
        from .interim import build_interim

        document = build_interim(
            unit,
            p,
            annual=kind == "annual",
            with_charts=with_charts,
            progress=(lambda s: step(f"Hämtar {s}")) if step else None,
        )
    if publication:
        document = suppress_document(document, suppression or _policy_for(unit))
    return document


def _policy_for(unit) -> SuppressionPolicy:
    """The organisation's threshold (``settings["suppression_threshold"]``), default 5."""
    settings = getattr(getattr(unit, "organisation", None), "settings", None) or {}
    threshold = settings.get("suppression_threshold", 5)
    try:
        threshold = int(threshold)
    except (TypeError, ValueError):
        threshold = 5
    return SuppressionPolicy(threshold=max(1, threshold))


def render(
    document: Document,
    fmt: str,
    *,
    template: str | Path | bytes | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """Print ``document`` in ``fmt`` (docx, pdf, xlsx, html)."""
    if fmt == "docx":
        from .docx import render_docx

        return render_docx(document, template=template, progress=progress)
    if template is not None:
        raise ReportError("En mall (--template) kan bara användas med formatet docx.")
    if fmt == "pdf":
        from .pdf import render_pdf

        return render_pdf(document, progress=progress)
    if fmt == "xlsx":
        from .xlsx import render_xlsx

        return render_xlsx(document, progress=progress)
    if fmt == "html":
        from .html import render_html

        return render_html(document, progress=progress)
    raise ReportError(f"Okänt format: '{fmt}'. Välj docx, pdf, xlsx eller html.")


def build_report(
    kind: str,
    unit,
    period: Period | str,
    fmt: str,
    *,
    template: str | Path | bytes | None = None,
    publication: bool = False,
    progress: Progress | None = None,
) -> bytes:
    """The report ``kind`` (interim, annual, plan) of ``unit`` (an ``OrgUnit``) for
    ``period`` (``2022-DÅ04``, ``2022``; a plan takes the period's year) as ``fmt``
    (docx, pdf, xlsx, html) bytes.

    ``template``: a region's .docx whose styles and page setup are used (docx only).
    ``publication``: counts below the organisation's threshold (default 5) print as
    ``<5``. ``progress(fraction, words)`` is called as the work goes on (0 to 1).
    Raises :class:`ReportError` (one Swedish line) for a request that cannot be made.
    """
    if fmt not in FORMATS:
        raise ReportError(f"Okänt format: '{fmt}'. Välj docx, pdf, xlsx eller html.")
    if template is not None and fmt != "docx":
        raise ReportError("En mall (--template) kan bara användas med formatet docx.")
    if progress:
        progress(0.0, "Hämtar utfall och bedömningar")
    document = build_document(kind, unit, period, publication=publication, progress=progress)
    if progress:
        progress(0.3, "Skriver dokumentet")

    def on_block(done: int, total: int) -> None:
        if progress and total:
            progress(0.3 + 0.65 * done / total, "Skriver dokumentet")

    data = render(document, fmt, template=template, progress=on_block)
    if progress:
        progress(1.0, "Klart")
    return data


def content_type(fmt: str) -> str:
    return CONTENT_TYPES[fmt]


def _slug(text: str) -> str:
    ascii_text = (
        unicodedata.normalize("NFKD", text.replace("Å", "A").replace("å", "a"))
        .encode("ascii", "ignore")
        .decode("ascii")
    )
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-")


def report_filename(kind: str, unit, period: Period | str, fmt: str) -> str:
    """A download name without spaces or letters outside ASCII:
    ``Delarsrapport_NLL-LS1_2022-DA04.docx``."""
    p = period if isinstance(period, Period) else parse_period(str(period))
    code = getattr(unit, "code", str(unit))
    label = str(p.year) if kind == "plan" else p.canonical
    return f"{_slug(KIND_NAMES.get(kind, kind))}_{_slug(code)}_{_slug(label)}.{fmt}"
