"""Registered importers (outcomes, plans; other apps add theirs, e.g. the ledger)."""

from .registry import UnknownImportKind, get_importer, importer_kinds, register

__all__ = ["UnknownImportKind", "get_importer", "importer_kinds", "register"]
