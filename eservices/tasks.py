from __future__ import annotations

import logging

from celery import shared_task
from django.utils import translation

log = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=3, retry_backoff=10, acks_late=True)
def render_document(self, document_id: int, template: str, context: dict, language: str = "ar"):
    from .documents import document_render
    from .models import Document

    doc = Document.objects.filter(pk=document_id).first()
    if doc is None or doc.status == Document.Status.READY:
        return "skipped"
    try:
        with translation.override(language):
            document_render(doc, template, context)
    except Exception as exc:
        log.exception("document %s could not be rendered", document_id)
        if self.request.retries >= self.max_retries:
            Document.objects.filter(pk=document_id).update(status=Document.Status.FAILED)
            return "failed"
        raise self.retry(exc=exc) from exc
    return "ready"


@shared_task(
    bind=True,
    autoretry_for=(),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=5,
    acks_late=True,
)
def send_notification(self, notification_id: int) -> str:
    from django.conf import settings
    from django.core.mail import send_mail
    from django.utils import timezone

    from accounts import sms
    from accounts.exceptions import TemporaryDeliveryError
    from accounts.tasks import is_temporary_failure

    from .models import Notification

    note = Notification.objects.filter(pk=notification_id).first()
    if note is None or note.status in (Notification.Status.SENT, Notification.Status.DELIVERED):
        return "skipped"
    try:
        provider_id = ""
        if note.channel == "sms":
            provider_id = sms.send_sms(note.sent_to, note.body)
        else:
            send_mail(note.title, note.body, settings.DEFAULT_FROM_EMAIL, [note.sent_to])
    except Exception as exc:
        temporary = is_temporary_failure(exc)
        if temporary is None:
            raise
        last_try = self.request.retries >= self.max_retries
        if not temporary or last_try:
            Notification.objects.filter(pk=note.pk).update(
                status=Notification.Status.FAILED, error=str(exc)[:300]
            )
            return "failed"
        raise self.retry(exc=TemporaryDeliveryError(str(exc))) from exc
    Notification.objects.filter(pk=note.pk).update(
        status=Notification.Status.SENT, sent_at=timezone.now(), error="", provider_id=provider_id
    )
    return "sent"
