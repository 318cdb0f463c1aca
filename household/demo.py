"""Demo data of the household social security: people in the local register of persons and bank
table, a household account with a complete profile whose application was accepted three months
ago (so its payment schedule has payments), and people who can try creating an account.

Idempotent: what exists is left as it is. Runs after eservices/demo.py (which makes the staff user).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Channel, User
from eservices.dates import month_after, month_start
from eservices.models import ServiceRequest

from .models import BankAccountRecord, IdentityRecord, IncomeSource, Pension, Profile

DEMO_PASSWORD = "Portal#2026"  # noqa: S105 - demo accounts only, printed on purpose

PEOPLE = [
    dict(
        number="1045678909",
        name_ar="فاطمة عبدالله القحطاني",
        name_en="Fatimah Abdullah Al-Qahtani",
        birth_date=dt.date(1980, 3, 15),
    ),
    dict(
        number="1067890127",
        name_ar="خالد سعد العتيبي",
        name_en="Khalid Saad Al-Otaibi",
        birth_date=dt.date(1975, 7, 1),
    ),
    dict(
        number="2076543210",
        name_ar="مريم أحمد يوسف",
        name_en="Maryam Ahmad Yousef",
        birth_date=dt.date(1988, 11, 20),
    ),
]
ACCOUNTS = [
    ("SA0380000000608010167519", "80", "1045678909", "فاطمة عبدالله القحطاني"),
    ("SA8510000012345678901234", "10", "1067890127", "خالد سعد العتيبي"),
    ("SA1020000098765432109876", "20", "2076543210", "مريم أحمد يوسف"),
]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def seed() -> list[tuple[str, str, str]]:
    for rec in PEOPLE:
        IdentityRecord.objects.update_or_create(number=rec["number"], defaults=rec)
    for iban, bank, holder, name in ACCOUNTS:
        BankAccountRecord.objects.get_or_create(
            iban=iban, defaults=dict(bank=bank, holder_id_number=holder, holder_name=name)
        )
    with transaction.atomic():
        _beneficiary()
    return [
        (
            "Household pension beneficiary (at /household/sign-in/)",
            "ID number 1045678909",
            DEMO_PASSWORD,
        ),
        (
            "Household: not yet registered (try /household/register/)",
            "ID 1067890127, born 1975-07-01, any 05 mobile",
            "—",
        ),
        (
            "Household: a resident, not yet registered",
            "iqama 2076543210, born 1988-11-20, any 05 mobile",
            "—",
        ),
    ]


def _beneficiary() -> None:
    """Fatimah: a widow with three children, a small wage and the Citizen's Account; her
    application was accepted three months ago and her pension has been paid since."""
    from eservices.services import request_approve, request_attach, request_save, request_submit

    from .application import HOUSEHOLD_APPLICATION, on_approve  # noqa: F401
    from .payouts import pay_due_pensions

    person = PEOPLE[0]
    user = User.objects.filter(username=f"sa_national:{person['number']}").first()
    if user is None:
        user = User.objects.create_user(
            "sa_national",
            person["number"],
            DEMO_PASSWORD,
            full_name=person["name_ar"],
            phone="+966501234567",
            email="fatimah@example.sa",
            activation_channel=Channel.SMS,
            activated_at=timezone.now(),
        )
    now = timezone.now()
    profile, _created = Profile.objects.get_or_create(
        user=user,
        defaults=dict(
            birth_date=person["birth_date"],
            must_change_password=False,
            stage=Profile.Stage.DONE,
            region="riyadh",
            city="الرياض",
            district="النسيم",
            street="شارع الأمير سعود",
            building_number="4321",
            postal_code="14231",
            additional_number="7788",
            mobile_confirmed_at=now,
            employment="private",
            employer="مشغل الأمل للخياطة",
            job_title="خياطة",
            iban=ACCOUNTS[0][0],
            bank="80",
            bank_verified_at=now,
            has_income=True,
            education="secondary",
            terms_accepted_at=now,
            completed_at=now,
        ),
    )
    if not profile.incomes.exists():
        IncomeSource.objects.bulk_create(
            [
                IncomeSource(profile=profile, kind="wages", monthly_amount=Decimal("1200.00")),
                IncomeSource(
                    profile=profile, kind="citizen_account", monthly_amount=Decimal("720.00")
                ),
            ]
        )
    if Pension.objects.filter(beneficiary=user).exists():
        return
    staff = User.objects.filter(username="staff").first()
    if staff is None:
        return
    req = ServiceRequest.objects.create(applicant=user, service_code="hh.apply")
    req = request_save(
        req=req,
        user=user,
        data={
            "office": "riyadh",
            "category": "widow",
            "spouse_id_number": "",
            "spouse_birth_date": None,
            "children": 3,
            "others": 0,
            "has_income": "yes",
            "income_wages": "1200.00",
            "income_citizen_account": "720.00",
            "iban": ACCOUNTS[0][0],
            "iban_confirm": ACCOUNTS[0][0],
            "bank": "80",
            "report_date": (timezone.localdate() - dt.timedelta(days=120)).isoformat(),
            "report_number": "MR-1447-2231",
            "hospital": "مستشفى الملك سعود العام",
            "terms": True,
            "_done": ["data", "breadwinner", "income", "bank", "attachments", "terms"],
        },
    )
    for key, name in (
        ("id_document", "national-id.pdf"),
        ("medical_report", "medical-report.pdf"),
        ("family_record", "family-record.pdf"),
    ):
        request_attach(
            req=req,
            user=user,
            document_type=key,
            upload=SimpleUploadedFile(name, PDF, content_type="application/pdf"),
        )
    req.refresh_from_db()
    req = request_submit(req=req, user=user, token=req.submit_token)
    req = request_approve(req=req, staff=staff, note="المستندات مكتملة والدخل أقل من الحد الأدنى")
    # Three months back: submitted and accepted then, paid from the month after.
    accepted = timezone.localdate() - dt.timedelta(days=80)
    submitted = timezone.now() - dt.timedelta(days=95)
    ServiceRequest.objects.filter(pk=req.pk).update(
        submitted_at=submitted, decided_at=submitted + dt.timedelta(days=15)
    )
    Pension.objects.filter(request=req).update(
        accepted_on=accepted,
        first_month=month_after(month_start(accepted), 1),
        breadwinner_since=accepted,
    )
    pay_due_pensions(today=timezone.localdate())
