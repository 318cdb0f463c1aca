"""The payment pages: what is owed and how to pay it through the bill-payment network.

Each page presents one bill (its number, amount, due date, and the biller code and service to pay
it with through any bank or app on the network), a printable copy, and what was paid recently with
its receipt. The bill is (re)issued when the page is shown — idempotently: the same amount keeps
the same bill. Payment itself happens on the network, which notifies network_api.py."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.exceptions import ServiceError
from eservices.selectors import service
from establishments.inquiries import officer_required
from individuals.models import Individual

from . import ledger, network
from .models import Account, Bill, DebitCard, Installment, InstallmentPlan, Payment

RECENT = 10

# Where each kind of bill is shown (the simulator button returns there).
PAGE_OF_KIND = {
    Bill.Kind.CONTRIBUTIONS: "payments:pay_contributions",
    Bill.Kind.INSTALLMENTS: "payments:pay_installments",
    Bill.Kind.OPTIONAL: "payments:opt_pay",
    Bill.Kind.SELF_EMPLOYED: "payments:opt_pay",
    Bill.Kind.CARD_TOPUP: "payments:card_instant_pay",
}


def _jd(value: Decimal) -> str:
    return f"{value:,.3f}"


def bill_view(bill: Bill | None) -> dict | None:
    """A bill as the pages show it: formatted once here (the Arabic locale would otherwise print
    a decimal comma), with what the payer types at their bank or app."""
    if bill is None:
        return None
    billing_number = bill.account.number if bill.account_id else bill.card.number
    return {
        "number": bill.number,
        "kind": bill.get_kind_display(),
        "service_type": bill.kind,
        "amount": _jd(bill.amount),
        "fils": network.to_fils(bill.amount),
        "issued_on": bill.issued_on.isoformat(),
        "due_date": bill.due_date.isoformat(),
        "expires_on": bill.expires_on.isoformat() if bill.expires_on else "",
        "billing_number": billing_number,
        "biller_code": network.biller_code(),
        "print_url": reverse("payments:bill_print", args=[bill.number]),
        "simulate_url": reverse("payments:simulate_pay", args=[bill.number]),
    }


def payment_rows(qs) -> list[dict]:
    rows = []
    for p in qs.select_related("bill", "receipt").order_by("-paid_at", "-pk")[:RECENT]:
        rows.append(
            {
                "paid_at": timezone.localtime(p.paid_at).strftime("%Y-%m-%d %H:%M"),
                "bill": p.bill.number,
                "kind": p.bill.get_kind_display(),
                "amount": _jd(p.amount),
                "reference": p.network_reference,
                "receipt": p.receipt,
            }
        )
    return rows


def _context(code: str, **extra) -> dict:
    return {
        "service": service(code),
        "simulator": network.simulator_enabled(),
        **extra,
    }


@officer_required
def pay_contributions(request: HttpRequest, establishment) -> HttpResponse:
    """est.pay-contributions: the establishment's open contributions bill."""
    account = ledger.account_for_establishment(establishment)
    bill = ledger.refresh_contributions_bill(account)
    return render(
        request,
        "payments/pay_contributions.html",
        _context(
            "est.pay-contributions",
            establishment=establishment,
            account=account,
            balance=_jd(ledger.balance(account)),
            scheduled=_jd(ledger.scheduled_outstanding(account)),
            bill=bill_view(bill),
            payments=payment_rows(Payment.objects.filter(account=account)),
        ),
    )


@officer_required
def pay_installments(request: HttpRequest, establishment) -> HttpResponse:
    """est.pay-installments: one bill for the instalments of the active plans due now."""
    account = ledger.account_for_establishment(establishment)
    today = timezone.localdate()
    bill = network.issue_installments_bill(account, user=request.user, on=today)
    base = Installment.objects.filter(
        plan__account=account,
        plan__status=InstallmentPlan.Status.ACTIVE,
        status=Installment.Status.DUE,
    ).order_by("due_date", "plan_id", "sequence")
    due = [
        {"sequence": i.sequence, "due_date": i.due_date.isoformat(), "amount": _jd(i.amount)}
        for i in base.filter(due_date__lte=today)
    ]
    upcoming = [
        {"sequence": i.sequence, "due_date": i.due_date.isoformat(), "amount": _jd(i.amount)}
        for i in base.filter(due_date__gt=today)[:12]
    ]
    return render(
        request,
        "payments/pay_installments.html",
        _context(
            "est.pay-installments",
            establishment=establishment,
            account=account,
            has_plan=account.plans.filter(status=InstallmentPlan.Status.ACTIVE).exists(),
            bill=bill_view(bill),
            due=due,
            upcoming=upcoming,
            payments=payment_rows(
                Payment.objects.filter(account=account, bill__kind=Bill.Kind.INSTALLMENTS)
            ),
        ),
    )


def _own_individual(request: HttpRequest) -> Individual:
    if not request.user.is_individual:
        raise PermissionDenied
    individual = Individual.objects.filter(user=request.user).first()
    if individual is None:
        raise Http404
    return individual


