"""Swedish number parsing and formatting (pure: Django is only asked to translate an error).

Parsing accepts what people type and what Word and Excel exports contain:
decimal comma, thousands separated by a space, a no-break space (U+00A0) or a
narrow no-break space (U+202F), a leading ``+``, ``-``, Unicode minus (U+2212)
or en dash (U+2013), and a trailing ``%``. Percentages stay in percent: ``"51,0 %"``
is ``51.0``, as DESIGN.md's contract says.

Formatting goes through Babel with locale ``sv_SE``: digits are grouped with a
no-break space (U+00A0, what Babel's CLDR data gives for Swedish) and the same
U+00A0 separates a number from its unit (``%``, ``mnkr``), so a value never
wraps across lines. Negative numbers use the ASCII hyphen-minus, as Babel does.
Rounding is half up (2,25 -> 2,3), as Swedish reports expect, not Python's
half-even.
"""

from __future__ import annotations

import decimal
import math
import re
from decimal import Decimal

from babel.numbers import format_decimal

__all__ = [
    "LOCALE",
    "NBSP",
    "NumberError",
    "format_change_pct",
    "format_mnkr",
    "format_number",
    "format_percent_value",
    "parse_number",
    "parse_optional_number",
]

LOCALE = "sv_SE"
#: The no-break space Babel uses for Swedish digit groups; also put between number and unit.
NBSP = "\u00a0"

_SPACES = " \u00a0\u202f\u2009"
_MINUS = "-\u2212\u2013"
# Digits with optional thousands groups separated by one space of any kind.
_GROUPED = re.compile(r"[0-9]{1,3}(?:[ \u00a0\u202f\u2009][0-9]{3})+")
_PLAIN = re.compile(r"[0-9]+")


class NumberError(ValueError):
    """A value that is not a number; the message names the value and is in the active
    language (Swedish unless the user chose English)."""


def _(message: str) -> str:
    """`message` in the active language once Django is set up, else the Swedish source.
    Only called on the error path."""
    from django.conf import settings

    if not settings.configured:
        return message
    from django.utils.translation import gettext

    return gettext(message)


def _invalid(text: object, reason: str = "") -> NumberError:
    if reason:
        return NumberError(
            _("Ogiltigt tal: '%(text)s' (%(reason)s)") % {"text": text, "reason": reason}
        )
    return NumberError(_("Ogiltigt tal: '%(text)s'") % {"text": text})


def parse_number(text: str | int | float | Decimal) -> float:
    """Parse a Swedish-written number into a float.

    Accepts ``"51,0"``, ``"1 757"`` (space, U+00A0 or U+202F between groups of
    three), ``"1 757,5"``, ``"51,0 %"``/``"51,0%"`` (-> 51.0, the percent sign is
    dropped), ``"-11,2%"``, ``"−11,2"`` (Unicode minus), ``"+19"`` and a dot
    decimal when it cannot be a thousands separator (``"1.5"``, ``"0.125"``,
    ``"1757.5"``). Rejected with :class:`NumberError`: empty text, ``"1.757"``
    (dot or thousands?), ``"1,757.5"``, badly grouped digits (``"17 57"``),
    exponents, ``nan``/``inf``, units other than ``%``. Ints, floats and Decimals
    are returned as float (not NaN or infinity; booleans are rejected).
    """
    if isinstance(text, bool):
        raise _invalid(text)
    if isinstance(text, int | float | Decimal):
        value = float(text)
        if not math.isfinite(value):
            raise _invalid(text)
        return value
    if not isinstance(text, str):
        raise _invalid(text)

    body = text.strip(_SPACES + "\t\r\n")
    if body.endswith("%"):
        body = body[:-1].rstrip(_SPACES)
    sign = 1.0
    if body[:1] in _MINUS:
        sign, body = -1.0, body[1:].lstrip(_SPACES)
    elif body[:1] == "+":
        body = body[1:].lstrip(_SPACES)
    if not body:
        raise _invalid(text)

    if "," in body and "." in body:
        raise _invalid(text, _("både punkt och komma; skriv decimaler med komma"))
    integer, fraction = body, ""
    if "," in body or "." in body:
        separator = "," if "," in body else "."
        integer, _sep, fraction = body.partition(separator)
        if separator in fraction or not _PLAIN.fullmatch(fraction):
            raise _invalid(text)
        if (
            separator == "."
            and len(fraction) == 3
            and _PLAIN.fullmatch(integer)
            and len(integer) <= 3
            and integer != "0"
        ):
            # "1.757" is 1757 in some exports and 1,757 in others.
            raise _invalid(text, _("tvetydigt; skriv decimaler med komma"))
    if not (_PLAIN.fullmatch(integer) or _GROUPED.fullmatch(integer)):
        raise _invalid(text)
    digits = re.sub(f"[{_SPACES}]", "", integer)
    return sign * float(f"{digits}.{fraction or '0'}") + 0.0  # + 0.0 turns -0.0 into 0.0


