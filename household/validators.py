"""Identifiers of the household social security: the national ID / iqama number and the Saudi IBAN.

RULES.md: "National ID / iqama: 10 digits, first 1 (citizen) or 2 (resident), Luhn check digit
[S12]. IBAN: 24 characters, SA, mod-97 [S13]." Each check raises a ValidationError whose message
says exactly what is wrong, so that the form shows it next to the field.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.fields import normalise_digits
from accounts.models import IdType
from eservices.validators import iban_is_valid


def luhn_ok(digits: str) -> bool:
    """The Luhn check over a string of digits (the last one is the check digit)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def clean_saudi_id(value: str) -> str:
    """The number, normalised (Arabic-Indic digits accepted), or a ValidationError that says why."""
    number = normalise_digits(value)
    if not re.fullmatch(r"\d{10}", number):
        raise ValidationError(_("The ID or iqama number is 10 digits."), code="length")
    if number[0] not in "12":
        raise ValidationError(
            _(
                "The number starts with 1 (a national ID of a citizen) or 2 (the iqama of a "
                "resident)."
            ),
            code="first_digit",
        )
    if not luhn_ok(number):
        raise ValidationError(
            _("The number is not valid: its check digit does not match. Check the number."),
            code="check_digit",
        )
    return number


def validate_saudi_id(value: str) -> None:
    clean_saudi_id(value)


def id_type_for(number: str) -> str:
    """A valid number's sign-in type: 1… a citizen's national ID, 2… a resident's iqama."""
    return IdType.SA_NATIONAL if number.startswith("1") else IdType.SA_IQAMA


def clean_saudi_iban(value: str) -> str:
    iban = re.sub(r"\s+", "", normalise_digits(value or "")).upper()
    # SA, 2 check digits, 2 digits of the bank, 18 letters or digits of the account [S13].
    if not re.fullmatch(r"SA\d{4}[A-Z0-9]{18}", iban):
        raise ValidationError(
            _("A Saudi IBAN is 24 characters: SA, 2 check digits, then 20 of the account."),
            code="format",
        )
    if not iban_is_valid(iban):
        raise ValidationError(
            _("The IBAN is not valid: its check digits do not match. Check the number."),
            code="checksum",
        )
    return iban


def validate_saudi_iban(value: str) -> None:
    clean_saudi_iban(value)


def mask_iban(iban: str) -> str:
    """Enough of an account number to recognise it: SA03 **** **** 7519."""
    return f"{iban[:4]} **** **** {iban[-4:]}" if len(iban) > 8 else iban
