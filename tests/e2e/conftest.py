import pytest


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A Swedish user's browser: the interface language follows Accept-Language."""
    return {**browser_context_args, "locale": "sv-SE", "viewport": {"width": 1280, "height": 900}}
