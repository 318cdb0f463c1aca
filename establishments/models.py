"""Establishments and their liaison officers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords


class Establishment(models.Model):
    class Kind(models.TextChoices):
        PRIVATE = "private", _("Private sector")
        GOVERNMENT = "government", _("Government entity")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        CLOSED = "closed", _("Closed")

    insurance_number = models.CharField(
        _("establishment insurance number"), max_length=12, unique=True
    )
    government_code = models.CharField(
        _("government entity code"),
        max_length=12,
        blank=True,
    )
    kind = models.CharField(_("establishment type"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("establishment name"), max_length=200)
    owner_name = models.CharField(_("owner's name"), max_length=200, blank=True)
    registration_date = models.DateField(_("registration date"), null=True, blank=True)
    coverage_date = models.DateField(_("coverage date"))
    phone = PhoneNumberField(_("phone number"), blank=True)
    governorate = models.CharField(_("governorate"), max_length=64, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    main_activity = models.CharField(_("main activity"), max_length=200, blank=True)
    # Fields of the registration form (acc.register-establishment)
    coverage_type = models.CharField(_("coverage type"), max_length=40, blank=True)
    affiliation = models.CharField(_("affiliation"), max_length=40, blank=True)
    signatory_name = models.CharField(_("authorised signatory"), max_length=200, blank=True)
    district = models.CharField(_("district"), max_length=100, blank=True)
    street = models.CharField(_("street"), max_length=150, blank=True)
    building_number = models.CharField(_("building number"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    seized = models.BooleanField(_("under seizure"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("establishment")
        verbose_name_plural = _("establishments")
        constraints = [
            models.UniqueConstraint(
                fields=["government_code"],
                condition=~models.Q(government_code=""),
                name="establishment_government_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.insurance_number})"


class LiaisonOfficer(models.Model):
    """The person who uses the e-services for an establishment; signs in with its number."""

    establishment = models.OneToOneField(
        Establishment, on_delete=models.CASCADE, related_name="liaison_officer"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="liaison_officer"
    )
    name = models.CharField(_("liaison officer's name"), max_length=200)
    national_number = models.CharField(_("national number"), max_length=10)
    phone = PhoneNumberField(_("mobile phone"))
    email = models.EmailField(_("email"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("liaison officer")
        verbose_name_plural = _("liaison officers")

    def __str__(self) -> str:
        return f"{self.name} — {self.establishment.name}"


class EstablishmentOwner(models.Model):
    """An owner or partner, as the second step of the registration names them."""

    establishment = models.ForeignKey(
        Establishment, on_delete=models.CASCADE, related_name="owners"
    )
    name = models.CharField(_("name"), max_length=200)
    national_number = models.CharField(_("national or personal number"), max_length=12)
    nationality = models.CharField(_("nationality"), max_length=2, default="JO")
    share = models.DecimalField(
        _("share (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("owner or partner")
        verbose_name_plural = _("owners and partners")

    def __str__(self) -> str:
        return self.name


def application_document_path(instance, filename: str) -> str:
    import uuid

    return f"private/establishment-applications/{instance.token}/{uuid.uuid4().hex}"


class EstablishmentApplication(models.Model):
    """An application to cover an establishment (شمول منشأة): the three-step wizard, saved as it goes
    (resumed with its token), then decided by staff, who issue the insurance number."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    token = models.CharField(max_length=40, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    step = models.PositiveSmallIntegerField(_("last step saved"), default=0)
    data = models.JSONField(_("answers"), default=dict, blank=True)
    proof_document = models.FileField(
        upload_to=application_document_path, max_length=200, blank=True
    )
    proof_content_type = models.CharField(max_length=40, blank=True)
    reference = models.CharField(
        _("reference number"), max_length=24, unique=True, null=True, blank=True
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)
    establishment = models.OneToOneField(
        Establishment, on_delete=models.PROTECT, null=True, blank=True, related_name="application"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("establishment registration")
        verbose_name_plural = _("establishment registrations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(decision_reason=""),
                name="application_rejection_has_reasons",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"draft {self.pk}"


class Submission(models.Model):
    """A batch an establishment sends: coverage movements or wages, by form or by file.

    A file is validated row by row (a Celery task, with progress), then the officer confirms and
    every row is saved in one transaction. The same file sent twice is refused (its hash)."""

    class Kind(models.TextChoices):
        START_MOVEMENTS = "start", _("Coverage-start movements")
        STOP_MOVEMENTS = "stop", _("Coverage-stop movements")
        JANUARY_WAGES = "january", _("January wages")
        MONTHLY_WAGES = "monthly", _("Monthly wages")
        PREV_YEARS_WAGES = "prev_wages", _("Previous years: stops and wages")
        PREV_YEARS_MOVEMENTS = "prev_movements", _("Previous years: start movements")

    class Status(models.TextChoices):
        VALIDATING = "validating", _("Being checked")
        VALIDATED = "validated", _("Checked: waiting for confirmation")
        INVALID = "invalid", _("Has errors")
        CONFIRMED = "confirmed", _("Saved")
        FAILED = "failed", _("Could not be processed")

    establishment = models.ForeignKey(
        Establishment, on_delete=models.PROTECT, related_name="submissions"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    period = models.DateField(_("month or year"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.VALIDATING
    )
    file = models.FileField(upload_to="private/submissions/", max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    rows_with_errors = models.PositiveIntegerField(_("rows with errors"), default=0)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    errors_file = models.FileField(upload_to="private/submissions/", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("saved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "kind", "sha256"],
                condition=~models.Q(sha256="") & ~models.Q(status__in=["invalid", "failed"]),
                name="submission_same_file_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"


class Movement(models.Model):
    """A coverage-start or coverage-stop movement of one employee."""

    class Kind(models.TextChoices):
        START = "start", _("Coverage start")
        STOP = "stop", _("Coverage stop")

    establishment = models.ForeignKey(
        Establishment, on_delete=models.PROTECT, related_name="movements"
    )
    individual = models.ForeignKey(
        "individuals.Individual", on_delete=models.PROTECT, related_name="movements"
    )
    kind = models.CharField(_("movement"), max_length=8, choices=Kind.choices)
    date = models.DateField(_("date"))
    wage = models.DecimalField(
        _("monthly wage (JD)"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    stop_reason = models.CharField(_("reason for the stop"), max_length=40, blank=True)
    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, null=True, blank=True, related_name="movements"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("coverage movement")
        verbose_name_plural = _("coverage movements")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["establishment", "-date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "individual", "kind", "date"],
                name="movement_once",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="start") | models.Q(wage__gt=0),
                name="start_movement_has_wage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.individual} {self.date}"


class SubmissionRow(models.Model):
    """One row of a submitted file, as sent and as checked: the staging table between the check
    and the confirmation (see ``submissions.py``).

    Rows are loaded in bulk (PostgreSQL's COPY) and read back with set-based SQL; they are deleted
    when the submission is saved, or when a file with errors is superseded. They can always be
    made again from the file, so on PostgreSQL the table is UNLOGGED (no write-ahead log: a crash
    empties it, and a checked file is then sent again). For the same reason the link to the
    submission has no database constraint: a trigger per loaded row would cost more than the load
    (Django still deletes the rows with their submission)."""

    pk = models.CompositePrimaryKey("submission_id", "line")
    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="rows",
        db_constraint=False,
        db_index=False,  # the primary key (submission, line) serves
    )
    line = models.PositiveIntegerField(_("line"))
    # The cells as sent (for the file with an error column).
    national_number = models.TextField(blank=True)
    date_text = models.TextField(blank=True)
    wage_text = models.TextField(blank=True)
    reason_text = models.TextField(blank=True)
    # The values as read.
    nn = models.TextField(blank=True)
    date = models.DateField(null=True, blank=True)
    wage = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    reason = models.CharField(max_length=40, blank=True)
    # What the checks found.
    individual_id = models.BigIntegerField(null=True, blank=True)
    period_id = models.BigIntegerField(null=True, blank=True)
    errors = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("row of a submitted file")
        verbose_name_plural = _("rows of submitted files")

    def __str__(self) -> str:
        return f"{self.submission_id}:{self.line}"


from .programmes.models import *  # noqa: E402,F401,F403
