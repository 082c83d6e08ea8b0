"""Browser tests of the background jobs and the assessment pages: a reader orders a plan
report, the worker process makes it, and the reader downloads it when the progress bar is
done; a reporter uploads a file with a bad row and sees the rejected rows; a reporter and
a planner make manual assessments. axe-core finds no violations on any of these pages."""

import pytest
from test_web import axe_violations, login

from factories import build_world
from styrkort.followup.models import Assessment, Outcome
from styrkort.web.models import ReportJob
from workers import running_worker, test_database_url, worker_env

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
PERIOD = "2022-DÅ04"


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    """The small world, with a real `styrkort worker` on the test database."""
    url = test_database_url()
    if url is None:
        pytest.skip("the worker needs a database another process can reach (PostgreSQL)")
    settings.STYRKORT_JOBS_INLINE = False  # queued for the worker
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    env = worker_env(url, STYRKORT_VAR_DIR=str(tmp_path / "var"))
    with running_worker(env, tmp_path / "worker.log"):
        yield world


def test_order_report_progress_and_download(world, page, live_server):
    login(page, live_server, "reader")
    page.goto(f"{live_server.url}/enheter/NLL-LS1/rapporter/?period={PERIOD}")
    assert axe_violations(page) == []
    page.locator("#id_kind").select_option("plan")
    page.locator("#id_period").fill("2022")
    page.get_by_label("Excel (.xlsx)").check()
    page.get_by_role("button", name="Skapa rapporten").click()
    page.wait_for_url("**/rapporter/*/")
    assert page.locator("progress").count() == 1
    assert axe_violations(page) == []
    link = page.get_by_role("link", name="Ladda ner Verksamhetsplan_NLL-LS1_2022.xlsx")
    link.wait_for(timeout=60_000)  # htmx polls until the job is done
    assert page.locator("progress").get_attribute("value") == "100"
    assert axe_violations(page) == []
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "Verksamhetsplan_NLL-LS1_2022.xlsx"
    assert download.path().read_bytes()[:2] == b"PK"
    assert ReportJob.objects.get().status == "done"
    page.goto(f"{live_server.url}/enheter/NLL-LS1/rapporter/")
    page.get_by_role("button", name="Skapa rapporten").wait_for()
    page.locator("#id_kind").select_option("annual")
    page.locator("#id_period").fill(PERIOD)
    page.get_by_role("button", name="Skapa rapporten").click()
    page.get_by_text("En årsrapport gäller ett helt år").wait_for()
    assert axe_violations(page) == []


def test_import_with_rejected_rows(world, page, live_server, tmp_path):
    bad = tmp_path / "utfall.csv"
    bad.write_text(
        "enhet;indikator;period;kön;värde\n"
        "NLL-LS1;lakarbesok;2022-DÅ04;T;31 180\n"
        "NLL-LS1;lakarbesok;2022-DÅ13;T;1.757\n",
        encoding="utf-8",
    )
    login(page, live_server, "reporter")
    page.goto(f"{live_server.url}/import/")
    assert axe_violations(page) == []
    page.get_by_label("Fil (CSV eller Excel .xlsx)").set_input_files(str(bad))
    page.get_by_label("Provkör").uncheck()
    page.get_by_role("button", name="Läs in filen").click()
    table = page.get_by_role("table", name="Rader som inte kunde läsas in")
    table.wait_for(timeout=60_000)
    assert "ingenting har sparats" in page.locator("#job-status").inner_text()
    assert "3" in table.locator("tbody tr").first.inner_text()
    assert not Outcome.objects.filter(indicator=world.visits, period=PERIOD).exists()
    assert axe_violations(page) == []


def test_assessment_pages(world, page, live_server):
    login(page, live_server, "planner")
    page.goto(
        f"{live_server.url}/enheter/NLL-LS1/indikatorer/aterinskrivningar-65/bedomning/"
        f"?period={PERIOD}"
    )
    assert axe_violations(page) == []
    page.get_by_role("button", name="Spara bedömningen").click()  # no reason: error
    page.get_by_text("En manuell bedömning kräver en motivering.").first.wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Bedömd måluppfyllelse").select_option("met")
    page.get_by_label("Gäller").select_option("men")
    page.get_by_label("Motivering").fill("Inom felmarginalen mot målet 17,2 %.")
    page.get_by_role("button", name="Spara bedömningen").click()
    page.get_by_text("Bedömningen är sparad.").wait_for()
    assert Assessment.objects.filter(indicator=world.readmit, sex="men").exists()
    assert axe_violations(page) == []
    goal = world.goals.coordinated
    page.goto(f"{live_server.url}/enheter/NLL-LS1/mal/{goal.pk}/?period={PERIOD}")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/enheter/NLL-LS1/styrkort/?period={PERIOD}")
    page.get_by_role("link", name="Bedömning och analys: Verksamhet").wait_for()
    assert axe_violations(page) == []
