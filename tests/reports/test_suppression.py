"""Small-count suppression for publication (pure, fast)."""

from sample import medication_table, sample_document

from styrkort.reports.document import Cell, Legend, count_cell, percent_cell
from styrkort.reports.suppression import (
    HIDDEN,
    SuppressionPolicy,
    suppress_cell,
    suppress_document,
    suppress_table,
)


def test_small_counts_print_as_below_threshold():
    policy = SuppressionPolicy()
    assert suppress_cell(count_cell(4), policy).text == "<5"
    assert suppress_cell(count_cell(1), policy).value == "<5"
    assert suppress_cell(count_cell(5), policy).text == "5"
    assert suppress_cell(count_cell(0), policy).text == "0"
    assert suppress_cell(count_cell(0), SuppressionPolicy(suppress_zero=True)).text == "<5"
    assert suppress_cell(count_cell(9), SuppressionPolicy(threshold=10)).text == "<10"


def test_percentage_on_few_cases_is_hidden():
    policy = SuppressionPolicy()
    assert suppress_cell(percent_cell(100.0, 0, denominator=4), policy).text == HIDDEN
    assert suppress_cell(percent_cell(74.0, 0, denominator=653), policy).text == "74\u00a0%"
    # A percentage without its denominator cannot be judged and is printed.
    assert suppress_cell(percent_cell(53.0, 0), policy).text == "53\u00a0%"


def test_composite_cells_are_suppressed_part_by_part():
    cell = Cell("7", 7, "count", parts=(("K", count_cell(3)), ("M", count_cell(4))))
    out = suppress_cell(cell, SuppressionPolicy())
    assert out.suppressed and [p.text for _, p in out.parts] == ["<5", "<5"]


def test_table_with_summed_row_hides_a_second_count():
    table = suppress_table(medication_table(), SuppressionPolicy())
    neuro = table.rows[5]
    assert [c.text for c in neuro[2:]] == ["<5", "<5", HIDDEN]
    # Without a second hidden count, 1 757 minus the other rows would give 4 back.
    # The row with the next smallest count (Kiruna, 194) is hidden whole: its share
    # would otherwise give its count back.
    kiruna = table.rows[2]
    assert [c.text for c in kiruna[2:]] == [HIDDEN, HIDDEN, HIDDEN]
    assert table.total[2].text.replace("\u00a0", " ") == "1 757"
    others = [r for i, r in enumerate(table.rows) if i not in (2, 5)]
    assert not any(c.suppressed for r in others for c in r)


def test_suppressed_document_explains_the_markers():
    doc = suppress_document(sample_document(), SuppressionPolicy())
    legend = next(b for b in doc.blocks if isinstance(b, Legend))
    labels = [item.symbol for _, items in legend.groups for item in items]
    assert "<5" in labels and HIDDEN in labels
    assert "Publicering" in doc.meta


def test_chart_of_small_counts_is_left_out():
    from styrkort.reports.document import Document, Figure, Paragraph

    doc = Document(
        "t",
        blocks=[
            Figure({}, "alt", caption="Fall", values=(2.0, 55.0), counts=True),
            Figure({}, "alt", caption="Andel", values=(2.0, 55.0), counts=False),
            Figure({}, "alt", caption="Besök", values=(31180.0,), counts=True),
        ],
    )
    out = suppress_document(doc, SuppressionPolicy())
    assert isinstance(out.blocks[0], Paragraph) and "färre än 5" in out.blocks[0].text
    assert isinstance(out.blocks[1], Figure) and isinstance(out.blocks[2], Figure)
