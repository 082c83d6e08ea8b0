"""Word (.docx) rendering of a report with real styles, so a region can restyle it.

Everything is printed with named styles: ``Title``, ``Subtitle``, ``Heading 1``-``3``,
``Normal``, ``Caption``, the paragraph styles ``Styrkort tabelltext`` and
``Styrkort not``, and the table style ``Styrkort tabell`` (header row and summed row as
conditional formats). A region's own .docx template (``template=``) supplies its page
setup, headers, footers and any of these styles it defines; styles it lacks are added.
The table of contents is a Word field (``TOC \\o "1-3"``) pre-filled with the headings
and updated by Word when the document is opened. Charts are pictures with their text
alternative in the picture's description (``docPr/@descr``), read by screen readers.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Callable
from pathlib import Path

from docx import Document as open_docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell
from docx.text.run import Run

from styrkort.text import parse, with_lead

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
from .docx_text import write_text
from .symbols import COLOURS

__all__ = ["TABLE_STYLE", "TABLE_TEXT_STYLE", "render_docx"]

TABLE_STYLE = "Styrkort tabell"
TABLE_TEXT_STYLE = "Styrkort tabelltext"
NOTE_STYLE = "Styrkort not"

_TABLE_STYLE_XML = f"""
<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="StyrkortTabell">
  <w:name w:val="{TABLE_STYLE}"/>
  <w:uiPriority w:val="59"/>
  <w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:rPr><w:sz w:val="17"/><w:szCs w:val="17"/></w:rPr>
  <w:tblPr>
    <w:tblBorders>
      <w:top w:val="single" w:sz="4" w:space="0" w:color="7F7F7F"/>
      <w:left w:val="single" w:sz="4" w:space="0" w:color="7F7F7F"/>
      <w:bottom w:val="single" w:sz="4" w:space="0" w:color="7F7F7F"/>
      <w:right w:val="single" w:sz="4" w:space="0" w:color="7F7F7F"/>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>
      <w:insideV w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>
    </w:tblBorders>
    <w:tblCellMar>
      <w:top w:w="28" w:type="dxa"/><w:left w:w="57" w:type="dxa"/>
      <w:bottom w:w="28" w:type="dxa"/><w:right w:w="57" w:type="dxa"/>
    </w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstRow">
    <w:rPr><w:b/><w:bCs/></w:rPr>
    <w:tblPr/>
    <w:tcPr>
      <w:tcBorders><w:bottom w:val="single" w:sz="8" w:space="0" w:color="404040"/></w:tcBorders>
      <w:shd w:val="clear" w:color="auto" w:fill="DCE6F0"/>
    </w:tcPr>
  </w:tblStylePr>
  <w:tblStylePr w:type="lastRow">
    <w:rPr><w:b/><w:bCs/></w:rPr>
    <w:tblPr/>
    <w:tcPr>
      <w:tcBorders><w:top w:val="double" w:sz="4" w:space="0" w:color="404040"/></w:tcBorders>
    </w:tcPr>
  </w:tblStylePr>
