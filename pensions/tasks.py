"""Scheduled work: the monthly pension payroll (beat: "pension-payroll", the 25th at 03:00)."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task

log = logging.getLogger(__name__)

# One call pays for at most this long, then queues the rest as a new task (the month's run
# continues where it stopped), well inside the task's time limits.
TIME_BUDGET_SECONDS = 240


@shared_task(bind=True, acks_late=True, soft_time_limit=540, time_limit=600, max_retries=None)
def run_pension_payroll(self, month: str | None = None) -> str:
    """Pay every active pension for ``month`` (ISO date of any day of it; default this month).
    Idempotent: a month already paid is left as it is; a run that stopped is continued."""
    from .payroll import run_payroll

    result = run_payroll(
        dt.date.fromisoformat(month) if month else None, time_budget=TIME_BUDGET_SECONDS
    )
    log.info(
        "pension payroll %s: %s pensions in %s batches%s",
        result.month.isoformat(),
        result.paid_now,
        result.batches_now,
        "" if result.completed else ", continuing",
    )
    if not result.completed:
        run_pension_payroll.apply_async(args=[result.month.isoformat()])
        return "continuing"
    return "completed"
