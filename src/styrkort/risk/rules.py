"""Pure risk rules: risk value, level bands, matrix counts. No ORM here.

Probability and consequence are integers 1-4; the risk value is their product, 1-16.
A level band covers an inclusive range of risk values (seed 004: 1-8 "ingen särskild
åtgärd", 9-16 "åtgärd krävs"; seed 003: Låg 1-3, Medel 4-8, Hög 9-12, Mycket hög 13-16).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SCALE = (1, 2, 3, 4)
MIN_VALUE, MAX_VALUE = 1, 16

PROBABILITY_LABELS = {1: "Mycket liten", 2: "Liten", 3: "Stor", 4: "Mycket stor"}
CONSEQUENCE_LABELS = {1: "Mindre", 2: "Måttlig", 3: "Betydande", 4: "Allvarlig"}

# What a scale check names in its message (translated when the message is made).
PROBABILITY = gettext_lazy("Sannolikheten")
CONSEQUENCE = gettext_lazy("Konsekvensen")


class RiskRuleError(ValueError):
    """A risk figure outside its scale; the message is meant for people (Swedish source text,
    translated into the active language)."""


@dataclass(frozen=True)
class Band:
    """A risk level: values `low`..`high` inclusive."""

    name: str
    low: int
    high: int
    requires_action: bool = False

    def contains(self, value: int) -> bool:
        return self.low <= value <= self.high


# Used when an organisation has configured no bands of its own (seed 004's rule).
DEFAULT_BANDS: tuple[Band, ...] = (
    Band("Ingen särskild åtgärd", 1, 8, False),
    Band("Åtgärd krävs", 9, 16, True),
)


def check_scale(value: int | None, what: str) -> None:
    """Raise RiskRuleError unless `value` is None or an integer 1-4."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
        raise RiskRuleError(
            _("%(what)s ska vara ett heltal 1–4, inte %(value)s.")
            % {"what": what, "value": repr(value)}
        )


