"""Registration of individuals: identity checked, account and profile created, code sent."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from accounts.exceptions import ServiceError
from accounts.models import IdType, OneTimeCode, User
from accounts.registry import get_registry
from accounts.services import otp_issue

from .models import Individual

DUPLICATE_NATIONAL = _(
    "This national number is already registered. Sign in, or reset the password if you forgot it."
)
DUPLICATE_PERSONAL = _(
    "This personal number is already registered. Sign in, or reset the password if you forgot it."
)
DUPLICATE_EMAIL = _("This email is already used by another account.")


def _check_unique(*, id_type: str, number: str, email: str) -> None:
    field = "national_number" if id_type == IdType.NATIONAL else "personal_number"
    if User.objects.filter(id_type=id_type, id_number=number).exists():
        raise ServiceError(
            DUPLICATE_NATIONAL if id_type == IdType.NATIONAL else DUPLICATE_PERSONAL, field=field
        )
    if User.objects.filter(email__iexact=email).exists():
        raise ServiceError(DUPLICATE_EMAIL, field="email")


def _create(*, id_type: str, number: str, data: dict[str, Any], person, profile: dict) -> User:
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                id_type,
                number,
                data["password"],
                email=data["email"],
                phone=data["phone"],
                full_name=person.name_ar,
                activation_channel=data["activation_channel"],
            )
            fields = {
                "name_ar": person.name_ar,
                "name_en": person.name_en,
                "birth_date": person.birth_date,
                "sex": person.sex,
                "residence_country": data["residence_country"],
                "education_level": data["education_level"],
                **profile,
            }
            key = (
                {"national_number": number}
                if id_type == IdType.NATIONAL
                else {"personal_number": number}
            )
            # The insured person may already be on record (reported by an establishment): link it.
            existing = Individual.objects.select_for_update().filter(user=None, **key).first()
            if existing:
                for name, value in fields.items():
                    setattr(existing, name, value)
                existing.user = user
                existing.save()
            else:
                Individual.objects.create(user=user, **fields)
            otp_issue(user=user, purpose=OneTimeCode.Purpose.ACTIVATION)
    except IntegrityError as exc:
        # Two submissions at once: the second one meets the unique constraints.
        _check_unique(id_type=id_type, number=number, email=data["email"])
        raise ServiceError(_("This registration was already received.")) from exc
    return user


def individual_register_jordanian(*, data: dict[str, Any]) -> User:
    """Register a Jordanian: the national number and card must match the civil registry."""
    number = data["national_number"]
    _check_unique(id_type=IdType.NATIONAL, number=number, email=data["email"])
    registry = get_registry()
    person = registry.verify_jordanian(
        national_number=number, id_card_number=data["id_card_number"]
    )
    if not registry.jordanian_exists(national_number=data["relative_national_number"]):
        raise ServiceError(
            _("The relative's national number is not in the civil registry."),
            field="relative_national_number",
        )
    return _create(
        id_type=IdType.NATIONAL,
        number=number,
        data=data,
        person=person,
        profile={
            "is_jordanian": True,
            "national_number": number,
            "id_card_number": data["id_card_number"],
            "relative_national_number": data["relative_national_number"],
            "relative_kinship": data["relative_kinship"],
            "nationality": "JO",
        },
    )


def individual_register_non_jordanian(*, data: dict[str, Any]) -> User:
    """Register a non-Jordanian: personal number, passport, birth date and nationality must match."""
    number = data["personal_number"]
    _check_unique(id_type=IdType.PERSONAL, number=number, email=data["email"])
    person = get_registry().verify_non_jordanian(
        personal_number=number,
        passport_number=data["passport_number"],
        birth_date=data["birth_date"],
        nationality=data["nationality"],
        insurance_number=data["insurance_number"],
    )
    return _create(
        id_type=IdType.PERSONAL,
        number=number,
        data=data,
        person=person,
        profile={
            "is_jordanian": False,
            "personal_number": number,
            "passport_number": data["passport_number"],
            "insurance_number": data["insurance_number"],
            "nationality": data["nationality"],
            "phone_abroad": data.get("phone_abroad") or "",
        },
    )
