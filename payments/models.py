"""Money paid to people: benefit payments that approvals create (contributions come later)."""

from __future__ import annotations

from decimal import Decimal

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


# --- What establishments and subscribers owe, what they paid, and how ----------------------------


class Account(models.Model):
    """A contributions account: one per establishment, and one per optional or self-employed
    subscriber. Its ``number`` is the billing number presented to the bill-payment network."""

    class Kind(models.TextChoices):
        ESTABLISHMENT = "establishment", _("Establishment")
        OPTIONAL = "optional", _("Optional subscription")
        SELF_EMPLOYED = "self_employed", _("Self-employment")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    number = models.CharField(_("billing number"), max_length=20, unique=True)
    establishment = models.ForeignKey(
        "establishments.Establishment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name=_("establishment"),
    )
    individual = models.ForeignKey(
        "individuals.Individual",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name=_("insured person"),
    )
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("contributions account")
        verbose_name_plural = _("contributions accounts")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "establishment"],
                condition=models.Q(establishment__isnull=False),
                name="account_one_per_establishment",
            ),
            models.UniqueConstraint(
                fields=["kind", "individual"],
                condition=models.Q(individual__isnull=False),
                name="account_one_per_subscriber_kind",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="establishment", establishment__isnull=False, individual=None)
                    | (~models.Q(kind="establishment") & models.Q(establishment=None))
                    & models.Q(individual__isnull=False)
                ),
                name="account_owner_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class LedgerEntry(models.Model):
    """One line of an account: a charge (positive) or a credit (negative), in dinars to the fils.

    Entries are never changed or deleted (PostgreSQL refuses it, by a trigger); a correction is a
    new entry that ``reverses`` the one it corrects. ``key`` makes posting idempotent: the monthly
    billing, the penalties and each payment post under a key that exists at most once an account.
    """

    class Kind(models.TextChoices):
        CONTRIBUTION = "contribution", _("Contributions")
        PENALTY = "penalty", _("Late-payment penalty")
        PAYMENT = "payment", _("Payment")
        CORRECTION = "correction", _("Correction")
        EXEMPTION = "exemption", _("Exemption")
        INSTALMENT = "instalment", _("Instalment scheduling")
        PREMIUM = "premium", _("Programme premium")

    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="entries", verbose_name=_("account")
    )
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    key = models.CharField(_("posting key"), max_length=80)
    period = models.DateField(_("contribution month"), null=True, blank=True)
    posted_on = models.DateField(_("posted on"), default=timezone.localdate, db_index=True)
    amount = models.DecimalField(_("amount (JD)"), max_digits=14, decimal_places=3)
    memo = models.CharField(_("description"), max_length=200, blank=True)
    # The working of a charge (wages, rates, rule rows) or the payment's network references.
    details = models.JSONField(_("details"), default=dict, blank=True)
    payment = models.ForeignKey(
        "Payment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("payment"),
    )
    reverses = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversals",
        verbose_name=_("corrects"),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["posted_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "key"], name="ledger_key_once"),
            models.CheckConstraint(condition=~models.Q(amount=0), name="ledger_not_zero"),
        ]
        indexes = [models.Index(fields=["account", "posted_on", "id"])]

    def __str__(self) -> str:
        return f"{self.account} {self.key} {self.amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("Ledger entries are never changed: post a correction.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Ledger entries are never deleted: post a correction.")


