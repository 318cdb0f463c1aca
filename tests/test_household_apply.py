"""hh.apply and hh.review: the wizard step by step on the engine's draft, the submission (the
engine's reference, receipt and notification, and the printable summary), the staff's acceptance
or rejection with reasons, the 20-day deadline and the queue of what is near or past it."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts import sms
from accounts.exceptions import ServiceError
from eservices.models import Document, Notification, RequestEvent, ServiceRequest
from eservices.services import request_approve, request_reject, request_review_start
from household.application import HOUSEHOLD_APPLICATION, review_deadline
from household.models import IncomeSource, Pension

from .factories import UserFactory
from .factories_household import (
    IBAN,
    SPOUSE,
    application_answers,
    household_user,
    pdf_upload,
)

pytestmark = pytest.mark.django_db
S = ServiceRequest.Status


def ar(msgid: str) -> str:
    with translation.override("ar"):
        return gettext(msgid)


def next_month() -> dt.date:
    today = timezone.localdate()
    return (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


STEPS = {
    "data": {"office": "riyadh", "category": "family"},
    "breadwinner": {
        "spouse_id_number": SPOUSE,
        "spouse_birth_date": "1982-05-01",
        "children": "2",
        "others": "0",
    },
    "income": {"has_income": "yes", "income_wages": "2000", "income_citizen_account": "720"},
    "bank": {"iban": IBAN, "iban_confirm": IBAN, "bank": "80"},
    "terms": {"terms": "on"},
}
REPORT = {
    "report_date": (timezone.localdate() - dt.timedelta(days=30)).isoformat(),
    "report_number": "MR-2231",
    "hospital": "مستشفى الملك سعود العام",
}


@pytest.fixture
def applicant(client):
    user = household_user()
    client.force_login(user)
    return user


@pytest.fixture
def staff():
    return UserFactory(id_type="staff", id_number="clerk", is_staff=True, is_superuser=True)


def start(client) -> ServiceRequest:
    resp = client.post("/household/apply/")
    assert resp.status_code == 302, resp.content[:500]
    req = ServiceRequest.objects.get(service_code="hh.apply", status=S.DRAFT)
    assert resp["Location"] == f"/household/apply/{req.pk}/data/"
    return req


def step(client, req, key, data=None, *, expect_next=True):
    resp = client.post(f"/household/apply/{req.pk}/{key}/", data or STEPS[key])
    if expect_next:
        assert resp.status_code == 302, resp.context and resp.context["form"].errors
    return resp


def attach_all(client, req):
    for key in ("id_document", "medical_report", "family_record"):
        resp = client.post(
            f"/household/apply/{req.pk}/attachments/",
            {"attach": "1", "document_type": key, "file": pdf_upload(f"{key}.pdf")},
        )
        assert resp.status_code == 302
    return client.post(f"/household/apply/{req.pk}/attachments/", {"next": "1", **REPORT})


def fill(client, *, income=None) -> ServiceRequest:
    req = start(client)
    step(client, req, "data")
    step(client, req, "breadwinner")
    step(client, req, "income", income)
    step(client, req, "bank")
    assert attach_all(client, req)["Location"] == f"/household/apply/{req.pk}/terms/"
    assert step(client, req, "terms")["Location"] == f"/household/apply/{req.pk}/submit/"
    req.refresh_from_db()
    return req


def send(client, req, capture):
    page = client.post(f"/household/apply/{req.pk}/submit/")
    assert page["Location"] == f"/household/apply/{req.pk}/confirm/"
    req.refresh_from_db()
    with capture(execute=True):
        resp = client.post(
            f"/household/apply/{req.pk}/confirm/", {"yes": "1", "token": str(req.submit_token)}
        )
    req.refresh_from_db()
    return resp


class TestWizard:
    def test_step_by_step_to_the_summary(
        self, client, applicant, django_capture_on_commit_callbacks
    ):
        req = fill(client)
        assert req.status == S.DRAFT and req.data["iban"] == IBAN
        assert req.data["_done"] == [
            "data",
            "breadwinner",
            "income",
            "bank",
            "attachments",
            "terms",
        ]
        # The submission page: every answer by step, the documents, the entitlement's working.
        page = client.get(f"/household/apply/{req.pk}/submit/")
        html = page.content.decode()
        for shown in (SPOUSE, IBAN, "MR-2231", "id_document.pdf", "family_record.pdf"):
            assert shown in html, shown
        figure = page.context["figure"]
        # head + spouse + 2 children = 1,320 + 3 × 660 = 3,300; wages 2,000 → 1,000; the
        # Citizen's Account is not counted: 2,300.
        assert figure.payable and figure.amount == Decimal("2300.00")
        assert "2300.00" in html
        # The confirmation, then "Yes".
        confirm = client.get(f"/household/apply/{req.pk}/confirm/")
        assert confirm.status_code == 200 and 'name="token"' in confirm.content.decode()
        resp = send(client, req, django_capture_on_commit_callbacks)
        assert resp["Location"] == f"/household/applications/{req.pk}/"
        assert req.status == S.SUBMITTED
        assert re.fullmatch(rf"HH-{timezone.now():%Y}-\d{{6}}", req.reference)
        assert req.amount is None  # riyals are not the engine's dinars: the working is kept
        assert req.working["lines"][-1]["value"] == "2300.00"
        # The engine's receipt and the printable summary, both rendered.
        kinds = set(req.documents.values_list("kind", "status"))
        assert kinds == {("receipt", "ready"), ("letter", "ready")}
        summary = req.documents.get(kind=Document.Kind.LETTER)
        assert summary.file.read().startswith(b"%PDF")
        # The summary page: reference, the review deadline, the PDF to print.
        page = client.get(f"/household/applications/{req.pk}/")
        html = page.content.decode()
        assert req.reference in html
        assert review_deadline(req.submitted_at).isoformat() in html
        assert f"/documents/{summary.pk}/" in html
        assert page.context["deadline"] == timezone.localdate() + dt.timedelta(days=20)
        # The engine's notification (inbox and SMS).
        assert (
            Notification.objects.filter(user=applicant, request=req, channel="inbox").count() == 1
        )
        assert any(req.reference in m.body for m in sms.outbox)

    def test_it_resumes_at_the_step_left(self, client, applicant):
        req = start(client)
        step(client, req, "data")
        step(client, req, "breadwinner")
        client.logout()
        client.force_login(applicant)
        resp = client.post("/household/apply/")
        assert resp["Location"] == f"/household/apply/{req.pk}/income/"
        assert ServiceRequest.objects.filter(applicant=applicant).count() == 1
        # A later step is not reached before the earlier ones.
        assert client.get(f"/household/apply/{req.pk}/terms/")["Location"] == (
            f"/household/apply/{req.pk}/income/"
        )
        assert client.get(f"/household/apply/{req.pk}/confirm/")["Location"] == (
            f"/household/apply/{req.pk}/income/"
        )
        # The income step starts from the profile's declared income.
        applicant.household_profile.incomes.create(kind="rent", monthly_amount=Decimal("300"))
        form = client.get(f"/household/apply/{req.pk}/income/").context["form"]
        assert form.initial["income_rent"] == Decimal("300.00")

    def test_nobody_else_reaches_the_draft(self, client, applicant):
        req = start(client)
        other = household_user("1067890127", iban="SA8510000012345678901234")
        client.force_login(other)
        assert client.get(f"/household/apply/{req.pk}/data/").status_code == 404
        assert client.get(f"/household/applications/{req.pk}/").status_code == 404

    def test_a_family_gives_the_spouse(self, client, applicant):
        req = start(client)
        step(client, req, "data")
        resp = step(client, req, "breadwinner", {"children": "1", "others": "0"}, expect_next=False)
        errors = resp.context["form"].errors
        assert errors["spouse_id_number"] and errors["spouse_birth_date"]
        resp = step(
            client,
            req,
            "breadwinner",
            {**STEPS["breadwinner"], "spouse_birth_date": "2999-01-01"},
            expect_next=False,
        )
        assert (
            ar("The date of birth cannot be in the future.")
            in (resp.context["form"].errors["spouse_birth_date"])
        )
        resp = step(
            client,
            req,
            "breadwinner",
            {**STEPS["breadwinner"], "spouse_id_number": "1089012345"},
            expect_next=False,
        )
        assert (
            ar("The number is not valid: its check digit does not match. Check the number.")
            in (resp.context["form"].errors["spouse_id_number"])
        )
        req.refresh_from_db()
        assert "spouse_id_number" not in req.data and req.data["_done"] == ["data"]

    def test_an_iban_that_fails_its_checksum_saves_nothing(self, client, applicant):
        req = start(client)
        for key in ("data", "breadwinner", "income"):
            step(client, req, key)
        bad = "SA0380000000608010167518"
        resp = step(
            client, req, "bank", {"iban": bad, "iban_confirm": bad, "bank": "80"}, expect_next=False
        )
        message = ar("The IBAN is not valid: its check digits do not match. Check the number.")
        assert message in resp.context["form"].errors["iban"]
        assert message in resp.content.decode()
        req.refresh_from_db()
        assert "iban" not in req.data and "bank" not in req.data["_done"]

    def test_the_report_date_and_the_documents(self, client, applicant):
        req = start(client)
        for key in ("data", "breadwinner", "income", "bank"):
            step(client, req, key)
        resp = client.post(
            f"/household/apply/{req.pk}/attachments/",
            {"next": "1", **REPORT, "report_date": "2999-01-01"},
        )
        assert resp.status_code == 200
        errors = resp.context["form"].errors
        assert ar("The date of the report cannot be in the future.") in errors["report_date"]
        assert len(errors["__all__"]) == 3  # the three documents are missing
        # Not a document: refused by its content.
        resp = client.post(
            f"/household/apply/{req.pk}/attachments/",
            {
                "attach": "1",
                "document_type": "id_document",
                "file": pdf_upload("id.pdf").__class__("id.pdf", b"hello", "application/pdf"),
            },
        )
        assert resp.status_code == 200 and not req.attachments.exists()

    def test_no_then_yes_and_a_double_click(
        self, client, applicant, django_capture_on_commit_callbacks
    ):
        req = fill(client)
        client.post(f"/household/apply/{req.pk}/submit/")
        resp = client.post(f"/household/apply/{req.pk}/confirm/", {"no": "1"})
        assert resp["Location"] == f"/household/apply/{req.pk}/submit/"
        req.refresh_from_db()
        assert req.status == S.DRAFT
        token = str(req.submit_token)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/household/apply/{req.pk}/confirm/", {"yes": "1", "token": token})
            again = client.post(f"/household/apply/{req.pk}/confirm/", {"yes": "1", "token": token})
        assert again["Location"] == f"/household/applications/{req.pk}/"
        req.refresh_from_db()
        assert req.status == S.SUBMITTED
        assert RequestEvent.objects.filter(request=req, action="submitted").count() == 1
        assert req.documents.filter(kind="letter").count() == 1

    def test_income_above_the_minimum_cannot_be_sent(self, client, applicant):
        req = fill(client, income={"has_income": "yes", "income_wages": "9000"})
        page = client.get(f"/household/apply/{req.pk}/submit/")
        assert not page.context["figure"].payable and page.context["reasons"]
        assert client.post(f"/household/apply/{req.pk}/submit/").status_code == 200
        resp = client.post(
            f"/household/apply/{req.pk}/confirm/", {"yes": "1", "token": str(req.submit_token)}
        )
        assert resp["Location"] == f"/household/apply/{req.pk}/submit/"
        req.refresh_from_db()
        assert req.status == S.DRAFT and req.reference is None


class TestWhoMayApply:
    def test_an_incomplete_profile_first(self, client):
        user = household_user(complete=False)
        client.force_login(user)
        assert client.get("/household/apply/")["Location"] == "/household/profile/"
        assert HOUSEHOLD_APPLICATION.eligibility(user, timezone.localdate())

    def test_one_application_at_a_time_and_none_with_a_pension(
        self, client, applicant, staff, django_capture_on_commit_callbacks
    ):
        req = fill(client)
        send(client, req, django_capture_on_commit_callbacks)
        page = client.get("/household/apply/")
        assert req.reference in " ".join(page.context["reasons"])
        assert client.post("/household/apply/").status_code == 200
        request_approve(req=req, staff=staff)
        page = client.get("/household/apply/")
        assert ar("You already receive the household pension.") in page.context["reasons"]

    def test_the_start_page_shows_the_rule_of_20_days(self, client, applicant):
        html = client.get("/household/apply/").content.decode()
        assert "20" in html
        assert HOUSEHOLD_APPLICATION.days_to_decide == 20


class TestReview:
    def test_acceptance_makes_the_pension_and_tells_the_applicant(
        self, client, applicant, staff, django_capture_on_commit_callbacks
    ):
        req = fill(client)
        send(client, req, django_capture_on_commit_callbacks)
        request_review_start(req=req, staff=staff)
        sms.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            request_approve(req=req, staff=staff, note="مكتمل")
        req.refresh_from_db()
        assert req.status == S.APPROVED
        pension = Pension.objects.get(request=req)
        assert pension.beneficiary == applicant and pension.status == Pension.Status.ACTIVE
        assert pension.accepted_on == timezone.localdate()
        assert pension.first_month == next_month()
        assert (pension.spouses, pension.children, pension.others) == (1, 2, 0)
        assert pension.iban == IBAN and pension.breadwinner_id_number == applicant.id_number
        # The income declared in the application becomes the profile's.
        assert dict(
            IncomeSource.objects.filter(profile__user=applicant).values_list(
                "kind", "monthly_amount"
            )
        ) == {"wages": Decimal("2000.00"), "citizen_account": Decimal("720.00")}
        titles = list(
            Notification.objects.filter(user=applicant, channel="inbox").values_list(
                "title", flat=True
            )
        )
        assert any(req.reference in t for t in titles)
        schedule = [n for n in sms.outbox if "2300.00" in n.body]
        assert schedule and next_month().isoformat() in schedule[0].body
        # The applicant's review page shows the decision.
        page = client.get("/household/review/")
        assert page.context["rows"][0]["req"].status == S.APPROVED

    def test_rejection_needs_reasons_and_tells_them(
        self, client, applicant, staff, django_capture_on_commit_callbacks
    ):
        req = fill(client)
        send(client, req, django_capture_on_commit_callbacks)
        with pytest.raises(ServiceError):
            request_reject(req=req, staff=staff, reason="  ")
        with django_capture_on_commit_callbacks(execute=True):
            request_reject(req=req, staff=staff, reason="الدخل يتجاوز الحد الأدنى بحسب سجل الأسرة")
        req.refresh_from_db()
        assert req.status == S.REJECTED and not Pension.objects.exists()
        inbox = Notification.objects.filter(user=applicant, channel="inbox").first()
        assert "الدخل يتجاوز" in inbox.body
        html = client.get("/household/review/").content.decode()
        assert "الدخل يتجاوز" in html

    def test_the_queue_shows_the_deadline_and_what_is_near_or_past(
        self, client, staff, django_capture_on_commit_callbacks, django_assert_max_num_queries
    ):
        people = [
            household_user(n, iban=i)
            for n, i in (
                ("1045678909", IBAN),
                ("1067890127", "SA8510000012345678901234"),
                ("2076543210", "SA1020000098765432109876"),
            )
        ]
        reqs = []
        for user in people:
            req = ServiceRequest.objects.create(
                applicant=user,
                service_code="hh.apply",
                data=application_answers(
                    iban=user.household_profile.iban,
                    iban_confirm=user.household_profile.iban,
                    bank=user.household_profile.bank,
                ),
            )
            reqs.append(req)
        now = timezone.now()
        for req, days_ago in zip(reqs, (2, 17, 25), strict=True):  # in time, near, past
            ServiceRequest.objects.filter(pk=req.pk).update(
                status=S.SUBMITTED,
                submitted_at=now - dt.timedelta(days=days_ago),
                reference=f"HH-2026-{req.pk:06d}",
            )
        client.force_login(staff)
        url = "/admin/household/application/"
        with django_assert_max_num_queries(12):
            page = client.get(url)
        html = page.content.decode()
        for req in reqs:
            assert f"HH-2026-{req.pk:06d}" in html
            assert f"/admin/eservices/servicerequest/{req.pk}/decide/" in html
        assert html.count("hh-late") == 1 and html.count("hh-near") == 1
        past = client.get(url + "?deadline=past").content.decode()
        assert f"HH-2026-{reqs[2].pk:06d}" in past and f"HH-2026-{reqs[0].pk:06d}" not in past
        near = client.get(url + "?deadline=near").content.decode()
        assert f"HH-2026-{reqs[1].pk:06d}" in near and f"HH-2026-{reqs[2].pk:06d}" not in near
        # The engine's queue gives the same 20 days.
        engine = client.get("/admin/eservices/servicerequest/").content.decode()
        assert "5 days late" in engine or ar("%(n)s days late") % {"n": 5} in engine


def test_the_catalogue_link_and_the_engine_pages_lead_to_the_wizard(client, applicant):
    """/service/hh.apply/ (the catalogue's link for a request service) and the engine's answers
    page send the applicant to the household wizard, which asks the questions step by step."""
    resp = client.get("/service/hh.apply/")
    assert resp.status_code == 302 and resp["Location"] == "/household/apply/"
    assert client.post("/service/hh.apply/").status_code == 302
    assert not ServiceRequest.objects.filter(service_code="hh.apply").exists()
    req = ServiceRequest.objects.create(applicant=applicant, service_code="hh.apply")
    resp = client.get(f"/requests/{req.pk}/answers/")
    assert resp.status_code == 302 and resp["Location"] == "/household/apply/"
