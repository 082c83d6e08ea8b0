"""Every answer carries a Content-Security-Policy without inline script or style and a
Permissions-Policy; no template has an inline script, an event-handler attribute or a
style attribute that the policy would block; the API documentation is served from the
app (no CDN, no inline script) to signed-in users only, and the schema to authenticated
requests only."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import styrkort

SRC = Path(styrkort.__file__).parent


def _policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_pages_and_the_api_carry_the_policies(world, client):
    for response in (client.get("/logga-in/"), client.get("/api/units/")):
        policy = _policy(response)
        assert policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        assert policy["default-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert "unsafe" not in response["Content-Security-Policy"]
        permissions = response["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
            assert feature in permissions


INLINE = [
    (re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"), "script"),
    (re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I), "event handler"),
    (re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"<style\b", re.I), "style element"),
    (re.compile(r"\bhx-on\b|hx-on:|\bjs:", re.I), "htmx eval"),
]


def test_no_template_has_inline_script_or_style():
    found = []
    for template in sorted(SRC.glob("*/templates/**/*.html")):
        text = template.read_text()
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{template.relative_to(SRC)}:{line}: {what}")
    assert found == []


def test_the_api_documentation_needs_sign_in(world, client):
    response = client.get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"] == "/logga-in/?next=/api/docs/"
    for path in ("/api/schema/", "/api/schema/?format=json"):
        schema = client.get(path)
        assert schema.status_code == 401
        assert b"detail" in schema.content and b"paths" not in schema.content


def test_the_api_documentation_loads_everything_from_the_app(world, client):
    client.force_login(world.users.reader)
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<div id="swagger-ui"></div>' in html
    addresses = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(addresses) >= 5  # icon, 2 stylesheets, 3 scripts
    for address in addresses:
        assert not urlsplit(address).netloc, address  # nothing from another host
        assert address.startswith(("/static/", "/api/docs/?")), address
    for pattern, what in INLINE[:4]:
        assert not pattern.search(html), what

    [init] = [a for a in addresses if a.startswith("/api/docs/?")]
    script = client.get(init.replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
    assert '"/api/schema/"' in script.content.decode()

    bundle = next(a for a in addresses if a.endswith("swagger-ui-bundle.js"))
    served = client.get(bundle)
    assert served.status_code == 200
    assert b"".join(served.streaming_content)[:200]

    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200 and schema.json()["info"]["title"] == "Styrkort API"