class InstallmentPlan(models.Model):
    """A debt spread over monthly instalments (an approved exemption or scheduling request)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="plans", verbose_name=_("account")
    )
    request = models.OneToOneField(
        "eservices.ServiceRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="installment_plan",
        verbose_name=_("request"),
    )
    total = models.DecimalField(_("total (JD)"), max_digits=14, decimal_places=3)
    months = models.PositiveSmallIntegerField(_("number of instalments"))
    first_due = models.DateField(_("first instalment due"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("instalment plan")
        verbose_name_plural = _("instalment plans")
        constraints = [
            models.CheckConstraint(condition=models.Q(total__gt=0), name="plan_total_positive"),
            models.CheckConstraint(condition=models.Q(months__gt=0), name="plan_months_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.total} / {self.months}"


class Installment(models.Model):
    class Status(models.TextChoices):
        DUE = "due", _("Due")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")

    plan = models.ForeignKey(InstallmentPlan, on_delete=models.PROTECT, related_name="installments")
    sequence = models.PositiveSmallIntegerField(_("instalment number"))
    due_date = models.DateField(_("due date"))
    amount = models.DecimalField(_("amount (JD)"), max_digits=14, decimal_places=3)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="due")
    payment = models.ForeignKey(
        "Payment", on_delete=models.PROTECT, null=True, blank=True, related_name="installments"
    )

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["plan", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "sequence"], name="instalment_once"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="instalment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} #{self.sequence}"


class DebitCard(models.Model):
    """A prepaid debit card issued on an approved card.issue request; topped up through the
    bill-payment network (card.instant-pay). Only the last four digits are kept."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        STOPPED = "stopped", _("Stopped")

    individual = models.ForeignKey(
        "individuals.Individual", on_delete=models.PROTECT, related_name="cards"
    )
    request = models.OneToOneField(
        "eservices.ServiceRequest", on_delete=models.PROTECT, null=True, blank=True
    )
    number = models.CharField(_("card billing number"), max_length=20, unique=True)
    last4 = models.CharField(_("last four digits"), max_length=4)
    balance = models.DecimalField(
        _("balance (JD)"), max_digits=14, decimal_places=3, default=Decimal("0")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="active")
    issued_on = models.DateField(_("issued on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("debit card")
        verbose_name_plural = _("debit cards")
        constraints = [
            models.UniqueConstraint(
                fields=["individual"],
                condition=models.Q(status="active"),
                name="one_active_card",
            ),
            models.CheckConstraint(condition=models.Q(balance__gte=0), name="card_not_negative"),
        ]

    def __str__(self) -> str:
        return f"**** {self.last4}"


class Bill(models.Model):
    """A demand presented to the bill-payment network (eFAWATEERcom model): the network inquires
    it by its number and is told its exact amount in fils; a payment pays it whole, once.

    Contributions: one open bill an account, re-issued (the old one ``superseded``) when the balance
    changes. Instalments: a bill for the instalments due. Card top-ups: a bill for the amount the
    cardholder chose."""

    class Kind(models.TextChoices):
        CONTRIBUTIONS = "contributions", _("Contributions")
        INSTALLMENTS = "installments", _("Instalments")
        OPTIONAL = "optional", _("Optional contributions")
        SELF_EMPLOYED = "self_employed", _("Self-employment contributions")
        CARD_TOPUP = "card_topup", _("Debit card top-up")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PAID = "paid", _("Paid")
        SUPERSEDED = "superseded", _("Replaced by a newer bill")
        CANCELLED = "cancelled", _("Cancelled")

    number = models.CharField(_("bill number"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, null=True, blank=True, related_name="bills"
    )
    card = models.ForeignKey(
        DebitCard, on_delete=models.PROTECT, null=True, blank=True, related_name="bills"
    )
    amount = models.DecimalField(_("amount due (JD)"), max_digits=14, decimal_places=3)
    issued_on = models.DateField(_("issued on"), default=timezone.localdate)
    due_date = models.DateField(_("due date"))
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="open")
    installments = models.ManyToManyField(Installment, blank=True, related_name="bills")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )

    class Meta:
        verbose_name = _("bill")
        verbose_name_plural = _("bills")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="bill_positive"),
            models.CheckConstraint(
                condition=models.Q(account__isnull=False) | models.Q(card__isnull=False),
                name="bill_has_payer",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class Payment(models.Model):
    """Money received through the bill-payment network, recorded once per network reference."""

    class Channel(models.TextChoices):
        NETWORK = "network", _("Bill-payment network (eFAWATEERcom)")
        COUNTER = "counter", _("Counter")

    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="payments")
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    card = models.ForeignKey(
        DebitCard, on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    amount = models.DecimalField(_("amount (JD)"), max_digits=14, decimal_places=3)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # The network's payment reference (idempotency key) and its own transaction number.
    network_reference = models.CharField(_("network payment reference"), max_length=40, unique=True)
    network_trx = models.CharField(_("network transaction number"), max_length=40, blank=True)
    bank_code = models.CharField(_("paying bank"), max_length=20, blank=True)
    paid_at = models.DateTimeField(_("paid at"))
    received_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    settlement_date = models.DateField(_("settlement date"), null=True, blank=True)
    receipt = models.ForeignKey(
        "eservices.Document", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="payment_amount_positive"
            ),
            # A bill is paid once: a second payment of the same bill is refused by the database.
            models.UniqueConstraint(fields=["bill"], name="bill_paid_once"),
        ]

    def __str__(self) -> str:
        return f"{self.network_reference} {self.amount}"


