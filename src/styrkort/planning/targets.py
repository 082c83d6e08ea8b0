"""Parse Swedish target texts (målvärden) into a structure the rules can evaluate.

Pure module: no Django, no ORM. :func:`parse_target` never raises; text it does
not understand becomes ``kind="qualitative"`` (assessed by hand) and keeps the
text. The forms below are those printed in the seeds' indicator tables.

Kinds and the fields they use (fields not listed stay ``None``):

``value``
    A number: ``40 %``, ``max 175``, ``min 75 %``, ``Minst 89 %``, ``över 75``,
    ``Under 6,5 %``, ``0 tkr``, ``43 000``, ``100 % i dec``, ``≥ 90 %``.
    ``comparator`` is ``le`` (max, högst, ≤), ``ge`` (min, minst, lägst, ≥),
    ``lt`` (under, <), ``gt`` (över, >), ``eq`` (=, exakt) or ``auto`` for a plain
    number, which the evaluator resolves from the indicator's desired direction
    (higher is better: ``ge``; lower is better: ``le``; on target: ``eq``).
    ``value`` (float), ``unit`` (``%``, ``tkr``, ``mnkr``, ``kr``, ``st``,
    ``dagar`` or None when the text names none: the indicator's unit applies),
    ``month`` (``100 % i dec`` -> 12: the target applies to the value at that
    month; seed 004's waiting-list indicators are "nuläget per 30 april, 31
    augusti och 31 december"), ``denominator`` (see below).

    ``6/25`` (seed 004, "Införda personcentrerade och sammanhållna vårdförlopp",
    baseline ``2020: 0/6``) means 6 introduced out of the 25 national care
    pathways that exist: ``value`` is the target count (6), ``denominator`` the
    whole it is counted from (25). The status rule compares the count with
    ``value``; the denominator is context for display (``6/25``), not a ratio to
    divide by.
``by_sex``
    A target per sex: ``K 16,0 M 17,2``, ``M: 17,2 % K: 16 %``. ``parts`` has the
    keys ``women`` and ``men``, each a ``value`` spec. A comparator before both
    (``max K 16 M 17``) applies to both.
``by_point``
    A target per reporting point: ``DÅ 04: 56 % DÅ 08: 57 % ÅR: 58 %``. ``parts``
    has keys among ``DÅ04``, ``DÅ08``, ``ÅR``, each a ``value`` spec.
``relative``
    A change against a reference: ``Öka``, ``Minska``, ``Förbättrat värde``,
    ``Minska med 50 % jmf 2020``, ``Minskad skillnad jmf 2019``,
    ``Öka utifrån 202012``, ``Samma som 201912``. ``change`` is ``increase``,
    ``decrease``, ``improve`` (better in the indicator's desired direction),
    ``same`` (unchanged within the trend epsilon) or ``decrease_gap`` (the gap to
    a benchmark shrinks). ``amount`` with ``amount_unit`` (``%`` relative change,
    ``pp`` percentage points, None: in the indicator's unit) for ``Minska med 50
    %``. ``reference`` is ``previous_year`` (the same period a year earlier),
    ``year`` (with ``reference_year``: the same period in that year), ``period``
    (with ``reference_period``, a canonical period string such as ``2020-12``),
    ``national`` or ``peers``; ``None`` means no reference was written, and the
    rule is the default: the same period the previous year.
``comparison``
    Compared with others' published values (Kolada), assessed from them:
    ``I nivå med riket`` (``relation="level"``), ``Bättre än riket`` (``"better"``),
    ``Bland de 5 bästa regionerna`` (``"top"`` with ``rank=5``), ``Minskad skillnad
    mot riket jämfört med 2019`` (``"gap"`` with ``reference_year=2019``; no year: the
    previous year). ``reference`` is ``national`` (riket) or ``group`` (the
    organisation's comparison group, ``jämförelsegruppen``); ``regions`` for ``top``.
``benchmark``
    Compared with others in words the rules cannot assess: ``Låg och stabil nivå jfr
    med andra regioner`` (``reference="peers"``), ``Nära riket`` (``"national"``).
``trend``
    ``Varje verksamhet följer sin trend``: followed without a target value.
``per_unit``
    ``Anges för varje vårdcentral``: each unit has its own target.
``qualitative``
    Anything else (``Efter behov``, ``Uppdateras 2022``, ``Handlingsplaner
    upprättas``): assessed by hand.

``year`` is set for a target tied to a year (a long-term target): ``2026: 90 %``,
``Mål 2024: 100 %``, ``Långsiktigt målvärde 2026: 90%``, ``90 % (2026)``,
``90 % till 2026``. ``Långsiktigt målvärde 65%`` has no year.

Values are floats in the unit written; percentages in percent (``51 %`` is 51.0).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, fields, replace
from typing import Any

from styrkort.followup.evaluation.sexes import normalise_sex
from styrkort.io.numbers import NBSP, NumberError, format_number, parse_number
from styrkort.periods import MONTH_NAMES_SV, PeriodError, parse_period

__all__ = [
    "AMOUNT_UNITS",
    "ASSESSABLE_KINDS",
    "CHANGES",
    "COMPARATORS",
    "KINDS",
    "REFERENCES",
    "RELATIONS",
    "UNITS",
    "TargetSpec",
    "assessable",
    "describe_sv",
    "parse_target",
]

KINDS = (
    "value",
    "relative",
    "trend",
    "qualitative",
    "per_unit",
    "benchmark",
    "by_sex",
    "by_point",
    "comparison",
)
ASSESSABLE_KINDS = frozenset({"value", "by_sex", "by_point", "relative", "comparison"})
COMPARATORS = ("auto", "ge", "gt", "le", "lt", "eq")
UNITS = ("%", "tkr", "mnkr", "kr", "st", "dagar")
CHANGES = ("increase", "decrease", "improve", "same", "decrease_gap")
AMOUNT_UNITS = ("%", "pp")
REFERENCES = ("previous_year", "year", "period", "national", "peers", "group", "regions")
RELATIONS = ("level", "better", "top", "gap")
SEX_KEYS = ("women", "men")
POINT_KEYS = ("DÅ04", "DÅ08", "ÅR")

_ENUMS = {
    "kind": KINDS,
    "comparator": COMPARATORS,
    "unit": UNITS,
    "change": CHANGES,
    "amount_unit": AMOUNT_UNITS,
    "reference": REFERENCES,
    "relation": RELATIONS,
}
_FLOAT_FIELDS = ("value", "denominator", "amount")
_INT_FIELDS = ("month", "reference_year", "year", "rank")


@dataclass(frozen=True)
class TargetSpec:
    """The structure of one target text; see the module docstring for the kinds."""

    kind: str
    text: str
    comparator: str | None = None
    value: float | None = None
    unit: str | None = None
    denominator: float | None = None
    month: int | None = None
    parts: dict[str, TargetSpec] | None = None
    change: str | None = None
    amount: float | None = None
    amount_unit: str | None = None
    reference: str | None = None
    reference_year: int | None = None
    reference_period: str | None = None
    year: int | None = None
    relation: str | None = None
    rank: int | None = None

    def __post_init__(self) -> None:
        for name, allowed in _ENUMS.items():
            value = getattr(self, name)
            if value is not None and value not in allowed:
                raise ValueError(f"TargetSpec.{name} must be one of {allowed}, not {value!r}")
        if not isinstance(self.text, str):
            raise ValueError("TargetSpec.text must be a string")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"TargetSpec.month must be 1-12, not {self.month!r}")
        if self.parts is not None:
            allowed = SEX_KEYS if self.kind == "by_sex" else POINT_KEYS
            for key, part in self.parts.items():
                if key not in allowed or not isinstance(part, TargetSpec):
                    raise ValueError(f"TargetSpec.parts[{key!r}] is not allowed for {self.kind}")

    def __hash__(self) -> int:
        return hash(json.dumps(self.to_dict(), sort_keys=True))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict; fields that are None are left out."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            if f.name == "parts":
                value = {key: part.to_dict() for key, part in value.items()}
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TargetSpec:
        """Rebuild a spec from :meth:`to_dict` output. An empty dict gives an empty
        qualitative target; unknown keys or values raise ValueError."""
        if not isinstance(data, dict):
            raise ValueError("TargetSpec.from_dict expects a dict")
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown TargetSpec fields: {sorted(unknown)}")
        kwargs: dict[str, Any] = {"kind": "qualitative", "text": ""}
        for key, value in data.items():
            if value is None:
                continue
            if key == "parts":
                value = {str(k): cls.from_dict(v) for k, v in value.items()}
            elif key in _FLOAT_FIELDS:
                value = float(value)
            elif key in _INT_FIELDS:
                value = int(value)
            kwargs[key] = value
        return cls(**kwargs)


def assessable(spec: TargetSpec) -> bool:
    """True when the status rules can assess the target (value, by_sex, by_point,
    relative); trend, benchmark, per-unit and qualitative targets are assessed by hand."""
    return spec.kind in ASSESSABLE_KINDS


# --- normalisation and pieces ---------------------------------------------------

_SPACE_CHARS = "\u00a0\u202f\u2009\u2007"


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.translate({ord(c): " " for c in _SPACE_CHARS})
    text = re.sub(r"[\u2212\u2013\u2012]", "-", text)
    text = text.replace("\u2265", ">=").replace("\u2264", "<=")
    return re.sub(r"\s+", " ", text).strip()


_NUM = r"[+-]?(?:[0-9]{1,3}(?: [0-9]{3})+|[0-9]+)(?:[.,][0-9]+)?"

_UNIT_WORDS = {
    "%": "%",
    "procent": "%",
    "tkr": "tkr",
    "mnkr": "mnkr",
    "mkr": "mnkr",
    "msek": "mnkr",
    "miljoner kronor": "mnkr",
    "kr": "kr",
    "kronor": "kr",
    "sek": "kr",
    "st": "st",
    "st.": "st",
    "stycken": "st",
    "dagar": "dagar",
    "dag": "dagar",
    "dgr": "dagar",
}
_UNIT = (
    r"(?P<unit>%|procent(?![a-zåäö])|miljoner kronor|mnkr|mkr|msek|tkr|kronor|kr|sek"
    r"|stycken|st\.?|dagar|dag|dgr)(?![a-zåäö])"
)

# Longest alternatives first so "maximalt" is not read as "max" + "imalt".
_COMPARATOR_WORDS = [
    ("inte mer än", "le"),
    ("inte över", "le"),
    ("ej över", "le"),
    ("maximalt", "le"),
    ("maximum", "le"),
    ("högst", "le"),
    ("max", "le"),
    ("<=", "le"),
    ("inte under", "ge"),
    ("ej under", "ge"),
    ("minimum", "ge"),
    ("minst", "ge"),
    ("lägst", "ge"),
    ("min", "ge"),
    (">=", "ge"),
    ("mindre än", "lt"),
    ("färre än", "lt"),
    ("lägre än", "lt"),
    ("under", "lt"),
    ("<", "lt"),
    ("mer än", "gt"),
    ("fler än", "gt"),
    ("högre än", "gt"),
    ("över", "gt"),
    (">", "gt"),
    ("exakt", "eq"),
    ("=", "eq"),
]
_COMPARATOR_BY_WORD = dict(_COMPARATOR_WORDS)
_COMPARATOR = (
    "(?P<comp>"
    + "|".join(re.escape(w) + (r"\.?" if w[0].isalpha() else "") for w, _ in _COMPARATOR_WORDS)
    + ")"
)

_MONTH_BY_NAME: dict[str, int] = {}
for _i, _name in enumerate(MONTH_NAMES_SV, start=1):
    _MONTH_BY_NAME[_name] = _i
    _MONTH_BY_NAME[_name[:3]] = _i
_MONTH_BY_NAME["sept"] = 9
_MONTH_WORD = "(?P<month>" + "|".join(sorted(_MONTH_BY_NAME, key=len, reverse=True)) + r")\.?"

_VALUE = re.compile(
    rf"^(?:{_COMPARATOR}\s*)?(?P<num>{_NUM})"
    rf"(?:\s*(?:/|av)\s*(?P<den>{_NUM}))?"
    rf"(?:\s*{_UNIT})?"
    rf"(?:\s+(?:i|per)\s+{_MONTH_WORD})?$",
    re.IGNORECASE,
)


def _word_comparator(word: str) -> str:
    return _COMPARATOR_BY_WORD[word.lower().rstrip(".")]


def _parse_value(text: str, original: str, default_comparator: str = "auto") -> TargetSpec | None:
    match = _VALUE.match(text)
    if match is None:
        return None
    try:
        value = parse_number(match["num"])
        denominator = parse_number(match["den"]) if match["den"] else None
    except NumberError:
        return None
    return TargetSpec(
        kind="value",
        text=original,
        comparator=_word_comparator(match["comp"]) if match["comp"] else default_comparator,
        value=value,
        unit=_UNIT_WORDS[match["unit"].lower()] if match["unit"] else None,
        denominator=denominator,
        month=_MONTH_BY_NAME[match["month"].lower()] if match["month"] else None,
    )


# --- labelled parts: by sex and by reporting point -------------------------------

_PART_BODY = rf"(?:{_COMPARATOR}\s*)?{_NUM}(?:\s*{_UNIT})?"
_PART_BODY_PLAIN = re.sub(r"\(\?P<\w+>", "(?:", _PART_BODY)
# The labels a target text uses (seed 001: "K 16,0 M 17,2"); read by followup.evaluation.sexes.
_SEX_LABEL = r"kvinnor|män|k|m"
_POINT_LABEL = r"d[åa]\s*0?[48]|år|ar"
_SEPARATOR = r"(?:\s*[,;/]\s*|\s+och\s+|\s*)"


def _labelled_parts(text: str, label: str) -> list[tuple[str, str]] | None:
    """Split ``"K 16,0 M 17,2"`` into ``[("K", "16,0"), ("M", "17,2")]`` when the
    whole text is such a sequence, else None."""
    pattern = re.compile(
        rf"(?P<label>{label})(?![a-zåäö])\s*:?\s*(?P<body>{_PART_BODY_PLAIN})(?![0-9])",
        re.IGNORECASE,
    )
    parts: list[tuple[str, str]] = []
    position = 0
    for match in pattern.finditer(text):
        gap = text[position : match.start()]
        if not re.fullmatch(_SEPARATOR, gap, re.IGNORECASE):
            return None
        parts.append((match["label"], match["body"]))
        position = match.end()
    if position != len(text) or len(parts) < 2:
        return None
    return parts


def _parse_by_sex(text: str, original: str) -> TargetSpec | None:
    comparator = "auto"
    prefix = re.match(rf"^{_COMPARATOR}\s+(?=(?:{_SEX_LABEL})(?![a-zåäö]))", text, re.IGNORECASE)
    if prefix:
        comparator = _word_comparator(prefix["comp"])
        text = text[prefix.end() :]
    labelled = _labelled_parts(text, _SEX_LABEL)
    if labelled is None or len(labelled) != 2:
        return None
    parts: dict[str, TargetSpec] = {}
    for label, body in labelled:
        key = normalise_sex(label)
        part = _parse_value(body, body, comparator)
        if part is None or key in parts:
            return None
        parts[key] = part
    ordered = {key: parts[key] for key in SEX_KEYS}
    return TargetSpec(kind="by_sex", text=original, parts=ordered)


def _parse_by_point(text: str, original: str) -> TargetSpec | None:
    labelled = _labelled_parts(text, _POINT_LABEL)
    if labelled is None:
        return None
    parts: dict[str, TargetSpec] = {}
    for label, body in labelled:
        folded = re.sub(r"\s", "", label.lower())
        key = "ÅR" if folded in ("år", "ar") else ("DÅ04" if folded.endswith("4") else "DÅ08")
        part = _parse_value(body, body)
        if part is None or key in parts:
            return None
        parts[key] = part
    ordered = {key: parts[key] for key in POINT_KEYS if key in parts}
    return TargetSpec(kind="by_point", text=original, parts=ordered)


# --- relative targets ----------------------------------------------------------

_CHANGE_WORDS = [
    (r"minskad(?:e)? skillnad(?:er)?|minska skillnaden|minskat gap|minska gapet", "decrease_gap"),
    (r"öka|ökad|ökat|ökande|ökning|höja|höjd|höjt", "increase"),
    (r"minska|minskad|minskat|minskande|minskning|sänka|sänkt|sänkning", "decrease"),
    (r"förbättra|förbättrad|förbättrat|förbättring|bättre", "improve"),
    (r"samma|oförändrad|oförändrat|bibehålla|bibehållen|bibehållet|behålla", "same"),
    (r"halvera|halverad|halverat|halvering", "halve"),
]
_CHANGE = "(?P<verb>" + "|".join(w for w, _ in _CHANGE_WORDS) + ")"
_FILLER = r"(?:\s+(?:värde|värdet|nivå|nivån|resultat|andel|antal))?"
_AMOUNT = (
    rf"(?:\s+med\s+(?P<amount>{_NUM})\s*"
    r"(?P<amount_unit>%|procent(?:enheter)?|procentenh\.?|%-enheter|pe|p\.e\.)?(?![a-zåäö]))?"
)
_RELATIVE = re.compile(rf"^{_CHANGE}{_FILLER}{_AMOUNT}(?:\s+(?P<rest>.+))?$", re.IGNORECASE)
_REFERENCE_LEAD = re.compile(
    r"^(?:jmf|jfr|jämfört|i jämförelse|jämförelse|mot|utifrån|från|som|"
    r"i förhållande till|i relation till)\.?(?:\s+med)?\s+(?P<ref>.+)$",
    re.IGNORECASE,
)
_PREVIOUS_YEAR = re.compile(
    r"^(?:(?:samma|motsvarande)\s+[a-zåäö]+\s+)?"
    r"(?:föregående\s+år(?:et)?|förra\s+året|fg\.?\s+år|året\s+innan|året\s+före|"
    r"föregående\s+års\s+(?:värde|utfall|nivå|resultat))$",
    re.IGNORECASE,
)
_NATIONAL = re.compile(
    r"^(?:riket|rikets\s+(?:nivå|snitt|genomsnitt|medel(?:värde)?)|rikssnittet|rikssnitt|"
    r"riksgenomsnittet|riksgenomsnitt|nationell\s+nivå|nationella\s+snittet)$",
    re.IGNORECASE,
)
_PEERS = re.compile(
    r"^(?:andra|övriga|jämförbara|liknande)\s+regioner(?:na)?$",
    re.IGNORECASE,
)


def _reference(rest: str) -> dict[str, Any] | None:
    """Classify what a relative target compares with; None when not understood."""
    lead = _REFERENCE_LEAD.match(rest)
    if lead is None:
        return None
    ref = lead["ref"].strip().rstrip(".")
    if _PREVIOUS_YEAR.match(ref):
        return {"reference": "previous_year"}
    if _NATIONAL.match(ref):
        return {"reference": "national"}
    if _PEERS.match(ref):
        return {"reference": "peers"}
    ref = re.sub(r"^år\s+", "", ref, flags=re.IGNORECASE)
    try:
        period = parse_period(ref)
    except PeriodError:
        return None
    if period.is_year:
        return {"reference": "year", "reference_year": period.year}
    return {"reference": "period", "reference_period": period.canonical}


def _parse_relative(text: str, original: str) -> TargetSpec | None:
    match = _RELATIVE.match(text)
    if match is None:
        return None
    verb = match["verb"].lower()
    change = next(c for w, c in _CHANGE_WORDS if re.fullmatch(w, verb))
    amount: float | None = None
    amount_unit: str | None = None
    if match["amount"]:
        try:
            amount = parse_number(match["amount"])
        except NumberError:
            return None
        unit = (match["amount_unit"] or "").lower()
        if unit in ("%", "procent"):
            amount_unit = "%"
        elif unit:
            amount_unit = "pp"
    if change == "halve":
        if amount is not None:
            return None
        change, amount, amount_unit = "decrease", 50.0, "%"
    reference: dict[str, Any] = {}
    if match["rest"]:
        found = _reference(match["rest"])
        if found is None:
            return None
        reference = found
    return TargetSpec(
        kind="relative",
        text=original,
        change=change,
        amount=amount,
        amount_unit=amount_unit,
        **reference,
    )


# --- compared with others (Kolada) ------------------------------------------------

_OTHERS_NATIONAL = (
    r"riket|rikets\s+(?:nivå|snitt|genomsnitt|medel(?:värde)?|värde)|rikssnittet|rikssnitt|"
    r"riksgenomsnittet|riksgenomsnitt|nationell\s+nivå|nationella\s+snittet"
)
_OTHERS_GROUP = r"jämförelsegrupp(?:en)?|jämförelseregioner(?:na)?"
_OTHERS = rf"(?P<others>{_OTHERS_NATIONAL}|{_OTHERS_GROUP})"
_NUMBER_WORDS = {
    "en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7,
    "åtta": 8, "nio": 9, "tio": 10, "elva": 11, "tolv": 12,
}  # fmt: skip
_LEVEL = re.compile(rf"^(?:i\s+)?(?:nivå|paritet)\s+med\s+{_OTHERS}$", re.IGNORECASE)
_BETTER = re.compile(rf"^bättre\s+(?:resultat\s+|värde\s+)?än\s+{_OTHERS}$", re.IGNORECASE)
_TOP = re.compile(
    r"^(?:bland|en\s+av|tillhöra)\s+(?:de\s+)?(?P<n>[0-9]{1,2}|"
    + "|".join(_NUMBER_WORDS)
    + r")\s+bästa\s+(?:regionerna|regioner|i\s+landet|i\s+riket)$",
    re.IGNORECASE,
)
_GAP = re.compile(
    r"^(?:minskad(?:e)?\s+skillnad(?:er)?|minska\s+skillnaden|minskat\s+gap|minska\s+gapet)"
    # "jämfört med riket" stays a relative target (the value is itself the gap)
    rf"\s+(?:mot|gentemot|till)\s+{_OTHERS}"
    r"(?:\s+(?:jämfört\s+med|jmf\.?|jfr\.?|från|sedan)(?:\s+med)?\s+(?:år\s+)?"
    r"(?P<year>(?:19|20)[0-9]{2}))?$",
    re.IGNORECASE,
)


def _others(word: str) -> str:
    return "group" if re.fullmatch(_OTHERS_GROUP, word, re.IGNORECASE) else "national"


def _parse_comparison(text: str, original: str) -> TargetSpec | None:
    """``I nivå med riket``, ``Bättre än riket``, ``Bland de 5 bästa regionerna``,
    ``Minskad skillnad mot riket jämfört med 2019``; None for anything else."""
    if match := _LEVEL.match(text):
        return TargetSpec(
            kind="comparison", text=original, relation="level", reference=_others(match["others"])
        )
    if match := _BETTER.match(text):
        return TargetSpec(
            kind="comparison", text=original, relation="better", reference=_others(match["others"])
        )
    if match := _TOP.match(text):
        n = match["n"].lower()
        rank = int(n) if n.isdigit() else _NUMBER_WORDS[n]
        if rank < 1:
            return None
        return TargetSpec(
            kind="comparison", text=original, relation="top", rank=rank, reference="regions"
        )
    if match := _GAP.match(text):
        return TargetSpec(
            kind="comparison",
            text=original,
            relation="gap",
            reference=_others(match["others"]),
            reference_year=int(match["year"]) if match["year"] else None,
        )
    return None


# --- keyword kinds ---------------------------------------------------------------

_PER_UNIT = re.compile(
    r"\b(?:anges|sätts|fastställs|bestäms|individuell[at]?)\b.*"
    r"\b(?:varje|respektive|per|enskild[a]?)\s+"
    r"(?:vårdcentral|hälsocentral|enhet|verksamhet|klinik|mottagning|avdelning)",
    re.IGNORECASE,
)
_TREND = re.compile(r"\btrend(?:en|er|erna)?\b", re.IGNORECASE)
_BENCH_NATIONAL = re.compile(
    r"\b(?:riket|rikets|rikssnitt(?:et)?|riksgenomsnitt(?:et)?)\b", re.IGNORECASE
)
_BENCH_PEERS = re.compile(r"\b(?:andra|övriga|jämförbara|liknande)\s+regioner", re.IGNORECASE)


def _parse_keyword(text: str, original: str) -> TargetSpec | None:
    if _PER_UNIT.search(text):
        return TargetSpec(kind="per_unit", text=original)
    if _TREND.search(text):
        return TargetSpec(kind="trend", text=original)
    if _BENCH_PEERS.search(text):
        return TargetSpec(kind="benchmark", text=original, reference="peers")
    if _BENCH_NATIONAL.search(text):
        return TargetSpec(kind="benchmark", text=original, reference="national")
    return None


# --- targets tied to a year ------------------------------------------------------

_YEAR = r"(?P<year>(?:19|20)[0-9]{2})"
_LONG_TERM = r"(?:långsiktigt\s+)?(?:mål(?:värde|nivå)?\s*)?"
_YEAR_PREFIX = re.compile(rf"^{_LONG_TERM}(?:år\s+)?{_YEAR}\s*:\s*(?P<rest>.+)$", re.IGNORECASE)
_YEAR_SUFFIX = re.compile(
    r"^(?P<rest>.+?)\s*(?:\((?:år\s+)?(?P<year>(?:19|20)[0-9]{2})\)"
    r"|\s(?:till år|senast år|till|senast|år)\s+(?P<y2>(?:19|20)[0-9]{2}))$",
    re.IGNORECASE,
)
_LONG_TERM_NO_YEAR = re.compile(
    r"^långsiktigt\s+mål(?:värde|nivå)?\s*:?\s*(?P<rest>.+)$", re.IGNORECASE
)


def _parse_plain(text: str, original: str) -> TargetSpec | None:
    for parser in (
        _parse_value,
        _parse_by_point,
        _parse_by_sex,
        _parse_comparison,
        _parse_relative,
        _parse_keyword,
    ):
        spec = parser(text, original)
        if spec is not None:
            return spec
    return None


def _split_year(text: str) -> tuple[str, int | None] | None:
    """``"2026: 90 %"`` -> ``("90 %", 2026)``; ``"Långsiktigt målvärde 65%"`` ->
    ``("65%", None)``; None when the text is not tied to a year that way."""
    if match := _YEAR_PREFIX.match(text):
        return match["rest"], int(match["year"])
    if match := _YEAR_SUFFIX.match(text):
        return match["rest"], int(match["year"] or match["y2"])
    if match := _LONG_TERM_NO_YEAR.match(text):
        return match["rest"], None
    return None


def parse_target(text: str) -> TargetSpec:
    """Parse a target text; never raises. Unknown text gives ``kind="qualitative"``
    (which never carries a year)."""
    if text is None:
        text = ""
    elif not isinstance(text, str):
        text = str(text)
    original = text.strip()
    try:
        normal = _normalise(original)
        if normal:
            if split := _split_year(normal):
                rest, year = split
                inner = _parse_plain(rest.strip(), original)
                if inner is not None:
                    return replace(inner, year=year) if year is not None else inner
            spec = _parse_plain(normal, original)
            if spec is not None:
                return spec
    except Exception:  # the contract is "never raises": fall back to qualitative
        pass
    return TargetSpec(kind="qualitative", text=original)


# --- display -------------------------------------------------------------------

_COMPARATOR_SV = {
    "auto": "",
    "ge": "minst",
    "gt": "över",
    "le": "högst",
    "lt": "under",
    "eq": "exakt",
}
_CHANGE_SV = {
    "increase": "Öka",
    "decrease": "Minska",
    "improve": "Förbättra",
    "same": "Samma nivå",
    "decrease_gap": "Minska skillnaden",
}


def _describe_value(spec: TargetSpec) -> str:
    words = _COMPARATOR_SV.get(spec.comparator or "auto", "")
    number = format_number(spec.value)
    if spec.denominator is not None:
        number = f"{number}/{format_number(spec.denominator)}"
    out = f"{words} {number}".strip()
    if spec.unit:
        out += f"{NBSP}{spec.unit}"
    if spec.month:
        out += f" i {MONTH_NAMES_SV[spec.month - 1]}"
    return out


def _describe_reference(spec: TargetSpec) -> str:
    lead = "som" if spec.change == "same" else "jämfört med"
    if spec.reference == "previous_year":
        return f" {lead} föregående år"
    if spec.reference == "year" and spec.reference_year is not None:
        return f" {lead} {spec.reference_year}"
    if spec.reference == "period" and spec.reference_period:
        try:
            return f" {lead} {parse_period(spec.reference_period).label_sv}"
        except PeriodError:
            return f" {lead} {spec.reference_period}"
    if spec.reference == "national":
        return f" {lead} riket"
    if spec.reference == "peers":
        return f" {lead} andra regioner"
    return ""


def _describe_comparison(spec: TargetSpec) -> str:
    others = "jämförelsegruppen" if spec.reference == "group" else "riket"
    if spec.relation == "level":
        return f"I nivå med {others}"
    if spec.relation == "better":
        return f"Bättre än {others}"
    if spec.relation == "top":
        return f"Bland de {spec.rank} bästa regionerna"
    since = f" jämfört med {spec.reference_year}" if spec.reference_year else ""
    return f"Minskad skillnad mot {others}{since}"


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def describe_sv(spec: TargetSpec) -> str:
    """A normalised Swedish display text: ``Högst 175``, ``Minst 75 %``,
    ``100 % i december``, ``6/25``, ``K: 16, M: 17,2``, ``DÅ04: 56 %, DÅ08: 57 %,
    ÅR: 58 %``, ``Minska med 50 % jämfört med 2020``, ``Öka jämfört med december
    2020``, ``2026: 90 %``. Numbers are Swedish (Babel), with a no-break space
    before the unit. Trend, benchmark, per-unit and qualitative targets show their
    own text. The result parses back to the same structure."""
    if spec.kind == "value" and spec.value is not None:
        body = _capitalise(_describe_value(spec))
    elif spec.kind == "by_sex" and spec.parts:
        labels = {"women": "K", "men": "M"}
        body = ", ".join(
            f"{labels[key]}: {_describe_value(spec.parts[key])}"
            for key in SEX_KEYS
            if key in spec.parts
        )
    elif spec.kind == "by_point" and spec.parts:
        body = ", ".join(
            f"{key}: {_describe_value(spec.parts[key])}" for key in POINT_KEYS if key in spec.parts
        )
    elif spec.kind == "comparison" and spec.relation:
        body = _describe_comparison(spec)
    elif spec.kind == "relative" and spec.change:
        body = _CHANGE_SV[spec.change]
        if spec.amount is not None:
            amount = format_number(spec.amount)
            if spec.amount_unit == "%":
                amount += f"{NBSP}%"
            elif spec.amount_unit == "pp":
                amount += " procentenheter"
            body += f" med {amount}"
        body += _describe_reference(spec)
    else:
        return spec.text
    return f"{spec.year}: {body}" if spec.year is not None else body
