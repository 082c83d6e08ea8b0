import pytest
from django.db import transaction

from factories import RoleAssignmentFactory, UserFactory
from styrkort.demo.loader import FIXTURE_DIR, load_fixtures
from styrkort.organisation.models import OrgUnit

DEMO_FILES = [
    FIXTURE_DIR / "001-norrbotten-organisation.yaml",
    FIXTURE_DIR / "20-srs-organisation.yaml",
    FIXTURE_DIR / "22-srs-indicators.yaml",
    *sorted(FIXTURE_DIR.glob("5[1-267]-*.yaml")),
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Norrbotten's and Sörmland's organisations with the economy fixtures of seeds 003
    and 004 (and Sörmland's indicators), loaded once per module and rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_fixtures(DEMO_FILES)
        transaction.set_rollback(True)


@pytest.fixture
def user_on(demo):
    """A user holding `role` on the unit with `code`."""

    def make(role, code):
        user = UserFactory()
        RoleAssignmentFactory(user=user, unit=OrgUnit.objects.get(code=code), role=role)
        return user

    return make
