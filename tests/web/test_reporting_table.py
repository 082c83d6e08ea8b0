"""The reporting page as one table: a row per indicator with its target and last year's
value, the status of typed values before saving (nothing written), "Visa bara det som
saknas", the round's deadline and "Klarmarkera" at the top, and a locked period shown
read-only with every post refused with the lock's reason."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from styrkort.followup.models import Analysis, Outcome
from styrkort.rounds import services

pytestmark = pytest.mark.django_db
PERIOD = "2022-DÅ04"
HTMX = {"HTTP_HX_REQUEST": "true"}


def text(html: str) -> str:
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html.replace("\u00a0", " "))


def page(client, query=""):
    response = client.get(reverse("reporting", args=["NLL-LS1"]) + f"?period={PERIOD}{query}")
    assert response.status_code == 200
    return response.content.decode()


def row(html: str, code: str) -> str:
    return html.split(f'id="rad-{code}"')[1].split("</tbody>")[0]


@pytest.fixture
def rnd(world):
    today = timezone.localdate()
    return services.open_round(
        user=world.users.admin,
        organisation=world.org,
        period=PERIOD,
        opens_on=today - dt.timedelta(days=3),
        deadline=today + dt.timedelta(days=9),
    )


def test_one_row_per_indicator_with_target_and_last_year(world, login):
    html = page(login(world.users.reporter))
    assert html.count('<tbody class="report-row') == 4
    wait = text(row(html, "vantetid-forsta-besok"))
    assert "100 %" in wait  # the target
    assert "DÅ04 2021: 49" in wait  # seed 001: 49 % a year earlier
    visits = text(row(html, "lakarbesok"))
    assert "Öka" in visits and "DÅ04 2021: 29 685 st" in visits
    # The name links to the indicator's page; each field's label names the indicator.
    detail = reverse("indicator_detail", args=["NLL-LS1", "lakarbesok"])
    assert f'href="{detail}?period=' in html
    assert "Värde, kvinnor – " in row(html, "vantetid-forsta-besok")


def test_status_of_typed_values_before_saving_writes_nothing(world, login):
    """Seed 001: the wait share 51 % against the target 100 % is not met; 100 % is."""
    client = login(world.users.reporter)
    url = reverse("report_preview", args=["NLL-LS1", "vantetid-forsta-besok"])
    url += f"?period={PERIOD}"
    before = list(Outcome.history.values_list("pk", flat=True))
    not_met = client.post(url, {"value_total": "51", "value_women": "", "value_men": ""}, **HTMX)
    assert not_met.status_code == 200
    assert "Med dina värden:" in text(not_met.content.decode())
    assert "▲ Ej uppfyllt" in text(not_met.content.decode())
    met = text(
        client.post(
            url, {"value_total": "100", "value_women": "100", "value_men": "100"}, **HTMX
        ).content.decode()
    )
    assert "■ Uppfyllt" in met and "Ej uppfyllt" not in met
    assert "K: ■ Uppfyllt" in met
    bad = text(client.post(url, {"value_total": "mycket"}, **HTMX).content.decode())
    assert "Status visas när värdena är tal." in bad
    stored = Outcome.objects.get(indicator=world.wait, unit=world.ls1, period=PERIOD, sex="total")
    assert stored.value == 51
    assert list(Outcome.history.values_list("pk", flat=True)) == before


def test_preview_needs_the_right_to_report(world, login):
    url = reverse("report_preview", args=["NLL-LS1", "vantetid-forsta-besok"])
    response = login(world.users.reader).post(url + f"?period={PERIOD}", {"value_total": "1"})
    assert response.status_code == 403


def test_only_missing_without_a_round_hides_rows_with_values(world, login):
    html = page(login(world.users.reporter), "&saknas=1")
    assert 'id="rad-lakarbesok"' in html  # nothing stored for LS1 in DÅ04 2022
    assert 'id="rad-vantetid-forsta-besok"' not in html  # 51 % stored
    assert 'id="only-missing" name="saknas" value="1" checked' in html


def test_only_missing_in_a_round_follows_what_is_due(world, login, rnd):
    """In the round the wait share (all values in, not met, no analysis) still lacks its
    analysis: it stays, its analysis opened; doctor visits lack the total."""
    client = login(world.users.reporter)
    html = page(client, "&saknas=1")
    wait = row(html, "vantetid-forsta-besok")
    assert "Analys saknas (ej uppfyllt)" in text(wait)
    assert '<details class="analysis-details" open>' in wait
    assert "Utfall saknas: totalt" in text(row(html, "lakarbesok"))
    Analysis.objects.create(
        unit=world.ls1, indicator=world.wait, period=PERIOD, text="Brist på läkare."
    )
    assert 'id="rad-vantetid-forsta-besok"' not in page(client, "&saknas=1")


def test_round_box_with_deadline_state_and_mark_ready(world, login, rnd):
    html = page(login(world.users.reporter))
    box = text(html.split('class="round-box"')[1].split("</section>")[0])
    assert "Uppföljningstillfälle DÅ04 2022" in box
    assert "9 dagar kvar" in box
    assert "○ Ej påbörjad" in box or "◐ Pågår" in box
    action = reverse("unit_action", args=[world.org.code, PERIOD, "NLL-LS1", "klarmarkera"])
    assert f'action="{action}"' in html
    unit_page = reverse("round_unit", args=[world.org.code, PERIOD, "NLL-LS1"])
    assert f'href="{unit_page}"' in html
    # A reader of the round sees the box but no button (the reporting page needs report).
    assert "aktivitet" in box  # the link to the activities to confirm


def test_locked_period_is_read_only_and_posts_are_refused(world, login, rnd):
    services.close_round(user=world.users.admin, round=rnd)
    client = login(world.users.reporter)
    html = page(client)
    assert "är låst" in text(html)
    assert '<input type="text"' not in html and "<textarea" not in html
    assert "Spara alla ändringar" not in html and 'id="save-' not in html
    assert "Klarmarkera" not in html
    wait = text(row(html, "vantetid-forsta-besok"))
    assert "51" in wait  # the values as text

    url = reverse("report_indicator", args=["NLL-LS1", "lakarbesok"]) + f"?period={PERIOD}"
    refused = client.post(url, {"value_total": "31 180"}, **HTMX)
    assert refused.status_code == 409
    assert "är låst" in text(refused.content.decode())
    assert not Outcome.objects.filter(indicator=world.visits, period=PERIOD).exists()
    plain = client.post(url, {"value_total": "31 180"})
    assert plain.status_code == 409 and "är låst" in text(plain.content.decode())

    delete = reverse("delete_outcome", args=["NLL-LS1", "vantetid-forsta-besok"])
    gone = client.post(delete + f"?period={PERIOD}", {"sex": "women"}, **HTMX)
    assert gone.status_code == 409
    assert "är låst" in text(gone.content.decode())
    assert Outcome.objects.filter(indicator=world.wait, period=PERIOD, sex="women").exists()
