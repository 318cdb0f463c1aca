"""Factories and helpers of the household tests (hh.*)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from household.models import BankAccountRecord, IdentityRecord, IncomeSource, Profile

from .factories import PASSWORD

# Valid numbers (Luhn) and IBANs (mod 97), made for the tests.
CITIZEN = "1045678909"
CITIZEN_2 = "1067890127"
RESIDENT = "2076543210"
SPOUSE = "1089012346"
BREADWINNER = "1098765439"
IBAN = "SA0380000000608010167519"  # Al Rajhi (80), FACTS.md's example
IBAN_2 = "SA8510000012345678901234"  # Saudi National Bank (10)
IBAN_BREADWINNER = "SA1020000098765432109876"  # Riyad Bank (20)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name: str = "doc.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buf, "PNG")
    return buf.getvalue()


def person(number: str = CITIZEN, born: dt.date = dt.date(1980, 3, 15), name="فاطمة القحطاني"):
    return IdentityRecord.objects.get_or_create(
        number=number, defaults={"birth_date": born, "name_ar": name}
    )[0]


def bank_account(iban: str = IBAN, holder: str = CITIZEN, *, active: bool = True):
    return BankAccountRecord.objects.get_or_create(
        iban=iban,
        defaults={
            "bank": iban[4:6],
            "holder_id_number": holder,
            "holder_name": "—",
            "is_active": active,
        },
    )[0]


def household_user(
    number: str = CITIZEN,
    *,
    complete: bool = True,
    must_change_password: bool = False,
    incomes: dict[str, str] | None = None,
    phone: str = "+966501234567",
    iban: str = IBAN,
) -> User:
    """A household account; complete: the five stages and the terms done, the bank known."""
    id_type = "sa_national" if number.startswith("1") else "sa_iqama"
    user = User.objects.create_user(
        id_type,
        number,
        PASSWORD,
        full_name="فاطمة القحطاني",
        phone=phone,
        activated_at=timezone.now(),
    )
    now = timezone.now()
    fields = {}
    if complete:
        bank_account(iban, number)
        fields = dict(
            stage=Profile.Stage.DONE,
            region="riyadh",
            city="الرياض",
            district="النسيم",
            street="شارع الأمير سعود",
            building_number="4321",
            postal_code="14231",
            additional_number="7788",
            employment="unemployed",
            iban=iban,
            bank=iban[4:6],
            bank_verified_at=now,
            has_income=bool(incomes),
            education="secondary",
            terms_accepted_at=now,
            completed_at=now,
            mobile_confirmed_at=now,
        )
    profile = Profile.objects.create(
        user=user,
        birth_date=dt.date(1980, 3, 15),
        must_change_password=must_change_password,
        **fields,
    )
    for kind, amount in (incomes or {}).items():
        IncomeSource.objects.create(profile=profile, kind=kind, monthly_amount=Decimal(amount))
    return user


def application_answers(**overrides) -> dict:
    """Every answer of hh.apply, valid, as the engine keeps them."""
    data = {
        "office": "riyadh",
        "category": "family",
        "spouse_id_number": SPOUSE,
        "spouse_birth_date": "1982-05-01",
        "children": 2,
        "others": 0,
        "has_income": "yes",
        "income_wages": "2000.00",
        "income_citizen_account": "720.00",
        "iban": IBAN,
        "iban_confirm": IBAN,
        "bank": "80",
        "report_date": (timezone.localdate() - dt.timedelta(days=30)).isoformat(),
        "report_number": "MR-2231",
        "hospital": "مستشفى الملك سعود العام",
        "terms": True,
    }
    data.update(overrides)
    return data
