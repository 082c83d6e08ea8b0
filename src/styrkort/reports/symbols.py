"""Symbols and words for statuses, trends and activity statuses in documents (pure).

Shape + words (+ colour on screen), never colour alone (WCAG), as the seeds print them:
■ met, ● partly, ▲ not met, ◆ not assessed; ↑ better, ↓ worse, → unchanged; for
activities ● on track, ▲ delayed, ■ done, ◇ planned. An organisation may use its own
symbols (``Organisation.symbols``: ``{"met": "■", "activity": {"done": "✓"}}``).
"""

from __future__ import annotations

from .document import Cell, Legend, LegendItem, symbol_cell

__all__ = [
    "ACTIVITY",
    "STATUS",
    "TREND",
    "Symbols",
    "footnote_mark",
]

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def footnote_mark(number: int) -> str:
    """A footnote's mark as the seeds print it: 3 -> "³", 12 -> "¹²"."""
    return str(number).translate(SUPERSCRIPT)


STATUS = {
    "met": ("■", "Uppfyllt"),
    "partly": ("●", "Delvis uppfyllt"),
    "not_met": ("▲", "Ej uppfyllt"),
    "not_assessed": ("◆", "Ej bedömt"),
    "no_data": ("–", "Utfall saknas"),
}
TREND = {
    "better": ("↑", "Förbättring"),
    "worse": ("↓", "Försämring"),
    "unchanged": ("→", "Oförändrad"),
    "none": ("", "Ingen jämförelse"),
}
ACTIVITY = {
    "on_track": ("●", "Pågår enligt plan"),
    "delayed": ("▲", "Försenad"),
    "done": ("■", "Klar"),
    "planned": ("◇", "Planerad"),
    "cancelled": ("✕", "Avbruten"),
    "not_reported": ("–", "Ej rapporterad"),
}

#: Colours for screens and colour print (the shape and the words carry the meaning).
COLOURS = {
    "met": "1B7F3B",
    "partly": "B8860B",
    "not_met": "B22222",
    "not_assessed": "4A4A8A",
    "no_data": "6B6B6B",
    "better": "1B7F3B",
    "worse": "B22222",
    "unchanged": "4A4A4A",
    "on_track": "B8860B",
    "delayed": "B22222",
    "done": "1B7F3B",
    "planned": "4A4A8A",
    "cancelled": "6B6B6B",
}


class Symbols:
    """The symbol set of one organisation (defaults from the seeds)."""

    def __init__(self, custom: dict | None = None):
        custom = custom or {}
        self._status = {k: (self._pick(custom, k, s), label) for k, (s, label) in STATUS.items()}
        self._trend = {k: (self._pick(custom, k, s), label) for k, (s, label) in TREND.items()}
        activity = custom.get("activity") if isinstance(custom.get("activity"), dict) else {}
        self._activity = {
            k: (self._pick(activity, k, s), label) for k, (s, label) in ACTIVITY.items()
        }

    @staticmethod
    def _pick(custom: dict, key: str, default: str) -> str:
        value = custom.get(key)
        return value.strip() if isinstance(value, str) and value.strip() else default

    def status(self, key: str | None) -> tuple[str, str]:
        return self._status.get(key or "no_data", self._status["no_data"])

    def trend(self, key: str | None) -> tuple[str, str]:
        return self._trend.get(key or "none", self._trend["none"])

    def activity(self, key: str | None) -> tuple[str, str]:
        return self._activity.get(key or "not_reported", self._activity["not_reported"])

    def status_cell(self, key: str | None, prefix: str = "") -> Cell:
        k = key if key in STATUS else "no_data"
        symbol, label = self.status(k)
        return symbol_cell(k, symbol, label, text=f"{prefix}{symbol} {label}".strip())

    def trend_cell(self, key: str | None, prefix: str = "") -> Cell:
        k = key if key in TREND else "none"
        symbol, label = self.trend(k)
        if k == "none":
            return symbol_cell(k, "", label, text="")
        return symbol_cell(k, symbol, label, text=f"{prefix}{symbol} {label}".strip())

    def activity_cell(self, key: str | None) -> Cell:
        k = key if key in ACTIVITY else "not_reported"
        symbol, label = self.activity(k)
        return symbol_cell(k, symbol, label)

    def legend(self, *, activities: bool = True) -> Legend:
        groups = [
            (
                "Måluppfyllelse",
                [LegendItem(*self.status(k), key=k) for k in STATUS],
            ),
            (
                "Utveckling jämfört med samma period föregående år",
                [LegendItem(*self.trend(k), key=k) for k in ("better", "worse", "unchanged")],
            ),
        ]
        if activities:
            groups.append(
                (
                    "Status för åtgärder",
                    [
                        LegendItem(*self.activity(k), key=k)
                        for k in ("done", "on_track", "delayed", "planned", "cancelled")
                    ],
                )
            )
        return Legend("Teckenförklaring", groups)
