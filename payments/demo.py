"""Demo data of the contributions ledger: establishment 100200 (officer "establishment:100200")
billed for the last twelve months from its wage records, paid through the bill-payment network's
recording function (payments.network.record_payment, with a receipt each) on the 10th of the month
each bill is due — except one month, paid on the 20th, five days late, so that its late-payment
penalty shows on the statement. The last month billed is left unpaid: its open bill is what
est.pay-contributions pays.

Everything happens in date order as the scheduled tasks would have done it: the billing of a month
on the 1st of the next (posted that day), the penalties run on the 16th. Idempotent: billing and
penalties are keyed, and a month whose demo payment is recorded is not paid again. (Every
establishment and subscription with wages or an active subscription in those months is billed
too, as the monthly task would.)
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from eservices.dates import add_months
from establishments.models import Establishment

from . import ledger
from .billing import bill_month, due_date_of, post_penalties
from .models import Bill, Payment

DEMO_PASSWORD = "Portal#2026"  # noqa: S105 - demo accounts only, printed on purpose
ESTABLISHMENT = "100200"
MONTHS = 12
LATE_INDEX = 7  # the eighth of the twelve months is paid late


def _reference(month: dt.date) -> str:
    return f"DEMO{ESTABLISHMENT}{month:%Y%m}"


def _pay_open_bill(account, month: dt.date, day: dt.date) -> bool:
    """Pay the account's open contributions bill on ``day`` through the network's recording
    function, as a network notification would (once per month: keyed on the reference)."""
    from .network import Notice, record_payment

    reference = _reference(month)
    if Payment.objects.filter(network_reference=reference).exists():
        return False
    bill = Bill.objects.filter(
        account=account, kind=Bill.Kind.CONTRIBUTIONS, status=Bill.Status.OPEN
    ).first()
    if bill is None:
        return False
    paid_at = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 30)))
    record_payment(
        Notice(
            reference=reference,
            trx=f"TRX{ESTABLISHMENT}{month:%Y%m}",
            bill_number=bill.number,
            fils=int(bill.amount * 1000),
            bank_code="DEMOBANK",
            paid_at=paid_at,
        )
    )
    return True


def seed() -> list[tuple[str, str, str]]:
    est = Establishment.objects.filter(insurance_number=ESTABLISHMENT).first()
    if est is None:  # eservices/demo.py makes it; nothing to bill without it
        return []
    account = ledger.account_for_establishment(est)
    today = timezone.localdate()
    this_month = today.replace(day=1)
    months = [add_months(this_month, n) for n in range(-MONTHS, 0)]
    for index, month in enumerate(months):
        billed_on = add_months(month, 1)
        bill_month(month, posted_on=billed_on)
        due = due_date_of(month)
        last = index == len(months) - 1
        if not last and index != LATE_INDEX:
            _pay_open_bill(account, month, due - dt.timedelta(days=5))
        penalty_day = due + dt.timedelta(days=1)
        if penalty_day <= today:
            post_penalties(penalty_day)
        if index == LATE_INDEX:
            _pay_open_bill(account, month, due + dt.timedelta(days=5))
    return [
        (
            "Establishment statement (12 months, one paid late)",
            f"establishment insurance number {ESTABLISHMENT}",
            DEMO_PASSWORD,
        )
    ]
