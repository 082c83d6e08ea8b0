import sys
from pathlib import Path

import pytest
from rest_framework.test import APIClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io"))

from io_world import build_io_world  # noqa: E402


@pytest.fixture
def world(db):
    return build_io_world()


@pytest.fixture
def client_for(world):
    """An API client authenticated as one of the world's users (by name), or anonymous."""

    def make(name: str | None) -> APIClient:
        client = APIClient()
        if name is not None:
            client.force_authenticate(getattr(world.users, name))
        return client

    return make
