"""The one-time code lifecycle: 6 digits, hashed, 10 minutes, 5 tries, resend throttled."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts import sms
from accounts.exceptions import OtpExpired, OtpInvalid, OtpThrottled, OtpTooManyAttempts
from accounts.models import OneTimeCode
from accounts.services import otp_issue, otp_verify, user_activate

from .conftest import last_code
from .factories import UserFactory

pytestmark = pytest.mark.django_db
ACT = OneTimeCode.Purpose.ACTIVATION


@pytest.fixture
def user():
    return UserFactory(activated_at=None)


def issue(user, django_capture_on_commit_callbacks, **kw):
    with django_capture_on_commit_callbacks(execute=True):
        return otp_issue(user=user, purpose=ACT, **kw)


def test_code_is_six_digits_sent_after_commit_and_stored_hashed(
    user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        otp = otp_issue(user=user, purpose=ACT)
        assert sms.outbox == []  # nothing leaves before the transaction commits
    assert len(callbacks) == 1
    callbacks[0]()
    code = last_code()
    assert len(code) == 6 and code.isdigit()
    otp.refresh_from_db()
    assert code not in otp.code_hash and len(otp.code_hash) > 40
    assert otp.delivery_status == OneTimeCode.Delivery.SENT
    assert otp.expires_at - otp.created_at == dt.timedelta(minutes=10)
    assert sms.segments(sms.outbox[-1].body) == 1  # one Arabic SMS segment


def test_right_code_activates_once(user, django_capture_on_commit_callbacks):
    issue(user, django_capture_on_commit_callbacks)
    code = last_code()
    user_activate(user=user, code=code)
    user.refresh_from_db()
    assert user.is_activated
    with pytest.raises(OtpExpired):  # a used code does not work again
        otp_verify(user=user, purpose=ACT, code=code)


def test_wrong_code_counts_tries_and_locks_after_five(user, django_capture_on_commit_callbacks):
    issue(user, django_capture_on_commit_callbacks)
    code = last_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for left in (4, 3, 2, 1):
        with pytest.raises(OtpInvalid) as exc:
            otp_verify(user=user, purpose=ACT, code=wrong)
        assert str(left) in str(exc.value.message)
    with pytest.raises(OtpTooManyAttempts):
        otp_verify(user=user, purpose=ACT, code=wrong)
    with pytest.raises(OtpTooManyAttempts):  # even the right code is refused now
        otp_verify(user=user, purpose=ACT, code=code)
    assert OneTimeCode.objects.get().attempts == 5


def test_expired_code_is_refused(user, django_capture_on_commit_callbacks):
    issue(user, django_capture_on_commit_callbacks)
    code = last_code()
    OneTimeCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(OtpExpired):
        otp_verify(user=user, purpose=ACT, code=code)


def test_resend_is_throttled_then_replaces_the_old_code(user, django_capture_on_commit_callbacks):
    issue(user, django_capture_on_commit_callbacks)
    first = last_code()
    with pytest.raises(OtpThrottled) as exc:
        issue(user, django_capture_on_commit_callbacks)
    assert 0 < exc.value.seconds <= 60
    OneTimeCode.objects.update(created_at=timezone.now() - dt.timedelta(seconds=61))
    issue(user, django_capture_on_commit_callbacks)
    second = last_code()
    assert OneTimeCode.objects.filter(revoked_at__isnull=False).count() == 1
    if first != second:
        with pytest.raises(OtpInvalid):
            otp_verify(user=user, purpose=ACT, code=first)
    otp_verify(user=user, purpose=ACT, code=second)


def test_at_most_five_codes_an_hour(user, django_capture_on_commit_callbacks):
    for i in range(5):
        OneTimeCode.objects.update(created_at=timezone.now() - dt.timedelta(minutes=50 - i))
        issue(user, django_capture_on_commit_callbacks)
    OneTimeCode.objects.filter(created_at__gt=timezone.now() - dt.timedelta(minutes=1)).update(
        created_at=timezone.now() - dt.timedelta(minutes=2)
    )
    with pytest.raises(OtpThrottled):
        issue(user, django_capture_on_commit_callbacks)
    assert len(sms.outbox) == 5


def test_email_channel_needs_an_email(django_capture_on_commit_callbacks):
    from accounts.exceptions import ServiceError

    user = UserFactory(activated_at=None, email="")
    with pytest.raises(ServiceError):
        issue(user, django_capture_on_commit_callbacks, channel="email")
    assert not OneTimeCode.objects.exists()


def test_activation_page_flow(client, user, django_capture_on_commit_callbacks):
    issue(user, django_capture_on_commit_callbacks)
    session = client.session
    session["pending_activation_user"] = user.pk
    session.save()
    page = client.get("/accounts/activate/")
    assert page.status_code == 200 and "*****" in page.content.decode()  # masked number
    bad = client.post("/accounts/activate/", {"code": "12"})
    assert "code" in bad.context["form"].errors
    resend = client.post("/accounts/activate/resend/")
    assert resend.status_code == 302
    ok = client.post("/accounts/activate/", {"code": last_code()})
    assert ok.status_code == 302 and ok.url == "/accounts/sign-in/"
    user.refresh_from_db()
    assert user.is_activated


def test_activation_page_without_pending_user_sends_to_sign_in(client):
    assert client.get("/accounts/activate/").url == "/accounts/sign-in/"
