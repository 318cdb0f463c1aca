"""Background work of the establishments app: checking submitted movement and wage files."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import translation

log = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, soft_time_limit=15 * 60, time_limit=16 * 60)
def validate_submission(self, submission_id: int, language: str = "ar") -> str:
    """Check a submitted file row by row (progress in ``rows_done``); FAILED if unreadable."""
    from .models import Submission
    from .submissions import submission_fail, submission_validate

    sub = (
        Submission.objects.select_related("establishment")
        .filter(pk=submission_id, status=Submission.Status.VALIDATING)
        .first()
    )
    if sub is None:
        return "skipped"
    with translation.override(language):
        try:
            sub = submission_validate(submission=sub)
        except Exception:
            log.exception("submission %s could not be checked", submission_id)
            submission_fail(
                submission_id=submission_id,
                reason=str(
                    translation.gettext(
                        "The file could not be read. Check that it follows the template."
                    )
                ),
            )
            return "failed"
    return sub.status


@shared_task
def expire_unconfirmed_submissions() -> dict[str, int]:
    """Daily: checked files never confirmed, checks that never ended, their staging rows."""
    from .submissions import expire_unconfirmed

    return expire_unconfirmed()
