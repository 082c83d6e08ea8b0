"""Per-organisation report layouts (versioned YAML in ``reports/layouts/``): which
measures fill the interim report's production table (with their remote-visit
counterparts) and its accessibility section. Without a layout the report falls back
to a plain table of the unit's unplaced counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

__all__ = ["Layout", "ProductionLayoutRow", "ProductionLayoutTable", "layout_for"]

LAYOUT_DIR = Path(__file__).parent / "layouts"


@dataclass(frozen=True)
class ProductionLayoutRow:
    label: str
    indicator: str
    remote: str | None = None
    level: int = 0


@dataclass(frozen=True)
class ProductionLayoutTable:
    caption: str
    heading: str
    rows: tuple[ProductionLayoutRow, ...]

    @property
    def with_remote(self) -> bool:
        return any(r.remote for r in self.rows)

    def codes(self) -> set[str]:
        return {c for r in self.rows for c in (r.indicator, r.remote) if c}


@dataclass(frozen=True)
class Layout:
    organisation: str = ""
    production: tuple[ProductionLayoutTable, ...] = ()
    accessibility: tuple[str, ...] = ()
    accessibility_intro: str = ""
    extra: dict = field(default_factory=dict)


@cache
def layout_for(organisation_code: str) -> Layout:
    """The layout of an organisation (empty when it has none)."""
    for path in sorted(LAYOUT_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if data.get("organisation") != organisation_code:
            continue
        tables = tuple(
            ProductionLayoutTable(
                caption=t.get("caption", ""),
                heading=t.get("heading", t.get("caption", "")),
                rows=tuple(ProductionLayoutRow(**row) for row in t.get("rows", [])),
            )
            for t in data.get("production", [])
        )
        access = data.get("accessibility") or {}
        return Layout(
            organisation=organisation_code,
            production=tables,
            accessibility=tuple(access.get("indicators", [])),
            accessibility_intro=access.get("intro", ""),
            extra={
                k: v
                for k, v in data.items()
                if k not in ("organisation", "production", "accessibility")
            },
        )
    return Layout(organisation=organisation_code)
