"""A goal's analysis (saved on the goal follow-up page) is printed in the interim report
under its goal's table, in Word and in HTML (the shared document model)."""

import io

import pytest
from docx import Document as open_docx

from styrkort.followup import services as followup
from styrkort.reports import build_report

PERIOD = "2022-DÅ04"
# Seed 002's analyses of a goal area and of a goal, restored from the OCR text.
AREA = (
    "Till skillnad mot föregående år har samtliga kortsiktiga nyckeltal och uppdrag "
    "kunnat följas upp i tertialrapporten."
)
GOAL = (
    "Under målområde för hälso- och sjukvård återfinns röd status för sjukfrånvaro, "
    "vistelsetid på akutmottagningen, följsamheten avseende klädd- och hygienregler samt "
    "anslutning till egenmonitorering."
)


@pytest.fixture
def analysed(world):
    for goal, text in ((world.goals.operations, AREA), (world.goals.care, GOAL)):
        followup.save_analysis(
            user=world.users.reporter, unit=world.ls1, period=PERIOD, goal=goal, text=text
        )
    return world


@pytest.mark.django_db
def test_word_prints_goal_analyses_under_the_goal_tables(analysed):
    doc = open_docx(io.BytesIO(build_report("interim", analysed.ls1, PERIOD, "docx")))
    paragraphs = [p.text for p in doc.paragraphs]
    area = next(i for i, p in enumerate(paragraphs) if AREA in p)
    goal = next(i for i, p in enumerate(paragraphs) if GOAL in p)
    assert paragraphs[area].startswith("Analys av perspektiv Verksamhet:")
    assert paragraphs[goal].startswith("Analys av strategiskt mål God nära och samordnad vård:")
    # The perspective's heading before both; the goal's analysis after its table (the
    # readmissions indicator's heading follows the analyses).
    chapter = len(paragraphs) - 1 - paragraphs[::-1].index("Måluppfyllelse i perspektiv")
    heading = paragraphs.index("Verksamhet", chapter)  # after the table of contents
    assert heading < area < goal
    readmissions = paragraphs.index(
        "Oplanerade återinskrivningar inom 30 dagar för personer 65 år eller äldre", heading
    )
    assert goal < readmissions


@pytest.mark.django_db
def test_html_prints_goal_analyses(analysed):
    page = build_report("interim", analysed.ls1, PERIOD, "html").decode()
    assert AREA in page and GOAL in page
    table = page.index("God nära och samordnad vård</caption>")
    assert table < page.index(GOAL)
