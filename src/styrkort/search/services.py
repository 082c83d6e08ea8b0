"""Search across what a user may see: units, indicators, goals, activities, plans and
analyses, matched on folded text (accents and case ignored), grouped by kind and
sorted in Swedish order within each kind."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from styrkort.organisation.permissions import Action, scope_for

from .folding import query_terms
from .models import Kind, SearchEntry

MIN_QUERY_CHARS = 2
PER_KIND = 20
MAX_QUERY_CHARS = 200


@dataclass
class SearchGroup:
    kind: str
    label: str
    entries: list[SearchEntry]
    more: bool  # more matches than shown


@dataclass
class SearchResults:
    query: str
    terms: list[str]
    groups: list[SearchGroup] = field(default_factory=list)

    @property
    def too_short(self) -> bool:
        """Something was asked, but too little to search for (after folding)."""
        return bool(self.query.strip()) and sum(len(t) for t in self.terms) < MIN_QUERY_CHARS

    @property
    def count(self) -> int:
        return sum(len(g.entries) for g in self.groups)


def visible_entries(user):
    """The index rows `user` may see: those of organisations they may view, and of draft
    plans only where they may plan the plan's unit (as the plan pages do)."""
    scope = scope_for(user)
    qs = SearchEntry.objects.all()
    if scope.superuser:
        return qs
    qs = qs.filter(organisation_id__in=sorted(scope.organisation_ids))
    drafts = Q(draft_path="")
    for path in scope.paths[Action.PLAN]:
        drafts |= Q(draft_path__startswith=path)
    return qs.filter(drafts)


def search(user, query: str, *, per_kind: int = PER_KIND) -> SearchResults:
    """Entries matching every word of `query` (folded), at most `per_kind` per kind."""
    query = " ".join(str(query or "").split())[:MAX_QUERY_CHARS]
    terms = query_terms(query)
    results = SearchResults(query=query, terms=terms)
    if results.too_short or not terms:
        return results
    qs = visible_entries(user)
    for term in terms:
        qs = qs.filter(folded__contains=term)
    # One query per kind, in Swedish order, stopping at `per_kind + 1`: the index on
    # (kind, sort_key, object_id) is read in order, so a word that matches thousands of
    # analyses costs no sort of them all.
    for kind in Kind:
        found = list(
            qs.filter(kind=kind)
            .order_by("sort_key", "object_id")
            .only("kind", "title", "code", "context", "excerpt", "url")[: per_kind + 1]
        )
        if found:
            results.groups.append(
                SearchGroup(kind, str(kind.label), found[:per_kind], len(found) > per_kind)
            )
    return results
