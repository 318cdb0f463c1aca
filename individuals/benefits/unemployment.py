"""Unemployment allowance (unemp.request) and the unemployment savings balance that the defense-order
programmes draw on (def.musaned1, def.musaned2-savings): who may have them, and how much.

RULES.md "Unemployment allowance": at least ``unemp.min_contributions`` contributions, at least one to
the unemployment branch, under the old-age age (``oldage.age_men`` / ``oldage.age_women``), at most
``unemp.max_claims`` claims in a career, each after ``unemp.new_contributions`` new contributions.
Monthly allowance = last insured wage × ``unemp.rate_month_1`` / ``_2`` / ``_3`` / ``_4_6``, for 3
months, or 6 from ``unemp.long_threshold`` contributions; each month at most ``unemp.monthly_cap``,
rounded half up to the fils once per month. Paid on the 1st of each month from the month after the
claim (FACTS A5).

The savings balance (FACTS A10) = Σ wage × (``contrib.unemployment.employee`` +
``contrib.unemployment.employer`` in force that month) over the months with an unemployment
contribution, rounded to the fils at the end, minus what earlier Musaned 1 / Musaned 2 payouts drew.
Musaned 1 pays ``musaned1.balance_share`` of it over ``musaned1.months`` equal monthly payments
(each rounded down to the fils, the last takes the remainder, as RULES.md splits instalments);
Musaned 2 pays ``musaned2.balance_share`` of it once.

The ``*_allowance`` / ``musaned*`` functions take explicit inputs (the API calls them); the
``*_for_person`` functions read the insurance record and call them (the service pages do).
Only contribution months not paid out by a lump sum (``compensated_by`` empty) count.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from functools import partial

from django.utils import timezone
from django.utils.translation import gettext as _

from eservices.dates import age_on, month_after, month_start
from eservices.rules import FILS, Figure, Working, money, plain

UNEMP_REQUEST = "unemp.request"
UNEMP_STOP = "unemp.stop"
MUSANED1 = "def.musaned1"
MUSANED2 = "def.musaned2-savings"
SAVINGS_DRAWS = (MUSANED1, MUSANED2)  # approved requests of these reduce the savings balance
# The rule of the share of the balance paid, and of the number of monthly payments (None: once).
SAVINGS_RULES = {
    MUSANED1: ("musaned1.balance_share", "musaned1.months"),
    MUSANED2: ("musaned2.balance_share", None),
}

# The rate of each month of the allowance, in order: the schedule of RULES.md. The number of months
# paid is the length of this schedule from unemp.long_threshold contributions, and the months that
# have a rate of their own below it (no rule row holds these two counts: reported).
RATE_KEYS = (
    "unemp.rate_month_1",
    "unemp.rate_month_2",
    "unemp.rate_month_3",
    "unemp.rate_month_4_6",
    "unemp.rate_month_4_6",
    "unemp.rate_month_4_6",
)
SHORT_MONTHS = RATE_KEYS.index("unemp.rate_month_4_6")  # 3
SAVINGS_RATE_KEYS = ("contrib.unemployment.employee", "contrib.unemployment.employer")


# --- Figures ---------------------------------------------------------------------------------
# Figure (eservices.rules) is the engine's figure shape (payable, amount, reasons, working, as_json()):
# these add their schedule of payments to it.


@dataclass(frozen=True)
class Payment:
    """One monthly payment of a figure: its number, due date and amount (JD)."""

    sequence: int
    due_date: dt.date
    amount: Decimal
    rate: Decimal | None = None  # the allowance rate of that month (unemployment only)
    capped: bool = False  # the month was cut to unemp.monthly_cap

    def as_json(self) -> dict:
        data = {
            "sequence": self.sequence,
            "due_date": self.due_date.isoformat(),
            "amount": f"{self.amount:.3f}",
        }
        if self.rate is not None:
            data.update(rate=plain(self.rate), capped=self.capped)
        return data


@dataclass
class ScheduleFigure(Figure):
    payments: list[Payment] = field(default_factory=list)

    def as_json(self) -> dict:
        return {**super().as_json(), "payments": [p.as_json() for p in self.payments]}


@dataclass
class SavingsFigure(ScheduleFigure):
    balance: Decimal = Decimal("0.000")

    def as_json(self) -> dict:
        return {**super().as_json(), "balance": f"{self.balance:.3f}"}


# --- Shared pieces ---------------------------------------------------------------------------


def due_dates(claim_date: dt.date, count: int) -> list[dt.date]:
    """The 1st of each month from the month after the claim."""
    first = month_after(month_start(claim_date), 1)
    return [month_after(first, k) for k in range(count)]


def split_equal(amount: Decimal, count: int) -> list[Decimal]:
    """``amount`` in ``count`` payments rounded down to the fils; the last takes the remainder.
    Never a payment of nothing: a very small amount is paid in fewer payments."""
    count = max(1, min(count, int(amount / FILS)))
    each = (amount / count).quantize(FILS, rounding=ROUND_DOWN)
    return [each] * (count - 1) + [amount - each * (count - 1)]


def covered_reason() -> str:
    return _(
        "You are covered by insurance now (an open insurance period or a contribution for this "
        "month is on the record): this is paid while you are out of work."
    )


def _payment_lines(w: Working, payments: list[Payment], formulas: list[str]) -> Decimal:
    for p, formula in zip(payments, formulas, strict=True):
        w.line(
            _("Payment %(n)s, due %(due)s (JD)") % {"n": p.sequence, "due": p.due_date.isoformat()},
            f"{p.amount:.3f}",
            formula,
        )
    return sum((p.amount for p in payments), Decimal("0.000"))


# --- Unemployment allowance ------------------------------------------------------------------


def unemployment_allowance(
    *,
    birth_date: dt.date,
    sex: str,
    claim_date: dt.date,
    contributions: int,
    unemployment_contributions: int,
    last_insured_wage: Decimal | None,
    previous_claims: int = 0,
    new_contributions_since_last_claim: int | None = None,
    currently_insured: bool = False,
) -> ScheduleFigure:
    """Eligibility and the monthly allowance, from explicit inputs; the rules in force on the claim
    date. ``amount`` is the total of the months; ``payments`` has each month."""
    w = Working()
    on = claim_date
    needed = int(w.use("unemp.min_contributions", on=on))
    old_age = int(w.use("oldage.age_men" if sex == "M" else "oldage.age_women", on=on))
    max_claims = int(w.use("unemp.max_claims", on=on))
    age = age_on(birth_date, on)
    reasons: list[str] = []

    def check(label, value, bound: str, ok: bool, reason: str) -> None:
        w.line(label, value, bound)
        if not ok:
            reasons.append(reason)

    check(
        _("Contributions on the record"),
        contributions,
        f"≥ {needed}",
        contributions >= needed,
        _(
            "%(needed)s contributions are needed for the unemployment allowance; "
            "the record has %(counted)s."
        )
        % {"needed": needed, "counted": contributions},
    )
    check(
        _("Contributions to the unemployment branch"),
        unemployment_contributions,
        "≥ 1",
        unemployment_contributions >= 1,
        _("At least one contribution to the unemployment branch is needed; the record has none."),
    )
    check(
        _("Age on the date of the claim"),
        age,
        f"< {old_age}",
        age < old_age,
        _(
            "The unemployment allowance is paid before the old-age age of %(age)s; "
            "the age on the date of the claim is %(years)s."
        )
        % {"age": old_age, "years": age},
    )
    check(
        _("Earlier approved claims"),
        previous_claims,
        f"< {max_claims}",
        previous_claims < max_claims,
        _(
            "The unemployment allowance is paid at most %(max)s times in a career; "
            "it was approved %(count)s times."
        )
        % {"max": max_claims, "count": previous_claims},
    )
    if 0 < previous_claims < max_claims:
        new_needed = int(w.use("unemp.new_contributions", on=on))
        new = new_contributions_since_last_claim or 0
        check(
            _("New contributions since the last claim"),
            new,
            f"≥ {new_needed}",
            new >= new_needed,
            _(
                "%(needed)s new contributions are needed since the last approved claim; "
                "the record has %(counted)s."
            )
            % {"needed": new_needed, "counted": new},
        )
    if currently_insured:
        reasons.append(covered_reason())
    if last_insured_wage is None or last_insured_wage <= 0:
        reasons.append(_("There is no insured wage on the record."))
    if reasons:
        return ScheduleFigure(payable=False, amount=None, reasons=reasons, working=w)

    wage = Decimal(last_insured_wage)
    threshold = int(w.use("unemp.long_threshold", on=on))
    cap = w.use("unemp.monthly_cap", on=on)
    count = len(RATE_KEYS) if contributions >= threshold else SHORT_MONTHS
    w.line(_("Last insured wage (JD)"), f"{wage:.3f}")
    w.line(
        _("Months paid"),
        count,
        f"{contributions} {'≥' if contributions >= threshold else '<'} {threshold}",
    )
    payments, formulas = [], []
    for n, (key, due) in enumerate(
        zip(RATE_KEYS[:count], due_dates(on, count), strict=True), start=1
    ):
        rate = w.use(key, on=on)
        raw = wage * rate
        capped = raw > cap
        payments.append(Payment(n, due, money(min(raw, cap)), rate=rate, capped=capped))
        formulas.append(
            f"{wage:.3f} × {plain(rate)}" + (f" = {plain(raw)} > {plain(cap)}" if capped else "")
        )
    total = _payment_lines(w, payments, formulas)
    w.line(
        _("Total allowance (JD)"),
        f"{total:.3f}",
        " + ".join(f"{p.amount:.3f}" for p in payments),
    )
    return ScheduleFigure(payable=True, amount=total, working=w, payments=payments)


# --- Savings balance, Musaned 1 and 2 --------------------------------------------------------


def _rate_starts() -> list[dt.date]:
    """The dates a row of a savings contribution rate starts: the balance is summed per span."""
    from eservices.models import Rule

    return sorted(
        set(Rule.objects.filter(key__in=SAVINGS_RATE_KEYS).values_list("effective_from", flat=True))
    )


def savings_balance(
    w: Working, *, wages: Iterable[Mapping], earlier_draws: Iterable[Decimal] = ()
) -> Decimal:
    """The unemployment savings balance, with its lines in ``w``.

    ``wages``: one mapping per contribution month, ``{"month", "wage", "unemployment"}``; the months
    without an unemployment contribution do not count, nor months before any rate row.
    """
    months = sorted(
        (month_start(r["month"]), Decimal(r["wage"])) for r in wages if r.get("unemployment", True)
    )
    starts = _rate_starts()
    spans: dict[int, list[tuple[dt.date, Decimal]]] = {}
    for month, wage in months:
        spans.setdefault(bisect.bisect_right(starts, month) - 1, []).append((month, wage))
    gross = Decimal(0)
    for index, rows in sorted(spans.items()):
        first, last = rows[0][0].strftime("%Y-%m"), rows[-1][0].strftime("%Y-%m")
        if index < 0:
            w.line(
                _(
                    "Months %(first)s to %(last)s, not counted: no unemployment contribution "
                    "rate was in force"
                )
                % {"first": first, "last": last},
                len(rows),
            )
            continue
        employee, employer = (w.use(key, on=rows[0][0]) for key in SAVINGS_RATE_KEYS)
        wages_sum = sum((wage for _m, wage in rows), Decimal(0))
        part = wages_sum * (employee + employer)
        gross += part
        w.line(
            _("Unemployment contributions %(first)s to %(last)s (%(count)s months, JD)")
            % {"first": first, "last": last, "count": len(rows)},
            plain(part),
            f"{wages_sum:.3f} × ({plain(employee)} + {plain(employer)})",
        )
    gross = money(gross)
    w.line(_("Unemployment savings (JD)"), f"{gross:.3f}")
    draws = [Decimal(d) for d in earlier_draws]
    drawn = sum(draws, Decimal(0))
    if draws:
        w.line(
            _("Drawn earlier by Musaned 1 and 2 (JD)"),
            f"{drawn:.3f}",
            " + ".join(f"{d:.3f}" for d in draws),
        )
    balance = max(gross - drawn, Decimal(0))
    w.line(_("Savings balance (JD)"), f"{balance:.3f}", f"{gross:.3f} − {drawn:.3f}")
    return balance


def savings_payout(
    code: str,
    *,
    wages: Iterable[Mapping],
    earlier_draws: Iterable[Decimal] = (),
    claim_date: dt.date,
    currently_insured: bool = False,
) -> SavingsFigure:
    """Musaned 1 or 2 (``code``) from explicit inputs: the share of the balance that its rules
    give, in as many monthly payments as they say (once when they say nothing)."""
    share_key, months_key = SAVINGS_RULES[code]
    w = Working()
    balance = savings_balance(w, wages=wages, earlier_draws=earlier_draws)
    amount = Decimal(0)
    if balance > 0:
        share = w.use(share_key, on=claim_date)
        amount = money(balance * share)
        w.line(
            _("Amount = balance × share (JD)"), f"{amount:.3f}", f"{balance:.3f} × {plain(share)}"
        )
    reasons = [] if amount > 0 else [_("There is no unemployment savings balance to draw on.")]
    if currently_insured:
        reasons.append(covered_reason())
    if reasons:
        return SavingsFigure(
            payable=False, amount=None, reasons=reasons, working=w, balance=balance
        )
    count = int(w.use(months_key, on=claim_date)) if months_key else 1
    parts = split_equal(amount, count)
    payments = [
        Payment(n, due, part)
        for n, (part, due) in enumerate(
            zip(parts, due_dates(claim_date, len(parts)), strict=True), start=1
        )
    ]
    if len(payments) > 1:
        _payment_lines(
            w,
            payments,
            [f"{amount:.3f} ÷ {len(parts)}"] * (len(parts) - 1)
            + [f"{amount:.3f} − {parts[0]:.3f} × {len(parts) - 1}"],
        )
    return SavingsFigure(payable=True, amount=amount, working=w, payments=payments, balance=balance)


# Musaned 1: musaned1.balance_share of the balance over musaned1.months payments; Musaned 2:
# musaned2.balance_share of it, once (a provisional rule).
musaned1_advance = partial(savings_payout, MUSANED1)
musaned2_payout = partial(savings_payout, MUSANED2)


# --- From the insurance record ---------------------------------------------------------------


def counted_wages(individual, *, until: dt.date):
    """The contribution months up to ``until`` that count: those not paid out by a lump sum."""
    return individual.wages.filter(compensated_by__isnull=True, month__lte=until)


def covered_on(individual, day: dt.date) -> bool:
    """Covered now: an insurance period that has not ended, or a contribution for this month."""
    from django.db.models import Q

    return (
        individual.periods.filter(start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=day))
        .exists()
        or counted_wages(individual, until=day).filter(month=month_start(day)).exists()
    )


def approved_requests(user, codes: Iterable[str], *, exclude: int | None = None):
    from eservices.models import ServiceRequest

    return (
        ServiceRequest.objects.filter(
            applicant=user, service_code__in=list(codes), status=ServiceRequest.Status.APPROVED
        )
        .exclude(pk=exclude)
        .order_by("submitted_at")
    )


def unemployment_for_person(
    individual, claim_date: dt.date, *, exclude_request: int | None = None
) -> ScheduleFigure:
    """The allowance from the person's record, for a claim on ``claim_date``.
    ``exclude_request``: the claim being decided (already approved when its payments are made)."""
    wages = counted_wages(individual, until=claim_date)
    contributions = wages.count()
    last = wages.order_by("-month").first()
    claims = list(approved_requests(individual.user, [UNEMP_REQUEST], exclude=exclude_request))
    new = None
    if claims:
        last_claim = timezone.localdate(claims[-1].submitted_at or claims[-1].created_at)
        new = wages.filter(month__gt=month_start(last_claim)).count()
    return unemployment_allowance(
        birth_date=individual.birth_date,
        sex=individual.sex,
        claim_date=claim_date,
        contributions=contributions,
        unemployment_contributions=wages.filter(unemployment=True).count(),
        last_insured_wage=last.wage if last else None,
        previous_claims=len(claims),
        new_contributions_since_last_claim=new,
        currently_insured=covered_on(individual, claim_date),
    )


def savings_for_person(
    individual, claim_date: dt.date, *, code: str, exclude_request: int | None = None
) -> SavingsFigure:
    """Musaned 1 or 2 (``code``) from the person's record and their earlier approved draws."""
    rows = counted_wages(individual, until=claim_date).values("month", "wage", "unemployment")
    draws = approved_requests(individual.user, SAVINGS_DRAWS, exclude=exclude_request)
    return savings_payout(
        code,
        wages=list(rows),
        earlier_draws=[r.amount for r in draws if r.amount],
        claim_date=claim_date,
        currently_insured=covered_on(individual, claim_date),
    )
