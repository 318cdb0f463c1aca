"""Retiree loans (ret.loan-request, ret.loan-reschedule): the largest loan, the term, and the
amortisation schedule, by RULES.md "Retiree loans".

- The loan is at most ``loan.pension_multiple`` × the net monthly pension and at most
  ``loan.max_amount``.
- The term is at most ``loan.max_months`` months and ends before the age ``loan.max_age``: the last
  instalment falls in a month before the month of that birthday.
- Interest: ``loan.interest`` a year, flat on the principal. Total due = principal × (1 + rate ×
  months ÷ 12), rounded half up to the fils; each instalment = total ÷ months rounded DOWN to the
  fils, and the last one takes the remainder.
- No instalment is more than ``loan.instalment_max_ratio`` × the net pension (the cap rounded down
  to the fils), the last one included. The largest total a term of m months allows is at most
  m × that cap; the largest principal is the largest whose instalments all fit.
- Rescheduling: the balance still due is spread over a new term within the same limits, with no
  new interest; instalments split the same way.

The net monthly pension is the pension paid each month before the loan's own instalment (the
portal's record holds no other deduction). Instalments are deducted by the pension payroll, the
first in the month after the loan is granted.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from eservices.dates import month_after, month_start
from eservices.rules import FILS, Figure, Working, plain

from .calculator import fils, jd, pct
from .rulebook import RuleBook

LOAN_KEYS = (
    "loan.pension_multiple",
    "loan.max_amount",
    "loan.max_months",
    "loan.max_age",
    "loan.interest",
    "loan.instalment_max_ratio",
)
ZERO = Decimal("0.000")


@dataclass(frozen=True)
class Instalment:
    sequence: int
    month: dt.date
    amount: Decimal
    balance_after: Decimal

    def as_json(self) -> dict:
        return {
            "sequence": self.sequence,
            "month": self.month.strftime("%Y-%m"),
            "amount": jd(self.amount),
            "balance_after": jd(self.balance_after),
        }


@dataclass(frozen=True)
class LoanLimits:
    net_pension: Decimal
    max_months: int  # 0: no term fits before the age limit
    max_instalment: Decimal
    max_principal: Decimal  # the largest loan for the longest term
    ceiling: Decimal  # the lower of the multiple of the pension and the highest loan

    def as_json(self) -> dict:
        return {
            "net_pension": jd(self.net_pension),
            "max_months": self.max_months,
            "max_instalment": jd(self.max_instalment),
            "max_principal": jd(self.max_principal),
            "ceiling": jd(self.ceiling),
        }


@dataclass
class LoanFigure(Figure):
    """``amount``: the principal (a new loan) or the balance spread again (a rescheduling)."""

    total: Decimal | None = None
    months: int = 0
    schedule: list[Instalment] = field(default_factory=list)
    limits: LoanLimits | None = None

    def as_json(self) -> dict:
        return {
            **super().as_json(),
            "total": jd(self.total) if self.total is not None else None,
            "months": self.months,
            "schedule": [i.as_json() for i in self.schedule],
            "limits": self.limits.as_json() if self.limits else None,
        }


# --- Arithmetic ------------------------------------------------------------------------------


def total_due(principal: Decimal, months: int, rate: Decimal) -> Decimal:
    """principal × (1 + rate × months ÷ 12), rounded half up to the fils."""
    return fils(Fraction(principal) * (1 + Fraction(rate) * months / 12))


def split(total: Decimal, months: int) -> list[Decimal]:
    """``months`` instalments of ``total``: each rounded down to the fils, the last the rest."""
    each = (total / months).quantize(FILS, rounding=ROUND_DOWN)
    return [each] * (months - 1) + [total - each * (months - 1)]


def schedule_of(total: Decimal, months: int, first_month: dt.date) -> list[Instalment]:
    rows, balance = [], total
    for n, amount in enumerate(split(total, months), start=1):
        balance -= amount
        rows.append(Instalment(n, month_after(first_month, n - 1), amount, balance))
    return rows


def birthday(birth_date: dt.date, age: int) -> dt.date:
    try:
        return birth_date.replace(year=birth_date.year + age)
    except ValueError:  # born on 29 February
        return dt.date(birth_date.year + age, 3, 1)


def months_before_age(birth_date: dt.date, age: int, first_month: dt.date) -> int:
    """Instalment months from ``first_month`` that fall before the month of that birthday."""
    limit = month_start(birthday(birth_date, age))
    return max(0, (limit.year - first_month.year) * 12 + limit.month - first_month.month)


def largest_principal(*, cap: Decimal, months: int, rate: Decimal, ceiling: Decimal) -> Decimal:
    """The largest principal (to the fils) whose instalments over ``months`` stay within
    ``cap``, and at most ``ceiling``."""
    if months <= 0 or cap <= 0:
        return ZERO
    cap = cap.quantize(FILS, rounding=ROUND_DOWN)
    factor = 1 + Fraction(rate) * months / 12
    # From just above m × cap ÷ factor (the rounding of the total may bring it back to m × cap),
    # down to the first principal whose instalments all fit — a total just under m × cap can
    # leave a last instalment above the cap (at most about m fils of total to step over).
    p = min(Decimal(math.ceil(Fraction(cap * months) / factor * 1000)).scaleb(-3) + FILS, ceiling)
    while p > 0 and largest_instalment(total_due(p, months, rate), months) > cap:
        p -= FILS
    return max(p, ZERO)


def largest_instalment(total: Decimal, months: int) -> Decimal:
    return split(total, months)[-1]


def shortest_term(balance: Decimal, cap: Decimal, longest: int) -> int | None:
    """The fewest months whose instalments of ``balance`` all fit within ``cap``."""
    if cap <= 0:
        return None
    for m in range(max(1, math.ceil(balance / cap)), longest + 1):
        if largest_instalment(balance, m) <= cap:
            return m
    return None


# --- Limits ------------------------------------------------------------------------------------


def loan_limits(
    w: Working, book: RuleBook, *, net_pension: Decimal, birth_date: dt.date, first_month: dt.date
) -> LoanLimits:
    multiple = book.use(w, "loan.pension_multiple")
    highest = book.use(w, "loan.max_amount")
    longest = int(book.use(w, "loan.max_months"))
    max_age = int(book.use(w, "loan.max_age"))
    ratio = book.use(w, "loan.instalment_max_ratio")
    rate = book.use(w, "loan.interest")
    by_multiple = (net_pension * multiple).quantize(FILS)
    ceiling = min(by_multiple, highest)
    w.line(_("Net monthly pension (JD)"), jd(net_pension))
    w.line(
        _("Highest loan: %(m)s pensions, at most %(h)s JD")
        % {"m": plain(multiple), "h": plain(highest)},
        jd(ceiling),
        f"min({jd(net_pension)} × {plain(multiple)}, {plain(highest)})",
    )
    by_age = months_before_age(birth_date, max_age, first_month)
    max_months = min(longest, by_age)
    first = _("first instalment")
    w.line(
        _("Longest term: %(n)s months, ending before the age of %(age)s")
        % {"n": longest, "age": max_age},
        max_months,
        f"min({longest}, {by_age}) — {first} {first_month:%Y-%m}",
    )
    max_instalment = (net_pension * ratio).quantize(FILS, rounding=ROUND_DOWN)
    w.line(
        _("Highest instalment: %(p)s of the net pension (JD)") % {"p": pct(Fraction(ratio))},
        jd(max_instalment),
        f"{jd(net_pension)} × {pct(Fraction(ratio))}",
    )
    max_principal = largest_principal(
        cap=max_instalment, months=max_months, rate=rate, ceiling=ceiling
    )
    w.line(
        _("Largest loan over %(n)s months (JD)") % {"n": max_months},
        jd(max_principal),
        f"{jd(max_instalment)} × {max_months} ÷ (1 + {pct(Fraction(rate))} × {max_months} ÷ 12)",
    )
    return LoanLimits(net_pension, max_months, max_instalment, max_principal, ceiling)


def _schedule_lines(w: Working, schedule: list[Instalment]) -> None:
    for i in schedule:
        w.line(
            _("Instalment %(n)s, %(month)s (JD)") % {"n": i.sequence, "month": f"{i.month:%Y-%m}"},
            jd(i.amount),
            _("balance after: %(b)s") % {"b": jd(i.balance_after)},
        )


def _term_reasons(limits: LoanLimits, months: int) -> list[str]:
    if limits.max_months <= 0:
        return [_("No term fits before the age limit: a loan cannot be granted.")]
    if not 1 <= months <= limits.max_months:
        return [
            _("The term is from 1 to %(n)s months.") % {"n": limits.max_months},
        ]
    return []


def _term(net_pension, birth_date, months, *, on, first_month, rules):
    """What a new loan and a rescheduling start from: the working, the rules, the first month
    deducted (the month after ``on`` unless given), the limits and the term's reasons."""
    w = Working()
    book = rules or RuleBook(on, LOAN_KEYS)
    first_month = month_start(first_month or month_after(month_start(on), 1))
    limits = loan_limits(
        w, book, net_pension=Decimal(net_pension), birth_date=birth_date, first_month=first_month
    )
    return w, book, first_month, limits, _term_reasons(limits, months)


