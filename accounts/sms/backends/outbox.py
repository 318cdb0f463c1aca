"""Prints each message and keeps it in the outbox file (the default with no SMS gateway)."""

from accounts.outbox import append_to_outbox

from .console import SmsBackend as ConsoleBackend


class SmsBackend(ConsoleBackend):
    def send_messages(self, messages: list) -> int:
        super().send_messages(messages)
        for m in messages:
            append_to_outbox(channel="sms", to=m.to, body=m.body)
        return len(messages)
