"""What every API viewset shares: the one permission function for querysets and
writes, JSON only, limit/offset pagination, declared error responses."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import serializers, viewsets
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import JSONParser

from styrkort.organisation.models import OrgUnit
from styrkort.organisation.permissions import Action, require, restrict, scope_for

from .exceptions import api_exception_handler
from .schema import StyrkortAutoSchema


class Pagination(LimitOffsetPagination):
    default_limit = 100
    max_limit = 1000


def acting(user):
    return user if getattr(user, "is_authenticated", False) else None


def organisation_root(organisation_id: int) -> OrgUnit | None:
    """The top unit of an organisation (where organisation-wide rights are held)."""
    return OrgUnit.objects.get_root_nodes().filter(organisation_id=organisation_id).first()


def require_for_organisation(user, action: Action, organisation_id: int) -> None:
    """Organisation-wide objects (indicators) need `action` on the organisation's top unit."""
    root = organisation_root(organisation_id)
    if root is None:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Organisationen saknar enheter."))
    require(user, action, root)


ORGANISATION = "@organisation"  # objects with an organisation_id and no unit (indicators)
ORGANISATION_ITSELF = "@self"  # the Organisation model


def scoped(queryset, user, unit_field: str):
    """`queryset` limited to what `user` may view: `restrict()` by unit, or for
    organisation-wide objects by the organisations the user holds roles in."""
    if unit_field in (ORGANISATION, ORGANISATION_ITSELF):
        scope = scope_for(user)
        if scope.superuser:
            return queryset
        ids = sorted(scope.organisation_ids)
        if unit_field == ORGANISATION_ITSELF:
            return queryset.filter(pk__in=ids)
        return queryset.filter(organisation_id__in=ids)
    return restrict(queryset, user, Action.VIEW, unit_field)


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference to another object, limited to what the user may see: an id outside
    the user's organisations is 'not found' (400), never a leak."""

    def __init__(self, *, unit_field: str, **kwargs):
        self.unit_field = unit_field
        super().__init__(**kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        if request is None:
            return queryset.none()
        return scoped(queryset, request.user, self.unit_field)


class ScopedViewSet(viewsets.ModelViewSet):
    """A model viewset whose queryset is `restrict()`ed to what the user may view and
    whose writes `require()` `write_action` on the object's unit (before and after the
    change). Subclasses set `unit_field` (path to the OrgUnit) and `unit_of(obj)`."""

    unit_field: str = "unit"
    write_action: Action = Action.PLAN
    parser_classes = [JSONParser]
    pagination_class = Pagination
    schema = StyrkortAutoSchema()
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_exception_handler(self):
        return api_exception_handler

    def base_queryset(self):
        return self.queryset.all()

    def get_queryset(self):
        return scoped(self.base_queryset(), self.request.user, self.unit_field)

    # --- permissions on writes ----------------------------------------------------

    def unit_of(self, obj) -> OrgUnit:
        return obj.unit

    def unit_of_data(self, data: dict, instance=None) -> OrgUnit:
        """The unit a write will concern, from validated data (and the current object)."""
        raise NotImplementedError

    def check_write(self, unit) -> None:
        require(self.request.user, self.write_action, unit)

    def perform_create(self, serializer):
        self.check_write(self.unit_of_data(serializer.validated_data))
        with transaction.atomic():
            serializer.save()

    def perform_update(self, serializer):
        self.check_write(self.unit_of(serializer.instance))
        self.check_write(self.unit_of_data(serializer.validated_data, serializer.instance))
        with transaction.atomic():
            serializer.save()

    def perform_destroy(self, instance):
        self.check_write(self.unit_of(instance))
        with transaction.atomic():
            instance._history_user = acting(self.request.user)
            instance.delete()


class HistoryModelSerializer(serializers.ModelSerializer):
    """A model serializer that validates the model itself (field rules, check and
    unique constraints: 400, never an IntegrityError) and records the acting user in
    the history."""

    def _acting(self):
        request = self.context.get("request")
        return acting(getattr(request, "user", None))

    def _full_clean(self, instance, exclude=()):
        from django.core.exceptions import ValidationError as DjangoValidationError

        try:
            instance.full_clean(exclude=list(exclude))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc

    def _split_m2m(self, validated_data):
        model = self.Meta.model
        m2m = {}
        for field in model._meta.many_to_many:
            if field.name in validated_data:
                m2m[field.name] = validated_data.pop(field.name)
        return m2m

    def create(self, validated_data):
        m2m = self._split_m2m(validated_data)
        instance = self.Meta.model(**validated_data)
        self.before_save(instance, created=True)
        self._full_clean(instance, self.clean_exclude())
        instance._history_user = self._acting()
        instance.save()
        for name, value in m2m.items():
            getattr(instance, name).set(value)
        return instance

    def update(self, instance, validated_data):
        m2m = self._split_m2m(validated_data)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        self.before_save(instance, created=False)
        self._full_clean(instance, self.clean_exclude())
        instance._history_user = self._acting()
        instance.save()
        for name, value in m2m.items():
            getattr(instance, name).set(value)
        return instance

    def before_save(self, instance, created: bool) -> None:
        """Hook: derive fields before validation."""

    def clean_exclude(self) -> tuple[str, ...]:
        return ()
