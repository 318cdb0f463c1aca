"""Monthly billing: contributions from the wages of the month (worked examples of FACTS.md C1),
caps, branches, rounding level, idempotence, corrections, subscriptions, rate changes from their
date, bills, and the number of SQL statements not growing with the number of employees."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from eservices.dates import add_months, month_key
from eservices.models import Rule
from individuals.models import InsurancePeriod, WageRecord
from payments import billing, ledger
from payments.billing import MonthRules, bill_month, contributions
from payments.models import Account, Bill, LedgerEntry, Subscription

from .factories import (
    EstablishmentFactory,
    IndividualFactory,
    InsurancePeriodFactory,
    UserFactory,
    WageRecordFactory,
)
from .factories_payments import SubscriptionFactory, SubscriptionWageFactory

pytestmark = pytest.mark.django_db

JAN = dt.date(2025, 1, 1)
D = Decimal


def employ(est, wage: str, *, month=JAN, since=dt.date(2015, 1, 1), unemployment=True):
    """A person covered by ``est`` since ``since`` with a wage record of ``month``."""
    person = IndividualFactory()
    InsurancePeriodFactory(individual=person, establishment=est, start_date=since)
    return WageRecordFactory(
        individual=person, establishment=est, month=month, wage=D(wage), unemployment=unemployment
    )


def entry(est, key="contrib:2025-01") -> LedgerEntry:
    return LedgerEntry.objects.get(account__establishment=est, key=key)


# --- The figure ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("insurable", "employee", "employer"),
    [
        ("5000", "375.000", "712.500"),  # the old cap (covered before 2009-10-15)
        ("3349", "251.175", "477.233"),  # 6,000 under the 3,349 cap
        ("2000", "150.000", "285.000"),
    ],
)
def test_worked_examples_of_facts_c1(insurable, employee, employer):
    figure = contributions(
        insurable=D(insurable), insurable_unemployment=D(insurable), rules=MonthRules.read(JAN)
    )
    assert figure.employee == D(employee)
    assert figure.employer == D(employer)
    assert figure.total == D(employee) + D(employer)
    branches = {b["branch"]: b for b in figure.branches}
    assert set(branches) == {"old_age", "injury", "maternity", "unemployment"}
    assert branches["injury"]["employee"] == "0.000"  # no employee share for work injury


def test_bill_month_applies_the_caps_per_person_and_posts_one_entry_per_establishment():
    old, capped, plain_ = EstablishmentFactory(), EstablishmentFactory(), EstablishmentFactory()
    employ(old, "5000.000", since=dt.date(2005, 3, 1))  # first covered before 2009-10-15
    employ(capped, "6000.000")  # covered 2015: the 3,349 cap
    employ(plain_, "2000.000")
    summary = bill_month(JAN, posted_on=dt.date(2025, 2, 1))
    assert summary["establishments"] == 3 and summary["posted"] == 3
    assert entry(old).amount == D("1087.500")  # 375 + 712.5
    assert entry(capped).amount == D("728.408")  # 251.175 + 477.233
    assert entry(plain_).amount == D("435.000")  # 150 + 285
    details = entry(capped).details
    assert details["employee"] == "251.175" and details["employer"] == "477.233"
    assert details["insurable_wages"] == "3349.000" and details["employees"] == 1
    assert entry(old).details["employees_old_cap"] == 1
    # The rule rows used are recorded: the cap of the month and each branch's rates.
    cap_row = Rule.objects.filter(key="wage.cap").order_by("-effective_from").first()
    assert details["rules"]["wage.cap"] == cap_row.pk
    old_age = Rule.objects.get(key="contrib.old_age.employer")
    assert old_age.pk in details["rule_ids"]
    assert entry(old).kind == LedgerEntry.Kind.CONTRIBUTION
    assert entry(old).posted_on == dt.date(2025, 2, 1)
    assert entry(old).period == JAN


def test_first_covered_before_2009_anywhere_counts_for_the_old_cap():
    est = EstablishmentFactory()
    record = employ(est, "5000.000")  # covered here since 2015
    InsurancePeriodFactory(  # but first covered elsewhere in 2008
        individual=record.individual,
        start_date=dt.date(2008, 1, 1),
        end_date=dt.date(2012, 12, 31),
    )
    late_starter = employ(est, "5000.000", since=dt.date(2009, 10, 15))  # on the day: new cap
    bill_month(JAN)
    assert entry(est).details["employees_old_cap"] == 1
    assert entry(est).amount == D("1087.500") + D("728.408")
    assert late_starter.wage == D("5000.000")


def test_unemployment_branch_only_for_records_with_the_flag():
    est = EstablishmentFactory()
    employ(est, "1000.000", unemployment=False)
    bill_month(JAN)
    # employee 6.5% = 65; employer 11% + 2% + 0.75% = 137.5; no unemployment branch
    assert entry(est).amount == D("202.500")
    branches = {b["branch"]: b for b in entry(est).details["branches"]}
    assert branches["unemployment"]["base"] == "0.000"


def test_rounding_is_once_per_branch_and_share_on_the_establishment_month():
    est = EstablishmentFactory()
    employ(est, "100.200")
    employ(est, "100.200")
    bill_month(JAN)
    branches = {b["branch"]: b for b in entry(est).details["branches"]}
    # 200.4 × 0.75% = 1.503 (per person it would be 0.7515 → 0.752, twice 1.504)
    assert branches["maternity"]["employer"] == "1.503"
    assert branches["maternity"]["base"] == "200.400"
    # 200.4 × 6.5% = 13.026; 200.4 × 1% = 2.004; employer 22.044 + 4.008 + 1.503 + 1.002
    assert entry(est).amount == D("13.026") + D("2.004") + D("22.044") + D("4.008") + D(
        "1.503"
    ) + D("1.002")


def test_only_mandatory_records_of_the_month_with_an_establishment_are_billed():
    est = EstablishmentFactory()
    employ(est, "500.000")
    employ(est, "700.000", month=dt.date(2025, 2, 1))  # another month
    WageRecordFactory(establishment=None, month=JAN, coverage=InsurancePeriod.Coverage.OPTIONAL)
    summary = bill_month(JAN)
    assert summary["establishments"] == 1
    assert entry(est).details["insurable_wages"] == "500.000"


# --- Idempotence and corrections -------------------------------------------------------------


def test_running_twice_changes_nothing_and_the_bill_is_due_on_the_15th(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2025, 2, 1))  # the 1st
    est = EstablishmentFactory()
    employ(est, "2000.000")
    first = bill_month(JAN)
    bill = Bill.objects.get(account__establishment=est, status=Bill.Status.OPEN)
    assert bill.amount == D("435.000") and bill.due_date == dt.date(2025, 2, 15)
    assert bill.issued_on == dt.date(2025, 2, 1)
    assert entry(est).posted_on == dt.date(2025, 2, 1)
    assert bill.kind == Bill.Kind.CONTRIBUTIONS
    entries = list(LedgerEntry.objects.values_list("pk", "amount"))
    second = bill_month(JAN)
    assert first["posted"] == 1 and second["posted"] == 0 and second["unchanged"] == 1
    assert list(LedgerEntry.objects.values_list("pk", "amount")) == entries
    assert list(Bill.objects.values_list("pk", "status", "amount")) == [
        (bill.pk, "open", D("435.000"))
    ]


def test_a_month_billed_late_is_due_on_the_next_due_date():
    est = EstablishmentFactory()
    employ(est, "2000.000")
    bill_month(JAN)  # long past its due date (15 February 2025)
    bill = Bill.objects.get(account__establishment=est, status=Bill.Status.OPEN)
    assert bill.due_date == billing.next_due_date() >= timezone.localdate()


def test_a_later_correction_of_wages_posts_the_difference_as_a_correction():
    est = EstablishmentFactory()
    record = employ(est, "2000.000")
    bill_month(JAN)
    WageRecord.objects.filter(pk=record.pk).update(wage=D("2100.000"))
    summary = bill_month(JAN)
    assert summary["corrections"] == 1
    rev1 = entry(est, "contrib:2025-01:rev1")
    assert rev1.kind == LedgerEntry.Kind.CORRECTION
    assert rev1.amount == D("21.750")  # 100 × 21.75%
    assert rev1.details["previously_charged"] == "435.000"
    assert bill_month(JAN)["corrections"] == 0  # and again: nothing
    WageRecord.objects.filter(pk=record.pk).delete()  # the month withdrawn altogether
    bill_month(JAN)
    rev2 = entry(est, "contrib:2025-01:rev2")
    assert rev2.amount == D("-456.750")
    account = Account.objects.get(establishment=est)
    assert ledger.balance(account) == 0
    # Nothing due: the open bill is superseded and none replaces it.
    assert not Bill.objects.filter(account=account, status=Bill.Status.OPEN).exists()


def test_the_first_entry_is_never_changed_by_a_rerun():
    est = EstablishmentFactory()
    record = employ(est, "2000.000")
    bill_month(JAN)
    original = entry(est)
    WageRecord.objects.filter(pk=record.pk).update(wage=D("1000.000"))
    bill_month(JAN)
    again = entry(est)
    assert (again.pk, again.amount, again.kind) == (original.pk, original.amount, "contribution")


# --- Subscriptions ---------------------------------------------------------------------------


def test_optional_and_self_employed_subscriptions_are_billed_from_the_wage_in_force():
    optional = SubscriptionWageFactory(wage=D("500.000")).subscription
    self_sub = SubscriptionFactory(
        kind=Subscription.Kind.SELF_EMPLOYED, injury_covered=True, start_month=dt.date(2024, 6, 1)
    )
    SubscriptionWageFactory(subscription=self_sub, wage=D("580.000"))
    SubscriptionWageFactory(
        subscription=self_sub, from_month=dt.date(2025, 2, 1), wage=D("870.000")
    )
    ended = SubscriptionFactory(start_month=dt.date(2024, 1, 1), end_month=dt.date(2024, 12, 1))
    SubscriptionWageFactory(subscription=ended)
    summary = bill_month(JAN)
    assert summary["subscriptions"] == 2
    opt_entry = LedgerEntry.objects.get(account=optional.account, key="contrib:2025-01")
    assert opt_entry.amount == D("87.500")  # 500 × 17.5%
    assert opt_entry.details["rules"].keys() == {"optional.rate"}
    self_entry = LedgerEntry.objects.get(account=self_sub.account, key="contrib:2025-01")
    assert self_entry.amount == D("113.100")  # 580 × 17.5% = 101.5 + 580 × 2% = 11.6
    assert not LedgerEntry.objects.filter(account=ended.account).exists()
    # From February the new declared wage: 870 × 19.5% = 152.25 + 17.4
    bill_month(dt.date(2025, 2, 1))
    feb = LedgerEntry.objects.get(account=self_sub.account, key="contrib:2025-02")
    assert feb.amount == D("152.250") + D("17.400")
    assert feb.details["declared_from"] == "2025-02-01"
    bill = Bill.objects.get(account=self_sub.account, status=Bill.Status.OPEN)
    assert bill.kind == Bill.Kind.SELF_EMPLOYED and bill.amount == D("113.100") + feb.amount


def test_a_subscription_not_started_yet_is_not_billed():
    sub = SubscriptionFactory(start_month=dt.date(2025, 3, 1))
    SubscriptionWageFactory(subscription=sub)
    assert bill_month(JAN)["subscriptions"] == 0


# --- A change of rate, added by staff in the admin, applies from its date only -----------------


def test_a_rate_added_in_the_admin_applies_from_its_month_only(client):
    staff = UserFactory(
        id_type="staff", id_number="billing-clerk", is_staff=True, is_superuser=True
    )
    client.force_login(staff)
    this_month = timezone.localdate().replace(day=1)
    next_month = add_months(this_month, 1)
    resp = client.post(
        "/admin/eservices/rule/add/",
        {
            "key": "contrib.old_age.employer",
            "value": "0.12",
            "effective_from": next_month.isoformat(),
            "description_ar": "اشتراك الشيخوخة على صاحب العمل",
            "description_en": "Old age: employer share",
            "source": "test",
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    new_row = Rule.objects.get(key="contrib.old_age.employer", effective_from=next_month)
    assert new_row.created_by == staff
    est = EstablishmentFactory()
    record = employ(est, "1000.000", month=this_month)
    WageRecordFactory(
        individual=record.individual, establishment=est, month=next_month, wage=D("1000.000")
    )
    bill_month(this_month)
    bill_month(next_month)
    now = LedgerEntry.objects.get(account__establishment=est, period=this_month)
    later = LedgerEntry.objects.get(account__establishment=est, period=next_month)
    assert now.amount == D("217.500")  # 21.75% of 1,000
    assert later.amount == D("227.500")  # 22.75%: the employer's old-age share is now 12%
    assert new_row.pk in later.details["rule_ids"]
    assert new_row.pk not in now.details["rule_ids"]
    # and the row in force cannot be edited in the admin
    old_row = Rule.objects.filter(key="contrib.old_age.employer").order_by("effective_from")[0]
    assert client.post(f"/admin/eservices/rule/{old_row.pk}/change/", {}).status_code == 403


# --- Set-based: the statements do not grow with the number of employees ------------------------


def _statements(month) -> int:
    with CaptureQueriesContext(connection) as ctx:
        bill_month(month)
    return len(ctx.captured_queries)


def test_the_number_of_sql_statements_does_not_grow_with_employees():
    """Two months billed from the same state (two establishments, new accounts, no bill yet):
    one employee each, then 3 and 40 employees — the same statements."""
    feb, mar = dt.date(2025, 2, 1), dt.date(2025, 3, 1)
    for est in (EstablishmentFactory(), EstablishmentFactory()):
        employ(est, "400.000", month=feb)
    small, large = EstablishmentFactory(), EstablishmentFactory()
    for _ in range(3):
        employ(small, "400.000", month=mar)
    for _ in range(40):
        employ(large, "400.000", month=mar)
    one = _statements(feb)
    many = _statements(mar)
    assert many == one, (one, many)
    assert many < 40
    assert entry(large, "contrib:2025-03").amount == D("3480.000")  # 40 × 400 × 21.75%


def test_bulk_bill_refresh_matches_the_single_account_refresh():
    a, b = EstablishmentFactory(), EstablishmentFactory()
    acc_a, acc_b = ledger.account_for_establishment(a), ledger.account_for_establishment(b)
    for acc in (acc_a, acc_b):
        ledger.post(account=acc, kind="contribution", key="x", amount=D("10.000"))
    single = ledger.refresh_contributions_bill(acc_a, due_date=dt.date(2025, 2, 15))
    result = ledger.refresh_contributions_bills([acc_a.pk, acc_b.pk], due_date=JAN)
    assert result == {"kept": 1, "superseded": 0, "issued": 1}
    bill_b = Bill.objects.get(account=acc_b, status="open")
    assert bill_b.amount == D("10.000") and bill_b.due_date == JAN
    assert bill_b.number != single.number and bill_b.number[:2] == "10"
    ledger.post(account=acc_a, kind="payment", key="p", amount=D("-10.000"))
    assert ledger.refresh_contributions_bills([acc_a.pk])["superseded"] == 1
    single.refresh_from_db()
    assert single.status == Bill.Status.SUPERSEDED
    assert not Bill.objects.filter(account=acc_a, status="open").exists()


def test_the_scheduled_task_bills_the_previous_month():
    from payments import tasks

    est = EstablishmentFactory()
    employ(est, "2000.000")
    result = tasks.bill_previous_month.delay("2025-01-01").get()
    assert result["posted"] == 1
    assert month_key(JAN) == result["month"]


# --- Programme reliefs (ContributionRelief): exactly those months, people and branches ---------


def relief(est, *, individual=None, month=JAN, branch="old_age", employer="1", employee="1"):
    from eservices.models import ServiceRequest
    from payments.models import ContributionRelief

    req = ServiceRequest.objects.create(applicant=UserFactory(), service_code="edef.test")
    return ContributionRelief.objects.create(
        establishment=est,
        individual=individual,
        month=month,
        branch=branch,
        employer_waived=D(employer),
        employee_waived=D(employee),
        request=req,
    )


def test_a_relief_for_one_employee_takes_off_that_branch_for_that_person_only():
    est = EstablishmentFactory()
    relieved = employ(est, "1000.000")
    employ(est, "1000.000")
    relieved_feb = WageRecordFactory(
        individual=relieved.individual, establishment=est, month=dt.date(2025, 2, 1)
    )
    relief(est, individual=relieved.individual)
    bill_month(JAN)
    bill_month(relieved_feb.month)
    # 2,000 × 21.75% = 435, less the old-age branch of one person: 1,000 × (11% + 6.5%) = 175
    assert entry(est).amount == D("260.000")
    assert entry(est).details["employees_relieved"] == 1
    branches = {b["branch"]: b for b in entry(est).details["branches"]}
    assert branches["old_age"]["employer"] == "110.000"
    assert branches["old_age"]["waived_employer_wage"] == "1000"
    assert branches["injury"]["employer"] == "40.000"  # other branches unchanged
    # February is not relieved: 1,000 (the relieved person's February only) × 21.75%
    assert entry(est, "contrib:2025-02").amount == D("500.000") * D("0.2175")


def test_an_establishment_wide_relief_and_a_persons_own_the_larger_applies():
    est = EstablishmentFactory()
    a = employ(est, "1000.000")
    employ(est, "1000.000")
    relief(est, individual=a.individual)  # the whole old-age branch for A
    relief(est, employer="0.5", employee="0")  # half the employer's old age for everyone
    relief(est, branch="maternity", employer="0.5", employee="0")
    bill_month(JAN)
    branches = {b["branch"]: b for b in entry(est).details["branches"]}
    # old age, employer: A fully waived, B half: base 500 → 55; employee: A waived → 1000 × 6.5%
    assert branches["old_age"]["employer"] == "55.000"
    assert branches["old_age"]["employee"] == "65.000"
    assert branches["maternity"]["employer"] == "7.500"  # 2,000 × 0.75% × ½


def test_a_relief_approved_after_billing_is_posted_as_a_correction_for_that_establishment():
    est, other = EstablishmentFactory(), EstablishmentFactory()
    a = employ(est, "1000.000")
    employ(est, "1000.000")
    other_record = employ(other, "1000.000")
    bill_month(JAN)
    relief(est, individual=a.individual)
    WageRecord.objects.filter(pk=other_record.pk).update(wage=D("1200.000"))
    summary = bill_month(JAN, establishments=[est.pk])
    assert summary == {**summary, "establishments": 1, "subscriptions": 0, "corrections": 1}
    assert entry(est, "contrib:2025-01:rev1").amount == D("-175.000")
    assert not LedgerEntry.objects.filter(account__establishment=other, kind="correction").exists()
