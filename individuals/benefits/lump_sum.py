"""Lump-sum compensation (تعويض الدفعة الواحدة): which case applies, how much, what restoring it
costs, and the account the defense-order advances draw from (advances.py).

RULES.md "Lump-sum compensation": a share of the total insured wages of all the contributions not
yet compensated: ``lump.rate_upto_120`` up to ``lump.band1_max_contributions`` contributions (120),
``lump.rate_121_215`` from the next one up to ``lump.band2_max_contributions`` (215),
``lump.rate_from_216`` from the one after (216); rounded half up to the fils once.

The cases (FACTS A4), each a list of conditions read from the rule rows:
- a non-Jordanian whose coverage has ended;
- a woman who is not married, aged ``lump.single_woman_age`` or more, whose coverage has ended
  (the record does not hold the marital status: the person declares it);
- a man aged ``lump.late_age_men`` / a woman aged ``lump.late_age_women`` or more, with at most
  ``lump.late_max_contributions`` contributions and at least ``lump.late_uncovered_months`` whole
  months without coverage;
- the old-age age (``oldage.age_men`` / ``oldage.age_women``) reached outside covered service with
  fewer than ``oldage.min_contributions`` contributions (no pension is due).
Death and disability are asked for by request with their documents, not worked out here.

The account: the lump-sum value less the approved advances drawn from it since the last lump sum
paid (a lump sum settles the advances drawn before it). The lump sum pays that balance.

Restoring a paid lump sum costs the amount received plus ``lump.restore_annual_rate`` of it for
each year since it was paid, counted in whole months (a provisional rule row).

The functions taking explicit inputs are what the API calls; the ``*_for_person`` ones read the
insurance record (a fixed number of queries, whatever its length) and call them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eservices.dates import age_on, month_start
from eservices.rules import Working, money, plain

from .unemployment import Payment, ScheduleFigure, covered_on, due_dates

LUMP_REQUEST = "lump.request"
TAMKEEN2 = "def.tamkeen2-lump-advance"
MUSANED3 = "def.musaned3-lump-advance"
TAMKEEN_RETIREMENT = "def.tamkeen-retirement-advance"
ADVANCES = (TAMKEEN2, MUSANED3, TAMKEEN_RETIREMENT)  # approved ones draw on the account
ZERO = Decimal("0.000")


class Case(models.TextChoices):
    NON_JORDANIAN = "non_jordanian", gettext_lazy("A non-Jordanian whose coverage has ended")
    SINGLE_WOMAN = "single_woman", gettext_lazy("A woman who is not married, of the set age")
    FEW_CONTRIBUTIONS = (
        "few_contributions",
        gettext_lazy("Of the set age, with few contributions and long without coverage"),
    )
    OLD_AGE = (
        "old_age",
        gettext_lazy(
            "Old-age age reached outside covered service, without the contributions for a pension"
        ),
    )


class MaritalStatus(models.TextChoices):
    NEVER_MARRIED = "never_married", gettext_lazy("Never married")
    MARRIED = "married", gettext_lazy("Married")
    DIVORCED = "divorced", gettext_lazy("Divorced")
    WIDOWED = "widowed", gettext_lazy("Widowed")


UNMARRIED = {MaritalStatus.NEVER_MARRIED, MaritalStatus.DIVORCED, MaritalStatus.WIDOWED}


# --- Figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    text: str
    met: bool

    def as_json(self) -> dict:
        return {"text": self.text, "met": self.met}


@dataclass(frozen=True)
class CaseCheck:
    """One case of FACTS A4 and its conditions; it applies when all are met."""

    case: str
    conditions: tuple[Condition, ...]

    @property
    def label(self) -> str:
        return str(Case(self.case).label)

    @property
    def applies(self) -> bool:
        return all(c.met for c in self.conditions)

    @property
    def unmet(self) -> list[str]:
        return [c.text for c in self.conditions if not c.met]

    def as_json(self) -> dict:
        return {
            "case": self.case,
            "label": self.label,
            "applies": self.applies,
            "conditions": [c.as_json() for c in self.conditions],
        }


@dataclass
class LumpSumFigure(ScheduleFigure):
    """The engine's figure (payable, amount, reasons, working, payments) with its breakdown: the
    numbers it was built from, JSON-safe, and for the lump sum the cases checked."""

    breakdown: dict = field(default_factory=dict)
    cases: list[CaseCheck] = field(default_factory=list)

    def as_json(self) -> dict:
        extra = {"cases": [c.as_json() for c in self.cases]} if self.cases else {}
        return {**super().as_json(), "breakdown": {**self.breakdown, **extra}}


def jd(value: Decimal) -> str:
    return f"{value:.3f}"


def percent(share: Decimal) -> str:
    return f"{plain(share * 100)}%"


# --- The lump-sum value and the account -------------------------------------------------------


def lump_sum_share(w: Working, *, contributions: int, on: dt.date) -> Decimal:
    """The share of the total wages for this number of contributions (RULES.md's three bands)."""
    band1 = int(w.use("lump.band1_max_contributions", on=on))
    band2 = int(w.use("lump.band2_max_contributions", on=on))
    if contributions <= band1:
        key, formula = "lump.rate_upto_120", f"{contributions} ≤ {band1}"
    elif contributions <= band2:
        key, formula = "lump.rate_121_215", f"{band1} < {contributions} ≤ {band2}"
    else:
        key, formula = "lump.rate_from_216", f"{contributions} > {band2}"
    share = w.use(key, on=on)
    w.line(_("Share of the total wages"), percent(share), formula)
    return share


def account_balance(
    w: Working,
    on: dt.date,
    contributions: int,
    total_insured_wages: Decimal,
    advances_drawn: Decimal = ZERO,
) -> tuple[Decimal, dict]:
    """The lump-sum value and the balance left of it after the advances drawn, with their lines
    in ``w``: the balance, and the breakdown (JSON-safe)."""
    total = Decimal(total_insured_wages)
    drawn = Decimal(advances_drawn or 0)
    w.line(_("Contributions not yet compensated"), contributions)
    w.line(_("Total insured wages of these contributions (JD)"), jd(total))
    share = lump_sum_share(w, contributions=contributions, on=on)
    value = money(total * share)
    w.line(
        _("Lump-sum value = total wages × share (JD)"),
        jd(value),
        f"{jd(total)} × {plain(share)}",
    )
    balance = max(value - drawn, ZERO)
    if drawn:
        w.line(_("Advances already drawn from the account (JD)"), jd(drawn))
        w.line(_("Balance of the lump-sum account (JD)"), jd(balance), f"{jd(value)} − {jd(drawn)}")
    return balance, {
        "contributions": contributions,
        "total_insured_wages": jd(total),
        "share": plain(share),
        "value": jd(value),
        "advances_drawn": jd(drawn),
        "balance": jd(balance),
    }


# --- The cases of FACTS A4 -------------------------------------------------------------------
# Each condition reads its own rule row (recorded in the working) and says what the person has.


def _aged(w: Working, key: str, age: int, on: dt.date) -> Condition:
    need = int(w.use(key, on=on))
    return Condition(
        _("Aged %(need)s or more (the age is %(age)s)") % {"need": need, "age": age}, age >= need
    )


def _unmarried(marital_status: str) -> Condition:
    if not marital_status:
        return Condition(
            _("Not married: answer the question on marital status (the record does not hold it)"),
            False,
        )
    label = MaritalStatus(marital_status).label
    return Condition(
        _("Not married (as declared: %(status)s)") % {"status": label},
        marital_status in UNMARRIED,
    )


def _few(w: Working, contributions: int, on: dt.date) -> Condition:
    most = int(w.use("lump.late_max_contributions", on=on))
    return Condition(
        _("At most %(most)s contributions (the record has %(count)s)")
        % {"most": most, "count": contributions},
        contributions <= most,
    )


def _long_uncovered(w: Working, months: int, on: dt.date) -> Condition:
    need = int(w.use("lump.late_uncovered_months", on=on))
    return Condition(
        _("At least %(need)s whole months without coverage (there are %(months)s)")
        % {"need": need, "months": months},
        months >= need,
    )


def _no_pension(w: Working, contributions: int, on: dt.date) -> Condition:
    need = int(w.use("oldage.min_contributions", on=on))
    return Condition(
        _("Fewer than the %(need)s contributions of an old-age pension (the record has %(count)s)")
        % {"need": need, "count": contributions},
        contributions < need,
    )


def lump_sum(
    *,
    request_date: dt.date,
    contributions: int,
    total_insured_wages: Decimal,
    sex: str,
    birth_date: dt.date,
    is_jordanian: bool,
    marital_status: str = "",
    months_uncovered: int = 0,
    service_ended: bool = True,
    advances_drawn: Decimal = ZERO,
    case: str = "",
) -> LumpSumFigure:
    """Which case applies and the amount, from explicit inputs; the rules in force on the request
    date. ``case``: the case the person applies under (any that applies when empty)."""
    w = Working()
    on, man, age = request_date, sex == "M", age_on(birth_date, request_date)
    ended = Condition(_("Coverage has ended"), service_ended)
    cases = [
        CaseCheck(
            Case.NON_JORDANIAN,
            (Condition(_("Not of Jordanian nationality"), not is_jordanian), ended),
        ),
        CaseCheck(
            Case.SINGLE_WOMAN,
            (
                Condition(_("A woman"), not man),
                _unmarried(marital_status),
                _aged(w, "lump.single_woman_age", age, on),
                ended,
            ),
        ),
        CaseCheck(
            Case.FEW_CONTRIBUTIONS,
            (
                _aged(w, "lump.late_age_men" if man else "lump.late_age_women", age, on),
                _few(w, contributions, on),
                _long_uncovered(w, months_uncovered, on),
            ),
        ),
        CaseCheck(
            Case.OLD_AGE,
            (
                _aged(w, "oldage.age_men" if man else "oldage.age_women", age, on),
                ended,
                _no_pension(w, contributions, on),
            ),
        ),
    ]
    balance, breakdown = account_balance(w, on, contributions, total_insured_wages, advances_drawn)
    chosen = [c for c in cases if c.applies and (not case or c.case == case)]
    reasons: list[str] = []
    if not chosen:
        reasons = [
            _("%(case)s: %(unmet)s") % {"case": c.label, "unmet": "؛ ".join(c.unmet)}
            for c in cases
            if not case or c.case == case
        ]
    if contributions <= 0:
        reasons.append(
            _(
                "There are no contributions left to compensate (months paid out by an earlier "
                "lump sum do not count)."
            )
        )
    elif balance <= 0:
        reasons.append(_("The advances drawn have used up the lump-sum account."))
    breakdown["case"] = chosen[0].case if chosen else None
    if reasons:
        return LumpSumFigure(
            payable=False, amount=None, reasons=reasons, working=w, breakdown=breakdown, cases=cases
        )
    w.line(_("Case"), chosen[0].label)
    w.line(_("Lump-sum compensation (JD)"), jd(balance))
    return LumpSumFigure(
        payable=True,
        amount=balance,
        working=w,
        payments=[Payment(1, due_dates(on, 1)[0], balance)],
        breakdown=breakdown,
        cases=cases,
    )


# --- Restoring a paid lump sum ---------------------------------------------------------------


def whole_months(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (a month counts once its day is reached)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    return max(0, months)


@dataclass(frozen=True)
class PaidLumpSum:
    """A lump sum paid to the person, and the contribution months it paid out."""

    request_id: int
    reference: str
    amount: Decimal
    paid_on: dt.date
    months: int
    first_month: dt.date
    last_month: dt.date
    total_wages: Decimal


def restoration_cost(*, paid: list[PaidLumpSum], on: dt.date) -> LumpSumFigure:
    """What repaying the lump sums received costs on ``on``: each amount plus
    ``lump.restore_annual_rate`` of it a year, for the whole months since it was paid."""
    w = Working()
    if not paid:
        return LumpSumFigure(
            payable=False,
            amount=None,
            reasons=[
                _("No lump-sum compensation has been paid to you: there is nothing to restore.")
            ],
            working=w,
        )
    rate = w.use("lump.restore_annual_rate", on=on)
    total = ZERO
    for lump in paid:
        months = whole_months(lump.paid_on, on)
        addition = money(lump.amount * rate * months / 12)
        w.line(
            _("Amount received by %(ref)s on %(date)s (JD)")
            % {"ref": lump.reference, "date": lump.paid_on.isoformat()},
            jd(lump.amount),
        )
        w.line(
            _("Addition for %(months)s months (JD)") % {"months": months},
            jd(addition),
            f"{jd(lump.amount)} × {plain(rate)} × {months} ÷ 12",
        )
        total += lump.amount + addition
    w.line(_("Cost of restoring the compensated period (JD)"), jd(total))
    return LumpSumFigure(
        payable=True,
        amount=total,
        working=w,
        breakdown={
            "rate": plain(rate),
            "months_restored": sum(p.months for p in paid),
        },
    )


# --- From the insurance record ---------------------------------------------------------------


@dataclass(frozen=True)
class AccountRecord:
    """What the lump sum and the advances read from a person's record."""

    contributions: int  # contribution months not paid out by a lump sum
    total_wages: Decimal  # their insured wages
    last_month: dt.date | None  # the last contribution month on the record (any)
    last_wage: Decimal | None  # its insured wage
    last_coverage: str | None  # its coverage (optional subscription...)
    last_period_end: dt.date | None
    advances_drawn: Decimal  # approved advances since the last lump sum
    covered: bool

    def months_uncovered(self, on: dt.date) -> int:
        """Whole calendar months without coverage: those after the last month covered (by a
        contribution or a period) and before the month of ``on``."""
        if self.covered:
            return 0
        ends = [d for d in (self.last_month, self.last_period_end) if d]
        if not ends:
            return 0
        last = month_start(max(ends))
        return max(0, (on.year - last.year) * 12 + on.month - last.month - 1)


def account_record(individual, *, on: dt.date, exclude_request: int | None = None) -> AccountRecord:
    """The record's figures in one query (plus the coverage check), whatever its length.
    ``exclude_request``: a request being approved, not yet counted as drawn or paid."""
    from django.db.models import (
        Count,
        DecimalField,
        Exists,
        IntegerField,
        Max,
        OuterRef,
        Subquery,
        Sum,
    )

    from eservices.models import ServiceRequest
    from individuals.models import Individual, InsurancePeriod, WageRecord

    approved = ServiceRequest.objects.filter(status=ServiceRequest.Status.APPROVED).exclude(
        pk=exclude_request
    )
    later_lump = approved.filter(
        applicant=OuterRef("applicant"),
        service_code=LUMP_REQUEST,
        decided_at__gte=OuterRef("decided_at"),
    )
    drawn = approved.filter(applicant=OuterRef("user"), service_code__in=ADVANCES).exclude(
        Exists(later_lump)
    )
    wages = WageRecord.objects.filter(individual=OuterRef("pk"))
    counted = wages.filter(compensated_by__isnull=True).order_by().values("individual")
    last = wages.order_by("-month")
    money_field = DecimalField(max_digits=14, decimal_places=3)
    row = (
        Individual.objects.filter(pk=individual.pk)
        .annotate(
            n=Subquery(counted.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
            total=Subquery(counted.annotate(s=Sum("wage")).values("s"), output_field=money_field),
            last_month=Subquery(last.values("month")[:1]),
            last_wage=Subquery(last.values("wage")[:1]),
            last_coverage=Subquery(last.values("coverage")[:1]),
            last_end=Subquery(
                InsurancePeriod.objects.filter(individual=OuterRef("pk"))
                .order_by()
                .values("individual")
                .annotate(e=Max("end_date"))
                .values("e")
            ),
            drawn=Subquery(
                drawn.order_by().values("applicant").annotate(s=Sum("amount")).values("s"),
                output_field=money_field,
            ),
        )
        .values("n", "total", "last_month", "last_wage", "last_coverage", "last_end", "drawn")
        .get()
    )
    return AccountRecord(
        contributions=row["n"] or 0,
        total_wages=Decimal(row["total"] or 0).quantize(ZERO),
        last_month=row["last_month"],
        last_wage=row["last_wage"],
        last_coverage=row["last_coverage"],
        last_period_end=row["last_end"],
        advances_drawn=Decimal(row["drawn"] or 0).quantize(ZERO),
        covered=covered_on(individual, on),
    )


def lump_sum_for_person(
    individual,
    *,
    on: dt.date,
    marital_status: str = "",
    case: str = "",
    record: AccountRecord | None = None,
    exclude_request: int | None = None,
) -> LumpSumFigure:
    """The lump sum from the person's record, on ``on``."""
    record = record or account_record(individual, on=on, exclude_request=exclude_request)
    return lump_sum(
        request_date=on,
        contributions=record.contributions,
        total_insured_wages=record.total_wages,
        advances_drawn=record.advances_drawn,
        months_uncovered=record.months_uncovered(on),
        service_ended=not record.covered and record.last_month is not None,
        sex=individual.sex,
        birth_date=individual.birth_date,
        is_jordanian=individual.is_jordanian,
        marital_status=marital_status,
        case=case,
    )


def paid_lump_sums(individual) -> list[PaidLumpSum]:
    """The approved lump sums and the months each paid out: one grouped query."""
    from django.db.models import Count, Max, Min, Sum
    from django.utils import timezone

    from eservices.models import ServiceRequest
    from individuals.models import WageRecord

    rows = (
        WageRecord.objects.filter(
            individual=individual, compensated_by__status=ServiceRequest.Status.APPROVED
        )
        .values(
            "compensated_by",
            "compensated_by__reference",
            "compensated_by__amount",
            "compensated_by__decided_at",
        )
        .annotate(n=Count("pk"), first=Min("month"), last=Max("month"), wages=Sum("wage"))
        .order_by("compensated_by__decided_at")
    )
    return [
        PaidLumpSum(
            request_id=r["compensated_by"],
            reference=r["compensated_by__reference"],
            amount=r["compensated_by__amount"] or ZERO,
            paid_on=timezone.localdate(r["compensated_by__decided_at"]),
            months=r["n"],
            first_month=r["first"],
            last_month=r["last"],
            total_wages=Decimal(r["wages"]).quantize(ZERO),
        )
        for r in rows
    ]
