"""Pages, languages, the catalogue, and the staff admin."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import IdType, OneTimeCode
from accounts.services import otp_issue
from eservices.catalogue import SERVICES

from .factories import IndividualFactory, InsurancePeriodFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/accounts/sign-in/",
        "/individuals/register/",
        "/individuals/register/jordanian/",
        "/individuals/register/non-jordanian/",
        "/accounts/password-reset/",
        "/services/individuals/",
        "/services/establishments/",
    ],
)
def test_public_pages_are_arabic_rtl_with_the_portal_menus(client, url):
    html = client.get(url).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "bootstrap.rtl.min.css" in html
    for menu in (
        "الخدمات الإلكترونية",
        "خدمات الأفراد",
        "خدمات المنشآت",
        "الدخول إلى الخدمات الإلكترونية",
    ):
        assert menu in html
    # Everything is served from our own static files: no script, style or picture from
    # elsewhere (a random token may well contain the letters "cdn", so look at the addresses).
    external = re.findall(r'(?:src|href)="((?:https?:)?//[^"]*)"', html)
    assert not external, external


def test_switching_to_english_gives_a_left_to_right_page(client):
    resp = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/sign-in/"})
    assert resp.status_code == 302
    html = client.get("/accounts/sign-in/").content.decode()
    assert '<html lang="en" dir="ltr">' in html and "bootstrap.min.css" in html
    assert "Sign in to the e-services" in html and "National number" in html


def test_registration_form_names_every_field_of_the_source(client):
    html = client.get("/individuals/register/jordanian/").content.decode()
    for label in (
        "الرقم الوطني",
        "رقم البطاقة الشخصية",
        "الرقم الوطني لأحد الأقارب",
        "درجة القرابة",
        "رمز الدولة",
        "بلد الإقامة",
        "المستوى الأكاديمي",
        "البريد الإلكتروني",
        "تأكيد البريد الإلكتروني",
        "كلمة السر",
        "تأكيد كلمة السر",
        "طريقة التفعيل",
        "الرمز الموجود في المربع",
    ):
        assert label in html, label
    html = client.get("/individuals/register/non-jordanian/").content.decode()
    for label in (
        "الرقم الشخصي",
        "رقم جواز السفر",
        "تاريخ الميلاد",
        "رقم التأمين",
        "الجنسية",
        "خارج الأردن",
        "بلد الإقامة",
        "المستوى الأكاديمي",
        "طريقة التفعيل",
        "الرمز الموجود في المربع",
    ):
        assert label in html, label


def test_pages_work_without_javascript(client):
    """No page depends on a script: the menus are <details>, the language switch is a form."""
    for url in ("/", "/accounts/sign-in/", "/individuals/register/jordanian/"):
        html = client.get(url).content.decode()
        assert "<script" not in html
        assert "<details" in html


def test_catalogue_lists_every_service_and_marks_only_built_ones_as_links(client):
    html = client.get("/services/individuals/").content.decode()
    individual = [s for s in SERVICES if s.audience == "individual"]
    for s in individual:
        assert str(s.name) in html or s.name in html
    assert len({s.code for s in SERVICES}) == len(SERVICES) == 98
    built = {s.code for s in SERVICES if s.implemented}
    assert {
        "acc.register-jordanian",
        "acc.register-non-jordanian",
        "acc.login",
        "acc.password-reset",
        "mat.allowance",
    } <= built
    for s in SERVICES:
        if s.implemented and s.audience == "public":
            assert client.get(s.url).status_code == 200
        elif s.implemented:  # the others need a signed-in user
            assert client.get(s.url).status_code in (200, 302)


def test_a_service_not_built_is_listed_without_a_link(client, monkeypatch):
    from eservices.declarations import REQUEST_SERVICES

    monkeypatch.delitem(REQUEST_SERVICES, "mat.allowance")
    html = client.get("/services/individuals/").content.decode()
    assert "غير متاحة بعد" in html
    assert "/service/mat.allowance/" not in html


def test_unknown_catalogue_audience_is_404(client):
    assert client.get("/services/nobody/").status_code == 404


def test_individual_home_query_count_does_not_grow_with_periods(client):
    ind = IndividualFactory()
    client.force_login(ind.user)
    InsurancePeriodFactory(individual=ind)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/individuals/").status_code == 200
    InsurancePeriodFactory.create_batch(20, individual=ind)
    with CaptureQueriesContext(connection) as many:
        resp = client.get("/individuals/")
    assert len(many.captured_queries) == len(few.captured_queries) <= 6
    assert resp.context["total_months"] > 0


def test_anonymous_home_redirects_to_sign_in(client):
    resp = client.get("/individuals/")
    assert resp.status_code == 302 and resp.url.startswith("/accounts/sign-in/")


class TestAdmin:
    @pytest.fixture
    def staff(self, client):
        user = UserFactory(
            id_type=IdType.STAFF, id_number="admin1", is_staff=True, is_superuser=True
        )
        client.force_login(user)
        return user

    def test_admin_is_in_arabic(self, client, staff):
        html = client.get("/admin/").content.decode()
        assert 'dir="rtl"' in html and "المستخدمون" in html

    @pytest.mark.parametrize(
        "url",
        [
            "/admin/accounts/user/",
            "/admin/accounts/pendingactivation/",
            "/admin/accounts/onetimecode/",
            "/admin/accounts/civilrecord/",
            "/admin/axes/accessattempt/",
            "/admin/axes/accessfailurelog/",
            "/admin/individuals/individual/",
            "/admin/establishments/establishment/",
        ],
    )
    def test_staff_pages_open(self, client, staff, url):
        assert client.get(url).status_code == 200

    def test_pending_activations_never_show_the_code(
        self, client, staff, django_capture_on_commit_callbacks
    ):
        pending = UserFactory(activated_at=None)
        with django_capture_on_commit_callbacks(execute=True):
            otp_issue(user=pending, purpose=OneTimeCode.Purpose.ACTIVATION)
        from accounts import sms

        code = sms.outbox[-1].body.split(":")[1].split()[0]
        listing = client.get("/admin/accounts/pendingactivation/").content.decode()
        assert pending.id_number in listing
        otp = OneTimeCode.objects.get()
        for url in (
            "/admin/accounts/onetimecode/",
            f"/admin/accounts/onetimecode/{otp.pk}/change/",
            f"/admin/accounts/pendingactivation/{pending.pk}/change/",
        ):
            page = client.get(url).content.decode()
            assert code not in page and otp.code_hash not in page

    def test_resend_action(self, client, staff, django_capture_on_commit_callbacks):
        pending = UserFactory(activated_at=None)
        with django_capture_on_commit_callbacks(execute=True):
            resp = client.post(
                "/admin/accounts/pendingactivation/",
                {"action": "resend_code", "_selected_action": [pending.pk]},
            )
        assert resp.status_code == 302
        assert OneTimeCode.objects.filter(user=pending).count() == 1

    def test_non_staff_cannot_open_the_admin(self, client):
        client.force_login(IndividualFactory().user)
        assert client.get("/admin/").status_code == 302
