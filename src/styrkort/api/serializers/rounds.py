"""Reporting rounds (uppföljningstillfällen): the round, what opening one takes, the
bodies of its actions and the progress of each unit (``rounds.status.round_json``)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from styrkort.organisation.models import Organisation
from styrkort.rounds.models import ReportingRound
from styrkort.rounds.rules import STATE_LABELS

from ..base import ORGANISATION_ITSELF, ScopedRelatedField


class RoundSerializer(serializers.ModelSerializer):
    """A round as stored: its period, opening day, deadlines and whether it is open."""

    class Meta:
        model = ReportingRound
        fields = [
            "id",
            "organisation",
            "period",
            "period_start",
            "period_end",
            "opens_on",
            "deadline",
            "level_deadlines",
            "state",
            "reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class LevelDeadlinesField(serializers.DictField):
    """{"<tree depth>": "YYYY-MM-DD"}: an earlier deadline for a deeper level."""

    child = serializers.DateField()

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        for key in value:
            if not str(key).isdigit() or int(key) < 1:
                raise serializers.ValidationError(
                    _("Nivån ”%(level)s” ska vara ett djup i trädet (1 = toppenheten).")
                    % {"level": key}
                )
        return value


class RoundOpenSerializer(serializers.Serializer):
    """Open a round (rounds.services.open_round): a submission for every unit."""

    organisation = ScopedRelatedField(
        unit_field=ORGANISATION_ITSELF,
        queryset=Organisation.objects.all(),
        help_text="Organisationens id.",
    )
    period = serializers.CharField(max_length=32, help_text="Uppföljningspunkt, t.ex. 2022-DÅ08.")
    opens_on = serializers.DateField(required=False, help_text="Öppningsdag (standard: i dag).")
    deadline = serializers.DateField(help_text="Sista dag.")
    level_deadlines = LevelDeadlinesField(
        required=False,
        help_text='Tidigare sista dag per nivå (djup i trädet), t.ex. {"3": "2022-09-12"}.',
    )


class RoundExtendSerializer(serializers.Serializer):
    deadline = serializers.DateField(required=False, help_text="Ny sista dag.")
    level_deadlines = LevelDeadlinesField(required=False, help_text="Nya sista dagar per nivå.")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class RoundReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text="Skäl (krävs; sparas i historiken).")
    unit = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text="Enhetens kod: öppna bara den enheten (utan: hela tillfället).",
    )


class ReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(allow_blank=True, help_text="Vad som behöver rättas (krävs).")


class ExcuseSerializer(serializers.Serializer):
    reason = serializers.CharField(
        allow_blank=True, help_text="Skäl till undantaget; tomt tar bort undantaget."
    )


class MissingSerializer(serializers.Serializer):
    outcomes = serializers.IntegerField()
    goal_analyses = serializers.IntegerField()
    activities = serializers.IntegerField()


class UnitProgressSerializer(serializers.Serializer):
    """One unit in a round (``rounds.due.UnitProgress.as_json``)."""

    code = serializers.CharField()
    name = serializers.CharField()
    state = serializers.ChoiceField(
        choices=[(k, str(v)) for k, v in STATE_LABELS.items()],
        help_text="not_started, in_progress, returned, ready, approved eller excused.",
    )
    deadline = serializers.DateField()
    ready_by = serializers.CharField(allow_null=True)
    ready_at = serializers.DateTimeField(allow_null=True)
    approved_by = serializers.CharField(allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)
    missing = MissingSerializer(help_text="Vad som saknas: antal utfall, målanalyser, aktiviteter.")


class RoundStatusSerializer(serializers.Serializer):
    """What ``styrkort round status --json`` prints."""

    org = serializers.CharField(help_text="Organisationens kod.")
    period = serializers.CharField()
    state = serializers.ChoiceField(choices=["planned", "open", "closed"])
    opens = serializers.DateField()
    deadlines = serializers.DictField(
        child=serializers.DateField(), help_text='{"default": sista dag, "<djup>": sista dag}'
    )
    units = UnitProgressSerializer(many=True)
