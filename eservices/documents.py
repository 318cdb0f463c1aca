"""Printable documents: rendered to PDF by WeasyPrint in a Celery task, each with a verification
code and a QR code that the public page /verify/<code>/ checks."""

from __future__ import annotations

import hashlib
from typing import Any

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Document, ServiceRequest


def document_issue(
    *,
    owner,
    kind: str,
    title: str,
    template: str,
    context: dict[str, Any],
    certifies: dict[str, str],
    request: ServiceRequest | None = None,
) -> Document:
    """Create a document and render it after the transaction commits.

    ``certifies`` is what the public verification page shows: only what the document certifies.
    ``context`` must be JSON-serialisable (it travels to the worker).
    """
    doc = Document.objects.create(
        owner=owner, kind=kind, title=title, certifies=certifies, request=request
    )
    from .tasks import render_document

    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(
        lambda: render_document.delay(doc.pk, template, context, language), robust=True
    )
    return doc


def verification_url(doc: Document) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("eservices:verify_code", args=[doc.code])


def qr_svg_data_uri(text: str) -> str:
    return segno.make(text, error="m").svg_data_uri(scale=3, border=2)


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """HTML → PDF with WeasyPrint; Arabic shaped by HarfBuzz, laid out right to left."""
    from weasyprint import HTML  # imported here: heavy, and only the worker needs it

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def document_render(doc: Document, template: str, context: dict[str, Any]) -> Document:
    ctx = {
        **context,
        "document": doc,
        "verify_url": verification_url(doc),
        "qr": qr_svg_data_uri(verification_url(doc)),
    }
    pdf = render_pdf(template, ctx)
    doc.sha256 = hashlib.sha256(pdf).hexdigest()
    doc.file.save(f"{doc.code}.pdf", ContentFile(pdf), save=False)
    doc.status = Document.Status.READY
    doc.save(update_fields=["file", "sha256", "status"])
    return doc
