"""On a phone the wide tables scroll sideways in their box: each scroller the keyboard
must reach becomes a named, focusable region while it overflows, and stops being one when
the screen is wide enough (axe-core's scrollable-region-focusable finds nothing)."""

import pytest
from test_web import PAGES, login

from accessibility import axe_violations

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _scrollers(page) -> list[dict]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.table-wrap')).map(w => ({
            overflows: w.scrollWidth > w.clientWidth + 1,
            tabindex: w.getAttribute('tabindex'),
            role: w.getAttribute('role'),
            label: w.getAttribute('aria-label') || w.getAttribute('aria-labelledby')}))"""
    )


def test_wide_tables_are_keyboard_regions_on_a_phone(world, page, live_server):
    login(page, live_server, "planner")
    page.set_viewport_size({"width": 375, "height": 812})
    checked = 0
    for name, path in PAGES:
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        for wrap in _scrollers(page):
            if wrap["overflows"]:
                checked += 1
                assert (wrap["tabindex"], wrap["role"]) == ("0", "region"), (name, wrap)
                assert wrap["label"], name
        ids = {v["id"] for v in axe_violations(page)}
        assert "scrollable-region-focusable" not in ids, name
    assert checked > 0  # at 375 px some table does scroll sideways

    page.goto(live_server.url + PAGES[1][1])  # the scorecard, wide again
    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_timeout(400)  # the resize handler waits 150 ms
    managed = page.evaluate(
        "() => document.querySelectorAll('.table-wrap[data-scroll-region]').length"
    )
    overflowing = sum(w["overflows"] for w in _scrollers(page))
    assert managed == overflowing
