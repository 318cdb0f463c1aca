"""Celery tasks of the household app: thin, they load by id and call services or backends."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.utils import translation

from accounts.exceptions import TemporaryDeliveryError
from accounts.tasks import DELIVERY_RETRY

log = logging.getLogger(__name__)


@shared_task(bind=True, **DELIVERY_RETRY)
def deliver_temporary_password(self, user_id: int, language: str = "ar") -> str:
    """Make a temporary password for the account and send it to its mobile. The password exists
    in clear only here, between its making and the SMS: never in the task's arguments (the
    broker), the database or a log."""
    from accounts import sms
    from accounts.tasks import is_temporary_failure

    from .signup import issue_temporary_password, temporary_password_message

    issued = issue_temporary_password(user_id)
    if issued is None:
        return "not needed"
    user, password = issued
    if not user.phone:
        return "missing"
    with translation.override(language):
        body = temporary_password_message(password)
    try:
        sms.send_sms(str(user.phone), body)
    except Exception as exc:
        temporary = is_temporary_failure(exc)
        if temporary is None:
            raise
        log.warning("temporary password for user %s not delivered: %s", user_id, exc)
        if not temporary or self.request.retries >= self.max_retries:
            return "failed"
        raise TemporaryDeliveryError(str(exc)) from exc  # a retry makes a new one
    return "sent"


@shared_task
def pay_household_pensions(today: str | None = None) -> int:
    """The monthly run (celery beat, the 1st at 04:00): each active pension is paid once for each
    month due up to this one. Safe to run again: a month already paid is left alone."""
    from .payouts import pay_due_pensions

    day = dt.date.fromisoformat(today) if today else None
    return pay_due_pensions(today=day)
