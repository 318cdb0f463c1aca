"""hh.payment: an accepted application is paid on the 1st of the month after its acceptance (the
source's "beginning of the second month"), then on the 1st of every month, once a month.

Each month's amount is worked out when it is paid: the household as the pension records it, the
income as the beneficiary last declared it (so a change of income counts from the next payment),
and the rule rows in force on the first day of that month. ``Payment`` has one row per pension
and month (a unique constraint), so running the monthly task twice pays nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.exceptions import ServiceError
from eservices.dates import month_after, month_start
from eservices.notifications import notify

from .entitlement import EntitlementFigure, Income, members_of, sar
from .models import IncomeSource, Payment, Pension
from .validators import mask_iban

log = logging.getLogger(__name__)


def first_payment_month(accepted_on: dt.date) -> dt.date:
    """The 1st of the month after the acceptance."""
    return month_after(month_start(accepted_on), 1)


def pension_incomes(pension: Pension) -> list[Income]:
    return [
        Income(kind, amount)
        for kind, amount in IncomeSource.objects.filter(
            profile__user_id=pension.beneficiary_id
        ).values_list("kind", "monthly_amount")
    ]


def pension_figure(pension: Pension, month: dt.date) -> EntitlementFigure:
    from .entitlement import household_entitlement

    return household_entitlement(
        members=members_of(
            spouses=pension.spouses, children=pension.children, others=pension.others
        ),
        incomes=pension_incomes(pension),
        month=month,
    )


def next_payment_month(pension: Pension, today: dt.date | None = None) -> dt.date:
    """The first month from this one (and from the first month) that has not been paid yet."""
    month = max(pension.first_month, month_start(today or timezone.localdate()))
    paid = set(pension.payments.filter(month__gte=month).values_list("month", flat=True))
    while month in paid:
        month = month_after(month, 1)
    return month


def pay_month(pension_id: int, month: dt.date) -> Payment | None:
    """Pay one month of one pension, unless it is paid already (or not due)."""
    month = month_start(month)
    with transaction.atomic():
        pension = (
            Pension.objects.select_for_update().select_related("beneficiary").get(pk=pension_id)
        )
        if pension.status != Pension.Status.ACTIVE or month < pension.first_month:
            return None
        if pension.payments.filter(month=month).exists():
            return None
        figure = pension_figure(pension, month)
        amount = figure.amount if figure.payable else None
        try:
            with transaction.atomic():
                payment = Payment.objects.create(
                    pension=pension,
                    month=month,
                    amount=amount or 0,
                    iban=pension.iban if amount else "",
                    status=Payment.Status.PAID if amount else Payment.Status.NONE_DUE,
                    working=figure.working.as_json(),
                )
        except IntegrityError:  # made meanwhile by another run: once a month, whatever happens
            return None
        label = month.strftime("%Y-%m")
        if amount:
            body = _(
                "Your household pension for %(month)s was paid: %(amount)s SAR into %(iban)s."
            ) % {
                "month": label,
                "amount": sar(amount),
                "iban": mask_iban(pension.iban),
            }
        else:
            body = _(
                "No household pension is due for %(month)s: the household's countable income is "
                "not below its minimum."
            ) % {"month": label}
        notify(
            user=pension.beneficiary,
            request=pension.request,
            title=_("Household pension for %(month)s") % {"month": label},
            body=body,
        )
    return payment


def pay_due_pensions(*, today: dt.date | None = None) -> int:
    """Pay every active pension for each month due up to this one (a month missed by an earlier
    run is caught up). Returns the number of payment rows made."""
    month = month_start(today or timezone.localdate())
    pensions = list(
        Pension.objects.filter(status=Pension.Status.ACTIVE, first_month__lte=month).values_list(
            "pk", "first_month"
        )
    )
    done = set(
        Payment.objects.filter(pension_id__in=[pk for pk, _m in pensions]).values_list(
            "pension_id", "month"
        )
    )
    made = 0
    for pk, first in pensions:
        due = first
        while due <= month:
            if (pk, due) not in done:
                try:
                    if pay_month(pk, due) is not None:
                        made += 1
                except ServiceError as exc:  # a rule missing for that month: staff must add it
                    log.error("household pension %s, %s not paid: %s", pk, due, exc)
            due = month_after(due, 1)
    return made
