"""Free text written by people (analyses, comments, descriptions): the one stored format,
the one normaliser every write goes through, and a renderer per output.

**The stored format is plain text, as typed.** Paragraphs are separated by a blank line;
a line break inside a paragraph is kept; a line starting with ``- ``, ``* ``, ``• `` or
``– `` is a bullet list item, one starting with ``1. `` or ``1) `` a numbered one (a list
may follow a paragraph line directly; an indented line continues the item above);
``**bold**`` inside a line is bold. Nothing is escaped: ``Vård & omsorg <3 >2`` is stored
as those characters, and every output escapes (HTML) or writes it as it is (Word, PDF,
Excel, the API, the edit box).

- :func:`normalise` is the write side: services call it on every free-text field.
- :func:`parse` turns stored text into blocks (:class:`Para`, :class:`Bullets`,
  :class:`Numbered`) of lines of :class:`Run` for the renderers.
- :func:`to_html` (web pages, the HTML and PDF reports, the API's ``*_html`` fields),
  :func:`to_plain` (spreadsheet cells); Word: ``styrkort.reports.docx_text``.

Text in the sanitised HTML subset that Styrkort stored until 2025 (``<p>``, ``<br>``,
``<strong>``, ``<em>``, ``<ul>``, ``<ol>``, ``<li>``, ``<b>``, ``<i>`` and entities
such as ``&amp;``) is recognised and converted (:func:`looks_like_html`,
:func:`html_to_text`): by the data migrations for stored rows, and by :func:`normalise`
for input from clients that still send it. Pure module: no Django.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

__all__ = [
    "HTML_TAGS",
    "Bullets",
    "Numbered",
    "Para",
    "Run",
    "html_to_text",
    "looks_like_html",
    "normalise",
    "normalise_line",
    "parse",
    "to_html",
    "to_plain",
    "with_lead",
]

#: The tags of the HTML that :func:`to_html` writes (and that the old stored format used).
HTML_TAGS = frozenset({"p", "br", "strong", "em", "ul", "ol", "li", "b", "i"})


# --- blocks ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A piece of a line, bold or not."""

    text: str
    bold: bool = False


Line = tuple[Run, ...]


@dataclass(frozen=True)
class Para:
    """A paragraph: its lines (a line break between each)."""

    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Bullets:
    """A bullet list: each item is its lines."""

    items: tuple[tuple[Line, ...], ...]


@dataclass(frozen=True)
class Numbered:
    """A numbered list starting at ``start``: each item is its lines."""

    items: tuple[tuple[Line, ...], ...]
    start: int = 1


Block = Para | Bullets | Numbered


# --- the write side ---------------------------------------------------------------------

# C0 controls except tab and line feed, DEL, C1 controls, lone surrogates (PostgreSQL
# refuses NUL and surrogates), the byte-order mark.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff]")
_BLANK_LINES = re.compile(r"\n{3,}")

# What the old sanitiser (nh3) wrote: a closing tag, a line break tag, an opening block
# tag of the subset, or one of the entities it escaped text with. "<3", "a < b" and a
# bare "&" are text.
_HTML_NAMES = (
    "p|br|strong|em|ul|ol|li|b|i|u|s|a|div|span|font|script|style|h[1-6]|table|thead|tbody|"
    "tr|td|th|blockquote|pre|code|sub|sup|small|big|mark|del|ins|strike|center|section"
)
_HTML_HINT = re.compile(
    rf"</(?:{_HTML_NAMES})\s*>|<br\s*/?>|<(?:p|ul|ol|li)>"
    r"|&(?:amp|lt|gt|quot|apos|nbsp|#\d{1,7}|#x[0-9a-f]{1,6});",
    re.IGNORECASE,
)


def looks_like_html(text: str) -> bool:
    """Whether ``text`` is in the old stored format (sanitised HTML) rather than plain text."""
    return bool(_HTML_HINT.search(text or ""))


