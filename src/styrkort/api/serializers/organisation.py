"""Organisation units."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.relations import PKOnlyObject

from styrkort.organisation.models import OrgUnit

from ..base import ModelRulesSerializer, ScopedRelatedField


@extend_schema_field(OpenApiTypes.INT)
class ParentField(ScopedRelatedField):
    """The parent unit's id; read from the materialised path with one query per page."""

    def use_pk_only_optimization(self):
        return False

    def get_attribute(self, instance):
        if instance.depth <= 1:
            return None
        cache = self.context.setdefault("_parent_ids", {})
        key = instance.path[: -OrgUnit.steplen]
        if key not in cache:
            listed = getattr(self.root, "instance", None)
            siblings = listed if isinstance(listed, list | tuple) else [instance]
            paths = {u.path[: -OrgUnit.steplen] for u in siblings if u.depth > 1} | {key}
            cache.update(OrgUnit.objects.filter(path__in=paths).values_list("path", "id"))
        pk = cache.get(key)
        return None if pk is None else PKOnlyObject(pk=pk)

    def to_representation(self, value):
        return value.pk


class OrgUnitSerializer(ModelRulesSerializer):
    check_constraints = False  # the service checks them, naming the field
    parent = ParentField(
        unit_field="",
        queryset=OrgUnit.objects.all(),
        required=False,
        allow_null=True,
        help_text="Överordnad enhet (krävs när en enhet skapas; flyttas inte via API:t).",
    )

    class Meta:
        model = OrgUnit
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "type",
            "organisation",
            "parent",
            "depth",
            "valid_from",
            "valid_to",
            "note",
        ]
        read_only_fields = ["organisation", "depth"]

    def validate(self, attrs):
        parent = attrs.get("parent")
        if self.instance is None and parent is None:
            raise serializers.ValidationError({"parent": _("Ange den överordnade enheten.")})
        if self.instance is not None and "parent" in attrs:
            current = OrgUnit.objects.get_parent(self.instance)
            if (current.pk if current else None) != (parent.pk if parent else None):
                raise serializers.ValidationError(
                    {"parent": _("En enhet flyttas i administrationen, inte via API:t.")}
                )
        return attrs

    def prepare(self, obj, attrs):
        if obj.pk is None:
            obj.organisation_id = attrs["parent"].organisation_id

    def clean_exclude(self):
        return ("path", "depth", "numchild")
