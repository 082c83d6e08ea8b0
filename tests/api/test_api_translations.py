"""The API's own messages follow the user's language: Swedish by default, English when the
language cookie says "en" (as on the web pages; Accept-Language is ignored).

Refusals come from the one permission function, `require`, whose message is a whole
sentence per action; the Swedish texts are the source strings, unchanged."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from styrkort.followup.models import Outcome
from styrkort.organisation.permissions import Action, require


def call(client_for, name, method, url, payload=None, *, cookie=None, accept=None):
    client = client_for(name)
    if cookie:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    # The middleware activates the request's language in this thread; restore it after.
    with translation.override("sv"):
        return getattr(client, method)(url, payload, format="json", **headers)


def ls1_outcome(world):
    return Outcome.objects.filter(unit=world.ls1, sex="women").get()


# --- refusals -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cookie", "language", "detail"),
    [
        ("en", "en", "You do not have permission to report for Division Länssjukvård 1."),
        (None, "sv", "Du saknar behörighet att rapportera för Division Länssjukvård 1."),
    ],
)
def test_a_reporter_refused_on_another_units_outcome(world, client_for, cookie, language, detail):
    outcome = ls1_outcome(world)
    url = f"/api/outcomes/{outcome.pk}/"
    changed = call(client_for, "reporter_ls2", "patch", url, {"note": "X"}, cookie=cookie)
    assert changed.status_code == 403, changed.json()
    assert changed.headers["Content-Language"] == language
    assert changed.json() == {"detail": detail}
    deleted = call(client_for, "reporter_ls2", "delete", url, cookie=cookie)
    assert deleted.status_code == 403
    assert deleted.json() == {"detail": detail}
    outcome.refresh_from_db()
    assert outcome.note == "" and outcome.numerator == 644


def test_a_refusal_to_create_names_the_unit_in_english(world, client_for):
    payload = {
        "indicator": world.visits.pk,
        "unit": world.ls2.pk,
        "period": "2022",
        "value": 31180,
    }
    english = call(client_for, "reporter", "post", "/api/outcomes/", payload, cookie="en")
    assert english.status_code == 403
    assert english.json() == {
        "detail": "You do not have permission to report for Division Länssjukvård 2."
    }
    swedish = call(client_for, "reporter", "post", "/api/outcomes/", payload)
    assert swedish.json() == {
        "detail": "Du saknar behörighet att rapportera för Division Länssjukvård 2."
    }
    assert not Outcome.objects.filter(unit=world.ls2).exists()


def test_the_api_ignores_accept_language_for_refusals(world, client_for):
    url = f"/api/outcomes/{ls1_outcome(world).pk}/"
    response = call(client_for, "reporter_ls2", "patch", url, {"note": "X"}, accept="en")
    assert response.headers["Content-Language"] == "sv"
    assert response.json()["detail"].startswith("Du saknar behörighet att rapportera för")


def test_a_bulk_upsert_without_the_right_is_refused_in_english(world, client_for):
    rows = {"rows": [{"org": "NLL-LS1", "indicator": "lakarbesok", "period": "2022", "value": 1}]}
    english = call(client_for, "reader", "post", "/api/outcomes/bulk/", rows, cookie="en")
    assert english.status_code == 403
    assert english.json()["detail"] == "You do not have permission to report outcomes."
    swedish = call(client_for, "reader", "post", "/api/outcomes/bulk/", rows)
    assert swedish.json()["detail"] == "Du saknar behörighet att rapportera utfall."


# --- bad requests ---------------------------------------------------------------------


def bad_requests(w):
    """(user, method, url, payload, {field: (English, Swedish)})."""
    return [
        (
            "reporter",
            "post",
            "/api/analyses/",
            {"unit": w.ls1.pk, "period": "2022-DÅ08", "text": "Ökning."},
            {
                "indicator": (
                    "Give either an indicator or a goal.",
                    "Ange antingen en indikator eller ett mål.",
                )
            },
        ),
        (
            "reporter",
            "patch",
            f"/api/analyses/{w.analysis.pk}/",
            {"period": "2022-DÅ08"},
            {
                "period": (
                    "An analysis is not moved; write a new one.",
                    "En analys flyttas inte; skriv en ny.",
                )
            },
        ),
        (
            "planner",
            "patch",
            f"/api/goals/{w.goals[1].pk}/",
            {"parent": None},
            {"parent": ("A goal is not moved through the API.", "Ett mål flyttas inte via API:t.")},
        ),
        (
            "planner",
            "patch",
            f"/api/plans/{w.plan.pk}/",
            {"superior_plan": w.plan.pk},
            {
                "superior_plan": (
                    "A plan cannot refer to itself.",
                    "En plan kan inte peka på sig själv.",
                )
            },
        ),
        (
            "planner",
            "patch",
            f"/api/targets/{w.target.pk}/",
            {"year": 2023},
            {
                "year": (
                    "A target's year and unit are not changed; create a new target.",
                    "Ett målvärdes år och enhet ändras inte; skapa ett nytt målvärde.",
                )
            },
        ),
        (
            "admin",
            "post",
            "/api/units/",
            {"code": "NLL-NY", "name": "Ny enhet", "type": "division"},
            {"parent": ("Give the parent unit.", "Ange den överordnade enheten.")},
        ),
    ]


def test_bad_requests_get_english_field_errors(plan_world, client_for):
    for name, method, url, payload, errors in bad_requests(plan_world):
        response = call(client_for, name, method, url, payload, cookie="en")
        assert response.status_code == 400, (url, response.json())
        assert response.headers["Content-Language"] == "en"
        assert response.json() == {field: [en] for field, (en, _sv) in errors.items()}, url


def test_the_same_bad_requests_without_the_cookie_are_swedish(plan_world, client_for):
    for name, method, url, payload, errors in bad_requests(plan_world):
        response = call(client_for, name, method, url, payload)
        assert response.status_code == 400, (url, response.json())
        assert response.headers["Content-Language"] == "sv"
        assert response.json() == {field: [sv] for field, (_en, sv) in errors.items()}, url


def test_a_bad_bulk_body_in_english_and_in_swedish(world, client_for):
    rows = {"rows": [{"org": "NLL-LS1", "indicator": "lakarbesok", "period": "2022", "value": []}]}
    before = Outcome.objects.count()
    english = call(client_for, "reporter", "post", "/api/outcomes/bulk/", rows, cookie="en")
    assert english.status_code == 400
    assert english.json()["detail"] == "Invalid data – nothing has been saved."
    assert english.json()["rejected"] == [
        {"row": 1, "column": "value", "reason": "Enter a number or a text."}
    ]
    swedish = call(client_for, "reporter", "post", "/api/outcomes/bulk/", rows)
    assert swedish.json()["detail"] == "Felaktiga uppgifter – ingenting har sparats."
    assert swedish.json()["rejected"] == [
        {"row": 1, "column": "value", "reason": "Ange ett tal eller en text."}
    ]
    assert Outcome.objects.count() == before


def test_an_unknown_api_address_is_not_found_in_the_users_language(world, client_for):
    english = call(client_for, "reporter", "get", "/api/nothing-here/", cookie="en")
    assert english.status_code == 404
    assert english.json() == {"detail": "Not found."}
    swedish = call(client_for, "reporter", "get", "/api/nothing-here/")
    assert swedish.json() == {"detail": "Finns inte."}


# --- the permission function and the import command -----------------------------------


@pytest.mark.parametrize(
    ("action", "english", "swedish"),
    [
        (Action.VIEW, "view data for", "se uppgifter för"),
        (Action.REPORT, "report for", "rapportera för"),
        (Action.PLAN, "change the plan for", "ändra planen för"),
        (Action.ADMIN, "administer", "administrera för"),
    ],
)
def test_require_refuses_in_the_active_language(world, action, english, swedish):
    outsider = world.users.outsider
    for language, expected in (
        ("en", f"You do not have permission to {english} Division Länssjukvård 1."),
        ("sv", f"Du saknar behörighet att {swedish} Division Länssjukvård 1."),
    ):
        with translation.override(language), pytest.raises(PermissionDenied) as refused:
            require(outsider, action, world.ls1)
        assert str(refused.value) == expected
    with pytest.raises(PermissionDenied) as default:
        require(outsider, action.value, world.ls1)
    assert str(default.value) == f"Du saknar behörighet att {swedish} Division Länssjukvård 1."
    require(world.users.admin, action, world.ls1)  # allowed: no exception


@pytest.mark.django_db  # the command checks the database's migrations, once per process
def test_the_import_command_speaks_the_active_language(tmp_path):
    missing = str(tmp_path / "saknas.csv")
    for language, kind, absent in (
        ("en", "Unknown import type 'budget'. Choose from: ", "The file does not exist: "),
        ("sv", "Okänd importtyp 'budget'. Välj bland: ", "Filen finns inte: "),
    ):
        with translation.override(language):
            with pytest.raises(CommandError) as unknown_kind:
                call_command("import_data", "budget", missing)
            with pytest.raises(CommandError) as no_file:
                call_command("import_data", "outcomes", missing)
        assert str(unknown_kind.value).startswith(kind)
        assert str(no_file.value) == absent + missing
