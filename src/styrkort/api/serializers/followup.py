"""Outcomes (with the bulk upsert), analyses, activities, assignments and activity reports."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from styrkort.concurrency import version_of
from styrkort.followup.models import Analysis, Outcome, Sex
from styrkort.organisation.models import OrgUnit
from styrkort.periods import PeriodError, parse_period
from styrkort.planning.models import Activity, ActivityReport, ActivityStatus, Goal, Indicator, Plan
from styrkort.text import normalise

from ..base import ORGANISATION, ModelRulesSerializer, ScopedRelatedField
from ..text import FreeTextSerializerMixin


class PeriodField(serializers.CharField):
    """A period as DESIGN.md writes it (2022, 2022-T1, 2022-DÅ04, 2022-04 …); always
    answered in canonical form."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("help_text", "2022, 2022-T1, 2022-DÅ04, 2022-04, 2022-Q2, 2022-H1 …")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        try:
            return parse_period(text)
        except PeriodError as exc:
            raise serializers.ValidationError(str(exc)) from exc

    def run_validators(self, value):
        super().run_validators(getattr(value, "canonical", value))

    def to_representation(self, value):
        return getattr(value, "canonical", value)


class OutcomeSerializer(serializers.ModelSerializer):
    indicator = ScopedRelatedField(unit_field=ORGANISATION, queryset=Indicator.objects.all())
    unit = ScopedRelatedField(unit_field="", queryset=OrgUnit.objects.all())
    period = PeriodField()
    sex = serializers.ChoiceField(choices=Sex.choices, default=Sex.TOTAL)
    version = serializers.SerializerMethodField(
        help_text="Utfallets version (som ETag-huvudet): skicka den som If-Match, eller som "
        "version i en rad till bulk/."
    )

    class Meta:
        model = Outcome
        fields = [
            "id",
            "indicator",
            "unit",
            "period",
            "period_start",
            "period_end",
            "sex",
            "value",
            "numerator",
            "denominator",
            "source",
            "data_source",
            "note",
            "created_at",
            "updated_at",
            "updated_by",
            "version",
        ]
        read_only_fields = [
            "period_start",
            "period_end",
            "source",
            "created_at",
            "updated_at",
            "updated_by",
        ]
        validators = []  # an outcome with the same key is updated (upsert)

    def get_version(self, outcome) -> str:
        return version_of(outcome)


class OutcomeUpdateSerializer(serializers.ModelSerializer):
    """Changing an outcome's numbers; its indicator, unit, period and sex stay."""

    class Meta:
        model = Outcome
        fields = ["value", "numerator", "denominator", "data_source", "note"]


@extend_schema_field(
    {
        "oneOf": [{"type": "number"}, {"type": "string", "maxLength": 64}],
        "nullable": True,
        "description": "Ett tal, eller text skriven på svenska: 1 757, 51,0 %, -11,2%.",
    }
)
class LooseNumberField(serializers.Field):
    """A number as JSON number or Swedish text; parsed by the importer's shared path."""

    def to_internal_value(self, data):
        if data is None or (isinstance(data, str | int | float) and not isinstance(data, bool)):
            if isinstance(data, str) and len(data) > 64:
                raise serializers.ValidationError(_("Högst 64 tecken."))
            return data
        raise serializers.ValidationError(_("Ange ett tal eller en text."))

    def to_representation(self, value):
        return value


class OutcomeBulkRowSerializer(serializers.Serializer):
    """One row of POST /api/outcomes/bulk/: the import file's columns, same rules."""

    org = serializers.CharField(max_length=200, help_text="Enhetens kod eller exakta namn.")
    indicator = serializers.CharField(max_length=64, help_text="Indikatorns kod.")
    period = serializers.CharField(max_length=32, help_text="2022, 2022-T1, 2022-DÅ04 …")
    sex = serializers.CharField(
        max_length=16, required=False, allow_blank=True, help_text="total/T, women/K, men/M."
    )
    value = LooseNumberField(required=False, allow_null=True)
    numerator = LooseNumberField(required=False, allow_null=True)
    denominator = LooseNumberField(required=False, allow_null=True)
    source = serializers.CharField(max_length=200, required=False, allow_blank=True)
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    version = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="Versionen raden bygger på (utfallets version eller ETag); har utfallet "
        "ändrats sedan dess avvisas raden och ingenting sparas. Utelämnad: ingen kontroll.",
    )


class OutcomeBulkSerializer(serializers.Serializer):
    rows = OutcomeBulkRowSerializer(many=True, max_length=50_000)
    dry_run = serializers.BooleanField(
        default=False, help_text="Kontrollera raderna men spara ingenting."
    )


class RejectedRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text="Radens nummer (första = 1).")
    column = serializers.CharField(allow_null=True)
    reason = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    """What an import did (or, with rejected rows, did not do: nothing was written)."""

    kind = serializers.CharField()
    dry_run = serializers.BooleanField()
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    rejected = RejectedRowSerializer(many=True)
    rejected_not_listed = serializers.IntegerField()
    ignored_columns = serializers.ListField(child=serializers.CharField())
    detail = serializers.CharField(required=False)


