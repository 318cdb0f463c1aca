from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend

from .outbox import append_to_outbox


class OutboxEmailBackend(ConsoleEmailBackend):
    """Prints each email and keeps it in the outbox file (the default with no EMAIL_URL)."""

    def send_messages(self, email_messages):
        count = super().send_messages(email_messages)
        for m in email_messages:
            for to in m.to:
                append_to_outbox(channel="email", to=to, subject=m.subject, body=m.body)
        return count
