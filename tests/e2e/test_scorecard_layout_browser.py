"""The scorecard on a phone and on paper, in Chromium with the whole demo loaded.

At 375 x 812 each indicator of Division Länssjukvård 1's DÅ04 2022 scorecard is a card
with its outcome, status and trend visible on the screen (symbol and text), the page
does not scroll sideways and axe-core finds nothing. Printed to PDF (A4 landscape),
every column's header and every indicator's status text are in the PDF's text
(pdftotext), the unit, period and print date head every sheet; the sheets are kept as
images under artifacts/scorecard/."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from accessibility import axe_violations
from styrkort.demo.loader import load_fixtures
from styrkort.demo.users import DEMO_PASSWORD, create_demo_users

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "scorecard"
URL = "/enheter/NLL-LS1/styrkort/?period=2022-D%C3%8504"
COLUMNS = [
    "Framgångsfaktor",
    "Indikator",
    "Mål",
    "Uppföljningsperiod",
    "Periodens utfall",
    "Måluppfyllelse",
    "Utveckling",
]
STATUS_TEXTS = {"Uppfyllt", "Delvis uppfyllt", "Ej uppfyllt", "Ej bedömt", "Utfall saknas"}
TREND_TEXTS = {"Förbättring", "Försämring", "Oförändrad", "–"}


@pytest.fixture
def demo(transactional_db):
    load_fixtures()
    create_demo_users()


def _login(page, live_server):
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill("lasare")
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server.url}/")


# Each indicator row: its name, and the outcome, status and trend cells' text and
# whether each lies inside the screen's width (left >= 0, right <= innerWidth).
ROWS_JS = """() => [...document.querySelectorAll('table.scorecard tbody tr:not(.drill-row)')]
  .map(tr => {
    const cell = sel => { const c = tr.querySelector(sel); if (!c) return null;
      const r = c.getBoundingClientRect();
      return {text: c.innerText.trim(),
              inside: r.width > 0 && r.left >= 0 && r.right <= window.innerWidth + 0.5,
              label: getComputedStyle(c, '::before').content};
    };
    return {name: tr.querySelector('th[scope=row]').innerText.trim(),
            outcome: cell('td.outcome'), status: cell('td.status'), trend: cell('td.trend')};
  })"""


def test_scorecard_is_cards_on_a_phone_and_prints_every_column(demo, page, live_server):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    _login(page, live_server)

    # A phone: one card per indicator, nothing off to the side.
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(live_server.url + URL)
    rows = page.evaluate(ROWS_JS)
    assert len(rows) >= 10
    for row in rows:
        for key in ("outcome", "status", "trend"):
            cell = row[key]
            assert cell is not None and cell["inside"], (row["name"], key, cell)
        assert any(t in row["status"]["text"] for t in STATUS_TEXTS), row
        assert any(t in row["trend"]["text"] for t in TREND_TEXTS), row
        assert row["outcome"]["text"], row
        # Each cell is labelled with its column on the card.
        assert "Måluppfyllelse" in row["status"]["label"], row["status"]
    width = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width
    assert axe_violations(page) == []
    page.locator("table.scorecard").first.screenshot(path=str(ARTIFACTS / "cards-375.png"))

    # A desktop keeps the table (every column to the right inside the window).
    page.set_viewport_size({"width": 1280, "height": 900})
    inside = page.evaluate(
        """() => [...document.querySelectorAll('table.scorecard')].every(
             t => t.getBoundingClientRect().right <= window.innerWidth)"""
    )
    assert inside
    page.screenshot(path=str(ARTIFACTS / "scorecard-1280.png"))

    # Paper.
    if shutil.which("pdftotext") is None:
        pytest.skip("needs poppler-utils for the printed part")
    page.emulate_media(media="print")
    pdf = ARTIFACTS / "scorecard-NLL-LS1-2022-DA04.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    sheets = [s for s in text.split("\f") if s.strip()]
    flat = re.sub(r"\s+", " ", text)
    for column in COLUMNS:
        assert column in flat, column
    # The header row on every sheet with a table.
    assert sum("Måluppfyllelse" in s and "Utveckling" in s for s in sheets) >= 2
    statuses = [row["status"]["text"].split("\n")[0].strip(" ■●▲◆–") for row in rows]
    for row, status in zip(rows, statuses, strict=True):
        assert status in STATUS_TEXTS, (row["name"], status)
    # Every indicator's status text, in page order, follows its name in the PDF.
    position = 0
    for row, status in zip(rows, statuses, strict=True):
        start = flat.find(row["name"].split()[0], position)
        assert start >= 0, row["name"]
        found = flat.find(status, start)
        assert found >= 0, (row["name"], status)
        position = start + 1
    for sheet in sheets:
        assert "Division Länssjukvård 1 · DÅ04 2022" in sheet
        assert re.search(r"Utskrivet \d{4}-\d{2}-\d{2} \d{2}:\d{2}", sheet)
    assert "Logga ut" not in flat and "Mina uppgifter" not in flat
    size = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", size).groups())
    assert (round(width), round(height)) == (842, 595)  # A4 landscape
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / "sheet")], check=True
        )
        assert list(ARTIFACTS.glob("sheet-*.png"))
