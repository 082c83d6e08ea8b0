import pytest


@pytest.fixture(scope="module")
def world_options():
    """The import tests write plans and outcomes themselves: a world without plans."""
    return {"plans": False}