def retiree_loan(
    *,
    net_pension: Decimal,
    birth_date: dt.date,
    principal: Decimal,
    months: int,
    on: dt.date,
    first_month: dt.date | None = None,
    rules: RuleBook | None = None,
) -> LoanFigure:
    """A new loan asked for on ``on``: the limits, the total due and the whole schedule."""
    w, book, first_month, limits, reasons = _term(
        net_pension, birth_date, months, on=on, first_month=first_month, rules=rules
    )
    principal = Decimal(principal)
    if principal <= 0:
        reasons.append(_("Give the amount of the loan."))
    elif principal > limits.ceiling:
        reasons.append(
            _("The loan can be at most %(max)s JD.") % {"max": jd(limits.ceiling)},
        )
    if reasons:
        return LoanFigure(payable=False, amount=None, reasons=reasons, working=w, limits=limits)
    rate = book.use(w, "loan.interest")
    total = total_due(principal, months, rate)
    w.line(_("Loan asked for (JD)"), jd(principal))
    w.line(
        _("Total due, with %(p)s a year flat interest (JD)") % {"p": pct(Fraction(rate))},
        jd(total),
        f"{jd(principal)} × (1 + {pct(Fraction(rate))} × {months} ÷ 12)",
    )
    schedule = schedule_of(total, months, first_month)
    largest = max(i.amount for i in schedule)
    if largest > limits.max_instalment:
        best = largest_principal(
            cap=limits.max_instalment, months=months, rate=rate, ceiling=limits.ceiling
        )
        return LoanFigure(
            payable=False,
            amount=None,
            reasons=[
                _(
                    "An instalment of %(inst)s JD is more than %(cap)s JD; over %(n)s months the "
                    "loan can be at most %(best)s JD."
                )
                % {
                    "inst": jd(largest),
                    "cap": jd(limits.max_instalment),
                    "n": months,
                    "best": jd(best),
                }
            ],
            working=w,
            limits=limits,
            total=total,
            months=months,
        )
    w.line(
        _("Monthly instalment, rounded down to the fils (JD)"),
        jd(schedule[0].amount),
        f"{jd(total)} ÷ {months}",
    )
    _schedule_lines(w, schedule)
    return LoanFigure(
        payable=True,
        amount=principal,
        working=w,
        total=total,
        months=months,
        schedule=schedule,
        limits=limits,
    )


