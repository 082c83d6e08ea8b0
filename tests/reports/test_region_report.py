"""The region's report compiled from its units (``styrkort report region``): Region
Norrbotten DÅ04 2022 (seed 001's division, the board plan of seed 004) and Region
Jämtland Härjedalen DÅ04 2024 (seed 002), both rounds approved and closed in the demo.
The slow test opens the .docx in LibreOffice and reads it back with pdftotext."""

from __future__ import annotations

import io
import subprocess

import pytest
from django.urls import reverse

from factories import RoleAssignmentFactory, UserFactory
from styrkort.demo.loader import fixture_files
from styrkort.organisation.lookup import find_unit
from styrkort.reports import ReportError, build_report
from styrkort.reports.build import build_document
from styrkort.reports.document import Heading, Paragraph, Table
from styrkort.rounds.models import Submission, SubmissionState
from styrkort.web.models import JobStatus, ReportJob

# Each test in a savepoint of the module's demo (and the test database set up even when
# this module runs alone).
pytestmark = pytest.mark.django_db

DEMO_FILES = fixture_files()  # the whole demo: both regions' rounds and their plans

NLL_DIVISIONS = (
    "Division Funktion",
    "Division Länssjukvård 1",
    "Division Länssjukvård 2",
    "Division Nära",
    "Division Psykiatri",
    "Regiongemensamt",
    "Division Regionstöd",
)


def _chapters(document) -> list[str]:
    return [b.text for b in document.blocks if isinstance(b, Heading) and b.level == 1]


def _table(document, caption: str) -> Table:
    return next(t for t in document.tables() if t.caption.startswith(caption))


def _texts(table: Table) -> list[list[str]]:
    return [[c.text for c in row] for row in [*table.rows, *([table.total] if table.total else [])]]


def test_norrbotten_each_division_is_a_chapter_with_the_units_listed(demo):
    document = build_document("region", find_unit("NLL"), "2022-DÅ04")
    assert document.title == "Delårsrapport per april 2022"
    assert document.meta["Period"] == "DÅ04 2022 (januari–april 2022)"
    chapters = _chapters(document)
    for name in NLL_DIVISIONS:
        assert name in chapters
    assert chapters.index("Inrapportering") < chapters.index("Division Funktion")
    assert {"Ekonomi", "Intern kontroll", "Måluppfyllelse per division"} <= set(chapters)
    units = _texts(_table(document, "Enheternas inrapportering"))
    # 25 units, every one approved (61-nll-round-2022-da04.yaml); VO Internmedicin by the
    # division's planner on 17 May.
    assert len(units) == 25
    im = next(r for r in units if r[1] == "NLL-LS1-IM")
    assert im[2] == "✔ Godkänd" and im[4] == "2022-05-17"
    counts = _texts(_table(document, "Måluppfyllelse per division"))
    ls1 = next(r for r in counts if r[0] == "Division Länssjukvård 1")
    # LS1: 33 strategic actions, 17 on track and 2 delayed (seed 001's follow-up table).
    assert ls1[6:] == ["33", "0", "17", "2"]


def test_norrbotten_numbers_come_from_the_units(demo):
    html = build_report("region", find_unit("NLL"), "2022-DÅ04", "html").decode()
    # Seed 001 line 197: 339 patients asked about violence (K 205, M 134), rolled up to
    # the region's scorecard; the division's analysis of it under its chapter.
    assert "339" in html and "205" in html and "134" in html
    assert "Vårdpersonal ska fråga om våldsutsatthet" in html


def test_jamtland_731_activities_and_the_goal_area_analyses(demo):
    document = build_document("region", find_unit("JLL"), "2024-DÅ04")
    assert "Hälso- och sjukvårdsnämnden" in _chapters(document)
    counts = _texts(_table(document, "Måluppfyllelse per division"))
    # Seed 002: 731 activities, 58 done, 425 on track, 24 delayed (224 planned).
    assert counts[0][0] == "Hälso- och sjukvårdsnämnden"
    assert counts[0][6:] == ["731", "58", "425", "24"]
    html = build_report("region", find_unit("JLL"), "2024-DÅ04", "html").decode()
    assert (
        "731 strategiska åtgärder: 58 klara, 425 pågår enligt plan, 24 försenade, 224 planerade."
        in html
    )
    assert "Mål: Målområde för tandvård." in html


def test_only_approved_content_is_compiled(demo):
    nll = find_unit("NLL")
    ls1 = find_unit("NLL-LS1")
    sub = Submission.objects.get(round__period="2022-DÅ04", unit=ls1)
    sub.state = SubmissionState.READY
    sub.save(update_fields=["state"])
    try:
        document = build_document("region", nll, "2022-DÅ04")
        html = build_report("region", nll, "2022-DÅ04", "html").decode()
    finally:
        sub.state = SubmissionState.APPROVED
        sub.save(update_fields=["state"])
    units = _texts(_table(document, "Enheternas inrapportering"))
    assert next(r for r in units if r[1] == "NLL-LS1")[2] == "● Klarmarkerad"
    assert "Vårdpersonal ska fråga om våldsutsatthet" not in html
    assert "Divisionens rapport är inte godkänd" in html
    # Its outcomes are in the region's totals, so the report says it is preliminary.
    assert "Preliminär: 1 enhet är ännu inte godkända" in html
    complete = build_report("region", nll, "2022-DÅ04", "html").decode()
    assert "Preliminär" not in complete


