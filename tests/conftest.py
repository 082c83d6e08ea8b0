import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM inside Playwright tests

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing(django_test_environment):
    """Tests create many users; the production hasher is slow on purpose."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _write_guard(django_test_environment):
    """Requests and imports may write domain tables only through services
    (styrkort.writes): a direct save, delete, bulk write or update raises."""
    from django.conf import settings

    settings.STYRKORT_WRITE_GUARD = True


@pytest.fixture(autouse=True, scope="session")
def _versions_per_test_process(django_test_environment):
    """The scorecard's data versions live in the cache every worker shares (files under
    the var directory); test processes running side by side have databases of their own
    with the same unit paths, so each keeps its versions (and its rendered pages) to
    itself."""
    from styrkort.followup import versions
    from styrkort.web.views import scorecard

    versions.VERSIONS_CACHE = "default"
    scorecard.PAGES_CACHE = "default"


@pytest.fixture(autouse=True)
def _default_language():
    """A request activates its language for the thread and leaves it active (as Django's
    LocaleMiddleware does); each test starts and ends in the default language, so that
    an English request in one test does not answer the next test in English."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rendered pages are cached under a data-version token; a rolled-back test can reuse
    ids, so each test starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The accessibility report form counts reports per address in the shared file cache
    (styrkort.web.ratelimit): each test starts with none counted from the test client."""
    from styrkort.web import ratelimit

    ratelimit.forget("barrier-report", "127.0.0.1")


# --- shared data: the small world and the seed demo ---------------------------------------
#
# Both are written once per test module inside a transaction that is rolled back when the
# module ends; each test runs in a savepoint inside it (pytest-django's `db`), so what a
# test writes is undone after the test and the module's data after the module. That is
# only sound when every database test of the module asks for the data, and none needs
# real transactions (`django_db(transaction=True)`, `transactional_db`, `live_server`):
# a test that does not ask would see rows it did not ask for, and a transaction cannot
# be shared. In any other module the world is built for each test, as before, and
# `demo` refuses.


def _uses_db(item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    return item.get_closest_marker("django_db") is not None or bool(
        names & {"db", "transactional_db"}
    )


def _needs_transactions(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    names = set(getattr(item, "fixturenames", ()))
    return bool(names & {"transactional_db", "live_server", "django_db_serialized_rollback"})


def _module_shares(request, fixture: str) -> bool:
    """Whether `fixture`'s data may be written once for the whole module."""
    items = [i for i in request.session.items if getattr(i, "module", None) is request.module]
    return not any(_needs_transactions(i) for i in items) and all(
        fixture in i.fixturenames for i in items if _uses_db(i)
    )


@pytest.fixture(scope="module")
def world_options(request):
    """Keyword arguments of `worlds.build_world` for this module: its `WORLD = {...}`, or
    what the directory's conftest.py says (`{"plans": False}` for the import and API
    tests, which write plans and outcomes themselves)."""
    return dict(getattr(request.module, "WORLD", {}))


@pytest.fixture(scope="module")
def _module_world(request, world_options, django_db_setup, django_db_blocker):
    """The world of this module, or None where it cannot be shared (see above)."""
    from django.db import transaction

    from worlds import build_world

    if not _module_shares(request, "world"):
        yield None
        return
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world(**world_options)
        transaction.set_rollback(True)


@pytest.fixture
def world(_module_world, world_options, db):
    """`worlds.build_world()`: a small Region Norrbotten with seed 001's numbers, its
    units, indicators, plans and one user per role. The rows are the module's; each test
    gets its own copy of the objects (as Django's TestCase.setUpTestData does), so that
    what a test changes in them does not reach the next."""
    import copy

    from worlds import build_world

    if _module_world is None:
        return build_world(**world_options)
    return copy.deepcopy(_module_world)


@pytest.fixture(scope="module")
def demo(request, django_db_setup, django_db_blocker):
    """Seed fixture files loaded once per module (`worlds.DEMO_FILES`, or the module's own
    `DEMO_FILES`); yields the loader's counts."""
    from django.db import transaction

    from styrkort.demo.loader import load_fixtures
    from worlds import DEMO_FILES

    if not _module_shares(request, "demo"):
        pytest.fail(
            "demo is loaded once per module: every database test of the module must use it, "
            "and none may need transactions"
        )
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_fixtures(getattr(request.module, "DEMO_FILES", DEMO_FILES))
        transaction.set_rollback(True)


@pytest.fixture
def user_on(db):
    """A user holding `role` on the unit with `code` (another user per call)."""
    from factories import RoleAssignmentFactory, UserFactory
    from styrkort.organisation.models import OrgUnit

    def make(role, code, username=None):
        user = UserFactory(**({"username": username} if username else {}))
        RoleAssignmentFactory(user=user, unit=OrgUnit.objects.get(code=code), role=role)
        return user

    return make


@pytest.fixture
def login(client):
    """Log the test client in as `user`."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def password():
    from factories import PASSWORD

    return PASSWORD
