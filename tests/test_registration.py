"""Both registrations end to end through the views, including every error the issue names."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from accounts import sms
from accounts.models import IdType, OneTimeCode, User
from individuals.models import Individual

from .factories import IndividualFactory, UserFactory

pytestmark = pytest.mark.django_db

JO_URL = "/individuals/register/jordanian/"
NON_JO_URL = "/individuals/register/non-jordanian/"


def post(client, url, data):
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE="ar")


def errors(resp) -> dict:
    return resp.context["form"].errors


def assert_nothing_saved():
    assert not User.objects.exists()
    assert not Individual.objects.exists()
    assert not OneTimeCode.objects.exists()
    assert sms.outbox == [] and mail.outbox == []


class TestJordanianRegistration:
    def test_registers_and_sends_code_by_sms(
        self, client, jordanian_post, citizen, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            resp = post(client, JO_URL, jordanian_post())
        assert resp.status_code == 302 and resp.url == reverse("accounts:activate")
        user = User.objects.get(id_type=IdType.NATIONAL, id_number=citizen.number)
        assert user.activated_at is None and user.check_password(jordanian_post()["password"])
        ind = user.individual
        assert ind.is_jordanian and ind.name_ar == citizen.name_ar and ind.sex == "F"
        assert ind.id_card_number == citizen.id_card_number and ind.relative_kinship == "brother"
        assert str(user.phone) == "+962791234567"
        assert len(sms.outbox) == 1 and sms.outbox[0].to == "+962791234567"
        assert "رمز" in sms.outbox[0].body  # the SMS is in Arabic
        assert client.session["pending_activation_user"] == user.pk

    def test_activation_by_email(self, client, jordanian_post, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            resp = post(client, JO_URL, jordanian_post(activation_channel="email"))
        assert resp.status_code == 302
        assert sms.outbox == [] and len(mail.outbox) == 1
        assert mail.outbox[0].to == ["sara@example.com"]

    def test_accepts_arabic_digits_and_lowercase_card(self, client, jordanian_post, citizen):
        arabic = citizen.number.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
        resp = post(
            client,
            JO_URL,
            jordanian_post(national_number=arabic, id_card_number=citizen.id_card_number.lower()),
        )
        assert resp.status_code == 302
        assert User.objects.filter(id_number=citizen.number).exists()

    @pytest.mark.parametrize(
        ("overrides", "field", "fragment"),
        [
            ({"captcha_1": "WRONG"}, "captcha", "المربع"),
            ({"national_number": "12345"}, "national_number", "10"),
            ({"national_number": "9000000001"}, "national_number", "الأحوال المدنية"),
            ({"id_card_number": "ABC99999"}, "id_card_number", "البطاقة"),
            ({"id_card_number": "12345678"}, "id_card_number", "البطاقة"),
            ({"relative_national_number": "9111111111"}, "relative_national_number", "الأقارب"),
            ({"relative_national_number": "9902034567"}, "relative_national_number", "رقمك الوطني"),
            ({"relative_kinship": ""}, "relative_kinship", "مطلوب"),
            ({"phone_1": "12"}, "phone", "رقم"),
            ({"phone_1": "064650000"}, "phone", "هاتف محمول"),
            ({"email_confirm": "other@example.com"}, "email_confirm", "غير متطابق"),
            ({"email": "not-an-email", "email_confirm": "not-an-email"}, "email", "بريد"),
            ({"password_confirm": "Different#2026"}, "password_confirm", "غير متطابقت"),
            ({"password": "12345678", "password_confirm": "12345678"}, "password", "كلمة"),
            ({"password": "abc", "password_confirm": "abc"}, "password", "8"),
            ({"education_level": ""}, "education_level", "مطلوب"),
            ({"residence_country": "XX"}, "residence_country", "خيار"),
            ({"activation_channel": "fax"}, "activation_channel", "خيار"),
        ],
    )
    def test_bad_input_is_refused_with_an_arabic_message_and_nothing_saved(
        self, client, jordanian_post, overrides, field, fragment
    ):
        resp = post(client, JO_URL, jordanian_post(**overrides))
        assert resp.status_code == 200
        errs = errors(resp)
        assert field in errs, errs
        message = " ".join(errs[field])
        assert fragment in message, message
        # The error is next to the field and in the summary at the top.
        html = resp.content.decode()
        assert 'id="error-summary"' in html and f'href="#id_{field}' in html
        assert "<title>خطأ:" in html
        assert_nothing_saved()

    def test_form_keeps_what_was_typed(self, client, jordanian_post, citizen):
        resp = post(client, JO_URL, jordanian_post(id_card_number="ABC99999"))
        html = resp.content.decode()
        assert f'value="{citizen.number}"' in html and 'value="sara@example.com"' in html
        assert 'value="Strong#Pass2026"' not in html  # passwords are never sent back

    def test_duplicate_national_number(self, client, jordanian_post, citizen):
        IndividualFactory(user=UserFactory(id_number=citizen.number))
        resp = post(client, JO_URL, jordanian_post())
        assert "مسجل مسبق" in " ".join(errors(resp)["national_number"])
        assert User.objects.count() == 1 and not OneTimeCode.objects.exists()

    def test_duplicate_email_in_any_case(self, client, jordanian_post):
        UserFactory(email="Sara@Example.com")
        resp = post(
            client,
            JO_URL,
            jordanian_post(email="SARA@example.com", email_confirm="sara@EXAMPLE.com"),
        )
        assert "البريد الإلكتروني" in " ".join(errors(resp)["email"])
        assert User.objects.count() == 1

    def test_second_identical_submission_is_refused(self, client, jordanian_post):
        assert post(client, JO_URL, jordanian_post()).status_code == 302
        resp = post(client, JO_URL, jordanian_post())
        assert resp.status_code == 200 and "national_number" in errors(resp)
        assert User.objects.count() == 1 and OneTimeCode.objects.count() == 1

    def test_a_race_on_the_unique_constraint_is_a_form_error_not_a_500(
        self, client, jordanian_post, citizen, monkeypatch
    ):
        """Two submissions pass the duplicate check together; the database refuses the second."""
        from individuals import services

        original = services._check_unique
        calls = {"n": 0}

        def racing_check(**kwargs):
            calls["n"] += 1
            if calls["n"] == 1:  # the other request has not committed yet
                UserFactory(id_number=citizen.number)
                return None
            return original(**kwargs)

        monkeypatch.setattr(services, "_check_unique", racing_check)
        resp = post(client, JO_URL, jordanian_post())
        assert resp.status_code == 200
        assert "national_number" in errors(resp)
        assert User.objects.count() == 1 and not Individual.objects.exists()


class TestNonJordanianRegistration:
    def test_registers(
        self, client, non_jordanian_post, foreigner, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            resp = post(client, NON_JO_URL, non_jordanian_post())
        assert resp.status_code == 302 and resp.url == reverse("accounts:activate")
        user = User.objects.get(id_type=IdType.PERSONAL, id_number=foreigner.number)
        ind = user.individual
        assert not ind.is_jordanian and ind.nationality.code == "SY"
        assert ind.passport_number == foreigner.passport_number
        assert ind.insurance_number == foreigner.insurance_number
        assert str(ind.phone_abroad) == "+963944123456"
        assert len(sms.outbox) == 1

    @pytest.mark.parametrize(
        ("overrides", "field", "fragment"),
        [
            ({"captcha_1": "WRONG"}, "captcha", "المربع"),
            ({"personal_number": "1999999999"}, "personal_number", "الرقم الشخصي"),
            ({"passport_number": "X0000000"}, "passport_number", "جواز"),
            ({"passport_number": "??"}, "passport_number", "5"),
            ({"birth_date": "1992-07-21"}, "birth_date", "تاريخ الميلاد"),
            ({"birth_date": "2999-01-01"}, "birth_date", "سابق"),
            ({"birth_date": "not a date"}, "birth_date", "تاريخ"),
            ({"nationality": "EG"}, "nationality", "الجنسية"),
            ({"nationality": "JO"}, "nationality", "الرقم الوطني"),
            ({"insurance_number": "1111111"}, "insurance_number", "التأمين"),
            ({"insurance_number": "abc"}, "insurance_number", "أرقام"),
            ({"phone_abroad_1": "1"}, "phone_abroad", "رقم"),
            ({"email_confirm": "x@example.com"}, "email_confirm", "غير متطابق"),
            ({"password_confirm": "Nope#2026xx"}, "password_confirm", "غير متطابقت"),
            ({"password": "password", "password_confirm": "password"}, "password", "شائعة"),
        ],
    )
    def test_bad_input(self, client, non_jordanian_post, overrides, field, fragment):
        resp = post(client, NON_JO_URL, non_jordanian_post(**overrides))
        assert resp.status_code == 200
        errs = errors(resp)
        assert field in errs, errs
        assert fragment in " ".join(errs[field]), errs[field]
        assert_nothing_saved()

    def test_phone_abroad_is_optional(self, client, non_jordanian_post):
        resp = post(client, NON_JO_URL, non_jordanian_post(phone_abroad_0="", phone_abroad_1=""))
        assert resp.status_code == 302

    def test_duplicate_personal_number(self, client, non_jordanian_post, foreigner):
        UserFactory(id_type=IdType.PERSONAL, id_number=foreigner.number)
        resp = post(client, NON_JO_URL, non_jordanian_post())
        assert "مسجل مسبق" in " ".join(errors(resp)["personal_number"])


def test_choose_nationality_page_links_both_forms(client):
    resp = client.get("/individuals/register/")
    html = resp.content.decode()
    assert JO_URL in html and NON_JO_URL in html


def test_registration_links_an_insured_person_already_on_record(
    client, jordanian_post, citizen, django_capture_on_commit_callbacks
):
    """An employee reported by an establishment is on record before registering."""
    from individuals.models import InsurancePeriod

    from .factories import EstablishmentFactory

    person = Individual.objects.create(
        is_jordanian=True,
        name_ar=citizen.name_ar,
        birth_date=citizen.birth_date,
        sex="F",
        national_number=citizen.number,
        residence_country="JO",
        education_level="secondary",
    )
    InsurancePeriod.objects.create(
        individual=person,
        establishment=EstablishmentFactory(),
        coverage="mandatory",
        start_date="2020-01-01",
        monthly_wage="400.000",
    )
    with django_capture_on_commit_callbacks(execute=True):
        resp = post(client, JO_URL, jordanian_post())
    assert resp.status_code == 302
    person.refresh_from_db()
    assert person.user.id_number == citizen.number and person.education_level == "bachelor"
    assert Individual.objects.count() == 1 and person.periods.count() == 1
