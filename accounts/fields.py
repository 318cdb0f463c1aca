"""Form fields shared by the registration and sign-in forms."""

from __future__ import annotations

import re

from captcha.fields import CaptchaField
from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import SplitPhoneNumberField

DIGITS_10 = RegexValidator(r"^\d{10}$", _("Enter exactly 10 digits."))

ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def normalise_digits(value: str) -> str:
    """Accept Arabic-Indic digits and stray spaces, as people type them on Arabic keyboards."""
    return re.sub(r"\s+", "", (value or "").translate(ARABIC_DIGITS))


class DigitsField(forms.CharField):
    def __init__(self, *, digits: int | None = None, max_digits: int | None = None, **kwargs):
        kwargs.setdefault("max_length", digits or max_digits)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"})
        if digits:
            self.validators.append(
                RegexValidator(
                    rf"^\d{{{digits}}}$", _("Enter exactly %(n)s digits.") % {"n": digits}
                )
            )
        elif max_digits:
            self.validators.append(
                RegexValidator(
                    rf"^\d{{1,{max_digits}}}$",
                    _("Enter digits only, at most %(n)s.") % {"n": max_digits},
                )
            )

    def to_python(self, value):
        return normalise_digits(super().to_python(value))


class PhoneField(SplitPhoneNumberField):
    """Country code then the number, as the source asks ("رمز الدولة متبوعًا برقم الهاتف")."""

    def prefix_field(self):
        field = super().prefix_field()
        field.widget.attrs.update({"aria-label": _("Country code"), "class": "form-select"})
        return field

    def number_field(self):
        field = super().number_field()
        field.widget.attrs.update(
            {
                "aria-label": _("Phone number"),
                "dir": "ltr",
                "autocomplete": "tel-national",
                "class": "form-control",
            }
        )
        return field

    def clean(self, value):
        if isinstance(value, list | tuple) and len(value) == 2:
            value = [value[0], normalise_digits(value[1])]
        return super().clean(value)


class PortalCaptchaField(CaptchaField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("The code shown in the box"))
        kwargs.setdefault(
            "error_messages",
            {"invalid": _("The code from the box is not correct. Try the new one.")},
        )
        super().__init__(**kwargs)
        # crispy renders this two-part field in a fieldset; a legend does not name the text box.
        self.widget.widgets[1].attrs.setdefault("aria-label", self.label)


class OneTimeCodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Verification code"))
        kwargs.setdefault("max_length", 6)
        kwargs.setdefault("min_length", 6)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "dir": "ltr",
                "pattern": "[0-9]*",
            }
        )
        self.validators.append(RegexValidator(r"^\d{6}$", _("The code is 6 digits.")))

    def to_python(self, value):
        return normalise_digits(super().to_python(value))
