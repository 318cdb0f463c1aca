"""Users, one-time codes and the civil registry the identity checks use."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords


class IdType(models.TextChoices):
    """How a user signs in: the identifier the source's sign-in box accepts."""

    NATIONAL = "national", _("National number")
    PERSONAL = "personal", _("Personal number (non-Jordanians)")
    ESTABLISHMENT = "establishment", _("Establishment insurance number")
    GOVERNMENT = "government", _("Government entity code")
    STAFF = "staff", _("Staff user name")
    # The household social security (the Saudi developed model, hh.*): the first digit of the
    # 10-digit number tells them apart (1 citizen, 2 resident).
    SA_NATIONAL = "sa_national", _("National ID number (Saudi)")
    SA_IQAMA = "sa_iqama", _("Residence (iqama) number")


class Channel(models.TextChoices):
    SMS = "sms", _("Text message to the mobile phone")
    EMAIL = "email", _("Email")


def login_key(id_type: str, id_number: str) -> str:
    """The unique sign-in key: an identifier is unique only within its type."""
    return id_number if id_type == IdType.STAFF else f"{id_type}:{id_number}"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, id_type: str, id_number: str, password: str | None, **extra) -> User:
        email = self.normalize_email(extra.pop("email", "") or "")
        user = self.model(id_type=id_type, id_number=id_number, email=email, **extra)
        user.set_password(password) if password else user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, id_type: str, id_number: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(id_type, id_number, password, **extra)

    def create_superuser(self, username: str, password: str | None = None, **extra):
        """Used by ``createsuperuser``: a staff account signed in by user name."""
        extra.update(is_staff=True, is_superuser=True, activated_at=timezone.now())
        return self._create(IdType.STAFF, username, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    username = models.CharField(
        _("sign-in key"),
        max_length=80,
        unique=True,
        editable=False,
        help_text=_("The identifier type and number, kept unique together."),
    )
    id_type = models.CharField(_("identifier type"), max_length=16, choices=IdType.choices)
    id_number = models.CharField(_("identifier"), max_length=32)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = PhoneNumberField(_("mobile phone"), blank=True)
    activation_channel = models.CharField(
        _("activation method"), max_length=8, choices=Channel.choices, default=Channel.SMS
    )
    is_active = models.BooleanField(
        _("enabled"),
        default=True,
        help_text=_("Untick to stop this account signing in, instead of deleting it."),
    )
    is_staff = models.BooleanField(_("staff"), default=False)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    date_joined = models.DateTimeField(_("registered at"), default=timezone.now)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="user_email_unique_ci"
            ),
        ]

    def save(self, *args, **kwargs):
        self.username = login_key(self.id_type, self.id_number)
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.get_id_type_display()} {self.id_number}"

    def get_full_name(self) -> str:
        return self.full_name or self.id_number

    def get_short_name(self) -> str:
        return self.get_full_name()

    @property
    def is_activated(self) -> bool:
        return self.activated_at is not None

    @property
    def is_individual(self) -> bool:
        return self.id_type in (IdType.NATIONAL, IdType.PERSONAL)

    @property
    def is_establishment(self) -> bool:
        return self.id_type in (IdType.ESTABLISHMENT, IdType.GOVERNMENT)


class PendingActivation(User):
    """Registrations whose owner has not entered the activation code yet (for the admin)."""

    class Meta:
        proxy = True
        verbose_name = _("registration awaiting activation")
        verbose_name_plural = _("registrations awaiting activation")


class OneTimeCode(models.Model):
    class Purpose(models.TextChoices):
        ACTIVATION = "activation", _("Account activation")
        PASSWORD_RESET = "password_reset", _("Password reset")
        MOBILE = "mobile", _("Mobile number confirmation")

    class Delivery(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="one_time_codes")
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    sent_to = models.CharField(_("sent to"), max_length=254)
    code_hash = models.CharField(max_length=128, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("replaced at"), null=True, blank=True)
    delivery_status = models.CharField(
        _("delivery status"), max_length=12, choices=Delivery.choices, default=Delivery.QUEUED
    )
    delivery_error = models.CharField(_("delivery error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [models.Index(fields=["user", "purpose", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} · {self.user}"


class CivilRecord(models.Model):
    """A person as the civil registry knows them (the default local registry backend)."""

    class Kind(models.TextChoices):
        JORDANIAN = "jordanian", _("Jordanian (national number)")
        NON_JORDANIAN = "non_jordanian", _("Non-Jordanian (personal number)")

    class Sex(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    number = models.CharField(_("national or personal number"), max_length=10, unique=True)
    id_card_number = models.CharField(_("civil ID card number"), max_length=12, blank=True)
    passport_number = models.CharField(_("passport number"), max_length=20, blank=True)
    insurance_number = models.CharField(_("insurance number"), max_length=12, blank=True)
    nationality = models.CharField(_("nationality"), max_length=2, default="JO")
    name_ar = models.CharField(_("name in Arabic"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)

    class Meta:
        verbose_name = _("civil registry record")
        verbose_name_plural = _("civil registry records")

    def __str__(self) -> str:
        return f"{self.number} {self.name_ar}"
