"""Periods: parsing, canonical names and arithmetic (pure: Django is only asked to
translate an error message).

A :class:`Period` is a span of whole months inside one calendar year. The kinds
that occur in planning and follow-up are:

========================  ==========  ===============  =====================
kind                      months      canonical        also accepted
========================  ==========  ===============  =====================
``year``                  Jan-Dec     ``2022``         ``2022-ÅR``, ``ÅR 2022``
``reporting_point``       Jan-Apr     ``2022-DÅ04``    ``2022-T1``, ``DA04``, ``DÅ4``
``reporting_point``       Jan-Aug     ``2022-DÅ08``    ``2022-DA08``, ``DÅ 8``
``tertial``               May-Aug     ``2022-T2``
``tertial``               Sep-Dec     ``2022-T3``
``month``                 one month   ``2022-04``      ``202204``, ``april 2022``
``quarter``               3 months    ``2022-Q2``      ``Q2 2022``
``half``                  6 months    ``2022-H1``      ``H1 2022``
``span``                  any other   ``2022-01..05``  (cumulative year-to-date etc.)
========================  ==========  ===============  =====================

The reporting points DÅ04 and DÅ08 are cumulative from 1 January and ÅR is the
whole year, so ``2022-T1`` and ``2022-DÅ04`` are the same period (equal, same
hash) and both print as ``2022-DÅ04``. The kind is derived from the months, never
from how the period was written.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

__all__ = [
    "REPORTING_POINTS",
    "Period",
    "PeriodError",
    "half_period",
    "month_period",
    "parse_period",
    "parse_reporting_point_list",
    "period_text",
    "quarter_period",
    "reporting_point_period",
    "reporting_points",
    "tertial_period",
    "year_period",
    "year_span",
]

#: Reporting points in calendar order: interim reports per April and August, and the year.
REPORTING_POINTS: tuple[str, ...] = ("DÅ04", "DÅ08", "ÅR")

_REPORTING_POINT_LAST_MONTH = {"DÅ04": 4, "DÅ08": 8, "ÅR": 12}

MONTH_NAMES_SV = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
MONTH_NAMES_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTH_ABBR_EN = tuple(name[:3] for name in MONTH_NAMES_EN)


class PeriodError(ValueError):
    """A period that cannot be parsed or built; the message names the value and is in the
    active language (Swedish unless the user chose English)."""


def _(message: str) -> str:
    """`message` in the active language once Django is set up, else the Swedish source.
    Only called on the error path."""
    from django.conf import settings

    if not settings.configured:
        return message
    from django.utils.translation import gettext

    return gettext(message)


def _unknown(text: object) -> PeriodError:
    return PeriodError(
        _(
            "Okänd period: '%(text)s'. Använd t.ex. 2022, 2022-T1, 2022-DÅ04, 2022-04, "
            "2022-Q2 eller 2022-H1."
        )
        % {"text": text}
    )


@dataclass(frozen=True, order=True)
class Period:
    """Whole months ``first_month``..``last_month`` (inclusive) of ``year``.

    Ordering is by year, then first month, then last month: by start, and the
    shorter period first when two start together.
    """

    year: int
    first_month: int
    last_month: int

    def __post_init__(self) -> None:
        for name in ("year", "first_month", "last_month"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise PeriodError(
                    _("Ogiltig period: %(name)s måste vara ett heltal, inte %(value)s.")
                    % {"name": name, "value": repr(value)}
                )
        if not 1 <= self.year <= 9999:
            raise PeriodError(
                _("Ogiltig period: året %(year)s ligger utanför 1-9999.") % {"year": self.year}
            )
        if not 1 <= self.first_month <= self.last_month <= 12:
            raise PeriodError(
                _(
                    "Ogiltig period: månaderna %(first)s-%(last)s måste ligga inom 1-12 och "
                    "i ordning."
                )
                % {"first": self.first_month, "last": self.last_month}
            )

    # --- identity -------------------------------------------------------------

    @property
    def kind(self) -> str:
        """One of ``year``, ``reporting_point``, ``tertial``, ``month``, ``quarter``,
        ``half`` or ``span`` (derived from the months)."""
        first, last = self.first_month, self.last_month
        if (first, last) == (1, 12):
            return "year"
        if (first, last) in ((1, 4), (1, 8)):
            return "reporting_point"
        if (first, last) in ((5, 8), (9, 12)):
            return "tertial"
        if first == last:
            return "month"
        if last - first == 2 and first % 3 == 1:
            return "quarter"
        if (first, last) in ((1, 6), (7, 12)):
            return "half"
        return "span"

    @property
    def canonical(self) -> str:
        """The one spelling every output uses: ``2022``, ``2022-DÅ04``, ``2022-T2``,
        ``2022-04``, ``2022-Q2``, ``2022-H1``, or ``2022-01..05`` for other spans."""
        kind = self.kind
        y = self.year
        if kind == "year":
            return f"{y:04d}"
        if kind == "reporting_point":
            return f"{y:04d}-DÅ{self.last_month:02d}"
        if kind == "tertial":
            return f"{y:04d}-T{self.tertial}"
        if kind == "month":
            return f"{y:04d}-{self.first_month:02d}"
        if kind == "quarter":
            return f"{y:04d}-Q{(self.first_month + 2) // 3}"
        if kind == "half":
            return f"{y:04d}-H{1 if self.first_month == 1 else 2}"
        return f"{y:04d}-{self.first_month:02d}..{self.last_month:02d}"

    def __str__(self) -> str:
        return self.canonical

    def __repr__(self) -> str:
        return f"Period({self.canonical!r})"

    @property
    def tertial(self) -> int | None:
        """1, 2 or 3 when the period is exactly a tertial (T1 = DÅ04), else None."""
        return {(1, 4): 1, (5, 8): 2, (9, 12): 3}.get((self.first_month, self.last_month))

    @property
    def reporting_point(self) -> str | None:
        """``DÅ04``, ``DÅ08`` or ``ÅR`` when the period coincides with one, else None."""
        if self.first_month != 1:
            return None
        return {4: "DÅ04", 8: "DÅ08", 12: "ÅR"}.get(self.last_month)

    @property
    def is_month(self) -> bool:
        return self.first_month == self.last_month

    @property
    def is_year(self) -> bool:
        return (self.first_month, self.last_month) == (1, 12)

    @property
    def month_count(self) -> int:
        return self.last_month - self.first_month + 1

    # --- dates and months -----------------------------------------------------

    @property
    def start(self) -> date:
        """First day of the period."""
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        """Last day of the period (inclusive)."""
        return date(self.year, self.last_month, calendar.monthrange(self.year, self.last_month)[1])

    def months(self) -> list[tuple[int, int]]:
        """The (year, month) pairs of the period, in order."""
        return [(self.year, m) for m in range(self.first_month, self.last_month + 1)]

    def month_periods(self) -> list[Period]:
        """The period split into one-month periods, in order."""
        return [Period(self.year, m, m) for m in range(self.first_month, self.last_month + 1)]

    def contains(self, other: Period | date) -> bool:
        """True when ``other`` (a period or a date) lies wholly inside this period."""
        if isinstance(other, Period):
            return other.year == self.year and (
                self.first_month <= other.first_month and other.last_month <= self.last_month
            )
        if isinstance(other, date):
            return self.start <= other <= self.end
        raise TypeError(f"contains() expects a Period or a date, not {type(other).__name__}")

    # --- arithmetic -----------------------------------------------------------

    def shift_years(self, n: int) -> Period:
        """The same months ``n`` years later (earlier when negative)."""
        return Period(self.year + n, self.first_month, self.last_month)

    def previous_year(self) -> Period:
        """The same months a year earlier: the comparison period for trends."""
        return self.shift_years(-1)

    def year_period(self) -> Period:
        """The whole year this period belongs to."""
        return Period(self.year, 1, 12)

    def year_to_date(self) -> Period:
        """January up to this period's last month (cumulative, as DÅ04 and DÅ08 are)."""
        return Period(self.year, 1, self.last_month)

    # --- labels ---------------------------------------------------------------

    @property
    def label_sv(self) -> str:
        """Swedish label: ``2022``, ``DÅ04 2022``, ``Tertial 2 2022``, ``april 2022``,
        ``Kvartal 2 2022``, ``Halvår 1 2022``, ``januari–maj 2022``."""
        kind, y = self.kind, self.year
        if kind == "year":
            return f"{y}"
        if kind == "reporting_point":
            return f"{self.reporting_point} {y}"
        if kind == "tertial":
            return f"Tertial {self.tertial} {y}"
        if kind == "month":
            return f"{MONTH_NAMES_SV[self.first_month - 1]} {y}"
        if kind == "quarter":
            return f"Kvartal {(self.first_month + 2) // 3} {y}"
        if kind == "half":
            return f"Halvår {1 if self.first_month == 1 else 2} {y}"
        first = MONTH_NAMES_SV[self.first_month - 1]
        last = MONTH_NAMES_SV[self.last_month - 1]
        return f"{first}–{last} {y}"

    @property
    def label_en(self) -> str:
        """English label: ``2022``, ``Jan–Apr 2022``, ``Tertial 2 2022``, ``April 2022``,
        ``Q2 2022``, ``H1 2022``, ``Jan–May 2022``."""
        kind, y = self.kind, self.year
        if kind == "year":
            return f"{y}"
        if kind == "tertial":
            return f"Tertial {self.tertial} {y}"
        if kind == "month":
            return f"{MONTH_NAMES_EN[self.first_month - 1]} {y}"
        if kind == "quarter":
            return f"Q{(self.first_month + 2) // 3} {y}"
        if kind == "half":
            return f"H{1 if self.first_month == 1 else 2} {y}"
        first = _MONTH_ABBR_EN[self.first_month - 1]
        last = _MONTH_ABBR_EN[self.last_month - 1]
        return f"{first}–{last} {y}"


