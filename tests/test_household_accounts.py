"""hh.register: the ID/iqama number with its check digit, the birth date, the sum, the temporary
password by SMS, the forced change of it at the first sign-in, and the five-stage profile that
resumes where it stopped. A wrong entry is a clear message (in the page's language, Arabic by
default) and nothing is saved."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts import sms
from accounts.models import User
from household.models import IncomeSource, Profile
from household.validators import clean_saudi_iban, clean_saudi_id, id_type_for, luhn_ok

from .factories_household import (
    CITIZEN,
    CITIZEN_2,
    IBAN,
    IBAN_2,
    RESIDENT,
    bank_account,
    household_user,
    person,
)

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Nakhla#Riyadh2026"


def ar(msgid: str) -> str:
    """The message as an Arabic page shows it (the msgid until the .po is compiled)."""
    with translation.override("ar"):
        return gettext(msgid)


def page_text(resp) -> str:
    return resp.content.decode()


# --- identifiers ------------------------------------------------------------------------------


class TestIdentifiers:
    @pytest.mark.parametrize("number", ["1000000008", CITIZEN, RESIDENT, "١٠٠٠٠٠٠٠٠٨"])
    def test_valid_numbers(self, number):
        assert luhn_ok(clean_saudi_id(number))

    def test_type_from_the_first_digit(self):
        assert id_type_for(CITIZEN) == "sa_national" and id_type_for(RESIDENT) == "sa_iqama"

    @pytest.mark.parametrize(
        ("number", "code"),
        [
            ("1000000000", "check_digit"),
            ("1045678908", "check_digit"),
            ("3045678909", "first_digit"),
            ("104567890", "length"),
            ("10456789091", "length"),
            ("10456789a9", "length"),
        ],
    )
    def test_invalid_numbers_say_why(self, number, code):
        with pytest.raises(ValidationError) as err:
            clean_saudi_id(number)
        assert err.value.code == code

    def test_iban(self):
        assert clean_saudi_iban("sa03 8000 0000 6080 1016 7519") == IBAN
        with pytest.raises(ValidationError) as err:
            clean_saudi_iban("SA0480000000608010167519")
        assert err.value.code == "checksum"
        with pytest.raises(ValidationError) as err:
            clean_saudi_iban("JO71CBJO0000000000001234567890")
        assert err.value.code == "format"


# --- hh.register ------------------------------------------------------------------------------


def sum_answer(client) -> int:
    a, b = client.session["household_sum"]
    return a + b


def details_post(client, url: str, **overrides):
    """The registration's details (and the sum the page just asked) posted to ``url``."""
    client.get(url)
    data = {
        "id_number": CITIZEN,
        "mobile": "0501234567",
        "birth_date": "1980-03-15",
        "arithmetic": sum_answer(client),
    }
    data.update(overrides)
    return client.post(url, data)


def register_post(client, **overrides):
    return details_post(client, "/household/register/", **overrides)


