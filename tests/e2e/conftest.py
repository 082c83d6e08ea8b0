import pytest


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A Swedish user's browser. The interface language does not follow the browser's
    Accept-Language: it is Swedish unless the language cookie (the header's switch) says
    English; the sv-SE locale only sets the browser's own formats (dates, numbers)."""
    return {**browser_context_args, "locale": "sv-SE", "viewport": {"width": 1280, "height": 900}}