@login_required
def opt_pay(request: HttpRequest) -> HttpResponse:
    """opt.pay: the subscriber's open optional (or self-employment) contributions bill."""
    individual = _own_individual(request)
    accounts = Account.objects.filter(
        individual=individual,
        kind__in=[Account.Kind.OPTIONAL, Account.Kind.SELF_EMPLOYED],
    ).order_by("kind")
    rows = [
        {
            "account": account,
            "kind": account.get_kind_display(),
            "balance": _jd(ledger.balance(account)),
            "bill": bill_view(ledger.refresh_contributions_bill(account)),
        }
        for account in accounts
    ]
    return render(
        request,
        "payments/pay_optional.html",
        _context(
            "opt.pay",
            accounts=rows,
            payments=payment_rows(Payment.objects.filter(account__in=accounts)),
        ),
    )


class TopUpForm(forms.Form):
    amount = forms.DecimalField(
        label=gettext_lazy("Amount to add to the card (JD)"),
        max_digits=10,
        decimal_places=3,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr", "autocomplete": "off"}),
    )

    def __init__(self, *args, limits: network.TopUpLimits, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["amount"]
        field.min_value, field.max_value = limits.minimum, limits.maximum
        field.validators += [
            MinValueValidator(limits.minimum),
            MaxValueValidator(limits.maximum),
        ]
        field.help_text = _("From %(min)s to %(max)s JD.") % {
            "min": _jd(limits.minimum),
            "max": _jd(limits.maximum),
        }


@login_required
def card_instant_pay(request: HttpRequest) -> HttpResponse:
    """card.instant-pay: the cardholder chooses an amount and gets a top-up bill to pay through
    the network; the card's balance grows when the network notifies the payment."""
    individual = _own_individual(request)
    card = DebitCard.objects.filter(individual=individual, status=DebitCard.Status.ACTIVE).first()
    limits = network.topup_limits()
    form = TopUpForm(request.POST or None, limits=limits)
    if card is not None and request.method == "POST" and form.is_valid():
        try:
            network.issue_card_topup_bill(card, form.cleaned_data["amount"], user=request.user)
        except ServiceError as err:
            form.add_error(err.field if err.field in form.fields else None, str(err.message))
        else:
            messages.success(request, _("Your top-up bill is ready: pay it through the network."))
            return redirect("payments:card_instant_pay")
    bill = None
    payments: list = []
    if card is not None:
        today = timezone.localdate()
        bill = (
            Bill.objects.filter(card=card, kind=Bill.Kind.CARD_TOPUP, status=Bill.Status.OPEN)
            .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
            .select_related("card")
            .first()
        )
        payments = payment_rows(Payment.objects.filter(card=card))
    return render(
        request,
        "payments/pay_card.html",
        _context(
            "card.instant-pay",
            card=card,
            card_balance=_jd(card.balance) if card else "",
            limits={
                "min": _jd(limits.minimum),
                "max": _jd(limits.maximum),
                "days": limits.valid_days,
                "provisional": limits.provisional,
            },
            form=form,
            bill=bill_view(bill),
            payments=payments,
        ),
    )


def own_bill_or_404(user, number: str) -> Bill:
    """A bill of the signed-in payer (staff: any bill); anyone else's is 404."""
    bills = Bill.objects.select_related(
        "account__establishment", "account__individual", "card__individual"
    )
    if not user.is_staff:
        if user.is_establishment:
            bills = bills.filter(account__establishment__liaison_officer__user=user)
        else:
            bills = bills.filter(Q(account__individual__user=user) | Q(card__individual__user=user))
    return get_object_or_404(bills, number=number)


@login_required
def bill_print(request: HttpRequest, number: str) -> HttpResponse:
    """A printable bill: what to pay, by when, and how, through any bank or app on the network."""
    bill = own_bill_or_404(request.user, number)
    return render(
        request,
        "payments/bill.html",
        {
            "bill": bill_view(bill),
            "status": bill.get_status_display(),
            "is_open": bill.status == Bill.Status.OPEN,
            "payer": network.payer_name(bill),
            "back": reverse(PAGE_OF_KIND[bill.kind]),
            "installments": [
                {
                    "sequence": i.sequence,
                    "due_date": i.due_date.isoformat(),
                    "amount": _jd(i.amount),
                }
                for i in bill.installments.order_by("due_date", "sequence")
            ],
        },
    )


@login_required
@require_POST
def simulate_pay(request: HttpRequest, number: str) -> HttpResponse:
    """Demo only (DEBUG or NETWORK_SIMULATOR_ENABLED): pay the bill through the network
    simulator, which calls the same signed endpoint the network calls."""
    if not network.simulator_enabled():
        raise Http404
    bill = own_bill_or_404(request.user, number)
    reply = network.NetworkClient().pay(bill.number)
    if reply.code == network.Code.OK:
        messages.success(request, _("The network simulator paid bill %(bill)s.") % {"bill": number})
    else:
        messages.error(
            request,
            _("The network refused the payment (code %(code)s).") % {"code": reply.code},
        )
    return redirect(PAGE_OF_KIND[bill.kind])