class Settlement(models.Model):
    """The network's settlement file of one day, and its reconciliation with our payments."""

    class Status(models.TextChoices):
        RECONCILED = "reconciled", _("Reconciled, no differences")
        DIFFERENCES = "differences", _("Differences to examine")

    day = models.DateField(_("settlement day"), unique=True)
    file = models.FileField(_("settlement file"), upload_to="private/settlements/")
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    total = models.DecimalField(_("total (JD)"), max_digits=16, decimal_places=3, default=0)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    reconciled_at = models.DateTimeField(_("reconciled at"), default=timezone.now)

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        ordering = ["-day"]

    def __str__(self) -> str:
        return str(self.day)


class SettlementDifference(models.Model):
    """One difference between the settlement file and the payments recorded, for staff."""

    class Kind(models.TextChoices):
        MISSING_HERE = "missing_here", _("In the settlement file, not recorded here")
        MISSING_THERE = "missing_there", _("Recorded here, not in the settlement file")
        AMOUNT = "amount", _("Different amount")

    settlement = models.ForeignKey(Settlement, on_delete=models.CASCADE, related_name="differences")
    kind = models.CharField(_("difference"), max_length=14, choices=Kind.choices)
    network_reference = models.CharField(_("network payment reference"), max_length=40)
    amount_here = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    amount_there = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, null=True, blank=True)
    resolved = models.BooleanField(_("resolved"), default=False)
    note = models.TextField(_("staff note"), blank=True)

    class Meta:
        verbose_name = _("settlement difference")
        verbose_name_plural = _("settlement differences")
        constraints = [
            models.UniqueConstraint(
                fields=["settlement", "network_reference"], name="difference_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.settlement} {self.network_reference}"


class Subscription(models.Model):
    """An optional (voluntary) or self-employed subscription: what the person is billed on."""

    class Kind(models.TextChoices):
        OPTIONAL = "optional", _("Optional subscription")
        SELF_EMPLOYED = "self_employed", _("Self-employment")

    individual = models.ForeignKey(
        "individuals.Individual", on_delete=models.PROTECT, related_name="subscriptions"
    )
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="subscriptions")
    request = models.OneToOneField(
        "eservices.ServiceRequest", on_delete=models.PROTECT, null=True, blank=True
    )
    bracket = models.CharField(_("bracket"), max_length=20, blank=True)
    activity = models.CharField(_("activity"), max_length=200, blank=True)
    injury_covered = models.BooleanField(_("covered for work injury"), default=False)
    annual_increase = models.DecimalField(
        _("annual increase"), max_digits=5, decimal_places=4, default=Decimal("0")
    )
    start_month = models.DateField(_("first month"))
    end_month = models.DateField(_("last month"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["individual"],
                condition=models.Q(end_month__isnull=True),
                name="one_open_subscription",
            ),
            models.CheckConstraint(
                condition=models.Q(end_month__isnull=True)
                | models.Q(end_month__gte=models.F("start_month")),
                name="subscription_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.individual} {self.kind} {self.start_month}"


class SubscriptionWage(models.Model):
    """The declared monthly wage of a subscription from a month on (enrolment, annual increase,
    bracket change): billing uses the row in force for the month billed."""

    subscription = models.ForeignKey(Subscription, on_delete=models.PROTECT, related_name="wages")
    from_month = models.DateField(_("from month"))
    wage = models.DecimalField(_("declared wage (JD)"), max_digits=12, decimal_places=3)
    reason = models.CharField(_("reason"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("declared wage")
        verbose_name_plural = _("declared wages")
        ordering = ["subscription", "from_month"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "from_month"], name="wage_row_once"),
            models.CheckConstraint(condition=models.Q(wage__gt=0), name="declared_wage_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.subscription} {self.from_month} {self.wage}"


class ContributionRelief(models.Model):
    """A programme's waiver of contributions (defense orders, entrepreneurial establishments...):
    for one establishment's employees (one person, or all of them when ``individual`` is empty), one
    month and one insurance branch, the share of the employer's and of the employee's contribution
    that is not billed. Created when a programme request is approved; monthly billing applies it."""

    class Branch(models.TextChoices):
        OLD_AGE = "old_age", _("Old age, disability and death")
        INJURY = "injury", _("Work injury")
        MATERNITY = "maternity", _("Maternity")
        UNEMPLOYMENT = "unemployment", _("Unemployment")

    establishment = models.ForeignKey(
        "establishments.Establishment", on_delete=models.PROTECT, related_name="reliefs"
    )
    individual = models.ForeignKey(
        "individuals.Individual",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reliefs",
        help_text=_("Empty: every employee of the establishment."),
    )
    month = models.DateField(_("contribution month"))
    branch = models.CharField(_("insurance branch"), max_length=14, choices=Branch.choices)
    employer_waived = models.DecimalField(
        _("employer share waived"), max_digits=5, decimal_places=4, default=Decimal("1")
    )
    employee_waived = models.DecimalField(
        _("employee share waived"), max_digits=5, decimal_places=4, default=Decimal("1")
    )
    request = models.ForeignKey(
        "eservices.ServiceRequest", on_delete=models.PROTECT, related_name="reliefs"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("contribution relief")
        verbose_name_plural = _("contribution reliefs")
        ordering = ["establishment", "month"]
        indexes = [models.Index(fields=["month", "establishment"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(employer_waived__gte=0, employer_waived__lte=1)
                & models.Q(employee_waived__gte=0, employee_waived__lte=1),
                name="relief_share_is_fraction",
            ),
            models.UniqueConstraint(
                fields=["request", "individual", "month", "branch"],
                name="relief_once_per_request",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.establishment} {self.month:%Y-%m} {self.branch}"


# --- Vehicles of self-employed owners and of establishments, and their drivers (h6c) -----------


class Vehicle(models.Model):
    """A vehicle whose drivers are covered: owned by a self-employed person or an establishment.
    Recorded when the first driver is added to it (self.add-driver, est.add-driver)."""

    class Type(models.TextChoices):
        TAXI = "taxi", _("Taxi")
        SERVICE = "service", _("Shared taxi (service)")
        BUS = "bus", _("Bus")
        MINIBUS = "minibus", _("Minibus")
        TRUCK = "truck", _("Truck")
        PICKUP = "pickup", _("Pickup")
        TOURIST = "tourist", _("Tourist transport vehicle")
        DRIVING_SCHOOL = "driving_school", _("Driving-school vehicle")
        OTHER = "other", _("Other")

    plate_number = models.CharField(_("plate number"), max_length=20, unique=True)
    vehicle_type = models.CharField(_("vehicle type"), max_length=16, choices=Type.choices)
    individual = models.ForeignKey(
        "individuals.Individual",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vehicles",
        verbose_name=_("self-employed owner"),
    )
    establishment = models.ForeignKey(
        "establishments.Establishment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vehicles",
        verbose_name=_("establishment"),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        ordering = ["plate_number"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(individual__isnull=False, establishment__isnull=True)
                    | models.Q(individual__isnull=True, establishment__isnull=False)
                ),
                name="vehicle_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.plate_number


class VehicleDriver(models.Model):
    """A driver on a vehicle from a date (until ``end_date``), as an approved request recorded."""

    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.PROTECT, related_name="drivers", verbose_name=_("vehicle")
    )
    national_number = models.CharField(_("driver's national number"), max_length=10)
    name_ar = models.CharField(_("driver's name"), max_length=200)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    request = models.OneToOneField(
        "eservices.ServiceRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vehicle_driver",
        verbose_name=_("request"),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("vehicle driver")
        verbose_name_plural = _("vehicle drivers")
        ordering = ["vehicle", "start_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vehicle", "national_number"],
                condition=models.Q(end_date__isnull=True),
                name="driver_once_per_vehicle",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="driver_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vehicle} {self.national_number}"
