"""The biller interface the bill-payment network calls (eFAWATEERcom model): two signed JSON
POSTs, answered in the network's result codes (docs/payments-network.md). No session, no CSRF
token: the HMAC signature over the timestamp and the raw body is the authentication."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import network


def _respond(answer: network.Answer) -> JsonResponse:
    return JsonResponse(
        answer.body, status=answer.http_status, json_dumps_params={"ensure_ascii": False}
    )


def _signed(request: HttpRequest) -> tuple[bytes, str | None, str | None]:
    return (
        request.body,
        request.headers.get(network.TIMESTAMP_HEADER),
        request.headers.get(network.SIGNATURE_HEADER),
    )


@csrf_exempt
@require_POST
@transaction.non_atomic_requests
def bill_inquiry(request: HttpRequest) -> JsonResponse:
    """BillPull: the open bills of a billing number (amounts in fils)."""
    return _respond(network.handle_inquiry(*_signed(request)))


@csrf_exempt
@require_POST
@transaction.non_atomic_requests
def payment_notification(request: HttpRequest) -> JsonResponse:
    """ReceivePmtNotify: a bill was paid; recorded once per network payment reference."""
    return _respond(network.handle_notification(*_signed(request)))
