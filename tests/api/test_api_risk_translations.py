"""Risk messages follow the interface language: the risk API answers an English user (the
language cookie) in English and everyone else in Swedish, with the figures filled in
(the rules' own messages: tests/risk/test_risk_rules.py)."""

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from styrkort.accounts.models import Role
from styrkort.organisation.models import OrgUnit
from styrkort.risk.models import Risk
from worlds import RISK_FILES

pytestmark = pytest.mark.django_db

DEMO_FILES = RISK_FILES

MISMATCH = {"year": 2024, "title": "X", "probability": 2, "consequence": 2, "value": 9}


def _planner(user_on, language=None):
    client = APIClient()
    client.force_authenticate(user_on(Role.PLANNER, "SRS-PV"))
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _post(client, **figures):
    unit = OrgUnit.objects.get(code="SRS-PV").pk
    return client.post("/api/risks/", {"unit": unit, **figures}, format="json")


@pytest.mark.parametrize(
    ("language", "expected", "foreign"),
    [
        (
            "en",
            "The risk score 9 does not match likelihood 2 × consequence 2 = 4.",
            "stämmer",
        ),
        (
            None,
            "Riskvärdet 9 stämmer inte med sannolikhet 2 × konsekvens 2 = 4.",
            "does not match",
        ),
        (
            "sv",
            "Riskvärdet 9 stämmer inte med sannolikhet 2 × konsekvens 2 = 4.",
            "does not match",
        ),
    ],
)
def test_a_mismatched_risk_score_is_explained_in_the_users_language(
    demo, user_on, language, expected, foreign
):
    before = Risk.objects.count()
    response = _post(_planner(user_on, language), **MISMATCH)
    assert response.status_code == 400
    body = str(response.json())
    assert expected in body and foreign not in body
    assert response["Content-Language"] == (language or "sv")
    assert Risk.objects.count() == before


def test_a_missing_deviation_comment_is_asked_for_in_english(demo, user_on):
    from styrkort.risk.models import Control

    control = Control.objects.filter(risk__unit__code="SRS-PV").first()
    client = APIClient()
    client.force_authenticate(user_on(Role.REPORTER, "SRS-PV"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        "/api/control-results/",
        {"control": control.pk, "period": "2024", "outcome": "deviation"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["comment"] == ["Describe the deviation."]