def check_value(value: int | None) -> None:
    """Raise RiskRuleError unless `value` is None or an integer 1-16."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise RiskRuleError(
            _("Riskvärdet ska vara ett heltal 1–16, inte %(value)s.") % {"value": repr(value)}
        )
    if not MIN_VALUE <= value <= MAX_VALUE:
        raise RiskRuleError(_("Riskvärdet ska vara 1–16, inte %(value)s.") % {"value": value})


def risk_value(probability: int, consequence: int) -> int:
    """Probability (1-4) x consequence (1-4) = risk value (1-16)."""
    check_scale(probability, PROBABILITY)
    check_scale(consequence, CONSEQUENCE)
    return probability * consequence


def derive_probability(consequence: int, value: int) -> int | None:
    """The probability implied by a consequence and a printed risk value, or None when the
    value is not consequence x (1-4).

    Seed 004 sometimes prints only consequence and risk: consequence 3, risk 12 -> 4."""
    check_scale(consequence, CONSEQUENCE)
    check_value(value)
    probability, rest = divmod(value, consequence)
    if rest or probability not in SCALE:
        return None
    return probability


@dataclass(frozen=True)
class Assessment:
    """A complete risk figure: the value always; probability and consequence when known."""

    value: int
    probability: int | None = None
    consequence: int | None = None
    probability_derived: bool = False


def assess(
    probability: int | None = None, consequence: int | None = None, value: int | None = None
) -> Assessment:
    """Complete and check a risk figure from whatever the source gives.

    - probability and consequence: the value is their product (a given value must agree);
    - consequence and value: the probability is derived (it must be a whole 1-4);
    - value alone (seed 003): stored as it is, without a split;
    - probability and value: the consequence is derived likewise.
    """
    check_scale(probability, PROBABILITY)
    check_scale(consequence, CONSEQUENCE)
    check_value(value)
    if probability is not None and consequence is not None:
        product = probability * consequence
        if value is not None and value != product:
            raise RiskRuleError(
                _(
                    "Riskvärdet %(value)s stämmer inte med sannolikhet %(probability)s × "
                    "konsekvens %(consequence)s = %(product)s."
                )
                % {
                    "value": value,
                    "probability": probability,
                    "consequence": consequence,
                    "product": product,
                }
            )
        return Assessment(product, probability, consequence)
    if value is None:
        raise RiskRuleError(_("Ange riskvärde eller både sannolikhet och konsekvens."))
    if consequence is not None:
        derived = derive_probability(consequence, value)
        if derived is None:
            raise RiskRuleError(
                _("Riskvärdet %(value)s går inte att dela upp med konsekvens %(consequence)s.")
                % {"value": value, "consequence": consequence}
            )
        return Assessment(value, derived, consequence, probability_derived=True)
    if probability is not None:
        derived = derive_probability(probability, value)
        if derived is None:
            raise RiskRuleError(
                _("Riskvärdet %(value)s går inte att dela upp med sannolikhet %(probability)s.")
                % {"value": value, "probability": probability}
            )
        return Assessment(value, probability, derived)
    return Assessment(value)


def check_bands(bands: Sequence[Band]) -> None:
    """Raise RiskRuleError unless the bands are non-empty, within 1-16, do not overlap
    and together cover every value 1-16 without gaps."""
    if not bands:
        raise RiskRuleError(_("Ange minst en risknivå."))
    ordered = sorted(bands, key=lambda b: b.low)
    expected = MIN_VALUE
    for band in ordered:
        if band.low > band.high:
            raise RiskRuleError(
                _("Risknivån %(name)s: lägsta värde är större än högsta.") % {"name": band.name}
            )
        if band.low < expected:
            raise RiskRuleError(
                _("Risknivån %(name)s överlappar en annan nivå.") % {"name": band.name}
            )
        if band.low > expected:
            raise RiskRuleError(
                _("Riskvärdena %(low)s–%(high)s saknar risknivå.")
                % {"low": expected, "high": band.low - 1}
            )
        expected = band.high + 1
    if expected != MAX_VALUE + 1:
        raise RiskRuleError(
            _("Riskvärdena %(low)s–%(high)s saknar risknivå.")
            % {"low": expected, "high": MAX_VALUE}
        )


def level_for(value: int, bands: Sequence[Band] = DEFAULT_BANDS) -> Band:
    """The band holding risk value `value`."""
    check_value(value)
    for band in bands:
        if band.contains(value):
            return band
    raise RiskRuleError(
        _("Inget risknivåintervall omfattar riskvärdet %(value)s.") % {"value": value}
    )


def matrix_counts(pairs: Iterable[tuple[int | None, int | None]]) -> dict[tuple[int, int], int]:
    """Counts per (probability, consequence) cell of the 4x4 matrix, every cell present.

    Pairs with a missing probability or consequence are not placed in a cell."""
    counts = {(p, c): 0 for p in SCALE for c in SCALE}
    for probability, consequence in pairs:
        if probability is None or consequence is None:
            continue
        check_scale(probability, PROBABILITY)
        check_scale(consequence, CONSEQUENCE)
        counts[(probability, consequence)] += 1
    return counts


def level_counts(values: Iterable[int], bands: Sequence[Band] = DEFAULT_BANDS) -> dict[str, int]:
    """Counts of risk values per band name, in the bands' order (every band present)."""
    counts = {band.name: 0 for band in bands}
    for value in values:
        counts[level_for(value, bands).name] += 1
    return counts


def level_summary(counts: dict[str, int], bands: Sequence[Band]) -> str:
    """The one-line summary printed above a matrix, highest level first, zero levels left
    out: seed 003 prints "1 Hög 3 Medel 1 Låg | Totalt: 5"."""
    ordered = sorted(bands, key=lambda b: b.low, reverse=True)
    parts = [f"{counts[b.name]} {b.name}" for b in ordered if counts.get(b.name)]
    total = _("Totalt: %(total)s") % {"total": sum(counts.values())}
    return f"{' '.join(parts)} | {total}".strip()
