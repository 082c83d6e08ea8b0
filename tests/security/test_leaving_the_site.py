"""A form's answer that redirects to another site (signing out sends the browser on to the
identity provider's single logout) would be blocked by the policy's `form-action 'self'`:
Chromium checks each redirect of a form submission. Styrkort answers such a redirect
with a page that goes there itself, to a browser submitting a page's form (`Sec-Fetch-Mode:
navigate`); a redirect within the site, htmx's requests, the API and other clients get the
redirect as it is."""

from urllib.parse import quote

import pytest

pytestmark = pytest.mark.urls("security_leave_urls")

IDP = "https://idp.example.se/logout?id_token_hint=abc&post_logout_redirect_uri=x'y"
FORM = {"HTTP_SEC_FETCH_MODE": "navigate", "HTTP_SEC_FETCH_DEST": "document"}


def test_a_redirect_to_another_site_becomes_a_page_that_goes_there(client):
    response = client.post("/test/lamna/", {"to": IDP}, **FORM)
    assert response.status_code == 200
    html = response.content.decode()
    escaped = IDP.replace("&", "&amp;").replace("'", "&#x27;")
    assert f'<meta http-equiv="refresh" content="0; url=\'{escaped}\'">' in html
    assert f'<a href="{escaped}">Fortsätt</a>' in html
    assert "Du skickas vidare till idp.example.se." in html
    assert "form-action 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("to", "status", "extra"),
    [
        ("/tillganglighet/", 302, FORM),  # this site, as a path
        ("http://testserver/tillganglighet/", 302, FORM),  # this site, in full
        (IDP, 307, FORM),  # a 307 posts again: not turned into a GET
        (IDP, 302, {"HTTP_SEC_FETCH_MODE": "cors", "HTTP_HX_REQUEST": "true"}),  # htmx
        (IDP, 302, {}),  # not a browser (a script, single logout's tests in tests/identity)
    ],
)
def test_other_redirects_are_left_alone(client, to, status, extra):
    response = client.post("/test/lamna/", {"to": to, "status": status}, **extra)
    assert response.status_code == status
    assert response["Location"] == to


def test_an_allowed_form_action_is_left_alone(client, settings):
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**directives, "form-action": ["'self'", "https://idp.example.se"]}
    }
    response = client.post("/test/lamna/", {"to": IDP}, **FORM)
    assert response.status_code == 302


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_chromium_reaches_the_other_site(live_server, page):
    """The other site is the same server under another name (localhost, not 127.0.0.1)."""
    assert live_server.url.startswith("http://localhost:")
    server = live_server.url.replace("localhost", "127.0.0.1")
    other = live_server.url + "/tillganglighet/"
    blocked = []
    page.on("console", lambda message: blocked.append(message.text))

    page.goto(f"{server}/test/lamna/?to={quote(other)}&status=307")  # left alone: blocked
    page.get_by_role("button", name="Skicka").click()
    page.wait_for_timeout(500)
    assert page.url.startswith(server)
    assert any("form-action" in text for text in blocked)

    page.goto(f"{server}/test/lamna/?to={quote(other)}")
    page.get_by_role("button", name="Skicka").click()
    page.wait_for_url(other)
    assert page.get_by_role("heading", name="Tillgänglighetsredogörelse").is_visible()
