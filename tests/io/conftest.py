import pytest
from io_world import build_io_world


@pytest.fixture
def world(db):
    return build_io_world()
