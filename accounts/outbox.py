"""The outbox file: every code sent in development is kept here, one JSON object a line."""

from __future__ import annotations

import json
import threading

from django.conf import settings
from django.utils import timezone

_lock = threading.Lock()


def append_to_outbox(*, channel: str, to: str, body: str, subject: str = "") -> None:
    path = settings.OUTBOX_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(
        {
            "at": timezone.now().isoformat(),
            "channel": channel,
            "to": to,
            "subject": subject,
            "body": body,
        },
        ensure_ascii=False,
    )
    with _lock, open(path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")
