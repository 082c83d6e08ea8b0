import sys
from pathlib import Path

import pytest
from django.db import transaction

from styrkort.demo.loader import FIXTURE_DIR, load_fixtures

sys.path.insert(0, str(Path(__file__).parent))  # sample.py

#: Seed 001 (Norrbotten, Division Länssjukvård 1) and seed 003 (Sörmland, Division
#: Primärvård) with the economy and risk fixtures.
DEMO_FILES = [
    *sorted(FIXTURE_DIR.glob("0[0-9][0-9]-norrbotten-*.yaml")),
    *sorted(FIXTURE_DIR.glob("2[0-9]-srs-*.yaml")),
    *sorted(FIXTURE_DIR.glob("5*-*.yaml")),
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The seed demo of Norrbotten and Sörmland, loaded once per module and rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_fixtures(DEMO_FILES)
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def ls1(demo, django_db_blocker):
    from styrkort.organisation.lookup import find_unit

    with django_db_blocker.unblock():
        return find_unit("NLL-LS1")


@pytest.fixture(scope="module")
def srs_pv(demo, django_db_blocker):
    from styrkort.organisation.lookup import find_unit

    with django_db_blocker.unblock():
        return find_unit("SRS-PV")