def normalise(value: object) -> str:
    """Free text as it is stored: line endings as ``\\n``, Unicode composed (NFC), control
    characters dropped, trailing spaces and more than one blank line removed, the whole
    stripped. Text in the old HTML format is converted to plain text first.
    ``None`` -> ``""``."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text))
    if looks_like_html(text):
        text = html_to_text(text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def normalise_line(value: object) -> str:
    """A one-line text (a name, a title, a reference): :func:`normalise` with every run of
    whitespace, line breaks included, made one space."""
    return " ".join(normalise(value).split())


class _HtmlToText(HTMLParser):
    """The old HTML subset (already cleaned by nh3) as plain text in the stored format."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.lists: list[list] = []  # [kind, next number]
        self.bold: list[list[str]] = []  # buffers of the open bold runs
        self.in_item = 0

    def _write(self, text: str) -> None:
        (self.bold[-1] if self.bold else self.out).append(text)

    def _block_break(self) -> None:
        if self.bold:
            return
        self.out.append("\n\n")

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self._write("\n  " if self.in_item else "\n")
        elif tag == "p":
            if self.in_item:
                self._write("\n  ")
            else:
                self._block_break()
        elif tag in ("ul", "ol"):
            if not self.lists:
                self._block_break()
            start = dict(attrs).get("start") or "1"
            self.lists.append([tag, int(start) if start.isdigit() else 1])
        elif tag == "li":
            self._close_bold_all()
            indent = "  " * max(len(self.lists) - 1, 0)
            if self.lists and self.lists[-1][0] == "ol":
                marker = f"{self.lists[-1][1]}. "
                self.lists[-1][1] += 1
            else:
                marker = "- "
            self.out.append(f"\n{indent}{marker}")
            self.in_item += 1
        elif tag in ("b", "strong"):
            self.bold.append([])

    def handle_endtag(self, tag):
        if tag == "p" and not self.in_item:
            self._block_break()
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            if not self.lists:
                self._block_break()
        elif tag == "li":
            self._close_bold_all()
            self.in_item = max(self.in_item - 1, 0)
        elif tag in ("b", "strong") and self.bold:
            self._close_bold()

    def handle_data(self, data):
        if self.lists and not self.in_item and not data.strip():
            return  # whitespace between list items
        if self.in_item:
            data = " ".join(data.split("\n"))
        self._write(data)

    def _close_bold(self) -> None:
        inner = "".join(self.bold.pop())
        lines = inner.split("\n")
        marked = []
        for line in lines:
            core = line.strip()
            if not core:
                marked.append(line)
                continue
            lead = line[: len(line) - len(line.lstrip())]
            tail = line[len(line.rstrip()) :]
            marked.append(f"{lead}**{core}**{tail}")
        self._write("\n".join(marked))

    def _close_bold_all(self) -> None:
        while self.bold:
            self._close_bold()

    def text(self) -> str:
        self._close_bold_all()
        return "".join(self.out)