class TestRegister:
    def test_the_account_and_the_temporary_password(
        self, client, django_capture_on_commit_callbacks
    ):
        person()
        page = client.get("/household/register/")
        assert re.search(r"\d \+ \d", page_text(page))  # the sum is shown
        with django_capture_on_commit_callbacks(execute=True):
            resp = register_post(client)
        assert resp.status_code == 302 and resp["Location"] == "/household/register/sent/"
        user = User.objects.get(username=f"sa_national:{CITIZEN}")
        assert user.full_name == "فاطمة القحطاني" and str(user.phone) == "+966501234567"
        assert not user.is_activated
        profile = user.household_profile
        assert profile.must_change_password and profile.stage == Profile.Stage.ADDRESS
        assert len(sms.outbox) == 1 and sms.outbox[0].to == "+966501234567"
        password = re.search(r"([A-Za-z0-9]{10})", sms.outbox[0].body).group(1)
        assert user.check_password(password)
        assert sms.segments(sms.outbox[0].body) == 1
        sent = client.get("/household/register/sent/")
        assert "+966*****67" in page_text(sent)

    def test_a_resident_registers_with_the_iqama(self, client, django_capture_on_commit_callbacks):
        person(RESIDENT, dt.date(1988, 11, 20))
        with django_capture_on_commit_callbacks(execute=True):
            register_post(client, id_number=RESIDENT, birth_date="1988-11-20")
        assert User.objects.get(username=f"sa_iqama:{RESIDENT}").id_type == "sa_iqama"

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            (
                {"id_number": "1045678908"},
                "id_number",
                "The number is not valid: its check digit does not match. Check the number.",
            ),
            (
                {"id_number": "3045678909"},
                "id_number",
                "The number starts with 1 (a national ID of a citizen) or 2 (the iqama of a "
                "resident).",
            ),
            (
                {"birth_date": "2999-01-01"},
                "birth_date",
                "The date of birth cannot be in the future.",
            ),
            (
                {"arithmetic": 999},
                "arithmetic",
                "The result of the sum is not correct. Try the new sum.",
            ),
            (
                {"mobile": "0791234567"},
                "mobile",
                "Enter a Saudi mobile number: 10 digits starting with 05.",
            ),
            (
                {"birth_date": "1981-03-15"},
                "birth_date",
                "The birth date does not match this ID or iqama number.",
            ),
        ],
    )
    def test_a_wrong_entry_is_a_clear_message_and_nothing_is_saved(
        self, client, overrides, field, message, django_capture_on_commit_callbacks
    ):
        person()
        with django_capture_on_commit_callbacks(execute=True):
            resp = register_post(client, **overrides)
        assert resp.status_code == 200
        assert ar(message) in resp.context["form"].errors[field]
        assert ar(message) in page_text(resp)
        assert not User.objects.filter(id_number=CITIZEN).exists()
        assert not Profile.objects.exists() and sms.outbox == []

    def test_the_sum_is_answered_once(self, client):
        person()
        client.get("/household/register/")
        answer = sum_answer(client)
        client.post("/household/register/", {"id_number": "1", "arithmetic": answer})
        # The same answer to the new sum (unless the new sum happens to have it) is refused.
        if sum_answer(client) != answer:
            resp = client.post(
                "/household/register/",
                {
                    "id_number": CITIZEN,
                    "mobile": "0501234567",
                    "birth_date": "1980-03-15",
                    "arithmetic": answer,
                },
            )
            assert "arithmetic" in resp.context["form"].errors
            assert not User.objects.exists()

    def test_a_number_registered_already(self, client):
        person()
        household_user(CITIZEN)
        resp = register_post(client)
        assert (
            ar("An account exists for this number. Sign in with your password.")
            in (resp.context["form"].errors["id_number"])
        )
        assert User.objects.filter(id_number=CITIZEN).count() == 1

    def test_a_number_unknown_to_the_register(self, client):
        resp = register_post(client, id_number=CITIZEN_2)
        assert resp.context["form"].errors["id_number"]
        assert not User.objects.exists()


# --- first sign-in --------------------------------------------------------------------------


def registered(client, capture) -> str:
    person()
    with capture(execute=True):
        register_post(client)
    return re.search(r"([A-Za-z0-9]{10})", sms.outbox[-1].body).group(1)


