from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

IBAN_LENGTHS = {"JO": 30, "SA": 24}


def iban_is_valid(value: str) -> bool:
    """ISO 13616: country length, then the mod-97 check over the rearranged digits."""
    iban = re.sub(r"\s+", "", value or "").upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]+", iban):
        return False
    if IBAN_LENGTHS.get(iban[:2], len(iban)) != len(iban):
        return False
    digits = "".join(str(int(ch, 36)) for ch in iban[4:] + iban[:4])
    return int(digits) % 97 == 1


def validate_jordanian_iban(value: str) -> None:
    iban = re.sub(r"\s+", "", value or "").upper()
    if not iban.startswith("JO") or not iban_is_valid(iban):
        raise ValidationError(
            _("Enter a valid Jordanian IBAN: JO, 2 check digits, then 26 letters and digits.")
        )
