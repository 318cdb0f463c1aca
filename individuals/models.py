"""An insured person's profile and insurance record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords


class EducationLevel(models.TextChoices):
    NONE = "none", _("Cannot read or write")
    PRIMARY = "primary", _("Primary")
    PREPARATORY = "preparatory", _("Preparatory")
    SECONDARY = "secondary", _("Secondary")
    DIPLOMA = "diploma", _("Diploma")
    BACHELOR = "bachelor", _("Bachelor's degree")
    HIGHER_DIPLOMA = "higher_diploma", _("Higher diploma")
    MASTER = "master", _("Master's degree")
    DOCTORATE = "doctorate", _("Doctorate")


class Kinship(models.TextChoices):
    FATHER = "father", _("Father")
    MOTHER = "mother", _("Mother")
    BROTHER = "brother", _("Brother")
    SISTER = "sister", _("Sister")
    HUSBAND = "husband", _("Husband")
    WIFE = "wife", _("Wife")
    SON = "son", _("Son")
    DAUGHTER = "daughter", _("Daughter")
    GRANDFATHER = "grandfather", _("Grandfather")
    GRANDMOTHER = "grandmother", _("Grandmother")
    UNCLE = "uncle", _("Paternal or maternal uncle")
    AUNT = "aunt", _("Paternal or maternal aunt")


class Individual(models.Model):
    """What the registration forms collect, beside the account that signs in."""

    # An insured person exists whether or not they use the portal: the account is linked when
    # they register (establishments report employees who may never sign in).
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="individual",
        null=True,
        blank=True,
    )
    is_jordanian = models.BooleanField(_("Jordanian"))
    name_ar = models.CharField(_("name in Arabic"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=1, choices=[("M", _("Male")), ("F", _("Female"))])
    # Jordanians
    national_number = models.CharField(_("national number"), max_length=10, blank=True)
    id_card_number = models.CharField(_("civil ID card number"), max_length=12, blank=True)
    relative_national_number = models.CharField(
        _("national number of a relative"), max_length=10, blank=True
    )
    relative_kinship = models.CharField(
        _("kinship"), max_length=16, choices=Kinship.choices, blank=True
    )
    # Non-Jordanians
    personal_number = models.CharField(_("personal number"), max_length=10, blank=True)
    passport_number = models.CharField(_("passport number"), max_length=20, blank=True)
    nationality = CountryField(_("nationality"), default="JO")
    phone_abroad = PhoneNumberField(_("phone number outside Jordan"), blank=True)
    # Both
    insurance_number = models.CharField(_("insurance number"), max_length=12, blank=True)
    residence_country = CountryField(_("country of residence"))
    education_level = models.CharField(
        _("education level"), max_length=16, choices=EducationLevel.choices
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("individual")
        verbose_name_plural = _("individuals")
        constraints = [
            models.UniqueConstraint(
                fields=["national_number"],
                condition=~models.Q(national_number=""),
                name="individual_national_number_unique",
            ),
            models.UniqueConstraint(
                fields=["personal_number"],
                condition=~models.Q(personal_number=""),
                name="individual_personal_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_ar} ({self.national_number or self.personal_number})"

    @property
    def identifier(self) -> str:
        return self.national_number or self.personal_number


class InsurancePeriod(models.Model):
    """One period of coverage: who covered the person, from when to when, at what wage."""

    class Coverage(models.TextChoices):
        MANDATORY = "mandatory", _("Mandatory (through an establishment)")
        OPTIONAL = "optional", _("Optional subscription")
        SELF_EMPLOYED = "self_employed", _("Self-employment")

    individual = models.ForeignKey(Individual, on_delete=models.CASCADE, related_name="periods")
    establishment = models.ForeignKey(
        "establishments.Establishment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="insurance_periods",
    )
    coverage = models.CharField(_("coverage"), max_length=16, choices=Coverage.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    monthly_wage = models.DecimalField(
        _("monthly insured wage (JD)"), max_digits=12, decimal_places=3
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("insurance period")
        verbose_name_plural = _("insurance periods")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="period_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(monthly_wage__gte=0), name="period_wage_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.individual} {self.start_date}–{self.end_date or '…'}"

    def months(self, today=None) -> int:
        """Whole contribution months in the period (a started month counts, as the SSC counts)."""
        from django.utils import timezone

        end = self.end_date or today or timezone.localdate()
        return max(
            0, (end.year - self.start_date.year) * 12 + end.month - self.start_date.month + 1
        )


class WageRecord(models.Model):
    """One contribution month: the wage insured that month, and by whom."""

    # The references of this table are checked by the database set-based, once per statement
    # (``individuals.wage_integrity``), not by foreign-key constraints, whose per-row checks took
    # more than half the time of saving a 50,000-row wage file. The ORM's on_delete still applies.
    individual = models.ForeignKey(
        Individual,
        on_delete=models.CASCADE,
        related_name="wages",
        db_constraint=False,
        db_index=False,  # the unique (individual, month) index serves it
    )
    establishment = models.ForeignKey(
        "establishments.Establishment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wage_records",
        db_constraint=False,
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    wage = models.DecimalField(_("insured wage (JD)"), max_digits=12, decimal_places=3)
    coverage = models.CharField(
        _("coverage"), max_length=16, choices=InsurancePeriod.Coverage.choices
    )
    unemployment = models.BooleanField(_("unemployment branch"), default=True)
    submission = models.ForeignKey(
        "establishments.Submission",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wage_records",
        verbose_name=_("wage file"),
        db_constraint=False,
    )
    compensated_by = models.ForeignKey(
        "eservices.ServiceRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="compensated_months",
        db_constraint=False,
        db_index=False,  # a partial index (Meta): only the few months paid out have one
        verbose_name=_("paid out by the lump sum"),
        help_text=_(
            "A month paid out by a lump-sum compensation no longer counts, unless restored."
        ),
    )

    class Meta:
        verbose_name = _("contribution month")
        verbose_name_plural = _("contribution months")
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["individual", "month"], name="wage_one_per_month"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="wage_month_first_day"),
            models.CheckConstraint(condition=models.Q(wage__gte=0), name="wage_not_negative"),
        ]
        # Monthly billing sums a month's wages per establishment.
        indexes = [
            models.Index(fields=["month", "establishment"], name="wage_month_establishment"),
            models.Index(
                fields=["compensated_by"],
                condition=models.Q(compensated_by__isnull=False),
                name="wage_compensated_by",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.individual} {self.month:%Y-%m} {self.wage}"


class WorkInjury(models.Model):
    """A work injury or occupational disease on the insured person's record."""

    class Kind(models.TextChoices):
        INJURY = "injury", _("Work injury")
        DISEASE = "disease", _("Occupational disease")

    class Status(models.TextChoices):
        REPORTED = "reported", _("Reported")
        ACCEPTED = "accepted", _("Accepted as a work injury")
        REFUSED = "refused", _("Not accepted")

    individual = models.ForeignKey(Individual, on_delete=models.PROTECT, related_name="injuries")
    establishment = models.ForeignKey(
        "establishments.Establishment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="injuries",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    occurred_on = models.DateField(_("date of the injury or diagnosis"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REPORTED
    )
    daily_allowance = models.DecimalField(
        _("daily allowance (JD)"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    request = models.ForeignKey(
        "eservices.ServiceRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_injuries",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("work injury")
        verbose_name_plural = _("work injuries")
        ordering = ["-occurred_on"]

    def __str__(self) -> str:
        return f"{self.individual} {self.get_kind_display()} {self.occurred_on}"
