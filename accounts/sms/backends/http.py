"""An HTTP SMS gateway: POST JSON {to, text, sender} with a bearer token.

``SMS_GATEWAY_URL`` and ``SMS_GATEWAY_TOKEN`` come from the environment. A 5xx answer, a timeout or a
refused connection is temporary (the task retries); a 4xx answer is a permanent failure.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from django.conf import settings

from accounts.exceptions import DeliveryError, TemporaryDeliveryError

from .base import BaseSmsBackend


class SmsBackend(BaseSmsBackend):
    def __init__(
        self, url: str | None = None, token: str | None = None, timeout: float | None = None
    ):
        self.url = url or settings.SMS_GATEWAY_URL
        self.token = token or settings.SMS_GATEWAY_TOKEN
        self.timeout = timeout or settings.SMS_GATEWAY_TIMEOUT
        if not self.url.startswith(("http://", "https://")):
            raise DeliveryError("SMS_GATEWAY_URL must be an http(s) URL")

    def send_messages(self, messages: list) -> int:
        sent = 0
        for m in messages:
            payload = json.dumps(
                {"to": m.to, "text": m.body, "sender": m.sender}, ensure_ascii=False
            ).encode("utf-8")
            req = urllib.request.Request(  # noqa: S310 - scheme checked in __init__
                self.url,
                data=payload,
                method="POST",
                headers={
                    "Content-Type": "application/json; charset=utf-8",
                    "Authorization": f"Bearer {self.token}",
                },
            )
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310
                    m.provider_id = _message_id(resp.read())
            except urllib.error.HTTPError as exc:
                if exc.code >= 500 or exc.code == 429:
                    raise TemporaryDeliveryError(f"gateway answered {exc.code}") from exc
                raise DeliveryError(f"gateway refused the message ({exc.code})") from exc
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                raise TemporaryDeliveryError(f"gateway unreachable: {exc}") from exc
            sent += 1
        return sent


def _message_id(raw: bytes) -> str:
    """The gateway's id for the message, if it answers with JSON {"id": ...}; used to match its
    delivery reports."""
    try:
        data = json.loads(raw.decode("utf-8") or "{}")
    except (ValueError, UnicodeDecodeError):
        return ""
    return str(data.get("id", "")) if isinstance(data, dict) else ""
