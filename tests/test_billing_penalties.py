"""Late-payment penalties (RULES.md: due by the 15th of the next month; 1% of the unpaid amount for
each month or part of a month late), hand-computed: paid on time, paid late by part of a month,
partly paid, FIFO between months, rounding, catching up, instalment plans, idempotence."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from payments import ledger
from payments.billing import Line, due_date_of, post_penalties, unpaid_by_period
from payments.models import Bill, Installment, InstallmentPlan, LedgerEntry

from .factories import EstablishmentFactory

pytestmark = pytest.mark.django_db

D = Decimal
JAN, FEB = dt.date(2025, 1, 1), dt.date(2025, 2, 1)


def day(month: int, d: int) -> dt.date:
    return dt.date(2025, month, d)


@pytest.fixture
def account():
    return ledger.account_for_establishment(EstablishmentFactory())


def charge(account, period: dt.date, amount: str, posted_on: dt.date):
    ledger.post(
        account=account,
        kind=LedgerEntry.Kind.CONTRIBUTION,
        key=f"contrib:{period:%Y-%m}",
        amount=D(amount),
        period=period,
        posted_on=posted_on,
    )


def pay(account, amount: str, on: dt.date):
    ledger.post(
        account=account,
        kind=LedgerEntry.Kind.PAYMENT,
        key=f"pay:{on}:{amount}",
        amount=-D(amount),
        posted_on=on,
    )


def penalties(account) -> dict[str, Decimal]:
    return dict(
        LedgerEntry.objects.filter(account=account, kind="penalty").values_list("key", "amount")
    )


def test_the_due_date_is_the_15th_of_the_next_month():
    assert due_date_of(JAN) == day(2, 15)
    assert due_date_of(dt.date(2024, 12, 1)) == day(1, 15)


def test_paid_on_time_no_penalty(account):
    charge(account, JAN, "1000.000", day(2, 1))
    pay(account, "1000.000", day(2, 15))  # on the due date itself
    assert post_penalties(day(2, 16))["penalties"] == 0
    assert post_penalties(day(4, 20))["penalties"] == 0
    assert penalties(account) == {}


def test_paid_late_by_part_of_a_month_one_penalty(account):
    charge(account, JAN, "1000.000", day(2, 1))
    assert post_penalties(day(2, 15))["penalties"] == 0  # not late yet
    summary = post_penalties(day(2, 16))
    assert summary["penalties"] == 1 and summary["amount"] == "10.000"
    entry = LedgerEntry.objects.get(account=account, key="penalty:2025-01:1")
    assert entry.amount == D("10.000") and entry.posted_on == day(2, 16)
    assert entry.period == JAN and entry.details["unpaid"] == "1000.000"
    assert entry.details["rate"] == "0.01" and len(entry.details["rule_ids"]) == 2
    # The bill now asks for the contributions and the penalty, due on the next 15th.
    bill = Bill.objects.get(account=account, status=Bill.Status.OPEN)
    assert bill.amount == D("1010.000") and bill.due_date == day(3, 15)
    pay(account, "1010.000", day(2, 20))  # within the first month late
    assert post_penalties(day(2, 16))["penalties"] == 0  # again the same day: nothing
    assert post_penalties(day(3, 16))["penalties"] == 0
    assert penalties(account) == {"penalty:2025-01:1": D("10.000")}
    assert ledger.balance(account) == 0


def test_partly_paid_the_penalty_is_on_the_unpaid_part_each_month(account):
    charge(account, JAN, "1000.000", day(2, 1))
    pay(account, "600.000", day(2, 10))
    post_penalties(day(2, 16))  # 1% of 400
    post_penalties(day(3, 16))  # still 400 unpaid at the end of 15 March: 1% again
    # 404 on 20 March pays, oldest first, the 400 of January and 4 of the first penalty
    pay(account, "404.000", day(3, 20))
    post_penalties(day(4, 16))  # January paid at the end of 15 April: no third penalty
    assert penalties(account) == {
        "penalty:2025-01:1": D("4.000"),
        "penalty:2025-01:2": D("4.000"),
    }
    assert ledger.balance(account) == D("4.000")  # the second penalty is still owed


def test_payments_go_to_the_oldest_charges_first(account):
    charge(account, JAN, "1000.000", day(2, 1))
    post_penalties(day(2, 16))  # January: 10
    charge(account, FEB, "500.000", day(3, 1))
    pay(account, "1000.000", day(3, 10))  # pays January (the oldest), not the penalty or February
    post_penalties(day(3, 16))
    assert penalties(account) == {
        "penalty:2025-01:1": D("10.000"),
        "penalty:2025-02:1": D("5.000"),  # February unpaid at the end of 15 March
    }


def test_the_penalty_is_rounded_half_up_to_the_fils(account):
    charge(account, JAN, "333.350", day(2, 1))
    post_penalties(day(2, 16))
    assert penalties(account) == {"penalty:2025-01:1": D("3.334")}  # 3.3335 → 3.334


def test_a_missed_run_catches_up_every_month_late(account):
    charge(account, JAN, "1000.000", day(2, 1))
    summary = post_penalties(day(4, 20))  # checkpoints 15 Feb, 15 Mar, 15 Apr
    assert summary["penalties"] == 3
    assert penalties(account) == {
        "penalty:2025-01:1": D("10.000"),
        "penalty:2025-01:2": D("10.000"),
        "penalty:2025-01:3": D("10.000"),
    }
    assert post_penalties(day(4, 21))["penalties"] == 0


def test_debt_moved_into_an_instalment_plan_is_not_late(account):
    charge(account, JAN, "1000.000", day(2, 1))
    plan = InstallmentPlan.objects.create(
        account=account, total=D("1000.000"), months=2, first_due=day(3, 1)
    )
    InstallmentPlan.objects.filter(pk=plan.pk).update(
        created_at=dt.datetime(2025, 2, 10, 12, tzinfo=dt.UTC)
    )
    for n in (1, 2):
        Installment.objects.create(
            plan=plan, sequence=n, due_date=day(2 + n, 1), amount=D("500.000")
        )
    assert post_penalties(day(2, 16))["penalties"] == 0


def test_corrections_of_a_month_change_that_months_charge():
    lines = [
        Line(1, "contribution", JAN, day(2, 1), D("1000.000")),
        Line(2, "correction", JAN, day(2, 5), D("-200.000")),
        Line(3, "contribution", FEB, day(3, 1), D("500.000")),
        Line(4, "payment", None, day(3, 2), D("-300.000")),
        Line(5, "payment", None, day(3, 20), D("-900.000")),  # after the checkpoint
    ]
    unpaid = unpaid_by_period(lines, as_of=day(3, 15), due_of=due_date_of)
    assert unpaid == {JAN: D("500.000"), FEB: D("500.000")}
    assert unpaid_by_period(lines, as_of=day(2, 15), due_of=due_date_of) == {JAN: D("800.000")}


def test_the_scheduled_task_posts_penalties(account):
    from payments import tasks

    charge(account, JAN, "1000.000", day(2, 1))
    assert tasks.post_late_penalties.delay("2025-02-16").get()["penalties"] == 1
