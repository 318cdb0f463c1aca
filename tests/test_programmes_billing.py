"""A programme approved for some months and employees changes the bill for exactly those months
and employees, and no others: the monthly billing (payments.billing.bill_month) applies the
ContributionRelief rows the approval made, and a relief approved (or lifted by a recall or a
resumption) for a month already billed is posted as a correction on the establishment's
account."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from eservices.dates import month_after, month_start
from eservices.services import request_approve
from individuals.models import WageRecord
from payments.models import LedgerEntry

from .factories_programmes import IBAN, apply, employee, officer_of, staff_user

billing = pytest.importorskip("payments.billing", reason="payments/billing.py is not there yet")
pytestmark = pytest.mark.django_db
D = Decimal
APRIL, MAY, JUNE, JULY = (dt.date(2020, m, 1) for m in (4, 5, 6, 7))
WAGES = ("300.000", "600.000", "1200.000")


def staffed(number: str, months, *, coverage=dt.date(2015, 1, 1)):
    """An establishment with three employees and their wage records for ``months``."""
    officer = officer_of(insurance_number=number, coverage_date=coverage)
    est = officer.establishment
    people = [
        employee(est, f"98{number}{k:02d}", name=f"عامل {k}", wage=w, start=coverage)
        for k, w in enumerate(WAGES)
    ]
    WageRecord.objects.bulk_create(
        WageRecord(individual=p, establishment=est, month=m, wage=D(w), coverage="mandatory")
        for m in months
        for p, w in zip(people, WAGES, strict=True)
    )
    return officer, est, people


def charged(est, month) -> Decimal:
    """What the establishment's account was charged for the month (contributions and their
    corrections)."""
    return sum(
        LedgerEntry.objects.filter(
            account__establishment=est, period=month, key__startswith="contrib:"
        ).values_list("amount", flat=True),
        start=D("0"),
    )


def old_age(wage: Decimal, share: Decimal = Decimal(1)) -> Decimal:
    """The old-age contributions (employer 11% + employee 6.5%) of a wage, waived in part."""
    return wage * share * D("0.11") + wage * share * D("0.065")


@pytest.fixture
def staff():
    return staff_user()


@pytest.fixture(autouse=True)
def _wage_cap_2019():
    """The COVID months are in 2020; the rule table's insurable-wage cap starts in 2021. FACTS.md
    A1 gives 3,186 JD for 2019 [J3]: the row the billing of 2020 needs, if it is not seeded."""
    from eservices.models import Rule

    Rule.objects.get_or_create(
        key="wage.cap",
        effective_from=dt.date(2019, 1, 1),
        defaults={
            "value": D("3186"),
            "source": "J3",
            "description_ar": "الحد الأعلى للأجر الخاضع للضمان (دينار)",
            "description_en": "Insurable wage cap (JD)",
        },
    )


def test_suspension_3_5_takes_old_age_off_exactly_those_employees_and_months(client, staff):
    officer, est, people = staffed("5101", [APRIL, JUNE])
    _twin_officer, twin, _twin_people = staffed("5102", [APRIL, JUNE])
    req, _ = apply(
        client,
        officer.user,
        "edef.suspend-old-age-3-5",
        {
            "year": "2020",
            "scope": "chosen",
            "employees": [p.identifier for p in people[:2]],
            "reason": "x",
        },
    )
    request_approve(req=req, staff=staff)
    billing.bill_month(APRIL)
    billing.bill_month(JUNE)
    # April: the old-age branch of the first two (300 + 600) is not billed; the third is.
    assert charged(twin, APRIL) - charged(est, APRIL) == old_age(D("900"))
    # June is outside the suspension: the same bill as the twin's.
    assert charged(est, JUNE) == charged(twin, JUNE) > 0
    entry = LedgerEntry.objects.get(account__establishment=est, period=APRIL)
    assert entry.details["employees_relieved"] == 2


def test_a_relief_for_a_month_already_billed_is_a_correction(client, staff):
    officer, est, people = staffed("5103", [APRIL])
    billing.bill_month(APRIL)
    before = charged(est, APRIL)
    req, _ = apply(
        client,
        officer.user,
        "edef.suspend-old-age-3-5",
        {"year": "2020", "scope": "all", "reason": "x"},
    )
    request_approve(req=req, staff=staff)
    correction = LedgerEntry.objects.get(
        account__establishment=est, period=APRIL, kind=LedgerEntry.Kind.CORRECTION
    )
    assert correction.amount == -old_age(D("2100"))
    assert charged(est, APRIL) == before - old_age(D("2100"))


def test_partial_old_age_waives_half(client, staff):
    officer, est, people = staffed("5104", [JULY])
    _o, twin, _p = staffed("5105", [JULY])
    req, _ = apply(
        client,
        officer.user,
        "edef.partial-old-age",
        {
            "mode": "partial",
            "scope": "chosen",
            "employees": [people[2].identifier],
            "months": ["2020-07"],
            "reason": "x",
        },
    )
    request_approve(req=req, staff=staff)
    billing.bill_month(JULY)
    assert charged(twin, JULY) - charged(est, JULY) == old_age(D("1200"), D("0.5"))


def test_tadamon_stop_bills_nothing_for_the_stopped_workers_and_a_recall_bills_them_again(
    client, staff
):
    officer, est, people = staffed("5106", [MAY, JUNE])
    _o, twin, _p = staffed("5107", [MAY, JUNE])
    stop, _ = apply(
        client,
        officer.user,
        "edef.tadamon-temp-stop",
        {
            "employees": [people[0].identifier],
            "months": ["2020-05", "2020-06"],
            "stop_reason": "x",
            "bank": "arab_bank",
            "iban": IBAN,
        },
    )
    request_approve(req=stop, staff=staff)
    billing.bill_month(MAY)
    billing.bill_month(JUNE)
    # 300 JD of wage not billed in any branch: 11% + 6.5% + 2% + 0.75% + 0.5% + 1%
    everything = D("300") * (
        D("0.11") + D("0.065") + D("0.02") + D("0.0075") + D("0.005") + D("0.01")
    )
    assert charged(twin, MAY) - charged(est, MAY) == everything
    assert charged(twin, JUNE) - charged(est, JUNE) == everything
    recall, _ = apply(
        client,
        officer.user,
        "edef.recall",
        {"employees": [people[0].identifier], "return_month": "2020-06", "reason": "x"},
    )
    request_approve(req=recall, staff=staff)
    assert charged(est, JUNE) == charged(twin, JUNE)  # billed again (a correction)
    assert charged(twin, MAY) - charged(est, MAY) == everything  # May stays stopped


def test_startup_suspension_of_coming_months(client, staff):
    today = dt.date.today()
    first = month_start(today)
    coverage = today - dt.timedelta(days=400)
    months = [first, month_after(first, 1)]
    officer, est, people = staffed("5108", months, coverage=coverage)
    _o, twin, _p = staffed("5109", months, coverage=coverage)
    benefit, _ = apply(
        client,
        officer.user,
        "startup.benefit",
        {
            "certificate_number": "ENT-1",
            "innovation_field": "x",
            "founders": "1",
            "employees": [people[0].identifier],
            "first_month": first.strftime("%Y-%m"),
            "bank": "arab_bank",
            "iban": IBAN,
        },
        docs=("certificate",),
    )
    request_approve(req=benefit, staff=staff)
    sus, _ = apply(
        client,
        officer.user,
        "startup.old-age-suspension",
        {
            "action": "suspend",
            "employees": [people[1].identifier],
            "from_month": month_after(first, 1).strftime("%Y-%m"),
            "months": "1",
            "reason": "x",
        },
    )
    request_approve(req=sus, staff=staff)
    for m in months:
        billing.bill_month(m)
    assert charged(est, first) == charged(twin, first)
    assert charged(twin, month_after(first, 1)) - charged(est, month_after(first, 1)) == old_age(
        D("600")
    )


# --- Ri'aya premiums on the bill -----------------------------------------------------------------


def premiums(est, month) -> Decimal:
    return sum(
        LedgerEntry.objects.filter(
            account__establishment=est, period=month, key__startswith="riaya:"
        ).values_list("amount", flat=True),
        start=D("0"),
    )


def riaya(est, person, premium: str, first, end=None):
    from eservices.models import ServiceRequest
    from establishments.programmes.models import RiayaSubscription

    req = ServiceRequest.objects.create(
        service_code="est.riaya-khcf",
        applicant=est.liaison_officer.user,
        status="approved",
        reference=f"ERYA-{person.pk}",
    )
    return RiayaSubscription.objects.create(
        establishment=est,
        individual=person,
        request=req,
        plan="individual",
        monthly_premium=D(premium),
        first_month=first,
        end_month=end,
    )


def test_riaya_premiums_of_the_month_are_billed_once_beside_the_contributions(staff):
    _officer, est, people = staffed("5301", [MAY])
    riaya(est, people[0], "13.000", APRIL)  # running
    riaya(est, people[1], "17.000", MAY, end=MAY)  # its last month
    riaya(est, people[2], "9.000", JUNE)  # not yet
    summary = billing.bill_month(MAY)
    assert (summary["premiums"], summary["premiums_amount"]) == (1, "30.000")
    entry = LedgerEntry.objects.get(account__establishment=est, key="riaya:2020-05")
    assert entry.kind == LedgerEntry.Kind.PREMIUM and entry.amount == D("30.000")
    assert entry.details["subscriptions"] == 2
    contributions = charged(est, MAY)
    assert contributions > 0  # the contributions are their own entry, unchanged by premiums
    bill = entry.account.bills.get(status="open")
    assert bill.amount == contributions + D("30.000")
    again = billing.bill_month(MAY)  # nothing new
    assert (again["premiums"], again["posted"]) == (0, 0)
    assert premiums(est, MAY) == D("30.000")
    assert premiums(est, JUNE) == 0


def test_a_subscription_added_after_billing_is_a_premium_correction(staff):
    _officer, est, people = staffed("5302", [MAY])
    riaya(est, people[0], "13.000", MAY)
    billing.bill_month(MAY)
    riaya(est, people[1], "17.000", MAY)
    billing.bill_month(MAY)
    rev = LedgerEntry.objects.get(account__establishment=est, key="riaya:2020-05:rev1")
    assert rev.kind == LedgerEntry.Kind.PREMIUM and rev.amount == D("17.000")
    assert rev.details["previously_charged"] == "13.000"
    assert premiums(est, MAY) == D("30.000")


def test_no_late_penalty_is_charged_on_premiums(staff):
    officer = officer_of(insurance_number="5303", coverage_date=dt.date(2015, 1, 1))
    est = officer.establishment
    person = employee(est, "9853030001")
    riaya(est, person, "13.000", MAY)
    billing.bill_month(MAY)  # no wages: only the premium
    assert premiums(est, MAY) == D("13.000") and charged(est, MAY) == 0
    summary = billing.post_penalties(dt.date(2020, 8, 20))  # months past the due date, unpaid
    assert summary["penalties"] == 0
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.PENALTY).exists()


def test_riaya_approved_after_its_first_month_was_billed_bills_that_month(client, staff):
    from establishments.programmes.models import RiayaSubscription

    last = month_after(month_start(dt.date.today()), -1)  # the riaya rules' years
    officer, est, people = staffed("5304", [last])
    billing.bill_month(last)
    assert premiums(est, last) == 0
    req, _ = apply(
        client,
        officer.user,
        "est.riaya-khcf",
        {
            "employees": "\n".join(p.national_number for p in people[:1]),
            "plan": "individual",
            "family_members": "0",
            "first_month": month_after(month_start(dt.date.today()), 1).strftime("%Y-%m"),
            "consent": "on",
        },
    )
    req.data["first_month"] = last.strftime("%Y-%m")  # as if decided after it was billed
    req.save(update_fields=["data"])
    request_approve(req=req, staff=staff)
    sub = RiayaSubscription.objects.get(request=req)
    assert sub.first_month == last
    assert premiums(est, last) == sub.monthly_premium
