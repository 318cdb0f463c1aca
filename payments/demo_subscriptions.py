"""Demo data of the optional subscription, self-employment and drivers, made through the request
engine as a person and a staff member would (draft → answers → documents → submit → approve), so
that each record comes with its request, receipt and notifications. Idempotent: a person who
already has the record is left as they are. Runs after eservices/demo.py (the people, the staff
user and establishment 100200 exist).

- Heba (national number 9841012345), an optional subscriber in 2024, continues her optional
  subscription (opt.continue) at 385 JD with a 5% annual increase.
- Mahmoud (personal number 1000234567) is covered as self-employed (self.enroll, bracket 2,
  covered for work injury) and adds a driver to his taxi 15-12345 (self.add-driver): Khaled Yousef
  Al-Masri, national number 9751045678.
- Establishment 100200's liaison officer adds a driver to its bus 20-54321 (est.add-driver):
  Mohammad Ahmad Al-Ali, national number 9651023456.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import IdType, User
from eservices.declarations import get_request_service
from eservices.services import (
    answers_from_form,
    request_approve,
    request_attach,
    request_draft,
    request_save,
    request_submit,
)
from individuals.models import Individual

from .models import Subscription, Vehicle

DEMO_PASSWORD = "Portal#2026"  # noqa: S105 - demo accounts only, printed on purpose
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _through_engine(*, user, code: str, answers: dict, documents: tuple[str, ...], staff):
    spec = get_request_service(code)
    form = spec.make_form(user=user, data=answers)
    if not form.is_valid():
        raise ValueError(f"demo answers of {code} are not valid: {form.errors.as_json()}")
    req = request_draft(user=user, spec=spec)
    req = request_save(req=req, user=user, data=answers_from_form(form))
    for key in documents:
        upload = SimpleUploadedFile(f"{key}.pdf", PDF, content_type="application/pdf")
        request_attach(req=req, user=user, document_type=key, upload=upload)
    req.refresh_from_db()
    req = request_submit(req=req, user=user, token=req.submit_token)
    return request_approve(req=req, staff=staff, note="")


def _person(id_type: str, number: str) -> Individual | None:
    return Individual.objects.filter(user__id_type=id_type, user__id_number=number).first()


@transaction.atomic
def seed() -> list[tuple[str, str, str]]:
    staff = User.objects.filter(username="staff").first()
    rows: list[tuple[str, str, str]] = []
    if staff is None:
        return rows
    today = timezone.localdate()

    heba = _person(IdType.NATIONAL, "9841012345")
    if heba is not None:
        if not Subscription.objects.filter(individual=heba, kind="optional").exists():
            _through_engine(
                user=heba.user,
                code="opt.continue",
                answers={
                    "declared_wage": "385.000",
                    "annual_increase": "5",
                    "phone": "+962785005566",
                    "email": "heba@example.com",
                    "address": "إربد، شارع الجامعة",
                    "bank": "housing_bank",
                    "iban": "JO71CBJO0000000000001234567890",
                    "declaration": "on",
                },
                documents=(),
                staff=staff,
            )
        rows.append(("Optional subscriber", "national number 9841012345", DEMO_PASSWORD))

    mahmoud = _person(IdType.PERSONAL, "1000234567")
    if mahmoud is not None:
        if not Subscription.objects.filter(individual=mahmoud, kind="self_employed").exists():
            _through_engine(
                user=mahmoud.user,
                code="self.enroll",
                answers={
                    "bracket": "2",
                    "activity": "نقل الركاب بسيارة أجرة",
                    "licence_number": "TX-2026-0415",
                    "injury_covered": "on",
                    "phone": "+962781112233",
                    "email": "mahmoud@example.com",
                    "address": "عمّان، جبل الحسين",
                    "declaration": "on",
                },
                documents=("licence",),
                staff=staff,
            )
        if not Vehicle.objects.filter(plate_number="15-12345").exists():
            _through_engine(
                user=mahmoud.user,
                code="self.add-driver",
                answers={
                    "plate_number": "15-12345",
                    "vehicle_type": "taxi",
                    "national_number": "9751045678",
                    "start_date": today.isoformat(),
                },
                documents=("vehicle_licence", "driving_licence"),
                staff=staff,
            )
        rows.append(
            ("Self-employed taxi owner with a driver", "personal number 1000234567", DEMO_PASSWORD)
        )

    officer = User.objects.filter(id_type=IdType.ESTABLISHMENT, id_number="100200").first()
    if officer is not None and not Vehicle.objects.filter(plate_number="20-54321").exists():
        _through_engine(
            user=officer,
            code="est.add-driver",
            answers={
                "plate_number": "20-54321",
                "vehicle_type": "bus",
                "national_number": "9651023456",
                "start_date": today.isoformat(),
            },
            documents=("vehicle_licence", "driving_licence"),
            staff=staff,
        )
    return rows
