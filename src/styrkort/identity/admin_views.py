"""Configuration pages (built next)."""

from django.http import Http404


def providers(request):
    raise Http404


def provider_edit(request, pk=None):
    raise Http404


def rule_edit(request, pk, rule_pk=None):
    raise Http404


def rule_delete(request, pk, rule_pk):
    raise Http404
