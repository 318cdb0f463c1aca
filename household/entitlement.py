"""hh.entitlement: the monthly household pension of the developed social security.

RULES.md: the household's minimum is ``household.minimum.head`` for the head plus
``household.minimum.member`` for each other member who lives with them. The countable income is
earned income (wages, trade) × ``household.income.earned_share`` plus other income (pensions, rent,
returns) × ``household.income.unearned_share``; support programmes (Citizen's Account, rural
support, university stipends) and disability benefits are left out while their
``household.income.excluded.<kind>`` row is 1. Entitlement = minimum − countable income, in whole
riyals rounded half up once at the end; nothing when that is zero or less. The rows in force on the
first day of the month being paid apply.

A pure function of explicit inputs: the page, the API, the application, and the monthly payments
all call :func:`household_entitlement`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.exceptions import ServiceError
from eservices.dates import month_start
from eservices.rules import Working, plain

RIYAL = Decimal("1")
HALALA = Decimal("0.01")
ZERO = Decimal("0.00")

# Who lives in the household, as the family record names them. The head is counted once.
RELATIONS = {
    "head": gettext_lazy("Head of household"),
    "spouse": gettext_lazy("Spouse"),
    "son": gettext_lazy("Son"),
    "daughter": gettext_lazy("Daughter"),
    "father": gettext_lazy("Father"),
    "mother": gettext_lazy("Mother"),
    "brother": gettext_lazy("Brother"),
    "sister": gettext_lazy("Sister"),
    "other": gettext_lazy("Other dependant"),
}

EARNED, UNEARNED, SUPPORT = "earned", "unearned", "support"

# Each kind of income and its class: the class decides which rule row counts it.
INCOME_KINDS: dict[str, tuple[str, object]] = {
    "wages": (EARNED, gettext_lazy("Wages and salaries")),
    "trade": (EARNED, gettext_lazy("Trade or self-employment")),
    "pension": (UNEARNED, gettext_lazy("Retirement or insurance pension")),
    "rent": (UNEARNED, gettext_lazy("Rent")),
    "returns": (UNEARNED, gettext_lazy("Investment returns")),
    "other": (UNEARNED, gettext_lazy("Other income")),
    "citizen_account": (SUPPORT, gettext_lazy("Citizen's Account support")),
    "rural_support": (SUPPORT, gettext_lazy("Rural support")),
    "university_stipend": (SUPPORT, gettext_lazy("University stipend")),
    "disability_benefit": (SUPPORT, gettext_lazy("Disability benefit")),
}
INCOME_CHOICES = [(k, label) for k, (_c, label) in INCOME_KINDS.items()]
RELATION_CHOICES = list(RELATIONS.items())


@dataclass(frozen=True)
class Member:
    relation: str
    age: int | None = None


@dataclass(frozen=True)
class Income:
    kind: str
    monthly_amount: Decimal


@dataclass
class CountedIncome:
    kind: str
    monthly_amount: Decimal
    share: Decimal
    counted: Decimal
    excluded: bool

    def as_json(self) -> dict:
        return {
            "type": self.kind,
            "monthly_amount": f"{self.monthly_amount:.2f}",
            "share": plain(self.share),
            "counted": f"{self.counted:.2f}",
            "excluded": self.excluded,
        }


@dataclass
class EntitlementFigure:
    """The household's monthly entitlement and how it was reached."""

    month: dt.date
    payable: bool
    amount: Decimal | None
    minimum: Decimal
    head_amount: Decimal
    member_amount: Decimal
    members: list[Member]
    countable_income: Decimal
    incomes: list[CountedIncome]
    reasons: list[str] = field(default_factory=list)
    working: Working = field(default_factory=Working)

    @property
    def other_members(self) -> int:
        return sum(1 for m in self.members if m.relation != "head")

    def as_json(self) -> dict:
        return {
            "payable": self.payable,
            "amount": f"{self.amount:.2f}" if self.amount is not None else None,
            "currency": "SAR",
            "month": self.month.strftime("%Y-%m"),
            "reasons": self.reasons,
            "breakdown": {
                "head_amount": f"{self.head_amount:.2f}",
                "member_amount": f"{self.member_amount:.2f}",
                "members": [
                    {
                        "relation": m.relation,
                        "age": m.age,
                        "amount": f"{self.head_amount if m.relation == 'head' else self.member_amount:.2f}",  # noqa: E501
                    }
                    for m in self.members
                ],
                "minimum": f"{self.minimum:.2f}",
                "incomes": [i.as_json() for i in self.incomes],
                "countable_income": f"{self.countable_income:.2f}",
            },
            "working": self.working.as_json(),
        }


