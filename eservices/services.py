"""The one request lifecycle every request service shares.

draft ──submit──▶ submitted ──review──▶ under review ──▶ approved | rejected (with reasons)
  └────────── cancelled by the applicant while undecided ──────────┘

Every transition locks the request row, checks the state it starts from, records an event and
tells the applicant. A decided request cannot change again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.exceptions import ServiceError

from .declarations import RequestService, get_request_service
from .documents import document_issue
from .models import Attachment, Document, RequestEvent, ServiceRequest
from .notifications import notify

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
S = ServiceRequest.Status


class TransitionError(ServiceError):
    default_message = gettext_lazy("This request can no longer be changed.")


# --- answers -------------------------------------------------------------------------------


def to_json(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def answers_from_form(form) -> dict[str, Any]:
    return {name: to_json(value) for name, value in form.cleaned_data.items()}


def answers_as_rows(
    spec: RequestService, data: dict[str, Any], user=None
) -> list[tuple[str, str, str]]:
    """(field name, label, shown value) for the check-your-answers page and the receipt."""
    form = spec.make_form(user=user)
    rows = []
    for name, field in form.fields.items():
        value = data.get(name, "")
        choices = dict(getattr(field, "choices", []) or [])
        shown = choices.get(value, value) if choices else value
        if isinstance(shown, bool):
            shown = _("Yes") if shown else _("No")
        rows.append((name, str(field.label), str(shown) if shown not in (None, "") else "—"))
    return rows


def _event(req: ServiceRequest, *, actor, kind: str, action: str, before: str, note: str = ""):
    RequestEvent.objects.create(
        request=req,
        actor=actor,
        actor_kind=kind,
        action=action,
        from_status=before,
        to_status=req.status,
        note=note,
    )


def _locked(req: ServiceRequest) -> ServiceRequest:
    return ServiceRequest.objects.select_for_update().get(pk=req.pk)


# --- applicant ------------------------------------------------------------------------------


def request_draft(*, user, spec: RequestService) -> ServiceRequest:
    """The applicant's open draft of this service, or a new one (save and resume)."""
    reasons = spec.eligibility(user, timezone.localdate())
    if reasons:
        raise ServiceError(reasons[0])
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        draft = ServiceRequest.objects.filter(
            applicant=user, service_code=spec.code, status=S.DRAFT
        ).first()
        if draft:
            return draft
        req = ServiceRequest.objects.create(applicant=user, service_code=spec.code)
        _event(req, actor=user, kind="applicant", action="created", before="")
    return req


def request_save(*, req: ServiceRequest, user, data: dict[str, Any]) -> ServiceRequest:
    with transaction.atomic():
        req = _locked(req)
        if req.status != S.DRAFT or req.applicant_id != user.pk:
            raise TransitionError()
        req.data = data
        req.submit_token = uuid.uuid4()
        req.save(update_fields=["data", "submit_token", "updated_at"])
    return req


def sniff(head: bytes) -> str | None:
    return next((ctype for magic, ctype in MAGIC if head.startswith(magic)), None)


