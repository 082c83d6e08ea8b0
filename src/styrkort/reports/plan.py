"""The operational plan (verksamhetsplan), as seed 003 prints it."""

from __future__ import annotations


def build_plan(unit, year: int, *, with_charts: bool = True):
    raise NotImplementedError
