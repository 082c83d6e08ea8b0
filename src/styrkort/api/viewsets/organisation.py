"""Organisation units: read by everyone in the organisation, changed by administrators."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view

from styrkort.organisation.models import OrgUnit
from styrkort.organisation.permissions import Action

from ..base import ScopedViewSet
from ..filters import OrgUnitFilterSet
from ..serializers import OrgUnitSerializer


@extend_schema_view(
    list=extend_schema(summary="Enheter i de organisationer du har en roll i"),
    create=extend_schema(summary="Skapa en enhet under en annan (administratör)"),
)
class OrgUnitViewSet(ScopedViewSet):
    """Organisation units (the tree: `parent`, `depth`; valid-from/valid-to dates)."""

    queryset = OrgUnit.objects.order_by("path")
    serializer_class = OrgUnitSerializer
    filterset_class = OrgUnitFilterSet
    unit_field = ""
    write_action = Action.ADMIN
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def unit_of(self, obj):
        return obj

    def unit_of_data(self, data, instance=None):
        return data.get("parent") or instance
