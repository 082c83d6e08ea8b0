"""Forms of a person's own settings: reminder e-mails and substitutes (ersättare)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ReminderSettingsForm(forms.Form):
    enabled = forms.BooleanField(
        label=gettext_lazy("Skicka påminnelser om uppföljning till mig per e-post"),
        required=False,
    )


class SubstituteForm(forms.Form):
    username = forms.CharField(
        label=gettext_lazy("Ersättarens användarnamn"),
        max_length=150,
        help_text=gettext_lazy("Det namn ersättaren loggar in med."),
    )
    starts_on = forms.DateField(
        label=gettext_lazy("Från och med"),
        help_text=gettext_lazy("ÅÅÅÅ-MM-DD"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("Skriv ett datum som ÅÅÅÅ-MM-DD.")},
    )
    ends_on = forms.DateField(
        label=gettext_lazy("Till och med"),
        help_text=gettext_lazy("ÅÅÅÅ-MM-DD"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("Skriv ett datum som ÅÅÅÅ-MM-DD.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].initial = timezone.localdate()

    def clean_username(self):
        name = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username__iexact=name).first()
        if user is None:
            raise forms.ValidationError(
                _("Det finns ingen användare med användarnamnet ”%(name)s”.") % {"name": name}
            )
        self.substitute = user
        return name
