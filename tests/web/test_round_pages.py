"""The pages of the follow-up cycle on the small world: "Mina uppgifter" as the start page,
approve and return from there, the four-eyes refusal as a message, readers without
buttons, bad input refused with a Swedish message and nothing changed."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from factories import RoleAssignmentFactory, UserFactory
from styrkort.followup.services import record_outcome
from styrkort.rounds import services
from styrkort.rounds.models import ReportingRound, RoundState, Submission

pytestmark = pytest.mark.django_db

PERIOD = "2022-DÅ08"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def rnd(world, today):
    """Norrbotten's DÅ08 2022, opened five days ago: the region's deadline in ten days,
    the VOs' (depth 3) in six."""
    return services.open_round(
        user=world.users.admin,
        organisation=world.org,
        period=PERIOD,
        opens_on=today - dt.timedelta(days=5),
        deadline=today + dt.timedelta(days=10),
        level_deadlines={"3": (today + dt.timedelta(days=6)).isoformat()},
    )


def _unit_url(world, name, code):
    return reverse(name, args=[world.org.code, PERIOD, code])


def _act(client, world, code, action, **data):
    return client.post(
        reverse("unit_action", args=[world.org.code, PERIOD, code, action]), data, follow=True
    )


def _text(response) -> str:
    return response.content.decode().replace("\u00a0", " ")


def _sub(rnd, unit):
    return Submission.objects.get(round=rnd, unit=unit)


def test_start_page_shows_the_reporters_task_with_deadline_and_days_left(world, rnd, login, today):
    client = login(world.users.reporter)
    page = _text(client.get(reverse("home")))
    assert "Mina uppgifter" in page
    assert "Region Norrbotten: DÅ08 2022" in page
    task = page[page.index(">VO Internmedicin<") :]
    task = task[: task.index("</li>")]
    deadline = today + dt.timedelta(days=6)
    assert f'datetime="{deadline.isoformat()}"' in task
    assert "6 dagar kvar" in task
    assert "Ej påbörjad" in task and "○" in task
    assert reverse("reporting", args=["NLL-LS1-IM"]) + "?period=2022-D%C3%85" in task
    assert "Klarmarkera" in task
    # The division itself reports to the region's deadline.
    assert "10 dagar kvar" in page
    # A reporter approves nothing.
    assert "Att granska" not in page and "Godkänn" not in page


def test_start_page_is_the_tree_when_no_round_is_open(world, login):
    page = _text(login(world.users.reporter).get(reverse("home")))
    assert "Mina uppgifter" not in page.split("<main", 1)[1]
    assert "Division Länssjukvård 1" in page  # the organisation tree


def test_planner_sees_units_below_and_approves_and_returns(world, rnd, login):
    reporter = login(world.users.reporter)
    _act(reporter, world, "NLL-LS1-IM", "klarmarkera", next="/")
    _act(reporter, world, "NLL-LS1-NC", "klarmarkera", next="/")

    planner = login(world.users.planner)
    page = _text(planner.get(reverse("home")))
    review = page[page.index("Att granska") : page.index("Enheter under dig")]
    assert "VO Internmedicin" in review and "VO Neurocentrum" in review
    assert "Godkänn" in review and "Återsänd med kommentar" in review
    below = page[page.index("Enheter under dig") :]
    assert "● Klarmarkerad" in below.replace('<span class="sym" aria-hidden="true">●</span> ', "● ")

    response = _act(planner, world, "NLL-LS1-IM", "godkann", next="/")
    assert "VO Internmedicin är godkänd och låst." in _text(response)
    sub = _sub(rnd, world.im)
    assert sub.state == "approved" and sub.approved_by == world.users.planner

    # Returning takes a comment: without one, a message and nothing changed.
    response = _act(planner, world, "NLL-LS1-NC", "atersand", comment="  ", next="/")
    assert "Skriv en kommentar om vad som behöver rättas." in _text(response)
    assert _sub(rnd, world.nc).state == "ready"
    response = _act(
        planner, world, "NLL-LS1-NC", "atersand", comment="Analys saknas för läkarbesök.", next="/"
    )
    assert "VO Neurocentrum är återsänd med din kommentar." in _text(response)
    sub = _sub(rnd, world.nc)
    assert sub.state == "open" and sub.comment == "Analys saknas för läkarbesök."

    # The reporter sees it returned, with the comment, on the start page.
    page = _text(login(world.users.reporter).get(reverse("home")))
    assert "↩" in page and "Återsänd" in page and "Analys saknas för läkarbesök." in page


