import pytest
from django.db import transaction

from factories import RoleAssignmentFactory, UserFactory
from styrkort.demo.loader import FIXTURE_DIR, load_fixtures
from styrkort.organisation.models import OrgUnit

DEMO_FILES = [
    *sorted(FIXTURE_DIR.glob("00[1-4]-norrbotten-*.yaml")),
    FIXTURE_DIR / "20-srs-organisation.yaml",
    FIXTURE_DIR / "21-srs-plan-model.yaml",
    FIXTURE_DIR / "22-srs-indicators.yaml",
    FIXTURE_DIR / "23-srs-plan.yaml",
    *sorted(FIXTURE_DIR.glob("5*-*.yaml")),
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Norrbotten's board plan and Sörmland's Division Primärvård with the risk and
    economy fixtures of seeds 003 and 004, loaded once per module and rolled back."""
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