# --- constructors -------------------------------------------------------------


def year_period(year: int) -> Period:
    return Period(year, 1, 12)


def month_period(year: int, month: int) -> Period:
    return Period(year, month, month)


def tertial_period(year: int, tertial: int) -> Period:
    """T1 Jan-Apr (prints as DÅ04), T2 May-Aug, T3 Sep-Dec."""
    if tertial not in (1, 2, 3):
        raise PeriodError(
            _("Okänt tertial: %(value)s. Använd 1, 2 eller 3.") % {"value": repr(tertial)}
        )
    first = 4 * (tertial - 1) + 1
    return Period(year, first, first + 3)


def quarter_period(year: int, quarter: int) -> Period:
    if quarter not in (1, 2, 3, 4):
        raise PeriodError(
            _("Okänt kvartal: %(value)s. Använd 1, 2, 3 eller 4.") % {"value": repr(quarter)}
        )
    first = 3 * (quarter - 1) + 1
    return Period(year, first, first + 2)


def half_period(year: int, half: int) -> Period:
    if half not in (1, 2):
        raise PeriodError(_("Okänt halvår: %(value)s. Använd 1 eller 2.") % {"value": repr(half)})
    return Period(year, 1, 6) if half == 1 else Period(year, 7, 12)


def reporting_point_period(year: int, point: str) -> Period:
    """The period of a reporting point (``DÅ04``, ``DÅ08``, ``ÅR``; aliases as in
    :func:`parse_period`): January up to April, August or December."""
    name = _normalise_point(point)
    if name is None:
        raise PeriodError(
            _("Okänd rapporteringspunkt: '%(point)s'. Använd DÅ04, DÅ08 eller ÅR.")
            % {"point": point}
        )
    return Period(year, 1, _REPORTING_POINT_LAST_MONTH[name])


