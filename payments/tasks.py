"""Scheduled work of the money side (names as in CELERY_BEAT_SCHEDULE). Each is idempotent."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone


def _previous_month(today: dt.date) -> dt.date:
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


@shared_task(acks_late=True, soft_time_limit=50 * 60, time_limit=55 * 60)
def bill_previous_month(month: str | None = None) -> dict:
    """Contributions of last month (or ``month``, YYYY-MM-01) for every account."""
    from .billing import bill_month
    from .subscriptions.services import apply_annual_increases

    on = dt.date.fromisoformat(month) if month else _previous_month(timezone.localdate())
    if on.month == 1:  # subscribers' chosen annual increase takes effect from January
        apply_annual_increases(on)
    return bill_month(on)


@shared_task(acks_late=True, soft_time_limit=50 * 60, time_limit=55 * 60)
def post_late_penalties(day: str | None = None) -> dict:
    """Late-payment penalties due on ``day`` (default today)."""
    from .billing import post_penalties

    on = dt.date.fromisoformat(day) if day else timezone.localdate()
    return post_penalties(on)


@shared_task(acks_late=True, soft_time_limit=20 * 60, time_limit=25 * 60)
def reconcile_yesterday(day: str | None = None) -> dict:
    """The network's settlement file of yesterday (or ``day``) against the payments recorded."""
    from .reconciliation import reconcile_day

    on = dt.date.fromisoformat(day) if day else timezone.localdate() - dt.timedelta(days=1)
    return reconcile_day(on)
