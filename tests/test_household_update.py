"""hh.update: personal data → address and contact → bank account → income → terms → a 4-digit
code by SMS to the mobile number → confirm. Nothing changes until the code is right; a code tried
too often changes nothing; a change of income counts from the next payment."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext

from accounts import sms
from accounts.models import OneTimeCode
from household.models import IncomeSource, Payment, ProfileUpdate

from .factories_household import IBAN, IBAN_2, bank_account, household_user
from .test_household_payments import make_pension, run

pytestmark = pytest.mark.django_db

CONTACT = {
    "mobile": "0559876543",
    "email": "new@example.sa",
    "region": "makkah",
    "city": "جدة",
    "district": "الروضة",
    "street": "شارع التحلية",
    "building_number": "1234",
    "postal_code": "23435",
    "additional_number": "5566",
}


def ar(msgid: str) -> str:
    with translation.override("ar"):
        return gettext(msgid)


@pytest.fixture
def member(client):
    pension = make_pension()
    run("2026-04-01")
    client.force_login(pension.beneficiary)
    return pension


def walk(client, capture, *, income=None, bank=None):
    assert client.get("/household/update/")["Location"] == "/household/update/personal/"
    assert client.get("/household/update/personal/").status_code == 200
    assert client.post("/household/update/personal/")["Location"] == "/household/update/contact/"
    resp = client.post("/household/update/contact/", CONTACT)
    assert resp["Location"] == "/household/update/bank/", (
        resp.context and resp.context["form"].errors
    )
    resp = client.post(
        "/household/update/bank/", bank or {"iban": IBAN, "iban_confirm": IBAN, "bank": "80"}
    )
    assert resp["Location"] == "/household/update/income/"
    resp = client.post(
        "/household/update/income/", income or {"has_income": "yes", "income_wages": "2000"}
    )
    assert resp["Location"] == "/household/update/terms/"
    with capture(execute=True):
        resp = client.post("/household/update/terms/", {"terms": "on"})
    assert resp["Location"] == "/household/update/code/"
    return re.search(r"(?<!\d)(\d{4})(?!\d)", sms.outbox[-1].body).group(1)


def test_the_update_confirmed_by_the_code(client, member, django_capture_on_commit_callbacks):
    user = member.beneficiary
    code = walk(
        client,
        django_capture_on_commit_callbacks,
        income={"has_income": "yes", "income_wages": "3000", "income_rent": "200"},
    )
    # Four digits, by SMS, to the NEW mobile number.
    msg = sms.outbox[-1]
    assert msg.to == "+966559876543" and len(code) == 4
    otp = OneTimeCode.objects.get(user=user, purpose="mobile")
    assert otp.sent_to == "+966559876543" and code not in otp.code_hash
    # Nothing has changed yet.
    user.refresh_from_db()
    assert str(user.phone) == "+966501234567"
    page = client.get("/household/update/code/")
    assert "+966*****43" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post("/household/update/code/", {"code": code})
    update = ProfileUpdate.objects.get()
    assert resp["Location"] == f"/household/update/done/{update.pk}/"
    user.refresh_from_db()
    profile = user.household_profile
    assert str(user.phone) == "+966559876543" and user.email == "new@example.sa"
    assert profile.city == "جدة" and profile.mobile_confirmed_at
    assert dict(profile.incomes.values_list("kind", "monthly_amount")) == {
        "wages": Decimal("3000.00"),
        "rent": Decimal("200.00"),
    }
    # From the next payment: 3,300 − (1,500 + 200) = 1,600.
    assert update.status == "confirmed" and update.income_changed
    done = client.get(f"/household/update/done/{update.pk}/")
    assert done.context["new_amount"] == "1600.00"
    assert any("1600.00" in m.body for m in sms.outbox)
    run("2026-05-01")
    assert Payment.objects.get(month=dt.date(2026, 5, 1)).amount == Decimal("1600.00")
    assert Payment.objects.get(month=dt.date(2026, 4, 1)).amount == Decimal("2300.00")


def test_a_wrong_code_and_a_code_tried_too_often_change_nothing(
    client, member, django_capture_on_commit_callbacks
):
    user = member.beneficiary
    code = walk(
        client,
        django_capture_on_commit_callbacks,
        income={"has_income": "yes", "income_wages": "100"},
    )
    wrong = "0000" if code != "0000" else "1111"
    resp = client.post("/household/update/code/", {"code": wrong})
    assert resp.status_code == 200
    assert (
        ar("The code is not correct. You have %(n)s tries left.") % {"n": 4}
        in (resp.context["form"].errors["code"])
    )
    for _ in range(4):
        resp = client.post("/household/update/code/", {"code": wrong})
    message = ar("Too many wrong attempts. Ask for a new code.")
    assert message in resp.context["form"].errors["code"]
    assert message in resp.content.decode()
    # Even the right code does not work now.
    resp = client.post("/household/update/code/", {"code": code})
    assert message in resp.context["form"].errors["code"]
    user.refresh_from_db()
    assert str(user.phone) == "+966501234567"
    assert user.household_profile.city == "الرياض"
    assert IncomeSource.objects.get(profile__user=user).monthly_amount == Decimal("2000.00")
    assert ProfileUpdate.objects.get().status == "draft"
    assert OneTimeCode.objects.get(user=user, purpose="mobile").attempts == 5


def test_the_code_is_four_digits(client, member, django_capture_on_commit_callbacks):
    walk(client, django_capture_on_commit_callbacks)
    resp = client.post("/household/update/code/", {"code": "123456"})
    assert ar("The code is 4 digits.") in resp.context["form"].errors["code"]
    assert OneTimeCode.objects.get(purpose="mobile").attempts == 0


def test_a_new_code_is_throttled(client, member, django_capture_on_commit_callbacks):
    walk(client, django_capture_on_commit_callbacks)
    resp = client.post("/household/update/code/", {"resend": "1"}, follow=True)
    assert resp.status_code == 200
    assert OneTimeCode.objects.filter(purpose="mobile").count() == 1  # a moment ago: refused


def test_a_bank_account_with_a_bad_checksum_saves_nothing(client, member):
    client.post("/household/update/personal/")
    client.post("/household/update/contact/", CONTACT)
    bad = "SA0380000000608010167510"
    resp = client.post("/household/update/bank/", {"iban": bad, "iban_confirm": bad, "bank": "80"})
    message = ar("The IBAN is not valid: its check digits do not match. Check the number.")
    assert message in resp.context["form"].errors["iban"]
    update = ProfileUpdate.objects.get()
    assert update.data["bank"]["iban"] == IBAN and "bank" not in update.data["_done"]


def test_a_new_bank_account_is_paid_from_the_next_payment(
    client, member, django_capture_on_commit_callbacks
):
    bank_account(IBAN_2, member.beneficiary.id_number)
    code = walk(
        client,
        django_capture_on_commit_callbacks,
        bank={"iban": IBAN_2, "iban_confirm": IBAN_2, "bank": "10"},
    )
    client.post("/household/update/code/", {"code": code})
    member.refresh_from_db()
    assert member.iban == IBAN_2 and member.beneficiary.household_profile.iban == IBAN_2
    run("2026-05-01")
    assert Payment.objects.get(month=dt.date(2026, 5, 1)).iban == IBAN_2


def test_the_update_resumes_and_needs_a_complete_profile(client):
    user = household_user(complete=False)
    client.force_login(user)
    assert client.get("/household/update/")["Location"] == "/household/profile/"
    user = household_user("1067890127", iban=IBAN_2)
    client.force_login(user)
    client.post("/household/update/personal/")
    client.post("/household/update/contact/", CONTACT)
    assert client.get("/household/update/")["Location"] == "/household/update/bank/"
    assert client.get("/household/update/code/")["Location"] == "/household/update/bank/"
