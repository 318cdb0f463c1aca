"""Reading a person's record for the pension, projecting it to a retirement date, and the retiree's
own pension, payments, dependants and loan. Read-only; a fixed number of queries whatever the
length of the record.

The projection (calc.expected-pension): up to the month before the retirement date, a person who
keeps working is assumed to contribute every month from this one (or from the month after the last
one on the record, if later; months gone by are never assumed), at the last insured wage raised by
the assumed yearly growth each January after the last recorded month (last wage × (1 + growth)^
years, rounded to the fils), within the insurable wage of RULES.md (``wage.minimum`` to ``wage.cap`` in
force today). A person who stops contributes no more.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from eservices.dates import age_on, month_after, month_start
from eservices.rules import FILS, Working, plain

from .calculator import EARLY_KEYS, PENSION_KEYS, PensionFigure, expected_pension, jd
from .loans import birthday
from .models import Dependant, Loan, LoanInstalment, Pension, PensionPayment
from .rulebook import RuleBook

WAGE_KEYS = ("wage.minimum", "wage.cap")
YEARS_AFTER_OLD_AGE = 5  # how far past the old-age age the calculator page looks (display only)


@dataclass(frozen=True)
class PensionRecord:
    """What the pension is computed from: the counted contribution months (not paid out by a lump
    sum), oldest first, and whether coverage has stopped."""

    birth_date: dt.date
    sex: str
    months: tuple[dt.date, ...]
    wages: tuple[Decimal, ...]
    first_covered: dt.date | None  # the first month of coverage (any period or contribution)
    covered: bool  # an insurance period is open

    @property
    def last_month(self) -> dt.date | None:
        return self.months[-1] if self.months else None

    @property
    def last_wage(self) -> Decimal | None:
        return self.wages[-1] if self.wages else None


def pension_record(individual, *, today: dt.date | None = None) -> PensionRecord:
    """Three queries: the counted wages; the periods (first start, any still open); the first
    contribution month (months paid out by a lump sum still date the first coverage)."""
    from individuals.models import WageRecord

    today = today or timezone.localdate()
    rows = list(
        WageRecord.objects.filter(individual=individual, compensated_by__isnull=True)
        .order_by("month")
        .values_list("month", "wage")
    )
    periods = individual.periods.aggregate(
        first=Min("start_date"),
        open=Count("pk", filter=Q(end_date__isnull=True) | Q(end_date__gte=today)),
    )
    first_wage = WageRecord.objects.filter(individual=individual).aggregate(m=Min("month"))["m"]
    firsts = [d for d in (periods["first"], first_wage) if d]
    return PensionRecord(
        birth_date=individual.birth_date,
        sex=individual.sex,
        months=tuple(m for m, _w in rows),
        wages=tuple(w for _m, w in rows),
        first_covered=month_start(min(firsts)) if firsts else None,
        covered=bool(periods["open"]),
    )


@dataclass(frozen=True)
class Assumptions:
    wage_growth: Decimal = Decimal(0)  # a year, as a fraction (0.03 = 3%)
    dependants: int = 0
    keeps_working: bool = True


def _projected(
    record: PensionRecord,
    *,
    today: dt.date,
    until: dt.date,
    growth: Decimal,
    floor: Decimal,
    cap: Decimal,
) -> list[tuple[dt.date, Decimal]]:
    """Months from this one (or after the last recorded one, if later) and before ``until`` (a
    month), with their wages: months gone by without a contribution are not assumed."""
    last, wage = record.last_month, record.last_wage
    if last is None or wage is None:
        return []
    rows = []
    month = max(month_after(last, 1), month_start(today))
    factor_by_year: dict[int, Decimal] = {}
    while month < until:
        years = month.year - last.year
        if years not in factor_by_year:
            factor_by_year[years] = (1 + growth) ** years
        raised = (wage * factor_by_year[years]).quantize(FILS, rounding=ROUND_HALF_UP)
        rows.append((month, min(max(raised, floor), cap)))
        month = month_after(month, 1)
    return rows


def pension_for_person(
    record: PensionRecord,
    retirement_date: dt.date,
    assumptions: Assumptions = Assumptions(),
    *,
    today: dt.date | None = None,
    kind: str | None = None,
    books: dict | None = None,
) -> PensionFigure:
    """The pension if the person retires on ``retirement_date``, their record projected to it.
    ``books``: rule books already read, by date (a page computing many dates shares them)."""
    today = today or timezone.localdate()
    books = books if books is not None else {}
    w = Working()
    months, wages = list(record.months), list(record.wages)
    recorded = len(months)
    w.line(
        _("Contribution months on your record"),
        recorded,
        _("to %(month)s") % {"month": f"{record.last_month:%Y-%m}"} if record.last_month else "",
    )
    until = month_start(retirement_date)
    if until <= today and months:
        # retiring on a date already past or today: only what is on the record up to then
        kept = [i for i, m in enumerate(months) if m < month_after(until, 1)]
        months, wages = [months[i] for i in kept], [wages[i] for i in kept]
    projected: list[tuple[dt.date, Decimal]] = []
    if assumptions.keeps_working and record.last_month and until > record.last_month:
        wage_book = _book(books, ("wages", today), today, WAGE_KEYS)
        floor = wage_book.use(w, "wage.minimum")
        cap = wage_book.use(w, "wage.cap")
        projected = _projected(
            record,
            today=today,
            until=until,
            growth=Decimal(assumptions.wage_growth),
            floor=floor,
            cap=cap,
        )
    if projected:
        w.line(
            _("Months assumed from %(first)s to %(last)s, the wage growing %(g)s%% a year")
            % {
                "first": f"{projected[0][0]:%Y-%m}",
                "last": f"{projected[-1][0]:%Y-%m}",
                "g": plain(Decimal(assumptions.wage_growth) * 100),
            },
            len(projected),
            f"{jd(projected[0][1])} → {jd(projected[-1][1])}",
        )
        months += [m for m, _w in projected]
        wages += [x for _m, x in projected]
    elif assumptions.keeps_working is False and until > today:
        w.line(_("Months assumed after the record"), 0, _("you stop contributing"))
    rules = _book(books, ("pension", retirement_date), retirement_date, PENSION_KEYS)
    first = record.first_covered or (months[0] if months else None)
    early_rules = _book(books, ("early", first), first, EARLY_KEYS) if first else None
    return expected_pension(
        birth_date=record.birth_date,
        sex=record.sex,
        retirement_date=retirement_date,
        contribution_months=len(months),
        actual_contributions=len(months),
        reference_wages=wages,
        dependants=assumptions.dependants,
        kind=kind,
        first_covered=first,
        rules=rules,
        early_rules=early_rules,
        working=w,
    )


def _book(books: dict, key, on: dt.date, keys) -> RuleBook:
    if key not in books:
        books[key] = RuleBook(on, keys)
    return books[key]


@dataclass(frozen=True)
class RetirementOption:
    date: dt.date
    age: int
    figure: PensionFigure


def retirement_dates(
    record: PensionRecord, *, today: dt.date, books: dict | None = None
) -> list[dt.date]:
    """Today, and each birthday from the lowest early-retirement age to a few years past the
    old-age age (display only), from today on."""
    books = books if books is not None else {}
    first = record.first_covered or month_start(today)
    early = _book(books, ("early", first), first, EARLY_KEYS)
    now = _book(books, ("pension", today), today, PENSION_KEYS)
    suffix = "men" if record.sex == "M" else "women"
    lowest = min(int(early.row("early.alt_age").value), int(early.row(f"early.age_{suffix}").value))
    old_age = int(now.row(f"oldage.age_{suffix}").value)
    dates = [today]
    for age in range(lowest, old_age + YEARS_AFTER_OLD_AGE + 1):
        day = birthday(record.birth_date, age)
        if day > today:
            dates.append(day)
    return dates


def retirement_options(
    record: PensionRecord,
    assumptions: Assumptions,
    *,
    today: dt.date,
    dates: list[dt.date] | None = None,
    books: dict | None = None,
) -> list[RetirementOption]:
    """The pension at each date (by default ``retirement_dates``); the rule rows of all the dates
    are read in one query."""
    books = books if books is not None else {}
    dates = dates or retirement_dates(record, today=today, books=books)
    missing = [d for d in dates if ("pension", d) not in books]
    for d, book in RuleBook.for_dates(missing, PENSION_KEYS).items():
        books[("pension", d)] = book
    return [
        RetirementOption(
            d,
            age_on(record.birth_date, d),
            pension_for_person(record, d, assumptions, today=today, books=books),
        )
        for d in dates
    ]


# --- The retiree's own pension -----------------------------------------------------------------


def current_pension(individual) -> Pension | None:
    return (
        Pension.objects.filter(individual=individual)
        .exclude(status=Pension.Status.STOPPED)
        .select_related("request")
        .first()
    )


def active_dependants(pension: Pension) -> list[Dependant]:
    return list(pension.dependants.filter(removed_on__isnull=True).order_by("added_on", "pk"))


def active_loan(pension: Pension) -> Loan | None:
    return pension.loans.filter(status=Loan.Status.ACTIVE).first()


def loan_balance(loan: Loan) -> Decimal:
    due = loan.instalments.filter(status=LoanInstalment.Status.DUE)
    return due.aggregate(s=Sum("amount"))["s"] or Decimal("0.000")


def payment_history(pension: Pension) -> list[PensionPayment]:
    return list(pension.payments.order_by("-month"))
