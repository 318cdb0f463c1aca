from __future__ import annotations

import pytest

from accounts import sms
from accounts.models import OneTimeCode

from .conftest import last_code
from .factories import IndividualFactory, UserFactory

pytestmark = pytest.mark.django_db
NEW = "Another#Pass2027"


def start(client, number, channel="sms", id_type="national"):
    return client.post(
        "/accounts/password-reset/",
        {
            "id_type": id_type,
            "username": number,
            "channel": channel,
            "captcha_0": "x",
            "captcha_1": "PASSED",
        },
    )


def test_reset_by_sms_code(client, django_capture_on_commit_callbacks):
    ind = IndividualFactory()
    with django_capture_on_commit_callbacks(execute=True):
        resp = start(client, ind.national_number)
    assert resp.url == "/accounts/password-reset/verify/"
    done = client.post(resp.url, {"code": last_code(), "new_password1": NEW, "new_password2": NEW})
    assert done.url == "/accounts/sign-in/"
    ind.user.refresh_from_db()
    assert ind.user.check_password(NEW)


def test_reset_by_email_also_activates_a_never_activated_account(
    client, django_capture_on_commit_callbacks
):
    ind = IndividualFactory(user=UserFactory(activated_at=None))
    with django_capture_on_commit_callbacks(execute=True):
        resp = start(client, ind.national_number, channel="email")
    done = client.post(
        resp.url, {"code": last_code("email"), "new_password1": NEW, "new_password2": NEW}
    )
    assert done.status_code == 302
    ind.user.refresh_from_db()
    assert ind.user.is_activated


def test_unknown_number_looks_the_same_and_sends_nothing(client):
    resp = start(client, "9000000009")
    assert resp.url == "/accounts/password-reset/verify/"
    assert sms.outbox == []
    page = client.post(resp.url, {"code": "123456", "new_password1": NEW, "new_password2": NEW})
    assert page.status_code == 200 and "code" in page.context["form"].errors


def test_wrong_code_weak_and_mismatched_passwords(client, django_capture_on_commit_callbacks):
    ind = IndividualFactory()
    with django_capture_on_commit_callbacks(execute=True):
        start(client, ind.national_number)
    code = last_code()
    url = "/accounts/password-reset/verify/"
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    r1 = client.post(url, {"code": wrong, "new_password1": NEW, "new_password2": NEW})
    assert "code" in r1.context["form"].errors
    r2 = client.post(url, {"code": code, "new_password1": NEW, "new_password2": NEW + "x"})
    assert "new_password2" in r2.context["form"].errors
    r3 = client.post(url, {"code": code, "new_password1": "12345678", "new_password2": "12345678"})
    assert "new_password1" in r3.context["form"].errors
    assert OneTimeCode.objects.get().used_at is None  # the code is still good
    ind.user.refresh_from_db()
    assert not ind.user.check_password("12345678")


def test_wrong_captcha(client):
    ind = IndividualFactory()
    resp = client.post(
        "/accounts/password-reset/",
        {
            "id_type": "national",
            "username": ind.national_number,
            "channel": "sms",
            "captcha_0": "x",
            "captcha_1": "nope",
        },
    )
    assert resp.status_code == 200 and "captcha" in resp.context["form"].errors
    assert sms.outbox == []


def test_verify_page_without_start_redirects(client):
    assert client.get("/accounts/password-reset/verify/").url == "/accounts/password-reset/"


def test_a_code_sent_a_moment_ago_is_used_rather_than_refused(
    client, django_capture_on_commit_callbacks
):
    """An establishment's approval sends a reset code; the officer then opens the reset page."""
    from accounts.services import otp_issue

    ind = IndividualFactory()
    with django_capture_on_commit_callbacks(execute=True):
        otp_issue(user=ind.user, purpose=OneTimeCode.Purpose.PASSWORD_RESET)
    code = last_code()
    resp = start(client, ind.national_number)
    assert resp.url == "/accounts/password-reset/verify/"
    assert len(sms.outbox) == 1  # no second code
    done = client.post(resp.url, {"code": code, "new_password1": NEW, "new_password2": NEW})
    assert done.url == "/accounts/sign-in/"
