"""Extra tabs on a unit's pages, registered by other apps (risk, economy) in their
AppConfig.ready(): ``register_unit_tab("risk_matrix", _("Risker"))``. The URL pattern must
take the unit's ``code``; the period is passed on as ``?period=``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UnitTab:
    url_name: str
    label: str
    key: str


UNIT_TABS: list[UnitTab] = []


def register_unit_tab(url_name: str, label, key: str = "") -> None:
    if not any(t.url_name == url_name for t in UNIT_TABS):
        UNIT_TABS.append(UnitTab(url_name, label, key or url_name))


def unit_tabs(unit_code: str) -> list[dict]:
    from django.urls import NoReverseMatch, reverse

    tabs = []
    for tab in UNIT_TABS:
        try:
            tabs.append(
                {"url": reverse(tab.url_name, args=[unit_code]), "label": tab.label, "key": tab.key}
            )
        except NoReverseMatch:
            continue
    return tabs
