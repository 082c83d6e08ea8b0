"""The registry of importers: `kind` ("outcomes", "plans", "ledger" ...) -> class.

An app adds its own importer by decorating a subclass of
`styrkort.io.importers.base.Importer` with `@register` in a module named `importers`
(`styrkort/economy/importers.py`); such modules are found on first use, the way
Django's admin finds `admin` modules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .base import Importer

_REGISTRY: dict[str, type[Importer]] = {}
_discovered = False


class UnknownImportKind(KeyError):
    def __init__(self, kind: str, known: list[str]):
        super().__init__(kind)
        self.message = _("Okänd importtyp '%(kind)s'. Välj bland: %(known)s.") % {
            "kind": kind,
            "known": ", ".join(known),
        }

    def __str__(self) -> str:
        return self.message


def register(cls: type[Importer]) -> type[Importer]:
    """Class decorator: make `cls` available as `styrkort import <cls.kind>`."""
    if not cls.kind:
        raise ValueError(f"{cls.__name__} has no kind")
    _REGISTRY[cls.kind] = cls
    return cls


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    _discovered = True
    from django.utils.module_loading import autodiscover_modules

    from . import outcomes, plans  # noqa: F401  (built-in importers register themselves)

    autodiscover_modules("importers")


def importer_kinds() -> list[str]:
    _discover()
    return sorted(_REGISTRY)


def get_importer(kind: str) -> type[Importer]:
    _discover()
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise UnknownImportKind(kind, sorted(_REGISTRY)) from None
