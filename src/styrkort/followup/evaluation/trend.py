"""Trend (utveckling): the value against the comparable earlier period.

The caller supplies the earlier value: the same period last year (a year with the
previous year). Values are in the indicator's unit (percentages 0-100);
``epsilon_pct`` is a percentage (0-100) of the earlier value.
"""

from __future__ import annotations

from enum import StrEnum

from . import _num
from .direction import Direction, as_direction


class Trend(StrEnum):
    BETTER = "better"
    WORSE = "worse"
    UNCHANGED = "unchanged"
    NONE = "none"

    @property
    def arrow(self) -> str:
        return TREND_ARROWS[self]


#: As seed 001 prints them: the arrow says better/worse, not up/down
#: (men's readmissions fell, which is better: ↑).
TREND_ARROWS: dict[Trend, str] = {
    Trend.BETTER: "↑",
    Trend.WORSE: "↓",
    Trend.UNCHANGED: "→",
    Trend.NONE: "",
}


def evaluate_trend(
    current: float | None,
    previous: float | None,
    *,
    direction: Direction | str | None,
    epsilon_pct: float = 1.0,
    target: float | None = None,
) -> Trend:
    """Better, worse or unchanged from ``previous`` to ``current``.

    Unchanged when ``|current - previous| <= epsilon_pct % of |previous|`` (a previous
    value of 0 has no band). Better/worse follows ``direction``; for ``target`` the
    value closer to ``target`` is better (no target given: none). With no direction, or
    a missing value: none (a change without a desired direction is not judged).
    """
    _num.check_pct(epsilon_pct, "epsilon_pct")
    if _num.is_missing(current) or _num.is_missing(previous):
        return Trend.NONE
    if _num.le(abs(current - previous), abs(previous) * epsilon_pct / 100):
        return Trend.UNCHANGED
    d = as_direction(direction)
    if d is Direction.HIGHER:
        return Trend.BETTER if current > previous else Trend.WORSE
    if d is Direction.LOWER:
        return Trend.BETTER if current < previous else Trend.WORSE
    if d is Direction.TARGET and not _num.is_missing(target):
        now, before = abs(current - target), abs(previous - target)
        if _num.lt(now, before):
            return Trend.BETTER
        if _num.gt(now, before):
            return Trend.WORSE
        return Trend.UNCHANGED
    return Trend.NONE


def trend_arrow(trend: Trend | str) -> str:
    """The arrow for a trend: ↑ better, ↓ worse, → unchanged, "" none."""
    return TREND_ARROWS[Trend(trend)]
