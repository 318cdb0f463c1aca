"""Money paid to people: benefit payments that approvals create (contributions come later)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BenefitPayment(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        PAID = "paid", _("Paid")
        STOPPED = "stopped", _("Stopped")

    request = models.ForeignKey(
        "eservices.ServiceRequest", on_delete=models.PROTECT, related_name="payments"
    )
    beneficiary = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="benefit_payments"
    )
    service_code = models.CharField(_("service"), max_length=60)
    amount = models.DecimalField(_("amount (JD)"), max_digits=12, decimal_places=3)
    iban = models.CharField(_("IBAN"), max_length=34)
    due_date = models.DateField(_("due date"))
    sequence = models.PositiveSmallIntegerField(_("payment number"), default=1)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("benefit payment")
        verbose_name_plural = _("benefit payments")
        ordering = ["due_date"]
        constraints = [
            models.UniqueConstraint(fields=["request", "sequence"], name="payment_once_per_step"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.service_code} {self.amount} {self.due_date}"