def loan_reschedule(
    *,
    net_pension: Decimal,
    birth_date: dt.date,
    balance: Decimal,
    months: int,
    on: dt.date,
    first_month: dt.date | None = None,
    rules: RuleBook | None = None,
) -> LoanFigure:
    """The balance still due spread over a new term of ``months`` (no new interest)."""
    w, book, first_month, limits, reasons = _term(
        net_pension, birth_date, months, on=on, first_month=first_month, rules=rules
    )
    balance = Decimal(balance)
    if balance <= 0:
        reasons.append(_("Nothing is left to pay on the loan."))
    if reasons:
        return LoanFigure(payable=False, amount=None, reasons=reasons, working=w, limits=limits)
    w.line(_("Balance still due (JD)"), jd(balance))
    schedule = schedule_of(balance, months, first_month)
    largest = max(i.amount for i in schedule)
    if largest > limits.max_instalment:
        shortest = shortest_term(balance, limits.max_instalment, limits.max_months)
        reason = (
            _(
                "An instalment of %(inst)s JD is more than %(cap)s JD: choose a term of at least "
                "%(n)s months."
            )
            % {"inst": jd(largest), "cap": jd(limits.max_instalment), "n": shortest}
            if shortest
            else _(
                "An instalment of %(inst)s JD is more than %(cap)s JD, and no term within the "
                "limits is long enough."
            )
            % {"inst": jd(largest), "cap": jd(limits.max_instalment)}
        )
        return LoanFigure(
            payable=False,
            amount=None,
            reasons=[reason],
            working=w,
            limits=limits,
            total=balance,
            months=months,
        )
    w.line(
        _("Monthly instalment, rounded down to the fils (JD)"),
        jd(schedule[0].amount),
        f"{jd(balance)} ÷ {months}",
    )
    _schedule_lines(w, schedule)
    return LoanFigure(
        payable=True,
        amount=balance,
        working=w,
        total=balance,
        months=months,
        schedule=schedule,
        limits=limits,
    )
