"""Demo data of the establishment programmes (idempotent; after eservices/demo.py):

- establishment 100800, a nursery (حضانة البراعم), accredited in the care programme through the
  engine (sent by its officer, approved by the demo staff user): employers can add a child;
- establishment 100900, a young entrepreneurial company (شركة فكرة الناشئة) covered a year ago,
  with three employees: it can ask for startup.benefit, then suspend old-age coverage.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import IdType, User
from establishments.models import Establishment, LiaisonOfficer
from individuals.models import Individual, InsurancePeriod

from .models import Nursery

DEMO_PASSWORD = "Portal#2026"  # noqa: S105 - demo accounts only, printed on purpose
NURSERY = "100800"
STARTUP = "100900"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _officer(number: str, est_fields: dict, officer_name: str, phone: str) -> User:
    est, _created = Establishment.objects.get_or_create(
        insurance_number=number, defaults={"kind": Establishment.Kind.PRIVATE, **est_fields}
    )
    user = User.objects.filter(id_type=IdType.ESTABLISHMENT, id_number=number).first()
    if user is None:
        user = User.objects.create_user(
            IdType.ESTABLISHMENT,
            number,
            DEMO_PASSWORD,
            email=f"officer{number}@example.com",
            phone=phone,
            full_name=officer_name,
            activated_at=timezone.now(),
        )
    LiaisonOfficer.objects.get_or_create(
        establishment=est,
        defaults={
            "user": user,
            "name": officer_name,
            "national_number": "9701010101",
            "phone": phone,
            "email": f"officer{number}@example.com",
        },
    )
    return user


def _employee(est, number: str, name: str, sex: str, wage: str, start: dt.date) -> None:
    person, _created = Individual.objects.get_or_create(
        national_number=number,
        defaults={
            "is_jordanian": True,
            "name_ar": name,
            "birth_date": dt.date(1995, 3, 1),
            "sex": sex,
            "residence_country": "JO",
            "education_level": "bachelor",
        },
    )
    InsurancePeriod.objects.get_or_create(
        individual=person,
        establishment=est,
        start_date=start,
        defaults={"coverage": "mandatory", "monthly_wage": Decimal(wage)},
    )


def _accredit_nursery(user: User) -> None:
    from eservices.declarations import get_request_service
    from eservices.services import (
        request_approve,
        request_attach,
        request_draft,
        request_save,
        request_submit,
    )

    est = Establishment.objects.get(insurance_number=NURSERY)
    if Nursery.objects.filter(establishment=est, programme=Nursery.Programme.CARE).exists():
        return
    staff = User.objects.filter(is_staff=True).order_by("pk").first()
    if staff is None:
        return
    spec = get_request_service("nursery.accredit-care")
    req = request_draft(user=user, spec=spec)
    form = spec.make_form(
        user=user,
        data={
            "name": "حضانة البراعم",
            "licence_number": "MSD-2231",
            "licence_expiry": (timezone.localdate() + dt.timedelta(days=365)).isoformat(),
            "governorate": "إربد",
            "address": "إربد، شارع الجامعة، بناية 4",
            "capacity": "40",
            "children_enrolled": "22",
            "monthly_fee": "80.000",
            "bank": "bank_of_jordan",
            "iban": "JO94CBJO0010000000000131000302",
        },
    )
    if not form.is_valid():
        return
    from eservices.services import answers_from_form

    req = request_save(req=req, user=user, data=answers_from_form(form))
    request_attach(
        req=req,
        user=user,
        document_type="licence",
        upload=SimpleUploadedFile("licence.pdf", PDF, content_type="application/pdf"),
    )
    req.refresh_from_db()
    req = request_submit(req=req, user=user, token=req.submit_token)
    request_approve(req=req, staff=staff, note="طلب تجريبي")


def seed() -> list[tuple[str, str, str]]:
    today = timezone.localdate()
    nursery_user = _officer(
        NURSERY,
        {
            "name": "حضانة البراعم",
            "coverage_date": dt.date(2019, 9, 1),
            "governorate": "إربد",
            "main_activity": "حضانة أطفال",
        },
        "سلمى عادل الزعبي",
        "+962795550800",
    )
    nursery = Establishment.objects.get(insurance_number=NURSERY)
    _employee(nursery, "9900800001", "هبة محمود العمري", "F", "420.000", dt.date(2019, 9, 1))
    _accredit_nursery(nursery_user)

    start = today.replace(day=1) - dt.timedelta(days=365)
    _officer(
        STARTUP,
        {
            "name": "شركة فكرة الناشئة",
            "coverage_date": start,
            "governorate": "العاصمة",
            "main_activity": "تطبيقات الدفع الإلكتروني",
        },
        "يزن فراس الحوراني",
        "+962795550900",
    )
    startup = Establishment.objects.get(insurance_number=STARTUP)
    for k, (name, sex, wage) in enumerate(
        [
            ("ليث سامر النجار", "M", "450.000"),
            ("دانة خليل الرفاعي", "F", "480.000"),
            ("عمر هاني السعدي", "M", "900.000"),
        ]
    ):
        _employee(startup, f"99009000{k + 1:02d}", name, sex, wage, start)
    return [
        (
            "Nursery accredited in the care programme",
            f"establishment insurance number {NURSERY}",
            DEMO_PASSWORD,
        ),
        (
            "Entrepreneurial establishment (startup.*)",
            f"establishment insurance number {STARTUP}",
            DEMO_PASSWORD,
        ),
    ]
