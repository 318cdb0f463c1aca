"""The identity check of a new household account: the ID / iqama number with its birth date.

Through a backend named by ``HOUSEHOLD_IDENTITY_BACKEND`` (a class with the method of
:class:`LocalIdentityTable`); the default is the local table
:class:`household.models.IdentityRecord` that the demo data fills. A real deployment plugs in the
national information centre's service behind the same method.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from accounts.exceptions import IdentityNotVerified


@dataclass(frozen=True)
class Person:
    number: str
    name_ar: str
    name_en: str
    birth_date: dt.date


class LocalIdentityTable:
    def verify(self, *, number: str, birth_date: dt.date) -> Person:
        from .models import IdentityRecord

        rec = IdentityRecord.objects.filter(number=number).first()
        if rec is None:
            raise IdentityNotVerified(
                _("This ID or iqama number is not in the register of persons."),
                field="id_number",
            )
        if rec.birth_date != birth_date:
            raise IdentityNotVerified(
                _("The birth date does not match this ID or iqama number."), field="birth_date"
            )
        return Person(rec.number, rec.name_ar, rec.name_en, rec.birth_date)


def get_identity_backend() -> LocalIdentityTable:
    path = getattr(settings, "HOUSEHOLD_IDENTITY_BACKEND", "household.identity.LocalIdentityTable")
    return import_string(path)()
