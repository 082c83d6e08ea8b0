"""A write makes stale only the cached scorecards that depend on it: the page of a unit
follows its own subtree's data, the plans of the unit and its ancestors and its
organisation's settings, and stays cached (and cheap) while other divisions and regions
report."""

import re

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from styrkort.followup.models import Sex
from styrkort.followup.services import OutcomeInput, bulk_upsert_outcomes, record_outcome
from styrkort.followup.versions import page_version
from styrkort.io.writers import OutcomeWriter
from styrkort.metrics import SCORECARD_PAGES
from styrkort.periods import parse_period

URL = reverse("scorecard", args=["NLL-LS1"]) + "?period=2022-DÅ04"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _rendered() -> float:
    return SCORECARD_PAGES.labels("rendered")._value.get()


def _view(client) -> tuple[str, bool]:
    """The page and whether it was built afresh (not served from the page cache)."""
    before = _rendered()
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode(), _rendered() > before


def _write(world, unit, value=1234):
    """An outcome saved by an administrator of the unit's region."""
    if unit.organisation_id == world.org.pk:
        admin, indicator = world.users.admin, world.visits
    else:
        from factories import IndicatorFactory

        admin, indicator = _other_admin(world), IndicatorFactory(organisation=unit.organisation)
    record_outcome(indicator=indicator, unit=unit, period="2022-DÅ04", value=value, user=admin)


def _other_admin(world):
    from django.contrib.auth import get_user_model

    from styrkort.accounts.models import Role
    from worlds import _user

    found = get_user_model().objects.filter(username="srs-admin").first()
    return found or _user("srs-admin", Role.ADMIN, world.other)


@pytest.fixture
def reader(world, login):
    client = login(world.users.reader)
    _view(client)
    assert _view(client)[1] is False  # cached from here on
    return client


@pytest.mark.django_db
def test_write_in_the_unit_shows_at_once(world, reader):
    _write(world, world.ls1, 31180)
    page, fresh = _view(reader)
    assert fresh and "31\u00a0180" in page


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["im", "nc"])
def test_write_in_a_unit_below_makes_the_page_fresh(world, reader, where):
    before = page_version(world.ls1)
    _write(world, getattr(world, where))
    assert page_version(world.ls1) != before
    assert _view(reader)[1] is True


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["ls2", "pv", "region", "other"])
def test_write_elsewhere_keeps_the_page_cached(world, reader, where):
    """A sibling division, the region's own figures, another region."""
    before = page_version(world.ls1)
    _write(world, getattr(world, where))
    assert page_version(world.ls1) == before
    assert _view(reader)[1] is False


@pytest.mark.django_db
def test_sibling_write_makes_the_region_page_fresh(world, reader):
    before = page_version(world.region)
    _write(world, world.ls2)
    assert page_version(world.region) != before


@pytest.mark.django_db
def test_bulk_writes_touch_only_the_units_they_write(world, reader):
    period = parse_period("2022-DÅ04")

    def row(unit, value):
        return OutcomeInput(
            indicator=world.visits, unit=unit, period=period, sex=Sex.TOTAL, value=value
        )

    bulk_upsert_outcomes([row(world.ls2, 5), row(world.pv, 6)], user=world.users.admin)
    assert _view(reader)[1] is False
    bulk_upsert_outcomes([row(world.ls2, 7), row(world.im, 8)], user=world.users.admin)
    assert _view(reader)[1] is True
    # The import writer (set-based, no signals) likewise.
    with transaction.atomic():
        writer = OutcomeWriter(use_copy=False)
        writer.add(row(world.ls2, 9))
        writer.finish()
    assert _view(reader)[1] is False
    with transaction.atomic():
        writer = OutcomeWriter(use_copy=False)
        writer.add(row(world.nc, 10))
        writer.finish()
    assert _view(reader)[1] is True


