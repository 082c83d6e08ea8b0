"""Aggregation of outcomes across units, sexes and months; change and share.

An observation (``Obs``) carries a value in the indicator's unit and, for a ratio
indicator, the numerator and denominator it came from. For a ratio indicator
``value = scale * numerator / denominator``: ``scale`` is 100 for ``%`` (values 0-100),
1 000 for ``‰`` and "per 1 000", 1 otherwise (``ratio_scale``). Ratios always add up
as sum of numerators over sum of denominators, never as a mean of percentages.
Sums use ``math.fsum`` so a result does not depend on the order of its inputs.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from . import _num

PERCENT_SCALE = 100.0

_SCALES = {"%": 100.0, "‰": 1000.0, "per 1000": 1000.0}


def ratio_scale(unit: str | None) -> float:
    """``value = scale * numerator / denominator``: 100 for %, 1000 for ‰/per 1000, else 1."""
    return _SCALES.get(unit or "", 1.0)


class Aggregation(StrEnum):
    SUM = "sum"
    RATIO = "ratio"
    MEAN = "mean"
    MIN = "min"
    MAX = "max"
    LAST = "last"
    NONE = "none"


class MeasureType(StrEnum):
    FLOW = "flow"
    STOCK = "stock"
    AVERAGE = "average"


@dataclass(frozen=True, slots=True)
class Obs:
    """One value (indicator's unit; % as 0-100) with its numerator/denominator if a ratio."""

    value: float | None
    numerator: float | None = None
    denominator: float | None = None

    @classmethod
    def from_ratio(cls, numerator: float, denominator: float, scale: float = PERCENT_SCALE) -> Obs:
        """``Obs.from_ratio(644, 819)`` -> value 78.63... (%); a zero denominator: value None."""
        value = scale * numerator / denominator if denominator else None
        return cls(value, numerator, denominator)

    @property
    def has_ratio(self) -> bool:
        return not (_num.is_missing(self.numerator) or _num.is_missing(self.denominator))

    @property
    def is_empty(self) -> bool:
        return _num.is_missing(self.value) and not self.has_ratio


def _value_of(obs: Obs, scale: float) -> float | None:
    """The observation's value, computed from its ratio when only the parts were given."""
    if not _num.is_missing(obs.value):
        return obs.value
    if obs.has_ratio and obs.denominator:
        return scale * obs.numerator / obs.denominator
    return None


def aggregate(
    observations: Iterable[Obs | None],
    aggregation: Aggregation | str,
    *,
    scale: float = PERCENT_SCALE,
) -> Obs | None:
    """Combine observations of several units (or sexes) into one.

    * ``sum``: sum of values. ``mean``/``min``/``max``: of values. ``last``: the last
      observation with a value, in the order given.
    * ``ratio``: sum of numerators / sum of denominators * ``scale``; observations
      without both numerator and denominator are left out (a percentage without its
      parts cannot be weighted). A zero denominator sum gives an Obs with value None.
    * ``none``: not aggregable -> None.

    Missing observations (None, or no value and no ratio) are skipped; nothing left ->
    None.
    """
    agg = Aggregation(aggregation)
    if agg is Aggregation.NONE:
        return None
    present = [o for o in observations if o is not None and not o.is_empty]
    if agg is Aggregation.RATIO:
        parts = [o for o in present if o.has_ratio]
        if not parts:
            return None
        num = math.fsum(o.numerator for o in parts)
        den = math.fsum(o.denominator for o in parts)
        return Obs.from_ratio(num, den, scale)
    values = [v for v in (_value_of(o, scale) for o in present) if v is not None]
    if not values:
        return None
    if agg is Aggregation.SUM:
        return Obs(math.fsum(values))
    if agg is Aggregation.MEAN:
        return Obs(math.fsum(values) / len(values))
    if agg is Aggregation.MIN:
        return Obs(min(values))
    if agg is Aggregation.MAX:
        return Obs(max(values))
    # LAST: keep the parts of the observation taken.
    last = next(o for o in reversed(present) if _value_of(o, scale) is not None)
    return Obs(_value_of(last, scale), last.numerator, last.denominator)


def aggregate_over_time(
    monthly_obs_ordered: Sequence[Obs | None],
    aggregation: Aggregation | str,
    measure_type: MeasureType | str,
    *,
    scale: float = PERCENT_SCALE,
) -> Obs | None:
    """A period's value from its months, oldest first (None for a month without data).

    * ``flow``: aggregated like across units (counts summed; ratios as sum of numerators
      over sum of denominators; ``none`` -> None).
    * ``stock``: the last month's observation; if the last month is missing (None or
      empty), the period's value is unknown -> None.
    * ``average``: the mean of the monthly values, also for ratio indicators (the mean
      of monthly percentages, as waiting-list shares are reported); numerator and
      denominator are not carried.
    """
    mtype = MeasureType(measure_type)
    if mtype is MeasureType.FLOW:
        return aggregate(monthly_obs_ordered, aggregation, scale=scale)
    if mtype is MeasureType.STOCK:
        if not monthly_obs_ordered:
            return None
        last = monthly_obs_ordered[-1]
        if last is None or last.is_empty:
            return None
        return Obs(_value_of(last, scale), last.numerator, last.denominator)
    values = [
        v
        for v in (_value_of(o, scale) for o in monthly_obs_ordered if o is not None)
        if v is not None
    ]
    if not values:
        return None
    return Obs(math.fsum(values) / len(values))


def across_sexes(
    women: Obs | None,
    men: Obs | None,
    aggregation: Aggregation | str,
    *,
    scale: float = PERCENT_SCALE,
) -> Obs | None:
    """The total from women and men, following the indicator's aggregation (ratio:
    644/819 and 658/845 -> 1302/1664). Both sexes are needed: one missing -> None,
    because one sex alone is not the total."""
    if women is None or men is None or women.is_empty or men.is_empty:
        return None
    if Aggregation(aggregation) == Aggregation.RATIO and women.has_ratio != men.has_ratio:
        # One sex as counts, the other as a bare share: the total cannot be computed.
        return None
    return aggregate([women, men], aggregation, scale=scale)


def yoy_change_pct(current: float | None, previous: float | None) -> float | None:
    """Relative change in percent (0-100 scale): 31 180 vs 29 685 -> 5.036...

    None when either is missing or the previous value is 0.
    """
    # None or NaN (``_num.is_missing``; NaN is the one number unequal to itself).
    if current is None or previous is None or current != current or previous != previous:
        return None
    if previous == 0:
        return None
    return (current - previous) / abs(previous) * 100


def change_pp(current: float | None, previous: float | None) -> float | None:
    """Change in percentage points (for % indicators): 51 vs 49 -> 2.0."""
    if _num.is_missing(current) or _num.is_missing(previous):
        return None
    return current - previous


def share_pct(part: float | None, total: float | None) -> float | None:
    """``part`` as a percentage (0-100) of ``total``: 6 247 of 31 180 -> 20.03...

    None when either is missing or the total is 0.
    """
    if _num.is_missing(part) or _num.is_missing(total) or total == 0:
        return None
    return part / total * 100