def riyals(value: Decimal) -> Decimal:
    """Whole riyals, rounded half up (kept with 2 decimals: 1650.00)."""
    return value.quantize(RIYAL, rounding=ROUND_HALF_UP).quantize(HALALA)


def sar(value: Decimal) -> str:
    return f"{value:.2f}"


def members_of(*, spouses: int = 0, children: int = 0, others: int = 0) -> list[Member]:
    """The household of an application or a pension: the head, then the members by relation."""
    return (
        [Member("head")]
        + [Member("spouse")] * spouses
        + [Member("son")] * children
        + [Member("other")] * others
    )


def _check_members(members: list[Member]) -> None:
    heads = sum(1 for m in members if m.relation == "head")
    if heads != 1:
        raise ServiceError(_("The household has exactly one head."), field="members")
    unknown = sorted({m.relation for m in members} - set(RELATIONS))
    if unknown:
        raise ServiceError(
            _("Unknown relation: %(r)s.") % {"r": ", ".join(unknown)}, field="members"
        )


def _count(w: Working, income: Income, on: dt.date) -> CountedIncome:
    if income.kind not in INCOME_KINDS:
        raise ServiceError(
            _("Unknown kind of income: %(k)s.") % {"k": income.kind}, field="incomes"
        )
    klass, label = INCOME_KINDS[income.kind]
    amount = Decimal(income.monthly_amount)
    excluded = False
    if klass == SUPPORT:
        excluded = w.use(f"household.income.excluded.{income.kind}", on=on) == 1
    if excluded:
        share = Decimal(0)
    elif klass == EARNED:
        share = w.use("household.income.earned_share", on=on)
    else:
        # Other income, and a support programme that a later row counts: in full (unearned).
        share = w.use("household.income.unearned_share", on=on)
    counted = amount * share
    formula = (
        _("%(amount)s — not counted") % {"amount": sar(amount)}
        if excluded
        else f"{sar(amount)} × {plain(share)}"
    )
    w.line(_("Income: %(kind)s (SAR)") % {"kind": label}, sar(counted), formula)
    return CountedIncome(income.kind, amount, share, counted, excluded)


def household_entitlement(
    *, members: Iterable[Member], incomes: Iterable[Income], month: dt.date
) -> EntitlementFigure:
    """The entitlement for ``month`` (any day of it: the rules of its first day apply)."""
    members = list(members)
    incomes = [i for i in incomes if Decimal(i.monthly_amount) != 0]
    _check_members(members)
    if any(Decimal(i.monthly_amount) < 0 for i in incomes):
        raise ServiceError(_("An income cannot be negative."), field="incomes")
    on = month_start(month)
    w = Working()
    head = w.use("household.minimum.head", on=on)
    each = w.use("household.minimum.member", on=on)
    others = sum(1 for m in members if m.relation != "head")
    w.line(_("Head of household (SAR)"), sar(head), f"1 × {plain(head)}")
    w.line(
        _("Other members of the household: %(n)s (SAR)") % {"n": others},
        sar(each * others),
        f"{others} × {plain(each)}",
    )
    minimum = head + each * others
    w.line(
        _("Minimum for the household (SAR)"),
        sar(minimum),
        f"{sar(head)} + {sar(each * others)}",
    )
    counted = [_count(w, i, on) for i in incomes]
    countable = sum((c.counted for c in counted), Decimal(0))
    w.line(
        _("Countable monthly income (SAR)"),
        sar(countable),
        " + ".join(sar(c.counted) for c in counted) if counted else "0",
    )
    gap = minimum - countable
    amount = riyals(gap) if gap > 0 else ZERO
    figure = EntitlementFigure(
        month=on,
        payable=amount > 0,
        amount=amount if amount > 0 else None,
        minimum=minimum,
        head_amount=head,
        member_amount=each,
        members=members,
        countable_income=countable,
        incomes=counted,
        working=w,
    )
    if gap > 0:
        w.line(
            _("Countable income is below the minimum: entitlement = minimum − income (SAR)"),
            sar(amount),
            f"{sar(minimum)} − {sar(countable)}",
        )
        if amount == 0:
            figure.reasons.append(
                _("The entitlement is less than half a riyal, which rounds to nothing.")
            )
        return figure
    w.line(
        _("Countable income is not below the minimum: no entitlement (SAR)"),
        sar(ZERO),
        f"{sar(countable)} ≥ {sar(minimum)}",
    )
    figure.reasons.append(
        _(
            "The household's countable income (%(income)s SAR) is not below its minimum "
            "(%(minimum)s SAR): there is no entitlement."
        )
        % {"income": sar(countable), "minimum": sar(minimum)}
    )
    return figure