@pytest.mark.django_db
def test_plan_changes_make_the_page_fresh(world, reader):
    from styrkort.planning.models import Goal, Plan

    own = Goal.objects.filter(plan__unit=world.ls1).first()
    own.name = "Tillgänglig vård för alla"
    own.save()
    page, fresh = _view(reader)
    assert fresh and "Tillgänglig vård för alla" in page
    # The region's plan governs the division: its change counts too.
    board = Plan.objects.get(unit=world.region)
    board.name = "Regionplan 2022 (reviderad)"
    board.save()
    assert _view(reader)[1] is True
    # Another division's plan does not.
    world.ls2_target.text = "Öka med 5 procent"
    world.ls2_target.save()
    from factories import PlanFactory

    PlanFactory(unit=world.pv, plan_model=board.plan_model, code="pv-2022")
    assert _view(reader)[1] is False


@pytest.mark.django_db
def test_organisation_settings_and_tree_make_the_page_fresh(world, reader):
    world.org.economy_unit = "mnkr"
    world.org.save()
    assert _view(reader)[1] is True
    world.ls2.name = "Division Länssjukvård Två"
    world.ls2.save()  # the tree (menus, breadcrumbs) of the organisation
    assert _view(reader)[1] is True
    world.other.name = "Region Sörmland (ny)"
    world.other.organisation.name = "Region Sörmland (ny)"
    world.other.organisation.save()
    assert _view(reader)[1] is False


@pytest.mark.django_db
def test_a_lost_version_is_replaced_not_reused(world, reader):
    from django.core.cache import caches

    from styrkort.followup.versions import VERSIONS_CACHE

    before = page_version(world.ls1)
    caches[VERSIONS_CACHE].delete(f"v:sub:{world.ls1.path}")
    assert page_version(world.ls1) != before
    assert _view(reader)[1] is True


@pytest.mark.django_db
def test_activity_goals_and_kolada_values_make_the_page_fresh(world, reader):
    from styrkort.comparisons.models import ComparisonValue
    from styrkort.planning.models import Activity, Goal

    activity = Activity.objects.filter(plan__unit=world.ls1).first()
    goal = Goal.objects.filter(plan=activity.plan).exclude(activities=activity).first()
    activity.goals.add(goal)  # a many-to-many change, no post_save of the activity
    assert _view(reader)[1] is True
    # Kolada's published values are shown beside every organisation's indicators.
    ComparisonValue.objects.create(
        source="kolada",
        kpi="N79221",
        area="0025",
        year=2022,
        sex="total",
        value=51.0,
        fetched_at=timezone.now(),
    )
    assert _view(reader)[1] is True


@pytest.mark.django_db
def test_a_whole_installation_change_makes_every_page_fresh(world):
    """A demo load or a migration (post_migrate) may rewrite anything."""
    from styrkort.followup import versions

    before = {u: page_version(u) for u in (world.ls1, world.other)}
    with versions.batch():
        versions.touch_units([world.ls2])
        versions.touch_everything()
    assert all(page_version(u) != v for u, v in before.items())


@pytest.fixture
def shared_pages(monkeypatch, tmp_path, settings):
    """The caches the server's workers share, as in production without Redis: files, here
    in a directory of the test's own, for the rendered pages and the data versions."""
    from django.core.cache import caches

    from styrkort.followup import versions
    from styrkort.web.views import scorecard

    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "styrkort.filecache.FileCache",
            "LOCATION": str(tmp_path / "pages"),
        },
    }
    monkeypatch.setattr(scorecard, "PAGES_CACHE", "pages")
    monkeypatch.setattr(versions, "VERSIONS_CACHE", "pages")
    yield caches["pages"]
    caches["pages"].clear()


def _without_csrf(page: str) -> str:
    """The page without this request's CSRF tokens (64 characters, new on each view)."""
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "", page)


@pytest.mark.django_db
def test_one_rendering_after_a_write_serves_every_worker(world, login, shared_pages):
    """Each worker process has its own memory; what one worker rendered another reads
    from the shared cache instead of rendering the page again, and a write still makes
    the page fresh for all of them."""
    client = login(world.users.reader)
    page, fresh = _view(client)
    assert fresh
    cache.clear()  # another worker process: nothing in its memory
    again, fresh = _view(client)
    assert not fresh and _without_csrf(again) == _without_csrf(page)
    _write(world, world.ls1, 31180)
    cache.clear()
    page, fresh = _view(client)
    assert fresh and "31\u00a0180" in page
    cache.clear()
    again, fresh = _view(client)
    assert not fresh and "31\u00a0180" in again
