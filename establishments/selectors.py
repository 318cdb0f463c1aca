"""Read functions of the establishments app, shared by its pages, services and tests."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from eservices.dates import month_start
from individuals.models import Individual, InsurancePeriod, WageRecord, WorkInjury

from .models import Establishment, Movement


def establishment_of(user) -> Establishment | None:
    """The establishment a liaison officer's account acts for (None for anyone else)."""
    if not getattr(user, "is_authenticated", False) or not user.is_establishment:
        return None
    return (
        Establishment.objects.select_related("liaison_officer")
        .filter(liaison_officer__user=user)
        .first()
    )


def own_establishment_or_404(user) -> Establishment:
    est = establishment_of(user)
    if est is None:
        raise Http404
    return est


# --- Inquiries of the liaison officer: every function is scoped to one establishment ----------


def previous_month(today: dt.date) -> dt.date:
    return month_start(month_start(today) - dt.timedelta(days=1))


def _open_on(today: dt.date) -> Q:
    return Q(end_date__isnull=True) | Q(end_date__gte=today)


def active_employees(
    establishment: Establishment, *, today: dt.date | None = None, search: str = ""
) -> QuerySet[InsurancePeriod]:
    """The open coverage periods at the establishment (end date empty or not yet passed), with
    their person joined: one query whatever the number of rows. ``search`` matches the national
    or personal number (its start) or the Arabic or English name (anywhere)."""
    today = today or timezone.localdate()
    qs = (
        InsurancePeriod.objects.filter(_open_on(today), establishment=establishment)
        .select_related("individual")
        .order_by("individual__name_ar", "individual_id", "start_date")
    )
    search = (search or "").strip()
    if search:
        qs = qs.filter(
            Q(individual__national_number__startswith=search)
            | Q(individual__personal_number__startswith=search)
            | Q(individual__name_ar__icontains=search)
            | Q(individual__name_en__icontains=search)
        )
    return qs


def active_employee_count(establishment: Establishment, *, today: dt.date | None = None) -> int:
    return active_employees(establishment, today=today).values("individual").distinct().count()


def employee_or_404(establishment: Establishment, number: str) -> Individual:
    """A person employed by the establishment at some time (a coverage period with it), found by
    national or personal number; anyone else is 404 — the officer sees only their employees."""
    number = (number or "").strip()
    if not number:
        raise Http404
    person = (
        Individual.objects.filter(Q(national_number=number) | Q(personal_number=number))
        .filter(periods__establishment=establishment)
        .distinct()
        .first()
    )
    if person is None:
        raise Http404
    return person


def employee_periods(establishment: Establishment, person: Individual) -> QuerySet:
    return InsurancePeriod.objects.filter(establishment=establishment, individual=person).order_by(
        "-start_date"
    )


def employee_wages(establishment: Establishment, person: Individual) -> QuerySet:
    return WageRecord.objects.filter(establishment=establishment, individual=person).order_by(
        "-month"
    )


def establishment_movements(
    establishment: Establishment,
    *,
    kind: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[Movement]:
    qs = Movement.objects.filter(establishment=establishment).select_related("individual")
    if kind:
        qs = qs.filter(kind=kind)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    return qs.order_by("-date", "-pk")


def unentered_wages(establishment: Establishment, month: dt.date) -> QuerySet[InsurancePeriod]:
    """The employees covered by the establishment during ``month`` (a period that started by its
    end and had not stopped before its start) whose wage for that month the establishment has not
    entered (no WageRecord of that person, month and establishment). One query."""
    first = month_start(month)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    entered = WageRecord.objects.filter(
        individual=OuterRef("individual"), establishment=establishment, month=first
    )
    return (
        InsurancePeriod.objects.filter(_open_on(first), establishment=establishment)
        .filter(start_date__lte=last)
        .exclude(Exists(entered))
        .select_related("individual")
        .order_by("individual__name_ar", "individual_id")
    )


def establishment_injuries(establishment: Establishment) -> QuerySet[WorkInjury]:
    return (
        WorkInjury.objects.filter(establishment=establishment)
        .select_related("individual")
        .order_by("-occurred_on", "-pk")
    )