class ImportRejectionSerializer(ImportReportSerializer):
    """A refused bulk upsert: the report with its rejected rows, or only `detail` when the
    body could not be read at all."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class AnalysisSerializer(FreeTextSerializerMixin, serializers.ModelSerializer):
    unit = ScopedRelatedField(unit_field="", queryset=OrgUnit.objects.all())
    indicator = ScopedRelatedField(
        unit_field=ORGANISATION, queryset=Indicator.objects.all(), required=False, allow_null=True
    )
    goal = ScopedRelatedField(
        unit_field="plan__unit", queryset=Goal.objects.all(), required=False, allow_null=True
    )
    period = PeriodField()

    class Meta:
        model = Analysis
        fields = [
            "id",
            "unit",
            "indicator",
            "goal",
            "period",
            "period_start",
            "period_end",
            "text",
            "updated_at",
            "updated_by",
        ]
        read_only_fields = ["period_start", "period_end", "updated_at", "updated_by"]
        extra_kwargs = {"text": {"max_length": 20000}}
        validators = []  # the analysis with the same key is replaced

    def validate(self, attrs):
        if self.instance is not None:
            for name in ("unit", "indicator", "goal"):
                if name in attrs and attrs[name] != getattr(self.instance, name):
                    raise serializers.ValidationError(
                        {name: _("En analys flyttas inte; skriv en ny.")}
                    )
            if "period" in attrs and attrs["period"].canonical != self.instance.period:
                raise serializers.ValidationError(
                    {"period": _("En analys flyttas inte; skriv en ny.")}
                )
        elif (attrs.get("indicator") is None) == (attrs.get("goal") is None):
            raise serializers.ValidationError(
                {"indicator": _("Ange antingen en indikator eller ett mål.")}
            )
        if "text" in attrs and not normalise(attrs["text"]):
            raise serializers.ValidationError({"text": _("Skriv en analys (ta bort med DELETE).")})
        return attrs


class ActivitySerializer(FreeTextSerializerMixin, ModelRulesSerializer):
    check_constraints = False  # the service checks them, naming the field
    plan = ScopedRelatedField(unit_field="unit", queryset=Plan.objects.all())
    owner_unit = ScopedRelatedField(unit_field="", queryset=OrgUnit.objects.all())
    goals = ScopedRelatedField(
        unit_field="plan__unit", queryset=Goal.objects.all(), many=True, required=False
    )
    indicators = ScopedRelatedField(
        unit_field=ORGANISATION, queryset=Indicator.objects.all(), many=True, required=False
    )
    status = serializers.ChoiceField(
        choices=[c for c in ActivityStatus.choices if c[0] != ActivityStatus.NOT_REPORTED],
        default=ActivityStatus.PLANNED,
    )

    class Meta:
        model = Activity
        fields = [
            "id",
            "plan",
            "owner_unit",
            "number",
            "name",
            "description",
            "background",
            "concretisation",
            "status",
            "start_date",
            "end_date",
            "responsible",
            "issued_by",
            "order",
            "goals",
            "indicators",
        ]
        extra_kwargs = {"order": {"max_value": 2_147_483_647}}

    def validate(self, attrs):
        instance = self.instance
        if instance is not None and "plan" in attrs and attrs["plan"] != instance.plan:
            raise serializers.ValidationError(
                {"plan": _("En aktivitet flyttas inte till en annan plan.")}
            )
        plan = attrs.get("plan") or getattr(instance, "plan", None)
        owner = attrs.get("owner_unit") or getattr(instance, "owner_unit", None)
        if (
            plan is not None
            and owner is not None
            and owner.organisation_id != plan.unit.organisation_id
        ):
            raise serializers.ValidationError(
                {"owner_unit": _("Enheten hör till en annan organisation än planen.")}
            )
        for goal in attrs.get("goals", []):
            if plan is not None and goal.plan_id != plan.pk:
                raise serializers.ValidationError(
                    {"goals": _("Målet ”%(goal)s” hör till en annan plan.") % {"goal": goal.name}}
                )
        for indicator in attrs.get("indicators", []):
            if plan is not None and indicator.organisation_id != plan.unit.organisation_id:
                raise serializers.ValidationError(
                    {
                        "indicators": _("Indikatorn %(code)s hör till en annan organisation.")
                        % {"code": indicator.code}
                    }
                )
        for name in ("description", "background", "concretisation"):
            if name in attrs:
                attrs[name] = normalise(attrs[name])
        return attrs

    def prepare(self, obj, attrs):
        obj.kind = self.context["activity_kind"]


class ActivityReportSerializer(FreeTextSerializerMixin, serializers.ModelSerializer):
    activity = ScopedRelatedField(unit_field="plan__unit", queryset=Activity.objects.all())
    unit = ScopedRelatedField(unit_field="", queryset=OrgUnit.objects.all())
    period = PeriodField()

    class Meta:
        model = ActivityReport
        fields = [
            "id",
            "activity",
            "unit",
            "period",
            "status",
            "comment",
            "updated_at",
            "updated_by",
        ]
        read_only_fields = ["updated_at", "updated_by"]
        extra_kwargs = {"comment": {"max_length": 5000}}
        validators = []  # the report with the same key is replaced

    def validate(self, attrs):
        if self.instance is not None:
            for name in ("activity", "unit"):
                if name in attrs and attrs[name] != getattr(self.instance, name):
                    raise serializers.ValidationError(
                        {name: _("Skriv en ny uppföljning i stället.")}
                    )
            if "period" in attrs and attrs["period"].canonical != self.instance.period:
                raise serializers.ValidationError(
                    {"period": _("Skriv en ny uppföljning i stället.")}
                )
        return attrs
