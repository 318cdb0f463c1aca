"""hh.register: an account from the ID or iqama number, a temporary password by SMS, and the
forced change of that password at the first sign-in.

The sign-in key is ``sa_national:<number>`` or ``sa_iqama:<number>`` (accounts.User); the number's
first digit chooses which. The temporary password is made by the SMS task itself
(``issue_temporary_password``), which stores only its hash and sends it: it is never written to
the task queue, the database or a log in clear.
"""

from __future__ import annotations

import datetime as dt
import secrets
from functools import wraps

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.exceptions import ServiceError
from accounts.models import Channel, IdType, User, login_key

from .identity import get_identity_backend
from .models import Profile
from .validators import clean_saudi_id, id_type_for

HOUSEHOLD_TYPES = (IdType.SA_NATIONAL, IdType.SA_IQAMA)
# No 0/O, 1/l/I: read from a phone screen and typed by hand.
PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"


def temporary_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(10))


def is_household(user) -> bool:
    return bool(user and user.is_authenticated and user.id_type in HOUSEHOLD_TYPES)


def household_register(*, id_number: str, birth_date: dt.date, mobile: str) -> User:
    """Create the account and send its temporary password by SMS (after the commit)."""
    number = clean_saudi_id(id_number)
    if birth_date > timezone.localdate():
        raise ServiceError(_("The date of birth cannot be in the future."), field="birth_date")
    id_type = id_type_for(number)
    if User.objects.filter(username=login_key(id_type, number)).exists():
        raise ServiceError(
            _("An account exists for this number. Sign in with your password."), field="id_number"
        )
    person = get_identity_backend().verify(number=number, birth_date=birth_date)
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                id_type,
                number,
                None,  # no usable password until the SMS task makes the temporary one
                full_name=person.name_ar,
                phone=mobile,
                activation_channel=Channel.SMS,
            )
            Profile.objects.create(
                user=user,
                birth_date=birth_date,
                must_change_password=True,
                temporary_password_sent_at=timezone.now(),
            )
    except IntegrityError as exc:  # two registrations of the same number at once
        raise ServiceError(
            _("An account exists for this number. Sign in with your password."), field="id_number"
        ) from exc
    _send_temporary_password(user)
    return user


def temporary_password_expired(profile: Profile, *, now: dt.datetime | None = None) -> bool:
    """A temporary password not changed within ``HOUSEHOLD_TEMPORARY_PASSWORD_HOURS`` no longer
    signs in: a new one is asked for (``resend_temporary_password``)."""
    if not profile.must_change_password or profile.temporary_password_sent_at is None:
        return False
    valid = dt.timedelta(hours=settings.HOUSEHOLD_TEMPORARY_PASSWORD_HOURS)
    return (now or timezone.now()) > profile.temporary_password_sent_at + valid


def resend_temporary_password(*, id_number: str, birth_date: dt.date, mobile: str) -> bool:
    """A new temporary password for an account that has not signed in yet, when the ID or iqama
    number, the date of birth and the mobile all match it; at most once per
    ``HOUSEHOLD_TEMPORARY_PASSWORD_RESEND``. Whether it was sent is for the tests and the log:
    the page says the same either way, so that it tells no one whether an account exists."""
    number = clean_saudi_id(id_number)
    key = login_key(id_type_for(number), number)
    with transaction.atomic():
        profile = (
            Profile.objects.select_for_update()
            .select_related("user")
            .filter(user__username=key, must_change_password=True, birth_date=birth_date)
            .first()
        )
        if profile is None or str(profile.user.phone) != str(mobile):
            return False
        now = timezone.now()
        sent = profile.temporary_password_sent_at
        if sent is not None and now < sent + settings.HOUSEHOLD_TEMPORARY_PASSWORD_RESEND:
            return False
        profile.temporary_password_sent_at = now  # the interval counts from the request
        profile.save(update_fields=["temporary_password_sent_at"])
        _send_temporary_password(profile.user)
    return True


def _send_temporary_password(user: User) -> None:
    from .tasks import deliver_temporary_password

    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(lambda: deliver_temporary_password.delay(user.pk, language), robust=True)


def issue_temporary_password(user_id: int) -> tuple[User, str] | None:
    """A new temporary password for an account still waiting for its first sign-in: set (its hash
    stored) and returned for the SMS, or None when the account needs none any more (its own
    password chosen meanwhile, or gone). Each delivery attempt makes a new one: only the last one
    sent signs in."""
    with transaction.atomic():
        profile = (
            Profile.objects.select_for_update()
            .select_related("user")
            .filter(user_id=user_id, must_change_password=True)
            .first()
        )
        if profile is None:
            return None
        password = temporary_password()
        profile.user.set_password(password)
        profile.user.save(update_fields=["password"])
        profile.temporary_password_sent_at = timezone.now()
        profile.save(update_fields=["temporary_password_sent_at"])
    return profile.user, password


def temporary_password_message(password: str) -> str:
    return _("Your temporary password: %(password)s. Change it when you first sign in.") % {
        "password": password
    }


def password_change(*, user: User, new_password: str) -> User:
    """The first sign-in's change of the temporary password (the form has validated it)."""
    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(user=user)
        user.set_password(new_password)
        fields = ["password"]
        if not user.is_activated:
            user.activated_at = timezone.now()  # the SMS reached them: the mobile is theirs
            fields.append("activated_at")
        user.save(update_fields=fields)
        profile.must_change_password = False
        if profile.mobile_confirmed_at is None:
            profile.mobile_confirmed_at = timezone.now()
        profile.save(update_fields=["must_change_password", "mobile_confirmed_at"])
    return user


def after_password_change(request, user: User) -> None:
    update_session_auth_hash(request, user)


def household_view(*, profile_complete: bool = False, allow_temporary: bool = False):
    """Guard a household page: signed in (on the household sign-in page) with a household
    account, the temporary password changed, and (if asked) the profile complete."""

    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("household:sign_in"))
            if not is_household(user) or not hasattr(user, "household_profile"):
                raise PermissionDenied
            profile = user.household_profile
            if profile.must_change_password and not allow_temporary:
                return redirect("household:password_change")
            if profile_complete and not profile.is_complete:
                return redirect("household:profile")
            return view(request, *args, **kwargs)

        return guarded

    return decorate
