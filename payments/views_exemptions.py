"""Pages of the cards and exemptions part: "my card" (the result of card.issue) and
est.exemption-documents (print the request, print the promissory notes, cancel). Thin: the work is
in ``cards.py`` and ``exemptions.py``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.exceptions import ServiceError
from eservices.models import ServiceRequest
from eservices.selectors import service
from eservices.services import request_cancel

from . import cards, exemptions


@login_required
def my_card(request: HttpRequest) -> HttpResponse:
    if not request.user.is_individual:
        raise PermissionDenied
    topup = service("card.instant-pay")
    pending = ServiceRequest.objects.filter(
        applicant=request.user, service_code=cards.CODE, status__in=ServiceRequest.OPEN
    ).first()
    return render(
        request,
        "payments/card_mine.html",
        {
            "cards": cards.cards_of(request.user),
            "pending": pending,
            "issue": service(cards.CODE),
            "topup": topup if topup.implemented else None,
        },
    )


def _officer(request: HttpRequest):
    if not request.user.is_establishment:
        raise PermissionDenied
    from establishments.selectors import own_establishment_or_404

    return own_establishment_or_404(request.user)


def _own_request(request: HttpRequest, pk: int) -> ServiceRequest:
    return get_object_or_404(
        ServiceRequest, pk=pk, applicant=request.user, service_code=exemptions.CODE
    )


@login_required
def exemption_documents(request: HttpRequest) -> HttpResponse:
    est = _officer(request)
    reqs = list(exemptions.exemption_requests(request.user))
    withdrawable = exemptions.withdrawable(reqs)
    rows = [
        {
            "req": req,
            "plan": exemptions.plan_of(req),
            "can_withdraw": withdrawable[req.pk],
        }
        for req in reqs
    ]
    return render(
        request,
        "payments/exemption_documents.html",
        {
            "establishment": est,
            "rows": rows,
            "service": service(exemptions.DOCUMENTS_CODE),
            "request_service": service(exemptions.CODE),
        },
    )


@login_required
@require_POST
def exemption_print(request: HttpRequest, pk: int) -> HttpResponse:
    _officer(request)
    req = _own_request(request, pk)
    try:
        doc = exemptions.request_print(req=req, user=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("payments:exemption_documents")
    return redirect("eservices:document_download", pk=doc.pk)


@login_required
@require_POST
def exemption_notes(request: HttpRequest, pk: int) -> HttpResponse:
    _officer(request)
    req = _own_request(request, pk)
    try:
        doc = exemptions.promissory_notes(req=req, user=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("payments:exemption_documents")
    return redirect("eservices:document_download", pk=doc.pk)


@login_required
def exemption_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """What cancelling does (GET), then cancel (POST): the engine's cancellation while the
    request is undecided; after approval, withdrawing from the programme."""
    _officer(request)
    req = _own_request(request, pk)
    undecided = req.can_cancel
    withdraw = exemptions.can_withdraw(req)
    if request.method == "POST":
        try:
            if undecided:
                request_cancel(req=req, user=request.user)
                messages.success(request, _("The request is cancelled."))
            elif withdraw:
                exemptions.exemption_withdraw(req=req, actor=request.user)
                messages.success(
                    request,
                    _(
                        "The exemption is cancelled: the unpaid instalments and the penalties are owed again."
                    ),
                )
            else:
                raise ServiceError(_("This request can no longer be cancelled."))
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("payments:exemption_documents")
    plan = exemptions.plan_of(req)
    entry = exemptions.exemption_entry(req)
    return render(
        request,
        "payments/exemption_cancel.html",
        {
            "req": req,
            "undecided": undecided,
            "withdraw": withdraw,
            "plan": plan,
            "unpaid": plan.installments.filter(status="due") if plan else [],
            "waived": -entry.amount if entry else None,
            "service": service(exemptions.DOCUMENTS_CODE),
        },
    )