</w:style>
"""

NUMERIC_KINDS = ("number", "count", "percent", "change", "mnkr")


# --- styles ---------------------------------------------------------------------------


def _style_names(doc) -> set[str]:
    return {s.name for s in doc.styles}


def _ensure_styles(doc) -> None:
    """Add the styles the report uses that the template lacks (a region's template wins)."""
    styles = doc.styles
    names = _style_names(doc)
    for level in (1, 2, 3, 4):
        if f"Heading {level}" not in names:
            style = styles.add_style(f"Heading {level}", WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
            style.font.bold = True
            style.font.size = Pt({1: 16, 2: 13, 3: 11.5, 4: 11}[level])
            style.paragraph_format.keep_with_next = True
            style.paragraph_format.space_before = Pt(12)
            # The outline level makes it a heading for the TOC and the PDF's tags.
            ppr = style.element.get_or_add_pPr()
            outline = OxmlElement("w:outlineLvl")
            outline.set(qn("w:val"), str(level - 1))
            ppr.append(outline)
    for name, size in (("Title", 26), ("Subtitle", 14)):
        if name not in names:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
            style.font.size = Pt(size)
    if "Caption" not in names:
        style = styles.add_style("Caption", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.font.size = Pt(9)
        style.font.italic = True
    if TABLE_TEXT_STYLE not in names:
        style = styles.add_style(TABLE_TEXT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.font.size = Pt(8.5)
        fmt = style.paragraph_format
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        fmt.line_spacing = 1.0
    if NOTE_STYLE not in names:
        style = styles.add_style(NOTE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.font.size = Pt(8.5)
        style.font.italic = True
    if "TOC Heading" not in names:
        style = styles.add_style("TOC Heading", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Heading 1"]
    if TABLE_STYLE not in names:
        styles.element.append(parse_xml(_TABLE_STYLE_XML))


def _set_language(doc, language: str) -> None:
    """The document's language (screen readers pick their voice from it)."""
    rpr_default = doc.styles.element.find(qn("w:docDefaults"))
    if rpr_default is None:
        return
    rpr = rpr_default.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr is None:
        return
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)


def _update_fields_on_open(doc) -> None:
    settings = doc.settings.element
    if settings.find(qn("w:updateFields")) is None:
        element = OxmlElement("w:updateFields")
        element.set(qn("w:val"), "true")
        settings.append(element)


def _clear_body(doc) -> None:
    """Remove a template's sample content, keep its section properties."""
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


# --- blocks ---------------------------------------------------------------------------


class _Styles:
    """Style objects by name, looked up once (python-docx searches every style on each
    lookup by name)."""

    def __init__(self, doc):
        self.doc = doc
        self._cache: dict[str, object] = {}

    def __getitem__(self, name: str):
        style = self._cache.get(name)
        if style is None:
            style = self._cache[name] = self.doc.styles[name]
        return style


def _styles(doc) -> _Styles:
    cached = getattr(doc, "_styrkort_styles", None)
    if cached is None:
        cached = _Styles(doc)
        doc._styrkort_styles = cached
    return cached


def _para(doc, text: str = "", style: str | None = None):
    """``doc.add_paragraph`` with the style set by its id (python-docx compares a style
    object with the default style by searching every style, on each paragraph)."""
    paragraph = doc.add_paragraph()
    if style:
        paragraph._p.get_or_add_pPr().style = _styles(doc)[style].style_id
    if text:
        _add_run(paragraph, text)
    return paragraph


def _add_toc(doc, block: TableOfContents, headings: list[Heading]) -> None:
    _para(doc, block.title, "TOC Heading")
    paragraph = doc.add_paragraph()
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run._r.append(begin)
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = ' TOC \\o "1-3" \\h \\z \\u '
    run._r.append(instr)
    run = paragraph.add_run()
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run._r.append(sep)
    # The field's current result: the headings, indented by level, until Word updates it.
    for i, heading in enumerate(h for h in headings if h.level <= 3):
        if i:
            paragraph = doc.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(0.6 * (heading.level - 1))
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.add_run(heading.text)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def _add_run(paragraph, text: str, *, bold: bool = False, colour: str | None = None) -> None:
    # Straight to the XML: Run.text also parses tabs and line breaks, which cells never hold.
    r = paragraph._p.add_r()
    r.add_t(text)
    if bold or colour:
        run = Run(r, paragraph)
        if bold:
            run.bold = True
        if colour:
            run.font.color.rgb = RGBColor.from_string(colour)


def _write_cell_text(
    cell_obj, cell: Cell, *, style_id: str, numeric: bool, header: bool, bold: bool
) -> None:
    if cell.kind == "free" and not header:
        blocks = parse(str(cell.value or ""))
        if blocks:
            write_text(cell_obj, blocks, style_id=style_id, first=cell_obj.paragraphs[0], bold=bold)
            return
    lines = [(cell.text, cell)] if header else cell.line_cells()
    paragraph = cell_obj.paragraphs[0]
    for i, (line, part) in enumerate(lines or [("", cell)]):
        if i:
            paragraph = cell_obj.add_paragraph()
        ppr = paragraph._p.get_or_add_pPr()
        ppr.style = style_id
        if numeric and not header:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if not line:
            continue
        if part.kind == "symbol" and part.symbol and part.symbol in line:
            before, _, after = line.partition(part.symbol)
            if before:
                _add_run(paragraph, before, bold=bold)
            _add_run(paragraph, part.symbol, bold=bold, colour=COLOURS.get(part.key))
            if after:
                _add_run(paragraph, after, bold=bold)
        else:
            _add_run(paragraph, line, bold=bold)


def _mark_header_row(tr) -> None:
    trpr = tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)
    cant_split = OxmlElement("w:cantSplit")
    trpr.append(cant_split)


def _set_look(table, *, total: bool) -> None:
    tblpr = table._tbl.tblPr
    look = tblpr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        tblpr.append(look)
    for attr, value in (
        ("w:firstRow", "1"),
        ("w:lastRow", "1" if total else "0"),
        ("w:firstColumn", "0"),
        ("w:lastColumn", "0"),
        ("w:noHBand", "1"),
        ("w:noVBand", "1"),
    ):
        look.set(qn(attr), value)


def _add_table(doc, table: Table, width_cm: float) -> None:
    styles = _styles(doc)
    if table.caption:
        caption = _para(doc, table.caption, "Caption")
        caption.paragraph_format.keep_with_next = True
    body = [*table.rows, *([table.total] if table.total else [])]
    t = doc.add_table(rows=1 + len(body), cols=len(table.columns))
    t.style = styles[TABLE_STYLE]
    t.alignment = WD_TABLE_ALIGNMENT.LEFT
    _set_look(t, total=bool(table.total))
    text_style_id = styles[TABLE_TEXT_STYLE].style_id
    numeric_cols = [
        any(row[j].kind in NUMERIC_KINDS for row in body) for j in range(len(table.columns))
    ]
    widths = None
    if table.widths:
        scale = width_cm / sum(table.widths)
        widths = [Cm(w * scale) for w in table.widths]
        for grid_col, w in zip(t._tbl.tblGrid.gridCol_lst, widths, strict=False):
            grid_col.w = w
    # Rows and cells from the XML directly: python-docx's row.cells works out merged
    # cells for every row, which costs more than writing the table.
    trs = t._tbl.tr_lst
    _mark_header_row(trs[0])
    for i, tr in enumerate(trs):
        row = None if i == 0 else body[i - 1]
        is_total = table.total is not None and i == len(body)
        for j, tc in enumerate(tr.tc_lst):
            if widths:
                tc.width = widths[j]
            cell_obj = _Cell(tc, t)
            if row is None:
                _write_cell_text(
                    cell_obj,
                    Cell(table.columns[j]),
                    style_id=text_style_id,
                    numeric=numeric_cols[j],
                    header=True,
                    bold=True,
                )
            else:
                cell = row[j]
                _write_cell_text(
                    cell_obj,
                    cell,
                    style_id=text_style_id,
                    numeric=cell.kind in NUMERIC_KINDS,
                    header=False,
                    bold=cell.bold or is_total,
                )
    if table.note:
        _para(doc, table.note, NOTE_STYLE)
    else:
        _para(doc, "", NOTE_STYLE).paragraph_format.space_after = Pt(4)


def _add_figure(doc, figure: Figure, render: Callable[[dict], bytes], figure_id: int) -> None:
    png = render(figure.spec)
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.keep_with_next = True
    run = paragraph.add_run()
    run.add_picture(io.BytesIO(png), width=Cm(figure.width_cm))
    inline = run._r.findall(".//" + qn("wp:docPr"))
    for doc_pr in inline:
        doc_pr.set("descr", figure.alt)
        doc_pr.set("title", figure.caption or "Diagram")
        doc_pr.set("name", f"Diagram {figure_id}")
    if figure.caption:
        _para(doc, figure.caption, "Caption")


def _add_legend(doc, legend: Legend) -> None:
    _para(doc, legend.title, "Heading 3")
    for group_title, items in legend.groups:
        paragraph = _para(doc, "", TABLE_TEXT_STYLE)
        paragraph.paragraph_format.space_before = Pt(3)
        paragraph.add_run(f"{group_title}: ").bold = True
        for i, item in enumerate(items):
            if i:
                paragraph.add_run("   ")
            symbol = paragraph.add_run(item.symbol)
            colour = COLOURS.get(item.key)
            if colour:
                symbol.font.color.rgb = RGBColor.from_string(colour)
            paragraph.add_run(f" {item.label}")


def _add_title_page(doc, document: Document) -> None:
    _para(doc, document.title, "Title")
    if document.subtitle:
        _para(doc, document.subtitle, "Subtitle")
    if document.meta:
        for label, value in document.meta.items():
            paragraph = _para(doc, "", TABLE_TEXT_STYLE)
            paragraph.paragraph_format.space_before = Pt(4)
            paragraph.add_run(label.upper()).bold = True
            paragraph.add_run("\n" + value)


def _usable_width_cm(doc) -> float:
    section = doc.sections[-1]
    try:
        width = section.page_width - section.left_margin - section.right_margin
        return max(8.0, width / 360000)
    except TypeError:
        return 16.0


def render_docx(
    document: Document,
    *,
    template: str | Path | bytes | None = None,
    render_chart: Callable[[dict], bytes] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """The report as .docx bytes. ``template``: a region's .docx (path or bytes) whose
    styles, page setup, headers and footers are used; its body text is replaced.
    ``render_chart``: spec -> PNG bytes (default: ``charts.render_png``, cached).
    ``progress(done, total)`` is called per block."""
    if isinstance(template, bytes):
        doc = open_docx(io.BytesIO(template))
        _clear_body(doc)
    elif template is not None:
        doc = open_docx(str(template))
        _clear_body(doc)
    else:
        doc = open_docx()
        section = doc.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Cm(2.0))
        section.top_margin = section.bottom_margin = Cm(2.0)
    if document.landscape:
        section = doc.sections[-1]
        if section.orientation != WD_ORIENT.LANDSCAPE:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = section.page_height, section.page_width
    _ensure_styles(doc)
    _set_language(doc, document.language)
    _update_fields_on_open(doc)
    props = doc.core_properties
    props.title = document.title
    props.subject = document.subtitle
    props.language = document.language
    props.author = document.meta.get("Upprättad av", "Styrkort")
    props.keywords = "Styrkort"
    render = render_chart or charts.render_png
    width = _usable_width_cm(doc)
    headings = document.headings()

    _add_title_page(doc, document)
    total = len(document.blocks)
    figure_id = 0
    for index, block in enumerate(document.blocks):
        if isinstance(block, Heading):
            _para(doc, block.text, f"Heading {min(max(block.level, 1), 4)}")
        elif isinstance(block, Paragraph):
            if block.style == "label":
                paragraph = _para(doc)
                paragraph.paragraph_format.keep_with_next = True
                paragraph.paragraph_format.space_after = Pt(2)
                paragraph.add_run(block.text).bold = True
            else:
                style = NOTE_STYLE if block.style == "note" else None
                for text in block.text.split("\n\n"):
                    _para(doc, text.strip(), style)
        elif isinstance(block, Text):
            style = NOTE_STYLE if block.style == "note" else None
            write_text(
                doc,
                with_lead(parse(block.text), block.lead),
                style_id=_styles(doc)[style].style_id if style else None,
                item_spacing=Pt(2),
            )
        elif isinstance(block, Table):
            _add_table(doc, block, width)
        elif isinstance(block, Figure):
            figure_id += 1
            block = copy.copy(block)
            block.width_cm = min(block.width_cm, width)
            _add_figure(doc, block, render, figure_id)
        elif isinstance(block, Legend):
            _add_legend(doc, block)
        elif isinstance(block, TableOfContents):
            _add_toc(doc, block, headings)
        elif isinstance(block, PageBreak):
            doc.add_page_break()
        if progress is not None:
            progress(index + 1, total)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
