"""The forms of the optional subscription, self-employment and driver requests.

Each form that takes ``user`` gets the applicant from the engine, so it can check the answers
against the person's own record (their returning wage range, their vehicles) and say why next to
the field. Answers are kept as JSON by the engine and bound again at submission."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from phonenumber_field.formfields import PhoneNumberField

from accounts.fields import DigitsField
from eservices.dates import month_after, month_start
from eservices.validators import validate_jordanian_iban
from individuals.benefits.maternity_service import BANKS

from ..models import Vehicle
from . import services as svc

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
STOP_MONTHS = 6  # the last month is this month or one of the next five


def _percentage_field(label, help_text=None, required=True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal("0"),
        max_digits=5,
        decimal_places=2,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"dir": "ltr", "step": "0.5", "inputmode": "decimal"}),
    )


def _wage_field() -> forms.DecimalField:
    return forms.DecimalField(
        label=gettext_lazy("Declared monthly wage (JD)"),
        min_value=Decimal("0.001"),
        max_digits=9,
        decimal_places=3,
        widget=forms.NumberInput(attrs={"dir": "ltr", "step": "0.001", "inputmode": "decimal"}),
    )


def _jd(value: Decimal) -> str:
    return f"{value:,.3f}"


class ContactFields(forms.Form):
    """How the Corporation reaches the subscriber."""

    phone = PhoneNumberField(
        label=gettext_lazy("Mobile phone number"),
        region="JO",
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("Email"),
        required=False,
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"}),
    )
    address = forms.CharField(label=gettext_lazy("Residence address"), max_length=200)


class BankFields(forms.Form):
    bank = forms.ChoiceField(label=gettext_lazy("Bank"), choices=BANKS)
    iban = forms.CharField(
        label=gettext_lazy("Account number (IBAN)"),
        max_length=34,
        validators=[validate_jordanian_iban],
        help_text=gettext_lazy("In your name; refunds and entitlements are paid into it."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )

    def clean_iban(self):
        return re.sub(r"\s+", "", self.cleaned_data["iban"]).upper()


def _check_increase(value: Decimal | None, kind: str, *, positive: bool = False) -> Decimal:
    value = value if value is not None else Decimal(0)
    most = svc.increase_limit(kind, timezone.localdate()) * svc.HUNDRED
    if value > most or (positive and value <= 0):
        low = "0%" if not positive else _("more than 0%")
        raise forms.ValidationError(
            _("The annual increase must be from %(low)s to %(most)s%%.")
            % {"low": low, "most": svc.plain(most)}
        )
    return value


# --- optional subscription ----------------------------------------------------------------------


class OptionalEnrolForm(ContactFields, BankFields):
    declared_wage = _wage_field()
    annual_increase = _percentage_field(
        gettext_lazy("Annual increase percentage (%)"),
        gettext_lazy("Your declared wage rises by this percentage every January."),
    )
    declaration = forms.BooleanField(
        label=gettext_lazy(
            "I declare that I do not work for an establishment covered by social security, "
            "and that my answers are correct."
        )
    )

    field_order = [
        "declared_wage",
        "annual_increase",
        "phone",
        "email",
        "address",
        "bank",
        "iban",
        "declaration",
    ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        today = timezone.localdate()
        self.low, self.high = self.wage_range(today)
        self.fields["declared_wage"].help_text = _(
            "From %(low)s to %(high)s JD a month; you pay a percentage of it every month."
        ) % {"low": _jd(self.low), "high": _jd(self.high)}
        most = svc.increase_limit(svc.OPTIONAL, today) * svc.HUNDRED
        self.fields["annual_increase"].help_text = _(
            "From 0%% to %(most)s%%: your declared wage rises by it every January."
        ) % {"most": svc.plain(most)}

    def wage_range(self, today: dt.date) -> tuple[Decimal, Decimal]:
        return svc.optional_wage_limits(today)

    def clean_declared_wage(self):
        value = self.cleaned_data["declared_wage"]
        if not self.low <= value <= self.high:
            raise forms.ValidationError(
                _("The declared wage must be between %(low)s and %(high)s JD.")
                % {"low": f"{self.low:.3f}", "high": f"{self.high:.3f}"}
            )
        return value

    def clean_annual_increase(self):
        return _check_increase(self.cleaned_data.get("annual_increase"), svc.OPTIONAL)


class OptionalContinueForm(OptionalEnrolForm):
    """The returning subscriber's wage is bound to their last declared wage (FACTS A9, J13)."""

    def wage_range(self, today: dt.date) -> tuple[Decimal, Decimal]:
        person = svc.individual_of(self.user)
        last = svc.last_optional_coverage(person) if person is not None else None
        if last is None:
            return svc.optional_wage_limits(today)
        return svc.return_wage_range(svc.Working(), last=last, return_month=today)


