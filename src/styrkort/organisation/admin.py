"""Organisations, their units and sites: read-only here (``styrkort.admin_base``); no
service edits them yet, the demo fixtures and the imports do."""

from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from styrkort.admin_base import ReadOnlyAdmin, ReadOnlyMixin

from .models import Organisation, OrgUnit, Site


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "tolerance_pct", "trend_epsilon_pct"]
    search_fields = ["name", "code"]


@admin.register(Site)
class SiteAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name", "code"]


@admin.register(OrgUnit)
class OrgUnitAdmin(ReadOnlyMixin, TreeAdmin):
    form = movenodeform_factory(OrgUnit)
    list_display = ["name", "code", "type", "site", "valid_from", "valid_to"]
    list_filter = ["organisation", "type", "site"]
    search_fields = ["name", "code"]
