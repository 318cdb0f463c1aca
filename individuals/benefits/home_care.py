"""Home (child) care allowance after the maternity leave (mat.home-care): whether, from when, how much.

RULES.md: ``maternity.home_care_monthly`` JD a month for up to ``maternity.home_care_months``
months after the leave, if the last insured wage before the birth is at most
``maternity.home_care_wage_max`` JD. The leave lasts ``maternity.leave_days`` days from its start;
the first month of the allowance is the month after the month of the last day of the leave, and
each monthly payment is due on the 1st. Every figure is read for the date of the birth, as the
maternity allowance reads its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from eservices.dates import month_after, month_start
from eservices.rules import Working, money, plain

from .unemployment import Payment, ScheduleFigure


@dataclass
class HomeCareFigure(ScheduleFigure):
    """A figure with its monthly payments (the schedule approval makes), and the monthly amount."""

    monthly: Decimal | None = None


def last_insured_wage(individual, *, before: dt.date) -> Decimal | None:
    """The insured wage of the last contribution month that starts before ``before``."""
    from individuals.models import WageRecord

    return (
        WageRecord.objects.filter(individual=individual, month__lt=before)
        .order_by("-month")
        .values_list("wage", flat=True)
        .first()
    )


def last_leave_day(leave_start: dt.date, leave_days: int) -> dt.date:
    return leave_start + dt.timedelta(days=leave_days - 1)


def first_care_month(leave_start: dt.date, leave_days: int) -> dt.date:
    """The 1st of the month after the month of the last day of the leave."""
    return month_after(month_start(last_leave_day(leave_start, leave_days)), 1)


def home_care_allowance(
    *, birth_date: dt.date, leave_start: dt.date, last_insured_wage: Decimal | None
) -> HomeCareFigure:
    """The allowance from explicit inputs: the birth, the start of the leave and the wage."""
    w = Working()
    ceiling = w.use("maternity.home_care_wage_max", on=birth_date)
    monthly = money(w.use("maternity.home_care_monthly", on=birth_date))
    months = int(w.use("maternity.home_care_months", on=birth_date))
    days = int(w.use("maternity.leave_days", on=birth_date))
    if last_insured_wage is None or last_insured_wage <= 0:
        reason = _("There is no insured wage before the birth.")
        return HomeCareFigure(payable=False, amount=None, reasons=[reason], working=w)
    wage = Decimal(last_insured_wage)
    w.line(_("Last insured wage before the birth (JD)"), f"{wage:.3f}", f"≤ {plain(ceiling)}")
    if wage > ceiling:
        reason = _(
            "Home care is paid when the last insured wage before the birth is at most "
            "%(ceiling)s JD; it was %(wage)s JD."
        ) % {"ceiling": plain(ceiling), "wage": f"{wage:.3f}"}
        return HomeCareFigure(payable=False, amount=None, reasons=[reason], working=w)
    first = first_care_month(leave_start, days)
    payments = [Payment(k + 1, month_after(first, k), monthly) for k in range(months)]
    total = money(monthly * months)
    w.line(
        _("Last day of the maternity leave"),
        last_leave_day(leave_start, days).isoformat(),
        f"{leave_start.isoformat()} + {days} − 1",
    )
    w.line(_("First month of home care"), first.strftime("%Y-%m"))
    w.line(_("Home-care allowance a month (JD)"), f"{monthly:.3f}")
    w.line(_("Months of home care"), months)
    w.line(_("Total = a month × months (JD)"), f"{total:.3f}", f"{monthly:.3f} × {months}")
    return HomeCareFigure(payable=True, amount=total, working=w, monthly=monthly, payments=payments)
