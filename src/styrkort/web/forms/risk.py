"""The risk form of the web pages: probability and consequence 1-4 with their Swedish
labels, the texts, the goals the risk threatens, and the residual risk after actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from styrkort.risk.rules import CONSEQUENCE_LABELS, PROBABILITY_LABELS

EMPTY = [("", _("– Ej bedömd –"))]
PROBABILITY = [(str(k), f"{k} {v.lower()}") for k, v in PROBABILITY_LABELS.items()]
CONSEQUENCE = [(str(k), f"{k} {v.lower()}") for k, v in CONSEQUENCE_LABELS.items()]


def _scale(value):
    return int(value) if value not in (None, "") else None


class RiskForm(forms.Form):
    number = forms.CharField(label=_("Nummer"), max_length=32, required=False)
    title = forms.CharField(
        label=_("Risk"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    area = forms.CharField(label=_("Perspektiv eller målområde"), max_length=300, required=False)
    event = forms.CharField(
        label=_("Vad kan hända"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    cause = forms.CharField(
        label=_("Orsak"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    consequence_text = forms.CharField(
        label=_("Konsekvens om risken inträffar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    probability = forms.TypedChoiceField(
        label=_("Sannolikhet"),
        choices=EMPTY + PROBABILITY,
        coerce=int,
        empty_value=None,
        required=False,
    )
    consequence = forms.TypedChoiceField(
        label=_("Konsekvens"),
        choices=EMPTY + CONSEQUENCE,
        coerce=int,
        empty_value=None,
        required=False,
    )
    value = forms.IntegerField(
        label=_("Riskvärde (bara när sannolikhet och konsekvens inte är kända)"),
        required=False,
        min_value=1,
        max_value=16,
        help_text=_(
            "Räknas fram som sannolikhet × konsekvens. Fyll bara i när källan anger enbart "
            "riskvärdet."
        ),
    )
    actions = forms.CharField(
        label=_("Åtgärder"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    handling = forms.CharField(label=_("Typ av hantering"), max_length=100, required=False)
    residual_probability = forms.TypedChoiceField(
        label=_("Sannolikhet efter åtgärd"),
        choices=EMPTY + PROBABILITY,
        coerce=int,
        empty_value=None,
        required=False,
    )
    residual_consequence = forms.TypedChoiceField(
        label=_("Konsekvens efter åtgärd"),
        choices=EMPTY + CONSEQUENCE,
        coerce=int,
        empty_value=None,
        required=False,
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("Mål och framgångsfaktorer som risken hotar"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, goals=None, **kwargs):
        super().__init__(*args, **kwargs)
        from styrkort.planning.models import Goal

        self.fields["goals"].queryset = goals if goals is not None else Goal.objects.none()
        self.fields["goals"].label_from_instance = lambda g: f"{g.plan.name}: {g.name}"
        self.fields["title"].error_messages["required"] = _("Beskriv risken.")
        self.fields["value"].error_messages.update(
            {
                "invalid": _("Riskvärdet ska vara ett heltal 1–16."),
                "min_value": _("Riskvärdet ska vara 1–16."),
                "max_value": _("Riskvärdet ska vara 1–16."),
            }
        )
        for name in ("probability", "consequence", "residual_probability", "residual_consequence"):
            self.fields[name].error_messages["invalid_choice"] = _("Välj ett värde 1–4.")

    def clean(self):
        data = super().clean()
        p, c, v = data.get("probability"), data.get("consequence"), data.get("value")
        if p is None and c is None and v is None and not self.errors:
            raise forms.ValidationError(
                _("Ange sannolikhet och konsekvens (eller enbart riskvärdet)."),
                code="missing",
            )
        if p is not None and c is None and v is None:
            self.add_error("consequence", _("Ange konsekvensen (1–4)."))
        if c is not None and p is None and v is None:
            self.add_error("probability", _("Ange sannolikheten (1–4)."))
        if p is not None and c is not None and v is not None and v != p * c:
            self.add_error(
                "value",
                _(
                    "Riskvärdet %(value)s stämmer inte med %(p)s × %(c)s = %(product)s. Lämna "
                    "fältet tomt så räknas det fram."
                )
                % {"value": v, "p": p, "c": c, "product": p * c},
            )
        rp, rc = data.get("residual_probability"), data.get("residual_consequence")
        if (rp is None) != (rc is None):
            missing = "residual_consequence" if rc is None else "residual_probability"
            self.add_error(
                missing, _("Ange både sannolikhet och konsekvens efter åtgärd, eller ingen av dem.")
            )
        return data


class ControlResultForm(forms.Form):
    """A control's result for a reporting point."""

    outcome = forms.ChoiceField(label=_("Resultat"), choices=())
    comment = forms.CharField(
        label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from styrkort.risk.models import ControlOutcome

        self.fields["outcome"].choices = ControlOutcome.choices
        self.fields["outcome"].error_messages.update(
            {"required": _("Välj ett resultat."), "invalid_choice": _("Välj ett resultat.")}
        )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "deviation" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Beskriv avvikelsen."))
        return data
