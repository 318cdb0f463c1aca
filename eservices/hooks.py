"""Delivery reports from the SMS gateway: POST /hooks/sms-status/ with the bearer token
SMS_CALLBACK_TOKEN and JSON {"id": <the gateway's message id>, "status": "delivered"|"failed",
"error": "..."}. Unknown ids are acknowledged and ignored, so the gateway does not retry them."""

from __future__ import annotations

import hmac
import json

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import Notification


@csrf_exempt
@require_POST
def sms_status(request: HttpRequest) -> JsonResponse:
    token = settings.SMS_CALLBACK_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not token or not hmac.compare_digest(given, token):
        return JsonResponse({"error": "unauthorised"}, status=401)
    try:
        data = json.loads(request.body.decode("utf-8"))
        provider_id, status = str(data["id"]), str(data["status"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return JsonResponse({"error": "bad request"}, status=400)
    if status not in ("delivered", "failed"):
        return JsonResponse({"error": "unknown status"}, status=400)
    updates = {"status": status}
    if status == "delivered":
        updates["delivered_at"] = timezone.now()
    else:
        updates["error"] = str(data.get("error", ""))[:300]
    # A delivery report never turns a delivered message back into a failed one.
    n = (
        Notification.objects.filter(provider_id=provider_id, channel="sms")
        .exclude(status=Notification.Status.DELIVERED)
        .update(**updates)
    )
    return JsonResponse({"updated": n})
