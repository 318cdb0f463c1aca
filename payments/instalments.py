"""Instalment plans: a debt of an account spread over monthly instalments.

How the ledger stays right: an account's balance is the sum of its entries, and the contributions
bill asks for ``contributions_due`` = balance − the unpaid instalments of its active plans
(``payments.ledger``). So scheduling a debt moves no money and posts no entry: creating a plan
takes its total out of the contributions bill (refreshed here), and the instalments are billed on
their own (est.pay-installments). Paying an instalment posts the payment's entry (by the network
code) and marks the instalment paid: the balance and the scheduled amount fall together, so the
contributions bill does not move. Cancelling a plan cancels its unpaid instalments: they are owed
again through the contributions bill, which is refreshed. A plan whose instalments are all paid is
completed.

Splitting: each instalment is the total ÷ the number of months rounded DOWN to the fils, and the
last one takes the remainder — the convention of RULES.md for loans (1000.000 / 3 → 333.333,
333.333, 333.334).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.exceptions import ServiceError
from eservices.dates import add_months

from .ledger import contributions_due, refresh_contributions_bill
from .models import Account, Bill, Installment, InstallmentPlan

FILS = Decimal("0.001")


def split(total: Decimal, months: int) -> list[Decimal]:
    """``total`` in ``months`` instalments: each rounded down to the fils, the last the rest."""
    total = Decimal(total)
    if months < 1:
        raise ValueError("at least one instalment")
    if total <= 0 or total != total.quantize(FILS):
        raise ValueError("a positive amount in fils")
    each = (total / months).quantize(FILS, rounding=ROUND_DOWN)
    if each <= 0:
        raise ValueError("each instalment must be at least one fils")
    amounts = [each] * (months - 1)
    amounts.append(total - each * (months - 1))
    return amounts


def schedule(total: Decimal, months: int, first_due: dt.date) -> list[tuple[int, dt.date, Decimal]]:
    """(number, due date, amount) of each instalment: monthly from ``first_due``."""
    return [
        (i + 1, add_months(first_due, i), amount) for i, amount in enumerate(split(total, months))
    ]


def active_plan(account: Account) -> InstallmentPlan | None:
    return (
        InstallmentPlan.objects.filter(account=account, status=InstallmentPlan.Status.ACTIVE)
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def create_plan(
    account: Account,
    total: Decimal,
    months: int,
    first_due: dt.date,
    request=None,
) -> InstallmentPlan:
    """Spread ``total`` of what the account owes over ``months`` monthly instalments.

    The total must not exceed what the contributions bill asks for now (one cannot schedule more
    than is owed and not already scheduled). No ledger entry is posted (see the module's note);
    the contributions bill is refreshed so that it no longer asks for the scheduled part."""
    Account.objects.select_for_update().filter(pk=account.pk).first()  # one change at a time
    total = Decimal(total)
    owed = contributions_due(account)
    if total > owed:
        raise ServiceError(
            _("Only %(owed)s JD is owed and not scheduled: a plan of %(total)s JD is not possible.")
            % {"owed": f"{owed:.3f}", "total": f"{total:.3f}"}
        )
    rows = schedule(total, months, first_due)
    plan = InstallmentPlan.objects.create(
        account=account, request=request, total=total, months=months, first_due=first_due
    )
    Installment.objects.bulk_create(
        Installment(plan=plan, sequence=n, due_date=due, amount=amount) for n, due, amount in rows
    )
    refresh_contributions_bill(account)
    return plan


def _cancel_open_bills(installments: Iterable[Installment]) -> int:
    """Open instalment bills that ask for cancelled instalments can no longer be paid."""
    return (
        Bill.objects.filter(
            kind=Bill.Kind.INSTALLMENTS,
            status=Bill.Status.OPEN,
            installments__in=list(installments),
        )
        .distinct()
        .update(status=Bill.Status.CANCELLED)
    )


@transaction.atomic
def cancel_plan(plan: InstallmentPlan) -> list[Installment]:
    """Cancel the plan's unpaid instalments (paid ones stay paid): what they scheduled is owed
    again through the contributions bill, which is refreshed. Returns the cancelled instalments."""
    plan = InstallmentPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != InstallmentPlan.Status.ACTIVE:
        raise ServiceError(_("This instalment plan is no longer active."))
    due = list(plan.installments.select_for_update().filter(status=Installment.Status.DUE))
    Installment.objects.filter(pk__in=[i.pk for i in due]).update(
        status=Installment.Status.CANCELLED
    )
    _cancel_open_bills(due)
    plan.status = InstallmentPlan.Status.CANCELLED
    plan.save(update_fields=["status"])
    refresh_contributions_bill(plan.account)
    return due


def due_installments(account: Account, *, on: dt.date | None = None):
    """The unpaid instalments of the account's active plans due on or before ``on`` (today):
    what est.pay-installments bills."""
    on = on or timezone.localdate()
    return Installment.objects.filter(
        plan__account=account,
        plan__status=InstallmentPlan.Status.ACTIVE,
        status=Installment.Status.DUE,
        due_date__lte=on,
    ).order_by("due_date", "sequence")


@transaction.atomic
def mark_paid(installments: Iterable[Installment], payment) -> list[InstallmentPlan]:
    """Record that ``payment`` paid these instalments (the payment's ledger entry is posted by the
    code that records the payment). Plans whose instalments are then all paid are completed;
    returns them. Idempotent: an instalment already paid by this payment is left as it is."""
    ids = [i.pk for i in installments]
    rows = list(Installment.objects.select_for_update().filter(pk__in=ids))
    for row in rows:
        if row.status == Installment.Status.PAID and row.payment_id == payment.pk:
            continue
        if row.status != Installment.Status.DUE:
            raise ServiceError(_("Instalment %(n)s is not due.") % {"n": row.sequence})
    Installment.objects.filter(pk__in=ids, status=Installment.Status.DUE).update(
        status=Installment.Status.PAID, payment=payment
    )
    completed = []
    for plan_id in sorted({r.plan_id for r in rows}):
        plan = complete_if_paid(InstallmentPlan.objects.get(pk=plan_id))
        if plan.status == InstallmentPlan.Status.COMPLETED:
            completed.append(plan)
    return completed


@transaction.atomic
def complete_if_paid(plan: InstallmentPlan) -> InstallmentPlan:
    """An active plan with every instalment paid is completed."""
    plan = InstallmentPlan.objects.select_for_update().get(pk=plan.pk)
    if (
        plan.status == InstallmentPlan.Status.ACTIVE
        and not plan.installments.exclude(status=Installment.Status.PAID).exists()
    ):
        plan.status = InstallmentPlan.Status.COMPLETED
        plan.save(update_fields=["status"])
    return plan
