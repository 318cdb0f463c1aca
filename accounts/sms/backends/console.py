import sys

from .base import BaseSmsBackend


class SmsBackend(BaseSmsBackend):
    """Prints each message to standard output (development)."""

    def send_messages(self, messages: list) -> int:
        for m in messages:
            sys.stdout.write(f"[SMS to {m.to}] {m.body}\n")
            sys.stdout.flush()
        return len(messages)
