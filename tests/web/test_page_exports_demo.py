"""Downloads of the indicator, activity, risk and economy pages' tables on the seed
demo: the same figures as the pages, numbers as numbers."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from styrkort.accounts.models import Role
from styrkort.planning.models import PlanIndicator

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    return [line.split(";") for line in body.decode("utf-8-sig").split("\r\n")]


def _page_links(client, url, query, export_name, *args):
    page = client.get(url, query).content.decode()
    assert reverse(export_name, args=[*args, "csv"]) in page
    assert reverse(export_name, args=[*args, "xlsx"]) in page


def test_economy_tables(demo, user_on, client):
    client.force_login(user_on(Role.READER, "SRS"))
    _page_links(client, reverse("economy", args=["SRS-PV"]), {"year": 2024}, "economy_export",
                "SRS-PV")  # fmt: skip
    rows = _csv(client.get(reverse("economy_export", args=["SRS-PV", "csv"]), {"year": 2024}))
    assert ["Årets resultat", "3177", "-6000", "-58000", "-3000", "0", "0"] in rows
    book = load_workbook(
        io.BytesIO(
            client.get(reverse("economy_export", args=["SRS-PV", "xlsx"]), {"year": 2024}).content
        )
    )
    result = next(
        r for r in book.worksheets[0].iter_rows(values_only=True) if r[0] == "Årets resultat"
    )
    assert result[1:] == (3177, -6000, -58000, -3000, 0, 0)
    # The investments as the page and seed 003 show them (lines 744-753), in tkr.
    sheets = {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}
    overview = sheets["Investeringar Division Primärvå"]
    assert ("Totalt över & under 4,5 mnkr", 560) in overview
    assert ("Totalram 2024", 1000) in overview
    under = sheets["Investeringsobjekt under 4,5 mn"]
    assert ("Vårdcentralen Strängnäs", "EKG-apparat och bladderscanner", 200) in under
    assert under[-1] == ("Totalt", None, 560)


def test_risk_tables(demo, user_on, client):
    client.force_login(user_on(Role.READER, "SRS"))
    _page_links(client, reverse("risk_matrix", args=["SRS-PV"]), {"year": 2024}, "risk_export",
                "SRS-PV")  # fmt: skip
    rows = _csv(client.get(reverse("risk_export", args=["SRS-PV", "csv"]), {"year": 2024}))
    header = rows[1]  # the first table's title, then its columns
    at = header.index("Riskvärde")
    values = [int(r[at]) for r in rows[2:7]]
    assert values == [4, 9, 3, 6, 6]


def test_indicator_and_activity_tables(demo, user_on, client):
    client.force_login(user_on(Role.READER, "NLL"))
    placement = PlanIndicator.objects.filter(plan__unit__code="NLL-LS1").first()
    code = placement.indicator.code
    query = {"period": "2022-DÅ04"}
    _page_links(client, reverse("indicator_detail", args=["NLL-LS1", code]), query,
                "indicator_export", "NLL-LS1", code)  # fmt: skip
    rows = _csv(client.get(reverse("indicator_export", args=["NLL-LS1", code, "csv"]), query))
    assert "Period" in rows[0] or "Period" in rows[1]
    _page_links(client, reverse("activity_list", args=["NLL-LS1"]), query, "activity_export",
                "NLL-LS1")  # fmt: skip
    rows = _csv(client.get(reverse("activity_export", args=["NLL-LS1", "csv"]), query))
    assert rows[0][:3] == ["Nr", "Mål", "Aktivitet"]
    assert len([r for r in rows[1:] if r != [""]]) >= 1
