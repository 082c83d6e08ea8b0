import pytest

from factories import PASSWORD, build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def login(client):
    """Log the test client in as a user of the world."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def password():
    return PASSWORD
