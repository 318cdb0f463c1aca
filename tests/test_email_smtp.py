"""A code sent by email goes through Django's SMTP backend to a real local SMTP server."""

from __future__ import annotations

import email
import email.policy
import re
import socket

import pytest
from aiosmtpd.controller import Controller

from accounts import services
from accounts.exceptions import OtpExpired
from accounts.models import OneTimeCode

from .factories import UserFactory

CODE_RE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CollectingHandler:
    """An aiosmtpd handler that keeps every envelope it is given."""

    def __init__(self) -> None:
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    handler = CollectingHandler()
    controller = None
    for _attempt in range(5):  # the free port may be taken between the probe and the bind
        candidate = Controller(handler, hostname="127.0.0.1", port=_free_port())
        try:
            candidate.start()
        except (OSError, RuntimeError, TimeoutError):
            continue
        controller = candidate
        break
    assert controller is not None, "could not start the local SMTP server"
    try:
        yield controller, handler
    finally:
        controller.stop()


@pytest.fixture
def smtp_settings(settings, smtp_server):
    controller, _handler = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    settings.DEFAULT_FROM_EMAIL = "e-services@ssportal.local"
    return settings


@pytest.mark.django_db
def test_activation_code_is_emailed_over_smtp(
    smtp_settings, smtp_server, django_capture_on_commit_callbacks
):
    _controller, handler = smtp_server
    user = UserFactory(activated_at=None, activation_channel="email", email="sara@example.com")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        otp = services.otp_issue(user=user, purpose="activation", channel="email")
        assert handler.envelopes == []  # nothing is sent before the commit

    assert len(callbacks) == 1
    assert len(handler.envelopes) == 1
    envelope = handler.envelopes[0]
    assert envelope.rcpt_tos == ["sara@example.com"]
    assert envelope.mail_from == "e-services@ssportal.local"

    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["To"] == "sara@example.com"
    assert message["From"] == "e-services@ssportal.local"
    assert str(message["Subject"]).strip()
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = CODE_RE.search(body)
    assert match, f"no 6-digit code in {body!r}"
    code = match.group(1)

    otp.refresh_from_db()
    assert otp.channel == "email"
    assert otp.sent_to == "sara@example.com"
    assert otp.delivery_status == OneTimeCode.Delivery.SENT
    assert code not in otp.code_hash

    verified = services.otp_verify(user=user, purpose="activation", code=code)
    assert verified.pk == otp.pk
    assert verified.used_at is not None
    # A code works once only.
    with pytest.raises(OtpExpired):
        services.otp_verify(user=user, purpose="activation", code=code)


@pytest.mark.django_db
def test_smtp_server_down_marks_code_failed(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _free_port()  # nothing listens there
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    user = UserFactory(activated_at=None, activation_channel="email")

    with django_capture_on_commit_callbacks(execute=True):
        otp = services.otp_issue(user=user, purpose="activation", channel="email")

    otp.refresh_from_db()
    assert otp.delivery_status == OneTimeCode.Delivery.FAILED
    assert otp.delivery_error  # the connection error, for the admin
    assert otp.used_at is None


class RejectingHandler(CollectingHandler):
    """Refuses every recipient permanently, as a server does for an unknown mailbox."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.envelopes.append(address)
        return "550 5.1.1 No such user"


@pytest.mark.django_db
def test_a_permanent_smtp_refusal_is_not_retried(settings, django_capture_on_commit_callbacks):
    handler = RejectingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        user = UserFactory(activated_at=None, email="nobody@example.com")
        with django_capture_on_commit_callbacks(execute=True):
            services.otp_issue(user=user, purpose="activation", channel="email")
    finally:
        controller.stop()
    assert handler.envelopes == ["nobody@example.com"]  # tried once, not six times
    otp = OneTimeCode.objects.get(user=user)
    assert otp.delivery_status == OneTimeCode.Delivery.FAILED
    assert "550" in otp.delivery_error
