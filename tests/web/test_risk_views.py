"""Risk pages: the matrix with counts per cell and level as text, the list of risks and
controls, and the risk form (role "plan" on the unit's subtree, 403 otherwise, nothing
written)."""

import re

import pytest
from django.urls import reverse

from styrkort.accounts.models import Role
from styrkort.risk.models import ControlResult, Risk
from worlds import RISK_FILES

pytestmark = pytest.mark.django_db

DEMO_FILES = RISK_FILES


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_matrix_sormland_2024_counts_per_level(demo, user_on, client):
    client.force_login(user_on(Role.READER, "SRS"))
    response = client.get(reverse("risk_matrix", args=["SRS-PV"]), {"year": 2024})
    assert response.status_code == 200
    text = text_of(response)
    assert "1 Hög 3 Medel 1 Låg | Totalt: 5" in text
    # Seed 003 gives values only: no risk in a cell, all five counted per level.
    assert "5 risker har bara ett riskvärde" in text
    html = response.content.decode()
    assert '<th scope="row">4 Mycket stor</th>' in html
    assert '<th scope="col">3 Betydande</th>' in html
    levels = re.search(r"Antal risker per risknivå.*?</table>", html, re.S).group(0)
    counts = re.findall(r"</span> (Låg|Medel|Hög|Mycket hög)</th>\s*<td>(\d+)–(\d+)</td>"
                        r"\s*<td>(Ja|Nej)</td>\s*<td>(\d+)</td>", levels)  # fmt: skip
    assert counts == [
        ("Låg", "1", "3", "Nej", "1"),
        ("Medel", "4", "8", "Nej", "3"),
        ("Hög", "9", "12", "Ja", "1"),
        ("Mycket hög", "13", "16", "Ja", "0"),
    ]
    assert "Risk för dålig framdrift i omställningen till Nära vård" in text
    # A reader gets no edit link.
    assert reverse("risk_create", args=["SRS-PV"]) not in html


def test_matrix_norrbotten_2022_cells(demo, user_on, client):
    client.force_login(user_on(Role.READER, "NLL"))
    response = client.get(reverse("risk_matrix", args=["NLL"]), {"year": 2022})
    assert response.status_code == 200
    html = response.content.decode()
    cells = re.findall(
        r'<td class="risk-cell risk-level-\d[^"]*">\s*<span class="risk-count">(\d+)</span>.*?'
        r"Värde (\d+)</span>.*?</span> ([^<]+)</span>",
        html,
        re.S,
    )
    assert len(cells) == 16
    by_value = {}
    for count, value, level in cells:
        by_value.setdefault(int(value), []).append((int(count), level.strip()))
    # Every cell names its level as text: 1-8 no special action, 9-16 action required.
    assert all(level == "Åtgärd krävs" for v, items in by_value.items() if v >= 9
               for _c, level in items)  # fmt: skip
    assert all(level == "Ingen särskild åtgärd" for v, items in by_value.items() if v <= 8
               for _c, level in items)  # fmt: skip
    placed = sum(int(c) for c, _v, _l in cells)
    risks = Risk.objects.filter(unit__code="NLL", year=2022)
    assert placed == risks.exclude(probability=None).count() == risks.count()
    # Success factor 3: consequence 3, risk 12 -> probability 4 (derived), action required.
    nr3 = risks.get(number="3")
    assert (nr3.probability, nr3.consequence, nr3.value) == (4, 3, 12)
    text = text_of(response)
    assert "4 Mycket stor (härledd)" in text
    action = re.search(r"Åtgärd krävs</th>\s*<td>9–16</td>\s*<td>Ja</td>\s*<td>(\d+)</td>", html)
    assert action.group(1) == "8"


@pytest.mark.parametrize(
    ("role", "where", "allowed"),
    [
        (Role.PLANNER, "SRS-PV", True),
        (Role.PLANNER, "SRS", True),
        (Role.ADMIN, "SRS-HS", True),
        (Role.REPORTER, "SRS-PV", False),
        (Role.READER, "SRS-PV", False),
        (Role.PLANNER, "SRS-PRD", False),
        (Role.PLANNER, "SRS-PV-VC-CITY", False),
        (Role.PLANNER, "NLL", False),
    ],
)
def test_create_risk_by_role(demo, user_on, client, role, where, allowed):
    client.force_login(user_on(role, where))
    url = reverse("risk_create", args=["SRS-PV"]) + "?year=2024"
    before = Risk.objects.count()
    get = client.get(url)
    post = client.post(url, {"year": "2024", "title": "Risk för brist på läkare",
                             "probability": "3", "consequence": "4"})  # fmt: skip
    if allowed:
        assert get.status_code == 200
        assert post.status_code == 302
        risk = Risk.objects.get(title="Risk för brist på läkare")
        assert (risk.unit.code, risk.year, risk.value) == ("SRS-PV", 2024, 12)
        matrix = client.get(post["Location"])
        assert "1 Hög 3 Medel 1 Låg" not in text_of(matrix)
        assert "2 Hög 3 Medel 1 Låg | Totalt: 6" in text_of(matrix)
    else:
        assert get.status_code == 403
        assert post.status_code == 403
        assert "behörighet" in post.content.decode()
        assert Risk.objects.count() == before


