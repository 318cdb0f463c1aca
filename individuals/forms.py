"""The two registration forms, with every field the source names, in the source's order."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField
from phonenumbers import PhoneNumberType, number_type

from accounts.fields import DigitsField, PhoneField, PortalCaptchaField
from accounts.models import Channel

from .models import EducationLevel, Kinship

BLANK = [("", "---------")]


class RegistrationCommon(forms.Form):
    """Fields both registrations share: residence to captcha."""

    residence_country = LazyTypedChoiceField(
        label=_("Country of residence"), choices=BLANK + list(countries), initial="JO"
    )
    education_level = forms.ChoiceField(
        label=_("Education level"), choices=BLANK + list(EducationLevel.choices)
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"}),
    )
    email_confirm = forms.EmailField(
        label=_("Confirm the email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password_confirm = forms.CharField(
        label=_("Confirm the password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    activation_channel = forms.ChoiceField(
        label=_("Activation method"),
        choices=Channel.choices,
        initial=Channel.SMS,
        widget=forms.RadioSelect,
        help_text=_("Where the activation code is sent."),
    )
    captcha = PortalCaptchaField()

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_email_confirm(self):
        return self.cleaned_data["email_confirm"].strip().lower()

    def clean_phone(self):
        phone = self.cleaned_data.get("phone")
        if phone and number_type(phone) not in (
            PhoneNumberType.MOBILE,
            PhoneNumberType.FIXED_LINE_OR_MOBILE,
        ):
            raise forms.ValidationError(
                _("Enter a mobile number: the activation code can be sent to it.")
            )
        return phone

    def clean(self):
        data = super().clean()
        if (
            data.get("email")
            and data.get("email_confirm")
            and data["email"] != data["email_confirm"]
        ):
            self.add_error("email_confirm", _("The two email addresses do not match."))
        pw, pw2 = data.get("password"), data.get("password_confirm")
        if pw and pw2 and pw != pw2:
            self.add_error("password_confirm", _("The two passwords do not match."))
        elif pw:
            try:
                password_validation.validate_password(pw)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class JordanianRegistrationForm(RegistrationCommon):
    national_number = DigitsField(
        label=_("National number"), digits=10, help_text=_("The full national number, 10 digits.")
    )
    id_card_number = forms.CharField(
        label=_("Civil ID card number"),
        max_length=8,
        min_length=8,
        help_text=_("On the back of the identity card: 3 letters then 5 digits."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    relative_national_number = DigitsField(label=_("National number of a relative"), digits=10)
    relative_kinship = forms.ChoiceField(label=_("Kinship"), choices=BLANK + list(Kinship.choices))
    phone = PhoneField(label=_("Country code and phone number"), region="JO")

    field_order = [
        "national_number",
        "id_card_number",
        "relative_national_number",
        "relative_kinship",
        "phone",
        "residence_country",
        "education_level",
        "email",
        "email_confirm",
        "password",
        "password_confirm",
        "activation_channel",
        "captcha",
    ]

    def clean_id_card_number(self):
        value = self.cleaned_data["id_card_number"].strip().upper()
        if not (
            len(value) == 8 and value[:3].isascii() and value[:3].isalpha() and value[3:].isdigit()
        ):
            raise forms.ValidationError(
                _("The card number is 3 Latin letters then 5 digits, e.g. ABC12345.")
            )
        return value

    def clean(self):
        data = super().clean()
        if data.get("national_number") and data.get("national_number") == data.get(
            "relative_national_number"
        ):
            self.add_error(
                "relative_national_number",
                _("Enter a relative's national number, not your own."),
            )
        return data


class NonJordanianRegistrationForm(RegistrationCommon):
    personal_number = DigitsField(
        label=_("Personal number"),
        digits=10,
        help_text=_("The personal number given to non-Jordanians, 10 digits."),
    )
    phone = PhoneField(label=_("Country code and phone number"), region="JO")
    passport_number = forms.RegexField(
        label=_("Passport number"),
        regex=r"^[A-Za-z0-9]{5,20}$",
        max_length=20,
        error_messages={"invalid": _("Enter 5 to 20 Latin letters and digits.")},
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    birth_date = forms.DateField(
        label=_("Birth date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    insurance_number = DigitsField(label=_("Insurance (social security) number"), max_digits=12)
    nationality = LazyTypedChoiceField(label=_("Nationality"), choices=BLANK + list(countries))
    phone_abroad = PhoneField(
        label=_("Country code and phone number outside Jordan"), region=None, required=False
    )

    field_order = [
        "personal_number",
        "phone",
        "passport_number",
        "birth_date",
        "insurance_number",
        "nationality",
        "phone_abroad",
        "residence_country",
        "education_level",
        "email",
        "email_confirm",
        "password",
        "password_confirm",
        "activation_channel",
        "captcha",
    ]

    def clean_passport_number(self):
        return self.cleaned_data["passport_number"].upper()

    def clean_nationality(self):
        value = self.cleaned_data["nationality"]
        if value == "JO":
            raise forms.ValidationError(
                _("Jordanians register with the national number: choose the Jordanian form.")
            )
        return value

    def clean_birth_date(self):
        from django.utils import timezone

        value = self.cleaned_data["birth_date"]
        if value >= timezone.localdate():
            raise forms.ValidationError(_("The birth date must be in the past."))
        return value
