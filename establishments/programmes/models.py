"""What the establishment programmes leave on the record when staff approve them.

Defense-order programmes (edef.*), Hafez trainees and the entrepreneurial benefit: one
``ProgrammeLine`` per worker and month, with its amount and the payment that pays it, so that a
recall stops exactly those months. Nursery care: the accredited ``Nursery`` and each
``NurseryChild``. Ri'aya (the King Hussein Cancer Foundation insurance): ``RiayaSubscription``.
Hafez accreditation and the entrepreneurial status: ``ProgrammeEnrolment``. Waived contributions
are ``payments.ContributionRelief`` rows (billing applies them); money paid is
``payments.BenefitPayment``."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["Nursery", "NurseryChild", "ProgrammeEnrolment", "ProgrammeLine", "RiayaSubscription"]


class ProgrammeEnrolment(models.Model):
    """An establishment admitted to a programme (Hafez accreditation, entrepreneurial status)."""

    class Programme(models.TextChoices):
        HAFEZ = "hafez", _("Hafez programme")
        STARTUP = "startup", _("Entrepreneurial establishment")

    establishment = models.ForeignKey(
        "establishments.Establishment",
        on_delete=models.PROTECT,
        related_name="programme_enrolments",
        verbose_name=_("establishment"),
    )
    programme = models.CharField(_("programme"), max_length=16, choices=Programme.choices)
    request = models.OneToOneField(
        "eservices.ServiceRequest",
        on_delete=models.PROTECT,
        related_name="programme_enrolment",
        verbose_name=_("request"),
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("programme enrolment")
        verbose_name_plural = _("programme enrolments")
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "programme"],
                condition=models.Q(end_date__isnull=True),
                name="programme_enrolment_one_open",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="programme_enrolment_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.establishment} {self.get_programme_display()}"


class ProgrammeLine(models.Model):
    """One worker and one month of an approved programme request: the wage it was worked out on,
    the amount paid for that worker and month (none when the programme only waives or stops), and
    the payment that carries it. A recall stops the line and its payment."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("In force")
        RECALLED = "recalled", _("Ended by a recall")

    request = models.ForeignKey(
        "eservices.ServiceRequest",
        on_delete=models.PROTECT,
        related_name="programme_lines",
        verbose_name=_("request"),
    )
    service_code = models.CharField(_("service"), max_length=60, db_index=True)
    establishment = models.ForeignKey(
        "establishments.Establishment",
        on_delete=models.PROTECT,
        related_name="programme_lines",
        verbose_name=_("establishment"),
    )
    individual = models.ForeignKey(
        "individuals.Individual",
        on_delete=models.PROTECT,
        related_name="programme_lines",
        verbose_name=_("worker"),
    )
    month = models.DateField(_("month"))
    wage = models.DecimalField(
        _("insured wage (JD)"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    amount = models.DecimalField(
        _("amount (JD)"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    payment = models.OneToOneField(
        "payments.BenefitPayment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programme_line",
        verbose_name=_("payment"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    recalled_by = models.ForeignKey(
        "eservices.ServiceRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recalled_lines",
        verbose_name=_("recall request"),
    )

    class Meta:
        verbose_name = _("programme line")
        verbose_name_plural = _("programme lines")
        ordering = ["request", "month", "individual"]
        indexes = [models.Index(fields=["establishment", "service_code", "month"])]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "individual", "month"], name="programme_line_once"
            ),
            models.CheckConstraint(condition=models.Q(month__day=1), name="programme_line_month"),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gt=0),
                name="programme_line_amount_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_code} {self.individual_id} {self.month:%Y-%m}"


class Nursery(models.Model):
    """A nursery (an establishment covered by social security) accredited in the care programme
    (children of insured mothers) or for the contribution to its operating costs."""

    class Programme(models.TextChoices):
        CARE = "care", _("Care programme")
        COSTS = "costs", _("Operating-cost contribution")

    class Status(models.TextChoices):
        ACCREDITED = "accredited", _("Accredited")
        WITHDRAWN = "withdrawn", _("Accreditation withdrawn")

    establishment = models.ForeignKey(
        "establishments.Establishment",
        on_delete=models.PROTECT,
        related_name="nurseries",
        verbose_name=_("establishment"),
    )
    programme = models.CharField(_("programme"), max_length=8, choices=Programme.choices)
    request = models.OneToOneField(
        "eservices.ServiceRequest",
        on_delete=models.PROTECT,
        related_name="nursery",
        verbose_name=_("request"),
    )
    name = models.CharField(_("nursery name"), max_length=200)
    licence_number = models.CharField(_("licence number"), max_length=40)
    licence_expiry = models.DateField(_("licence valid until"))
    governorate = models.CharField(_("governorate"), max_length=64)
    address = models.CharField(_("address"), max_length=300)
    capacity = models.PositiveIntegerField(_("capacity (children)"))
    children_enrolled = models.PositiveIntegerField(_("children enrolled"))
    monthly_fee = models.DecimalField(
        _("monthly fee per child (JD)"), max_digits=10, decimal_places=3
    )
    iban = models.CharField(_("IBAN"), max_length=34)
    # Operating costs (programme "costs"): the monthly figures the contribution is worked out on.
    monthly_rent = models.DecimalField(
        _("monthly rent (JD)"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    monthly_salaries = models.DecimalField(
        _("monthly salaries of the staff (JD)"),
        max_digits=12,
        decimal_places=3,
        null=True,
        blank=True,
    )
    monthly_contributions = models.DecimalField(
        _("monthly social security contributions (JD)"),
        max_digits=12,
        decimal_places=3,
        null=True,
        blank=True,
    )
    annual_contribution = models.DecimalField(
        _("yearly contribution (JD)"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACCREDITED
    )
    accredited_on = models.DateField(_("accredited on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("accredited nursery")
        verbose_name_plural = _("accredited nurseries")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "programme"],
                condition=models.Q(status="accredited"),
                name="nursery_accredited_once",
            ),
            models.CheckConstraint(
                condition=models.Q(monthly_fee__gt=0), name="nursery_fee_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class NurseryChild(models.Model):
    """A child of an insured mother covered by nursery care: the nursery, the months, and the
    monthly support paid to the nursery."""

    employer = models.ForeignKey(
        "establishments.Establishment",
        on_delete=models.PROTECT,
        related_name="nursery_children",
        verbose_name=_("mother's employer"),
    )
    mother = models.ForeignKey(
        "individuals.Individual",
        on_delete=models.PROTECT,
        related_name="nursery_children",
        verbose_name=_("mother"),
    )
    nursery = models.ForeignKey(
        Nursery, on_delete=models.PROTECT, related_name="children", verbose_name=_("nursery")
    )
    request = models.OneToOneField(
        "eservices.ServiceRequest",
        on_delete=models.PROTECT,
        related_name="nursery_child",
        verbose_name=_("request"),
    )
    child_name = models.CharField(_("child's name"), max_length=120)
    child_birth_date = models.DateField(_("child's birth date"))
    first_month = models.DateField(_("first month"))
    last_month = models.DateField(_("last month"))
    monthly_fee = models.DecimalField(_("monthly fee (JD)"), max_digits=10, decimal_places=3)
    monthly_support = models.DecimalField(
        _("monthly support (JD)"), max_digits=10, decimal_places=3
    )

    class Meta:
        verbose_name = _("child in nursery care")
        verbose_name_plural = _("children in nursery care")
        ordering = ["-first_month", "child_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["mother", "child_name", "child_birth_date"], name="nursery_child_once"
            ),
            models.CheckConstraint(
                condition=models.Q(last_month__gte=models.F("first_month")),
                name="nursery_child_months_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.child_name


class RiayaSubscription(models.Model):
    """An employee insured in the Ri'aya programme of the King Hussein Cancer Foundation through
    the establishment: the plan, the monthly premium and the months it runs."""

    class Plan(models.TextChoices):
        INDIVIDUAL = "individual", _("The employee only")
        FAMILY = "family", _("The employee and their family")

    establishment = models.ForeignKey(
        "establishments.Establishment",
        on_delete=models.PROTECT,
        related_name="riaya_subscriptions",
        verbose_name=_("establishment"),
    )
    individual = models.ForeignKey(
        "individuals.Individual",
        on_delete=models.PROTECT,
        related_name="riaya_subscriptions",
        verbose_name=_("employee"),
    )
    request = models.ForeignKey(
        "eservices.ServiceRequest",
        on_delete=models.PROTECT,
        related_name="riaya_subscriptions",
        verbose_name=_("request"),
    )
    plan = models.CharField(_("plan"), max_length=12, choices=Plan.choices)
    family_members = models.PositiveSmallIntegerField(_("family members"), default=0)
    monthly_premium = models.DecimalField(
        _("monthly premium (JD)"), max_digits=10, decimal_places=3
    )
    first_month = models.DateField(_("first month"))
    end_month = models.DateField(_("last month"), null=True, blank=True)

    class Meta:
        verbose_name = _("Ri'aya subscription")
        verbose_name_plural = _("Ri'aya subscriptions")
        ordering = ["establishment", "individual"]
        constraints = [
            models.UniqueConstraint(
                fields=["individual"],
                condition=models.Q(end_month__isnull=True),
                name="riaya_one_open_subscription",
            ),
            models.CheckConstraint(
                condition=models.Q(monthly_premium__gt=0), name="riaya_premium_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.individual} {self.get_plan_display()}"
