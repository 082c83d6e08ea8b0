"""A self-contained, accessible HTML page of a report (also the source of the PDF).

One file with its CSS and its charts inlined (``data:`` URIs), ``lang="sv"``, a
navigable table of contents, real headings, tables with ``<caption>``, ``<th scope>``
and a ``<tfoot>`` summed row, charts with their text alternative (``alt``), statuses as
shape + words (colour only as a help). Print CSS lays it out on A4 for WeasyPrint.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable

from styrkort.text import to_html

from . import charts
from .document import (
    Cell,
    Document,
    Figure,
    Heading,
    Legend,
    PageBreak,
    Paragraph,
    Table,
    TableOfContents,
    Text,
)
from .symbols import COLOURS

__all__ = ["render_html"]

NUMERIC_KINDS = ("number", "count", "percent", "change", "mnkr")

_CSS = """
:root { --ink: #1a1a1a; --line: #8c8c8c; --head: #dce6f0; }
html { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: var(--ink);
       line-height: 1.45; }
body { max-width: 62rem; margin: 0 auto; padding: 1.5rem; font-size: 1rem; }
h1 { font-size: 1.9rem; margin: 0 0 .3rem; }
h2 { font-size: 1.45rem; margin: 2rem 0 .6rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.2rem; margin: 1.6rem 0 .5rem; }
h4 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
h5 { font-size: 1rem; margin: 1rem 0 .3rem; }
p.label { margin: .6rem 0 .1rem; }
p.subtitle { font-size: 1.2rem; margin: 0 0 1rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.meta dt { font-weight: bold; text-transform: uppercase; font-size: .8rem; }
dl.meta dd { margin: 0; }
nav.toc ol { list-style: none; padding-left: 1.2rem; margin: .2rem 0; }
nav.toc > ol { padding-left: 0; }
nav.toc a { color: #0b3d91; }
table { border-collapse: collapse; margin: .4rem 0 1.2rem; font-size: .82rem; width: 100%; }
caption { text-align: left; font-style: italic; padding-bottom: .3rem; caption-side: top; }
th, td { border: 1px solid var(--line); padding: .2rem .35rem; vertical-align: top;
         text-align: left; }
thead th { background: var(--head); }
tbody th { font-weight: normal; }
tfoot th, tfoot td { font-weight: bold; border-top: 3px double #404040; }
td.num { text-align: right; white-space: nowrap; }
td > p, th > p { margin: 0; }
td > p + p, th > p + p { margin-top: .3rem; }
td > ul, td > ol { margin: 0; padding-left: 1.1rem; }
ul.note, ol.note { font-size: .85rem; font-style: italic; }
.line { display: block; }
.sym { font-weight: bold; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; }
figcaption { font-style: italic; font-size: .85rem; }
p.note { font-size: .85rem; font-style: italic; }
.legend dt { font-weight: bold; margin-top: .4rem; }
.legend dd { margin: 0; }
.legend span.item { margin-right: 1.2rem; white-space: nowrap; }
.page-break { break-after: page; }
@page { size: A4; margin: 2cm 1.8cm 2cm 1.8cm;
        @bottom-right { content: "Sida " counter(page) " av " counter(pages); font-size: 9pt; } }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  table { font-size: 8pt; }
  thead { display: table-header-group; }
  tr, figure { break-inside: avoid; }
  h2, h3, h4, caption { break-after: avoid; }
  nav.toc a { color: var(--ink); text-decoration: none; }
  nav.toc a::after { content: leader(".") target-counter(attr(href), page); }
}
"""


def _esc(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _slug(text: str, used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9åäö]+", "-", text.lower()).strip("-")[:60] or "avsnitt"
    slug, n = base, 2
    while slug in used:
        slug, n = f"{base}-{n}", n + 1
    used.add(slug)
    return slug


def _colour_css() -> str:
    return "\n".join(f".k-{key} .sym {{ color: #{hexcode}; }}" for key, hexcode in COLOURS.items())


def _line(line: str, part: Cell) -> str:
    if part.kind == "symbol" and part.symbol and part.symbol in line:
        before, _, after = line.partition(part.symbol)
        return (
            f'<span class="line k-{_esc(part.key)}">{_esc(before)}'
            f'<span class="sym" aria-hidden="true">{_esc(part.symbol)}</span>{_esc(after)}</span>'
        )
    return f'<span class="line">{_esc(line)}</span>'


def _cell_html(cell: Cell) -> str:
    if cell.kind == "free":
        return to_html(str(cell.value or ""))
    lines = cell.line_cells()
    if not lines:
        return ""
    if len(lines) == 1 and lines[0][1].kind != "symbol":
        return _esc(lines[0][0])
    return "".join(_line(line, part) for line, part in lines)


def _table(table: Table) -> str:
    out = ["<table>"]
    if table.caption:
        out.append(f"<caption>{_esc(table.caption)}</caption>")
    if table.widths:
        total = sum(table.widths)
        out.append("<colgroup>")
        out += [f'<col style="width:{100 * w / total:.1f}%">' for w in table.widths]
        out.append("</colgroup>")
    out.append("<thead><tr>")
    out += [f'<th scope="col">{_esc(c)}</th>' for c in table.columns]
    out.append("</tr></thead><tbody>")

    def row_html(row: list[Cell], bold: bool = False) -> str:
        cells = []
        for j, cell in enumerate(row):
            cls = ' class="num"' if cell.kind in NUMERIC_KINDS else ""
            content = _cell_html(cell)
            if cell.bold and not bold:
                content = f"<strong>{content}</strong>"
            if j < table.row_headers:
                cells.append(f'<th scope="row"{cls}>{content}</th>')
            else:
                cells.append(f"<td{cls}>{content}</td>")
        return "<tr>" + "".join(cells) + "</tr>"

    out += [row_html(row) for row in table.rows]
    out.append("</tbody>")
    if table.total:
        out.append(f"<tfoot>{row_html(table.total, bold=True)}</tfoot>")
    out.append("</table>")
    if table.note:  # one paragraph per line: footnotes, a legend
        out += [f'<p class="note">{_esc(t)}</p>' for t in table.note.split("\n") if t.strip()]
    return "".join(out)


def _figure(figure: Figure, render: Callable[[dict], tuple[str, bytes]]) -> str:
    mime, data = render(figure.spec)
    src = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    caption = f"<figcaption>{_esc(figure.caption)}</figcaption>" if figure.caption else ""
    return f'<figure><img src="{src}" alt="{_esc(figure.alt)}">{caption}</figure>'


def _legend(legend: Legend, level: int) -> str:
    out = [f'<section class="legend" aria-label="{_esc(legend.title)}">']
    out.append(f"<h{level}>{_esc(legend.title)}</h{level}><dl>")
    for title, items in legend.groups:
        out.append(f"<dt>{_esc(title)}</dt><dd>")
        out += [
            f'<span class="item k-{_esc(i.key)}"><span class="sym" aria-hidden="true">'
            f"{_esc(i.symbol)}</span> {_esc(i.label)}</span>"
            for i in items
        ]
        out.append("</dd>")
    out.append("</dl></section>")
    return "".join(out)


def _toc(block: TableOfContents, entries: list[tuple[int, str, str]]) -> str:
    out = [
        f'<nav class="toc" aria-labelledby="toc-title"><h2 id="toc-title">{_esc(block.title)}</h2>'
    ]
    depth = 0
    for level, text, slug in entries:
        while depth < level:
            out.append("<ol>")
            depth += 1
        while depth > level:
            out.append("</ol>")
            depth -= 1
        out.append(f'<li><a href="#{slug}">{_esc(text)}</a></li>')
    out += ["</ol>"] * depth
    out.append("</nav>")
    return "".join(out)


def _svg(spec: dict) -> tuple[str, bytes]:
    return "image/svg+xml", charts.render_svg(spec)


def render_html(
    document: Document,
    *,
    render_chart: Callable[[dict], tuple[str, bytes]] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """The report as one self-contained HTML page (UTF-8 bytes). ``render_chart``:
    spec -> (MIME type, bytes); default SVG from ``charts`` (cached)."""
    render = render_chart or _svg
    used: set[str] = {"toc-title"}
    slugs = {id(b): _slug(b.text, used) for b in document.blocks if isinstance(b, Heading)}
    entries = [
        (b.level, b.text, slugs[id(b)])
        for b in document.blocks
        if isinstance(b, Heading) and b.level <= 3
    ]
    body = [f"<header><h1>{_esc(document.title)}</h1>"]
    if document.subtitle:
        body.append(f'<p class="subtitle">{_esc(document.subtitle)}</p>')
    if document.meta:
        body.append('<dl class="meta">')
        body += [f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in document.meta.items()]
        body.append("</dl>")
    body.append("</header><main>")
    total = len(document.blocks)
    for index, block in enumerate(document.blocks):
        if isinstance(block, Heading):
            level = min(block.level, 4) + 1
            body.append(f'<h{level} id="{slugs[id(block)]}">{_esc(block.text)}</h{level}>')
        elif isinstance(block, Paragraph):
            if block.style == "label":
                body.append(f'<p class="label"><strong>{_esc(block.text)}</strong></p>')
                continue
            cls = ' class="note"' if block.style == "note" else ""
            body += [
                f"<p{cls}>{_esc(t.strip())}</p>" for t in block.text.split("\n\n") if t.strip()
            ]
        elif isinstance(block, Text):
            note = "note" if block.style == "note" else ""
            body.append(to_html(block.text, lead=block.lead, paragraph_class=note))
        elif isinstance(block, Table):
            body.append(_table(block))
        elif isinstance(block, Figure):
            body.append(_figure(block, render))
        elif isinstance(block, Legend):
            body.append(_legend(block, 4))
        elif isinstance(block, TableOfContents):
            body.append(_toc(block, entries))
        elif isinstance(block, PageBreak):
            body.append('<div class="page-break"></div>')
        if progress is not None:
            progress(index + 1, total)
    body.append("</main>")
    page = (
        f'<!DOCTYPE html>\n<html lang="{_esc(document.language.split("-")[0])}">'
        f'<head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_esc(document.title)}</title>"
        f'<meta name="description" content="{_esc(document.subtitle)}">'
        f'<meta name="generator" content="Styrkort">'
        f"<style>{_CSS}{_colour_css()}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )
    return page.encode("utf-8")
