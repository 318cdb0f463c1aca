"""Instalment plans: splitting to the fils, the contributions bill, payment, completion, cancel."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.exceptions import ServiceError
from eservices.dates import add_months
from payments import ledger
from payments.instalments import (
    cancel_plan,
    create_plan,
    due_installments,
    mark_paid,
    schedule,
    split,
)
from payments.models import Bill, Installment, InstallmentPlan, LedgerEntry, Payment

from .factories import EstablishmentFactory

D = Decimal


@pytest.mark.parametrize(
    ("total", "months", "expected"),
    [
        ("1000.000", 3, ["333.333", "333.333", "333.334"]),
        ("100", 7, ["14.285"] * 6 + ["14.290"]),
        ("0.003", 3, ["0.001", "0.001", "0.001"]),
        ("2074.500", 7, ["296.357"] * 6 + ["296.358"]),
        ("500", 1, ["500"]),
        ("1200", 12, ["100.000"] * 12),
    ],
)
def test_split_rounds_down_to_the_fils_and_the_last_takes_the_rest(total, months, expected):
    parts = split(D(total), months)
    assert parts == [D(x) for x in expected]
    assert sum(parts) == D(total)
    assert all(p == p.quantize(D("0.001")) for p in parts)


@pytest.mark.parametrize(
    ("total", "months"), [("0.002", 3), ("0", 2), ("-5", 2), ("10.0005", 2), ("10", 0)]
)
def test_split_refuses_what_cannot_be_split(total, months):
    with pytest.raises(ValueError):
        split(D(total), months)


def test_monthly_dates_keep_the_day_or_the_months_last_day():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 11, 15), 2) == dt.date(2027, 1, 15)
    rows = schedule(D("1000"), 3, dt.date(2026, 12, 15))
    assert [(n, d) for n, d, _a in rows] == [
        (1, dt.date(2026, 12, 15)),
        (2, dt.date(2027, 1, 15)),
        (3, dt.date(2027, 2, 15)),
    ]


# --- plans on the ledger ----------------------------------------------------------------------


@pytest.fixture
def account(db):
    acc = ledger.account_for_establishment(EstablishmentFactory())
    ledger.post(
        account=acc,
        kind=LedgerEntry.Kind.CONTRIBUTION,
        key="contrib:2026-08",
        amount=D("1200.000"),
        period=dt.date(2026, 8, 1),
    )
    ledger.refresh_contributions_bill(acc)
    return acc


def open_bill(acc) -> Bill | None:
    return Bill.objects.filter(
        account=acc, kind=Bill.Kind.CONTRIBUTIONS, status=Bill.Status.OPEN
    ).first()


def pay(acc, installments, ref: str) -> Payment:
    """What the network code does for an instalment bill: a bill, the payment, its entry."""
    amount = sum(i.amount for i in installments)
    bill = Bill.objects.create(
        number=f"I{ref}",
        kind=Bill.Kind.INSTALLMENTS,
        account=acc,
        amount=amount,
        due_date=timezone.localdate(),
    )
    bill.installments.set(installments)
    payment = Payment.objects.create(
        bill=bill,
        account=acc,
        amount=amount,
        channel=Payment.Channel.NETWORK,
        network_reference=ref,
        paid_at=timezone.now(),
    )
    ledger.post(
        account=acc,
        kind=LedgerEntry.Kind.PAYMENT,
        key=f"payment:{ref}",
        amount=-amount,
        payment=payment,
    )
    bill.status = Bill.Status.PAID
    bill.save(update_fields=["status"])
    return payment


def test_a_plan_moves_no_money_and_takes_its_total_out_of_the_contributions_bill(account):
    assert open_bill(account).amount == D("1200.000")
    entries = LedgerEntry.objects.count()
    plan = create_plan(account, D("1000.000"), 3, dt.date(2026, 12, 15))
    assert LedgerEntry.objects.count() == entries
    assert ledger.balance(account) == D("1200.000")
    assert [(i.sequence, i.due_date, i.amount) for i in plan.installments.all()] == [
        (1, dt.date(2026, 12, 15), D("333.333")),
        (2, dt.date(2027, 1, 15), D("333.333")),
        (3, dt.date(2027, 2, 15), D("333.334")),
    ]
    assert ledger.contributions_due(account) == D("200.000")
    assert open_bill(account).amount == D("200.000")
    assert Bill.objects.filter(account=account, status=Bill.Status.SUPERSEDED).count() == 1


def test_a_plan_cannot_schedule_more_than_is_owed(account):
    create_plan(account, D("1000.000"), 3, dt.date(2026, 12, 15))
    with pytest.raises(ServiceError):
        create_plan(account, D("200.001"), 2, dt.date(2026, 12, 15))
    assert InstallmentPlan.objects.count() == 1


def test_paying_instalments_keeps_the_bill_and_completes_the_plan(account):
    plan = create_plan(account, D("1000.000"), 3, dt.date(2026, 12, 15))
    first, second, third = plan.installments.all()
    assert list(due_installments(account, on=dt.date(2027, 1, 20))) == [first, second]
    assert list(due_installments(account, on=dt.date(2026, 12, 14))) == []

    payment = pay(account, [first, second], "NET-1")
    assert mark_paid([first, second], payment) == []
    assert mark_paid([first, second], payment) == []  # the same notification again
    assert ledger.balance(account) == D("533.334")
    assert ledger.contributions_due(account) == D("200.000")
    assert ledger.refresh_contributions_bill(account).amount == D("200.000")
    plan.refresh_from_db()
    assert plan.status == "active"

    last = pay(account, [third], "NET-2")
    assert mark_paid([third], last) == [plan]
    plan.refresh_from_db()
    assert plan.status == "completed"
    assert ledger.balance(account) == D("200.000") == ledger.contributions_due(account)


def test_a_paid_instalment_cannot_be_paid_again_by_another_payment(account):
    plan = create_plan(account, D("1000.000"), 3, dt.date(2026, 12, 15))
    first = plan.installments.first()
    mark_paid([first], pay(account, [first], "NET-1"))
    other = Payment.objects.create(
        bill=Bill.objects.create(
            number="IX", kind="installments", account=account, amount=1, due_date=dt.date.today()
        ),
        account=account,
        amount=1,
        channel="network",
        network_reference="NET-X",
        paid_at=timezone.now(),
    )
    with pytest.raises(ServiceError):
        mark_paid([first], other)


def test_cancelling_returns_the_unpaid_instalments_to_the_contributions_bill(account):
    plan = create_plan(account, D("1000.000"), 3, dt.date(2026, 12, 15))
    first, second, third = plan.installments.all()
    mark_paid([first], pay(account, [first], "NET-1"))
    waiting = Bill.objects.create(
        number="I-WAIT",
        kind="installments",
        account=account,
        amount=second.amount,
        due_date=dt.date(2027, 1, 15),
    )
    waiting.installments.set([second])

    cancelled = cancel_plan(plan)

    assert {i.pk for i in cancelled} == {second.pk, third.pk}
    plan.refresh_from_db()
    assert plan.status == "cancelled"
    statuses = dict(Installment.objects.filter(plan=plan).values_list("sequence", "status"))
    assert statuses == {1: "paid", 2: "cancelled", 3: "cancelled"}
    waiting.refresh_from_db()
    assert waiting.status == "cancelled"
    # 1200 − 333.333 paid = 866.667, all of it in the contributions bill again.
    assert ledger.balance(account) == D("866.667")
    assert open_bill(account).amount == D("866.667")
    with pytest.raises(ServiceError):
        cancel_plan(plan)
