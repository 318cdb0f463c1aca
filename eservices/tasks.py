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
