"""Demo data of the retirement services (run by seed_demo after eservices/demo.py; idempotent):

- a retiree (national number 9581012345): an old-age pension granted two years ago with two
  dependants, every month since paid by the payroll, and a loan granted eight months ago whose
  instalments the payroll deducted;
- an insured woman whose coverage has stopped, of the old-age age (9691012345): she can ask for an
  old-age pension;
- the 40-year record of eservices/demo.py (9661012345, still covered) uses the calculator.

Everything is made by the same service functions as the real thing (the grant, the loan, the
payroll), dated in the past.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import CivilRecord, IdType
from eservices.dates import month_after, month_start
from eservices.demo import DEMO_PASSWORD, ESTABLISHMENTS, MANDATORY, Job, _history, _user
from eservices.models import RequestEvent, ServiceRequest
from establishments.models import Establishment
from individuals.models import Individual

from .models import Pension
from .payroll import run_payroll
from .services import LOAN_REQUEST, OLD_AGE_REQUEST, loan_grant, pension_grant

IBAN = "JO71CBJO0000000000001234567890"

RETIREE = dict(
    kind="jordanian",
    number="9581012345",
    id_card_number="SOQ58101",
    name_ar="سليم عودة القيسي",
    name_en="Salim Odeh Al-Qaisi",
    birth_date=dt.date(1958, 4, 12),
    sex="M",
)
APPLICANT = dict(
    kind="jordanian",
    number="9691012345",
    id_card_number="MYB69101",
    name_ar="منى يوسف البطاينة",
    name_en="Muna Yousef Al-Bataineh",
    birth_date=dt.date(1969, 3, 5),
    sex="F",
)


def _person(rec: dict, email: str, phone: str, insurance_number: str) -> Individual:
    CivilRecord.objects.update_or_create(number=rec["number"], defaults=rec)
    user = _user(IdType.NATIONAL, rec["number"], rec["name_ar"], email, phone, timezone.now())
    individual, _created = Individual.objects.get_or_create(
        user=user,
        defaults=dict(
            is_jordanian=True,
            name_ar=rec["name_ar"],
            name_en=rec["name_en"],
            birth_date=rec["birth_date"],
            sex=rec["sex"],
            national_number=rec["number"],
            id_card_number=rec["id_card_number"],
            insurance_number=insurance_number,
            nationality="JO",
            residence_country="JO",
            education_level="secondary",
        ),
    )
    return individual


def _request(user, code: str, data: dict, day: dt.date, prefix: str) -> ServiceRequest:
    """A request sent on ``day`` and approved the next day (its effects follow)."""
    sent = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    req = ServiceRequest.objects.create(
        applicant=user, service_code=code, data=data, created_at=sent
    )
    req.reference = f"{prefix}-{sent:%Y}-{req.pk:06d}"
    req.status = ServiceRequest.Status.APPROVED
    req.submitted_at = sent
    req.decided_at = sent + dt.timedelta(days=1)
    req.save()
    for action, before, after, at in (
        ("created", "", "draft", sent),
        ("submitted", "draft", "submitted", sent),
        ("approved", "submitted", "approved", req.decided_at),
    ):
        RequestEvent.objects.create(
            request=req,
            actor=user if action != "approved" else None,
            actor_kind="applicant" if action != "approved" else "staff",
            action=action,
            from_status=before,
            to_status=after,
            at=at,
        )
    return req


@transaction.atomic
def seed() -> list[tuple[str, str, str]]:
    today = timezone.localdate()
    this_month = month_start(today)
    establishments = {
        number: Establishment.objects.get_or_create(insurance_number=number, defaults=fields)[0]
        for number, fields in ESTABLISHMENTS.items()
    }

    # The retiree: 34 years of work that ended two years ago.
    retired_on = month_after(this_month, -25) + dt.timedelta(days=14)
    retiree = _person(RETIREE, "salim@example.com", "+962796001234", "0543210")
    _history(
        retiree,
        [
            Job("100400", MANDATORY, dt.date(1984, 1, 1), dt.date(1999, 12, 31), "150.000"),
            Job(
                "100600",
                MANDATORY,
                dt.date(2000, 1, 1),
                month_start(retired_on) - dt.timedelta(days=1),
                "600.000",
            ),
        ],
        establishments,
        today,
    )
    if not Pension.objects.filter(individual=retiree).exists():
        req = _request(
            retiree.user,
            OLD_AGE_REQUEST,
            {
                "bank": "arab_bank",
                "iban": IBAN,
                "dependant_1_name": "فاطمة أحمد القيسي",
                "dependant_1_national_number": "9621055555",
                "dependant_1_kinship": "wife",
                "dependant_1_birth_date": "1962-07-01",
                "dependant_2_name": "ريم سليم القيسي",
                "dependant_2_national_number": "2001066666",
                "dependant_2_kinship": "daughter",
                "dependant_2_birth_date": "2004-02-20",
                "declaration": True,
            },
            retired_on,
            "OLD",
        )
        decided = retired_on + dt.timedelta(days=1)
        pension = pension_grant(req, today=decided)
        loan_day = month_after(this_month, -8) + dt.timedelta(days=3)
        # the payroll of every month up to the loan, the loan, then the months after it
        month = month_after(pension.start_month, 1)
        while month <= month_start(loan_day):
            run_payroll(month, today=month.replace(day=25))
            month = month_after(month, 1)
        loan_req = _request(
            retiree.user,
            LOAN_REQUEST,
            {"amount": "2400.000", "months": 18, "declaration": True},
            loan_day,
            "LOAN",
        )
        loan_grant(loan_req, today=loan_day + dt.timedelta(days=1))
        while month < this_month:
            run_payroll(month, today=month.replace(day=25))
            month = month_after(month, 1)

    # The applicant: covered 1995 to last year, 55 or over: an old-age pension is due to her.
    applicant = _person(APPLICANT, "muna@example.com", "+962795009876", "0432109")
    _history(
        applicant,
        [
            Job("100500", MANDATORY, dt.date(1995, 9, 1), dt.date(2010, 6, 30), "220.000"),
            Job("100200", MANDATORY, dt.date(2010, 9, 1), dt.date(2025, 8, 31), "520.000"),
        ],
        establishments,
        today,
    )
    return [
        (
            "Retiree (pension, dependants, payments, loan)",
            "national number 9581012345",
            DEMO_PASSWORD,
        ),
        (
            "Insured woman, coverage stopped (old-age request)",
            "national number 9691012345",
            DEMO_PASSWORD,
        ),
    ]
