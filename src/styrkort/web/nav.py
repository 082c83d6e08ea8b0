"""The tabs on a unit's pages after those of the unit header template (scorecard,
reporting, activities, plans, reports): risks and the economy, listed here by the web app;
``register_unit_tab(url_name, label)`` adds one. The URL pattern must take the unit's
``code``; the period is passed on as ``?period=``."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class UnitTab:
    url_name: str
    label: str
    key: str


UNIT_TABS: list[UnitTab] = [
    UnitTab("risk_matrix", _("Risker"), "risk_matrix"),
    UnitTab("economy", _("Ekonomi"), "economy"),
]


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
