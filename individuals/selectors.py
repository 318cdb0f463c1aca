"""Read-only queries on an insured person's record: the summary, the years, the periods.

Pure functions: they read, never write. Each runs one SQL query, whatever the length of the
history (a 40-year career is 480 wage records; the database sums them, Python never loops
over them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict

from django.db.models import (
    Count,
    DateField,
    DecimalField,
    Expression,
    F,
    IntegerField,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear, TruncMonth
from django.utils import timezone

from .models import Individual, InsurancePeriod, WageRecord

FILS = Decimal("0.001")
ZERO = Decimal("0.000")
_MONEY = DecimalField(max_digits=14, decimal_places=3)


class Summary(TypedDict):
    contribution_months: int  # months with a recorded contribution (a WageRecord each)
    period_months: int  # months the coverage periods span, start to stop movement
    first_month: dt.date | None
    last_month: dt.date | None
    last_wage: Decimal | None  # the insured wage of the last contribution month
    current_employer: str | None  # the establishment of the open coverage period
    current_coverage: str | None  # InsurancePeriod.Coverage value of the open period
    total_wages: Decimal


@dataclass(frozen=True)
class YearRow:
    year: int
    months: int
    total_wages: Decimal
    average_wage: Decimal  # per contribution month, to the fils


@dataclass(frozen=True)
class PeriodRow:
    establishment: str | None  # None: no establishment (optional subscription, self-employment)
    establishment_number: str | None
    coverage: str
    coverage_label: str
    start_date: dt.date
    end_date: dt.date | None  # None: still open
    monthly_wage: Decimal
    months: int  # contribution months recorded in the period
    total_wages: Decimal


def _money(value: Decimal | None) -> Decimal:
    """JD to the fils (SQLite sums decimals as floats: this also rounds its noise away)."""
    return ZERO if value is None else Decimal(value).quantize(FILS)


def _scalar(qs: QuerySet, aggregate: Expression, output_field) -> Subquery:
    """One aggregate over a correlated queryset, as a scalar subquery."""
    return Subquery(
        qs.order_by().values("individual").annotate(v=aggregate).values("v"),
        output_field=output_field,
    )


def _span_months(today: dt.date) -> Expression:
    """Whole months from start to end (or today) of a period; a started month counts."""
    end = Coalesce(F("end_date"), Value(today), output_field=DateField())
    return (
        (ExtractYear(end) - ExtractYear("start_date")) * 12
        + ExtractMonth(end)
        - ExtractMonth("start_date")
        + 1
    )


def insurance_summary(individual: Individual, *, today: dt.date | None = None) -> Summary:
    """The headline figures of a person's record, in one query."""
    today = today or timezone.localdate()
    wages = WageRecord.objects.filter(individual=OuterRef("pk"))
    last = wages.order_by("-month")
    periods = InsurancePeriod.objects.filter(individual=OuterRef("pk"))
    current = periods.filter(end_date__isnull=True).order_by("-start_date")
    row = (
        Individual.objects.filter(pk=individual.pk)
        .annotate(
            contribution_months=_scalar(wages, Count("pk"), IntegerField()),
            total_wages=_scalar(wages, Sum("wage"), _MONEY),
            first_month=_scalar(wages, Min("month"), DateField()),
            last_month=Subquery(last.values("month")[:1]),
            last_wage=Subquery(last.values("wage")[:1]),
            period_months=_scalar(periods, Sum(_span_months(today)), IntegerField()),
            current_employer=Subquery(current.values("establishment__name")[:1]),
            current_coverage=Subquery(current.values("coverage")[:1]),
        )
        .values(
            "contribution_months",
            "total_wages",
            "first_month",
            "last_month",
            "last_wage",
            "period_months",
            "current_employer",
            "current_coverage",
        )
        .get()
    )
    return Summary(
        contribution_months=row["contribution_months"] or 0,
        period_months=max(0, int(row["period_months"] or 0)),
        first_month=row["first_month"],
        last_month=row["last_month"],
        last_wage=None if row["last_wage"] is None else _money(row["last_wage"]),
        current_employer=row["current_employer"],
        current_coverage=row["current_coverage"],
        total_wages=_money(row["total_wages"]),
    )


def contributions_by_year(individual: Individual) -> list[YearRow]:
    """Contribution months and wages per calendar year, oldest first: one grouped query."""
    rows = (
        WageRecord.objects.filter(individual=individual)
        .annotate(year=ExtractYear("month"))
        .values("year")
        .annotate(months=Count("pk"), total=Sum("wage"))
        .order_by("year")
    )
    return [
        YearRow(
            year=int(r["year"]),
            months=r["months"],
            total_wages=_money(r["total"]),
            average_wage=_money(r["total"] / r["months"]),
        )
        for r in rows
    ]


def statement_rows(individual: Individual, *, today: dt.date | None = None) -> list[PeriodRow]:
    """Each coverage period with its establishment, and the contribution months and wages
    recorded in it (a wage record belongs to the period whose months and coverage it falls
    in). One query: the sums are correlated subqueries."""
    today = today or timezone.localdate()
    in_period = (
        WageRecord.objects.filter(
            individual=OuterRef("individual"),
            coverage=OuterRef("coverage"),
            month__gte=OuterRef("first_month"),
            month__lte=OuterRef("last_day"),
        )
        .order_by()
        .values("individual")
    )
    periods = (
        InsurancePeriod.objects.filter(individual=individual)
        .select_related("establishment")
        .annotate(
            first_month=TruncMonth("start_date", output_field=DateField()),
            last_day=Coalesce(F("end_date"), Value(today), output_field=DateField()),
        )
        .annotate(
            recorded_months=Coalesce(Subquery(in_period.annotate(n=Count("pk")).values("n")), 0),
            recorded_wages=Coalesce(
                Subquery(in_period.annotate(s=Sum("wage")).values("s"), output_field=_MONEY),
                ZERO,
                output_field=_MONEY,
            ),
        )
        .order_by("start_date", "pk")
    )
    return [
        PeriodRow(
            establishment=p.establishment.name if p.establishment else None,
            establishment_number=p.establishment.insurance_number if p.establishment else None,
            coverage=p.coverage,
            coverage_label=str(p.get_coverage_display()),
            start_date=p.start_date,
            end_date=p.end_date,
            monthly_wage=_money(p.monthly_wage),
            months=p.recorded_months,
            total_wages=_money(p.recorded_wages),
        )
        for p in periods
    ]


def establishment_choices_for(user) -> list[tuple[str, str]]:
    """(insurance number, name) of the establishments on the person's insurance record, for the
    choices of a form: one query."""
    from django.db.models import Q

    from establishments.models import Establishment

    person = getattr(user, "individual", None) if getattr(user, "is_individual", False) else None
    if person is None:
        return []
    rows = (
        Establishment.objects.filter(
            Q(wage_records__individual=person) | Q(insurance_periods__individual=person)
        )
        .distinct()
        .order_by("name")
        .values_list("insurance_number", "name")
    )
    return [(number, f"{name} ({number})") for number, name in rows]
