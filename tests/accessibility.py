"""axe-core in the browser tests: one check for every page a test opens.

axe is evaluated through the browser's debugging protocol (Playwright's `evaluate`), which
the pages' Content-Security-Policy does not govern, unlike a script tag: the pages are
tested with the policy they have in production."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
#: WCAG 2.1 AA, the law for Swedish public-sector sites, and axe's best practices
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page (empty when it passes)."""
    # A click on a link returns once the navigation has started: check the new page.
    page.wait_for_load_state("load")
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        # Only violations are read: collecting every passing node as well triples the
        # time axe takes on a long page.
        "async (tags) => await axe.run(document,"
        " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        TAGS,
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]
