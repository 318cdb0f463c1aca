"""Defense-order advances drawn from the lump-sum account (FACTS A10): Tamkeen Iqtisadi 2,
Musaned 3 and the Tamkeen advance from the retirement account.

Each is for a person whose last insured wage is below the programme's limit (``*.wage_max`` in
force on the request date), and is the programme's rate × the balance of the account
(lump_sum.account_balance: the lump-sum value less the advances already drawn), at most its cap,
rounded half up to the fils once:
- Tamkeen 2: ``tamkeen2.rate``, at most ``tamkeen2.cap`` for Jordanians and
  ``tamkeen2.cap_non_jordanian`` for others; paid once.
- Musaned 3: ``musaned3.rate``, at most ``musaned3.cap``; an optional subscriber (coverage
  "optional" on the last contribution month) ``musaned3.optional_rate``, at most
  ``musaned3.optional_monthly_cap`` a month; paid over ``musaned3.months`` monthly payments, each
  rounded down to the fils and the last taking the remainder (as RULES.md splits instalments).
- Tamkeen retirement advance: ``tamkeen_ret.rate``, at most ``tamkeen_ret.cap``; paid once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from eservices.rules import Working, money, plain

from .lump_sum import (
    MUSANED3,
    TAMKEEN2,
    TAMKEEN_RETIREMENT,
    ZERO,
    LumpSumFigure,
    account_balance,
    account_record,
    jd,
    percent,
)
from .unemployment import Payment, due_dates, split_equal


@dataclass(frozen=True)
class Terms:
    """A programme's terms, its rate and cap already read into the working."""

    wage_max_key: str
    rate: Decimal
    cap: Decimal
    cap_formula: str = ""
    months: int = 1


def _advance(
    w: Working,
    terms: Terms,
    on: dt.date,
    contributions: int,
    total_insured_wages: Decimal,
    advances_drawn: Decimal,
    last_insured_wage: Decimal | None,
) -> LumpSumFigure:
    """The rate × the balance, at most the cap, in the programme's payments."""
    wage_max = w.use(terms.wage_max_key, on=on)
    balance, breakdown = account_balance(w, on, contributions, total_insured_wages, advances_drawn)
    rate, cap = terms.rate, terms.cap
    breakdown.update(rate=plain(rate), cap=jd(cap), wage_max=plain(wage_max))
    reasons = []
    if last_insured_wage is None:
        reasons.append(_("There is no insured wage on the record."))
    else:
        wage = Decimal(last_insured_wage)
        w.line(_("Last insured wage (JD)"), jd(wage), f"< {plain(wage_max)}")
        if wage >= wage_max:
            reasons.append(
                _(
                    "This advance is for a last insured wage below %(max)s JD; "
                    "the last insured wage is %(wage)s JD."
                )
                % {"max": plain(wage_max), "wage": jd(wage)}
            )
    if balance <= 0:
        reasons.append(_("The lump-sum account has no balance to draw on."))
    if reasons:
        return LumpSumFigure(
            payable=False, amount=None, reasons=reasons, working=w, breakdown=breakdown
        )
    amount = money(min(balance * rate, cap))
    w.line(_("Rate of the advance"), percent(rate))
    w.line(
        _("Advance = balance × rate, at most %(cap)s (JD)") % {"cap": plain(cap)},
        jd(amount),
        f"min({jd(balance)} × {plain(rate)}, {terms.cap_formula or plain(cap)})",
    )
    parts = split_equal(amount, terms.months)
    dues = due_dates(on, len(parts))
    payments = [Payment(k + 1, dues[k], part) for k, part in enumerate(parts)]
    if len(parts) > 1:
        w.line(
            _("Monthly payments, the last taking the remainder (JD)"),
            " + ".join(jd(p) for p in parts),
            f"{jd(amount)} ÷ {len(parts)}",
        )
    return LumpSumFigure(
        payable=True, amount=amount, working=w, payments=payments, breakdown=breakdown
    )


def tamkeen2_advance(
    *,
    request_date: dt.date,
    contributions: int,
    total_insured_wages: Decimal,
    last_insured_wage: Decimal | None,
    is_jordanian: bool,
    advances_drawn: Decimal = ZERO,
) -> LumpSumFigure:
    """Tamkeen Iqtisadi 2: the cap for Jordanians or for others, in force on the request date."""
    w, on = Working(), request_date
    cap_key = "tamkeen2.cap" if is_jordanian else "tamkeen2.cap_non_jordanian"
    terms = Terms("tamkeen2.wage_max", w.use("tamkeen2.rate", on=on), w.use(cap_key, on=on))
    account = (contributions, total_insured_wages, advances_drawn, last_insured_wage)
    return _advance(w, terms, on, *account)


def musaned3_advance(
    *,
    request_date: dt.date,
    contributions: int,
    total_insured_wages: Decimal,
    last_insured_wage: Decimal | None,
    optional_subscriber: bool = False,
    advances_drawn: Decimal = ZERO,
) -> LumpSumFigure:
    """Musaned 3: over ``musaned3.months`` monthly payments; optional subscribers their own rate
    and a cap per month."""
    w, on = Working(), request_date
    months = int(w.use("musaned3.months", on=on))
    if optional_subscriber:
        monthly = w.use("musaned3.optional_monthly_cap", on=on)
        rate, cap = w.use("musaned3.optional_rate", on=on), monthly * months
        formula = f"{plain(monthly)} × {months}"
    else:
        rate, cap, formula = w.use("musaned3.rate", on=on), w.use("musaned3.cap", on=on), ""
    terms = Terms("musaned3.wage_max", rate, cap, formula, months)
    account = (contributions, total_insured_wages, advances_drawn, last_insured_wage)
    return _advance(w, terms, on, *account)


def tamkeen_retirement_advance(
    *,
    request_date: dt.date,
    contributions: int,
    total_insured_wages: Decimal,
    last_insured_wage: Decimal | None,
    advances_drawn: Decimal = ZERO,
) -> LumpSumFigure:
    """The Tamkeen advance from the retirement account (the same account as the lump sum)."""
    w, on = Working(), request_date
    rate, cap = w.use("tamkeen_ret.rate", on=on), w.use("tamkeen_ret.cap", on=on)
    account = (contributions, total_insured_wages, advances_drawn, last_insured_wage)
    return _advance(w, Terms("tamkeen_ret.wage_max", rate, cap), on, *account)


def advance_for_person(
    individual, code: str, *, on: dt.date, exclude_request: int | None = None
) -> LumpSumFigure:
    """The advance ``code`` from the person's record and the advances they already drew."""
    record = account_record(individual, on=on, exclude_request=exclude_request)
    inputs = {
        "request_date": on,
        "contributions": record.contributions,
        "total_insured_wages": record.total_wages,
        "last_insured_wage": record.last_wage,
        "advances_drawn": record.advances_drawn,
    }
    if code == TAMKEEN2:
        return tamkeen2_advance(**inputs, is_jordanian=individual.is_jordanian)
    if code == MUSANED3:
        return musaned3_advance(**inputs, optional_subscriber=record.last_coverage == "optional")
    if code == TAMKEEN_RETIREMENT:
        return tamkeen_retirement_advance(**inputs)
    raise ValueError(code)
