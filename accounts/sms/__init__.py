"""Text messages, sent through a backend chosen by ``SMS_BACKEND`` (like Django's EMAIL_BACKEND)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

# The in-memory backend appends here, as django.core.mail.outbox does for email.
outbox: list[SmsMessage] = []

GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)


@dataclass
class SmsMessage:
    to: str
    body: str
    sender: str = ""
    created_at: object = field(default_factory=timezone.now)
    provider_id: str = ""  # set by a gateway that gives its own id


def segments(body: str) -> int:
    """How many SMS segments a text takes: 160/153 GSM characters, or 70/67 for Arabic (UCS-2)."""
    if all(ch in GSM_BASIC for ch in body):
        single, multi = 160, 153
    else:
        single, multi = 70, 67
    n = len(body)
    return 1 if n <= single else math.ceil(n / multi)


def get_connection(backend: str | None = None):
    return import_string(backend or settings.SMS_BACKEND)()


def send_sms(to: str, body: str) -> str:
    """Send one text; returns the gateway's id for it ("" when the backend gives none)."""
    msg = SmsMessage(to=to, body=body, sender=settings.SMS_SENDER_ID)
    get_connection().send_messages([msg])
    return msg.provider_id
