"""The documents opened by real readers: LibreOffice converts the .docx and .xlsx to PDF,
pdftotext reads the text back, and the seed's numbers are found in the right table rows.
The PDF pages are saved as PNG under artifacts/reports/ for people to look at."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from office import soffice_convert
from styrkort.reports import build_report

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "reports"
NEEDS = ("soffice", "pdftotext", "pdftoppm", "pdfinfo")


@pytest.fixture(scope="module")
def tools():
    missing = [tool for tool in NEEDS if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"missing readers: {', '.join(missing)} (scripts/test installs them)")


def soffice_pdf(path: Path, out_dir: Path) -> Path:
    return soffice_convert(path, out_dir, "pdf")


def text_of(pdf: Path) -> list[str]:
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    # Numbers are grouped with no-break spaces; read them as plain spaces.
    return [re.sub("[\u00a0\u202f]", " ", line) for line in out.splitlines()]


def save_pages(pdf: Path, name: str) -> list[Path]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(pdf), str(ARTIFACTS / name)], check=True)
    shutil.copy(pdf, ARTIFACTS / f"{name}.pdf")
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))


def line_with(lines: list[str], *words: str, after: str | None = None) -> str:
    start = 0
    if after is not None:
        start = next(i for i, line in enumerate(lines) if after in line)
    for line in lines[start:]:
        if all(w in line for w in words):
            return line
    raise AssertionError(f"no line with {words} (after {after!r})")


def block_after(lines: list[str], marker: str, size: int = 10, *, after: str | None = None) -> str:
    start = 0
    if after is not None:
        start = next(i for i, line in enumerate(lines) if after in line)
    i = next(i for i in range(start, len(lines)) if marker in lines[i])
    return "\n".join(lines[i : i + size])


@pytest.fixture(scope="module")
def interim_docx(ls1, tools, tmp_path_factory, django_db_blocker):
    out = tmp_path_factory.mktemp("docx")
    with django_db_blocker.unblock():
        path = out / "delarsrapport.docx"
        path.write_bytes(build_report("interim", ls1, "2022-DÅ04", "docx"))
    pdf = soffice_pdf(path, out)
    return text_of(pdf), save_pages(pdf, "interim-docx")


def test_docx_production_rows(interim_docx):
    lines, pages = interim_docx
    doctors = line_with(lines, "Läkarbesök", "31 180")
    assert re.search(
        r"Läkarbesök\s+31 180\s+29 685\s+\+5,0 %\s+6 247\s+7 037\s+-11,2 %\s+20,0 %", doctors
    ), doctors
    total = line_with(lines, "Totalt antal besök", "62 308")
    assert total.rstrip().endswith("23,6 %"), total
    assert len(pages) >= 5


def test_docx_readmissions_row(interim_docx):
    lines, _ = interim_docx
    # The goal-table row; its text wraps inside the cells over a few lines.
    block = block_after(
        lines, "Oplanerade", 5, after="Strategiskt mål: God nära och samordnad vård"
    )
    assert "K: 18,8 %" in block and "M: 17,3 %" in block, block
    assert "K: ▲ Ej" in block and "M: ● Delvis" in block, block


def test_docx_medication_per_clinic_summed_row(interim_docx):
    lines, _ = interim_docx
    summa = line_with(lines, "Summa", after="läkemedelsberättelse per klinik")
    assert re.search(r"Summa\s+1 757\s+1 324\s+75 %", summa), summa
    gallivare = line_with(lines, "Gällivare sjukhus", after="läkemedelsberättelse per klinik")
    assert re.search(r"VO Internmedicin\s+Gällivare sjukhus\s+228\s+135\s+59 %", gallivare)


def test_docx_legend_is_printed(interim_docx):
    lines, _ = interim_docx
    legend = line_with(lines, "Måluppfyllelse:", "Uppfyllt")
    assert "■ Uppfyllt" in legend and "▲ Ej uppfyllt" in legend


def test_xlsx_through_libreoffice(ls1, tools, tmp_path, django_db_blocker):
    path = tmp_path / "delarsrapport.xlsx"
    path.write_bytes(build_report("interim", ls1, "2022-DÅ04", "xlsx"))
    pdf = soffice_pdf(path, tmp_path)
    lines = text_of(pdf)
    save_pages(pdf, "interim-xlsx")
    # The cells carry the Swedish locale tag: LibreOffice prints 31 180 and 5,0 %.
    doctors = line_with(lines, "Läkarbesök", "31 180")
    assert re.search(r"31 180\s+29 685\s+\+5,0 %\s+6 247\s+7 037\s+-11,2 %\D*20,0 %", doctors), (
        doctors
    )
    total = line_with(lines, "Totalt antal besök", "62 308")
    assert total.rstrip().endswith("23,6 %"), total


def test_pdf_is_tagged_and_readable(ls1, tools, tmp_path):
    path = tmp_path / "delarsrapport.pdf"
    path.write_bytes(build_report("interim", ls1, "2022-DÅ04", "pdf"))
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"Tagged:\s+yes", info), info
    assert "Delårsrapport per april 2022" in info
    lines = text_of(path)
    save_pages(path, "interim-pdf")
    doctors = line_with(lines, "Läkarbesök", "31 180")
    assert "+5,0 %" in doctors and "20,0 %" in doctors
    assert line_with(lines, "Totalt antal", "62 308").rstrip().endswith("23,6 %")
    assert re.search(r"Summa\s+1 757\s+1 324", line_with(lines, "Summa", "1 757"))


def test_plan_docx_through_libreoffice(srs_pv, tools, tmp_path):
    path = tmp_path / "verksamhetsplan.docx"
    path.write_bytes(build_report("plan", srs_pv, "2024", "docx"))
    pdf = soffice_pdf(path, tmp_path)
    lines = text_of(pdf)
    save_pages(pdf, "plan-docx")
    first = block_after(lines, "Andel patienter som får en första medicinsk", 3)
    assert "80 %" in first and "2026: 90%" in first, first
    result = line_with(lines, "Årets resultat", after="Resultaträkning (tkr)")
    assert re.search(r"3 177\s+-6 000\s+-58 000\s+-3 000\s+0\s+0", result), result
    assert any("Kloka kliniska val" in line for line in lines)
    assert any("Konkretisering" in line for line in lines)
