"""The organisation administrators' pages through Django's test client: accounts, roles,
units and settings changed by an administrator with Swedish messages for bad input, and
read by an auditor, who changes nothing (a 403 on every POST)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from styrkort.accounts.models import Role, RoleAssignment, RoleSource, User
from styrkort.organisation.models import OrgUnit
from styrkort.planning.models import PlanLevel
from styrkort.risk.models import RiskBand

GOOD_PASSWORD = "Blåbär-i-Luleå-2026"


def parent_of(unit):
    return OrgUnit.objects.get(path=unit.path[: -OrgUnit.steplen])


def url(name, **kwargs):
    return reverse(name, kwargs={"org": "nll", **kwargs})


@pytest.fixture
def auditor(user_on):
    return user_on(Role.AUDITOR, "NLL", username="revisor")


def test_the_urls():
    assert reverse("administration") == "/administration/"
    assert url("administration_users") == "/administration/nll/anvandare/"
    assert url("administration_unit", code="NLL-LS1") == "/administration/nll/enheter/NLL-LS1/"
    assert url("administration_signins") == "/administration/nll/inloggningar/"


def test_the_menu_shows_administration_to_admins_and_auditors(world, login, auditor):
    link = 'href="/administration/"'
    assert link in login(world.users.admin).get("/").content.decode()
    assert link in login(auditor).get("/").content.decode()
    assert link not in login(world.users.planner).get("/").content.decode()


def test_one_organisation_goes_straight_to_it(world, login):
    response = login(world.users.admin).get(reverse("administration"))
    assert response.status_code == 302 and response["Location"] == url("administration_home")


@pytest.mark.parametrize("who", ["planner", "reporter", "reader", "outsider"])
def test_others_are_refused(world, login, who):
    client = login(getattr(world.users, who))
    assert client.get(reverse("administration")).status_code == 403
    response = client.get(url("administration_users"))
    assert response.status_code == 403
    assert "Du saknar behörighet att se administrationen" in response.content.decode()


def test_the_user_list_with_search(world, login):
    client = login(world.users.admin)
    page = client.get(url("administration_users")).content.decode()
    for name in ("planner", "reporter", "reader", "reporter_ls2"):
        assert f'<td data-label="Användarnamn">{name}</td>' in page
    assert "outsider" not in page  # Sörmland's
    assert "Lokalt konto" in page and "aldrig" in page
    page = client.get(url("administration_users"), {"q": "ls2"}).content.decode()
    assert "1 träff på ”ls2”." in page and ">reporter_ls2<" in page
    assert ">planner<" not in page


def test_an_administrator_creates_an_account_and_gives_it_a_role(world, login):
    client = login(world.users.admin)
    data = {
        "username": "anna.berg",
        "first_name": "Anna",
        "last_name": "Berg",
        "email": "anna.berg@nll.example",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
    }
    response = client.post(url("administration_user_new"), data, follow=True)
    page = response.content.decode()
    assert "Kontot anna.berg är skapat. Ge det en roll nedan." in page
    person = User.objects.get(username="anna.berg")
    assert person.check_password(GOOD_PASSWORD) and person.organisation == world.org
    response = client.post(
        url("administration_user", pk=person.pk),
        {"action": "grant", "unit": world.im.pk, "role": "reporter"},
        follow=True,
    )
    assert "anna.berg har nu rollen rapportör på VO Internmedicin." in response.content.decode()
    assert RoleAssignment.objects.filter(user=person, unit=world.im, role="reporter").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"password2": "något-annat-2026"}, "Lösenorden är inte lika."),
        ({"password1": "123", "password2": "123"}, "lösenordet är för kort"),
        ({"username": "Planner"}, "Användarnamnet Planner är upptaget."),
        ({"email": "anna@"}, "Skriv en e-postadress som namn@exempel.se."),
        ({"first_name": ""}, "Ange förnamn."),
    ],
)
def test_bad_input_when_creating_an_account(world, login, change, message):
    data = {
        "username": "anna.berg",
        "first_name": "Anna",
        "last_name": "Berg",
        "email": "",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        **change,
    }
    response = login(world.users.admin).post(url("administration_user_new"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Formuläret innehåller fel." in page and message in page
    assert not User.objects.filter(username="anna.berg").exists()


def test_editing_deactivating_and_revoking(world, login):
    client = login(world.users.admin)
    person = world.users.reporter
    page_url = url("administration_user", pk=person.pk)
    response = client.post(
        page_url,
        {"action": "edit", "first_name": "Rut", "last_name": "Test", "email": "rut@nll.example"},
        follow=True,
    )
    assert "Uppgifterna för reporter är sparade." in response.content.decode()
    response = client.post(page_url, {"action": "deactivate"}, follow=True)
    page = response.content.decode()
    assert "Kontot reporter är inaktiverat" in page and "Nej, inaktiverat" in page
    person.refresh_from_db()
    assert not person.is_active
    assignment = person.roles.get()
    response = client.post(page_url, {"action": "revoke", "assignment": assignment.pk}, follow=True)
    assert "reporter har inte längre rollen rapportör på Division Länssjukvård 1." in (
        response.content.decode()
    )
    # Without roles, created elsewhere: no longer among the organisation's accounts.
    assert client.get(page_url).status_code == 404


def test_roles_from_the_provider_are_shown_apart_and_kept(world, login):
    person = world.users.reader
    sso = RoleAssignment.objects.create(
        user=person, unit=world.ls2, role=Role.PLANNER, source=RoleSource.SSO
    )
    client = login(world.users.admin)
    page_url = url("administration_user", pk=person.pk)
    page = client.get(page_url).content.decode()
    manual, provided = page.split("Från inloggningstjänsten</h3>")
    assert "Läsare på Division Länssjukvård 1" in manual
    assert "Planerare på Division Länssjukvård 2" in provided
    assert f'name="assignment" value="{sso.pk}"' not in page  # no button to take it back
    response = client.post(page_url, {"action": "revoke", "assignment": sso.pk}, follow=True)
    assert "kan inte tas bort här" in response.content.decode()
    assert RoleAssignment.objects.filter(pk=sso.pk).exists()


def test_the_unit_picker_offers_only_the_administrators_units(world, login, user_on):
    ls1_admin = user_on(Role.ADMIN, "NLL-LS1")
    client = login(ls1_admin)
    page = client.get(url("administration_user", pk=world.users.reporter.pk)).content.decode()
    picker = page.split('name="unit"')[1].split("</select>")[0]
    assert "VO Internmedicin" in picker and "Division Länssjukvård 2" not in picker
    response = client.post(
        url("administration_user", pk=world.users.reporter.pk),
        {"action": "grant", "unit": world.ls2.pk, "role": "planner"},
    )
    assert "Välj en enhet som du administrerar." in response.content.decode()
    assert not RoleAssignment.objects.filter(unit=world.ls2, role="planner").exists()


def test_units_created_renamed_moved_closed(world, login):
    client = login(world.users.admin)
    response = client.post(
        url("administration_units"),
        {"parent": world.ls1.pk, "code": "NLL-LS1-ORT", "name": "VO Ortopedi", "type": "clinic"},
        follow=True,
    )
    assert "VO Ortopedi är skapad under Division Länssjukvård 1." in response.content.decode()
    unit_url = url("administration_unit", code="NLL-LS1-ORT")
    client.post(unit_url, {"action": "rename", "name": "VO Ortopedi och handkirurgi"})
    client.post(unit_url, {"action": "move", "parent": world.ls2.pk})
    response = client.post(unit_url, {"action": "close", "valid_to": "2026-12-31"}, follow=True)
    assert "VO Ortopedi och handkirurgi gäller till och med 2026-12-31." in (
        response.content.decode()
    )
    unit = OrgUnit.objects.get(code="NLL-LS1-ORT")
    assert unit.name == "VO Ortopedi och handkirurgi"
    assert parent_of(unit) == world.ls2 and unit.valid_to == dt.date(2026, 12, 31)
    response = client.post(unit_url, {"action": "delete"}, follow=True)
    assert "VO Ortopedi och handkirurgi är borttagen." in response.content.decode()


@pytest.mark.parametrize(
    ("code", "data", "message"),
    [
        ("NLL-PV-GAL", {"action": "close", "valid_to": "2001-01-01"}, "får inte vara före"),
        ("NLL-PV-GAL", {"action": "close", "valid_to": "31/12"}, "Skriv ett datum som ÅÅÅÅ-MM-DD."),
        ("NLL-LS1", {"action": "move", "parent": "IM"}, "Välj ett giltigt alternativ"),
        ("NLL-LS1", {"action": "rename", "name": ""}, "Ange ett namn."),
        ("NLL-LS1", {"action": "close", "valid_to": ""}, "Ange enhetens sista giltiga dag."),
    ],
)
def test_bad_unit_changes_are_explained(world, login, code, data, message):
    if data.get("parent") == "IM":
        data = {**data, "parent": "x"}
    response = login(world.users.admin).post(url("administration_unit", code=code), data)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_moving_a_unit_under_its_own_subtree_is_refused(world, login):
    response = login(world.users.admin).post(
        url("administration_unit", code="NLL-LS1"), {"action": "move", "parent": world.im.pk}
    )
    assert "kan inte flyttas in under sig själv" in response.content.decode()
    assert parent_of(OrgUnit.objects.get(code="NLL-LS1")) == world.region


def test_a_unit_with_data_is_not_deleted(world, login):
    response = login(world.users.admin).post(
        url("administration_unit", code="NLL-LS1-IM"), {"action": "delete"}, follow=True
    )
    assert "kan inte tas bort: den används av" in response.content.decode()
    assert OrgUnit.objects.filter(code="NLL-LS1-IM").exists()


def test_settings(world, login):
    client = login(world.users.admin)
    page_url = url("administration_settings")
    page = client.get(page_url).content.decode()
    assert 'value="10"' in page  # tolerance 10 %
    response = client.post(
        page_url,
        {
            "action": "evaluation",
            "tolerance_pct": "7,5",
            "trend_epsilon_pct": "1",
            "goal_met_threshold": "2,5",
            "goal_partly_threshold": "1,5",
        },
        follow=True,
    )
    assert "Inställningarna för bedömning är sparade." in response.content.decode()
    world.org.refresh_from_db()
    assert world.org.tolerance_pct == 7.5
    response = client.post(
        page_url,
        {
            "action": "evaluation",
            "tolerance_pct": "sju",
            "trend_epsilon_pct": "1",
            "goal_met_threshold": "1,2",
            "goal_partly_threshold": "1,5",
        },
    )
    page = response.content.decode()
    assert "Skriv ett tal, t.ex. 2,5 (inte ”sju”)." in page
    level = PlanLevel.objects.filter(plan_model__organisation=world.org).order_by("level").first()
    data = {"action": "levels", "plan_model": level.plan_model_id}
    for lvl in level.plan_model.levels.all():
        data[f"level_{lvl.level}"] = lvl.name
        data[f"plural_{lvl.level}"] = lvl.name_plural
    data[f"level_{level.level}"] = "Fokusområde"
    response = client.post(page_url, data, follow=True)
    assert "är sparade" in response.content.decode()
    assert PlanLevel.objects.get(pk=level.pk).name == "Fokusområde"
    data[f"level_{level.level}"] = ""
    response = client.post(page_url, data)
    assert f"Ange ett namn för nivå {level.level}." in response.content.decode()


def _bands(*rows):
    data = {
        "action": "bands",
        "band-TOTAL_FORMS": str(len(rows)),
        "band-INITIAL_FORMS": "0",
        "band-MIN_NUM_FORMS": "0",
        "band-MAX_NUM_FORMS": "16",
    }
    for i, (name, low, high, action) in enumerate(rows):
        data.update(
            {f"band-{i}-name": name, f"band-{i}-min_value": low, f"band-{i}-max_value": high}
        )
        if action:
            data[f"band-{i}-requires_action"] = "on"
    return data


def test_risk_bands(world, login):
    client = login(world.users.admin)
    page_url = url("administration_settings")
    response = client.post(
        page_url, _bands(("Låg", "1", "4", False), ("Hög", "5", "16", True)), follow=True
    )
    assert "Risknivåerna är sparade." in response.content.decode()
    assert list(
        RiskBand.objects.filter(organisation=world.org).values_list(
            "name", "min_value", "max_value"
        )
    ) == [("Låg", 1, 4), ("Hög", 5, 16)]
    response = client.post(page_url, _bands(("Låg", "1", "4", False), ("Hög", "6", "16", True)))
    assert "Riskvärdena 5–5 saknar risknivå." in response.content.decode()
    response = client.post(page_url, _bands(("Låg", "1", "", False)))
    assert "Ange lägsta och högsta riskvärde för Låg." in response.content.decode()


def test_history_says_who_did_what_to_whom(world, login):
    client = login(world.users.admin)
    person = world.users.reader
    client.post(
        url("administration_user", pk=person.pk),
        {"action": "grant", "unit": world.im.pk, "role": "planner"},
    )
    client.post(url("administration_user", pk=person.pk), {"action": "deactivate"})
    page = client.get(url("administration_history")).content.decode()
    assert "Roll för reader" in page and "Planerare" in page and "VO Internmedicin" in page
    assert "Konto: reader" in page and "Ja → Nej" in page
    assert "Admin Test" in page  # who
    roles_only = client.get(url("administration_history"), {"visa": "roller"}).content.decode()
    assert "Konto: reader" not in roles_only


def test_the_sign_in_log_with_filters(world, login, auditor):
    from styrkort.accounts.signin import record

    record(outcome="success", method="password", user=world.users.reporter)
    record(outcome="failure", method="password", user=world.users.reporter, reason="fel lösenord")
    record(outcome="success", method="password", user=world.users.outsider)  # Sörmland
    client = login(auditor)
    page = client.get(url("administration_signins")).content.decode()
    # The auditor's own sign-in (the test client's) is there too.
    assert "3 händelser." in page and "fel lösenord" in page and "outsider" not in page
    page = client.get(url("administration_signins"), {"outcome": "failure"}).content.decode()
    assert "1 händelse." in page
    page = client.get(url("administration_signins"), {"username": "revisor"}).content.decode()
    assert "1 händelse." in page
    page = client.get(url("administration_signins"), {"start": "2001-13-01"}).content.decode()
    assert "Skriv ett datum som ÅÅÅÅ-MM-DD." in page
    page = client.get(
        url("administration_signins"), {"start": "2026-02-02", "end": "2026-01-01"}
    ).content.decode()
    assert "Till och med får inte vara före från och med." in page


def test_a_subtree_administrator_reads_only_the_sign_ins_of_their_people(world, login, user_on):
    from styrkort.accounts.signin import record

    record(outcome="success", method="password", user=world.users.reporter)  # in LS1
    record(outcome="success", method="password", user=world.users.reporter_ls2)  # LS2
    record(outcome="success", method="password", user=world.users.admin)  # the region
    page = login(user_on(Role.ADMIN, "NLL-LS1")).get(url("administration_signins"))
    text = page.content.decode()
    assert page.status_code == 200
    # the reporter's and the LS1 administrator's own (the test client's sign-in)
    assert "2 händelser." in text
    assert "reporter_ls2" not in text


def test_the_auditor_reads_everything_without_forms(world, login, auditor):
    client = login(auditor)
    pages = [
        url("administration_home"),
        url("administration_users"),
        url("administration_user", pk=world.users.reporter.pk),
        url("administration_units"),
        url("administration_unit", code="NLL-LS1"),
        url("administration_settings"),
        url("administration_history"),
        url("administration_signins"),
    ]
    for page_url in pages:
        response = client.get(page_url)
        assert response.status_code == 200, page_url
        page = response.content.decode()
        assert 'method="post"' not in page.split('<main id="main"')[1], page_url
    assert client.get(url("administration_user_new")).status_code == 403


def _posts(world):
    reporter = world.users.reporter
    return [
        (url("administration_user_new"), {"username": "x", "first_name": "X", "last_name": "Y"}),
        (url("administration_user", pk=reporter.pk), {"action": "deactivate"}),
        (url("administration_user", pk=reporter.pk), {"action": "edit", "first_name": "Z"}),
        (
            url("administration_user", pk=reporter.pk),
            {"action": "grant", "unit": world.im.pk, "role": "admin"},
        ),
        (
            url("administration_user", pk=reporter.pk),
            {"action": "revoke", "assignment": reporter.roles.get().pk},
        ),
        (url("administration_units"), {"parent": world.ls1.pk, "code": "X", "name": "X"}),
        (url("administration_unit", code="NLL-LS1"), {"action": "rename", "name": "X"}),
        (url("administration_unit", code="NLL-PV-GAL"), {"action": "delete"}),
        (url("administration_unit", code="NLL-LS1"), {"action": "close", "valid_to": "2030-01-01"}),
        (url("administration_settings"), {"action": "evaluation", "tolerance_pct": "1"}),
        (url("administration_settings"), _bands(("X", "1", "16", False))),
    ]


def test_the_auditor_changes_nothing(world, login, auditor):
    client = login(auditor)
    before = (
        User.objects.count(),
        RoleAssignment.objects.count(),
        list(OrgUnit.objects.values_list("code", "name", "valid_to")),
    )
    for page_url, data in _posts(world):
        response = client.post(page_url, data)
        assert response.status_code == 403, page_url
    assert before == (
        User.objects.count(),
        RoleAssignment.objects.count(),
        list(OrgUnit.objects.values_list("code", "name", "valid_to")),
    )
    assert User.objects.get(pk=world.users.reporter.pk).is_active


def test_a_subtree_administrator_cannot_change_the_settings(world, login, user_on):
    client = login(user_on(Role.ADMIN, "NLL-LS1"))
    page = client.get(url("administration_settings")).content.decode()
    assert "ändras av dess administratörer" in page
    response = client.post(url("administration_settings"), {"action": "evaluation"})
    assert response.status_code == 403


def test_auditors_read_the_history_pages_of_the_follow_up(world, login, auditor):
    client = login(auditor)
    for page_url in (
        reverse("indicator_history", args=["NLL-LS1", world.medication.code]),
        reverse("plan_history", args=[world.plan.code]),
    ):
        assert client.get(page_url).status_code == 200, page_url


def test_requiring_a_second_factor(world, login):
    client = login(world.users.admin)
    response = client.post(
        url("administration_settings"),
        {"action": "second_factor", "require_second_factor": "on"},
        follow=True,
    )
    assert "Tvåstegsverifiering krävs nu av administratörer och planerare." in (
        response.content.decode()
    )
    world.org.refresh_from_db()
    assert world.org.require_second_factor
    page = client.get(url("administration_history")).content.decode()
    assert "Kräv tvåstegsverifiering" in page and "Nej → Ja" in page
    client.post(url("administration_settings"), {"action": "second_factor"})
    world.org.refresh_from_db()
    assert not world.org.require_second_factor


def test_auditors_read_a_rounds_pages_with_their_history(world, login, auditor):
    from django.utils import timezone

    from styrkort.rounds import services as rounds

    today = timezone.localdate()
    rounds.open_round(
        user=world.users.admin,
        organisation=world.org,
        period="2022-DÅ08",
        opens_on=today - dt.timedelta(days=5),
        deadline=today + dt.timedelta(days=10),
    )
    client = login(auditor)
    pages = {}
    for page_url in (
        reverse("round_overview", args=["nll"]),
        reverse("round_page", args=["nll", "2022-DÅ08"]),
        reverse("round_unit", args=["nll", "2022-DÅ08", "NLL-LS1-IM"]),
        reverse("goal_history", args=["NLL-LS1", world.goals.access.pk]),
    ):
        response = client.get(page_url)
        assert response.status_code == 200, page_url
        pages[page_url] = response.content.decode()
    unit_page = pages[reverse("round_unit", args=["nll", "2022-DÅ08", "NLL-LS1-IM"])]
    assert "Inrapporteringens historik för VO Internmedicin" in unit_page
    # ... and cannot act in the round
    response = client.post(
        reverse("unit_action", args=["nll", "2022-DÅ08", "NLL-LS1-IM", "klarmarkera"])
    )
    assert response.status_code in (403, 404)


def _queries(client, page_url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(page_url).status_code == 200
    return len(queries)


def test_the_lists_do_not_grow_in_queries_with_more_people(world, login):
    from factories import UserFactory
    from styrkort.accounts import services

    admin = world.users.admin
    client = login(admin)
    pages = [url("administration_users"), url("administration_history")]
    client.get(pages[0])  # the session's first request reads more
    before = [_queries(client, p) for p in pages]
    for i in range(8):
        person = UserFactory(username=f"extra{i}")
        services.grant_role(user=admin, target_user=person, unit=world.im, role=Role.READER)
        services.update_user(user=admin, organisation=world.org, person=person, first_name="Ny")
    after = [_queries(client, p) for p in pages]
    assert after == before


def test_a_superuser_chooses_the_organisation(world, login):
    from factories import UserFactory

    client = login(UserFactory(is_superuser=True))
    page = client.get(reverse("administration")).content.decode()
    assert "Välj organisation." in page
    assert 'href="/administration/nll/"' in page and 'href="/administration/srs/"' in page


def test_the_pages_in_english(world, login, settings):
    client = login(world.users.admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(url("administration_users")).content.decode()
    assert "Users and roles" in page and "Source of the account" in page
    assert "Local account" in page
