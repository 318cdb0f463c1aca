"""Helpers for the retirement tests: insured people with a record, pensions, requests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from eservices.dates import month_after, month_start
from eservices.models import ServiceRequest
from individuals.models import InsurancePeriod, WageRecord
from pensions.models import Pension

from .factories import EstablishmentFactory, IndividualFactory

IBAN = "JO71CBJO0000000000001234567890"  # valid mod-97


def this_month() -> dt.date:
    return month_start(timezone.localdate())


def insured(
    *,
    months: int,
    wage: str = "1000.000",
    birth_date: dt.date,
    sex: str = "M",
    last: dt.date | None = None,
    covered: bool = False,
    **kw,
):
    """A person with ``months`` contribution months of ``wage`` ending with ``last`` (default:
    last month), in one insurance period that ended then (or is still open: ``covered``)."""
    person = IndividualFactory(birth_date=birth_date, sex=sex, **kw)
    last = last or month_after(this_month(), -1)
    first = month_after(last, -(months - 1))
    est = EstablishmentFactory()
    InsurancePeriod.objects.create(
        individual=person,
        establishment=est,
        coverage="mandatory",
        start_date=first,
        end_date=None if covered else month_after(last, 1) - dt.timedelta(days=1),
        monthly_wage=Decimal(wage),
    )
    WageRecord.objects.bulk_create(
        WageRecord(
            individual=person,
            establishment=est,
            month=month_after(first, k),
            wage=Decimal(wage),
            coverage="mandatory",
        )
        for k in range(months)
    )
    return person


def years_ago(years: int, *, days: int = 0) -> dt.date:
    today = timezone.localdate()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:
        day = today.replace(year=today.year - years, day=28)
    return day - dt.timedelta(days=days)


def pension_answers(**kw) -> dict:
    data = {"bank": "arab_bank", "iban": IBAN, "declaration": "on", "continue": "1"}
    data.update(kw)
    return data


def dependant(n: int, name: str, number: str, kinship: str, born: str) -> dict:
    return {
        f"dependant_{n}_name": name,
        f"dependant_{n}_national_number": number,
        f"dependant_{n}_kinship": kinship,
        f"dependant_{n}_birth_date": born,
    }


def make_pension(person, *, amount="500.000", base=None, increment="0.000", start=None, **kw):
    """A pension record straight in the table (payroll tests)."""
    amount = Decimal(amount)
    base = Decimal(base) if base is not None else amount - Decimal("40.000") - Decimal(increment)
    return Pension.objects.create(
        individual=person,
        kind=kw.pop("kind", Pension.Kind.OLD_AGE),
        retirement_date=kw.pop("retirement_date", month_after(this_month(), -3)),
        start_month=start or month_after(this_month(), -2),
        contribution_months=kw.pop("contribution_months", 300),
        reference_wage=kw.pop("reference_wage", Decimal("1000.000")),
        base=base,
        increment=Decimal(increment),
        supplement=Decimal("40.000"),
        minimum_topup=amount - base - Decimal(increment) - Decimal("40.000"),
        amount=amount,
        bank="arab_bank",
        iban=IBAN,
        **kw,
    )


def submitted(user, code: str, data: dict, *, sent: dt.datetime | None = None) -> ServiceRequest:
    """A request as the engine leaves it once sent (for tests of what approval does)."""
    sent = sent or timezone.now()
    req = ServiceRequest.objects.create(applicant=user, service_code=code, data=data)
    req.status = ServiceRequest.Status.SUBMITTED
    req.submitted_at = sent
    req.reference = f"T-{sent:%Y}-{req.pk:06d}"
    req.save()
    return req
