"""The interim report and the plan built from the seed demo (evaluation, not recomputed),
with their Excel, Word and HTML forms opened again by their libraries."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import call_command
from docx import Document as open_docx
from openpyxl import load_workbook

from styrkort.commands import BadInput
from styrkort.reports import build_report, report_filename
from styrkort.reports.build import ReportError, build_document, render
from styrkort.reports.document import Table

pytestmark = pytest.mark.django_db


def sp(text: str) -> str:
    return text.replace("\u00a0", " ")


@pytest.fixture(scope="module")
def interim(ls1, django_db_blocker):
    with django_db_blocker.unblock():
        return build_document("interim", ls1, "2022-DÅ04")


def table(document, caption_start: str) -> Table:
    return next(t for t in document.tables() if t.caption.startswith(caption_start))


def row(table_: Table, first: str):
    return next(r for r in table_.rows if sp(r[0].text).strip() == first)


def test_production_table(interim):
    visits = table(interim, "Besök")
    assert [sp(c.text) for c in row(visits, "Läkarbesök")] == [
        "Läkarbesök",
        "31 180",
        "29 685",
        "+5,0 %",
        "6 247",
        "7 037",
        "-11,2 %",
        "20,0 %",
    ]
    assert sp(visits.total[7].text) == "23,6 %"
    stays = table(interim, "Vårdtillfällen")
    assert sp(row(stays, "Psykiatri")[3].text) == "-43,8 %"


def test_goal_table_shows_the_evaluation(interim):
    goal = table(interim, "Strategiskt mål: God nära och samordnad vård")
    readmissions = next(r for r in goal.rows if r[1].text.startswith("Oplanerade återinskr"))
    outcome = {label: sp(part.text) for label, part in readmissions[4].parts}
    assert outcome == {"K": "18,8 %", "M": "17,3 %"}
    status = {label: part.key for label, part in readmissions[5].parts}
    assert status == {"K": "not_met", "M": "partly"}
    assert [sp(p.text) for _, p in readmissions[2].parts] == ["16,0 %", "17,2 %"]
    medication = next(r for r in goal.rows if r[1].text.startswith("Andel utskrivna"))
    assert medication[5].key == "met" and medication[5].text == "■ Uppfyllt"
    falls = next(r for r in goal.rows if r[1].text.startswith("Vårdrelaterade fallskador"))
    assert falls[5].key == "not_met" and falls[5].text.endswith("(bedömd)")


def test_medication_per_clinic_summed_row(interim):
    clinics = table(interim, "Andel utskrivna patienter i målgruppen 75 år").__class__
    per_clinic = next(t for t in interim.tables() if t.caption.endswith("per klinik"))
    assert [sp(c.text) for c in per_clinic.total[:4]] == ["Summa", "", "1 757", "1 324"]
    assert per_clinic.total[4].value == pytest.approx(100 * 1324 / 1757)
    assert [sp(c.text) for c in per_clinic.rows[0]] == [
        "VO Internmedicin",
        "Gällivare sjukhus",
        "228",
        "135",
        "59 %",
    ]
    per_site = next(
        t for t in interim.tables() if t.caption.endswith("läkemedelsberättelse per sjukhus")
    )
    sunderby = next(r for r in per_site.rows if r[0].text == "Sunderby sjukhus")
    assert [sp(c.text) for c in sunderby[1:3]] == ["657", "485"]  # internal medicine + neuro
    assert clinics is Table


def test_falls_per_business_area_over_two_years(interim):
    falls = next(
        t
        for t in interim.tables()
        if t.caption.startswith("Vårdrelaterade fallskador hos äldre per")
    )
    assert [sp(c.text) for c in row(falls, "VO Internmedicin")] == ["VO Internmedicin", "55", "85"]
    assert [sp(c.text) for c in falls.total] == ["Totalt", "68", "90"]


def test_charts_have_text_alternatives(interim):
    figures = interim.figures()
    assert figures, "the report has charts"
    violence = next(f for f in figures if "våld" in f.caption)
    assert "Kvinnor: DÅ04 2020 270 st, DÅ04 2021 176 st, DÅ04 2022 205 st." in sp(violence.alt)
    for figure in figures:
        assert figure.alt.startswith("Linjediagram:") and figure.spec["layer"]


def test_activity_follow_up(interim):
    acts = table(interim, "Strategiska åtgärder: Ekonomi")
    first = row(acts, "25")
    assert first[3].key == "delayed" and first[3].text == "▲ Försenad"
    assert first[1].text == "Framgångsfaktor: Verksamheten håller sina ekonomiska ramar"


def test_excel_cells_are_typed(ls1):
    data = build_report("interim", ls1, "2022-DÅ04", "xlsx")
    wb = load_workbook(io.BytesIO(data))
    assert wb.properties.title == "Delårsrapport per april 2022"
    ws = wb["Besök"]
    header = [c.value for c in ws[3]]
    assert header[:4] == ["Besök", "DÅ04 2022", "DÅ04 2021", "Förändring %"]
    values = {r[0].value.strip(): r for r in ws.iter_rows(min_row=4) if r[0].value}
    doctors = values["Läkarbesök"]
    assert doctors[1].value == 31180 and doctors[1].data_type == "n"
    assert doctors[3].value == pytest.approx(0.05036, abs=1e-5) and "%" in doctors[3].number_format
    total = values["Totalt antal besök"]
    assert total[7].value == pytest.approx(14702 / 62308) and total[7].number_format.endswith(
        "0.0 %"
    )
    # The goal table: every outcome, target and status in its own typed cell.
    sheet = next(wb[n] for n in wb.sheetnames if n.startswith("God nära"))
    head = [c.value for c in sheet[3]]
    rows = [
        r for r in sheet.iter_rows(min_row=4) if r[1].value and r[1].value.startswith("Oplanerade")
    ]
    cells = dict(zip(head, rows[0], strict=True))
    assert cells["Periodens utfall – K"].value == pytest.approx(0.188)
    assert cells["Periodens utfall – K"].number_format.endswith("0.0 %")
    assert cells["Periodens utfall – M"].value == pytest.approx(0.173)
    assert cells["Mål – K"].value == pytest.approx(0.16)
    assert cells["Måluppfyllelse – K"].value == "Ej uppfyllt"
    assert cells["Måluppfyllelse – M"].value == "Delvis uppfyllt"
    medication = next(
        r for r in sheet.iter_rows(min_row=4) if str(r[1].value).startswith("Andel utskrivna")
    )
    med = dict(zip(head, medication, strict=True))
    assert med["Mål"].value == pytest.approx(0.70) and med["Mål"].data_type == "n"
    assert med["Periodens utfall"].value == pytest.approx(1302 / 1664)
    as_text = [
        (ws_.title, c.coordinate, c.value)
        for ws_ in wb.worksheets[1:]
        for r in ws_.iter_rows(min_row=4)
        for c in r
        if isinstance(c.value, str) and c.value.replace("\u00a0", "").replace(",", "").isdigit()
    ]
    assert as_text == [], "numbers stored as text"


def test_word_has_styles_toc_and_alt_text(ls1):
    data = build_report("interim", ls1, "2022-DÅ04", "docx")
    doc = open_docx(io.BytesIO(data))
    styles = {p.style.name for p in doc.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Heading 3", "Caption"} <= styles
    assert {t.style.name for t in doc.tables} == {"Styrkort tabell"}
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert 'TOC \\o "1-3"' in xml
    assert 'descr="Linjediagram: Antal patienter som fått fråga om våld' in xml
    assert "<w:tblHeader" in xml
    settings = zipfile.ZipFile(io.BytesIO(data)).read("word/settings.xml").decode()
    assert "updateFields" in settings
    assert doc.core_properties.language == "sv-SE"


def test_word_template_restyles(ls1, tmp_path):
    from docx.shared import Pt, RGBColor

    template = open_docx()
    template.add_paragraph("Mallens exempeltext tas bort")
    heading = template.styles["Heading 1"]
    heading.font.size = Pt(20)
    heading.font.color.rgb = RGBColor(0x80, 0x00, 0x80)
    path = tmp_path / "region.docx"
    template.save(path)
    data = build_report("plan", srs_pv_unit(), "2024", "docx", template=path)
    doc = open_docx(io.BytesIO(data))
    assert "Mallens exempeltext tas bort" not in [p.text for p in doc.paragraphs]
    assert doc.styles["Heading 1"].font.size == Pt(20)
    assert doc.styles["Heading 1"].font.color.rgb == RGBColor(0x80, 0x00, 0x80)
    assert "Styrkort tabell" in {s.name for s in doc.styles}


def srs_pv_unit():
    from styrkort.organisation.lookup import find_unit

    return find_unit("SRS-PV")


def test_html_is_accessible_structure(ls1):
    page = build_report("interim", ls1, "2022-DÅ04", "html").decode()
    assert page.startswith("<!DOCTYPE html>") and '<html lang="sv">' in page
    assert "<caption>" in page and '<th scope="col">' in page and "<tfoot>" in page
    assert 'alt="Linjediagram:' in page and "data:image/svg+xml;base64," in page
    assert page.count("<h1>") == 1


def test_plan_follows_seed_003(srs_pv):
    plan = build_document("plan", srs_pv, "2024")
    headings = [h.text for h in plan.headings()]
    assert (
        "Politikens mål: Region Sörmland arbetar utifrån ett hälsofrämjande och "
        "förebyggande perspektiv" in headings
    )
    assert (
        "Verksamhetens mål: Trygga patienter: Vi har ett förebyggande och hälsofrämjande arbetssätt"
        in headings
    )
    assert "Kloka kliniska val" in headings
    first = next(
        t
        for t in plan.tables()
        if t.caption.startswith("Indikatorer: Smidig resa genom vården: Vi har en god, säker")
    )
    cells = {r[0].text: r for r in first.rows}
    row_ = cells["Andel patienter som får en första medicinsk bedömning inom tre dagar"]
    assert sp(row_[1].text) == "80 %" and row_[1].value == 80.0
    assert row_[2].text == "2026: 90%"
    statement = next(t for t in plan.tables() if t.name == "Resultaträkning")
    result = next(r for r in statement.rows if r[0].text.strip() == "Årets resultat")
    # In tkr, as seed 003 prints it (Sörmland's economy unit), never rounded to mnkr.
    assert [sp(c.text) for c in result[1:]] == ["3 177", "-6 000", "-58 000", "-3 000", "0", "0"]
    assert statement.columns[1:] == [
        "Bokslut 2022",
        "Budget 2023",
        "Prognos 2023",
        "Budget 2024",
        "Plan 2025",
        "Plan 2026",
    ]
    risks = next(t for t in plan.tables() if t.name == "Risker")
    assert [r[-2].text for r in risks.rows][:2] == ["Medel", "Hög"]


def test_publication_hides_small_counts(ls1):
    doc = build_document("interim", ls1, "2022-DÅ04", publication=True)
    per_clinic = next(t for t in doc.tables() if t.caption.endswith("per klinik"))
    neuro = next(r for r in per_clinic.rows if r[0].text == "VO Neurocentrum")
    assert [c.text for c in neuro[2:]] == ["<5", "<5", ".."]
    falls = next(
        t for t in doc.tables() if t.caption.startswith("Vårdrelaterade fallskador hos äldre per")
    )
    assert [c.text for c in row(falls, "VO Akut omhändertagande")[1:]] == ["<5", "<5"]


def test_bad_requests_are_one_swedish_line(ls1, tmp_path):
    out = str(tmp_path / "r.docx")
    cases = [
        (["interim", "--org", "NLL-LS1", "--period", "2022", "-o", out], "delårsrapport gäller"),
        (["annual", "--org", "NLL-LS1", "--period", "2022-DÅ04", "-o", out], "årsrapport gäller"),
        (["interim", "--org", "NOPE", "--period", "2022-DÅ04", "-o", out], "Okänd enhet"),
        (["interim", "--org", "NLL-LS1", "--period", "2022-X", "-o", out], "Okänd period"),
        (
            ["interim", "--org", "NLL-LS1", "--period", "2022-DÅ04", "-o", str(tmp_path / "r.txt")],
            "Okänt format",
        ),
        (["plan", "--org", "NLL-LS1", "--period", "2030", "-o", out], "ingen plan"),
        (
            [
                "interim",
                "--org",
                "NLL-LS1",
                "--period",
                "2022-DÅ04",
                "-o",
                out,
                "--format",
                "pdf",
                "--template",
                out,
            ],
            "Mallen finns inte",
        ),
        (["report", "--org", "NLL-LS1", "--period", "2022-DÅ04", "-o", out], "Okänd rapport"),
    ]
    for args, words in cases:
        with pytest.raises(BadInput) as info:
            call_command("report", *args)
        assert info.value.returncode == 2
        assert words in str(info.value) and "\n" not in str(info.value)
    with pytest.raises(ReportError):
        render(build_document("plan", srs_pv_unit(), "2024"), "xlsx", template=b"x")


def test_command_writes_the_file_and_names(ls1, tmp_path):
    out = tmp_path / "rapport.html"
    call_command(
        "report",
        "interim",
        "--org",
        "Division Länssjukvård 1",
        "--period",
        "2022-DA04",
        "-o",
        str(out),
        stdout=io.StringIO(),
    )
    assert out.read_bytes().startswith(b"<!DOCTYPE html>")
    assert (
        report_filename("interim", ls1, "2022-DÅ04", "docx")
        == "Delarsrapport_NLL-LS1_2022-DA04.docx"
    )
