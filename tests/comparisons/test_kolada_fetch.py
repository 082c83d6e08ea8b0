"""Fetching Kolada values from a local HTTP server that answers in the v3 shape, over
several pages and with each failure: a clear Swedish message, exit 2 on the command
line, nothing half-stored and the previous values kept. Nothing inside the client is
mocked: it talks HTTP to the server the test starts."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from kolada_server import KoladaServer, entry, page

from styrkort.comparisons.areas import NATIONAL, REGIONS
from styrkort.comparisons.kolada import KoladaClient, KoladaError
from styrkort.comparisons.models import ComparisonFetch, ComparisonValue
from styrkort.comparisons.services import fetch
from styrkort.organisation.models import Organisation
from styrkort.planning.models import Indicator

pytestmark = pytest.mark.django_db

KPI = "N79221"
AREAS = ",".join(sorted([NATIONAL, *REGIONS]))
PATH = f"/v3/data/kpi/{KPI}/municipality/{AREAS}/year/2020,2021"
YEARS = [2020, 2021]


@pytest.fixture
def mapped(world, settings):
    """Norrbotten's area 0025 and the wait share mapped to N79221; short time-outs."""
    Organisation.objects.filter(pk=world.org.pk).update(kolada_area="0025")
    Indicator.objects.filter(pk=world.wait.pk).update(kolada_kpi=KPI)
    world.org.refresh_from_db()
    settings.STYRKORT_KOLADA_TIMEOUT = 1.0
    return world


@pytest.fixture
def server():
    with KoladaServer() as srv:
        yield srv


def three_pages(srv, *, next_key="next_url", norrbotten=51.0):
    """2020 and 2021 for riket and Norrbotten over three pages, with relative and
    absolute next-page addresses; one value carries Kolada's status."""
    srv.route(
        PATH,
        page(
            [entry(KPI, NATIONAL, 2020, 60.0, 61.0, 59.0), entry(KPI, "0025", 2020, 49.0)],
            f"{PATH}?page=2",
            next_key=next_key,
        ),
    )
    srv.route(
        f"{PATH}?page=2",
        page(
            [entry(KPI, NATIONAL, 2021, 58.0, 59.5, 56.5)],
            f"{srv.url[: -len('/v3')]}{PATH}?page=3",
            next_key=next_key,
        ),
    )
    srv.route(
        f"{PATH}?page=3",
        page([entry(KPI, "0025", 2021, norrbotten, 52.0, 50.0, status="Bruten serie")]),
    )


def stored() -> dict:
    return {
        (v.area, v.year, v.sex): (v.value, v.status)
        for v in ComparisonValue.objects.filter(kpi=KPI)
    }


@pytest.mark.parametrize("next_key", ["next_url", "next_page"])
def test_a_fetch_follows_every_page_and_stores_each_value_with_its_status(mapped, server, next_key):
    three_pages(server, next_key=next_key)
    result = fetch(mapped.org, user=None, base_url=server.url, years=YEARS)
    assert result.values == 10 and result.changed == 10
    assert server.requests == [PATH, f"{PATH}?page=2", f"{PATH}?page=3"]
    values = stored()
    assert values[(NATIONAL, 2021, "women")] == (59.5, "")
    assert values[("0025", 2021, "total")] == (51.0, "Bruten serie")
    assert ComparisonFetch.objects.get().ok


def test_a_second_fetch_is_idempotent_and_a_changed_value_keeps_its_history(mapped, server):
    three_pages(server)
    fetch(mapped.org, user=None, base_url=server.url, years=YEARS)
    again = fetch(mapped.org, user=None, base_url=server.url, years=YEARS)
    assert again.changed == 0 and ComparisonValue.objects.count() == 10
    three_pages(server, norrbotten=53.0)
    third = fetch(mapped.org, user=None, base_url=server.url, years=YEARS)
    assert third.changed == 1
    value = ComparisonValue.objects.get(kpi=KPI, area="0025", year=2021, sex="total")
    assert value.value == 53.0
    assert [h.value for h in value.history.order_by("history_date")] == [51.0, 53.0]


