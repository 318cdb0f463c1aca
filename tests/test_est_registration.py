"""Registering an establishment (acc.register-establishment): the three-step wizard saved as it
goes and resumed with its token, check your answers, submission, and the staff decision that
creates the establishment, its owners and its liaison officer's account."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import sms
from accounts.exceptions import ServiceError
from accounts.models import IdType, OneTimeCode, User
from establishments.models import (
    Establishment,
    EstablishmentApplication,
    EstablishmentOwner,
    LiaisonOfficer,
)
from establishments.registration import (
    application_approve,
    application_reject,
    next_insurance_number,
)

from .conftest import last_code
from .factories import CivilRecordFactory, EstablishmentFactory, UserFactory

pytestmark = pytest.mark.django_db
NEW = "Officer#Pass2027"
START = "/establishments/register/"


def pdf(name="proof.pdf"):
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf"
    )


@pytest.fixture
def officer_record():
    return CivilRecordFactory(number="9881234567", name_ar="ليلى أحمد")


@pytest.fixture
def staff():
    return UserFactory(id_type="staff", id_number="clerk", is_staff=True, is_superuser=True)


def est_post(**kw):
    data = {
        "coverage_type": "mandatory",
        "kind": "private",
        "affiliation": "private_sector",
        "name": "شركة النور للتجارة",
        "owner_name": "سامي يوسف",
        "registration_date": "2020-03-01",
        "coverage_date": "2020-04-01",
        "phone_0": "JO",
        "phone_1": "065551234",
        "signatory_name": "سامي يوسف",
        "main_activity": "trade",
        "governorate": "إربد",
        "district": "الحصن",
        "street": "شارع الجامعة",
        "building_number": "12",
        "document_type": "commercial_register",
        "proof": pdf(),
        "continue": "1",
    }
    data.update(kw)
    return {k: v for k, v in data.items() if v is not None}


def owners_post(rows, **kw):
    data = {
        "owners-TOTAL_FORMS": str(len(rows)),
        "owners-INITIAL_FORMS": "0",
        "owners-MIN_NUM_FORMS": "0",
        "owners-MAX_NUM_FORMS": "1000",
        "continue": "1",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"owners-{i}-{key}"] = value
    data.update(kw)
    return data


OWNERS = [
    {"name": "سامي يوسف", "national_number": "9701112223", "nationality": "JO", "share": "60"},
    {"name": "Omar Haddad", "national_number": "1000998877", "nationality": "SY", "share": "40"},
]


def officer_post(number, **kw):
    data = {
        "officer_name": "ليلى أحمد",
        "officer_national_number": number,
        "officer_phone_0": "JO",
        "officer_phone_1": "0795551122",
        "officer_email": "laila@example.com",
        "officer_email_confirm": "laila@example.com",
        "accept": "on",
        "continue": "1",
    }
    data.update(kw)
    return data


def start(client) -> EstablishmentApplication:
    assert client.get(START).status_code == 200
    resp = client.post(START)
    app = EstablishmentApplication.objects.get()
    assert resp.url == f"/establishments/register/{app.token}/establishment/"
    return app


def base(app):
    return f"/establishments/register/{app.token}"


@pytest.fixture
def submitted(client, officer_record, django_capture_on_commit_callbacks):
    app = start(client)
    client.post(f"{base(app)}/establishment/", est_post())
    client.post(f"{base(app)}/owners/", owners_post(OWNERS))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{base(app)}/officer/", officer_post(officer_record.number))
    client.post(f"{base(app)}/check/")
    app.refresh_from_db()
    assert app.status == "submitted"
    return app


def test_the_wizard_end_to_end(client, officer_record, django_capture_on_commit_callbacks):
    app = start(client)
    url = base(app)

    # Step 1: a "PDF" that is not one is refused by its content.
    fake = SimpleUploadedFile("proof.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")
    resp = client.post(f"{url}/establishment/", est_post(proof=fake))
    assert resp.status_code == 200 and "proof" in resp.context["form"].errors
    resp = client.post(f"{url}/establishment/", est_post(proof=None))
    assert "proof" in resp.context["form"].errors  # a document is required
    resp = client.post(f"{url}/establishment/", est_post(coverage_date="2019-01-01"))
    assert "coverage_date" in resp.context["form"].errors
    resp = client.post(f"{url}/establishment/", est_post())
    assert resp.url == f"{url}/owners/"
    app.refresh_from_db()
    assert app.step == 1 and app.proof_document and app.proof_content_type == "application/pdf"
    assert app.data["establishment"]["phone"] == "+96265551234"
    saved = app.proof_document.name
    page = client.get(f"{url}/establishment/").content.decode()
    assert "شركة النور للتجارة" in page and 'value="65551234"' in page
    resp = client.post(f"{url}/establishment/", est_post(proof=None, street="شارع بغداد"))
    assert resp.url == f"{url}/owners/"  # the document attached before is kept
    app.refresh_from_db()
    assert app.proof_document.name == saved and app.data["establishment"]["street"] == "شارع بغداد"

    # Step 2: shares that do not total 100 are refused; then save and come back later.
    bad = [dict(OWNERS[0], share="50"), dict(OWNERS[1], share="40")]
    resp = client.post(f"{url}/owners/", owners_post(bad))
    assert resp.status_code == 200 and resp.context["formset"].non_form_errors()
    more = client.post(f"{url}/owners/", owners_post(OWNERS, add_owner="1"))
    assert more.context["formset"].total_form_count() == 3
    resp = client.post(f"{url}/owners/", owners_post(OWNERS, save_draft="1"))
    assert resp.url == f"{url}/"
    page = client.get(resp.url).content.decode()
    assert app.token in page  # the resume link is shown

    # Resume with the token at step 2 (another browser): what was saved is there.
    other = client.__class__()
    page = other.get(f"{url}/owners/")
    assert page.status_code == 200
    assert "Omar Haddad" in page.content.decode() and "1000998877" in page.content.decode()
    assert other.get("/establishments/register/not-the-token/owners/").status_code == 404
    assert other.get("/establishments/register/not-the-token/").status_code == 404

    # Step 3: a national number not in the civil registry is refused.
    resp = client.post(f"{url}/officer/", officer_post("9000000001"))
    assert "officer_national_number" in resp.context["form"].errors
    resp = client.post(
        f"{url}/officer/", officer_post(officer_record.number, officer_email_confirm="x@y.jo")
    )
    assert "officer_email_confirm" in resp.context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(f"{url}/officer/", officer_post(officer_record.number))
    assert resp.url == f"{url}/check/"
    assert mail.outbox and app.token in mail.outbox[-1].body  # the resume link, by email

    # Check your answers, then register; a second click makes no second application.
    check = client.get(f"{url}/check/").content.decode()
    for text in ("شركة النور للتجارة", "Omar Haddad", "ليلى أحمد", "laila@example.com"):
        assert text in check
    resp = client.post(f"{url}/check/")
    assert resp.url == f"{url}/done/"
    again = client.post(f"{url}/check/")
    assert again.url == f"{url}/done/"
    app.refresh_from_db()
    assert app.status == "submitted"
    assert re.fullmatch(rf"EST-{dt.date.today():%Y}-\d{{6}}", app.reference)
    assert EstablishmentApplication.objects.count() == 1
    done = client.get(f"{url}/done/").content.decode()
    assert app.reference in done
    # A sent application can no longer be changed.
    assert client.get(f"{url}/establishment/").url == f"{url}/done/"
    client.post(f"{url}/establishment/", est_post(name="تغيير"))
    app.refresh_from_db()
    assert app.data["establishment"]["name"] == "شركة النور للتجارة"


def test_steps_cannot_be_skipped(client):
    app = start(client)
    assert client.get(f"{base(app)}/officer/").url == f"{base(app)}/owners/"
    assert client.get(f"{base(app)}/owners/").url == f"{base(app)}/establishment/"
    assert client.get(f"{base(app)}/check/").url == f"{base(app)}/officer/"


def test_only_staff_open_the_proof_document(client, submitted, staff):
    url = f"/establishments/register/document/{submitted.pk}/"
    assert client.get(url).status_code == 302  # to the staff sign-in
    client.force_login(UserFactory())
    assert client.get(url).status_code == 302
    client.force_login(staff)
    resp = client.get(url)
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    assert b"".join(resp.streaming_content).startswith(b"%PDF-")


def test_staff_approve_and_the_officer_sets_the_password(
    client, submitted, staff, settings, django_capture_on_commit_callbacks
):
    EstablishmentFactory(insurance_number="100041")
    client.force_login(staff)
    listing = client.get("/admin/establishments/establishmentapplication/?status=submitted")
    assert submitted.reference in listing.content.decode()
    detail = client.get(f"/admin/establishments/establishmentapplication/{submitted.pk}/change/")
    assert "شركة النور للتجارة" in detail.content.decode()
    decide = f"/admin/establishments/establishmentapplication/{submitted.pk}/decide/"
    assert client.get(decide).status_code == 200
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(decide, {"decision": "approve"})
    assert resp.status_code == 302
    submitted.refresh_from_db()
    est = submitted.establishment
    assert submitted.status == "approved" and est.insurance_number == "100042"
    assert est.name == "شركة النور للتجارة" and est.governorate == "إربد"
    assert est.district == "الحصن" and est.coverage_type == "mandatory"
    assert EstablishmentOwner.objects.filter(establishment=est).count() == 2
    officer = LiaisonOfficer.objects.get(establishment=est)
    user = officer.user
    assert user.id_type == IdType.ESTABLISHMENT and user.id_number == "100042"
    assert not user.is_activated and not user.has_usable_password()
    assert OneTimeCode.objects.filter(user=user, purpose="password_reset").exists()
    assert any(re.search(r"\b\d{6}\b", m.body) for m in sms.outbox)  # the code
    assert any("100042" in m.body for m in sms.outbox)  # the number, and how to use it

    # Approving twice is refused, and creates nothing more.
    with pytest.raises(ServiceError):
        application_approve(application=submitted, staff=staff)
    assert Establishment.objects.filter(name="شركة النور للتجارة").count() == 1

    # The officer sets the password through «استعادة كلمة السر», then signs in.
    # (The reset page issues a fresh code; let the resend interval pass.)
    settings.OTP_RESEND_INTERVAL = dt.timedelta(0)
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(
            "/accounts/password-reset/",
            {
                "id_type": "establishment",
                "username": "100042",
                "channel": "sms",
                "captcha_0": "x",
                "captcha_1": "PASSED",
            },
        )
    assert resp.url == "/accounts/password-reset/verify/"
    done = client.post(resp.url, {"code": last_code(), "new_password1": NEW, "new_password2": NEW})
    assert done.url == "/accounts/sign-in/"
    user.refresh_from_db()
    assert user.is_activated
    resp = client.post(
        "/accounts/sign-in/",
        {"id_type": "establishment", "username": "100042", "password": NEW},
        REMOTE_ADDR="10.1.1.7",
    )
    assert resp.url == "/establishments/"
    assert "شركة النور للتجارة" in client.get("/establishments/").content.decode()


def test_rejection_needs_reasons_and_tells_the_officer(
    client, submitted, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    decide = f"/admin/establishments/establishmentapplication/{submitted.pk}/decide/"
    resp = client.post(decide, {"decision": "reject", "reasons": "  "})
    assert resp.status_code == 200 and "reasons" in resp.context["form"].errors
    with pytest.raises(ServiceError):
        application_reject(application=submitted, staff=staff, reasons="")
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(decide, {"decision": "reject", "reasons": "الوثيقة غير واضحة"})
    submitted.refresh_from_db()
    assert submitted.status == "rejected" and submitted.decision_reason == "الوثيقة غير واضحة"
    assert any("الوثيقة غير واضحة" in m.body for m in sms.outbox)
    assert any("الوثيقة غير واضحة" in m.body for m in mail.outbox)
    assert not User.objects.filter(id_type=IdType.ESTABLISHMENT).exists()
    with pytest.raises(ServiceError):  # decided: cannot be approved afterwards
        application_approve(application=submitted, staff=staff)


def test_approve_action_and_numbers(client, submitted, staff):
    assert next_insurance_number() == "100000"
    EstablishmentFactory(insurance_number="250000")
    client.force_login(staff)
    resp = client.post(
        "/admin/establishments/establishmentapplication/",
        {"action": "approve_selected", "_selected_action": [submitted.pk]},
    )
    assert resp.status_code == 302
    submitted.refresh_from_db()
    assert submitted.establishment.insurance_number == "250001"
    client.post(
        "/admin/establishments/establishmentapplication/",
        {"action": "approve_selected", "_selected_action": [submitted.pk]},
    )
    assert Establishment.objects.count() == 2
