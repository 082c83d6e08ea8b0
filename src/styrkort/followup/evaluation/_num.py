"""Float comparisons that forgive binary rounding (0.1 + 0.2 style), nothing more."""

from __future__ import annotations

import math

REL = 1e-9  # relative slack; see slack()


def slack(*values: float) -> float:
    """A tolerance far below any displayed decimal, scaled to the magnitudes compared."""
    return REL * max(1.0, *(abs(v) for v in values))


def ge(a: float, b: float) -> bool:
    return a >= b - slack(a, b)


def le(a: float, b: float) -> bool:
    return a <= b + slack(a, b)


def gt(a: float, b: float) -> bool:
    return a > b + slack(a, b)


def lt(a: float, b: float) -> bool:
    return a < b - slack(a, b)


def is_missing(value: float | None) -> bool:
    """None and NaN both mean "no number"."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def check_pct(value: float, name: str) -> None:
    if is_missing(value) or value < 0:
        raise ValueError(f"{name} måste vara ett tal som är 0 eller större (fick {value!r}).")