def reporting_points(year: int) -> list[Period]:
    """The year's reporting points in order: DÅ04, DÅ08, ÅR."""
    return [Period(year, 1, 4), Period(year, 1, 8), Period(year, 1, 12)]


# --- parsing ------------------------------------------------------------------


def _fold(text: str) -> str:
    """Upper case, Å/Ä/Ö folded to A/A/O (composed or decomposed), dashes unified,
    whitespace collapsed: ``' då 04 '`` -> ``'DA 04'``."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = re.sub(r"[\u2010-\u2015\u2212]", "-", stripped)
    return re.sub(r"\s+", " ", stripped).strip().upper()


_MONTH_BY_NAME: dict[str, int] = {}
for _i, _name in enumerate(MONTH_NAMES_SV, start=1):
    _MONTH_BY_NAME[_fold(_name)] = _i
    _MONTH_BY_NAME[_fold(_name[:3])] = _i
for _i, _name in enumerate(MONTH_NAMES_EN, start=1):
    _MONTH_BY_NAME.setdefault(_fold(_name), _i)
    _MONTH_BY_NAME.setdefault(_fold(_name[:3]), _i)
_MONTH_BY_NAME["OKT"] = 10
_MONTH_BY_NAME["MAJ"] = 5

# A period part without the year, in folded form ("DA 04", "T1", "Q2", "AR", "04" ...).
_PART = re.compile(
    r"""^(?:
        (?P<ar>AR)
      | DA\ ?(?P<da>0?4|0?8)
      | (?:T|TERTIAL\ ?)(?P<t>[1-3])
      | (?:Q|KVARTAL\ ?)(?P<q>[1-4])
      | (?:H|HALVAR\ ?)(?P<h>[12])
      | (?P<m>[0-9]{1,2})
      | (?P<mname>[A-Z]{3,9})\.?
      | (?P<m1>[0-9]{1,2})\ ?\.\.\ ?(?P<m2>[0-9]{1,2})
      | (?P<n1>[A-Z]{3,9})\.?\ ?-\ ?(?P<n2>[A-Z]{3,9})\.?
    )$""",
    re.VERBOSE,
)
_YEAR_FIRST = re.compile(r"^(?P<year>[0-9]{4})(?:(?:\ ?[-/ ]\ ?|(?=[A-Z]))(?P<part>.+))?$")
_YEAR_LAST = re.compile(r"^(?P<part>.+?)\ ?[- ]\ ?(?P<year>[0-9]{4})$")
_COMPACT_MONTH = re.compile(r"^(?P<year>[0-9]{4})(?P<month>[0-9]{2})$")


def _from_part(year: int, part: str, *, year_first: bool) -> Period | None:
    match = _PART.match(part)
    if match is None:
        return None
    groups = match.groupdict()
    if groups["ar"]:
        return Period(year, 1, 12)
    if groups["da"]:
        return Period(year, 1, int(groups["da"]))
    if groups["t"]:
        return tertial_period(year, int(groups["t"]))
    if groups["q"]:
        return quarter_period(year, int(groups["q"]))
    if groups["h"]:
        return half_period(year, int(groups["h"]))
    if groups["m"]:
        # "2022-04" is a month; "04 2022" is too ambiguous to accept.
        month = int(groups["m"])
        return Period(year, month, month) if year_first and 1 <= month <= 12 else None
    if groups["mname"]:
        month = _MONTH_BY_NAME.get(groups["mname"])
        return Period(year, month, month) if month else None
    if groups["m1"]:
        first, last = int(groups["m1"]), int(groups["m2"])
        if year_first and 1 <= first <= last <= 12:
            return Period(year, first, last)
    if groups["n1"]:
        first = _MONTH_BY_NAME.get(groups["n1"])
        last = _MONTH_BY_NAME.get(groups["n2"])
        if first and last and first <= last:
            return Period(year, first, last)
    return None


def parse_period(text: str) -> Period:
    """Parse a period as people and files write it.

    Year first: ``2022``, ``2022-ÅR``, ``2022-T1``..``T3``, ``2022-DÅ04``/``DÅ08``
    (also ``DA04``, ``DÅ4``, ``DÅ 04``, lower case, decomposed Å), ``2022-04``,
    ``202204`` (a month, as in data files), ``2022-Q1``..``Q4``, ``2022-H1``/``H2``,
    ``2022-01..05`` (a span of months). Year last: ``ÅR 2022``, ``T1 2022``,
    ``DÅ04 2022``, ``Q2 2022``, ``H1 2022``, ``april 2022``/``apr 2022``,
    ``Tertial 2 2022``, ``Kvartal 2 2022``, ``Halvår 1 2022``, ``januari–maj 2022`` — so every
    ``label_sv`` and ``label_en`` parses back. Raises :class:`PeriodError` otherwise.
    """
    if not isinstance(text, str):
        raise _unknown(text)
    original = text.strip()
    folded = _fold(original)
    period: Period | None = None
    try:
        if match := _COMPACT_MONTH.match(folded):
            month = int(match["month"])
            if 1 <= month <= 12:
                period = Period(int(match["year"]), month, month)
        elif match := _YEAR_FIRST.match(folded):
            year = int(match["year"])
            part = match["part"]
            period = (
                Period(year, 1, 12) if part is None else _from_part(year, part, year_first=True)
            )
        elif match := _YEAR_LAST.match(folded):
            period = _from_part(int(match["year"]), match["part"], year_first=False)
    except PeriodError:
        period = None
    if period is None:
        raise _unknown(original)
    return period


def _normalise_point(token: str) -> str | None:
    folded = _fold(token).replace(" ", "")
    if folded == "AR":
        return "ÅR"
    if match := re.fullmatch(r"D?A?0?([48])", folded):
        return "DÅ04" if match[1] == "4" else "DÅ08"
    return None


def parse_reporting_point_list(text: str | None) -> list[str]:
    """The reporting points named in a plan's "Period" column, in calendar order.

    Handles the seeds' spellings: ``DÅ04,08, ÅR``, ``DÅ 04,08 ÅR``,
    ``DÅ04, DÅ08, ÅR``, ``D 04, 08, ÅR``, ``DÅ 08, ÅR``, ``ÅR``, ``År``. A
    bare ``DÅ``/``DÅR`` (delårsrapport without a month, seed 004) means both
    interim points. Text naming no reporting point (``Under utredning``, empty)
    gives ``[]``. Never raises.
    """
    if not isinstance(text, str):
        return []
    found: set[str] = set()
    for raw in re.split(r"[,;/&+]|\s+OCH\s+|\s+(?=AR\b)", _fold(text)):
        token = raw.strip().replace(" ", "")
        if not token:
            continue
        if token in ("DA", "DAR"):
            found.update(("DÅ04", "DÅ08"))
            continue
        # "DA04" and a bare "08" after it are both points; other tokens are ignored.
        name = _normalise_point(token)
        if name is not None:
            found.add(name)
    return [p for p in REPORTING_POINTS if p in found]


# --- periods written for people ----------------------------------------------------
#
# One form per context (docs/reports.md, "Periods in words"); the canonical name
# (``2022-DÅ04``) stays in the CLI, JSON, URLs and file names.
#
# ``label``   tables, column heads, headings, menus:  ``DÅ04 2022``, ``2022``
# ``months``  what a period covers, meta lines:        ``januari–april 2022``, ``2022``
# ``end``     running text after "per":                 ``april 2022``, ``2022``
# ``report``  a document's or round's title:           ``Delårsrapport per april 2022``,
#                                                       ``Årsrapport 2022``

PERIOD_FORMS = ("label", "months", "end", "report")

_REPORT_WORDS = {
    "sv": ("Delårsrapport per %(month)s", "Årsrapport %(year)s", "Uppföljning %(period)s"),
    "en": ("Interim report to %(month)s", "Annual report %(year)s", "Follow-up %(period)s"),
}


def _lang(lang: str | None) -> str:
    return "en" if (lang or "sv").lower().startswith("en") else "sv"


def month_name(month: int, lang: str | None = "sv") -> str:
    """The month's full name from the CLDR data (Babel): ``4`` -> ``april`` (``April``)."""
    from babel.dates import get_month_names

    return get_month_names("wide", locale=_lang(lang))[month]


