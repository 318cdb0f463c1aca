"""Identity checks against the civil registry, through a backend chosen by a setting.

``CIVIL_REGISTRY_BACKEND`` names a class with the methods of :class:`LocalRegistry`. The default is
the local registry table (:class:`accounts.models.CivilRecord`) that the demo data fills; a real
deployment plugs in the national registry's web service behind the same three methods.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .exceptions import IdentityNotVerified


@dataclass(frozen=True)
class RegisteredPerson:
    number: str
    name_ar: str
    name_en: str
    birth_date: dt.date
    sex: str
    nationality: str
    insurance_number: str


class LocalRegistry:
    """The default backend: the ``CivilRecord`` table."""

    def _get(self, number: str, kind: str):
        from .models import CivilRecord

        return CivilRecord.objects.filter(number=number, kind=kind).first()

    @staticmethod
    def _person(rec) -> RegisteredPerson:
        return RegisteredPerson(
            number=rec.number,
            name_ar=rec.name_ar,
            name_en=rec.name_en,
            birth_date=rec.birth_date,
            sex=rec.sex,
            nationality=rec.nationality,
            insurance_number=rec.insurance_number,
        )

    def verify_jordanian(self, *, national_number: str, id_card_number: str) -> RegisteredPerson:
        from .models import CivilRecord

        rec = self._get(national_number, CivilRecord.Kind.JORDANIAN)
        if rec is None:
            raise IdentityNotVerified(
                _("This national number is not in the civil registry."), field="national_number"
            )
        if rec.id_card_number.upper() != id_card_number.upper():
            raise IdentityNotVerified(
                _("The civil ID card number does not match this national number."),
                field="id_card_number",
            )
        return self._person(rec)

    def jordanian_exists(self, *, national_number: str) -> bool:
        from .models import CivilRecord

        return self._get(national_number, CivilRecord.Kind.JORDANIAN) is not None

    def verify_non_jordanian(
        self,
        *,
        personal_number: str,
        passport_number: str,
        birth_date: dt.date,
        nationality: str,
        insurance_number: str,
    ) -> RegisteredPerson:
        from .models import CivilRecord

        rec = self._get(personal_number, CivilRecord.Kind.NON_JORDANIAN)
        if rec is None:
            raise IdentityNotVerified(
                _("This personal number is not in the registry of non-Jordanians."),
                field="personal_number",
            )
        if rec.passport_number.upper() != passport_number.upper():
            raise IdentityNotVerified(
                _("The passport number does not match this personal number."),
                field="passport_number",
            )
        if rec.birth_date != birth_date:
            raise IdentityNotVerified(
                _("The birth date does not match this personal number."), field="birth_date"
            )
        if rec.nationality != nationality:
            raise IdentityNotVerified(
                _("The nationality does not match this personal number."), field="nationality"
            )
        if rec.insurance_number and rec.insurance_number != insurance_number:
            raise IdentityNotVerified(
                _("The insurance number does not match this personal number."),
                field="insurance_number",
            )
        return self._person(rec)


def get_registry() -> LocalRegistry:
    path = getattr(settings, "CIVIL_REGISTRY_BACKEND", "accounts.registry.LocalRegistry")
    return import_string(path)()
