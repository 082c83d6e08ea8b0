"""Forms of the organisation administrators' pages (/administration/): accounts, roles,
units and the organisation's settings. They read what was typed; the rules are the
services' (accounts.services, organisation.services, planning.services,
risk.services), whose messages are put on the fields they name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from styrkort.accounts.models import Role, SignInOutcome
from styrkort.io.numbers import NumberError, parse_number
from styrkort.organisation.models import UnitType

DATE_HELP = gettext_lazy("ÅÅÅÅ-MM-DD")
DATE_ERRORS = {"invalid": gettext_lazy("Skriv ett datum som ÅÅÅÅ-MM-DD.")}


def _date_field(label, *, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=DATE_HELP,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=DATE_ERRORS,
    )


def unit_choices(units) -> list[tuple[str, str]]:
    """Units as options, indented by their depth under the organisation's top."""
    units = list(units)
    top = min((u.depth for u in units), default=1)
    return [(str(u.pk), "\u2003" * (u.depth - top) + f"{u.name} ({u.code})") for u in units]


def apply_errors(form: forms.Form, exc, fields: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError on the form: on the field it names (renamed by
    `fields`, {service field: form field}) when the form has it, else on the form."""
    fields = fields or {}
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            target = fields.get(name, name)
            for message in errors:
                form.add_error(target if target in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class UserSearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Sök namn, användarnamn eller e-post"), required=False, max_length=100
    )


class PersonForm(forms.Form):
    first_name = forms.CharField(
        label=gettext_lazy("Förnamn"),
        max_length=150,
        error_messages={"required": gettext_lazy("Ange förnamn.")},
    )
    last_name = forms.CharField(
        label=gettext_lazy("Efternamn"),
        max_length=150,
        error_messages={"required": gettext_lazy("Ange efternamn.")},
    )
    email = forms.EmailField(
        label=gettext_lazy("E-post"),
        required=False,
        max_length=254,
        error_messages={"invalid": gettext_lazy("Skriv en e-postadress som namn@exempel.se.")},
    )


class NewUserForm(PersonForm):
    username = forms.CharField(
        label=gettext_lazy("Användarnamn"),
        max_length=150,
        error_messages={"required": gettext_lazy("Ange ett användarnamn.")},
        help_text=gettext_lazy(
            "Bokstäver, siffror och @ . + - _; det namn personen loggar in med."
        ),
    )
    password1 = forms.CharField(
        label=gettext_lazy("Lösenord"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy(
            "Minst åtta tecken, inte bara siffror, inte ett vanligt lösenord och inte likt "
            "namnet. Lämna tomt för ett konto som bara loggar in via inloggningstjänsten."
        ),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Lösenordet igen"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    field_order = ["username", "first_name", "last_name", "email", "password1", "password2"]

    def __init__(self, *args, passwords: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not passwords:
            del self.fields["password1"]
            del self.fields["password2"]

    def clean(self):
        data = super().clean()
        if "password1" in self.fields and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("Lösenorden är inte lika."))
        return data


class GrantRoleForm(forms.Form):
    unit = forms.ChoiceField(
        label=gettext_lazy("Enhet"),
        help_text=gettext_lazy("Rollen gäller enheten och alla enheter under den."),
    )
    role = forms.ChoiceField(label=gettext_lazy("Roll"), choices=Role.choices)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(units)
        self.fields["unit"].error_messages["invalid_choice"] = _(
            "Välj en enhet som du administrerar."
        )


class NewUnitForm(forms.Form):
    parent = forms.ChoiceField(label=gettext_lazy("Överordnad enhet"))
    code = forms.SlugField(
        label=gettext_lazy("Kod"),
        max_length=64,
        help_text=gettext_lazy(
            "Stabil kod med bokstäver, siffror och bindestreck, t.ex. NLL-LS1-ORT."
        ),
        error_messages={
            "invalid": gettext_lazy("Koden får bara innehålla bokstäver a–z, siffror, - och _.")
        },
    )
    name = forms.CharField(
        label=gettext_lazy("Namn"),
        max_length=200,
        error_messages={"required": gettext_lazy("Ange ett namn.")},
    )
    short_name = forms.CharField(label=gettext_lazy("Kortnamn"), max_length=80, required=False)
    type = forms.ChoiceField(label=gettext_lazy("Typ"), choices=UnitType.choices)
    valid_from = _date_field(gettext_lazy("Giltig från"))

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = unit_choices(units)


class RenameUnitForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Namn"),
        max_length=200,
        error_messages={"required": gettext_lazy("Ange ett namn.")},
    )
    short_name = forms.CharField(label=gettext_lazy("Kortnamn"), max_length=80, required=False)


class MoveUnitForm(forms.Form):
    parent = forms.ChoiceField(label=gettext_lazy("Ny överordnad enhet"))

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = unit_choices(units)


class CloseUnitForm(forms.Form):
    valid_to = _date_field(gettext_lazy("Sista giltiga dag"), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_to"].error_messages["required"] = _("Ange enhetens sista giltiga dag.")


class EvaluationSettingsForm(forms.Form):
    """Numbers typed the Swedish way (5,5), read by io.numbers; the ranges are the
    service's."""

    tolerance_pct = forms.CharField(
        label=gettext_lazy("Tolerans för delvis uppfyllt (%)"),
        help_text=gettext_lazy(
            "Ett utfall inom så många procent av målvärdet räknas som delvis uppfyllt (0–100)."
        ),
    )
    trend_epsilon_pct = forms.CharField(
        label=gettext_lazy("Gräns för oförändrad utveckling (%)"),
        help_text=gettext_lazy("En förändring mindre än så många procent räknas som oförändrad."),
    )
    goal_met_threshold = forms.CharField(
        label=gettext_lazy("Gräns för uppfyllt mål (medelpoäng 1–3)"),
        help_text=gettext_lazy("Uppfyllt ger 3 poäng, delvis uppfyllt 2 och ej uppfyllt 1."),
    )
    goal_partly_threshold = forms.CharField(
        label=gettext_lazy("Gräns för delvis uppfyllt mål (medelpoäng 1–3)")
    )

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            try:
                data[name] = float(parse_number(value))
            except (NumberError, TypeError, ValueError):
                self.add_error(
                    name,
                    _("Skriv ett tal, t.ex. 2,5 (inte ”%(value)s”).") % {"value": value},
                )
        return data


class EconomyUnitForm(forms.Form):
    economy_unit = forms.ChoiceField(
        label=gettext_lazy("Enhet för ekonomitabeller"),
        choices=[
            ("tkr", gettext_lazy("tkr (tusental kronor), heltal: 1 070 400")),
            ("mnkr", gettext_lazy("mnkr (miljoner kronor), med decimal: 8 712,1")),
        ],
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Resultaträkning, investeringar och ramar visas och skrivs ut i denna enhet."
        ),
        error_messages={
            "required": gettext_lazy("Välj tkr eller mnkr som enhet för ekonomitabellerna."),
            "invalid_choice": gettext_lazy("Välj tkr eller mnkr som enhet för ekonomitabellerna."),
        },
    )


