"""Celery tasks of the accounts app: thin, they load by id and call services or backends."""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from .exceptions import DeliveryError, TemporaryDeliveryError
from .models import Channel, OneTimeCode

log = logging.getLogger(__name__)

# How a message to a person is retried: a temporary failure of the gateway or the mail server is
# tried again with backoff (5 s, 10 s, ... at most 2 min), five times; a permanent one is not.
DELIVERY_RETRY = {
    "autoretry_for": (TemporaryDeliveryError, ConnectionError, TimeoutError),
    "retry_backoff": 5,
    "retry_backoff_max": 120,
    "retry_jitter": False,
    "max_retries": 5,
}


@shared_task(bind=True, **DELIVERY_RETRY)
def deliver_one_time_code(self, code_id: int, code: str, language: str = "ar") -> str:
    """Send a code by its channel and record the delivery status (never the code itself)."""
    from .services import code_message

    otp = OneTimeCode.objects.select_related("user").filter(pk=code_id).first()
    if otp is None:
        return "missing"
    last_try = self.request.retries >= self.max_retries
    with translation.override(language):
        body = code_message(purpose=otp.purpose, code=code)
        try:
            if otp.channel == Channel.SMS:
                from . import sms

                sms.send_sms(otp.sent_to, body)
            else:
                subject = _("Your one-time code — Social Security e-services")
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [otp.sent_to])
        except Exception as exc:
            temporary = is_temporary_failure(exc)
            if temporary is None:
                raise  # a programming error: let it show
            log.warning(
                "code %s not delivered (%s): %s",
                code_id,
                "temporary" if temporary else "permanent",
                exc,
            )
            if not temporary or last_try:
                _mark(otp, OneTimeCode.Delivery.FAILED, str(exc))
                return "failed"
            raise TemporaryDeliveryError(str(exc)) from exc
    _mark(otp, OneTimeCode.Delivery.SENT, "")
    return "sent"


def is_temporary_failure(exc: Exception) -> bool | None:
    """True for a failure worth retrying, False for a permanent one, None for a bug."""
    if isinstance(exc, TemporaryDeliveryError):
        return True
    if isinstance(exc, DeliveryError):
        return False
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return any(400 <= code < 500 for code, _msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, OSError | smtplib.SMTPException):
        return True  # connection refused, timeout, server went away
    return None


def _mark(otp: OneTimeCode, status: str, error: str) -> None:
    OneTimeCode.objects.filter(pk=otp.pk).update(delivery_status=status, delivery_error=error[:300])
