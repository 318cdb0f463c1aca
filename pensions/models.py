"""Pensions paid every month, the people they are increased for, the monthly payroll that pays
them, and the loans retirees repay from them.

Money paid to people: a pension's first payment (on approval) and every month after it are
``PensionPayment`` rows, one per pension and month (a unique constraint: never twice). A loan's
payout is a ``payments.BenefitPayment`` (a one-off payment of an approved request, like the other
benefits); its instalments are ``LoanInstalment`` rows that the payroll deducts.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 12, "decimal_places": 3}


class Pension(models.Model):
    """An old-age or early retirement pension, as approved; its parts are what is paid each month
    (the dependants' increment changes with the dependants)."""

    class Kind(models.TextChoices):
        OLD_AGE = "old_age", _("Old-age pension")
        EARLY = "early", _("Early retirement pension")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Being paid")
        SUSPENDED = "suspended", _("Suspended")
        STOPPED = "stopped", _("Stopped")

    individual = models.ForeignKey(
        "individuals.Individual", on_delete=models.PROTECT, related_name="pensions"
    )
    request = models.OneToOneField(
        "eservices.ServiceRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pension",
        verbose_name=_("request"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    retirement_date = models.DateField(_("retirement date"))
    start_month = models.DateField(
        _("paid from (month)"), help_text=_("The first day of the month.")
    )
    contribution_months = models.PositiveIntegerField(_("contributions counted"))
    reference_wage = models.DecimalField(_("reference wage (JD)"), **MONEY)
    base = models.DecimalField(_("base pension (JD)"), **MONEY)
    increment = models.DecimalField(_("dependants' increment (JD)"), **MONEY)
    supplement = models.DecimalField(_("cost-of-living supplement (JD)"), **MONEY)
    minimum_topup = models.DecimalField(_("top-up to the minimum pension (JD)"), **MONEY)
    amount = models.DecimalField(_("monthly pension (JD)"), **MONEY)
    bank = models.CharField(_("bank"), max_length=40)
    iban = models.CharField(_("IBAN"), max_length=34)
    working = models.JSONField(_("working"), default=dict, blank=True)
    created_at = models.DateTimeField(_("granted at"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("pension")
        verbose_name_plural = _("pensions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["individual"],
                condition=~Q(status="stopped"),
                name="pension_one_current_per_person",
            ),
            models.CheckConstraint(
                condition=Q(
                    amount=F("base") + F("increment") + F("supplement") + F("minimum_topup")
                ),
                name="pension_amount_is_its_parts",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="pension_positive"),
            models.CheckConstraint(condition=Q(start_month__day=1), name="pension_start_first_day"),
        ]
        indexes = [models.Index(fields=["status", "start_month"], name="pension_payroll_idx")]

    def __str__(self) -> str:
        return f"{self.individual} {self.get_kind_display()} {self.amount}"


class Dependant(models.Model):
    """A person the pension is increased for. A removed dependant keeps its row (removed_on)."""

    class Kinship(models.TextChoices):
        WIFE = "wife", _("Wife")
        HUSBAND = "husband", _("Husband")
        SON = "son", _("Son")
        DAUGHTER = "daughter", _("Daughter")
        FATHER = "father", _("Father")
        MOTHER = "mother", _("Mother")

    pension = models.ForeignKey(Pension, on_delete=models.CASCADE, related_name="dependants")
    name = models.CharField(_("name"), max_length=200)
    national_number = models.CharField(_("national number"), max_length=10)
    kinship = models.CharField(_("kinship"), max_length=10, choices=Kinship.choices)
    birth_date = models.DateField(_("birth date"))
    added_on = models.DateField(_("added on"), default=timezone.localdate)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("dependant")
        verbose_name_plural = _("dependants")
        ordering = ["added_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pension", "national_number"],
                condition=Q(removed_on__isnull=True),
                name="dependant_once_per_pension",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kinship_display()})"


class PayrollRun(models.Model):
    """The payroll of one month. It commits in batches and records where it got to, so a run that
    stops halfway is continued by the next one; the unique (pension, month) of the payments makes
    a second payment impossible whatever happens."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")

    month = models.DateField(_("month"), unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    cursor = models.BigIntegerField(
        _("last pension paid"),
        default=0,
        help_text=_("Pensions are paid in the order of their id."),
    )
    batches = models.PositiveIntegerField(_("batches committed"), default=0)
    attempts = models.PositiveIntegerField(_("runs started"), default=0)
    paid = models.PositiveIntegerField(_("pensions paid"), default=0)
    total_net = models.DecimalField(
        _("total paid (JD)"), max_digits=16, decimal_places=3, default=0
    )
    total_deducted = models.DecimalField(
        _("loan instalments deducted (JD)"), max_digits=16, decimal_places=3, default=0
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payroll run")
        verbose_name_plural = _("payroll runs")
        ordering = ["-month"]
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="payroll_month_first_day")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.get_status_display()}"


class PensionPayment(models.Model):
    """What a pension paid for one month, with its parts as they were that month."""

    class Kind(models.TextChoices):
        FIRST = "first", _("First payment (on approval)")
        MONTHLY = "monthly", _("Monthly payroll")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        PAID = "paid", _("Paid")

    pension = models.ForeignKey(Pension, on_delete=models.PROTECT, related_name="payments")
    month = models.DateField(_("month"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    run = models.ForeignKey(
        PayrollRun, on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    base = models.DecimalField(_("base pension (JD)"), **MONEY)
    increment = models.DecimalField(_("dependants' increment (JD)"), **MONEY)
    supplement = models.DecimalField(_("cost-of-living supplement (JD)"), **MONEY)
    minimum_topup = models.DecimalField(_("top-up to the minimum pension (JD)"), **MONEY)
    gross = models.DecimalField(_("pension (JD)"), **MONEY)
    loan_deduction = models.DecimalField(_("loan instalment (JD)"), default=0, **MONEY)
    net = models.DecimalField(_("paid (JD)"), **MONEY)
    iban = models.CharField(_("IBAN"), max_length=34)
    due_date = models.DateField(_("due date"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pension payment")
        verbose_name_plural = _("pension payments")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["pension", "month"], name="pension_paid_once_a_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="pension_payment_first_day"),
            models.CheckConstraint(
                condition=Q(net=F("gross") - F("loan_deduction")), name="pension_payment_net"
            ),
            models.CheckConstraint(condition=Q(net__gte=0), name="pension_payment_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.pension_id} {self.month:%Y-%m} {self.net}"


class Loan(models.Model):
    """A retiree loan: the principal paid out once, repaid by instalments from the pension."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Being repaid")
        REPAID = "repaid", _("Repaid")

    pension = models.ForeignKey(Pension, on_delete=models.PROTECT, related_name="loans")
    request = models.OneToOneField(
        "eservices.ServiceRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retiree_loan",
    )
    principal = models.DecimalField(_("loan (JD)"), **MONEY)
    interest_rate = models.DecimalField(_("yearly flat interest"), max_digits=6, decimal_places=4)
    months = models.PositiveSmallIntegerField(_("term (months)"))
    total = models.DecimalField(_("total due (JD)"), **MONEY)
    first_month = models.DateField(_("first instalment (month)"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    rescheduled_at = models.DateTimeField(_("last rescheduled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        verbose_name = _("retiree loan")
        verbose_name_plural = _("retiree loans")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["pension"], condition=Q(status="active"), name="loan_one_active_per_pension"
            ),
            models.CheckConstraint(condition=Q(principal__gt=0), name="loan_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.pension_id} {self.principal} / {self.months}"


class LoanInstalment(models.Model):
    class Status(models.TextChoices):
        DUE = "due", _("Due")
        PAID = "paid", _("Deducted")
        CANCELLED = "cancelled", _("Replaced by a new schedule")

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="instalments")
    sequence = models.PositiveSmallIntegerField(_("instalment number"))
    month = models.DateField(_("month"))
    amount = models.DecimalField(_("amount (JD)"), **MONEY)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DUE
    )
    payment = models.OneToOneField(
        PensionPayment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instalment",
        verbose_name=_("deducted from"),
    )

    class Meta:
        verbose_name = _("loan instalment")
        verbose_name_plural = _("loan instalments")
        ordering = ["loan", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "sequence"], name="loan_instalment_sequence"),
            models.UniqueConstraint(
                fields=["loan", "month"],
                condition=~Q(status="cancelled"),
                name="loan_instalment_once_a_month",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="loan_instalment_positive"),
            models.CheckConstraint(
                condition=Q(status="paid", payment__isnull=False) | ~Q(status="paid"),
                name="loan_instalment_paid_has_payment",
            ),
        ]
        indexes = [models.Index(fields=["month", "status"], name="loan_instalment_month_idx")]

    def __str__(self) -> str:
        return f"{self.loan_id} #{self.sequence} {self.month:%Y-%m} {self.amount}"