def parse_optional_number(text: str | int | float | Decimal | None) -> float | None:
    """Like :func:`parse_number`, but ``None`` and blank text give ``None``."""
    if text is None or (isinstance(text, str) and not text.strip(_SPACES + "\t\r\n")):
        return None
    return parse_number(text)


def _pattern(decimals: int | None) -> str | None:
    if decimals is None:
        return None
    if decimals < 0:
        raise ValueError("decimals must be >= 0")
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _to_decimal(value: float | int | Decimal) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"a number is required, not {type(value).__name__}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"cannot format {value}")
    # str() first: 2.675 formats as 2,68 (what people expect), not 2,67.
    return Decimal(str(value)) if isinstance(value, float) else Decimal(value)


def _precise(value: Decimal, decimals: int):
    """A decimal context that rounds half up and keeps every digit of `value` with
    `decimals` decimals: quantize() (ours and Babel's) fails when the result has more
    digits than the precision, 28 by default (1E+25 to three decimals needs 29)."""
    precision = max(decimal.getcontext().prec, value.adjusted() + decimals + 2)
    return decimal.localcontext(rounding=decimal.ROUND_HALF_UP, prec=precision)


def _round(value: Decimal, decimals: int) -> Decimal:
    with _precise(value, decimals):
        return value.quantize(Decimal(1).scaleb(-decimals))


def format_number(value: float | int | Decimal | None, decimals: int | None = None) -> str:
    """Swedish number: ``1757`` -> ``"1 757"`` (U+00A0 between groups),
    ``1757.5`` -> ``"1 757,5"``; with ``decimals`` exactly that many decimals
    (``format_number(51, 1)`` -> ``"51,0"``), otherwise up to three. ``None`` -> ``""``.
    """
    if value is None:
        return ""
    places = 3 if decimals is None else decimals
    number = _round(_to_decimal(value), places)
    if number == 0:
        number = abs(number)  # no "-0"
    with _precise(number, places):
        return format_decimal(number, format=_pattern(decimals), locale=LOCALE)


def format_percent_value(value: float | int | Decimal | None, decimals: int = 1) -> str:
    """A percentage given in percent (0-100): ``51.0`` -> ``"51,0 %"``. ``None`` -> ``""``."""
    if value is None:
        return ""
    return f"{format_number(value, decimals)}{NBSP}%"


def format_change_pct(value: float | int | Decimal | None, decimals: int = 1) -> str:
    """A relative change in percent with its sign: ``5.036`` -> ``"+5,0 %"``,
    ``-11.2`` -> ``"-11,2 %"``; a change that rounds to zero has no sign
    (``"0,0 %"``). ``None`` -> ``""``."""
    if value is None:
        return ""
    rounded = _round(_to_decimal(value), decimals)
    sign = "+" if rounded > 0 else ""
    return f"{sign}{format_number(rounded, decimals)}{NBSP}%"


def format_mnkr(
    value: float | int | Decimal | None, decimals: int = 1, *, signed: bool = False
) -> str:
    """Millions of kronor: ``19.0`` -> ``"19,0 mnkr"``, ``8712.1`` -> ``"8 712,1 mnkr"``;
    with ``signed=True`` a positive value gets ``+`` (``"+19,0 mnkr"``, as seed 001
    prints a budget deviation). ``None`` -> ``""``."""
    if value is None:
        return ""
    rounded = _round(_to_decimal(value), decimals)
    sign = "+" if signed and rounded > 0 else ""
    return f"{sign}{format_number(rounded, decimals)}{NBSP}mnkr"


def shown_decimals(value, target, decimals: int) -> int:
    """The decimals an outcome is printed with: the indicator's, or more where that would
    print it as its target though it is not (2,1 % beside "max 2 %" is not "2 %")."""
    if not isinstance(value, int | float) or not isinstance(target, int | float):
        return decimals
    shown = decimals
    while value != target and round(value, shown) == round(target, shown) and shown < decimals + 3:
        shown += 1
    return shown
