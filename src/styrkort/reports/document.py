"""A format-neutral report: headings, paragraphs, tables of typed cells, figures.

The report builders (``interim``, ``plan``) produce a :class:`Document`; the renderers
(``docx``, ``xlsx``, ``html``, ``pdf``) print it. Every table cell keeps both the text a
person reads (Swedish formatting, ``styrkort.io.numbers``) and the typed value a
spreadsheet needs, so Word and Excel never disagree. Pure module: no Django.

Numbers: percentages in percent (51 % is ``51.0``), changes in percent (+5,0 % is
``5.036``), money in the unit named by the cell (``mnkr``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from styrkort.io.numbers import (
    NBSP,
    format_change_pct,
    format_mnkr,
    format_number,
    format_percent_value,
)
from styrkort.text import to_plain

__all__ = [
    "Block",
    "Cell",
    "Document",
    "Figure",
    "Heading",
    "Legend",
    "LegendItem",
    "PageBreak",
    "Paragraph",
    "Table",
    "TableOfContents",
    "Text",
    "change_cell",
    "count_cell",
    "free_text_cell",
    "mnkr_cell",
    "number_cell",
    "percent_cell",
    "symbol_cell",
    "text_cell",
    "value_cell",
    "written_cell",
]

#: Cell kinds. ``number``/``count``/``percent``/``change``/``mnkr`` carry a float value;
#: ``symbol`` carries a status key (``met`` ...) with its symbol and label; ``free`` is
#: free text written by a person (``value`` as stored, ``text`` as plain text).
KINDS = ("text", "number", "count", "percent", "change", "mnkr", "symbol", "free")


@dataclass(frozen=True)
class Cell:
    """One table cell: ``text`` as printed and ``value`` as typed data.

    ``kind`` says how ``value`` is typed (see ``KINDS``); ``decimals`` how many decimals
    the text shows. ``denominator``: for a ratio the count it rests on, so that
    publication suppression can hide a percentage built on too few cases. ``parts``:
    a composite cell (an outcome with women and men), each part a ``(label, Cell)``;
    documents print one line per part, spreadsheets one column per label.
    ``symbol``/``label``/``key``: for a status cell, the shape, its words and the
    status key (``met``, ``partly`` ...). ``suppressed``: hidden for publication.
    ``written``: see the field.
    """

    text: str = ""
    value: float | str | None = None
    kind: str = "text"
    decimals: int = 0
    denominator: float | None = None
    parts: tuple[tuple[str, Cell], ...] = ()
    symbol: str = ""
    label: str = ""
    key: str = ""
    suppressed: bool = False
    bold: bool = False
    #: ``text`` is a target as the plan writes it ("max 2 %") and ``value`` its parsed
    #: number: a spreadsheet keeps the words and puts the number in a column beside them.
    written: bool = False

    @property
    def is_numeric(self) -> bool:
        return self.kind in ("number", "count", "percent", "change", "mnkr") and isinstance(
            self.value, int | float
        )

    def line_cells(self) -> list[tuple[str, Cell]]:
        """The lines a document prints, each with the cell it comes from (one per part
        of a composite cell, labelled ``K: 18,8 %``)."""
        if self.parts:
            out = [(self.text, self)] if self.text else []
            out += [
                (f"{label}: {part.text}" if label else part.text, part)
                for label, part in self.parts
                if part.text
            ]
            return out
        return [(line, self) for line in self.text.split("\n")] if self.text else []

    @property
    def lines(self) -> list[str]:
        """The text split into the lines a document prints (one per part)."""
        return [line for line, _ in self.line_cells()]


def text_cell(text: object, *, bold: bool = False) -> Cell:
    return Cell(
        text="" if text is None else str(text), value=None if text is None else str(text), bold=bold
    )


def free_text_cell(text: str | None) -> Cell:
    """Free text written by a person (an activity's comment), in the stored format of
    ``styrkort.text``: documents print its paragraphs and lists, spreadsheets its plain
    text."""
    stored = text or ""
    return Cell(text=to_plain(stored), value=stored or None, kind="free")


def number_cell(value: float | None, decimals: int = 0, *, bold: bool = False) -> Cell:
    """A plain number: ``1757`` -> ``1 757``."""
    return Cell(format_number(value, decimals), value, "number", decimals, bold=bold)


def count_cell(value: float | None, *, bold: bool = False) -> Cell:
    """A count of people or events (may be suppressed for publication)."""
    return Cell(format_number(value, 0), value, "count", 0, bold=bold)


def percent_cell(
    value: float | None,
    decimals: int = 1,
    *,
    denominator: float | None = None,
    bold: bool = False,
) -> Cell:
    """A percentage in percent (0-100): ``23.59`` -> ``23,6 %``."""
    return Cell(
        format_percent_value(value, decimals), value, "percent", decimals, denominator, bold=bold
    )


def change_cell(value: float | None, decimals: int = 1, *, bold: bool = False) -> Cell:
    """A relative change in percent with its sign: ``5.036`` -> ``+5,0 %``."""
    return Cell(format_change_pct(value, decimals), value, "change", decimals, bold=bold)


def mnkr_cell(
    value: float | None, decimals: int = 1, *, signed: bool = False, with_unit: bool = True
) -> Cell:
    """Millions of kronor with one decimal: ``19`` -> ``19,0 mnkr`` (``19,0`` without the
    unit, for a table whose header names it)."""
    text = format_mnkr(value, decimals, signed=signed)
    if not with_unit and text:
        text = text.removesuffix(f"{NBSP}mnkr")
    return Cell(text, value, "mnkr", decimals)


def value_cell(
    value: float | None,
    unit: str,
    decimals: int = 0,
    *,
    denominator: float | None = None,
    bold: bool = False,
) -> Cell:
    """A value in an indicator's unit: ``%`` as a percentage, ``st`` as a count,
    ``mnkr`` as money, anything else as a number followed by its unit."""
    if unit == "%":
        return percent_cell(value, decimals, denominator=denominator, bold=bold)
    if unit == "st":
        if value is None:
            return Cell("", None, "count", 0, bold=bold)
        return Cell(format_number(value, decimals), value, "count", decimals, bold=bold)
    if unit == "mnkr":
        return Cell(format_mnkr(value, max(decimals, 1)), value, "mnkr", max(decimals, 1))
    text = format_number(value, decimals)
    if text and unit and unit not in ("index",):
        text = f"{text}{NBSP}{unit}"
    return Cell(text, value, "number", decimals, denominator, bold=bold)


def written_cell(text: str, typed: Cell) -> Cell:
    """A target as the plan writes it with its parsed number ``typed``: ``"max 2 %"``
    keeps its words (``written``, a spreadsheet puts the number beside them); a text that
    is just the number (``"70 %"``) is written as the typed number."""

    def bare(t: str) -> str:
        return "".join(t.split()).replace("\u00a0", "")

    return Cell(
        text,
        typed.value,
        typed.kind,
        typed.decimals,
        bold=typed.bold,
        written=bare(text) != bare(typed.text),
    )


def symbol_cell(key: str, symbol: str, label: str, *, text: str | None = None) -> Cell:
    """A status, trend or activity status: shape and words, never colour alone."""
    shown = text if text is not None else " ".join(s for s in (symbol, label) if s)
    return Cell(shown, label or key, "symbol", symbol=symbol, label=label, key=key)


# --- blocks ---------------------------------------------------------------------------


@dataclass
class Text:
    """Free text written by a person (an analysis, a description), in the stored format
    of ``styrkort.text``; each renderer prints its paragraphs, lists and bold. ``lead``:
    words put in front of it (``Bedömning: ● Uppfyllt.``); ``style`` as for
    :class:`Paragraph`."""

    text: str
    style: str = ""
    lead: str = ""


@dataclass
class Heading:
    text: str
    level: int = 1


@dataclass
class Paragraph:
    text: str
    style: str = ""  # "" body text; "note" small print; "lead" introduction


@dataclass
class Table:
    """A table with a header row, body rows and an optional summed row.

    ``name`` is a short title (spreadsheet sheet names, 31 characters at most);
    ``caption`` is printed above the table; ``widths`` are relative column widths;
    ``row_headers`` the number of leading columns that label a row.
    """

    columns: list[str]
    rows: list[list[Cell]]
    caption: str = ""
    name: str = ""
    total: list[Cell] | None = None
    widths: list[float] | None = None
    row_headers: int = 1
    note: str = ""

    def __post_init__(self) -> None:
        width = len(self.columns)
        for row in [*self.rows, *([self.total] if self.total else [])]:
            if len(row) != width:
                raise ValueError(
                    f"table '{self.caption}': row of {len(row)} cells, {width} columns"
                )

    def column(self, index: int) -> list[Cell]:
        return [row[index] for row in self.rows]


@dataclass
class Figure:
    """A chart: its Vega-Lite ``spec`` (``charts``), the text alternative ``alt`` read
    by screen readers, and a ``caption`` printed under it."""

    spec: dict[str, Any]
    alt: str
    caption: str = ""
    width_cm: float = 15.0
    #: The values plotted (suppression checks them when the chart shows counts).
    values: tuple[float, ...] = ()
    counts: bool = False


@dataclass
class LegendItem:
    symbol: str
    label: str
    key: str = ""


@dataclass
class Legend:
    """The explanation of the symbols: groups of (symbol, words)."""

    title: str
    groups: list[tuple[str, list[LegendItem]]]


@dataclass
class TableOfContents:
    title: str = "Innehållsförteckning"


@dataclass
class PageBreak:
    pass


Block = Heading | Paragraph | Text | Table | Figure | Legend | TableOfContents | PageBreak


@dataclass
class Document:
    """A whole report: ``title``, ``subtitle``, ``meta`` (label -> value printed on
    the title page and stored as document properties) and ``blocks`` in order."""

    title: str
    subtitle: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    language: str = "sv-SE"
    landscape: bool = False

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(b for b in blocks if b is not None)

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def figures(self) -> list[Figure]:
        return [b for b in self.blocks if isinstance(b, Figure)]

    def headings(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading)]
