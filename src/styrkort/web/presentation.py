"""How statuses, trends and numbers are shown to people: symbol + text (+ colour), never
colour alone, and numbers the Swedish way (1 757; 51,0 %)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from styrkort.io.numbers import NBSP, format_number


@dataclass(frozen=True)
class Badge:
    key: str
    symbol: str
    label: str
    css: str


STATUS_LABELS = {
    "met": ("■", _("Uppfyllt")),
    "partly": ("●", _("Delvis uppfyllt")),
    "not_met": ("▲", _("Ej uppfyllt")),
    "not_assessed": ("◆", _("Ej bedömt")),
    "no_data": ("–", _("Utfall saknas")),
}

TREND_LABELS = {
    "better": ("↑", _("Förbättring")),
    "worse": ("↓", _("Försämring")),
    "unchanged": ("→", _("Oförändrad")),
    "none": ("", _("Ingen jämförelse")),
}

ACTIVITY_LABELS = {
    "on_track": ("●", _("Pågår enligt plan")),
    "delayed": ("▲", _("Försenad")),
    "done": ("■", _("Klar")),
    "planned": ("◇", _("Planerad")),
    "cancelled": ("✕", _("Avbruten")),
    "not_reported": ("–", _("Ej rapporterad")),
}


def _custom_symbol(symbols: dict | None, key: str, default: str) -> str:
    if symbols and isinstance(symbols.get(key), str) and symbols[key].strip():
        return symbols[key].strip()
    return default


def status_badge(status: str | None, symbols: dict | None = None) -> Badge:
    """Badge for a goal/indicator status (`met`, `partly`, `not_met`, `not_assessed`,
    `no_data`); None counts as no data. `symbols` is the organisation's own symbol map."""
    key = status if status in STATUS_LABELS else "no_data"
    symbol, label = STATUS_LABELS[key]
    return Badge(key, _custom_symbol(symbols, key, symbol), str(label), f"status-{key}")


def trend_badge(trend: str | None, symbols: dict | None = None) -> Badge:
    key = trend if trend in TREND_LABELS else "none"
    symbol, label = TREND_LABELS[key]
    return Badge(key, _custom_symbol(symbols, key, symbol), str(label), f"trend-{key}")


def activity_badge(status: str | None, symbols: dict | None = None) -> Badge:
    key = status if status in ACTIVITY_LABELS else "not_reported"
    symbol, label = ACTIVITY_LABELS[key]
    sym = _custom_symbol((symbols or {}).get("activity") if symbols else None, key, symbol)
    return Badge(key, sym, str(label), f"activity-{key}")


def format_value(value: float | None, unit: str = "", decimals: int | None = None) -> str:
    """A value with its unit, Swedish style: 51.0 '%' -> '51 %' (decimals 0), 1757 'st'
    -> '1 757 st'. None -> ''."""
    if value is None:
        return ""
    text = format_number(value, decimals)
    if unit in ("%", "‰"):
        return f"{text}{NBSP}{unit}"
    if unit in ("kr", "tkr", "mnkr", "dagar", "timmar", "st"):
        return f"{text}{NBSP}{unit}"
    return text


def format_input(value: float | None, decimals: int | None = None) -> str:
    """A stored number as it is put back into an input field (no unit): 1757 -> '1 757'."""
    if value is None:
        return ""
    return format_number(value, decimals).replace(NBSP, " ")


SEX_LABELS = {"total": _("totalt"), "women": _("kvinnor"), "men": _("män")}


def sex_label(key: str) -> str:
    return str(SEX_LABELS.get(key, key))