def _month_choices(today: dt.date) -> list[tuple[str, str]]:
    first = month_start(today)
    return [
        (month_after(first, n).isoformat(), month_after(first, n).strftime("%Y-%m"))
        for n in range(STOP_MONTHS)
    ]


STOP_REASONS = [
    ("", "---------"),
    ("employment", gettext_lazy("I started work covered through an establishment")),
    ("cannot_pay", gettext_lazy("I can no longer pay the contributions")),
    ("pension", gettext_lazy("I am applying for a pension")),
    ("travel", gettext_lazy("I am leaving the country")),
    ("other", gettext_lazy("Another reason")),
]


class StopForm(forms.Form):
    last_month = forms.ChoiceField(
        label=gettext_lazy("Last month of the subscription"),
        help_text=gettext_lazy("Contributions are billed up to and including this month."),
    )
    reason = forms.ChoiceField(label=gettext_lazy("Reason for stopping"), choices=STOP_REASONS)
    note = forms.CharField(
        label=gettext_lazy("Remarks"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["last_month"].choices = _month_choices(timezone.localdate())


class AnnualIncreaseForm(forms.Form):
    annual_increase = _percentage_field(gettext_lazy("New annual increase percentage (%)"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        person = svc.individual_of(user)
        sub = (
            svc.open_subscription(person, today=today, kind=svc.OPTIONAL)
            if person is not None
            else None
        )
        most = svc.increase_limit(svc.OPTIONAL, today) * svc.HUNDRED
        text = _("From 0%% to %(most)s%%. It applies from January %(year)s.") % {
            "most": svc.plain(most),
            "year": today.year + 1,
        }
        if sub is not None:
            text += " " + _("Your current percentage: %(p)s.") % {
                "p": svc.percent(sub.annual_increase)
            }
        self.fields["annual_increase"].help_text = text

    def clean_annual_increase(self):
        return _check_increase(self.cleaned_data.get("annual_increase"), svc.OPTIONAL)


# --- self-employment ----------------------------------------------------------------------------


def bracket_choices(today: dt.date) -> list[tuple[str, str]]:
    rows = [("", "---------")]
    for key, multiple, wage, provisional in svc.brackets(today):
        label = _("Bracket %(n)s: %(wage)s JD (%(m)s × the minimum wage)") % {
            "n": key,
            "wage": _jd(wage),
            "m": svc.plain(multiple),
        }
        if provisional:
            label += " — " + _("provisional")
        rows.append((key, label))
    return rows


class SelfEnrolForm(ContactFields):
    bracket = forms.ChoiceField(
        label=gettext_lazy("Coverage bracket (declared wage)"),
        help_text=gettext_lazy(
            "The brackets are multiples of the minimum wage; they are provisional until the "
            "Corporation confirms them."
        ),
    )
    activity = forms.CharField(label=gettext_lazy("Activity (work you do)"), max_length=200)
    licence_number = forms.CharField(
        label=gettext_lazy("Professional licence or commercial registration number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    injury_covered = forms.BooleanField(
        label=gettext_lazy("The activity is covered for work injury"),
        required=False,
        help_text=gettext_lazy("The work-injury contribution is added to the monthly amount."),
    )
    declaration = forms.BooleanField(label=gettext_lazy("I declare that my answers are correct."))

    field_order = [
        "bracket",
        "activity",
        "licence_number",
        "injury_covered",
        "phone",
        "email",
        "address",
        "declaration",
    ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bracket"].choices = bracket_choices(timezone.localdate())


CHANGE_CHOICES = [
    (svc.CHANGE_INCREASE, gettext_lazy("An annual increase of my declared wage")),
    (svc.CHANGE_BRACKET, gettext_lazy("A move to another bracket")),
]


class SelfChangeForm(forms.Form):
    change = forms.ChoiceField(
        label=gettext_lazy("What do you want to change?"),
        choices=CHANGE_CHOICES,
        widget=forms.RadioSelect,
    )
    annual_increase = _percentage_field(
        gettext_lazy("Increase percentage (%)"),
        gettext_lazy("Only for an annual increase."),
        required=False,
    )
    bracket = forms.ChoiceField(
        label=gettext_lazy("New bracket"),
        required=False,
        help_text=gettext_lazy("Only for a move to another bracket."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bracket"].choices = bracket_choices(timezone.localdate())

    def clean(self):
        data = super().clean()
        change = data.get("change")
        if change == svc.CHANGE_INCREASE:
            try:
                data["annual_increase"] = _check_increase(
                    data.get("annual_increase"), svc.SELF_EMPLOYED, positive=True
                )
            except forms.ValidationError as exc:
                self.add_error("annual_increase", exc)
            data["bracket"] = ""
        elif change == svc.CHANGE_BRACKET:
            if not data.get("bracket"):
                self.add_error("bracket", _("Choose the new bracket."))
            data["annual_increase"] = None
        return data


# --- drivers ------------------------------------------------------------------------------------


class AddDriverForm(forms.Form):
    """A driver on one of the owner's vehicles: a self-employed owner's, or an establishment's."""

    plate_number = forms.CharField(
        label=gettext_lazy("Vehicle plate number"),
        max_length=20,
        help_text=gettext_lazy("As on the vehicle licence, for example 12-34567."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    vehicle_type = forms.ChoiceField(
        label=gettext_lazy("Vehicle type"), choices=[("", "---------"), *Vehicle.Type.choices]
    )
    national_number = DigitsField(label=gettext_lazy("Driver's national number"), digits=10)
    start_date = forms.DateField(label=gettext_lazy("Start date"), widget=DATE)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = self.owner_of(user)

    def owner_of(self, user) -> dict:
        return {"individual": svc.individual_of(user)}

    def clean_plate_number(self):
        plate = svc.normalise_plate(self.cleaned_data["plate_number"])
        if not svc.PLATE.match(plate):
            raise forms.ValidationError(
                _("Write the plate number as on the vehicle licence, for example 12-34567.")
            )
        if not any(self.owner.values()) or svc.vehicle_taken(plate, **self.owner):
            raise forms.ValidationError(_("This vehicle is recorded for another owner."))
        return plate

    def clean_national_number(self):
        number = self.cleaned_data["national_number"]
        if svc.civil_driver(number) is None:
            raise forms.ValidationError(_("This national number is not in the civil registry."))
        return number

    def clean_start_date(self):
        value = self.cleaned_data["start_date"]
        if value > timezone.localdate() + dt.timedelta(days=30):
            raise forms.ValidationError(_("The start date is at most 30 days from today."))
        return value

    def clean(self):
        data = super().clean()
        plate, number = data.get("plate_number"), data.get("national_number")
        if plate and number and svc.driver_on_vehicle(plate, number):
            self.add_error("national_number", _("This driver is already recorded on this vehicle."))
        return data


class EstablishmentAddDriverForm(AddDriverForm):
    def owner_of(self, user) -> dict:
        from establishments.selectors import establishment_of

        return {"establishment": establishment_of(user) if user is not None else None}