class SecondFactorForm(forms.Form):
    require_second_factor = forms.BooleanField(
        label=gettext_lazy(
            "Kräv tvåstegsverifiering av administratörer och planerare som loggar in med lösenord"
        ),
        required=False,
        help_text=gettext_lazy(
            "De anger då också en kod från en autentiseringsapp. Den som loggar in via "
            "inloggningstjänsten berörs inte."
        ),
    )


class RiskBandForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Namn"), max_length=100, required=False)
    min_value = forms.IntegerField(
        label=gettext_lazy("Lägsta riskvärde"),
        required=False,
        min_value=1,
        max_value=16,
        error_messages={"invalid": gettext_lazy("Skriv ett heltal 1–16.")},
    )
    max_value = forms.IntegerField(
        label=gettext_lazy("Högsta riskvärde"),
        required=False,
        min_value=1,
        max_value=16,
        error_messages={"invalid": gettext_lazy("Skriv ett heltal 1–16.")},
    )
    requires_action = forms.BooleanField(label=gettext_lazy("Kräver åtgärd"), required=False)

    def clean(self):
        data = super().clean()
        name = (data.get("name") or "").strip()
        low, high = data.get("min_value"), data.get("max_value")
        if name and (low is None or high is None):
            self.add_error(
                "min_value" if low is None else "max_value",
                _("Ange lägsta och högsta riskvärde för %(name)s.") % {"name": name},
            )
        if not name and (low is not None or high is not None):
            self.add_error("name", _("Ange ett namn på risknivån."))
        return data


RiskBandFormSet = forms.formset_factory(RiskBandForm, extra=2, max_num=16)


class SignInFilterForm(forms.Form):
    start = _date_field(gettext_lazy("Från och med"))
    end = _date_field(gettext_lazy("Till och med"))
    outcome = forms.ChoiceField(
        label=gettext_lazy("Utfall"),
        required=False,
        choices=[("", gettext_lazy("Alla")), *list(SignInOutcome.choices)],
    )
    username = forms.CharField(label=gettext_lazy("Användare"), required=False, max_length=150)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Till och med får inte vara före från och med."))
        return data