def failing(srv, case):
    """Each failure the issue names, served by the local server."""
    if case == "gone":
        srv.route(PATH, b'{"error": "gone"}', status=410)
    elif case == "not_found":
        srv.route(PATH, b"{}", status=404)
    elif case == "server_error":
        srv.route(PATH, b"oops", status=500)
    elif case == "malformed":
        srv.route(PATH, b"<html>not json</html>")
    elif case == "truncated":
        body = page([entry(KPI, NATIONAL, 2021, 58.0)])
        srv.route(PATH, body[: len(body) // 2])
    elif case == "page_missing":
        srv.route(PATH, page([entry(KPI, NATIONAL, 2021, 58.0)], f"{PATH}?page=2"))
    elif case == "timeout":
        srv.route(PATH, page([entry(KPI, NATIONAL, 2021, 58.0)]), delay=3)
    elif case == "unknown_area":
        srv.route(PATH, page([entry(KPI, "9999", 2021, 58.0)]))
    elif case == "unknown_kpi":
        srv.route(PATH, page([]))
    elif case == "duplicates":
        srv.route(
            PATH,
            page([entry(KPI, NATIONAL, 2021, 58.0)], f"{PATH}?page=2"),
        )
        srv.route(f"{PATH}?page=2", page([entry(KPI, NATIONAL, 2021, 57.0)]))


MESSAGES = {
    "gone": "Kolada svarar 410 (borttagen)",
    "not_found": "Kolada svarar 404 (finns inte)",
    "server_error": "Kolada svarade med fel 500",
    "malformed": "Kolada svarade inte med giltig JSON",
    "truncated": "Kolada svarade inte med giltig JSON",
    "page_missing": "Sida 2 saknas i Kolada-svaret",
    "timeout": "Kolada svarade inte inom 1 sekunder",
    "unknown_area": "Okänt område '9999'",
    "unknown_kpi": "Kolada har inga värden för nyckeltalet N79221",
    "duplicates": "Dubbla rader med olika värden: N79221, Riket (0000), 2021, totalt: 58 och 57",
}


@pytest.mark.parametrize("case", list(MESSAGES))
def test_a_failed_fetch_says_why_stores_nothing_and_keeps_the_previous_values(mapped, server, case):
    three_pages(server)
    fetch(mapped.org, user=None, base_url=server.url, years=YEARS)
    before = stored()
    server.routes.clear()
    failing(server, case)
    with pytest.raises(KoladaError) as caught:
        fetch(mapped.org, user=None, base_url=server.url, years=YEARS)
    assert MESSAGES[case] in str(caught.value)
    assert stored() == before
    last = ComparisonFetch.objects.order_by("-started_at", "-pk").first()
    assert not last.ok and MESSAGES[case] in last.error


def test_kolada_unreachable(mapped):
    with pytest.raises(KoladaError, match="Kolada kunde inte nås"):
        fetch(mapped.org, user=None, base_url="http://127.0.0.1:9/v3", years=YEARS)


def test_the_client_refuses_a_next_page_on_another_server(server):
    server.route(PATH, page([entry(KPI, NATIONAL, 2021, 58.0)], "http://example.org/v3/x"))
    client = KoladaClient(server.url, timeout=1)
    with pytest.raises(KoladaError, match="annan server"):
        client.data(KPI, sorted([NATIONAL, *REGIONS]), YEARS)


def test_the_client_asks_for_at_most_25_years_a_request(server):
    client = KoladaClient(server.url, timeout=1, min_interval=0)
    years = list(range(1990, 2021))  # 31 years: two requests
    first = ",".join(map(str, years[:25]))
    second = ",".join(map(str, years[25:]))
    base = f"/v3/data/kpi/{KPI}/municipality/0000"
    server.route(f"{base}/year/{first}", page([entry(KPI, NATIONAL, 2000, 1.0)]))
    server.route(f"{base}/year/{second}", page([entry(KPI, NATIONAL, 2020, 2.0)]))
    rows = client.data(KPI, [NATIONAL], years)
    assert [r.year for r in rows if r.sex == "total"] == [2000, 2020]
    assert len(server.requests) == 2


def test_the_command_line_fetch_exits_2_with_the_message(mapped, server, settings):
    settings.STYRKORT_KOLADA_URL = server.url
    with pytest.raises(CommandError) as caught:
        call_command("kolada", "fetch", "--org", "nll")
    assert caught.value.returncode == 2
    assert "Kolada svarar 404 (finns inte)" in str(caught.value)
    with pytest.raises(CommandError, match="--org: ingen organisation med koden 'xyz'"):
        call_command("kolada", "fetch", "--org", "xyz")


def test_import_of_a_saved_answer_and_its_failures(mapped, tmp_path):
    good = tmp_path / "svar.json"
    good.write_text(json.dumps([json.loads(page([entry(KPI, NATIONAL, 2021, 58.0, 59.5, 56.5)]))]))
    out = io.StringIO()
    call_command("kolada", "import", str(good), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["values"] == 3 and data["kpis"] == [KPI] and data["example"] is False
    bad = tmp_path / "trasig.json"
    bad.write_text(good.read_text()[:40])
    with pytest.raises(CommandError) as caught:
        call_command("kolada", "import", str(bad))
    assert caught.value.returncode == 2
    assert str(caught.value).startswith("Filen är inte giltig JSON (trasig eller avkortad)")
    assert ComparisonValue.objects.count() == 3
