"""Pages of the optional and self-employed subscriber, and of vehicle owners.

opt.basic-data, opt.payments, self.account and self.driver-card for a signed-in individual;
the establishment's vehicles for its liaison officer. Every page shows only the signed-in
person's (or establishment's) own records: another owner's vehicle or driver is 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.exceptions import ServiceError
from eservices.dates import month_start
from eservices.selectors import service
from individuals.models import Individual

from .. import ledger
from ..models import Account, LedgerEntry, Subscription, VehicleDriver
from . import services as svc

PER_PAGE = 25
LATEST_ENTRIES = 12


def _own_record(request: HttpRequest) -> Individual:
    if not request.user.is_individual:
        raise PermissionDenied
    person = Individual.objects.filter(user=request.user).first()
    if person is None:
        raise Http404
    return person


def _owner(request: HttpRequest) -> dict:
    """The vehicle owner the signed-in user acts for: themselves, or their establishment."""
    if request.user.is_individual:
        return {"individual": _own_record(request)}
    if request.user.is_establishment:
        from establishments.selectors import own_establishment_or_404

        return {"establishment": own_establishment_or_404(request.user)}
    raise PermissionDenied


def statement_url(account: Account) -> str | None:
    """The account statement page of the account's kind (payments/urls_statements.py)."""
    try:
        return reverse("payments:statement", kwargs={"kind": account.kind})
    except NoReverseMatch:
        return None


def _subscription_context(sub: Subscription | None, today: dt.date) -> dict[str, Any]:
    """What the basic-data pages show of a subscription: its state, declared wages with the one
    in force, the monthly contribution with its working, its account and contact answers."""
    if sub is None:
        return {"subscription": None}
    wages = list(sub.wages.order_by("from_month"))
    this_month = month_start(today)
    shown_month = this_month
    if sub.end_month is not None and sub.end_month < this_month:
        shown_month = sub.end_month
    figure = svc.monthly_contribution(sub, shown_month)
    answers = sub.request.data if sub.request_id else {}
    running = sub.end_month is None or sub.end_month >= this_month
    current = max(
        (w for w in wages if w.from_month <= shown_month),
        key=lambda w: w.from_month,
        default=None,
    )
    return {
        "subscription": sub,
        "running": running,
        "wages": [
            {
                "from_month": w.from_month,
                "wage": w.wage,
                "reason": w.reason,
                "in_force": current is not None and w.pk == current.pk,
                "future": w.from_month > this_month,
            }
            for w in wages
        ],
        "current_wage": current.wage if current else None,
        "shown_month": shown_month,
        "contribution": figure[0] if figure else None,
        "working": figure[1].as_json() if figure else None,
        "increase": svc.percent(sub.annual_increase),
        "account": sub.account,
        "balance": ledger.balance(sub.account),
        "statement_url": statement_url(sub.account),
        "contact": {
            "phone": answers.get("phone", ""),
            "email": answers.get("email", ""),
            "address": answers.get("address", ""),
            "iban": _masked(answers.get("iban", "")),
        },
    }


def _masked(iban: str) -> str:
    return f"{iban[:4]}{'•' * max(len(iban) - 8, 0)}{iban[-4:]}" if len(iban) > 8 else iban


def _payments(account: Account | None):
    """The payments credited to the account, newest first, with their bill and receipt."""
    if account is None:
        return LedgerEntry.objects.none()
    return (
        LedgerEntry.objects.filter(account=account, kind=LedgerEntry.Kind.PAYMENT)
        .select_related("payment", "payment__bill", "payment__receipt")
        .order_by("-posted_on", "-id")
    )


def _start_links(*codes: str) -> list:
    return [service(code) for code in codes]


@login_required
def optional_basic_data(request: HttpRequest) -> HttpResponse:
    """opt.basic-data: the optional subscription, its declared wages and annual increase."""
    person = _own_record(request)
    today = timezone.localdate()
    sub = svc.latest_subscription(person, kind=svc.OPTIONAL)
    return render(
        request,
        "payments/subscription_optional.html",
        {
            "service": service("opt.basic-data"),
            "person": person,
            **_subscription_context(sub, today),
            "window": svc.increase_window(today),
            "requests": _start_links(
                "opt.enroll", "opt.continue", "opt.annual-increase", "opt.stop"
            ),
        },
    )


