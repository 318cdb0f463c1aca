"""Messages to users: always in the portal inbox, and by the user's channel (SMS or email).

Sent by a Celery task after the transaction commits, retried on temporary failure; each message
keeps its delivery status. SMS texts are short: an Arabic SMS segment is 70 characters."""

from __future__ import annotations

from django.db import transaction

from accounts import sms
from accounts.models import Channel

from .models import Notification, ServiceRequest


def notify(
    *, user, title: str, body: str, request: ServiceRequest | None = None, detail: str = ""
) -> Notification | None:
    """Put a message in the inbox (with ``detail``, which may be long) and queue the short
    ``body`` on the user's channel."""
    Notification.objects.create(
        user=user,
        request=request,
        channel="inbox",
        title=title,
        body=f"{body}\n{detail}".strip(),
        status=Notification.Status.DELIVERED,
    )
    channel = user.activation_channel
    destination = str(user.phone) if channel == Channel.SMS else user.email
    if not destination:
        return None
    note = Notification.objects.create(
        user=user,
        request=request,
        channel=channel,
        sent_to=destination,
        title=title,
        body=body,
        segments=sms.segments(body) if channel == Channel.SMS else 0,
    )
    from .tasks import send_notification

    transaction.on_commit(lambda: send_notification.delay(note.pk), robust=True)
    return note