@pytest.mark.parametrize(("role", "allowed"), [(Role.PLANNER, True), (Role.REPORTER, False),
                                               (Role.READER, False)])  # fmt: skip
def test_edit_risk_by_role(demo, user_on, client, role, allowed):
    client.force_login(user_on(role, "NLL"))
    risk = Risk.objects.get(unit__code="NLL", year=2022, number="3")
    url = reverse("risk_edit", args=["NLL", risk.pk])
    response = client.post(url, {"title": risk.title, "probability": "2", "consequence": "3",
                                 "goals": [g.pk for g in risk.goals.all()]})  # fmt: skip
    risk.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert (risk.probability, risk.value, risk.probability_derived) == (2, 6, False)
    else:
        assert response.status_code == 403
        assert (risk.probability, risk.value) == (4, 12)


def test_form_errors_are_swedish_and_next_to_fields(demo, user_on, client):
    client.force_login(user_on(Role.PLANNER, "SRS-PV"))
    url = reverse("risk_create", args=["SRS-PV"]) + "?year=2024"
    before = Risk.objects.count()
    response = client.post(url, {"year": "2024", "title": "", "probability": "5",
                                 "consequence": "2"})  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_title_error">Beskriv risken.</p>' in html
    assert 'id="id_probability_error">Välj ett värde 1–4.</p>' in html
    assert "Formuläret innehåller fel" in html
    response = client.post(url, {"year": "2024", "title": "X", "probability": "2",
                                 "consequence": "2", "value": "9"})  # fmt: skip
    assert "Riskvärdet 9 stämmer inte med 2 × 2 = 4" in response.content.decode()
    response = client.post(url, {"year": "2024", "title": "X"})
    assert "Ange sannolikhet och konsekvens (eller enbart riskvärdet)." in response.content.decode()
    assert Risk.objects.count() == before


def test_form_labels_probability_and_consequence(demo, user_on, client):
    client.force_login(user_on(Role.PLANNER, "SRS-PV"))
    html = client.get(reverse("risk_create", args=["SRS-PV"]) + "?year=2024").content.decode()
    for label in ("1 mycket liten", "2 liten", "3 stor", "4 mycket stor",
                  "1 mindre", "2 måttlig", "3 betydande", "4 allvarlig"):  # fmt: skip
        assert f">{label}</option>" in html


def test_value_only_risk_and_delete(demo, user_on, client):
    client.force_login(user_on(Role.PLANNER, "SRS-PV"))
    url = reverse("risk_create", args=["SRS-PV"]) + "?year=2024"
    client.post(url, {"year": "2024", "title": "Endast riskvärde", "value": "13"})
    risk = Risk.objects.get(title="Endast riskvärde")
    assert (risk.probability, risk.consequence, risk.value) == (None, None, 13)
    response = client.get(reverse("risk_matrix", args=["SRS-PV"]), {"year": 2024})
    assert "1 Mycket hög 1 Hög 3 Medel 1 Låg | Totalt: 6" in text_of(response)
    delete = reverse("risk_delete", args=["SRS-PV", risk.pk])
    client.force_login(user_on(Role.REPORTER, "SRS-PV"))
    assert client.post(delete).status_code == 403
    assert Risk.objects.filter(pk=risk.pk).exists()
    client.force_login(user_on(Role.PLANNER, "SRS-PV"))
    assert client.post(delete).status_code == 302
    assert not Risk.objects.filter(pk=risk.pk).exists()


def test_risk_of_another_unit_is_404(demo, user_on, client):
    client.force_login(user_on(Role.PLANNER, "SRS"))
    risk = Risk.objects.filter(unit__code="NLL").first()
    assert client.get(reverse("risk_edit", args=["SRS-PV", risk.pk])).status_code == 404


@pytest.mark.parametrize(("role", "allowed"), [(Role.REPORTER, True), (Role.READER, False)])
def test_control_result_by_role(demo, user_on, client, role, allowed):
    client.force_login(user_on(role, "SRS-PV"))
    risk = Risk.objects.get(unit__code="SRS-PV", year=2024, number="1")
    control = risk.controls.first()
    url = reverse("control_result", args=["SRS-PV", control.pk, "2024-DA04"])
    empty = client.post(url, {"outcome": "deviation", "comment": ""})
    response = client.post(url, {"outcome": "deviation", "comment": "Ingen avrapportering i april"})
    if allowed:
        assert "Beskriv avvikelsen." in empty.content.decode()
        assert response.status_code == 302
        result = ControlResult.objects.get(control=control)
        assert (result.period, result.outcome) == ("2024-DÅ04", "deviation")
        page = client.get(reverse("risk_matrix", args=["SRS-PV"]), {"year": 2024})
        assert "Avvikelse Ingen avrapportering i april" in text_of(page)
    else:
        assert response.status_code == 403
        assert not ControlResult.objects.exists()


def test_anonymous_is_sent_to_login(demo, client):
    response = client.get(reverse("risk_matrix", args=["SRS-PV"]))
    assert response.status_code == 302 and "logga-in" in response["Location"]
