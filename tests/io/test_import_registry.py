"""The importer registry: another app's importer gets the whole machinery."""

from __future__ import annotations

import io

import pytest

from styrkort.io.importers import UnknownImportKind, get_importer, importer_kinds, register
from styrkort.io.importers.base import Column, Importer
from styrkort.io.importers.registry import _REGISTRY
from styrkort.io.services import run_import


@pytest.fixture
def counting_importer():
    @register
    class CountingImporter(Importer):
        kind = "counting-test"
        label = "Test"
        columns = (Column("line", ("rad",), required=True), Column("amount", ("belopp",)))

        def begin(self):
            self.seen = []

        def process_row(self, number, values):
            if values["line"] == "fel":
                self.report.reject(number, self.column_labels["line"], "Okänd rad.")
            self.seen.append(values)

        def finish(self):
            self.report.created = len(self.seen)

    yield CountingImporter
    _REGISTRY.pop("counting-test", None)


def test_builtin_kinds_are_registered():
    assert {"outcomes", "plans"} <= set(importer_kinds())
    with pytest.raises(UnknownImportKind, match="Okänd importtyp 'ledgerx'"):
        get_importer("ledgerx")


def test_a_registered_importer_gets_readers_mapping_and_report(db, counting_importer):
    data = "Rad;Belopp;Övrigt\nintäkter;1 757;x\nkostnader;-11,2;y\n".encode("cp1252")
    report = run_import("counting-test", io.BytesIO(data))
    assert report.ok and report.created == 2 and report.rows == 2
    assert report.ignored_columns == ["Övrigt"]
    bad = run_import("counting-test", io.BytesIO(b"rad\nfel\n"))
    assert [(e.row, e.column, e.reason) for e in bad.rejected] == [(2, "rad", "Okänd rad.")]
    assert bad.created == 0
