"""PDF of a report: the accessible HTML page laid out by WeasyPrint as tagged PDF/UA-1.

WeasyPrint is a Python dependency (it needs Pango, HarfBuzz and fontconfig from the
system and a font such as DejaVu), so no office suite is needed at run time. The
``pdf/ua-1`` variant writes a structure tree: headings, paragraphs, tables with header
cells, figures with their alternative text, the document language and title.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from . import charts
from .document import Document
from .html import render_html

__all__ = ["PDF_VARIANT", "render_pdf"]

PDF_VARIANT = "pdf/ua-1"


def _png(spec: dict) -> tuple[str, bytes]:
    return "image/png", charts.render_png(spec)


def render_pdf(
    document: Document,
    *,
    render_chart: Callable[[dict], tuple[str, bytes]] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """The report as tagged PDF bytes (PDF/UA-1)."""
    from weasyprint import HTML

    page = render_html(document, render_chart=render_chart or _png, progress=progress)
    # WeasyPrint logs every CSS property it does not know at WARNING; keep it quiet.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return HTML(string=page.decode("utf-8"), base_url=".").write_pdf(
        pdf_variant=PDF_VARIANT,
        custom_metadata=True,
        presentational_hints=False,
    )
