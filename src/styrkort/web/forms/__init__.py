"""Forms of the web pages. Numbers are read the Swedish way (styrkort.io.numbers)."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from styrkort.io.numbers import NumberError, parse_optional_number
from styrkort.text import normalise

from ..models import BarrierReport


class SwedishNumberField(forms.CharField):
    """A number typed the Swedish way: '51,0', '1 757', '51 %'. Empty -> None."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 40)
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("autocomplete", "off")

    def to_python(self, value):
        text = super().to_python(value)
        try:
            return parse_optional_number(text)
        except NumberError as exc:
            raise forms.ValidationError(
                _("”%(value)s” är inte ett tal. Skriv t.ex. 51,0 eller 1 757.") % {"value": text},
                code="invalid",
            ) from exc


class BarrierReportForm(forms.ModelForm):
    class Meta:
        model = BarrierReport
        fields = ["page_url", "description", "contact"]
        labels = {
            "page_url": _("Sida där problemet finns (adress eller namn)"),
            "description": _("Beskriv problemet"),
            "contact": _("Din e-post eller ditt telefonnummer (frivilligt, för svar)"),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        error_messages = {"description": {"required": _("Beskriv problemet du stötte på.")}}

    def clean_description(self):
        text = normalise(self.cleaned_data["description"])
        if not text:
            raise forms.ValidationError(_("Beskriv problemet du stötte på."))
        return text


class GoalForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=500)
    code = forms.CharField(label=_("Kod (frivillig)"), max_length=64, required=False)
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    planning_comment = forms.CharField(
        label=_("Planeringskommentar"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    order = forms.IntegerField(label=_("Ordning"), required=False, min_value=0)
    linked_goals = forms.ModelMultipleChoiceField(
        label=_("Kopplade mål i överordnad plan"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Målen i den överordnade enhetens plan som målet bidrar till."),
    )

    def __init__(self, *args, superior_goals=None, **kwargs):
        super().__init__(*args, **kwargs)
        from styrkort.planning.models import Goal

        self.fields["linked_goals"].queryset = superior_goals or Goal.objects.none()
        self.fields["linked_goals"].label_from_instance = lambda g: f"{g.plan.name}: {g.name}"
        self.fields["name"].error_messages["required"] = _("Ange ett namn på målet.")


ASSESSED_BY_HAND_LABEL = _(
    "Bedöms manuellt: målvärdet mäts inte automatiskt, måluppfyllelsen sätts för hand"
)


def target_reading_attrs() -> dict:
    """A target text input that asks the server, as the planner types, how the parser
    reads it (htmx; without script the reading is shown after saving)."""
    return {
        "hx-get": reverse_lazy("target_reading"),
        "hx-trigger": "input changed delay:300ms",
        "hx-target": "#target-reading",
        "hx-swap": "outerHTML",
    }


class PlacementForm(forms.Form):
    """Place an existing indicator under a goal, or create a new one, with a first target."""

    indicator = forms.ModelChoiceField(
        label=_("Befintlig indikator"),
        queryset=None,
        required=False,
        empty_label=_("– Skapa en ny indikator nedan –"),
    )
    new_code = forms.SlugField(label=_("Kod för ny indikator"), required=False, max_length=64)
    new_name = forms.CharField(label=_("Namn på ny indikator"), required=False, max_length=500)
    new_unit = forms.ChoiceField(label=_("Enhet"), required=False)
    new_direction = forms.ChoiceField(label=_("Önskad riktning"), required=False)
    new_aggregation = forms.ChoiceField(label=_("Aggregering"), required=False)
    new_by_sex = forms.BooleanField(label=_("Redovisas per kön"), required=False)
    new_source = forms.CharField(label=_("Källa"), required=False, max_length=200)
    new_kolada_kpi = forms.CharField(
        label=_("Kolada-nyckeltal"),
        required=False,
        max_length=16,
        help_text=_(
            "T.ex. N79221: jämförs då med riket och regionerna. Sök id under Koladas "
            "nyckeltal (/kolada/nyckeltal/)."
        ),
    )
    new_definition = forms.CharField(
        label=_("Definition"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    baseline_text = forms.CharField(label=_("Ingångsvärde"), required=False, max_length=200)
    reporting_points = forms.CharField(
        label=_("Uppföljningsperiod"), required=False, max_length=100, initial="DÅ04, DÅ08, ÅR"
    )
    target_year = forms.IntegerField(label=_("År för målvärdet"), required=False)
    target_text = forms.CharField(
        label=_("Målvärde"),
        required=False,
        max_length=300,
        help_text=_("T.ex. 70 %, max 175, M: 17,2 % K: 16 %, Öka eller Minska med 50 % jmf 2020."),
        widget=forms.TextInput(attrs=target_reading_attrs()),
    )
    target_assessed_by_hand = forms.BooleanField(label=ASSESSED_BY_HAND_LABEL, required=False)

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        from styrkort.planning.models import Indicator
        from styrkort.planning.models.indicators import UNIT_CHOICES, Aggregation, Direction

        self.fields["indicator"].queryset = Indicator.objects.filter(
            organisation=organisation
        ).order_by("name")
        self.fields["new_unit"].choices = UNIT_CHOICES
        self.fields["new_direction"].choices = Direction.choices
        self.fields["new_aggregation"].choices = Aggregation.choices

    def clean_new_kolada_kpi(self):
        from django.core.exceptions import ValidationError

        from styrkort.planning.services import indicator_values

        try:
            return indicator_values({"kolada_kpi": self.cleaned_data["new_kolada_kpi"]})[
                "kolada_kpi"
            ]
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["kolada_kpi"]) from None

    def clean(self):
        data = super().clean()
        if not data.get("indicator"):
            if not data.get("new_code"):
                self.add_error("new_code", _("Välj en befintlig indikator eller ange en kod."))
            if not (data.get("new_name") or "").strip():
                self.add_error("new_name", _("Ange ett namn på den nya indikatorn."))
        if data.get("target_text") and not data.get("target_year"):
            self.add_error("target_year", _("Ange vilket år målvärdet gäller."))
        return data


class TargetForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=1990, max_value=2100)
    text = forms.CharField(
        label=_("Målvärde"),
        max_length=300,
        help_text=_("T.ex. 70 %, max 175, M: 17,2 % K: 16 %, Öka eller Minska med 50 % jmf 2020."),
        widget=forms.TextInput(attrs=target_reading_attrs()),
    )
    is_long_term = forms.BooleanField(label=_("Långsiktigt målvärde"), required=False)
    assessed_by_hand = forms.BooleanField(label=ASSESSED_BY_HAND_LABEL, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].error_messages.update(
            {
                "required": _("Ange ett år."),
                "invalid": _("Ange året med fyra siffror, t.ex. 2023."),
                "min_value": _("Året måste vara 1990 eller senare."),
                "max_value": _("Året måste vara 2100 eller tidigare."),
            }
        )
        self.fields["text"].error_messages["required"] = _(
            "Ange ett målvärde, t.ex. 70 %, max 175 eller Öka."
        )


class PlacementDetailsForm(forms.Form):
    baseline_text = forms.CharField(label=_("Ingångsvärde"), required=False, max_length=200)
    baseline_period = forms.CharField(
        label=_("Ingångsvärdets period"), required=False, max_length=16
    )
    reporting_points = forms.CharField(
        label=_("Uppföljningsperiod"), required=False, max_length=100
    )
    order = forms.IntegerField(label=_("Ordning"), required=False, min_value=0)


class ActivityForm(forms.Form):
    """An activity or assignment of a plan: what, who, when, and the goals and indicators
    it serves. The choices are limited to the plan's subtree, goals and organisation."""

    kind = forms.ChoiceField(label=_("Typ"))
    number = forms.CharField(label=_("Nummer (frivilligt)"), required=False, max_length=32)
    name = forms.CharField(label=_("Namn"), max_length=500)
    owner_unit = forms.ModelChoiceField(label=_("Ansvarig enhet"), queryset=None)
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    background = forms.CharField(
        label=_("Bakgrund"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    concretisation = forms.CharField(
        label=_("Konkretisering"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Vad varje underliggande enhet ska redovisa. Med en konkretisering svarar "
            "enheterna under den ansvariga enheten var för sig."
        ),
    )
    status = forms.ChoiceField(label=_("Status"))
    start_date = forms.DateField(
        label=_("Startdatum"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end_date = forms.DateField(
        label=_("Slutdatum"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    responsible = forms.CharField(label=_("Ansvarig person"), required=False, max_length=200)
    issued_by = forms.CharField(
        label=_("Beslutat av"),
        required=False,
        max_length=200,
        help_text=_("För uppdrag: vilket organ som gav uppdraget."),
    )
    order = forms.IntegerField(label=_("Ordning"), required=False, min_value=0)
    goals = forms.ModelMultipleChoiceField(
        label=_("Mål som aktiviteten bidrar till"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indikatorer som aktiviteten påverkar"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Håll ned Ctrl (Cmd på Mac) för att välja flera."),
    )

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        from styrkort.organisation.models import OrgUnit
        from styrkort.planning.models import ActivityKind, ActivityStatus, Goal, Indicator

        self.fields["kind"].choices = ActivityKind.choices
        self.fields["status"].choices = ActivityStatus.choices
        self.fields["owner_unit"].queryset = OrgUnit.objects.filter(
            path__startswith=plan.unit.path
        ).order_by("path")
        self.fields["owner_unit"].label_from_instance = lambda u: (
            "\u2003" * (u.depth - plan.unit.depth) + u.name
        )
        self.fields["goals"].queryset = Goal.objects.filter(plan=plan).order_by(
            "level", "order", "id"
        )
        self.fields["indicators"].queryset = Indicator.objects.filter(
            organisation_id=plan.unit.organisation_id
        ).order_by("name")
        self.fields["name"].error_messages["required"] = _(
            "Ange ett namn på aktiviteten eller uppdraget."
        )
        self.fields["owner_unit"].error_messages.update(
            {
                "required": _("Välj den ansvariga enheten."),
                "invalid_choice": _("Välj en enhet i planens organisation."),
            }
        )
        for name in ("start_date", "end_date"):
            self.fields[name].error_messages["invalid"] = _(
                "Skriv datumet som ÅÅÅÅ-MM-DD, t.ex. 2022-03-31."
            )
        for name in ("goals", "indicators"):
            self.fields[name].error_messages["invalid_choice"] = _("Välj bara bland alternativen.")

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Slutdatum får inte vara före startdatum."))
        return data
