"""Find an organisation unit from what a person types: its code or its exact name.

Used by the command line (`--org`), reports and imports alike, so that every entry
point accepts the same spellings and refuses an ambiguous name the same way.
"""

from __future__ import annotations

import unicodedata

from styrkort.organisation.models import OrgUnit

__all__ = ["AmbiguousUnit", "UnitLookupError", "UnitNotFound", "find_unit"]


class UnitLookupError(ValueError):
    """No single unit matches; the message is Swedish, one line, and names the text."""


class UnitNotFound(UnitLookupError):
    """No unit has that code or name."""


class AmbiguousUnit(UnitLookupError):
    """Several units have that name; `candidates` lists them (code order)."""

    def __init__(self, message: str, candidates: list[OrgUnit]):
        super().__init__(message)
        self.candidates = candidates


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def find_unit(text: str, *, organisation=None) -> OrgUnit:
    """The unit whose code is ``text`` (case-insensitive), else whose name is exactly
    ``text`` (case-insensitive, composed/decomposed Å alike; short names count too).

    ``organisation`` (an Organisation or its id) restricts the search to one tenant.
    Raises :class:`UnitNotFound` or :class:`AmbiguousUnit` (both ``ValueError``) with
    a one-line Swedish message; an ambiguous name lists the candidates' codes.
    """
    wanted = _nfc(str(text or ""))
    if not wanted:
        raise UnitNotFound("Ange en enhet med kod eller namn.")
    units = OrgUnit.objects.select_related("organisation")
    if organisation is not None:
        units = units.filter(organisation=organisation)
    by_code = list(units.filter(code__iexact=wanted))
    if len(by_code) == 1:
        return by_code[0]
    folded = wanted.casefold()
    # Names are few enough per installation to compare in Python, which folds Å, Ä, Ö
    # correctly whatever the database's collation.
    matches = [u for u in units if _nfc(u.name).casefold() == folded]
    if not matches:
        matches = [
            u for u in units.exclude(short_name="") if _nfc(u.short_name).casefold() == folded
        ]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise UnitNotFound(f"Okänd enhet: '{wanted}' (ange enhetens kod eller exakta namn).")
    matches.sort(key=lambda u: u.code)
    listed = ", ".join(f"{u.code} ({u.organisation.name})" for u in matches)
    raise AmbiguousUnit(
        f"Flera enheter heter '{wanted}': {listed}. Ange enhetens kod.", candidates=matches
    )