def test_annual_report_with_the_income_statement_and_the_balanced_budget_result(demo):
    import datetime as dt

    from django.db import transaction

    from styrkort.organisation.models import Organisation
    from styrkort.rounds import services

    org = Organisation.objects.get(code="srs")
    with transaction.atomic():
        services.open_round(
            user=None,
            organisation=org,
            period="2023",
            opens_on=dt.date(2024, 1, 2),
            deadline=dt.date(2024, 2, 1),
        )
        document = build_document("region", services.top_unit(org), "2023")
        transaction.set_rollback(True)
    assert document.title == "Årsrapport 2023"
    statement = _texts(_table(document, "Resultaträkning"))
    # Seed 003 line 738: Årets resultat, budget 2023 -6 000, forecast 2023 -58 000 (tkr).
    result = next(r for r in statement if r[0].strip() == "Årets resultat")
    assert result[2:] == ["-6\u00a0000", "-58\u00a0000"]
    sentences = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    balanced = next(t for t in sentences if "balanskrav" in t)
    assert "enligt prognos: -58\u00a0000\u00a0tkr" in balanced
    assert "är inte uppfyllt" in balanced


def test_internal_control_results_of_the_period(demo):
    from django.db import transaction

    from styrkort.periods import parse_period
    from styrkort.risk.models import Control, ControlResult

    control = Control.objects.filter(risk__unit__code="NLL").order_by("risk__order", "id")[0]
    with transaction.atomic():
        result = ControlResult(
            control=control, outcome="deviation", comment="Två av tolv stickprov saknade attest."
        )
        result.set_period(parse_period("2022-DÅ04"))
        result.save()
        document = build_document("region", find_unit("NLL"), "2022-DÅ04")
        transaction.set_rollback(True)
    rows = _texts(_table(document, "Internkontrollens resultat DÅ04 2022"))
    assert rows == [
        [
            "Region Norrbotten",
            control.risk.title or control.risk.event,
            control.method,
            "Avvikelse",
            "Två av tolv stickprov saknade attest.",
        ]
    ]
    assert "1 kontroll: 1 avvikelse." in [
        b.text for b in document.blocks if isinstance(b, Paragraph)
    ]


def test_refusals_are_one_swedish_line(demo):
    with pytest.raises(ReportError, match="välj Region Norrbotten \\(NLL\\)"):
        build_report("region", find_unit("NLL-LS1"), "2022-DÅ04", "html")
    with pytest.raises(ReportError, match="inget uppföljningstillfälle för DÅ04 2023"):
        build_report("region", find_unit("NLL"), "2023-DÅ04", "html")


def test_command_line_takes_the_organisation_code(demo):
    from styrkort.reports.management.commands.report import _region_top

    # `styrkort report region --org nll` (the organisation's code) and `--org NLL` (its
    # top unit's code) name the same unit; an unknown code falls through to the unit
    # lookup, which says it is unknown.
    assert _region_top("nll") == find_unit("NLL")
    assert _region_top(" JLL ") == find_unit("JLL")
    assert _region_top("NLL-LS1") is None


def test_ordered_from_the_web_on_the_top_unit_only(demo, client, settings):
    settings.STYRKORT_JOBS_INLINE = True
    user = UserFactory()
    RoleAssignmentFactory(user=user, unit=find_unit("NLL"), role="reader")
    client.force_login(user)
    page = client.get(reverse("report_page", args=["NLL"])).content.decode()
    assert "Regionens sammanställda rapport" in page
    response = client.post(
        reverse("report_page", args=["NLL"]),
        {"kind": "region", "period": "2022-DÅ04", "fmt": "docx"},
    )
    job = ReportJob.objects.get(owner=user)
    assert response.status_code == 302 and job.status == JobStatus.DONE, job.message
    assert job.filename == "Regionens-rapport_NLL_2022-DA04.docx"
    listed = client.get(reverse("report_page", args=["NLL"])).content.decode()
    assert "Regionens sammanställda rapport DÅ04 2022, Word (.docx)" in listed
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(bytes(job.content))).paragraphs)
    assert "Division Länssjukvård 1" in text
    other = client.get(reverse("report_page", args=["NLL-LS1"])).content.decode()
    assert "Regionens sammanställda rapport" not in other
    refused = client.post(
        reverse("report_page", args=["NLL-LS1"]),
        {"kind": "region", "period": "2022-DÅ04", "fmt": "docx"},
    )
    assert refused.status_code == 422
    assert "Välj en av rapporterna." in refused.content.decode()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("org", "period", "chapters", "numbers"),
    [
        ("NLL", "2022-DÅ04", NLL_DIVISIONS, ("339", "205", "134")),
        ("JLL", "2024-DÅ04", ("Hälso- och sjukvårdsnämnden",), ("731", "58", "425", "224")),
    ],
)
def test_docx_opened_by_libreoffice(demo, tmp_path, org, period, chapters, numbers):
    from test_documents_readers import save_pages, soffice_pdf, text_of

    path = tmp_path / f"region-{org}.docx"
    path.write_bytes(build_report("region", find_unit(org), period, "docx"))
    pdf = soffice_pdf(path, tmp_path)
    lines = text_of(pdf)
    save_pages(pdf, f"region-{org}")
    text = "\n".join(lines)
    # Each division a chapter: a heading on a line of its own, and in the contents.
    stripped = [line.strip() for line in lines]
    for name in chapters:
        assert stripped.count(name) >= 1, name
    assert "Innehållsförteckning" in text
    # The units' states listed.
    assert sum("Godkänd" in line for line in lines) >= len(chapters) + 1
    for number in numbers:
        assert number in text, number
    title = "Delårsrapport per april " + period[:4]
    assert title in text
    # Readable by other tools too: the document's own outline has the chapters.
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    assert "Pages:" in out.stdout
