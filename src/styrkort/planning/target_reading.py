"""How the parser reads a target text, as the target forms show it to the planner.

Pure: no Django. The sentences around it are the template's (translated there).
"""

from __future__ import annotations

from dataclasses import dataclass

from .targets import TargetSpec, assessable, describe_sv, parse_target


def readable(spec: TargetSpec) -> bool:
    """Whether the parser read the text as one of its kinds (anything but the fallback
    ``qualitative``); trend, benchmark and per-unit targets are read, though set by hand."""
    return spec.kind != "qualitative"


@dataclass(frozen=True)
class TargetReading:
    """`text` as typed; `readable` when the parser knows its form; `reading` the
    normalised Swedish reading (``Högst 175``); `automatic` when the status rules
    assess it (a read trend or benchmark target is still set by hand)."""

    text: str
    readable: bool
    reading: str
    automatic: bool


def target_reading(text: str) -> TargetReading:
    spec = parse_target(text)
    ok = readable(spec)
    return TargetReading(
        text=text,
        readable=ok,
        reading=describe_sv(spec) if ok else "",
        automatic=assessable(spec),
    )
