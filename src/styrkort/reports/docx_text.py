"""Free text written by people (``styrkort.text``) in Word: one paragraph per paragraph
(line breaks kept), bold runs, and bullet and numbered lists as Word lists.

A list is a run of paragraphs with Word numbering (``w:numPr``): Styrkort adds one
bullet and one decimal list definition to the document's numbering part (a region
template's own definitions are left alone), and each numbered list gets a numbering
instance of its own that starts at its first number, so that the second list of a
report starts again at 1. The paragraph keeps the style it is written with (body text,
``Styrkort not``, ``Styrkort tabelltext``), so a region's template styles it.
"""

from __future__ import annotations

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from docx.text.run import Run

from styrkort.text import Block, Bullets, Line, Numbered, Para

__all__ = ["write_text"]

_INDENT_LEFT, _INDENT_HANGING = 567, 283  # twentieths of a point: 1 cm, 0.5 cm


def _abstract_xml(abstract_id: int, fmt: str, text: str) -> str:
    return (
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        '<w:multiLevelType w:val="singleLevel"/>'
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{_INDENT_LEFT}" w:hanging="{_INDENT_HANGING}"/></w:pPr>'
        "</w:lvl></w:abstractNum>"
    )


class _Numbering:
    """Styrkort's two list definitions in a document's numbering part, added once."""

    def __init__(self, part):
        self.element = part.numbering_part.element
        abstracts = self.element.findall(qn("w:abstractNum"))
        next_id = 1 + max((int(a.get(qn("w:abstractNumId"))) for a in abstracts), default=-1)
        self.bullet_id, self.decimal_id = next_id, next_id + 1
        first_num = self.element.find(qn("w:num"))
        for abstract_id, fmt, text in (
            (self.bullet_id, "bullet", "\u2022"),
            (self.decimal_id, "decimal", "%1."),
        ):
            abstract = parse_xml(_abstract_xml(abstract_id, fmt, text))
            # The schema wants every abstractNum before the first num.
            if first_num is not None:
                first_num.addprevious(abstract)
            else:
                self.element.append(abstract)

    def new_list(self, numbered: bool, start: int = 1) -> int:
        """A numbering instance for one list; its numId."""
        num = self.element.add_num(self.decimal_id if numbered else self.bullet_id)
        num.add_lvlOverride(ilvl=0).add_startOverride(start if numbered else 1)
        return num.numId


def _numbering(part) -> _Numbering:
    """The list definitions of the document that ``part`` (its main part) belongs to."""
    cached = getattr(part, "_styrkort_numbering", None)
    if cached is None:
        cached = part._styrkort_numbering = _Numbering(part)
    return cached


def _add_line(paragraph, line: Line, *, bold: bool) -> None:
    for run in line:
        r = paragraph._p.add_r()
        r.add_t(run.text)
        if run.bold or bold:
            Run(r, paragraph).bold = True


def _fill(paragraph, lines: tuple[Line, ...], *, bold: bool) -> None:
    for i, line in enumerate(lines):
        if i:
            paragraph._p.add_r().append(OxmlElement("w:br"))
        _add_line(paragraph, line, bold=bold)


def _set_num(paragraph, num_id: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    numpr = ppr.get_or_add_numPr()
    numpr.get_or_add_ilvl().val = 0
    numpr.get_or_add_numId().val = num_id


def write_text(
    container,
    blocks: list[Block],
    *,
    style_id: str | None = None,
    first=None,
    bold: bool = False,
    item_spacing: Pt | None = None,
) -> list:
    """Write ``blocks`` into ``container`` (the document, or a table cell) as paragraphs
    of the style ``style_id`` (None: the container's default). ``first``: an empty
    paragraph to use for the first one (a table cell's own). ``bold``: every run bold
    (a summed row). ``item_spacing``: the space after each list item but the last (None:
    the style's). Returns the paragraphs written."""
    written = []

    def paragraph():
        nonlocal first
        if first is not None:
            p, first = first, None
        else:
            p = container.add_paragraph()
        if style_id:
            p._p.get_or_add_pPr().style = style_id
        written.append(p)
        return p

    for block in blocks:
        if isinstance(block, Para):
            _fill(paragraph(), block.lines, bold=bold)
            continue
        numbered = isinstance(block, Numbered)
        num_id = _numbering(container.part).new_list(numbered, block.start if numbered else 1)
        items = block.items if isinstance(block, Bullets | Numbered) else ()
        for i, item in enumerate(items):
            p = paragraph()
            _set_num(p, num_id)
            if item_spacing is not None and i < len(items) - 1:
                p.paragraph_format.space_after = item_spacing
            _fill(p, item, bold=bold)
    return written
