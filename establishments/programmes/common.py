"""Pieces every establishment programme shares: the officer and their establishment, the lists of
employees and months a form offers (kept in the answers as comma-separated values, so that the
engine's JSON answers validate again on submission), the programme windows read from the rule
table, the wage of a worker in a month, and the payments and reliefs an approval creates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eservices.dates import month_after, month_end, month_start
from eservices.rules import Figure, RuleValue, plain, rule
from eservices.validators import validate_jordanian_iban
from establishments.models import Establishment
from establishments.requests import officer_eligibility
from establishments.selectors import active_employees, establishment_of
from individuals.benefits.maternity_service import BANKS
from individuals.models import Individual, InsurancePeriod, WageRecord

__all__ = ["officer_eligibility", "BANKS"]

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})(?:-01)?$")


# --- months --------------------------------------------------------------------------------------


def parse_month(text: str) -> dt.date:
    m = MONTH_RE.match((text or "").strip())
    if not m:
        raise ValueError(text)
    return dt.date(int(m.group(1)), int(m.group(2)), 1)


def month_label(month: dt.date) -> str:
    return month.strftime("%Y-%m")


def open_months(key: str, *, until: dt.date | None = None) -> list[dt.date]:
    """The months a programme is open for: the months whose first day falls under a row of
    ``key`` with value 1 (one query for all the rows of the key)."""
    from eservices.models import Rule

    rows = list(
        Rule.objects.filter(key=key)
        .order_by("effective_from")
        .values_list("effective_from", "value")
    )
    if not rows:
        return []
    until = month_start(until or timezone.localdate())
    months, m = [], month_start(rows[0][0])
    while m <= until:
        value = None
        for start, v in rows:
            if start <= m:
                value = v
        if value == 1:
            months.append(m)
        m = month_after(m, 1)
    return months


def provisional(r: RuleValue) -> str:
    return _(" (provisional figure)") if r.is_default else ""


def figure_text(key: str, *, on: dt.date | None = None) -> str:
    """A rule value as the pages show it: 150, or 150 (provisional figure)."""
    r = rule(key, on=on or timezone.localdate())
    return f"{plain(r.value)}{provisional(r)}"


# --- establishment and employees ------------------------------------------------------------------


def establishment(user) -> Establishment | None:
    return establishment_of(user) if user is not None else None


def locked_establishment(req) -> Establishment:
    return Establishment.objects.select_for_update(of=("self",)).get(
        liaison_officer__user=req.applicant
    )


def employee_choices(est: Establishment | None, *, periods=None) -> list[tuple[str, str]]:
    """(national or personal number, "name — number") of the establishment's active employees,
    each person once, in name order. One query."""
    if est is None:
        return []
    qs = periods if periods is not None else active_employees(est)
    seen: dict[str, str] = {}
    for p in qs:
        person = p.individual
        seen.setdefault(person.identifier, f"{person.name_ar} — {person.identifier}")
    return list(seen.items())


def people_by_identifier(identifiers: Iterable[str]) -> dict[str, Individual]:
    ids = [i for i in identifiers if i]
    if not ids:
        return {}
    found = Individual.objects.filter(Q(national_number__in=ids) | Q(personal_number__in=ids))
    return {p.identifier: p for p in found}


def covered_months(
    est: Establishment, people: Iterable[Individual], months: list[dt.date]
) -> dict[int, set[dt.date]]:
    """For each person, the months (of ``months``) in which a coverage period at the
    establishment was open for some day of the month. One query."""
    people = list(people)
    if not people or not months:
        return {}
    first, last = min(months), month_end(max(months))
    periods = InsurancePeriod.objects.filter(
        establishment=est, individual__in=people, start_date__lte=last
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
    out: dict[int, set[dt.date]] = {p.pk: set() for p in people}
    for period in periods:
        for m in months:
            if period.start_date <= month_end(m) and (
                period.end_date is None or period.end_date >= m
            ):
                out[period.individual_id].add(m)
    return out


def wages_for(
    est: Establishment, people: Iterable[Individual], months: list[dt.date]
) -> dict[tuple[int, dt.date], Decimal]:
    """The insured wage of each person in each month at the establishment: the month's wage
    record when there is one, else the wage of the coverage period open that month. Two queries."""
    people = list(people)
    if not people or not months:
        return {}
    out: dict[tuple[int, dt.date], Decimal] = {}
    first, last = min(months), month_end(max(months))
    periods = InsurancePeriod.objects.filter(
        establishment=est, individual__in=people, start_date__lte=last
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
    for period in periods.order_by("start_date"):
        for m in months:
            if period.start_date <= month_end(m) and (
                period.end_date is None or period.end_date >= m
            ):
                out[(period.individual_id, m)] = period.monthly_wage
    for rec in WageRecord.objects.filter(
        establishment=est, individual__in=people, month__in=months
    ):
        out[(rec.individual_id, rec.month)] = rec.wage
    return out


# --- form fields ---------------------------------------------------------------------------------


class ListWidget(forms.CheckboxSelectMultiple):
    """Checkboxes whose value may also come back as "a,b,c" (the engine's saved answers)."""

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist"):
            values = data.getlist(name)
            if len(values) == 1 and "," in values[0]:
                return [v for v in values[0].split(",") if v]
            return values
        value = data.get(name)
        if isinstance(value, str):
            return [v for v in value.split(",") if v]
        return value

    def format_value(self, value):
        if isinstance(value, str):
            value = [v for v in value.split(",") if v]
        return super().format_value(value)


class ListField(forms.MultipleChoiceField):
    """A multiple choice kept as one comma-separated string in the answers."""

    widget = ListWidget

    def clean(self, value):
        return ",".join(super().clean(value))


def split(value) -> list[str]:
    if not value:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [v for v in str(value).split(",") if v]


def month_choices(months: list[dt.date]) -> list[tuple[str, str]]:
    return [(month_label(m), month_label(m)) for m in months]


class IbanField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Account number of the establishment (IBAN)"))
        kwargs.setdefault(
            "help_text",
            gettext_lazy("The programme pays into this account, in the name of the establishment."),
        )
        kwargs.setdefault("max_length", 34)
        kwargs.setdefault("validators", [validate_jordanian_iban])
        kwargs.setdefault("widget", forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def clean(self, value):
        return re.sub(r"\s+", "", super().clean(value) or "").upper()


SCOPE_ALL = "all"
SCOPE_CHOSEN = "chosen"
SCOPES = [
    (SCOPE_ALL, gettext_lazy("All the establishment's employees")),
    (SCOPE_CHOSEN, gettext_lazy("The employees chosen below")),
]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# --- figures -------------------------------------------------------------------------------------


@dataclass
class Line:
    individual_id: int
    month: dt.date
    wage: Decimal | None
    amount: Decimal | None


@dataclass
class ProgrammeFigure(Figure):
    """A programme's figure, with the lines (month, employee) it pays."""

    lines: list[Line] = field(default_factory=list)


# --- effects of an approval ------------------------------------------------------------------------


def due_date_for(month: dt.date | None = None) -> dt.date:
    """A payment is due a week after the decision, and never before the month it pays ended."""
    soon = timezone.localdate() + dt.timedelta(days=7)
    if month is None:
        return soon
    return max(soon, month_after(month, 1))


def schedule_payments(req, *, iban: str, items: list[tuple[Decimal, dt.date]]) -> list:
    """BenefitPayment rows of the request, numbered 1, 2, ... in the order given."""
    from payments.models import BenefitPayment

    made = []
    start = req.payments.count()
    for n, (amount, due) in enumerate(items, start=start + 1):
        if amount is None or amount <= 0:
            continue
        made.append(
            BenefitPayment.objects.create(
                request=req,
                beneficiary=req.applicant,
                service_code=req.service_code,
                amount=amount,
                iban=iban,
                due_date=due,
                sequence=n,
            )
        )
    return made


def create_reliefs(
    req,
    *,
    est: Establishment,
    people: list[Individual] | None,
    months: list[dt.date],
    branches: Iterable[str],
    employer_waived: Decimal,
    employee_waived: Decimal,
) -> int:
    """ContributionRelief rows for exactly these months and people (``None``: every employee of
    the establishment), one a branch."""
    from payments.models import ContributionRelief

    rows = [
        ContributionRelief(
            establishment=est,
            individual=person,
            month=m,
            branch=branch,
            employer_waived=employer_waived,
            employee_waived=employee_waived,
            request=req,
        )
        for person in (people if people is not None else [None])
        for m in months
        for branch in branches
    ]
    ContributionRelief.objects.bulk_create(rows)
    rebill_billed_months(est, months)
    return len(rows)


def percent_text(key: str, *, on: dt.date | None = None) -> str:
    """A fraction rule as a percentage: 50%, or 37.5% (provisional figure)."""
    r = rule(key, on=on or timezone.localdate())
    return f"{plain(r.value * 100)}%{provisional(r)}"


def rebill_billed_months(est: Establishment, months: Iterable[dt.date]) -> list[dt.date]:
    """After reliefs of months the monthly billing already posted for the establishment were
    added or removed: bill those months again for it alone (payments.billing.bill_month posts
    the difference as a correction, so the statement shows it). Months not billed yet are left
    to the monthly run, which applies the reliefs. Returns the months billed again."""
    from payments.billing import bill_month
    from payments.models import LedgerEntry

    wanted = {month_start(m) for m in months}
    if not wanted:
        return []
    billed = sorted(
        set(
            LedgerEntry.objects.filter(
                account__establishment=est,
                period__in=wanted,
                key__startswith="contrib:",
            ).values_list("period", flat=True)
        )
    )
    for m in billed:
        bill_month(m, establishments=[est.pk])
    return billed


def pay_lines(req, est: Establishment, lines: Iterable, *, iban: str) -> None:
    """A payment for each line of a programme's figure (by month, then person), and the lines
    tied to their payments."""
    from .models import ProgrammeLine

    lines = sorted(lines, key=lambda ln: (ln.month, ln.individual_id))
    payments = schedule_payments(
        req, iban=iban, items=[(ln.amount, due_date_for(ln.month)) for ln in lines]
    )
    ProgrammeLine.objects.bulk_create(
        ProgrammeLine(
            request=req,
            service_code=req.service_code,
            establishment=est,
            individual_id=ln.individual_id,
            month=ln.month,
            wage=ln.wage,
            amount=ln.amount,
            payment=payment,
        )
        for ln, payment in zip(lines, payments, strict=True)
    )
