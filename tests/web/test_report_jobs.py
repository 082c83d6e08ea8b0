"""Reports from the web app: the form, the background job with its progress, the download
for the owner only, Swedish errors, and the same in a real background thread."""

import io

import openpyxl
import pytest
from django.urls import reverse

from factories import RoleAssignmentFactory, UserFactory
from styrkort.web.models import JobStatus, ReportJob

PERIOD = "2022-DÅ04"


@pytest.fixture
def inline(settings):
    settings.STYRKORT_JOBS_INLINE = True


def _order(client, unit="NLL-LS1", **data):
    payload = {"kind": "plan", "period": "2022", "fmt": "html", **data}
    return client.post(reverse("report_page", args=[unit]), payload)


@pytest.mark.django_db
def test_form_shows_kinds_formats_and_period(world, login):
    client = login(world.users.reader)
    page = client.get(reverse("report_page", args=["NLL-LS1"]) + f"?period={PERIOD}")
    text = page.content.decode()
    assert page.status_code == 200
    for words in ("Delårsrapport", "Årsrapport", "Verksamhetsplan", "Word (.docx)", "PDF"):
        assert words in text
    assert 'value="2022-DÅ04"' in text
    assert "För publicering" in text


@pytest.mark.django_db
def test_reader_orders_plan_and_downloads_it(world, login, inline):
    client = login(world.users.reader)
    response = _order(client, kind="plan", period="2022")
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("report_job", args=["NLL-LS1", job.pk])
    assert job.status == JobStatus.DONE and job.progress == 100
    assert job.filename == "Verksamhetsplan_NLL-LS1_2022.html"
    page = client.get(response.url).content.decode()
    assert 'value="100"' in page and "<progress" in page
    download_url = reverse("report_download", args=["NLL-LS1", job.pk])
    assert download_url in page
    download = client.get(download_url)
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/html")
    assert download["Content-Disposition"] == (
        'attachment; filename="Verksamhetsplan_NLL-LS1_2022.html"'
    )
    html = download.content.decode()
    assert "Division Länssjukvård 1" in html
    assert "Antal läkarbesök" in html and "Öka" in html


@pytest.mark.django_db
def test_interim_report_from_the_web(world, login, inline):
    client = login(world.users.reader)
    _order(client, kind="interim", period=PERIOD)
    job = ReportJob.objects.get()
    assert job.status == JobStatus.DONE, job.message
    html = bytes(job.content).decode()
    # seed 001: medication reports K 644/819, M 658/845
    assert "644" in html and "819" in html


@pytest.mark.django_db
def test_excel_report_has_typed_cells(world, login, inline):
    client = login(world.users.reporter)
    _order(client, kind="plan", period="2022", fmt="xlsx")
    job = ReportJob.objects.get()
    data = client.get(reverse("report_download", args=["NLL-LS1", job.pk])).content
    book = openpyxl.load_workbook(io.BytesIO(data))
    numbers = {
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, (int, float))
    }
    assert "Antal läkarbesök" in {
        c.value for sh in book.worksheets for r in sh.iter_rows() for c in r
    }
    assert numbers  # years, targets: typed cells, not text


@pytest.mark.django_db
def test_only_the_owner_sees_and_downloads(world, login, client, inline):
    login(world.users.reporter)
    _order(client)
    job = ReportJob.objects.get()
    client.force_login(world.users.planner)  # may view LS1, but did not order it
    for name in ("report_job", "report_download"):
        response = client.get(reverse(name, args=["NLL-LS1", job.pk]))
        assert response.status_code == 403
        assert "Bara den som beställde rapporten" in response.content.decode()
    assert (
        reverse("report_download", args=["NLL-LS1", job.pk])
        not in client.get(reverse("report_page", args=["NLL-LS1"])).content.decode()
    )


@pytest.mark.django_db
def test_wrong_period_for_kind_is_refused_in_swedish(world, login, inline):
    client = login(world.users.reader)
    response = _order(client, kind="annual", period=PERIOD)
    assert response.status_code == 422
    assert "En årsrapport gäller ett helt år, inte 2022-DÅ04. Ange t.ex. 2022." in (
        response.content.decode()
    )
    response = _order(client, kind="interim", period="2022-DÅ13")
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.content.decode() or "field-error" in (
        response.content.decode()
    )
    assert not ReportJob.objects.exists()


@pytest.mark.django_db
def test_report_error_is_shown_in_swedish(world, login, inline):
    """A plan report for a year the unit has no plan: build_report's ReportError."""
    client = login(world.users.reader)
    response = _order(client, kind="plan", period="2019", fmt="docx")
    job = ReportJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert job.content is None
    page = client.get(response.url).content.decode()
    assert 'role="alert"' in page
    assert job.message in page and "Traceback" not in page
    assert job.message == "Division Länssjukvård 1 (NLL-LS1) har ingen plan som gäller 2019."
    download = client.get(reverse("report_download", args=["NLL-LS1", job.pk]))
    assert download.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("inside", [True, False], ids=["inside", "outside"])
@pytest.mark.parametrize("role", ["admin", "planner", "reporter", "reader"])
def test_view_permission_to_order(world, client, role, inside, inline):
    """Any role in the organisation may order (view); a person of another region may not."""
    from factories import OrgUnitFactory

    user = UserFactory(username=f"rep-{role}")
    unit = world.ls1 if inside else OrgUnitFactory(code="RS", name="Region Sörmland")
    RoleAssignmentFactory(user=user, unit=unit, role=role)
    client.force_login(user)
    response = _order(client)
    if inside:
        assert response.status_code == 302
        assert ReportJob.objects.filter(owner=user).count() == 1
    else:
        assert response.status_code == 403
        assert "Åtkomst nekad" in response.content.decode()
        assert not ReportJob.objects.exists()
