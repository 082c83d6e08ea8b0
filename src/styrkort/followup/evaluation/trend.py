"""Trend (utveckling): the value against the comparable earlier period.

The caller supplies the earlier value: the same period last year (a year with the
previous year). Values are in the indicator's unit (percentages 0-100);
``epsilon_pct`` is a percentage (0-100) of the earlier value.
"""

from __future__ import annotations

from collections.abc import Callable
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
    return trend_rule(direction, epsilon_pct, target)(current, previous)


def trend_rule(
    direction: Direction | str | None, epsilon_pct: float = 1.0, target: float | None = None
) -> Callable[[float | None, float | None], Trend]:
    """``evaluate_trend`` for one indicator's direction, epsilon and target, as a
    function of ``(current, previous)``: the arguments are checked and the direction
    chosen once, for callers that judge many values of the same indicator."""
    _num.check_pct(epsilon_pct, "epsilon_pct")
    try:
        d = as_direction(direction)
    except ValueError:
        d = None  # raised where the direction is needed, as evaluate_trend always did
    if d is Direction.TARGET and _num.is_missing(target):
        d = Direction.NONE
    rel = _num.REL
    better, worse, unchanged, none = Trend.BETTER, Trend.WORSE, Trend.UNCHANGED, Trend.NONE

    def rule(current: float | None, previous: float | None) -> Trend:
        # None or NaN: no number (``_num.is_missing``).
        if current is None or previous is None or current != current or previous != previous:
            return none
        change = abs(current - previous)
        band = abs(previous) * epsilon_pct / 100
        if change <= band + rel * max(1.0, change, band):  # _num.le(change, band)
            return unchanged
        if d is Direction.HIGHER:
            return better if current > previous else worse
        if d is Direction.LOWER:
            return better if current < previous else worse
        if d is Direction.TARGET:
            now, before = abs(current - target), abs(previous - target)
            if _num.lt(now, before):
                return better
            if _num.gt(now, before):
                return worse
            return unchanged
        if d is None:
            as_direction(direction)  # raises the ValueError for an unknown direction
        return none

    return rule


def trend_arrow(trend: Trend | str) -> str:
    """The arrow for a trend: ↑ better, ↓ worse, → unchanged, "" none."""
    return TREND_ARROWS[Trend(trend)]
