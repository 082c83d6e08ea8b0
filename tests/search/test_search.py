"""Search: accents and case folded both ways, Swedish order, what the pages show to
whom (drafts to planners only, nothing of another organisation), and the page."""

import pytest
from django.urls import reverse

from factories import AnalysisFactory, IndicatorFactory, PlanFactory
from styrkort.search.folding import fold, query_terms, sort_key
from styrkort.search.index import rebuild
from styrkort.search.models import SearchEntry
from styrkort.search.services import search


def test_folding_and_swedish_order():
    assert fold("Återinskrivningar  Ö-vik Æble") == "aterinskrivningar o-vik aeble"
    assert query_terms(" återinsk  ") == ["aterinsk"]
    names = ["Örebro", "Åre", "Älvsbyn", "Ystad", "Zeta", "Ödla", "Émile", "emil", "Adam"]
    assert sorted(names, key=sort_key) == [
        "Adam", "emil", "Émile", "Ystad", "Zeta", "Åre", "Älvsbyn", "Ödla", "Örebro",
    ]  # fmt: skip
    assert all(ch.isdigit() for ch in sort_key("Åre 2"))


@pytest.fixture
def indexed(world):
    IndicatorFactory(organisation=world.org, code="aterinskrivningar", name="Återinskrivningar")
    IndicatorFactory(organisation=world.org, code="ovrigt", name="Övriga återbesök")
    IndicatorFactory(organisation=world.org, code="alfa", name="Åtgärder")
    IndicatorFactory(organisation=world.other_org, code="srs-ater", name="Återinskrivningar SRS")
    rebuild()
    return world


def _titles(results, kind):
    return [e.title for g in results.groups if g.kind == kind for e in g.entries]


@pytest.mark.parametrize("query", ["aterinskriv", "återinsk", "ÅTERINSKRIVNINGAR", "Aterinskr"])
def test_finds_the_indicator_whatever_the_accents(indexed, query):
    found = _titles(search(indexed.users.reader, query), "indicator")
    assert "Återinskrivningar" in found
    assert "Återinskrivningar SRS" not in found  # another organisation


def test_finds_a_unit_by_code_and_an_indicator_by_code(indexed):
    results = search(indexed.users.reader, "nll-ls1-im")
    assert _titles(results, "unit") == ["VO Internmedicin"]
    found = _titles(search(indexed.users.reader, "aterinskrivningar"), "indicator")
    assert found == [
        "Oplanerade återinskrivningar inom 30 dagar för personer 65 år eller äldre",
        "Återinskrivningar",
    ]


def test_results_are_grouped_and_in_swedish_order(indexed):
    results = search(indexed.users.reader, "a")
    assert results.groups == []  # one letter is too little
    found = _titles(search(indexed.users.reader, "at"), "indicator")
    swedish = [t for t in found if t[0] in "OÅÖ"]
    assert swedish == [  # O, then å, ä and ö last
        "Oplanerade återinskrivningar inom 30 dagar för personer 65 år eller äldre",
        "Återinskrivningar",
        "Åtgärder",
        "Övriga återbesök",
    ]
    kinds = [g.kind for g in search(indexed.users.admin, "vård").groups]
    assert kinds == sorted(
        kinds, key=["unit", "indicator", "goal", "activity", "plan", "analysis"].index
    )


def test_drafts_only_for_planners_and_analyses_by_text(indexed):
    world = indexed
    PlanFactory(
        unit=world.ls1, plan_model=world.plan.plan_model, code="ls1-2023-utkast",
        name="Utkast till verksamhetsplan 2023", state="draft", start_year=2023, end_year=2023,
    )  # fmt: skip
    AnalysisFactory(
        unit=world.ls1,
        indicator=world.visits,
        text="Läkarbesöken ökade efter sommarens rekrytering.",
    )
    rebuild()
    assert _titles(search(world.users.planner, "utkast 2023"), "plan")
    assert not _titles(search(world.users.reader, "utkast 2023"), "plan")
    assert not _titles(search(world.users.outsider, "utkast 2023"), "plan")
    analyses = search(world.users.reader, "rekrytering sommarens")
    assert _titles(analyses, "analysis") == ["Antal läkarbesök"]
    assert "rekrytering" in analyses.groups[0].entries[0].excerpt


def test_a_write_is_indexed_when_it_commits(world, django_capture_on_commit_callbacks):
    rebuild()
    with django_capture_on_commit_callbacks(execute=True):
        indicator = IndicatorFactory(organisation=world.org, code="nytt", name="Ny indikator")
    assert SearchEntry.objects.filter(kind="indicator", object_id=indicator.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        indicator.delete()
    assert not SearchEntry.objects.filter(kind="indicator", object_id=indicator.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        world.im.code = "NLL-LS1-IMX"
        world.im.save()
    entry = SearchEntry.objects.get(kind="unit", object_id=world.im.pk)
    assert entry.url == reverse("scorecard", args=["NLL-LS1-IMX"])


def test_the_search_page(indexed, login):
    client = login(indexed.users.reader)
    page = client.get(reverse("search"), {"q": "återinsk"}).content.decode()
    assert '<h2 id="sok-indicator" tabindex="-1">Indikatorer</h2>' in page
    assert "Återinskrivningar" in page and "Återinskrivningar SRS" not in page
    assert 'role="search"' in page and 'name="q"' in page
    assert "Skriv minst två tecken." in client.get(reverse("search"), {"q": "å"}).content.decode()
