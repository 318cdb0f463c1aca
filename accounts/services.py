"""Account services: one-time codes, activation, password reset, and where a user lands.

Views, tasks, admin actions and tests all call these; none of them touches the models directly.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .exceptions import OtpExpired, OtpInvalid, OtpThrottled, OtpTooManyAttempts, ServiceError
from .models import Channel, IdType, OneTimeCode, User, login_key


def _hash_code(code: str, salt: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{salt}:{code}".encode(), hashlib.sha256
    ).hexdigest()
    return f"{salt}${digest}"


def _code_matches(code: str, stored: str) -> bool:
    salt, _sep, _digest = stored.partition("$")
    return hmac.compare_digest(_hash_code(code, salt), stored)


def _destination(user: User, channel: str) -> str:
    if channel == Channel.EMAIL:
        if not user.email:
            raise ServiceError(_("This account has no email address; choose a text message."))
        return user.email
    if not user.phone:
        raise ServiceError(_("This account has no mobile number; choose email."))
    return str(user.phone)


def otp_issue(
    *,
    user: User,
    purpose: str,
    channel: str | None = None,
    length: int | None = None,
    to: str | None = None,
) -> OneTimeCode:
    """Make a new code for ``user`` and send it after the transaction commits.

    Earlier unused codes for the same purpose stop working. A new code may be asked for once every
    ``OTP_RESEND_INTERVAL`` and at most ``OTP_MAX_SENDS_PER_HOUR`` times an hour. ``length`` is
    the number of digits (``OTP_LENGTH`` by default); ``to`` sends the code to another number or
    address than the account's, to prove a new one (the mobile number being changed).
    """
    channel = channel or user.activation_channel
    length = length or settings.OTP_LENGTH
    now = timezone.now()
    with transaction.atomic():
        # Lock the user row so that two quick requests cannot both pass the throttle.
        User.objects.select_for_update().filter(pk=user.pk).first()
        recent = OneTimeCode.objects.filter(user=user, purpose=purpose)
        last = recent.order_by("-created_at").first()
        if last and now - last.created_at < settings.OTP_RESEND_INTERVAL:
            wait = settings.OTP_RESEND_INTERVAL - (now - last.created_at)
            raise OtpThrottled(
                int(wait.total_seconds()) + 1,
                _("A code was sent a moment ago. You can ask for another in %(s)s seconds.")
                % {"s": int(wait.total_seconds()) + 1},
            )
        hour_ago = now - timezone.timedelta(hours=1)
        if recent.filter(created_at__gte=hour_ago).count() >= settings.OTP_MAX_SENDS_PER_HOUR:
            raise OtpThrottled(
                3600,
                _("Too many codes were asked for in the last hour. Try again later."),
            )
        destination = to or _destination(user, channel)
        recent.filter(used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
        code = f"{secrets.randbelow(10**length):0{length}d}"
        otp = OneTimeCode.objects.create(
            user=user,
            purpose=purpose,
            channel=channel,
            sent_to=destination,
            code_hash=_hash_code(code, secrets.token_hex(8)),
            created_at=now,
            expires_at=now + settings.OTP_VALIDITY,
        )
        from .tasks import deliver_one_time_code

        language = translation.get_language() or settings.LANGUAGE_CODE
        transaction.on_commit(
            lambda: deliver_one_time_code.delay(otp.pk, code, language), robust=True
        )
    return otp


def otp_verify(*, user: User, purpose: str, code: str) -> OneTimeCode:
    """Check ``code``; a wrong one counts against the code's tries, which are few.

    The count of a wrong try is committed before the error is raised (raising inside the atomic
    block would roll the count back and give unlimited tries).
    """
    code = (code or "").strip()
    error: Exception | None = None
    with transaction.atomic():
        otp = (
            OneTimeCode.objects.select_for_update()
            .filter(user=user, purpose=purpose, used_at__isnull=True, revoked_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if otp is None:
            error = OtpExpired(_("There is no valid code for this account. Ask for a new code."))
        elif otp.attempts >= settings.OTP_MAX_ATTEMPTS:
            error = OtpTooManyAttempts()
        elif timezone.now() >= otp.expires_at:
            error = OtpExpired()
        elif not _code_matches(code, otp.code_hash):
            OneTimeCode.objects.filter(pk=otp.pk).update(attempts=F("attempts") + 1)
            left = settings.OTP_MAX_ATTEMPTS - otp.attempts - 1
            error = (
                OtpTooManyAttempts()
                if left <= 0
                else OtpInvalid(
                    _("The code is not correct. You have %(n)s tries left.") % {"n": left}
                )
            )
        else:
            otp.used_at = timezone.now()
            otp.save(update_fields=["used_at"])
    if error is not None:
        raise error
    return otp


def user_activate(*, user: User, code: str) -> User:
    """Activate a newly registered account with the code sent to it."""
    if user.is_activated:
        return user
    with transaction.atomic():
        otp_verify(user=user, purpose=OneTimeCode.Purpose.ACTIVATION, code=code)
        user.activated_at = timezone.now()
        user.save(update_fields=["activated_at"])
    return user


def user_find(*, id_type: str, id_number: str) -> User | None:
    return User.objects.filter(username=login_key(id_type, id_number.strip())).first()


def password_reset_start(*, id_type: str, id_number: str, channel: str) -> User | None:
    """Send a reset code if the account exists and is enabled.

    The caller shows the same page either way, so that the form does not reveal who is registered.
    """
    user = user_find(id_type=id_type, id_number=id_number)
    if user is None or not user.is_active or user.id_type == IdType.STAFF:
        return None
    try:
        otp_issue(user=user, purpose=OneTimeCode.Purpose.PASSWORD_RESET, channel=channel)
    except OtpThrottled:
        # A code was sent a moment ago (for example with an establishment's approval): it is
        # still good, so go on to entering it rather than refusing.
        valid = OneTimeCode.objects.filter(
            user=user,
            purpose=OneTimeCode.Purpose.PASSWORD_RESET,
            used_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).exists()
        if not valid:
            raise
    return user


def password_reset_complete(*, user: User, code: str, new_password: str) -> User:
    """Set a new password once the reset code is right. It also proves the channel, so it
    activates an account that was never activated."""
    validate_password(new_password, user)
    with transaction.atomic():
        otp_verify(user=user, purpose=OneTimeCode.Purpose.PASSWORD_RESET, code=code)
        user.set_password(new_password)
        fields = ["password"]
        if not user.is_activated:
            user.activated_at = timezone.now()
            fields.append("activated_at")
        user.save(update_fields=fields)
    return user


def home_url_for(user: User) -> str:
    """Where a user lands after signing in."""
    if user.is_staff:
        return reverse("admin:index")
    if user.is_establishment:
        return reverse("establishments:home")
    if user.id_type in (IdType.SA_NATIONAL, IdType.SA_IQAMA):
        return reverse("household:home")
    return reverse("individuals:home")


def code_message(*, purpose: str, code: str) -> str:
    """The short text that carries a code (one Arabic SMS segment where possible)."""
    minutes = int(settings.OTP_VALIDITY.total_seconds() // 60)
    if purpose == OneTimeCode.Purpose.ACTIVATION:
        text = _("Activation code: %(code)s, valid %(m)s min. Do not share it.")
    elif purpose == OneTimeCode.Purpose.MOBILE:
        text = _("Mobile confirmation code: %(code)s, valid %(m)s min. Do not share it.")
    else:
        text = _("Password reset code: %(code)s, valid %(m)s min. Do not share it.")
    return str(text) % {"code": code, "m": minutes}
