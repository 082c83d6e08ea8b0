"""Organisation units: read by everyone in the organisation, changed by administrators."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view

from styrkort.organisation import services
from styrkort.organisation.models import OrgUnit

from ..base import ScopedViewSet
from ..filters import OrgUnitFilterSet
from ..serializers import OrgUnitSerializer


@extend_schema_view(
    list=extend_schema(summary="Enheter i de organisationer du har en roll i"),
    create=extend_schema(summary="Skapa en enhet under en annan (administratör)"),
)
class OrgUnitViewSet(ScopedViewSet):
    """Organisation units (the tree: `parent`, `depth`; valid-from/valid-to dates).
    Writes: organisation.services.create_unit / update_unit (role "admin")."""

    queryset = OrgUnit.objects.order_by("path")
    serializer_class = OrgUnitSerializer
    filterset_class = OrgUnitFilterSet
    unit_field = ""
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.create_unit(user=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("parent", None)  # unchanged (the serializer refuses a move)
        serializer.instance = services.update_unit(
            user=self.request.user, unit=serializer.instance, **data
        )
