import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # sample.py

# `demo` (tests/conftest.py) loads worlds.DEMO_FILES: seeds 001 and 003 with the economy
# and risk fixtures.


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
