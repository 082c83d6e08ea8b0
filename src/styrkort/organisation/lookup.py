"""Find an organisation unit from what a person types: its code or its exact name; and
the units around a unit (its ancestors' paths, its children as they were in a period).

Used by the command line (`--org`), reports and imports alike, so that every entry
point accepts the same spellings and refuses an ambiguous name the same way.
"""

from __future__ import annotations

import unicodedata

from django.db.models import Q

from styrkort.organisation.models import OrgUnit

__all__ = [
    "AmbiguousUnit",
    "UnitLookupError",
    "UnitNotFound",
    "ancestor_paths",
    "children_valid_in",
    "find_unit",
]


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


def ancestor_paths(unit: OrgUnit, *, include_self: bool = False) -> list[str]:
    """The tree paths of the unit's ancestors from the root down (and its own, with
    ``include_self``): a filter ``path__in`` reaches them in one query."""
    end = len(unit.path) + (1 if include_self else 0)
    return [unit.path[:i] for i in range(unit.steplen, end, unit.steplen)]


def parent_unit(unit: OrgUnit) -> OrgUnit | None:
    """The unit's parent (with its organisation), None for a top unit; one query."""
    if unit.depth <= 1:
        return None
    return (
        OrgUnit.objects.filter(path=unit.path[: -unit.steplen], depth=unit.depth - 1)
        .select_related("organisation")
        .first()
    )


def children_valid_in(unit: OrgUnit, period):
    """The unit's children that existed during ``period`` (anything with ``start`` and
    ``end`` dates, such as a ``periods.Period``), in tree order: VC Gallerian counts in
    2023, not after it closed on 2024-02-01."""
    return (
        OrgUnit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=period.end))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period.start))
        .order_by("path")
    )
