"""The forms of the sign-in configuration pages."""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from styrkort.organisation.models import Organisation, OrgUnit

from . import services
from .models import IdentityProvider, RoleRule


def _formfield(field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"  # an address typed without a scheme is https
    return field.formfield(**kwargs)


class ProviderForm(forms.ModelForm):
    """An identity provider. The client secret is never shown again: left empty on a
    change, the stored one is kept."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation"), empty_label=None
    )

    class Meta:
        model = IdentityProvider
        formfield_callback = _formfield
        fields = ["organisation", *services.PROVIDER_FIELDS]
        widgets = {
            "client_secret": forms.PasswordInput(render_value=False),
            "metadata_xml": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if self.instance.pk:
            self.fields["organisation"].disabled = True
            self.fields["client_secret"].help_text = _(
                "Lämna tomt för att behålla den sparade hemligheten."
            )
        for name in ("issuer", "client_id", "client_secret", "scopes"):
            self.fields[name].help_text = self.fields[name].help_text or _(
                "Endast för OpenID Connect."
            )
        self.fields["metadata_url"].help_text = _(
            "SAML: adressen där leverantörens metadata hämtas, om den inte klistras in ovan."
        )

    def clean_client_secret(self):
        secret = self.cleaned_data.get("client_secret", "")
        if not secret and self.instance.pk:
            return IdentityProvider.objects.get(pk=self.instance.pk).client_secret
        return secret

    def clean(self):
        cleaned = super().clean()
        trial = IdentityProvider(
            **{
                name: cleaned.get(name, "")
                for name in services.PROVIDER_FIELDS
                if name != "enabled"
            }
        )
        for field, message in services.provider_problems(trial).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return cleaned


class RuleForm(forms.ModelForm):
    class Meta:
        model = RoleRule
        fields = ["claim", "value", "unit", "role"]

    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(
            organisation_id=organisation_id
        ).order_by("path")
        self.fields["unit"].label_from_instance = lambda u: f"{'– ' * (u.depth - 1)}{u.name}"
