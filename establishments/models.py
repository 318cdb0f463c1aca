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