def html_to_text(markup: str) -> str:
    """Text in the old format (HTML, or text escaped as HTML) as plain text: paragraphs
    separated by blank lines, ``<br>`` as a line break, list items as ``- `` / ``1. ``
    lines, ``<b>``/``<strong>`` as ``**bold**``, other tags dropped (scripts and styles
    with their content), entities decoded. Line breaks in the text are kept (the pages
    showed them)."""
    cleaned = nh3.clean(
        markup or "", tags=set(HTML_TAGS), attributes={"ol": {"start"}}, strip_comments=True
    )
    parser = _HtmlToText()
    parser.feed(cleaned)
    parser.close()
    text = "\n".join(line.rstrip() for line in parser.text().split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


# --- parsing ----------------------------------------------------------------------------

_BULLET = re.compile(r"^[ \t]*[-*•–][ \t]+(\S.*)$")
_NUMBER = re.compile(r"^[ \t]*(\d{1,3})[.)][ \t]+(\S.*)$")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def _runs(line: str) -> Line:
    runs: list[Run] = []
    at = 0
    for match in _BOLD.finditer(line):
        if match.start() > at:
            runs.append(Run(line[at : match.start()]))
        runs.append(Run(match.group(1), bold=True))
        at = match.end()
    if at < len(line):
        runs.append(Run(line[at:]))
    return tuple(runs)


def _block(kind: str, lines: list[str], items: list[list[str]], start: int) -> Block | None:
    if kind == "p" and lines:
        return Para(tuple(_runs(line) for line in lines))
    item_runs = tuple(tuple(_runs(line) for line in item) for item in items)
    if kind == "ul" and items:
        return Bullets(item_runs)
    if kind == "ol" and items:
        return Numbered(item_runs, start)
    return None


def _chunk_blocks(chunk: str) -> list[Block]:
    """The blocks of a text without blank lines: a list may follow a paragraph line
    directly, an indented line continues the list item above, any other line after a
    list starts a paragraph."""
    blocks: list[Block] = []
    kind, lines, items, start = "", [], [], 1
    for raw in chunk.split("\n"):
        bullet, number = _BULLET.match(raw), _NUMBER.match(raw)
        if number or bullet:
            new_kind = "ol" if number else "ul"
            if kind != new_kind:
                blocks.append(_block(kind, lines, items, start))
                kind, lines, items = new_kind, [], []
                start = int(number.group(1)) if number else 1
            items.append([(number.group(2) if number else bullet.group(1)).strip()])
        elif not raw.strip():
            continue
        elif kind in ("ul", "ol") and raw[:1] in (" ", "\t"):
            items[-1].append(raw.strip())
        else:
            if kind != "p":
                blocks.append(_block(kind, lines, items, start))
                kind, lines, items = "p", [], []
            lines.append(raw.strip())
    blocks.append(_block(kind, lines, items, start))
    return [b for b in blocks if b is not None]


def parse(text: str) -> list[Block]:
    """Stored text as blocks: paragraphs, bullet lists and numbered lists."""
    blocks: list[Block] = []
    for chunk in _PARAGRAPH_BREAK.split((text or "").replace("\r\n", "\n").strip("\n")):
        blocks += _chunk_blocks(chunk)
    return _merge_lists(blocks)


def _merge_lists(blocks: list[Block]) -> list[Block]:
    """A list written with blank lines between its items is one list."""
    merged: list[Block] = []
    for block in blocks:
        last = merged[-1] if merged else None
        if isinstance(block, Bullets) and isinstance(last, Bullets):
            merged[-1] = Bullets(last.items + block.items)
        elif (
            isinstance(block, Numbered)
            and isinstance(last, Numbered)
            and block.start == last.start + len(last.items)
        ):
            merged[-1] = Numbered(last.items + block.items, last.start)
        else:
            merged.append(block)
    return merged


def with_lead(blocks: list[Block], lead: str) -> list[Block]:
    """``blocks`` with ``lead`` (a label such as ``Bedömning: ● Uppfyllt.``) in front of
    the first paragraph's first line, or as a paragraph of its own before a list."""
    if not lead:
        return blocks
    if blocks and isinstance(blocks[0], Para):
        first = blocks[0]
        line = (Run(f"{lead} "), *first.lines[0])
        return [Para((line, *first.lines[1:])), *blocks[1:]]
    return [Para(((Run(lead),),)), *blocks]


# --- renderers --------------------------------------------------------------------------


def _line_html(line: Line) -> str:
    return "".join(
        f"<strong>{html.escape(r.text, quote=False)}</strong>"
        if r.bold
        else html.escape(r.text, quote=False)
        for r in line
    )


def _lines_html(lines: tuple[Line, ...]) -> str:
    return "<br>".join(_line_html(line) for line in lines)


def blocks_html(blocks: list[Block], *, paragraph_class: str = "") -> str:
    """Blocks as HTML (``<p>``, ``<ul>``, ``<ol>``, ``<br>``, ``<strong>``), escaped and
    passed through nh3 with the same tags as a last guard."""
    cls = f' class="{html.escape(paragraph_class)}"' if paragraph_class else ""
    out = []
    for block in blocks:
        if isinstance(block, Para):
            out.append(f"<p{cls}>{_lines_html(block.lines)}</p>")
        elif isinstance(block, Bullets):
            items = "".join(f"<li>{_lines_html(item)}</li>" for item in block.items)
            out.append(f"<ul{cls}>{items}</ul>")
        else:
            start = f' start="{block.start}"' if block.start != 1 else ""
            items = "".join(f"<li>{_lines_html(item)}</li>" for item in block.items)
            out.append(f"<ol{cls}{start}>{items}</ol>")
    attributes = {"ol": {"start"}}
    if paragraph_class:
        attributes.update({tag: {"class"} for tag in ("p", "ul", "ol")})
        attributes["ol"] = {"start", "class"}
    return nh3.clean("".join(out), tags=set(HTML_TAGS), attributes=attributes)


def to_html(text: str, *, lead: str = "", paragraph_class: str = "") -> str:
    """Stored text as safe HTML for a page (web, the HTML and PDF reports, the API)."""
    return blocks_html(with_lead(parse(text), lead), paragraph_class=paragraph_class)


def _line_plain(line: Line) -> str:
    return "".join(r.text for r in line)


def blocks_plain(blocks: list[Block]) -> str:
    """Blocks as plain text without markup: paragraphs separated by a blank line, bullet
    items as ``• `` lines, numbered items as ``1. `` lines."""
    out = []
    for block in blocks:
        if isinstance(block, Para):
            out.append("\n".join(_line_plain(line) for line in block.lines))
        else:
            lines = []
            for i, item in enumerate(block.items):
                marker = "• " if isinstance(block, Bullets) else f"{block.start + i}. "
                pad = " " * len(marker)
                lines.append(marker + f"\n{pad}".join(_line_plain(line) for line in item))
            out.append("\n".join(lines))
    return "\n\n".join(out)


def to_plain(text: str, *, lead: str = "") -> str:
    """Stored text as plain text for a spreadsheet cell or a plain-text reader."""
    return blocks_plain(with_lead(parse(text), lead))
