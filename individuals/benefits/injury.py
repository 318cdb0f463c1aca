"""Work injury: the daily allowance during temporary disability, and the deadline to report.

RULES.md: daily allowance = the monthly wage ÷ 30 × ``injury.daily_rate``, rounded half up to the
fils; the wage is the last insured wage up to the month of the injury, the rate the row in force on
the day of the injury. The injured person or the family report it within
``injury.report_years_family`` years: on the same day that many years later it is too late.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from eservices.dates import month_after, month_start
from eservices.rules import Figure, Working, money, plain, rule

from .home_care import last_insured_wage


@dataclass
class InjuryFigure(Figure):
    """The shape of every figure: payable, amount (here the daily allowance), reasons, working."""


def shift_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier); the 29th of February becomes the 28th."""
    first = month_after(day, months)
    last = calendar.monthrange(first.year, first.month)[1]
    return first.replace(day=min(day.day, last))


def report_deadline(occurred_on: dt.date, *, today: dt.date) -> dt.date:
    """The first day on which the injured person or the family can no longer report it."""
    years = rule("injury.report_years_family", on=today).value
    return shift_months(occurred_on, int(years * 12))


def daily_allowance(*, occurred_on: dt.date, last_insured_wage: Decimal | None) -> InjuryFigure:
    w = Working()
    rate = w.use("injury.daily_rate", on=occurred_on)
    if last_insured_wage is None or last_insured_wage <= 0:
        reason = _("There is no insured wage up to the month of the injury.")
        return InjuryFigure(payable=False, amount=None, reasons=[reason], working=w)
    wage = Decimal(last_insured_wage)
    amount = money(wage / Decimal(30) * rate)
    # the formula names the wage: "600.000 ÷ 30 × 0.75"
    formula = f"{wage:.3f} ÷ 30 × {plain(rate)}"
    w.line(_("Daily allowance = last insured wage ÷ 30 × rate (JD)"), f"{amount:.3f}", formula)
    return InjuryFigure(payable=True, amount=amount, working=w)


def daily_allowance_for(individual, occurred_on: dt.date) -> InjuryFigure:
    """The allowance from the person's record: the wage of the last month up to the injury."""
    before = month_after(month_start(occurred_on), 1)
    return daily_allowance(
        occurred_on=occurred_on,
        last_insured_wage=last_insured_wage(individual, before=before),
    )