class TestFirstSignIn:
    def test_the_temporary_password_must_be_changed(
        self, client, django_capture_on_commit_callbacks
    ):
        temp = registered(client, django_capture_on_commit_callbacks)
        resp = client.post("/household/sign-in/", {"id_number": CITIZEN, "password": temp})
        assert resp.status_code == 302 and resp["Location"] == "/household/password/"
        # Every household page leads to the change first.
        for url in ("/household/profile/", "/household/apply/", "/household/update/"):
            assert client.get(url)["Location"] == "/household/password/"
        # The temporary password is not the new one.
        resp = client.post("/household/password/", {"new_password1": temp, "new_password2": temp})
        assert resp.status_code == 200 and resp.context["form"].errors["new_password1"]
        resp = client.post(
            "/household/password/",
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        assert resp["Location"] == "/household/profile/"
        user = User.objects.get(id_number=CITIZEN)
        assert user.check_password(NEW_PASSWORD) and user.is_activated
        assert not user.household_profile.must_change_password
        assert client.get("/household/profile/")["Location"] == "/household/profile/1/"
        client.logout()
        resp = client.post("/household/sign-in/", {"id_number": CITIZEN, "password": temp})
        assert resp.status_code == 200 and not resp.wsgi_request.user.is_authenticated

    def test_wrong_password_and_wrong_number(self, client):
        household_user()
        resp = client.post("/household/sign-in/", {"id_number": CITIZEN, "password": "nope"})
        assert ar("The ID or iqama number or the password is not correct.") in page_text(resp)
        resp = client.post("/household/sign-in/", {"id_number": "1045678908", "password": "x"})
        assert ar(
            "The number is not valid: its check digit does not match. Check the number."
        ) in page_text(resp)

    def test_a_jordanian_account_is_not_a_household_one(self, client):
        from .factories import UserFactory

        other = UserFactory()
        client.force_login(other)
        assert client.get("/household/profile/").status_code == 403
        assert client.get("/household/").status_code == 200

    def test_signed_out_goes_to_the_household_sign_in(self, client):
        resp = client.get("/household/payments/")
        assert resp["Location"].startswith("/household/sign-in/?next=")


# --- the profile --------------------------------------------------------------------------


STAGE_DATA = {
    1: {
        "region": "riyadh",
        "city": "الرياض",
        "district": "النسيم",
        "street": "شارع الأمير سعود",
        "building_number": "4321",
        "postal_code": "14231",
        "additional_number": "7788",
        "email": "fatimah@example.sa",
    },
    2: {"employment": "private", "employer": "مشغل الأمل", "job_title": "خياطة"},
    3: {"iban": IBAN, "iban_confirm": IBAN, "bank": "80"},
    4: {"has_income": "yes", "income_wages": "1200", "income_citizen_account": "720"},
    5: {"education": "secondary", "specialization": ""},
    6: {"terms": "on"},
}


@pytest.fixture
def newcomer(client):
    user = household_user(complete=False)
    bank_account(IBAN, CITIZEN)
    client.force_login(user)
    return user


class TestProfile:
    def test_five_stages_then_the_terms(self, client, newcomer):
        for stage in range(1, 7):
            resp = client.post(f"/household/profile/{stage}/", STAGE_DATA[stage])
            assert resp.status_code == 302, (stage, resp.context and resp.context["form"].errors)
        assert resp["Location"] == "/household/"
        profile = Profile.objects.get(user=newcomer)
        assert profile.is_complete and profile.stage == Profile.Stage.DONE
        assert profile.terms_accepted_at and profile.iban == IBAN and profile.bank_verified_at
        assert sorted(profile.incomes.values_list("kind", flat=True)) == [
            "citizen_account",
            "wages",
        ]
        newcomer.refresh_from_db()
        assert newcomer.email == "fatimah@example.sa"
        home = client.get("/household/")
        assert ar("Your profile has been entered successfully.") in page_text(home)

    def test_it_resumes_at_the_stage_left(self, client, newcomer):
        client.post("/household/profile/1/", STAGE_DATA[1])
        client.post("/household/profile/2/", STAGE_DATA[2])
        client.logout()
        client.force_login(newcomer)
        assert client.get("/household/profile/")["Location"] == "/household/profile/3/"
        # A later stage is not reached before the earlier ones.
        assert client.get("/household/profile/5/")["Location"] == "/household/profile/3/"
        # An earlier one can be corrected.
        assert client.get("/household/profile/1/").status_code == 200

    def test_an_iban_that_fails_its_checksum(self, client, newcomer):
        client.post("/household/profile/1/", STAGE_DATA[1])
        client.post("/household/profile/2/", STAGE_DATA[2])
        bad = "SA0480000000608010167519"
        resp = client.post(
            "/household/profile/3/", {"iban": bad, "iban_confirm": bad, "bank": "80"}
        )
        assert resp.status_code == 200
        message = ar("The IBAN is not valid: its check digits do not match. Check the number.")
        assert message in resp.context["form"].errors["iban"] and message in page_text(resp)
        profile = Profile.objects.get(user=newcomer)
        assert profile.iban == "" and profile.stage == Profile.Stage.BANK

    def test_the_bank_must_know_the_account_in_your_name(self, client, newcomer):
        client.post("/household/profile/1/", STAGE_DATA[1])
        client.post("/household/profile/2/", STAGE_DATA[2])
        # The IBAN of another bank than the one chosen.
        resp = client.post(
            "/household/profile/3/", {"iban": IBAN, "iban_confirm": IBAN, "bank": "10"}
        )
        assert resp.context["form"].errors["bank"]
        # Not the same twice.
        resp = client.post(
            "/household/profile/3/", {"iban": IBAN, "iban_confirm": IBAN_2, "bank": "80"}
        )
        assert (
            ar("The two account numbers are not the same.")
            in (resp.context["form"].errors["iban_confirm"])
        )
        # An account of somebody else.
        bank_account(IBAN_2, CITIZEN_2)
        resp = client.post(
            "/household/profile/3/", {"iban": IBAN_2, "iban_confirm": IBAN_2, "bank": "10"}
        )
        assert resp.context["form"].errors["iban"]
        assert Profile.objects.get(user=newcomer).iban == ""

    def test_income_yes_needs_an_amount(self, client, newcomer):
        for stage in (1, 2, 3):
            client.post(f"/household/profile/{stage}/", STAGE_DATA[stage])
        resp = client.post("/household/profile/4/", {"has_income": "yes"})
        assert resp.context["form"].errors["has_income"]
        resp = client.post("/household/profile/4/", {"has_income": "no", "income_rent": "100"})
        assert resp.context["form"].errors["has_income"]
        assert not IncomeSource.objects.exists()

    def test_terms_are_required(self, client, newcomer):
        for stage in range(1, 6):
            client.post(f"/household/profile/{stage}/", STAGE_DATA[stage])
        resp = client.post("/household/profile/6/", {})
        assert (
            ar("You must agree to the terms to continue.") in resp.context["form"].errors["terms"]
        )
        assert not Profile.objects.get(user=newcomer).is_complete


def test_home_lists_the_household_section(client):
    resp = client.get("/household/")
    html = page_text(resp)
    for url in (
        "/household/register/",
        "/household/apply/",
        "/household/entitlement/",
        "/household/update/",
        "/household/payments/",
        "/household/review/",
        "/service/hh.change-report/",
        "/service/hh.breadwinner-change/",
    ):
        assert f'href="{url}"' in html, url
    assert ar("Not available yet") not in html


def test_the_catalogue_api_marks_the_household_services_implemented(client):
    rows = client.get("/api/v1/services?audience=household").json()
    assert {r["code"]: r["implemented"] for r in rows} == {
        "hh.register": True,
        "hh.apply": True,
        "hh.entitlement": True,
        "hh.review": True,
        "hh.payment": True,
        "hh.update": True,
        "hh.change-report": True,
        "hh.breadwinner-change": True,
    }


def test_timezone_today_is_used_for_the_future_check():
    from household.forms import RegisterForm

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    form = RegisterForm(
        {"id_number": CITIZEN, "mobile": "0501234567", "birth_date": tomorrow, "arithmetic": 3},
        answer=3,
    )
    assert not form.is_valid() and "birth_date" in form.errors


def test_a_temporary_password_opens_no_other_page_of_the_portal(client):
    """Signed in with the temporary password, every page leads to the password change first."""
    from household.models import Profile

    from .factories_household import household_user

    user = household_user(must_change_password=True)
    client.force_login(user)
    for url in ("/", "/requests/", "/inbox/", "/services/individuals/", "/household/"):
        resp = client.get(url)
        assert resp.status_code == 302, url
        assert resp["Location"] == "/household/password/", url
    assert client.get("/household/password/").status_code == 200
    Profile.objects.filter(user=user).update(must_change_password=False)
    assert client.get("/inbox/").status_code == 200


# --- the temporary password expires; a new one on request -------------------------------------


def resend_post(client, **overrides):
    return details_post(client, "/household/sign-in/new-password/", **overrides)


def age_temporary_password(hours: float) -> None:
    Profile.objects.update(temporary_password_sent_at=timezone.now() - dt.timedelta(hours=hours))


class TestTemporaryPasswordExpiry:
    def test_an_expired_temporary_password_no_longer_signs_in(
        self, client, django_capture_on_commit_callbacks, settings
    ):
        settings.HOUSEHOLD_TEMPORARY_PASSWORD_HOURS = 24
        temp = registered(client, django_capture_on_commit_callbacks)
        age_temporary_password(23.9)
        resp = client.post("/household/sign-in/", {"id_number": CITIZEN, "password": temp})
        assert resp.status_code == 302  # still good
        client.logout()
        age_temporary_password(24.1)
        resp = client.post("/household/sign-in/", {"id_number": CITIZEN, "password": temp})
        assert resp.status_code == 200 and not resp.wsgi_request.user.is_authenticated
        text = page_text(resp)
        assert (
            ar(
                "Your temporary password has expired. Ask for a new one: it is sent to your"
                " mobile by text message."
            )
            in text
        )
        assert "/household/sign-in/new-password/" in text  # the way to a new one

    def test_a_new_temporary_password_replaces_the_old_one(
        self, client, django_capture_on_commit_callbacks, settings
    ):
        temp = registered(client, django_capture_on_commit_callbacks)
        age_temporary_password(30)
        page = client.get("/household/sign-in/new-password/")
        assert str(settings.HOUSEHOLD_TEMPORARY_PASSWORD_HOURS) in page_text(page)
        with django_capture_on_commit_callbacks(execute=True):
            resp = resend_post(client)
        assert resp["Location"] == "/household/sign-in/"
        assert len(sms.outbox) == 2 and sms.outbox[-1].to == "+966501234567"
        new = re.search(r"([A-Za-z0-9]{10})", sms.outbox[-1].body).group(1)
        user = User.objects.get(id_number=CITIZEN)
        assert new != temp and user.check_password(new) and not user.check_password(temp)
        assert timezone.now() - user.household_profile.temporary_password_sent_at < dt.timedelta(
            minutes=1
        )
        resp = client.post("/household/sign-in/", {"id_number": CITIZEN, "password": new})
        assert resp["Location"] == "/household/password/"

    @pytest.mark.parametrize(
        "overrides",
        [
            {"mobile": "0509999999"},
            {"birth_date": "1980-03-16"},
            {"id_number": RESIDENT},  # no such account
        ],
    )
    def test_details_that_do_not_match_send_nothing_and_say_the_same(
        self, client, django_capture_on_commit_callbacks, overrides
    ):
        temp = registered(client, django_capture_on_commit_callbacks)
        age_temporary_password(30)
        with django_capture_on_commit_callbacks(execute=True):
            resp = resend_post(client, **overrides)
        assert resp["Location"] == "/household/sign-in/"  # the same answer as when it matches
        assert len(sms.outbox) == 1
        assert User.objects.get(id_number=CITIZEN).check_password(temp)

    def test_at_most_one_new_password_per_interval_and_none_once_changed(
        self, client, django_capture_on_commit_callbacks, settings
    ):
        settings.HOUSEHOLD_TEMPORARY_PASSWORD_RESEND = dt.timedelta(minutes=5)
        registered(client, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            resend_post(client)  # just sent at registration
        assert len(sms.outbox) == 1
        age_temporary_password(0.1)  # six minutes later
        with django_capture_on_commit_callbacks(execute=True):
            resend_post(client)
            resend_post(client)
        assert len(sms.outbox) == 2
        Profile.objects.update(must_change_password=False)
        age_temporary_password(30)
        with django_capture_on_commit_callbacks(execute=True):
            resend_post(client)
        assert len(sms.outbox) == 2

    def test_a_wrong_sum_sends_nothing(self, client, django_capture_on_commit_callbacks):
        registered(client, django_capture_on_commit_callbacks)
        age_temporary_password(30)
        with django_capture_on_commit_callbacks(execute=True):
            resp = resend_post(client, arithmetic=99)
        assert resp.status_code == 200 and resp.context["form"].errors["arithmetic"]
        assert len(sms.outbox) == 1


class TestTemporaryPasswordNeverInTheQueue:
    def test_the_task_gets_the_account_not_the_password(
        self, client, monkeypatch, django_capture_on_commit_callbacks
    ):
        from household import tasks

        sent = []
        monkeypatch.setattr(
            tasks.deliver_temporary_password, "delay", lambda *args: sent.append(args)
        )
        person()
        with django_capture_on_commit_callbacks(execute=True):
            register_post(client)
        user = User.objects.get(id_number=CITIZEN)
        assert not user.has_usable_password()  # nothing signs in before the SMS task runs
        assert sent == [(user.pk, "ar")]  # what goes through the broker
        assert tasks.deliver_temporary_password(user.pk, "ar") == "sent"
        password = re.search(r"([A-Za-z0-9]{10})", sms.outbox[-1].body).group(1)
        user.refresh_from_db()
        assert user.check_password(password)

    def test_each_attempt_makes_a_new_one_and_none_once_changed(
        self, client, django_capture_on_commit_callbacks
    ):
        from household import tasks

        first = registered(client, django_capture_on_commit_callbacks)
        user = User.objects.get(id_number=CITIZEN)
        assert tasks.deliver_temporary_password(user.pk, "ar") == "sent"  # a retry, say
        second = re.search(r"([A-Za-z0-9]{10})", sms.outbox[-1].body).group(1)
        user.refresh_from_db()
        assert user.check_password(second) and not user.check_password(first)
        Profile.objects.filter(user=user).update(must_change_password=False)
        assert tasks.deliver_temporary_password(user.pk, "ar") == "not needed"
        user.refresh_from_db()
        assert user.check_password(second) and len(sms.outbox) == 2
