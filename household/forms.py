"""The forms of the household services, with the fields and labels the source names.

Forms only check what they are given; the services (signup.py, profile.py, application.py,
updates.py) act. The income and bank-account forms are shared: the profile, the application and the
data update ask the same questions the same way.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.exceptions import ServiceError
from accounts.fields import DigitsField, normalise_digits
from accounts.forms import NewPasswordForm
from accounts.models import login_key

from .banks import BANK_CHOICES, verify_account
from .choices import Category, Employment, Office, Region
from .entitlement import INCOME_KINDS, Income
from .models import ADDRESS_FIELDS, Profile
from .signup import temporary_password_expired
from .validators import clean_saudi_iban, clean_saudi_id, id_type_for

BLANK = [("", "---------")]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", "dir": "ltr"}, format="%Y-%m-%d")


def not_in_future(value: dt.date | None, message=None) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(message or _("The date cannot be in the future."), code="future")


class SaudiIdField(forms.CharField):
    """The 10-digit national ID (1…) or iqama (2…) number, with its check digit checked."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 14)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"})

    def to_python(self, value):
        return normalise_digits(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value:
            clean_saudi_id(value)


class SaudiMobileField(forms.CharField):
    """A Saudi mobile number, 05XXXXXXXX as people write it; kept as +9665XXXXXXXX."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 16)
        kwargs.setdefault("help_text", _("10 digits starting with 05, for example 0512345678."))
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "tel", "dir": "ltr", "autocomplete": "tel"})

    def to_python(self, value):
        value = re.sub(r"[\s-]", "", normalise_digits(super().to_python(value)))
        if not value:
            return value
        m = re.fullmatch(r"(?:\+?966|00966|0)?(5\d{8})", value)
        if not m:
            raise ValidationError(
                _("Enter a Saudi mobile number: 10 digits starting with 05."), code="mobile"
            )
        return f"+966{m[1]}"


def local_mobile(e164: str) -> str:
    """+966512345678 → 0512345678 (as the forms show it)."""
    e164 = str(e164 or "")
    return "0" + e164[4:] if e164.startswith("+966") else e164


class HouseholdForm(forms.Form):
    """Every household form may be given the applicant (``user``) and the category chosen."""

    def __init__(self, *args, user=None, category: str | None = None, **kwargs):
        self.user = user
        self.category = category
        super().__init__(*args, **kwargs)

    def service_error(self, exc: ServiceError) -> None:
        self.add_error(exc.field if exc.field in self.fields else None, exc.message)


# --- hh.register ---------------------------------------------------------------------------


class RegisterForm(forms.Form):
    """ID or iqama number, the mobile, the birth date, and the result of a sum."""

    id_number = SaudiIdField(
        label=_("ID number or iqama number"),
        help_text=_(
            "The national ID number if you are Saudi; the iqama number if you are a resident."
        ),
    )
    mobile = SaudiMobileField(label=_("Mobile number"))
    birth_date = forms.DateField(label=_("Date of birth"), widget=date_widget())
    arithmetic = forms.IntegerField(
        label=_("Result of the sum"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"}),
    )

    def __init__(self, *args, question: str = "", answer: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.answer = answer
        if question:
            self.fields["arithmetic"].label = question

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        not_in_future(value, _("The date of birth cannot be in the future."))
        return value

    def clean_arithmetic(self):
        value = self.cleaned_data["arithmetic"]
        if self.answer is None or value != self.answer:
            raise ValidationError(
                _("The result of the sum is not correct. Try the new sum."), code="arithmetic"
            )
        return value


class SignInForm(forms.Form):
    id_number = SaudiIdField(label=_("ID number or iqama number"))
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user_cache = None
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        number = data["id_number"]
        user = authenticate(
            self.request,
            username=login_key(id_type_for(number), number),
            password=data["password"],
        )
        if user is None or not hasattr(user, "household_profile"):
            if getattr(self.request, "axes_locked_out", False):
                raise ValidationError(
                    _("Too many failed attempts. Sign-in is locked for a while."), code="locked"
                )
            raise ValidationError(
                _("The ID or iqama number or the password is not correct."), code="invalid_login"
            )
        if temporary_password_expired(user.household_profile):
            raise ValidationError(
                _(
                    "Your temporary password has expired. Ask for a new one: it is sent to your"
                    " mobile by text message."
                ),
                code="temporary_expired",
            )
        self.user_cache = user
        return data


class ResendForm(RegisterForm):
    """The details given at registration, to send a new temporary password."""


class PasswordChangeForm(NewPasswordForm):
    """The first sign-in's own password, instead of the temporary one."""

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def check_new_password(self, password: str) -> None:
        if self.user is not None and self.user.check_password(password):
            self.add_error("new_password1", _("Choose a new password, not the temporary one."))
            return
        try:
            password_validation.validate_password(password, self.user)
        except ValidationError as exc:
            self.add_error("new_password1", exc)


# --- The profile's five stages ----------------------------------------------------------------


class AddressForm(forms.ModelForm):
    """1. Address and contact: the national address, and the email (the mobile is changed by the
    data update, which confirms it with a code)."""

    email = forms.EmailField(
        label=_("Email"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"}),
    )
    building_number = DigitsField(label=_("Building number"), digits=4)
    postal_code = DigitsField(label=_("Postal code"), digits=5)
    additional_number = DigitsField(label=_("Additional number"), digits=4)

    class Meta:
        model = Profile
        fields = ADDRESS_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("region", "city", "district", "street"):
            self.fields[name].required = True
        if self.instance and self.instance.pk:
            self.fields["email"].initial = self.instance.user.email

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip().lower()


class JobForm(forms.ModelForm):
    """2. Job."""

    class Meta:
        model = Profile
        fields = ("employment", "employer", "job_title")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employment"].required = True

    def clean(self):
        data = super().clean()
        working = data.get("employment") in (
            Employment.GOVERNMENT,
            Employment.PRIVATE,
            Employment.SELF_EMPLOYED,
        )
        if working:
            for name in ("employer", "job_title"):
                if not data.get(name):
                    self.add_error(name, _("Required when you work."))
        return data


class EducationForm(forms.ModelForm):
    """5. Education."""

    class Meta:
        model = Profile
        fields = ("education", "specialization")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["education"].required = True


class TermsForm(HouseholdForm):
    terms = forms.BooleanField(
        label=_("I have read the terms and I agree to them"),
        error_messages={"required": _("You must agree to the terms to continue.")},
    )


# --- Shared: income, bank account --------------------------------------------------------------


def income_field(kind: str) -> str:
    return f"income_{kind}"


class IncomeForm(HouseholdForm):
    """Income: whether there is any, then each source with its monthly amount."""

    has_income = forms.ChoiceField(
        label=_("Does the household have an income?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, (_klass, label) in INCOME_KINDS.items():
            self.fields[income_field(kind)] = forms.DecimalField(
                label=_("%(kind)s — monthly amount (SAR)") % {"kind": label},
                required=False,
                min_value=Decimal("0"),
                max_digits=10,
                decimal_places=2,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr"}),
            )

    def check_income(self, data: dict) -> None:
        amounts = {k: data.get(income_field(k)) for k in INCOME_KINDS}
        given = {k: v for k, v in amounts.items() if v}
        if data.get("has_income") == "yes" and not given:
            self.add_error(
                "has_income", _("Give the monthly amount of at least one source of income.")
            )
        if data.get("has_income") == "no" and given:
            self.add_error(
                "has_income",
                _(
                    "You answered that there is no income, but gave amounts: correct one or the "
                    "other."
                ),
            )

    def clean(self):
        data = super().clean()
        self.check_income(data)
        return data


def incomes_from(data: dict[str, Any]) -> list[Income]:
    """The income sources of cleaned (or saved) answers, each with its monthly amount."""
    if data.get("has_income") != "yes":
        return []
    rows = []
    for kind in INCOME_KINDS:
        value = data.get(income_field(kind))
        if value not in (None, "") and Decimal(str(value)) > 0:
            rows.append(Income(kind, Decimal(str(value))))
    return rows


def income_initial(incomes, has_income: bool | None) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    if has_income is not None:
        initial["has_income"] = "yes" if has_income else "no"
    for row in incomes:
        initial[income_field(row.kind)] = row.monthly_amount
    return initial


class BankForm(HouseholdForm):
    """The bank account: the IBAN twice, the bank, and the bank's confirmation of the account.

    ``holder_id_number`` (default: the user's) is whose name the account must be in."""

    holder_field = ""  # a field of the form that holds the holder's number, if any

    iban = forms.CharField(
        label=_("Account number (IBAN)"),
        max_length=34,
        help_text=_("24 characters starting with SA, in your name."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    iban_confirm = forms.CharField(
        label=_("Confirm the account number"),
        max_length=34,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    bank = forms.ChoiceField(label=_("Bank name"), choices=BANK_CHOICES)

    def clean_iban(self):
        return clean_saudi_iban(self.cleaned_data["iban"])

    def clean_iban_confirm(self):
        return re.sub(r"\s+", "", normalise_digits(self.cleaned_data["iban_confirm"])).upper()

    def holder(self, data: dict) -> str:
        if self.holder_field:
            return data.get(self.holder_field) or ""
        return self.user.id_number if self.user is not None else ""

    def check_bank(self, data: dict) -> None:
        iban, again, bank = data.get("iban"), data.get("iban_confirm"), data.get("bank")
        if iban and again and iban != again:
            self.add_error("iban_confirm", _("The two account numbers are not the same."))
            return
        if iban and bank and "iban" not in self.errors:
            holder = self.holder(data)
            if not holder:
                return
            try:
                verify_account(iban=iban, bank=bank, holder_id_number=holder)
            except ServiceError as exc:
                self.service_error(exc)

    def clean(self):
        data = super().clean()
        self.check_bank(data)
        return data


# --- hh.apply: the steps of the application ---------------------------------------------------


class ApplicationDataForm(HouseholdForm):
    """The application's data: the preferred review office and the category."""

    office = forms.ChoiceField(
        label=_("Preferred office for the review"), choices=BLANK + list(Office.choices)
    )
    category = forms.ChoiceField(label=_("Category"), choices=BLANK + list(Category.choices))


class BreadwinnerForm(HouseholdForm):
    """The breadwinner's data: the spouse's ID number and birth date, and who lives with you."""

    spouse_id_number = SaudiIdField(label=_("Spouse's ID number"), required=False)
    spouse_birth_date = forms.DateField(
        label=_("Spouse's date of birth"), required=False, widget=date_widget()
    )
    children = forms.IntegerField(
        label=_("Sons and daughters who live with you"), min_value=0, max_value=30, initial=0
    )
    others = forms.IntegerField(
        label=_("Other members who live with you and whom you support"),
        min_value=0,
        max_value=30,
        initial=0,
    )

    def clean_spouse_birth_date(self):
        value = self.cleaned_data.get("spouse_birth_date")
        not_in_future(value, _("The date of birth cannot be in the future."))
        return value

    def check_breadwinner(self, data: dict) -> None:
        category = data.get("category") or self.category
        number, born = data.get("spouse_id_number"), data.get("spouse_birth_date")
        if category == Category.FAMILY:
            if not number and "spouse_id_number" not in self.errors:
                self.add_error(
                    "spouse_id_number",
                    _("A family with a breadwinner gives the spouse's ID number."),
                )
            if not born and "spouse_birth_date" not in self.errors:
                self.add_error("spouse_birth_date", _("Give the spouse's date of birth."))
        elif number and not born and "spouse_birth_date" not in self.errors:
            self.add_error("spouse_birth_date", _("Give the spouse's date of birth."))
        if number and self.user is not None and number == self.user.id_number:
            self.add_error("spouse_id_number", _("This is your own number: give your spouse's."))

    def clean(self):
        data = super().clean()
        self.check_breadwinner(data)
        return data


class MedicalReportForm(HouseholdForm):
    """The medical report from a government hospital: its date, its number, the hospital."""

    report_date = forms.DateField(label=_("Date of the medical report"), widget=date_widget())
    report_number = forms.CharField(label=_("Number of the medical report"), max_length=40)
    hospital = forms.CharField(
        label=_("The government hospital that issued the report"), max_length=200
    )

    def clean_report_date(self):
        value = self.cleaned_data["report_date"]
        not_in_future(value, _("The date of the report cannot be in the future."))
        return value


class ApplicationTermsForm(HouseholdForm):
    terms = forms.BooleanField(
        label=_("I have read the terms of the social security and I agree to them"),
        error_messages={"required": _("You must agree to the terms to continue.")},
    )


class HouseholdApplicationForm(
    ApplicationDataForm,
    BreadwinnerForm,
    IncomeForm,
    BankForm,
    MedicalReportForm,
    ApplicationTermsForm,
):
    """Every answer of hh.apply at once: what the engine checks again when the application is
    sent (and its one-page form). The wizard asks the same questions step by step."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(
            [
                "office",
                "category",
                "spouse_id_number",
                "spouse_birth_date",
                "children",
                "others",
                "has_income",
                *(income_field(k) for k in INCOME_KINDS),
                "iban",
                "iban_confirm",
                "bank",
                "report_date",
                "report_number",
                "hospital",
                "terms",
            ]
        )

    def clean(self):
        data = forms.Form.clean(self)
        self.check_breadwinner(data)
        self.check_income(data)
        self.check_bank(data)
        return data


# The wizard's steps: (key, title, form class or None for a page without one).
APPLICATION_STEPS: list[tuple[str, Any, type[forms.Form] | None]] = [
    ("data", _("Application data"), ApplicationDataForm),
    ("breadwinner", _("Breadwinner's data"), BreadwinnerForm),
    ("income", _("Income data"), IncomeForm),
    ("bank", _("Bank account"), BankForm),
    ("attachments", _("Attachments"), MedicalReportForm),
    ("terms", _("Terms"), ApplicationTermsForm),
    ("submit", _("Submit the application"), None),
]


# --- hh.update ----------------------------------------------------------------------------------


class ContactForm(HouseholdForm):
    """The address and contact of the data update: the mobile number the code confirms."""

    mobile = SaudiMobileField(label=_("Mobile number"))
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"}),
    )
    region = forms.ChoiceField(label=_("Region"), choices=BLANK + list(Region.choices))
    city = forms.CharField(label=_("City"), max_length=80)
    district = forms.CharField(label=_("District"), max_length=80)
    street = forms.CharField(label=_("Street"), max_length=120)
    building_number = DigitsField(label=_("Building number"), digits=4)
    postal_code = DigitsField(label=_("Postal code"), digits=5)
    additional_number = DigitsField(label=_("Additional number"), digits=4)

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip().lower()


class MobileCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "dir": "ltr",
                "pattern": "[0-9]*",
            }
        ),
    )

    def clean_code(self):
        value = normalise_digits(self.cleaned_data["code"])
        if not re.fullmatch(r"\d{4}", value):
            raise ValidationError(_("The code is 4 digits."), code="digits")
        return value


# --- hh.entitlement (the page) -----------------------------------------------------------------


class EntitlementForm(IncomeForm):
    """The calculator page: the month, who lives in the household, and the income."""

    month = forms.DateField(
        label=_("Month of the payment"),
        widget=forms.DateInput(attrs={"type": "month", "dir": "ltr"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        help_text=_("The rules in force on the first day of that month apply."),
    )
    spouses = forms.IntegerField(label=_("Spouses"), min_value=0, max_value=4, initial=0)
    children = forms.IntegerField(
        label=_("Sons and daughters"), min_value=0, max_value=30, initial=0
    )
    others = forms.IntegerField(
        label=_("Other members you support"), min_value=0, max_value=30, initial=0
    )

    field_order = ["month", "spouses", "children", "others", "has_income"]
