"""What every API viewset shares: the one permission function for querysets, writes
only through service functions, JSON only, limit/offset pagination, declared error
responses, and no lost update: an ETag on every object read and If-Match on every
change and delete of one object (styrkort.concurrency)."""

from __future__ import annotations

import copy

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework import serializers, viewsets
from rest_framework.fields import empty
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from styrkort.concurrency import (
    StaleVersionError,
    check_version,
    etag,
    parse_if_match,
    version_of,
)
from styrkort.organisation.permissions import Action, restrict, scope_for

from .exceptions import PreconditionRequired, api_exception_handler
from .schema import StyrkortAutoSchema


class Pagination(LimitOffsetPagination):
    default_limit = 100
    max_limit = 1000


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


#: The viewset hook that must call a service for each HTTP method that writes.
WRITE_HOOKS = {
    "post": "perform_create",
    "put": "perform_update",
    "patch": "perform_update",
    "delete": "perform_destroy",
}


def _lock_submission_first(instance) -> None:
    """Take the locks in the services' order: a follow-up row (an outcome, analysis,
    assessment or activity report) is written after its unit's submission row is locked
    (rounds.locks.ensure_writable); locking the row first here would deadlock against a
    save from the pages. The lock itself is decided again by the service."""
    from styrkort.periods import parse_period
    from styrkort.rounds.locks import lock_reason

    unit = getattr(instance, "unit", None)
    period = getattr(instance, "period", None)
    if unit is None or not isinstance(period, str) or not period:
        return
    start = getattr(instance, "period_start", None)
    end = getattr(instance, "period_end", None)
    if start is None or end is None:
        try:
            parsed = parse_period(period)
        except ValueError:
            return
        start, end = parsed.start, parsed.end
    lock_reason(unit, start, end, for_update=True)


class ScopedViewSet(viewsets.ModelViewSet):
    """A model viewset whose queryset is `restrict()`ed to what the user may view
    (`unit_field`: the path to the OrgUnit) and whose writes each call a service
    function (styrkort.writes.service), which checks the permission, applies the domain
    rules and records the history.

    The base never saves: a subclass implements `perform_create`, `perform_update` and
    `perform_destroy` with its services for every write method it allows in
    `http_method_names` (checked when the class is defined).

    No lost update: GET of one object answers its version as the `ETag` header; PUT,
    PATCH and DELETE need `If-Match` with it (428 without, 412 when the object has
    changed since: styrkort.concurrency decides, inside the write's transaction with the
    row locked). `matched_version` is then the version the write is based on, for the
    services that check it again themselves (`expected_version=`)."""

    unit_field: str = "unit"
    parser_classes = [JSONParser]
    pagination_class = Pagination
    schema = StyrkortAutoSchema()
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    matched_version: str | None = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for method, hook in WRITE_HOOKS.items():
            if method in cls.http_method_names and getattr(cls, hook) is getattr(
                ScopedViewSet, hook
            ):
                raise TypeError(
                    f"{cls.__name__} allows {method.upper()} but its {hook}() calls no "
                    "service; implement it or leave the method out of http_method_names"
                )

    def get_exception_handler(self):
        return api_exception_handler

    def base_queryset(self):
        return self.queryset.all()

    def get_queryset(self):
        return scoped(self.base_queryset(), self.request.user, self.unit_field)

    # --- versions (ETag / If-Match) --------------------------------------------------

    def representation(self, instance) -> dict:
        """The object as GET shows it, in the site's language (so that its version does
        not depend on the reader's)."""
        with translation.override(settings.LANGUAGE_CODE):
            serializer = self.serializer_class(instance, context=self.get_serializer_context())
            return serializer.data

    def version(self, instance) -> str:
        """The object's version: its `updated_at`, else a hash of its representation."""
        if hasattr(instance, "updated_at"):
            return version_of(instance)
        return version_of(instance, self.representation(instance))

    def describe(self, instance) -> str:
        """The object as a conflict message names it (Swedish)."""
        return _("%(model)s ”%(name)s”") % {
            "model": instance._meta.verbose_name,
            "name": str(instance),
        }

    def describe_value(self, instance) -> str:
        """The stored value a conflict message shows ("" for none: the answer's `current`
        holds the whole object)."""
        return ""

    def _check_if_match(self):
        """The object, locked and checked against If-Match: 404 when not visible, 428
        without If-Match, 412 (StaleVersionError) when it has changed since."""
        instance = self.get_object()
        expected = parse_if_match(self.request.headers.get("If-Match"))
        if expected is None:
            raise PreconditionRequired()
        model = type(instance)
        _lock_submission_first(instance)
        # Lock the row, then read it again: a save that committed while we waited is seen.
        list(model._default_manager.select_for_update().filter(pk=instance.pk).values("pk"))
        instance = self.get_object()
        version = self.version(instance)
        try:
            check_version(
                instance,
                expected,
                what=self.describe(instance),
                value=self.describe_value,
                version=version,
            )
        except StaleVersionError as exc:
            exc.current = self.representation(instance)
            raise
        self.matched_version = version
        return instance

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance)
        return Response(serializer.data, headers={"ETag": etag(self.version(instance))})

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            instance = self._check_if_match()
            try:
                response = super().update(request, *args, **kwargs)
            except StaleVersionError as exc:
                exc.current = self.representation(self.get_object())
                raise
        saved = self.get_queryset().filter(pk=instance.pk).first()
        if response.status_code == 200 and saved is not None:
            response["ETag"] = etag(self.version(saved))
        return response

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            self._check_if_match()
            try:
                return super().destroy(request, *args, **kwargs)
            except StaleVersionError as exc:
                exc.current = self.representation(self.get_object())
                raise

    def perform_create(self, serializer):
        raise NotImplementedError(f"{type(self).__name__}.perform_create must call a service")

    def perform_update(self, serializer):
        raise NotImplementedError(f"{type(self).__name__}.perform_update must call a service")

    def perform_destroy(self, instance):
        raise NotImplementedError(f"{type(self).__name__}.perform_destroy must call a service")


class ModelRulesSerializer(serializers.ModelSerializer):
    """A model serializer that also checks the model's own rules (field rules, check
    and unique constraints) on an unsaved copy, so that they answer 400, never an
    IntegrityError. It never saves: the viewset passes `validated_data` to a service.

    `check_constraints = False` leaves the model's check constraints to the service,
    whose messages name the field (unique fields are checked all the same)."""

    check_constraints = True

    def run_validation(self, data=empty):
        attrs = super().run_validation(data)
        if attrs is not None:
            self._check_model(attrs)
        return attrs

    def _check_model(self, attrs) -> None:
        from django.core.exceptions import ValidationError as DjangoValidationError

        model = self.Meta.model
        columns = {f.name for f in model._meta.concrete_fields}
        values = {k: v for k, v in attrs.items() if k in columns}
        if self.instance is None:
            obj = model(**values)
        else:
            obj = copy.copy(self.instance)
            for name, value in values.items():
                setattr(obj, name, value)
        self.prepare(obj, attrs)
        try:
            obj.full_clean(
                exclude=list(self.clean_exclude()), validate_constraints=self.check_constraints
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc

    def prepare(self, obj, attrs) -> None:
        """Hook: fill in what the service derives (an activity's kind, a unit's
        organisation) before the model's rules are checked."""

    def clean_exclude(self) -> tuple[str, ...]:
        return ()

    def create(self, validated_data):
        raise NotImplementedError("the viewset calls a service; serializers never save")

    def update(self, instance, validated_data):
        raise NotImplementedError("the viewset calls a service; serializers never save")