def test_four_eyes_refusal_is_a_message(world, rnd, login):
    planner = login(world.users.planner)
    _act(planner, world, "NLL-LS1-NC", "klarmarkera", next="/")
    response = _act(planner, world, "NLL-LS1-NC", "godkann", next="/")
    assert response.status_code == 200
    assert (
        "VO Neurocentrum: Du klarmarkerade själv enheten; en annan person måste godkänna den "
        "(fyra ögon)." in _text(response)
    )
    assert _sub(rnd, world.nc).state == "ready"


def test_reader_sees_no_buttons_and_is_refused(world, rnd, login):
    services.mark_ready(user=world.users.reporter, round=rnd, unit=world.im)
    client = login(world.users.reader)
    for url in (
        reverse("home"),
        reverse("round_overview", args=[world.org.code]),
        reverse("round_page", args=[world.org.code, PERIOD]),
        _unit_url(world, "round_unit", "NLL-LS1-IM"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        page = _text(response)
        for button in ("Klarmarkera<", "Godkänn<", "Återsänd<", "Öppna tillfället", "Stäng"):
            assert button not in page, (url, button)
    assert "Du har inga uppgifter i detta tillfälle." in _text(client.get(reverse("home")))
    response = client.post(
        reverse("unit_action", args=[world.org.code, PERIOD, "NLL-LS1-IM", "godkann"])
    )
    assert response.status_code == 403
    assert _sub(rnd, world.im).state == "ready"
    # Another organisation's reader cannot see the round at all.
    outsider = login(world.users.outsider)
    assert outsider.get(reverse("round_page", args=[world.org.code, PERIOD])).status_code == 403


def test_unit_page_lists_what_is_missing_and_the_history(world, rnd, login):
    client = login(world.users.reporter)
    page = _text(client.get(_unit_url(world, "round_unit", "NLL-LS1")))
    assert "Division Länssjukvård 1 i DÅ08 2022" in page
    reporting = reverse("reporting", args=["NLL-LS1"])
    assert f'{reporting}?period={PERIOD}#rad-lakarbesok">Antal läkarbesök</a>' in page
    assert "Målanalyser" in page and "Aktiviteter utan bekräftad status" in page
    _act(client, world, "NLL-LS1-IM", "klarmarkera")
    page = _text(client.get(_unit_url(world, "round_unit", "NLL-LS1-IM")))
    history = page[page.index("<h2>Historik</h2>") :]
    assert "Pågår → Klarmarkerad" in history
    assert (world.users.reporter.get_full_name() or "reporter") in history


def test_a_change_after_approval_is_shown(world, rnd, login):
    services.mark_ready(user=world.users.reporter, round=rnd, unit=world.im)
    services.approve(user=world.users.planner, round=rnd, unit=world.im)
    url = _unit_url(world, "round_unit", "NLL-LS1-IM")
    client = login(world.users.planner)
    assert "Innehållet är detsamma som när det godkändes." in _text(client.get(url))
    # Reopening takes a reason.
    response = _act(client, world, "NLL-LS1-IM", "oppna-igen", reason="", next=url)
    assert "Ange ett skäl till att öppna igen." in _text(response)
    assert _sub(rnd, world.im).state == "approved"
    _act(client, world, "NLL-LS1-IM", "oppna-igen", reason="Fel antal besök", next=url)
    record_outcome(
        user=world.users.reporter, indicator=world.visits, unit=world.im, period=PERIOD, value=812
    )
    page = _text(client.get(url))
    assert "Ändrat efter godkännandet" in page
    assert "Fel antal besök" in page


def test_opening_with_a_deadline_before_the_opening_day_changes_nothing(world, login):
    client = login(world.users.admin)
    url = reverse("round_open", args=[world.org.code])
    data = {"period": PERIOD, "opens_on": "2022-09-10", "deadline": "2022-09-01"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Sista dag (2022-09-01) kan inte ligga före öppningsdagen (2022-09-10)." in _text(
        response
    )
    response = client.post(url, {**data, "period": "2022-DÅ13", "deadline": "2022-09-20"})
    assert response.status_code == 400
    assert "2022-DÅ13" in _text(response)
    assert not ReportingRound.objects.exists()
    # A VO's deadline after its division's.
    response = client.post(
        url,
        {**data, "deadline": "2022-09-30", "level_2": "2022-09-20", "level_3": "2022-09-25"},
    )
    assert response.status_code == 400
    assert "en lägre nivå rapporterar före den högre" in _text(response)
    assert not ReportingRound.objects.exists()
    # The form names the levels by the organisation's unit types.
    assert "Sista dag för nivå 3 (Verksamhetsområde, Vårdcentral)" in _text(response)
    response = client.post(url, {**data, "deadline": "2022-09-30", "level_3": "2022-09-20"})
    assert response.status_code == 302
    rnd = ReportingRound.objects.get()
    assert rnd.level_deadlines == {"3": "2022-09-20"}
    assert rnd.history.first().history_user == world.users.admin


def test_only_planners_of_the_top_unit_run_rounds(world, rnd, login):
    planner = login(world.users.planner)
    page = _text(planner.get(reverse("round_page", args=[world.org.code, PERIOD])))
    assert "Hantera tillfället" not in page
    response = planner.post(reverse("round_action", args=[world.org.code, PERIOD, "stang"]))
    assert response.status_code == 403
    assert ReportingRound.objects.get().state == RoundState.OPEN


def test_close_and_reopen_a_round_with_a_reason(world, rnd, login):
    client = login(world.users.admin)
    base = reverse("round_page", args=[world.org.code, PERIOD])
    client.post(reverse("round_action", args=[world.org.code, PERIOD, "stang"]))
    assert ReportingRound.objects.get().state == RoundState.CLOSED
    page = _text(client.get(base))
    assert "Stängt – uppgifterna är låsta" in page and "Öppna tillfället igen" in page
    reopen = reverse("round_action", args=[world.org.code, PERIOD, "oppna-igen"])
    response = client.post(reopen, {"reopen-reason": ""})
    assert response.status_code == 400
    assert "Ange ett skäl till att öppna igen." in _text(response)
    assert ReportingRound.objects.get().state == RoundState.CLOSED
    client.post(reopen, {"reopen-reason": "Nämnden vill ha ett rättat utfall."})
    reopened = ReportingRound.objects.get()
    assert reopened.state == RoundState.OPEN
    assert reopened.reason == "Nämnden vill ha ett rättat utfall."


def test_extending_moves_the_deadline_and_refuses_an_impossible_one(world, rnd, login, today):
    client = login(world.users.admin)
    url = reverse("round_action", args=[world.org.code, PERIOD, "forlang"])
    too_early = today - dt.timedelta(days=30)
    response = client.post(url, {"deadline": too_early.isoformat(), "reason": "x"})
    assert response.status_code == 400
    assert "kan inte ligga före öppningsdagen" in _text(response)
    assert ReportingRound.objects.get().deadline == rnd.deadline
    later = today + dt.timedelta(days=20)
    response = client.post(url, {"deadline": later.isoformat(), "reason": "Sjukdom"})
    assert response.status_code == 302
    assert ReportingRound.objects.get().deadline == later


def test_a_second_planner_approves_what_the_first_marked_ready(world, rnd, login):
    second = UserFactory(username="planner2", first_name="Per", last_name="Planerare")
    RoleAssignmentFactory(user=second, unit=world.ls1, role="planner")
    _act(login(world.users.planner), world, "NLL-LS1-NC", "klarmarkera")
    _act(login(second), world, "NLL-LS1-NC", "godkann")
    assert _sub(rnd, world.nc).approved_by == second
    page = _text(login(second).get(reverse("round_page", args=[world.org.code, PERIOD])))
    assert "Per Planerare" in page
