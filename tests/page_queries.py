"""The number of SQL queries a page takes as built, for the tests that show it does not
grow with the number of units, indicators or activities."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_queries(client, url: str) -> int:
    """The queries of one view of `url`, built afresh (not a cached rendering)."""
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)
