"""The desired direction of an indicator (önskad riktning).

The values match `planning.models.Direction`: ``higher`` (higher is better), ``lower``
(lower is better), ``target`` (as close to the target as possible) and ``none``.
"""

from __future__ import annotations

from enum import StrEnum


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"
    TARGET = "target"
    NONE = "none"


_ALIASES = {
    "higher_better": Direction.HIGHER,
    "higher_is_better": Direction.HIGHER,
    "up": Direction.HIGHER,
    "lower_better": Direction.LOWER,
    "lower_is_better": Direction.LOWER,
    "down": Direction.LOWER,
    "on_target": Direction.TARGET,
    "eq": Direction.TARGET,
    "": Direction.NONE,
}


def as_direction(value: Direction | str | None) -> Direction:
    """Normalise a direction given as enum, model value or common alias; None means ``none``."""
    if value is None:
        return Direction.NONE
    if isinstance(value, Direction):
        return value
    key = str(value).strip().lower()
    try:
        return Direction(key)
    except ValueError:
        if key in _ALIASES:
            return _ALIASES[key]
        raise ValueError(f"Okänd önskad riktning: {value!r}.") from None


def direction_sign(direction: Direction | str | None) -> int:
    """+1 when higher is better, -1 when lower is better, 0 otherwise."""
    d = as_direction(direction)
    return {Direction.HIGHER: 1, Direction.LOWER: -1}.get(d, 0)
