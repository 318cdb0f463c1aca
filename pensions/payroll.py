"""The monthly pension payroll: every pension being paid gets one payment for the month, its loan
instalment of that month deducted, exactly once.

How "exactly once" holds:
- ``PensionPayment`` has a unique (pension, month): a second payment cannot be written, whatever
  runs at the same time or again;
- the run commits in batches of pensions taken in the order of their id; each batch, in ONE
  transaction, locks the month's ``PayrollRun`` row, picks the next pensions after the run's cursor
  that have no payment for the month, writes their payments, marks their instalments deducted (with
  the payment they were deducted from) and moves the cursor. A run killed halfway loses only the
  batch it was writing (rolled back by PostgreSQL); the next run starts after the last committed
  batch. Two runs at once take turns on the row lock.
- when the cursor reaches the end, one more pass from the start pays any pension that became
  payable behind it (a pension resumed during the run), then the run is marked completed; the
  scheduled first payments that are due are marked paid with it.

Statements: a batch is six or seven (lock, pensions, instalments, insert, instalment update, loans
repaid, run), whatever its size.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from eservices.dates import month_start

from .models import Loan, LoanInstalment, PayrollRun, Pension, PensionPayment

BATCH_SIZE = 2000
ZERO = Decimal("0.000")


@dataclass(frozen=True)
class PayrollResult:
    month: dt.date
    completed: bool
    paid_now: int  # pensions paid by this call
    batches_now: int


def _payable(month: dt.date, after: int):
    return (
        Pension.objects.filter(status=Pension.Status.ACTIVE, start_month__lte=month, pk__gt=after)
        .exclude(Exists(PensionPayment.objects.filter(pension=OuterRef("pk"), month=month)))
        .order_by("pk")
    )


def pay_batch(run_id: int, month: dt.date, today: dt.date, *, size: int, sweep: bool) -> int | None:
    """Pay the next ``size`` pensions of the run in one transaction; None when none is left.
    ``sweep``: look from the first pension (the last pass), not after the cursor."""
    with transaction.atomic():
        run = PayrollRun.objects.select_for_update().get(pk=run_id)
        if run.status == PayrollRun.Status.COMPLETED:
            return None
        rows = list(
            _payable(month, 0 if sweep else run.cursor).values_list(
                "pk", "base", "increment", "supplement", "minimum_topup", "amount", "iban"
            )[:size]
        )
        if not rows:
            return None
        ids = [r[0] for r in rows]
        due = {
            pension_id: (inst_id, loan_id, amount)
            for pension_id, inst_id, loan_id, amount in LoanInstalment.objects.filter(
                month=month,
                status=LoanInstalment.Status.DUE,
                loan__status=Loan.Status.ACTIVE,
                loan__pension_id__in=ids,
            ).values_list("loan__pension_id", "pk", "loan_id", "amount")
        }
        now = timezone.now()
        payments, deducted = [], []
        for pk, base, increment, supplement, topup, amount, iban in rows:
            inst = due.get(pk)
            deduction = inst[2] if inst and inst[2] <= amount else ZERO
            payments.append(
                PensionPayment(
                    pension_id=pk,
                    month=month,
                    kind=PensionPayment.Kind.MONTHLY,
                    status=PensionPayment.Status.PAID,
                    run_id=run_id,
                    base=base,
                    increment=increment,
                    supplement=supplement,
                    minimum_topup=topup,
                    gross=amount,
                    loan_deduction=deduction,
                    net=amount - deduction,
                    iban=iban,
                    due_date=today,
                    paid_at=now,
                    created_at=now,
                )
            )
            deducted.append(inst if deduction else None)
        PensionPayment.objects.bulk_create(payments)  # PostgreSQL returns the ids
        instalments = [
            LoanInstalment(pk=inst[0], status=LoanInstalment.Status.PAID, payment_id=p.pk)
            for p, inst in zip(payments, deducted, strict=True)
            if inst
        ]
        if instalments:
            LoanInstalment.objects.bulk_update(instalments, ["status", "payment"])
            loans = {inst[1] for inst in deducted if inst}
            Loan.objects.filter(pk__in=loans).exclude(
                Exists(
                    LoanInstalment.objects.filter(
                        loan=OuterRef("pk"), status=LoanInstalment.Status.DUE
                    )
                )
            ).update(status=Loan.Status.REPAID)
        PayrollRun.objects.filter(pk=run_id).update(
            cursor=max(run.cursor, ids[-1]),
            batches=F("batches") + 1,
            paid=F("paid") + len(payments),
            total_net=F("total_net") + sum((p.net for p in payments), ZERO),
            total_deducted=F("total_deducted") + sum((p.loan_deduction for p in payments), ZERO),
        )
        return len(payments)


def _complete(run_id: int, today: dt.date) -> None:
    with transaction.atomic():
        run = PayrollRun.objects.select_for_update().get(pk=run_id)
        if run.status == PayrollRun.Status.COMPLETED:
            return
        now = timezone.now()
        PensionPayment.objects.filter(
            status=PensionPayment.Status.SCHEDULED, due_date__lte=today
        ).update(status=PensionPayment.Status.PAID, paid_at=now)
        run.status = PayrollRun.Status.COMPLETED
        run.finished_at = now
        run.save(update_fields=["status", "finished_at"])


def run_payroll(
    month: dt.date | None = None,
    *,
    today: dt.date | None = None,
    batch_size: int | None = None,
    time_budget: float | None = None,
) -> PayrollResult:
    """Pay the month (default: this month). Resumes a run that stopped; does nothing for a month
    already completed. ``time_budget`` (seconds): stop after the batch that passes it and report
    ``completed=False`` (the task then queues itself again)."""
    today = today or timezone.localdate()
    month = month_start(month or today)
    batch_size = batch_size or BATCH_SIZE
    run, _created = PayrollRun.objects.get_or_create(month=month)
    if run.status == PayrollRun.Status.COMPLETED:
        return PayrollResult(month, True, 0, 0)
    PayrollRun.objects.filter(pk=run.pk).update(attempts=F("attempts") + 1)
    started = time.monotonic()
    paid = batches = 0
    for sweep in (False, True):
        while (n := pay_batch(run.pk, month, today, size=batch_size, sweep=sweep)) is not None:
            paid += n
            batches += 1
            if time_budget is not None and time.monotonic() - started > time_budget:
                return PayrollResult(month, False, paid, batches)
    _complete(run.pk, today)
    return PayrollResult(month, True, paid, batches)
