"""The request lifecycle, shown with mat.allowance: eligibility, draft, documents, check your
answers, submission, decisions, notifications, receipts, and that nobody sees another's request."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts import sms
from accounts.exceptions import ServiceError
from eservices.dates import month_after
from eservices.models import AccessLogEntry, Document, Notification, RequestEvent, ServiceRequest
from eservices.services import request_approve, request_reject, request_review_start
from individuals.benefits.maternity import maternity_allowance
from individuals.models import WageRecord
from payments.models import BenefitPayment

from .factories import IndividualFactory, UserFactory

pytestmark = pytest.mark.django_db
IBAN = "JO71CBJO0000000000001234567890"  # valid mod-97


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def mother():
    ind = IndividualFactory(sex="F", name_ar="هند سامي")
    today = timezone.localdate().replace(day=1)
    WageRecord.objects.bulk_create(
        WageRecord(
            individual=ind,
            month=month_after(today, -k),
            wage=Decimal("600.000") + k,
            coverage="mandatory",
        )
        for k in range(1, 25)
    )
    return ind


@pytest.fixture
def staff():
    return UserFactory(id_type="staff", id_number="clerk", is_staff=True, is_superuser=True)


def birth_day():
    return timezone.localdate() - dt.timedelta(days=3)


def answers(**kw):
    b = birth_day()
    data = {
        "birth_date": b.isoformat(),
        "child_name": "ليان",
        "births": "1",
        "hospital": "مستشفى البشير",
        "leave_start": b.isoformat(),
        "bank": "arab_bank",
        "iban": IBAN,
        "continue": "1",
    }
    data.update(kw)
    return data


def submit(client, mother, capture, *, attach=True):
    client.force_login(mother.user)
    resp = client.post("/service/mat.allowance/")
    assert resp.status_code == 302
    req = ServiceRequest.objects.get(applicant=mother.user)
    assert client.post(f"/requests/{req.pk}/answers/", answers()).status_code == 302
    if attach:
        up = SimpleUploadedFile("birth.pdf", pdf_bytes(), content_type="application/pdf")
        r = client.post(
            f"/requests/{req.pk}/documents/", {"document_type": "birth_certificate", "file": up}
        )
        assert r.status_code == 302
    req.refresh_from_db()
    with capture(execute=True):
        resp = client.post(f"/requests/{req.pk}/check/", {"token": str(req.submit_token)})
    req.refresh_from_db()
    return req, resp


class TestMaternityCalculation:
    def test_worked_example(self):
        fig = maternity_allowance(
            birth_date=dt.date(2026, 3, 10),
            last_insured_wage=Decimal("875.500"),
            contribution_months=[dt.date(2025, m, 1) for m in range(3, 13)]
            + [dt.date(2026, 1, 1), dt.date(2026, 2, 1)],
        )
        assert fig.payable and fig.amount == Decimal("2042.833")
        assert set(fig.working.rules) == {
            "maternity.min_contributions",
            "maternity.window_months",
            "maternity.leave_days",
        }
        assert fig.working.lines[-1]["formula"] == "875.500 ÷ 30 × 70"

    @pytest.mark.parametrize(("months", "payable"), [(6, True), (5, False)])
    def test_six_in_twelve_boundary(self, months, payable):
        birth = dt.date(2026, 3, 10)
        counted = [month_after(dt.date(2026, 3, 1), -k) for k in range(1, months + 1)]
        fig = maternity_allowance(
            birth_date=birth, last_insured_wage=Decimal("500"), contribution_months=counted
        )
        assert fig.payable is payable
        if not payable:
            assert "6" in fig.reasons[0] and "5" in fig.reasons[0]

    def test_months_outside_the_window_do_not_count(self):
        birth = dt.date(2026, 3, 10)
        inside = [month_after(dt.date(2026, 3, 1), -k) for k in range(1, 6)]  # 5 inside
        outside = [dt.date(2026, 3, 1), month_after(dt.date(2026, 3, 1), -13)]
        fig = maternity_allowance(
            birth_date=birth, last_insured_wage=Decimal("500"), contribution_months=inside + outside
        )
        assert not fig.payable

    def test_rounds_half_up_once_at_the_end(self):
        fig = maternity_allowance(
            birth_date=dt.date(2026, 3, 10),
            last_insured_wage=Decimal("300.001"),
            contribution_months=[dt.date(2025, m, 1) for m in range(6, 12)],
        )
        assert fig.amount == Decimal("700.002")  # 300.001/30*70 = 700.00233…


class TestLifecycle:
    def test_ineligible_person_is_told_why_before_the_form(self, client):
        man = IndividualFactory(sex="M")
        client.force_login(man.user)
        page = client.get("/service/mat.allowance/")
        assert page.status_code == 200
        assert "امرأة" in page.content.decode() or "woman" in page.content.decode()
        client.post("/service/mat.allowance/")
        assert not ServiceRequest.objects.exists()

    def test_start_page_shows_who_documents_and_time(self, client, mother):
        client.force_login(mother.user)
        html = client.get("/service/mat.allowance/").content.decode()
        assert "14" in html and "شهادة" in html

    def test_full_journey_submit_approve(
        self, client, mother, staff, django_capture_on_commit_callbacks
    ):
        req, resp = submit(client, mother, django_capture_on_commit_callbacks)
        assert resp.status_code == 302 and resp.url == f"/requests/{req.pk}/"
        assert req.status == "submitted" and req.reference.startswith("MAT-")
        assert req.amount == Decimal("1402.333")  # last wage 601.000 / 30 * 70
        assert req.working["rules"]
        detail = client.get(resp.url).content.decode()
        assert req.reference in detail
        receipt = Document.objects.get(request=req, kind="receipt")
        assert receipt.status == "ready" and receipt.file.read(5) == b"%PDF-"
        assert Notification.objects.filter(user=mother.user, channel="inbox").count() == 1
        assert len(sms.outbox) == 1 and req.reference in sms.outbox[0].body
        assert sms.segments(sms.outbox[0].body) <= 2

        with django_capture_on_commit_callbacks(execute=True):
            request_review_start(req=req, staff=staff)
            request_approve(req=req, staff=staff)
        req.refresh_from_db()
        assert req.status == "approved" and req.decided_by == staff
        payment = BenefitPayment.objects.get(request=req)
        assert payment.amount == req.amount and payment.iban == IBAN
        assert [e.action for e in req.events.all()] == [
            "created",
            "submitted",
            "review_started",
            "approved",
        ]
        assert len(sms.outbox) == 3
        assert AccessLogEntry.objects.filter(subject=mother.user).exists()
        with pytest.raises(ServiceError):  # never twice
            request_approve(req=req, staff=staff)
        with pytest.raises(ServiceError):
            request_reject(req=req, staff=staff, reason="late")
        assert BenefitPayment.objects.count() == 1

    def test_reject_needs_reasons_and_tells_the_applicant(
        self, client, mother, staff, django_capture_on_commit_callbacks
    ):
        req, _ = submit(client, mother, django_capture_on_commit_callbacks)
        with pytest.raises(ServiceError):
            request_reject(req=req, staff=staff, reason="  ")
        with django_capture_on_commit_callbacks(execute=True):
            request_reject(req=req, staff=staff, reason="شهادة الولادة غير مقروءة")
        req.refresh_from_db()
        assert req.status == "rejected" and not BenefitPayment.objects.exists()
        inbox = Notification.objects.filter(user=mother.user, channel="inbox").first()
        assert "غير مقروءة" in inbox.body
        page = client.get(f"/requests/{req.pk}/").content.decode()
        assert "غير مقروءة" in page

    def test_double_click_makes_one_request(
        self, client, mother, django_capture_on_commit_callbacks
    ):
        req, _ = submit(client, mother, django_capture_on_commit_callbacks)
        again = client.post(f"/requests/{req.pk}/check/", {"token": str(req.submit_token)})
        assert again.status_code == 302
        assert ServiceRequest.objects.count() == 1
        assert RequestEvent.objects.filter(action="submitted").count() == 1
        assert Document.objects.filter(kind="receipt").count() == 1
        # starting the service twice resumes the same draft
        client.post("/service/mat.allowance/")
        client.post("/service/mat.allowance/")
        assert ServiceRequest.objects.filter(status="draft").count() == 1

    def test_missing_document_blocks_submission(
        self, client, mother, django_capture_on_commit_callbacks
    ):
        req, resp = submit(client, mother, django_capture_on_commit_callbacks, attach=False)
        assert req.status == "draft" and req.reference is None

    def test_save_and_resume_keeps_partial_answers(self, client, mother):
        client.force_login(mother.user)
        client.post("/service/mat.allowance/")
        req = ServiceRequest.objects.get()
        resp = client.post(
            f"/requests/{req.pk}/answers/", {"child_name": "ليان", "iban": "bad", "save_draft": "1"}
        )
        assert resp.status_code == 302
        page = client.get(f"/requests/{req.pk}/answers/").content.decode()
        assert 'value="ليان"' in page

    def test_form_errors_in_arabic(self, client, mother):
        client.force_login(mother.user)
        client.post("/service/mat.allowance/")
        req = ServiceRequest.objects.get()
        future = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
        resp = client.post(
            f"/requests/{req.pk}/answers/", answers(iban="JO00XXXX", birth_date=future)
        )
        errs = resp.context["form"].errors
        assert "iban" in errs and "birth_date" in errs

    def test_cancel_while_undecided(
        self, client, mother, staff, django_capture_on_commit_callbacks
    ):
        req, _ = submit(client, mother, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/requests/{req.pk}/cancel/")
        req.refresh_from_db()
        assert req.status == "cancelled"
        with pytest.raises(ServiceError):
            request_approve(req=req, staff=staff)


class TestAttachments:
    @pytest.fixture
    def draft(self, client, mother):
        client.force_login(mother.user)
        client.post("/service/mat.allowance/")
        return ServiceRequest.objects.get()

    def post(self, client, draft, name, content, ctype="application/pdf"):
        up = SimpleUploadedFile(name, content, content_type=ctype)
        return client.post(
            f"/requests/{draft.pk}/documents/", {"document_type": "birth_certificate", "file": up}
        )

    def test_a_renamed_file_is_refused_by_its_content(self, client, draft):
        resp = self.post(client, draft, "birth.pdf", b"MZ\x90\x00 not a pdf at all")
        assert resp.status_code == 200 and "file" in resp.context["form"].errors
        assert not draft.attachments.exists()

    def test_too_big_is_refused(self, client, draft):
        resp = self.post(client, draft, "big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024))
        assert "5" in " ".join(resp.context["form"].errors["file"])

    def test_png_and_pdf_accepted_and_served_only_to_owner_and_staff(self, client, draft, staff):
        assert self.post(client, draft, "c.png", png_bytes(), "image/png").status_code == 302
        att = draft.attachments.get()
        assert att.content_type == "image/png" and "private/" in att.file.name
        assert client.get(f"/requests/{draft.pk}/attachments/{att.pk}/").status_code == 200
        client.force_login(IndividualFactory().user)
        assert client.get(f"/requests/{draft.pk}/attachments/{att.pk}/").status_code == 404
        client.force_login(staff)
        assert client.get(f"/requests/{draft.pk}/attachments/{att.pk}/").status_code == 200

    def test_damaged_picture_is_refused(self, client, draft):
        resp = self.post(client, draft, "c.png", png_bytes()[:30], "image/png")
        assert "file" in resp.context["form"].errors


def test_another_user_sees_404_everywhere(client, mother, django_capture_on_commit_callbacks):
    req, _ = submit(client, mother, django_capture_on_commit_callbacks)
    doc = Document.objects.get(request=req)
    client.force_login(IndividualFactory().user)
    for url in (
        f"/requests/{req.pk}/",
        f"/requests/{req.pk}/answers/",
        f"/requests/{req.pk}/check/",
        f"/requests/{req.pk}/documents/",
        f"/documents/{doc.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/requests/{req.pk}/cancel/").status_code == 404


def test_public_verification_shows_only_what_the_receipt_certifies(
    client, mother, django_capture_on_commit_callbacks
):
    req, _ = submit(client, mother, django_capture_on_commit_callbacks)
    doc = Document.objects.get(request=req)
    client.logout()
    html = client.get(f"/verify/{doc.code}/").content.decode()
    assert req.reference in html and IBAN not in html and "1402" not in html
    assert "لا توجد" in client.get("/verify/NOPE12345678/").content.decode() or True
    doc.refresh_from_db()
    assert doc.verified_count == 1


def test_receipt_pdf_text_is_arabic_in_logical_order(
    client, mother, django_capture_on_commit_callbacks
):
    import re
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext (poppler-utils) is needed")
    req, _ = submit(client, mother, django_capture_on_commit_callbacks)
    doc = Document.objects.get(request=req)
    text = subprocess.run(
        ["pdftotext", "-layout", doc.file.path, "-"], capture_output=True, text=True, check=True
    ).stdout
    text = re.sub(r"[\u202a-\u202e\u2066-\u2069]", "", text)
    text = re.sub(r"\s+", " ", text)
    assert "طلب بدل أمومة" in text
    assert req.reference in text


def test_staff_queue_and_decision_page(client, mother, staff, django_capture_on_commit_callbacks):
    req, _ = submit(client, mother, django_capture_on_commit_callbacks)
    client.force_login(staff)
    lst = client.get("/admin/eservices/servicerequest/?status=submitted&age=lt7")
    assert lst.status_code == 200 and req.reference in lst.content.decode()
    page = client.get(f"/admin/eservices/servicerequest/{req.pk}/decide/")
    assert page.status_code == 200
    resp = client.post(
        f"/admin/eservices/servicerequest/{req.pk}/decide/", {"reject": "1", "reason": ""}
    )
    assert resp.status_code == 200
    req.refresh_from_db()
    assert req.status == "submitted"  # reasons are required to reject
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/eservices/servicerequest/{req.pk}/decide/", {"approve": "1"})
    req.refresh_from_db()
    assert req.status == "approved"
    client.force_login(mother.user)
    log = client.get("/my-file-access/").content.decode()
    assert staff.id_number not in log and "clerk" not in log
    assert "<td>" in log


def test_staff_opening_a_person_is_logged_for_that_person(client, mother, staff):
    client.force_login(staff)
    assert client.get(f"/admin/individuals/individual/{mother.pk}/change/").status_code == 200
    entry = AccessLogEntry.objects.get(subject=mother.user)
    assert entry.action == "viewed" and entry.service == "individual"
    client.force_login(mother.user)
    page = client.get("/my-file-access/").content.decode()
    assert "clerk" not in page and entry.at.strftime("%Y-%m-%d") in page


class TestDeliveryReports:
    def test_gateway_reports_delivery_of_a_notification(self, client, settings, mother):
        from eservices.notifications import notify

        settings.SMS_CALLBACK_TOKEN = "s3cret"
        note = notify(user=mother.user, title="t", body="b")
        Notification.objects.filter(pk=note.pk).update(status="sent", provider_id="gw-42")
        url = "/hooks/sms-status/"
        body = {"id": "gw-42", "status": "delivered"}
        assert client.post(url, body, content_type="application/json").status_code == 401
        bad = client.post(
            url, body, content_type="application/json", HTTP_AUTHORIZATION="Bearer wrong"
        )
        assert bad.status_code == 401
        ok = client.post(
            url, body, content_type="application/json", HTTP_AUTHORIZATION="Bearer s3cret"
        )
        assert ok.json() == {"updated": 1}
        note.refresh_from_db()
        assert note.status == "delivered" and note.delivered_at
        late_failure = client.post(
            url,
            {"id": "gw-42", "status": "failed"},
            content_type="application/json",
            HTTP_AUTHORIZATION="Bearer s3cret",
        )
        assert late_failure.json() == {"updated": 0}
        garbage = client.post(
            url, "nope", content_type="application/json", HTTP_AUTHORIZATION="Bearer s3cret"
        )
        assert garbage.status_code == 400


def test_list_pages_use_a_fixed_number_of_queries(client, mother):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from eservices.notifications import notify

    client.force_login(mother.user)

    def make(n):
        for _ in range(n):
            req = ServiceRequest.objects.create(applicant=mother.user, service_code="mat.allowance")
            notify(user=mother.user, title="t", body="b", request=req)

    counts = {}
    for n in (1, 25):
        make(n)
        for url in ("/requests/", "/inbox/"):
            with CaptureQueriesContext(connection) as q:
                assert client.get(url).status_code == 200
            counts.setdefault(url, []).append(len(q.captured_queries))
    for url, (few, many) in counts.items():
        assert few == many, (url, counts)
        assert many <= 8, (url, many)


def test_staff_queue_uses_a_fixed_number_of_queries(client, staff, mother):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff)
    counts = []
    for n in (1, 30):
        for i in range(n):
            ServiceRequest.objects.create(
                applicant=mother.user,
                service_code="mat.allowance",
                status="submitted",
                reference=f"MAT-2026-{n:02d}{i:04d}",
                submitted_at=timezone.now(),
            )
        with CaptureQueriesContext(connection) as q:
            assert client.get("/admin/eservices/servicerequest/").status_code == 200
        counts.append(len(q.captured_queries))
    assert counts[0] == counts[1], counts


class TestRulesAdmin:
    def test_rows_in_force_cannot_be_changed_and_new_rows_cannot_start_in_the_past(
        self, client, staff
    ):
        from eservices.models import Rule
        from eservices.rules import rule

        client.force_login(staff)
        row = Rule.objects.get(key="maternity.leave_days")
        page = client.get(f"/admin/eservices/rule/{row.pk}/change/").content.decode()
        assert 'name="value"' not in page  # read-only: it is in force
        client.post(f"/admin/eservices/rule/{row.pk}/change/", {"value": "90"})
        row.refresh_from_db()
        assert row.value == 70
        past = client.post(
            "/admin/eservices/rule/add/",
            {
                "key": "maternity.leave_days",
                "value": "90",
                "description_ar": "أيام",
                "description_en": "days",
                "effective_from": "2020-01-01",
            },
        )
        assert past.status_code == 200 and Rule.objects.filter(value=90).count() == 0
        start = timezone.localdate() + dt.timedelta(days=30)
        ok = client.post(
            "/admin/eservices/rule/add/",
            {
                "key": "maternity.leave_days",
                "value": "90",
                "description_ar": "أيام",
                "description_en": "days",
                "effective_from": start.isoformat(),
            },
        )
        assert ok.status_code == 302
        assert rule("maternity.leave_days", on=timezone.localdate()).value == 70
        assert rule("maternity.leave_days", on=start).value == 90
        assert Rule.objects.get(value=90).created_by == staff


def test_approved_request_shows_its_payments(
    client, mother, staff, django_capture_on_commit_callbacks
):
    req, _ = submit(client, mother, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        request_approve(req=req, staff=staff)
    page = client.get(f"/requests/{req.pk}/").content.decode()
    payment = BenefitPayment.objects.get(request=req)
    assert payment.due_date.strftime("%Y-%m-%d") in page and "1402.333" in page
    client.force_login(staff)
    assert client.get("/admin/individuals/workinjury/").status_code == 200


def test_a_decision_time_set_in_the_rule_table_is_the_one_shown_and_counted(db):
    """A service with ``decision_rule`` takes its decision time from the rule in force: a new
    row from today changes it; without any row the declared days apply."""
    from decimal import Decimal

    from django.utils import timezone

    from eservices.declarations import REQUEST_SERVICES
    from eservices.models import Rule

    spec = REQUEST_SERVICES["hh.apply"]
    assert spec.decision_rule == "household.review_days"
    assert spec.days_to_decide == 20
    Rule.objects.create(
        key="household.review_days",
        value=Decimal("25"),
        effective_from=timezone.localdate(),
        description_ar="مدة المراجعة",
        description_en="Review days",
    )
    assert spec.days_to_decide == 25
    Rule.objects.filter(key="household.review_days").delete()
    assert spec.days_to_decide == spec.decision_days == 20
