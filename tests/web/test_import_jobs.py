"""Import from the web app: upload, dry run, the all-or-nothing run in a background job,
the rejected rows as a table in Swedish, and who may import what."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from factories import RoleAssignmentFactory, UserFactory
from styrkort.followup.models import Outcome
from styrkort.web.models import ImportJob, JobStatus

GOOD = (
    "enhet;indikator;period;kön;värde\n"
    "NLL-LS1;lakarbesok;2022-DÅ04;T;31 180\n"
    "NLL-LS1-IM;lakarbesok;2022-DÅ04;T;12 004\n"
)
# The second row is bad; the first must not be written either.
BAD = (
    "enhet;indikator;period;kön;värde\n"
    "NLL-LS1;lakarbesok;2022-DÅ04;T;31 180\n"
    "NLL-LS1;lakarbesok;2022-DÅ13;T;1.757\n"
)
OUTSIDE = "enhet;indikator;period;värde\nNLL-LS2;lakarbesok;2022-DÅ04;100\n"


@pytest.fixture
def inline(settings, tmp_path):
    settings.STYRKORT_JOBS_INLINE = True
    settings.MEDIA_ROOT = tmp_path


def _upload(client, text, *, dry_run=False, kind="outcomes", name="utfall.csv"):
    data = {"kind": kind, "file": SimpleUploadedFile(name, text.encode("utf-8"), "text/csv")}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("import_page"), data)


def _visits(period="2022-DÅ04"):
    return Outcome.objects.filter(indicator__code="lakarbesok", period=period)


@pytest.mark.django_db
def test_page_offers_kinds_by_role(world, login):
    planner = login(world.users.planner).get(reverse("import_page")).content.decode()
    assert 'value="outcomes"' in planner and 'value="plans"' in planner
    reporter = login(world.users.reporter).get(reverse("import_page")).content.decode()
    assert 'value="outcomes"' in reporter and 'value="plans"' not in reporter


@pytest.mark.django_db
def test_reader_is_refused(world, login, inline):
    client = login(world.users.reader)
    assert client.get(reverse("import_page")).status_code == 403
    response = _upload(client, GOOD)
    assert response.status_code == 403
    assert "Du saknar behörighet att läsa in uppgifter." in response.content.decode()
    assert not _visits().exists() and not ImportJob.objects.exists()


@pytest.mark.django_db
def test_dry_run_writes_nothing_then_real_run_writes(world, login, inline):
    client = login(world.users.reporter)
    response = _upload(client, GOOD, dry_run=True)
    job = ImportJob.objects.get()
    assert response.url == reverse("import_job", args=[job.pk])
    assert job.status == JobStatus.DONE and job.progress == 100
    assert job.result["ok"] and not job.result["written"]
    assert job.result["created"] == 2
    assert not _visits().exists()
    page = client.get(response.url).content.decode()
    assert "2 rader lästa: 2 skulle skapas" in page and "Provkörning" in page

    _upload(client, GOOD)
    job = ImportJob.objects.latest("id")
    assert job.result["written"]
    values = dict(_visits().values_list("unit__code", "value"))
    assert values == {"NLL-LS1": 31180.0, "NLL-LS1-IM": 12004.0}
    assert {o.updated_by for o in _visits()} == {world.users.reporter}
    assert not list(job.upload_path and [job.upload_path])  # the upload is removed


@pytest.mark.django_db
def test_rejected_rows_as_a_table_and_nothing_written(world, login, inline):
    client = login(world.users.reporter)
    response = _upload(client, BAD)
    job = ImportJob.objects.get()
    assert not job.result["ok"]
    assert not _visits().exists()  # all or nothing: the good first row is not written
    page = client.get(response.url).content.decode()
    assert "ingenting har sparats" in page
    assert "<caption>Rader som inte kunde läsas in</caption>" in page
    rows = job.result["rejected"]
    assert {r["row"] for r in rows} == {3}
    assert {r["column"] for r in rows} >= {"period"}
    for r in rows:
        assert f"<td>{r['row']}</td>" in page
        assert r["reason"].replace("'", "&#x27;").replace('"', "&quot;") in page


@pytest.mark.django_db
@pytest.mark.parametrize("inside", [True, False], ids=["inside", "outside"])
@pytest.mark.parametrize("role", ["admin", "planner", "reporter", "reader"])
def test_roles_inside_and_outside_subtree(world, client, role, inside, inline):
    """Roles on LS1: rows for LS1 are imported by report roles; rows for LS2 (outside the
    subtree) are refused row by row and nothing is written."""
    user = UserFactory(username=f"imp-{role}")
    RoleAssignmentFactory(user=user, unit=world.ls1, role=role)
    client.force_login(user)
    text = GOOD if inside else OUTSIDE
    response = _upload(client, text)
    if role == "reader":
        assert response.status_code == 403
        assert not ImportJob.objects.exists()
    else:
        job = ImportJob.objects.get()
        assert job.result["ok"] is inside
        if not inside:
            page = client.get(response.url).content.decode()
            assert "behörighet" in page
    assert _visits().exists() is (inside and role != "reader")


@pytest.mark.django_db
def test_only_the_owner_sees_the_result(world, client, inline):
    client.force_login(world.users.reporter)
    _upload(client, GOOD, dry_run=True)
    job = ImportJob.objects.get()
    client.force_login(world.users.planner)
    response = client.get(reverse("import_job", args=[job.pk]))
    assert response.status_code == 403


@pytest.mark.django_db
def test_missing_file_is_a_swedish_field_error(world, login, inline):
    response = login(world.users.reporter).post(reverse("import_page"), {"kind": "outcomes"})
    assert response.status_code == 422
    assert "Välj en fil att läsa in." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who, shown",
    [("admin", True), ("planner", True), ("reporter", True), ("reader", False)],
)
def test_menu_offers_import_only_to_those_who_may_import(world, login, who, shown):
    page = login(getattr(world.users, who)).get(reverse("tree")).content.decode()
    assert ("Läs in fil" in page) is shown
    assert (f'href="{reverse("import_page")}"' in page) is shown
