"""Forms of the round pages: open a round, extend it, and a reason (reopening). They only
read what was typed; whether the dates make sense is the round services' rule
(``rounds.rules.check_deadlines``), whose messages are put next to the fields."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date_field(label, required=True, help_text=""):
    return forms.DateField(label=label, required=required, widget=DATE, help_text=help_text)


class LevelDeadlines(forms.Form):
    """A date field per unit level below the top (``level_<depth>``), named by the unit
    types found at that level: 'Sista dag för nivå 3 (Verksamhetsområde)'."""

    def __init__(self, *args, levels: dict[int, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.level_fields = []
        for depth, names in sorted((levels or {}).items()):
            if depth < 2:
                continue
            name = f"level_{depth}"
            self.fields[name] = _date_field(
                _("Sista dag för nivå %(depth)s (%(names)s)") % {"depth": depth, "names": names},
                required=False,
            )
            self.level_fields.append(name)

    def level_deadlines(self) -> dict[str, object]:
        return {
            name.removeprefix("level_"): self.cleaned_data[name]
            for name in self.level_fields
            if self.cleaned_data.get(name)
        }

    def level_items(self):
        return [self[name] for name in self.level_fields]

    def add_service_errors(self, exc: ValidationError) -> None:
        """A service's messages next to the fields they name (else above the form)."""
        by_field = getattr(exc, "message_dict", None) or {None: exc.messages}
        for field, messages in by_field.items():
            if field == "level_deadlines" and self.level_fields:
                field = self.level_fields[0]
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, message)


class OpenRoundForm(LevelDeadlines):
    period = forms.CharField(
        label=gettext_lazy("Uppföljningsperiod"),
        max_length=20,
        help_text=gettext_lazy("T.ex. 2022-DÅ08 (delår augusti) eller 2022 (helår)."),
    )
    opens_on = _date_field(gettext_lazy("Öppnar"))
    deadline = _date_field(
        gettext_lazy("Sista dag"),
        help_text=gettext_lazy("För toppnivån och för nivåer utan egen sista dag."),
    )
    field_order = ["period", "opens_on", "deadline"]


class ExtendRoundForm(LevelDeadlines):
    deadline = _date_field(gettext_lazy("Ny sista dag"))
    reason = forms.CharField(
        label=gettext_lazy("Skäl"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Visas i historiken, t.ex. varför fler dagar behövs."),
    )
    field_order = ["deadline"]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Skäl"),
        required=False,  # the service refuses an empty reason with its own message
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "required": True}),
    )

    def add_service_errors(self, exc: ValidationError) -> None:
        by_field = getattr(exc, "message_dict", None) or {None: exc.messages}
        for field, messages in by_field.items():
            for message in messages:
                self.add_error("reason" if field == "reason" else None, message)