def check_document_upload(upload: UploadedFile, *, field: str) -> str:
    """The content type of an uploaded document: PDF, JPEG or PNG by its content (not its name),
    at most 5 MB, a picture that opens. Errors name ``field``."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ServiceError(_("The file is larger than 5 MB."), field=field)
    upload.seek(0)
    ctype = sniff(upload.read(16))
    if ctype is None:
        raise ServiceError(
            _("The file is not a PDF, JPEG or PNG document (its content was checked)."),
            field=field,
        )
    if ctype != "application/pdf":
        from PIL import Image

        try:
            upload.seek(0)
            Image.open(upload).verify()
        except Exception as exc:
            raise ServiceError(_("The picture is damaged or incomplete."), field=field) from exc
    upload.seek(0)
    return ctype


def request_attach(
    *, req: ServiceRequest, user, document_type: str, upload: UploadedFile
) -> Attachment:
    """Keep an uploaded document: PDF, JPEG or PNG by its content (not its name), at most 5 MB."""
    spec = get_request_service(req.service_code)
    if document_type not in {d.key for d in spec.documents}:
        raise ServiceError(_("Choose which document this is."), field="document_type")
    ctype = check_document_upload(upload, field="file")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        req = _locked(req)
        if req.status != S.DRAFT or req.applicant_id != user.pk:
            raise TransitionError()
        att = Attachment(
            request=req,
            document_type=document_type,
            original_name=(upload.name or "file")[:200],
            content_type=ctype,
            size=upload.size,
            sha256=digest.hexdigest(),
        )
        att.file.save("upload", upload, save=False)
        att.save()
        req.submit_token = uuid.uuid4()
        req.save(update_fields=["submit_token", "updated_at"])
    return att


def request_detach(*, req: ServiceRequest, user, attachment_id: int) -> None:
    with transaction.atomic():
        req = _locked(req)
        if req.status != S.DRAFT or req.applicant_id != user.pk:
            raise TransitionError()
        att = req.attachments.filter(pk=attachment_id).first()
        if att:
            att.file.delete(save=False)
            att.delete()


def request_evaluate(req: ServiceRequest):
    """Eligibility and amount for the answers as they stand (for check your answers)."""
    spec = get_request_service(req.service_code)
    reasons = list(spec.eligibility(req.applicant, timezone.localdate()))
    figure = spec.compute(req.applicant, req.data) if spec.compute and req.data else None
    if figure is not None and not figure.payable:
        reasons += list(figure.reasons)
    missing = [
        str(d.label)
        for d in spec.documents
        if d.required and not req.attachments.filter(document_type=d.key).exists()
    ]
    return reasons, figure, missing


def request_submit(*, req: ServiceRequest, user, token: uuid.UUID | str) -> ServiceRequest:
    """Send the request. A second click with the same token returns the same request."""
    spec = get_request_service(req.service_code)
    with transaction.atomic():
        req = _locked(req)
        if req.applicant_id != user.pk:
            raise TransitionError()
        if req.status != S.DRAFT:
            if str(req.submit_token) == str(token):
                return req  # the same submission again (double click, refresh)
            raise TransitionError()
        if str(req.submit_token) != str(token):
            raise ServiceError(_("Your answers changed meanwhile: check them and send again."))
        form = spec.make_form(user=req.applicant, data=req.data)
        if not form.is_valid():
            raise ServiceError(_("Some answers are missing or not valid: correct them first."))
        reasons, figure, missing = request_evaluate(req)
        if missing:
            raise ServiceError(
                _("Attach the required documents: %(d)s") % {"d": "، ".join(missing)}
            )
        if reasons:
            raise ServiceError(reasons[0])
        if figure is not None:
            req.amount = figure.amount
            req.working = figure.working.as_json()
        now = timezone.now()
        req.status = S.SUBMITTED
        req.submitted_at = now
        req.reference = f"{spec.reference_prefix}-{now:%Y}-{req.pk:06d}"
        req.save()
        _event(req, actor=user, kind="applicant", action="submitted", before=S.DRAFT)
        _receipt(req, spec)
        notify(
            user=user,
            request=req,
            title=_("Request %(ref)s received") % {"ref": req.reference},
            body=_("We received your request %(ref)s. We will tell you of the decision.")
            % {"ref": req.reference},
        )
    return req


def _receipt(req: ServiceRequest, spec: RequestService) -> Document:
    rows = answers_as_rows(spec, req.data, req.applicant)
    return document_issue(
        owner=req.applicant,
        request=req,
        kind=Document.Kind.RECEIPT,
        title=_("Submission receipt: %(service)s") % {"service": spec.name},
        template="eservices/pdf/receipt.html",
        context={
            "service": str(spec.name),
            "reference": req.reference,
            "submitted_at": timezone.localtime(req.submitted_at).strftime("%Y-%m-%d %H:%M"),
            "applicant": req.applicant.get_full_name(),
            "identifier": req.applicant.id_number,
            "rows": [[label, value] for _n, label, value in rows],
            "amount": str(req.amount) if req.amount is not None else "",
            "working": req.working,
            "attachments": [a.original_name for a in req.attachments.all()],
            "decision_days": spec.days_to_decide,
        },
        certifies={
            _("Service"): str(spec.name),
            _("Reference number"): req.reference,
            _("Submitted at"): timezone.localtime(req.submitted_at).strftime("%Y-%m-%d"),
        },
    )


def request_cancel(*, req: ServiceRequest, user) -> ServiceRequest:
    with transaction.atomic():
        req = _locked(req)
        if req.applicant_id != user.pk or not req.can_cancel:
            raise TransitionError()
        before = req.status
        req.status = S.CANCELLED
        req.decided_at = timezone.now()
        req.save(update_fields=["status", "decided_at", "updated_at"])
        _event(req, actor=user, kind="applicant", action="cancelled", before=before)
        if before != S.DRAFT:
            notify(
                user=user,
                request=req,
                title=_("Request %(ref)s cancelled") % {"ref": req.reference},
                body=_("Your request %(ref)s was cancelled as you asked.") % {"ref": req.reference},
            )
    return req


# --- staff -----------------------------------------------------------------------------------


def request_review_start(*, req: ServiceRequest, staff) -> ServiceRequest:
    with transaction.atomic():
        req = _locked(req)
        if req.status != S.SUBMITTED:
            raise TransitionError()
        req.status = S.UNDER_REVIEW
        req.save(update_fields=["status", "updated_at"])
        _event(req, actor=staff, kind="staff", action="review_started", before=S.SUBMITTED)
        _log_access(req, staff, "changed")
        notify(
            user=req.applicant,
            request=req,
            title=_("Request %(ref)s under review") % {"ref": req.reference},
            body=_("Your request %(ref)s is now under review.") % {"ref": req.reference},
        )
    return req


def request_approve(*, req: ServiceRequest, staff, note: str = "") -> ServiceRequest:
    spec = get_request_service(req.service_code)
    with transaction.atomic():
        req = _locked(req)
        if req.status not in ServiceRequest.OPEN:
            raise TransitionError()
        before = req.status
        req.status = S.APPROVED
        req.decided_at = timezone.now()
        req.decided_by = staff
        req.decision_reason = note.strip()
        req.save()
        if spec.on_approve:
            spec.on_approve(req)
        _event(req, actor=staff, kind="staff", action="approved", before=before, note=note)
        _log_access(req, staff, "decided")
        body = _("Your request %(ref)s was approved.") % {"ref": req.reference}
        if req.amount is not None:
            body = _("Your request %(ref)s was approved: %(amount)s %(currency)s.") % {
                "ref": req.reference,
                "amount": req.amount,
                "currency": spec.currency_label,
            }
        notify(
            user=req.applicant,
            request=req,
            title=_("Request %(ref)s approved") % {"ref": req.reference},
            body=body,
        )
    return req


def request_reject(*, req: ServiceRequest, staff, reason: str) -> ServiceRequest:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Write the reasons for the rejection."), field="reason")
    with transaction.atomic():
        req = _locked(req)
        if req.status not in ServiceRequest.OPEN:
            raise TransitionError()
        before = req.status
        req.status = S.REJECTED
        req.decided_at = timezone.now()
        req.decided_by = staff
        req.decision_reason = reason
        req.save()
        _event(req, actor=staff, kind="staff", action="rejected", before=before, note=reason)
        _log_access(req, staff, "decided")
        notify(
            user=req.applicant,
            request=req,
            title=_("Request %(ref)s rejected") % {"ref": req.reference},
            body=_("Your request %(ref)s was rejected. The reasons are in your inbox.")
            % {"ref": req.reference},
            detail=_("Reasons: %(reason)s") % {"reason": reason},
        )
    return req


def _log_access(req: ServiceRequest, staff, action: str) -> None:
    from .access import access_log

    access_log(subject=req.applicant, staff=staff, service=req.service_code, action=action)
