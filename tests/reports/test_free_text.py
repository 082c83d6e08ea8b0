"""What a person types is what every output shows (styrkort.text): "Vård & omsorg <3 >2"
entered through the web forms, the API and a plan import file comes out as those
characters in the web pages, the edit box, the API (as typed, and as HTML beside it) and
the Word, PDF, Excel and HTML reports; a list stays a list in each. A spreadsheet never
turns a comment that starts with =, +, - or @ into a formula (LibreOffice reads the cells
back in the slow test)."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from docx import Document as open_docx
from openpyxl import load_workbook
from rest_framework.test import APIClient

from office import soffice
from styrkort.followup.models import Analysis
from styrkort.io.services import run_import
from styrkort.planning import services as planning
from styrkort.planning.models import ActivityReport, Indicator
from styrkort.reports import build_report

TYPED = "Vård & omsorg <3 >2"
AS_HTML = "Vård &amp; omsorg &lt;3 &gt;2"
LIST = f"{TYPED}\n\n- ett **viktigt** steg\n- två"
LIST_HTML = f"<p>{AS_HTML}</p><ul><li>ett <strong>viktigt</strong> steg</li><li>två</li></ul>"
LIST_PLAIN = f"{TYPED}\n\n• ett viktigt steg\n• två"
PERIOD = "2022-DÅ04"
FORMULAS = ("=1+2", "+46 70 123", "-5 % mot i fjol", "@SUM(A1:A2)")


def _no_entities(text: str) -> None:
    assert "&amp;" not in text and "&lt;" not in text and "&gt;" not in text, text


@pytest.fixture
def entered(world, client):
    """The world, with the typed text entered through each door."""
    # The web forms: an analysis and an activity comment (reporter), a goal's
    # description (planner).
    client.force_login(world.users.reporter)
    response = client.post(
        reverse("report_indicator", args=["NLL-LS1", "vantetid-forsta-besok"])
        + f"?period={PERIOD}",
        {"value_total": "51", "value_women": "45", "value_men": "60", "analysis": TYPED},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    response = client.post(
        reverse("activity_report", args=["NLL-LS1", world.activities.on_track.pk])
        + f"?period={PERIOD}",
        {"status": "on_track", "comment": LIST.replace("\n", "\r\n")},
    )
    assert response.status_code in (200, 302)
    client.force_login(world.users.planner)
    goal = world.goals.citizens
    response = client.post(
        reverse("goal_edit", args=[world.plan.code, goal.pk]),
        {"name": goal.name, "description": LIST, "order": "1", "reason": "Ny beskrivning"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    # The API: the analysis of another indicator.
    api = APIClient()
    api.force_authenticate(world.users.reporter)
    response = api.post(
        "/api/analyses/",
        {"unit": world.ls1.pk, "indicator": world.readmit.pk, "period": PERIOD, "text": TYPED},
        format="json",
    )
    assert response.status_code == 201, response.content
    # An import file: a new indicator, named and defined as typed, under a goal of the plan.
    columns = ["plan", "mål1", "mål2", "mål3", "indikator", "indikatornamn", "måttenhet"]
    columns += ["aggregering", "definition", "målår", "målvärde", "skäl"]
    values = ["ls1-2022", "Medborgare", "Trygg norrbottning med god livskvalitet"]
    values += ["En god vård med hög tillgänglighet", "vard-omsorg", TYPED, "st", "summa"]
    values += [f'"{TYPED}"', "2022", "Öka", "Nytt styrmått"]  # the plan is adopted
    data = (";".join(columns) + "\n" + ";".join(values) + "\n").encode("utf-8")
    report = run_import("plans", io.BytesIO(data), user=world.users.planner, name="plan.csv")
    assert report.ok, report.rejected
    world.imported = Indicator.objects.get(code="vard-omsorg")
    return world


def test_stored_as_typed(entered):
    w = entered
    assert Analysis.objects.get(indicator=w.wait, unit=w.ls1).text == TYPED
    assert Analysis.objects.get(indicator=w.readmit, unit=w.ls1).text == TYPED
    report = ActivityReport.objects.get(activity=w.activities.on_track, unit=w.ls1, period=PERIOD)
    assert report.comment == LIST
    w.goals.citizens.refresh_from_db()
    assert w.goals.citizens.description == LIST
    assert (w.imported.name, w.imported.definition) == (TYPED, TYPED)


def test_web_pages_and_edit_box(entered, client):
    w = entered
    client.force_login(w.users.reporter)
    page = client.get(reverse("indicator_detail", args=["NLL-LS1", "vantetid-forsta-besok"]))
    content = page.content.decode()
    assert f'<div class="analysis-text"><p>{AS_HTML}</p></div>' in content
    assert "&amp;amp;" not in content and "&amp;lt;" not in content
    imported = client.get(reverse("indicator_detail", args=["NLL-LS1", "vard-omsorg"]))
    assert f"<dd><p>{AS_HTML}</p></dd>" in imported.content.decode()
    # The edit box holds what was typed (escaped once, as HTML needs).
    form = client.get(reverse("reporting", args=["NLL-LS1"]) + f"?period={PERIOD}")
    assert f">{AS_HTML}</textarea>" in form.content.decode()
    activities = client.get(reverse("activity_list", args=["NLL-LS1"]) + f"?period={PERIOD}")
    assert f'<div class="comment">{LIST_HTML}</div>' in activities.content.decode()
    plan = client.get(reverse("plan_detail", args=[w.plan.code]))
    assert LIST_HTML in plan.content.decode()


def test_api_as_typed_and_as_html(entered):
    w = entered
    api = APIClient()
    api.force_authenticate(w.users.reader)
    analyses = api.get("/api/analyses/", {"unit": w.ls1.pk, "period": PERIOD}).json()["results"]
    texts = {a["indicator"]: (a["text"], a["text_html"]) for a in analyses}
    assert texts[w.wait.pk] == texts[w.readmit.pk] == (TYPED, f"<p>{AS_HTML}</p>")
    indicator = api.get(f"/api/indicators/{w.imported.pk}/").json()
    assert (indicator["name"], indicator["definition"]) == (TYPED, TYPED)
    assert indicator["definition_html"] == f"<p>{AS_HTML}</p>"
    reports = api.get("/api/activity-reports/", {"activity": w.activities.on_track.pk}).json()
    (report,) = [r for r in reports["results"] if r["unit"] == w.ls1.pk]
    assert (report["comment"], report["comment_html"]) == (LIST, LIST_HTML)
    goal = api.get(f"/api/goals/{w.goals.citizens.pk}/").json()
    assert (goal["description"], goal["description_html"]) == (LIST, LIST_HTML)


def _docx_texts(data: bytes) -> tuple[list[str], list[str], list]:
    doc = open_docx(io.BytesIO(data))
    paragraphs = [p.text for p in doc.paragraphs]
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return paragraphs, cells, doc


def _numbered(paragraph) -> bool:
    return paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None


def test_word(entered):
    w = entered
    paragraphs, cells, doc = _docx_texts(build_report("interim", w.ls1, PERIOD, "docx"))
    # The two analyses, the perspective's description and the imported indicator's
    # heading (and its line in the table of contents).
    assert paragraphs.count(TYPED) == 5
    assert TYPED in cells  # the imported indicator's name in its goal table
    assert f"{TYPED}\nett viktigt steg\ntvå" in cells  # the comment: paragraph and list
    items = [
        p
        for t in doc.tables
        for row in t.rows
        for c in row.cells
        for p in c.paragraphs
        if p.text in ("ett viktigt steg", "två")
    ]
    assert len(items) == 2 and all(_numbered(p) for p in items)
    assert [r.text for r in items[0].runs if r.bold] == ["viktigt"]
    for text in paragraphs + cells:
        _no_entities(text)

    paragraphs, cells, doc = _docx_texts(build_report("plan", w.ls1, "2022", "docx"))
    i = paragraphs.index(TYPED)  # the goal's description, then its list
    assert paragraphs[i + 1 : i + 3] == ["ett viktigt steg", "två"]
    assert all(_numbered(p) for p in doc.paragraphs[i + 1 : i + 3])
    assert not _numbered(doc.paragraphs[i])


def test_excel(entered):
    w = entered
    book = load_workbook(io.BytesIO(build_report("interim", w.ls1, PERIOD, "xlsx")))
    values = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
    strings = [v for v in values if isinstance(v, str)]
    assert LIST_PLAIN in strings  # the activity comment
    assert TYPED in strings  # the imported indicator's name
    texts = book["Texter"]
    assert [c.value for c in texts[1]] == ["Avsnitt", "Text"]
    assert [r[1] for r in texts.iter_rows(min_row=2, values_only=True)].count(TYPED) == 2
    for text in strings:
        _no_entities(text)
    plan = load_workbook(io.BytesIO(build_report("plan", w.ls1, "2022", "xlsx")))
    assert LIST_PLAIN in [r[1] for r in plan["Texter"].iter_rows(min_row=2, values_only=True)]


def test_html_report(entered):
    w = entered
    page = build_report("interim", w.ls1, PERIOD, "html").decode()
    assert page.count(f"<p>{AS_HTML}</p>") >= 3  # two analyses and the comment
    assert LIST_HTML in page
    assert "&amp;amp;" not in page and "&amp;lt;" not in page
    plan = build_report("plan", w.ls1, "2022", "html").decode()
    assert LIST_HTML in plan


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_pdf(entered, tmp_path):
    w = entered
    pdf = tmp_path / "rapport.pdf"
    pdf.write_bytes(build_report("interim", w.ls1, PERIOD, "pdf"))
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert text.count(TYPED) >= 3
    assert re.search(r"•\s*ett viktigt steg", text)
    _no_entities(text)


# --- formulas ----------------------------------------------------------------------------


@pytest.fixture
def formulas(world):
    activities = [world.activities.on_track, world.activities.cascaded]
    activities += [
        planning.create_activity(
            user=world.users.planner,
            plan=world.plan,
            name=f"Åtgärd {i}",
            goals=[world.goals.care],
            reason="Nya åtgärder",
        )
        for i in range(2)
    ]
    for activity, comment in zip(activities, FORMULAS, strict=True):
        planning.report_activity(
            user=world.users.reporter,
            activity=activity,
            unit=world.ls1,
            period=PERIOD,
            status="on_track",
            comment=comment,
        )
    return world


def test_comments_like_formulas_are_text(formulas):
    data = build_report("interim", formulas.ls1, PERIOD, "xlsx")
    book = load_workbook(io.BytesIO(data))
    found = {
        c.value: c
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value in FORMULAS
    }
    assert set(found) == set(FORMULAS)
    for cell in found.values():
        assert cell.data_type == "s" and cell.quotePrefix, cell.value


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_libreoffice_reads_formula_like_comments_as_text(formulas, tmp_path):
    """LibreOffice opens the interim report's workbook and writes every sheet as CSV:
    each comment is there as typed, none computed (=1+2 would read 3)."""
    source = tmp_path / "rapport.xlsx"
    source.write_bytes(build_report("interim", formulas.ls1, PERIOD, "xlsx"))
    soffice(
        source,
        tmp_path,
        # Comma, double quote, UTF-8, from line 1, cells as shown (not their formulas),
        # every sheet into a file of its own (the 12th token: -1).
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,,false,true,true,false,false,-1",
    )
    sheets = sorted(tmp_path.glob("rapport*.csv"))
    assert len(sheets) > 1, "LibreOffice wrote one CSV file, not one per sheet"
    cells = {
        cell
        for path in sheets
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8")))
        for cell in row
    }
    for comment in FORMULAS:
        assert comment in cells, (comment, sorted(c for c in cells if c[:1] in "=+-@"))
