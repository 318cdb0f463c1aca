"""Household social security: accounts' profiles, declared income, pensions and their monthly
payments, data updates, and the local registers that the identity and bank checks use."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from eservices.models import ServiceRequest

from .banks import BANK_CHOICES
from .choices import BreadwinnerRelation, Education, Employment, Region
from .entitlement import INCOME_CHOICES


class IdentityRecord(models.Model):
    """A person as the register of persons knows them (the default identity backend)."""

    number = models.CharField(_("ID or iqama number"), max_length=10, unique=True)
    name_ar = models.CharField(_("name in Arabic"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    birth_date = models.DateField(_("birth date"))

    class Meta:
        verbose_name = _("register of persons record")
        verbose_name_plural = _("register of persons records")

    def __str__(self) -> str:
        return f"{self.number} {self.name_ar}"


class BankAccountRecord(models.Model):
    """A bank account as the bank confirms it (the default bank-verification backend)."""

    iban = models.CharField(_("IBAN"), max_length=24, unique=True)
    bank = models.CharField(_("bank"), max_length=2, choices=BANK_CHOICES[1:])
    holder_id_number = models.CharField(_("holder's ID or iqama number"), max_length=10)
    holder_name = models.CharField(_("holder's name"), max_length=200, blank=True)
    is_active = models.BooleanField(_("open"), default=True)

    class Meta:
        verbose_name = _("bank account record")
        verbose_name_plural = _("bank account records")

    def __str__(self) -> str:
        return self.iban


# The national address's fields of a profile, in the order the forms ask for them.
ADDRESS_FIELDS = (
    "region",
    "city",
    "district",
    "street",
    "building_number",
    "postal_code",
    "additional_number",
)


class Profile(models.Model):
    """A household account's profile: the five stages of the source, then the terms.

    ``stage`` is the next stage to fill (so the profile resumes there); 6 is the terms, 7 done.
    """

    class Stage(models.IntegerChoices):
        ADDRESS = 1, _("Address and contact")
        JOB = 2, _("Job")
        BANK = 3, _("Bank account")
        INCOME = 4, _("Income")
        EDUCATION = 5, _("Education")
        TERMS = 6, _("Terms")
        DONE = 7, _("Complete")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="household_profile"
    )
    birth_date = models.DateField(_("birth date"))
    must_change_password = models.BooleanField(
        _("must change the temporary password"), default=True
    )
    temporary_password_sent_at = models.DateTimeField(
        _("temporary password sent at"), null=True, blank=True
    )
    stage = models.PositiveSmallIntegerField(
        _("next stage"), choices=Stage.choices, default=Stage.ADDRESS
    )
    # 1. Address and contact (the national address)
    region = models.CharField(_("region"), max_length=12, choices=Region.choices, blank=True)
    city = models.CharField(_("city"), max_length=80, blank=True)
    district = models.CharField(_("district"), max_length=80, blank=True)
    street = models.CharField(_("street"), max_length=120, blank=True)
    building_number = models.CharField(_("building number"), max_length=4, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    additional_number = models.CharField(_("additional number"), max_length=4, blank=True)
    mobile_confirmed_at = models.DateTimeField(
        _("mobile number confirmed at"), null=True, blank=True
    )
    # 2. Job
    employment = models.CharField(
        _("work status"), max_length=16, choices=Employment.choices, blank=True
    )
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    # 3. Bank account
    iban = models.CharField(_("IBAN"), max_length=24, blank=True)
    bank = models.CharField(_("bank"), max_length=2, choices=BANK_CHOICES[1:], blank=True)
    bank_verified_at = models.DateTimeField(_("account confirmed at"), null=True, blank=True)
    # 4. Income (the sources are IncomeSource rows)
    has_income = models.BooleanField(_("has income"), null=True, blank=True)
    # 5. Education
    education = models.CharField(
        _("education"), max_length=16, choices=Education.choices, blank=True
    )
    specialization = models.CharField(_("specialisation"), max_length=120, blank=True)
    terms_accepted_at = models.DateTimeField(_("terms accepted at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("profile completed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("household profile")
        verbose_name_plural = _("household profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(stage__gte=1, stage__lte=7), name="hh_profile_stage_range"
            ),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | Q(terms_accepted_at__isnull=False),
                name="hh_profile_complete_has_terms",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class IncomeSource(models.Model):
    """One source of the household's monthly income, as declared (one row a kind)."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="incomes")
    kind = models.CharField(_("kind of income"), max_length=20, choices=INCOME_CHOICES)
    monthly_amount = models.DecimalField(_("monthly amount (SAR)"), max_digits=10, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("income source")
        verbose_name_plural = _("income sources")
        ordering = ["profile", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "kind"], name="hh_income_once_per_kind"),
            models.CheckConstraint(condition=Q(monthly_amount__gt=0), name="hh_income_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.monthly_amount}"


class Pension(models.Model):
    """An accepted application: paid on the 1st of each month from ``first_month``."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Being paid")
        STOPPED = "stopped", _("Stopped")

    request = models.OneToOneField(
        ServiceRequest,
        on_delete=models.PROTECT,
        related_name="household_pension",
        verbose_name=_("application"),
    )
    beneficiary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="household_pensions",
        verbose_name=_("beneficiary"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE
    )
    accepted_on = models.DateField(_("accepted on"))
    first_month = models.DateField(_("first month paid"))
    spouses = models.PositiveSmallIntegerField(_("spouses in the household"), default=0)
    children = models.PositiveSmallIntegerField(_("sons and daughters in the household"), default=0)
    others = models.PositiveSmallIntegerField(_("other members in the household"), default=0)
    iban = models.CharField(_("IBAN the pension is paid into"), max_length=24)
    bank = models.CharField(_("bank"), max_length=2, choices=BANK_CHOICES[1:])
    breadwinner_id_number = models.CharField(_("breadwinner's ID or iqama number"), max_length=10)
    breadwinner_name = models.CharField(_("breadwinner's name"), max_length=200, blank=True)
    breadwinner_relation = models.CharField(
        _("breadwinner's relation to the family"),
        max_length=10,
        choices=BreadwinnerRelation.choices,
        blank=True,
    )
    breadwinner_since = models.DateField(_("breadwinner since"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("household pension")
        verbose_name_plural = _("household pensions")
        ordering = ["-accepted_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary"],
                condition=Q(status="active"),
                name="hh_one_active_pension",
            ),
            models.CheckConstraint(
                condition=Q(first_month__day=1), name="hh_pension_first_month_is_first_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary} — {self.request}"

    @property
    def member_count(self) -> int:
        return self.spouses + self.children + self.others


class Payment(models.Model):
    """The pension of one month: made once, on the 1st (``month`` is that first day)."""

    class Status(models.TextChoices):
        PAID = "paid", _("Paid")
        NONE_DUE = "none_due", _("Nothing due")

    pension = models.ForeignKey(
        Pension, on_delete=models.PROTECT, related_name="payments", verbose_name=_("pension")
    )
    month = models.DateField(_("month"))
    amount = models.DecimalField(_("amount (SAR)"), max_digits=10, decimal_places=2)
    iban = models.CharField(_("IBAN"), max_length=24, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    working = models.JSONField(_("how the amount was reached"), default=dict, blank=True)
    created_at = models.DateTimeField(_("made at"), default=timezone.now)

    class Meta:
        verbose_name = _("household pension payment")
        verbose_name_plural = _("household pension payments")
        ordering = ["pension", "month"]
        constraints = [
            models.UniqueConstraint(fields=["pension", "month"], name="hh_payment_once_a_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="hh_payment_month_first_day"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="hh_payment_not_negative"),
            models.CheckConstraint(
                condition=Q(status="none_due", amount=0) | Q(status="paid", amount__gt=0),
                name="hh_payment_status_matches_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pension_id} {self.month:%Y-%m} {self.amount}"


class ProfileUpdate(models.Model):
    """hh.update: the changes a person makes, kept until the code sent to the mobile confirms
    them; then applied all at once."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Not confirmed yet")
        CONFIRMED = "confirmed", _("Confirmed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="household_updates"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    data = models.JSONField(_("changes"), default=dict, blank=True)
    code_sent_to = models.CharField(_("code sent to"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    income_changed = models.BooleanField(_("income changed"), default=False)
    effective_month = models.DateField(_("first payment with the change"), null=True, blank=True)

    class Meta:
        verbose_name = _("data update")
        verbose_name_plural = _("data updates")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="draft"), name="hh_one_open_update"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"


class Application(ServiceRequest):
    """The applications for the household pension (hh.apply), for the staff review queue."""

    class Meta:
        proxy = True
        verbose_name = _("household pension application")
        verbose_name_plural = _("household pension applications (review queue)")
