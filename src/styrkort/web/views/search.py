"""Search (/sok/): the header's search box leads here; results grouped by kind."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from styrkort.search.services import search


@login_required
def search_page(request):
    query = request.GET.get("q", "")
    results = search(request.user, query)
    return render(
        request,
        "web/search.html",
        {"results": results, "query": results.query, "too_short": results.too_short},
    )