@login_required
def optional_payments(request: HttpRequest) -> HttpResponse:
    """opt.payments: the payments made on the optional subscription's account."""
    person = _own_record(request)
    account = Account.objects.filter(individual=person, kind=Account.Kind.OPTIONAL).first()
    page = Paginator(_payments(account), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "payments/subscription_payments.html",
        {
            "service": service("opt.payments"),
            "account": account,
            "page": page,
            "rows": [(e, -e.amount) for e in page.object_list],
            "balance": ledger.balance(account) if account else None,
            "statement_url": statement_url(account) if account else None,
            "back": ("payments:optional_basic_data", service("opt.basic-data").name),
        },
    )


@login_required
def self_account(request: HttpRequest) -> HttpResponse:
    """self.account: basic information, the latest account entries with the balance, and the
    payments made."""
    person = _own_record(request)
    today = timezone.localdate()
    sub = svc.latest_subscription(person, kind=svc.SELF_EMPLOYED)
    account = sub.account if sub else None
    entries = (
        list(
            LedgerEntry.objects.filter(account=account).order_by("-posted_on", "-id")[
                :LATEST_ENTRIES
            ]
        )
        if account
        else []
    )
    return render(
        request,
        "payments/subscription_self.html",
        {
            "service": service("self.account"),
            "person": person,
            **_subscription_context(sub, today),
            "bracket_label": _bracket_label(sub, today) if sub else "",
            "entries": entries,
            "payments": [(e, -e.amount) for e in _payments(account)[:LATEST_ENTRIES]],
            "vehicle_count": svc.vehicles_of(individual=person).count(),
            "requests": _start_links(
                "self.enroll", "self.bracket-change", "self.add-driver", "self.stop"
            ),
        },
    )


def _bracket_label(sub: Subscription, today: dt.date) -> str:
    for key, multiple, _wage, provisional in svc.brackets(today):
        if key == sub.bracket:
            return f"{key} ({svc.plain(multiple)} ×)" + (" *" if provisional else "")
    return sub.bracket or "—"


@login_required
def driver_cards(request: HttpRequest) -> HttpResponse:
    """self.driver-card (and the establishment's vehicles): each vehicle with its drivers and a
    button that prints a driver's card."""
    owner = _owner(request)
    vehicles = list(svc.vehicles_of(**owner))
    is_establishment = "establishment" in owner
    return render(
        request,
        "payments/driver_cards.html",
        {
            "service": service("est.add-driver" if is_establishment else "self.driver-card"),
            "vehicles": vehicles,
            "is_establishment": is_establishment,
            "establishment": owner.get("establishment"),
            "add_service": service("est.add-driver" if is_establishment else "self.add-driver"),
        },
    )


@login_required
def vehicle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One of the owner's vehicles with all its drivers, past and present (another's: 404)."""
    owner = _owner(request)
    vehicle = svc.vehicle_or_404(pk, **owner)
    return render(
        request,
        "payments/driver_vehicle.html",
        {
            "vehicle": vehicle,
            "drivers": vehicle.drivers.order_by("-start_date", "-id"),
            "is_establishment": "establishment" in owner,
        },
    )


@login_required
@require_POST
def driver_card_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The driver card PDF of a driver on one of the owner's vehicles (another's: 404)."""
    owner = _owner(request)
    key = "vehicle__individual" if "individual" in owner else "vehicle__establishment"
    driver = (
        VehicleDriver.objects.select_related(
            "vehicle", "vehicle__individual", "vehicle__establishment", "request"
        )
        .filter(pk=pk, **{key: next(iter(owner.values()))})
        .first()
    )
    if driver is None:
        raise Http404
    try:
        doc = svc.issue_driver_card(driver=driver, user=request.user)
    except ServiceError as exc:
        from django.contrib import messages

        messages.error(request, exc.message)
        return redirect("payments:vehicle_detail", pk=driver.vehicle_id)
    return redirect("eservices:document_download", pk=doc.pk)
