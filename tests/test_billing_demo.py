"""The demo data of the contributions ledger: establishment 100200 billed for twelve months from
its wage records, paid through the network's recording function, one month late with its
penalty; idempotent."""

from __future__ import annotations

import pytest
from django.utils import timezone

from eservices import demo as eservices_demo
from eservices.dates import add_months
from payments import demo, ledger
from payments.billing import due_date_of
from payments.models import Account, LedgerEntry, Payment
from payments.statements import account_statement

pytestmark = pytest.mark.django_db


def test_the_demo_establishment_is_billed_paid_and_penalised_once(
    django_capture_on_commit_callbacks,
):
    eservices_demo.seed()
    with django_capture_on_commit_callbacks(execute=True):
        rows = demo.seed()
    assert rows and rows[0][1] == "establishment insurance number 100200"
    account = Account.objects.get(establishment__insurance_number="100200")
    entries = LedgerEntry.objects.filter(account=account)
    assert entries.filter(kind="contribution").count() == 12
    this_month = timezone.localdate().replace(day=1)
    late = add_months(this_month, -12 + demo.LATE_INDEX)
    penalty = entries.get(kind="penalty", key=f"penalty:{late:%Y-%m}:1")
    charge = entries.get(kind="contribution", period=late)
    assert penalty.amount == (charge.amount / 100).quantize(penalty.amount)  # 1% of the month
    assert penalty.posted_on == due_date_of(late) + timezone.timedelta(days=1)
    payments = Payment.objects.filter(account=account)
    assert payments.count() == 11  # the last month is left for est.pay-contributions
    late_payment = entries.get(kind="payment", payment__network_reference=demo._reference(late))
    assert -late_payment.amount == charge.amount + penalty.amount  # paid with its penalty
    # the statement of the year reconciles, and the balance is what is still due
    start = add_months(this_month, -12)
    s = account_statement(account, start=start, end=timezone.localdate())
    assert s.opening == 0 and s.closing == ledger.balance(account)
    before = list(LedgerEntry.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed()
    assert list(LedgerEntry.objects.values_list("pk", flat=True)) == before
