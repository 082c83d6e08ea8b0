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


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rendered pages are cached under a data-version token; a rolled-back test can reuse
    ids, so each test starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
