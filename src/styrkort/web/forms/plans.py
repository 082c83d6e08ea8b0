"""Forms of a plan's life: adopting a draft, and the reason every change of an adopted
plan asks for (planning.services: a change of an adopted plan is a revision)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from styrkort.planning.models import Plan, PlanState

REASON_LABEL = _("Skäl till ändringen")
REASON_HELP = _(
    "Planen är fastställd. Ändringen sparas som en revidering med ditt namn, tidpunkten och skälet."
)


class AdoptPlanForm(forms.Form):
    """The decision that adopts a plan: the body, the date and the reference (all three)."""

    body = forms.CharField(
        label=_("Beslutande organ"),
        max_length=200,
        help_text=_("T.ex. Regionfullmäktige, Regionstyrelsen, Hälso- och sjukvårdsnämnden."),
        error_messages={"required": _("Ange beslutande organ.")},
    )
    date = forms.DateField(
        label=_("Beslutsdatum"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Ange beslutsdatum."),
            "invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD, t.ex. 2023-11-22."),
        },
    )
    reference = forms.CharField(
        label=_("Diarienummer eller referens"),
        max_length=200,
        help_text=_("T.ex. diarienummer och paragraf i protokollet."),
        error_messages={"required": _("Ange beslutets referens.")},
    )


def reason_field() -> forms.CharField:
    return forms.CharField(
        label=REASON_LABEL,
        max_length=2000,
        help_text=REASON_HELP,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Ange skäl till ändringen.")},
    )


def ask_reason(form: forms.Form, plan: Plan) -> forms.Form:
    """Add the required field `reason` to `form` when `plan` is adopted; returns the form."""
    if plan.state == PlanState.ADOPTED:
        form.fields["reason"] = reason_field()
    return form


def reason_of(form: forms.Form) -> str:
    """The reason typed in `form` ("" for a draft's form)."""
    return form.cleaned_data.get("reason", "") if "reason" in form.fields else ""