def period_text(period: Period | str, form: str = "label", lang: str | None = "sv") -> str:
    """A period as people write it (the seeds' forms), in Swedish or English (``lang``).

    ``label``: ``DÅ04 2022``, ``DÅ08 2022``, a year as ``2022``, a tertial ``T2 2022``,
    other kinds as :attr:`Period.label_sv`. ``months``: ``januari–april 2022``,
    ``april 2022``, a year ``2022``. ``end``: the last month, as in "per april 2022"
    (a year ``2022``). ``report``: ``Delårsrapport per april 2022`` for a
    reporting point, ``Årsrapport 2022`` for a year, else ``Uppföljning januari–maj 2022``.
    A text is parsed first (:func:`parse_period`)."""
    p = period if isinstance(period, Period) else parse_period(str(period))
    lang = _lang(lang)
    if form == "label":
        if p.is_year:
            return str(p.year)
        if p.kind == "reporting_point" and lang == "sv":
            return f"{p.reporting_point} {p.year}"
        if p.kind == "tertial":
            return f"T{p.tertial} {p.year}"
        return p.label_en if lang == "en" else p.label_sv
    if form == "months":
        if p.is_year:
            return str(p.year)
        first, last = month_name(p.first_month, lang), month_name(p.last_month, lang)
        return f"{first} {p.year}" if p.is_month else f"{first}\u2013{last} {p.year}"
    if form == "end":
        if p.is_year:
            return str(p.year)
        return f"{month_name(p.last_month, lang)} {p.year}"
    if form == "report":
        interim, annual, other = _REPORT_WORDS[lang]
        if p.is_year:
            return annual % {"year": p.year}
        if p.kind == "reporting_point":
            return interim % {"month": f"{month_name(p.last_month, lang)} {p.year}"}
        return other % {"period": period_text(p, "months", lang)}
    raise ValueError(f"period_text: unknown form {form!r} (use one of {PERIOD_FORMS})")


def year_span(first: int, last: int | None = None) -> str:
    """Years as people write a plan period: ``2024`` (not ``2024–2024``), ``2022–2024``."""
    if last is None or last == first:
        return str(first)
    return f"{first}\u2013{last}"
