"""The e-service engine's data: effective-dated rules, requests and their history, attachments,
notifications, printable documents, and the log of staff access to a person's file."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Rule(models.Model):
    """One row of the rule table: a value in force from a date until the next row of its key.

    Rows are added, never edited once in force: the admin refuses to change the past.
    """

    key = models.CharField(_("rule"), max_length=80)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    effective_from = models.DateField(_("in force from"))
    description_ar = models.CharField(_("description in Arabic"), max_length=300)
    description_en = models.CharField(_("description in English"), max_length=300)
    source = models.CharField(_("source"), max_length=120, blank=True)
    is_default = models.BooleanField(
        _("provisional default"),
        default=False,
        help_text=_("No legal source was found: the figure is shown to users as provisional."),
    )
    created_at = models.DateTimeField(_("added at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("added by"),
    )

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ["key", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "effective_from"], name="rule_key_date_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key} = {self.value.normalize()} ({self.effective_from})"

    @property
    def description(self) -> str:
        from django.utils.translation import get_language

        return (
            self.description_ar
            if (get_language() or "ar").startswith("ar")
            else self.description_en
        )


class ServiceRequest(models.Model):
    """A submission of a request-type service, through one lifecycle for every service."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN = (Status.SUBMITTED, Status.UNDER_REVIEW)
    DECIDED = (Status.APPROVED, Status.REJECTED, Status.CANCELLED)

    service_code = models.CharField(_("service"), max_length=60, db_index=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="service_requests",
        verbose_name=_("applicant"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    reference = models.CharField(
        _("reference number"), max_length=24, unique=True, null=True, blank=True
    )
    data = models.JSONField(_("answers"), default=dict, blank=True)
    amount = models.DecimalField(
        _("amount (JD)"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    working = models.JSONField(_("how the amount was reached"), default=dict, blank=True)
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last saved at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)
    submit_token = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["applicant", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_reason=""),
                name="request_rejection_has_reasons",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(reference__isnull=False),
                name="request_submitted_has_reference",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"{self.service_code} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def can_cancel(self) -> bool:
        return self.status in (self.Status.DRAFT, *self.OPEN)


class RequestEvent(models.Model):
    """The history of a request: who did what and when."""

    class Actor(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        STAFF = "staff", _("Staff")
        SYSTEM = "system", _("System")

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_kind = models.CharField(_("by"), max_length=12, choices=Actor.choices)
    action = models.CharField(_("action"), max_length=40)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request} {self.action} {self.at:%Y-%m-%d %H:%M}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Never the uploaded name: a random one, under the request, outside static files.
    ext = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[instance.content_type]
    return f"private/requests/{instance.request_id}/{uuid.uuid4().hex}.{ext}"


class Attachment(models.Model):
    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    document_type = models.CharField(_("document"), max_length=40)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Notification(models.Model):
    """A message to a user: always in the portal inbox, and by SMS or email."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    request = models.ForeignKey(
        ServiceRequest,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    channel = models.CharField(_("channel"), max_length=8)
    sent_to = models.CharField(_("sent to"), max_length=254, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    segments = models.PositiveSmallIntegerField(_("SMS segments"), default=0)
    status = models.CharField(
        _("delivery status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    error = models.CharField(_("delivery error"), max_length=300, blank=True)
    provider_id = models.CharField(
        _("gateway message id"), max_length=64, blank=True, db_index=True
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return self.title


def verification_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
    return "".join(secrets.choice(alphabet) for _ in range(12))


class Document(models.Model):
    """A printable PDF: a receipt, a statement, a letter. Each carries a verification code."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Submission receipt")
        DECISION = "decision", _("Decision notice")
        STATEMENT = "statement", _("Statement")
        LETTER = "letter", _("Letter")

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("document"), max_length=16, choices=Kind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="documents"
    )
    request = models.ForeignKey(
        ServiceRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    code = models.CharField(
        _("verification code"), max_length=16, unique=True, default=verification_code
    )
    certifies = models.JSONField(_("what it certifies"), default=dict)
    file = models.FileField(upload_to="private/documents/", max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("issued at"), default=timezone.now)
    verified_count = models.PositiveIntegerField(_("times verified"), default=0)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"


class AccessLogEntry(models.Model):
    """Staff reading or changing a person's record; the person sees it (not the staff name)."""

    class Action(models.TextChoices):
        VIEWED = "viewed", _("Viewed")
        CHANGED = "changed", _("Changed")
        DECIDED = "decided", _("Decided")

    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_log"
    )
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    service = models.CharField(_("record"), max_length=80)
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("access to a person's file")
        verbose_name_plural = _("access to people's files")
        ordering = ["-at"]
        indexes = [models.Index(fields=["subject", "-at"])]

    def __str__(self) -> str:
        return f"{self.subject} {self.action} {self.at:%Y-%m-%d}"
