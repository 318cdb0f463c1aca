"""A mother asks for the maternity allowance (mat.allowance) in Arabic, end to end in Chromium.

She signs in, finds the service in the catalogue, reads the start page, answers, attaches the birth
certificate, checks her answers (amount and working), sends, gets a reference and a PDF receipt.
A member of staff decides in the admin; she then reads the decision in her inbox. axe-core checks
the pages of the journey.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from eservices.models import Document, Notification, RequestEvent, ServiceRequest
from individuals.models import WageRecord
from payments.models import BenefitPayment

from ..factories import PASSWORD, IndividualFactory, UserFactory
from .conftest import ARABIC, assert_arabic, assert_no_serious_axe_violations, main_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IBAN = "JO71CBJO0000000000001234567890"  # valid mod-97
CHILD = "ليان"
HOSPITAL = "مستشفى البشير"
NOTE = "شهادة الولادة مطابقة"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REFERENCE = re.compile(r"MAT-\d{4}-\d{6}")
SERVICE_URL = "/service/mat.allowance/"


# --- data ------------------------------------------------------------------------------------


def months_ago(today: dt.date, k: int) -> dt.date:
    y, m = divmod(today.year * 12 + today.month - 1 - k, 12)
    return dt.date(y, m + 1, 1)


@pytest.fixture
def mother():
    """An insured woman with a contribution in each of the 24 months before this one.

    The wage of the month k months ago is 600 + k JD, so the last one before the birth is known.
    """
    ind = IndividualFactory(sex="F", name_ar="هند سامي")
    today = timezone.localdate()
    WageRecord.objects.bulk_create(
        WageRecord(
            individual=ind,
            month=months_ago(today, k),
            wage=Decimal("600.000") + k,
            coverage="mandatory",
        )
        for k in range(1, 25)
    )
    return ind


@pytest.fixture
def staff():
    return UserFactory(id_type="staff", id_number="clerk", is_staff=True, is_superuser=True)


@pytest.fixture
def pdf_file(tmp_path):
    path = tmp_path / "birth-certificate.pdf"
    path.write_bytes(PDF)
    return path


def birth_day() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=3)


def expected_figure(birth: dt.date) -> tuple[Decimal, Decimal]:
    """(last wage, amount). RULES.md: the last insured wage before the month of the birth
    ÷ 30 × 70 days, rounded half up to the fils."""
    today = timezone.localdate()
    k = (today.year - birth.year) * 12 + today.month - birth.month + 1
    wage = Decimal("600.000") + k
    return wage, (wage / Decimal(30) * 70).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def status_label(status: str) -> str:
    with translation.override("ar"):
        return str(ServiceRequest.Status(status).label)


# --- screenshots of any page (the conftest's ``shot`` takes only ``page``) --------------------


@pytest.fixture
def snap(artifacts, request):
    test_name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")

    def take(p, step: str):
        path = artifacts / f"{test_name}--{step}.png"
        p.screenshot(path=str(path), full_page=True)
        return path

    return take


# --- steps ---------------------------------------------------------------------------------


def fresh_page(new_context):
    """A page in a browser context of its own (Arabic, Amman: conftest's browser_context_args)."""
    p = new_context().new_page()
    p.set_default_timeout(10_000)
    p.set_default_navigation_timeout(15_000)
    return p


def sign_in(p, url: str, national_number: str) -> None:
    p.goto(f"{url}/accounts/sign-in/")
    form = p.locator("form.portal-form")
    form.locator("input[name=id_type][value=national]").check()
    form.locator("input[name=username]").fill(national_number)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("[type=submit]").click()
    p.wait_for_url(re.compile(r"/individuals/$"))


def open_start_page(p, url: str) -> None:
    p.goto(f"{url}{SERVICE_URL}")
    expect(p.locator("main form button[type=submit]")).to_be_visible()


def press_start(p) -> int:
    p.locator("main form button[type=submit]").click()
    p.wait_for_url(re.compile(r"/requests/\d+/answers/$"))
    expect(p.locator("form.portal-form input[name=birth_date]")).to_be_visible()
    return int(re.search(r"/requests/(\d+)/answers/$", p.url).group(1))


def fill_answers(p, birth: dt.date) -> None:
    form = p.locator("form.portal-form")
    form.locator("input[name=birth_date]").fill(birth.isoformat())
    form.locator("input[name=child_name]").fill(CHILD)
    form.locator("select[name=births]").select_option("1")
    form.locator("input[name=hospital]").fill(HOSPITAL)
    form.locator("input[name=leave_start]").fill(birth.isoformat())
    form.locator("select[name=bank]").select_option("arab_bank")
    form.locator("input[name=iban]").fill(IBAN)


def save_and_continue(p, pk: int) -> None:
    p.locator("form.portal-form button[name=continue]").click()
    p.wait_for_url(re.compile(rf"/requests/{pk}/documents/$"))
    expect(p.locator("form.portal-form input[name=file]")).to_be_attached()


def attach_birth_certificate(p, pdf_file) -> None:
    form = p.locator("form.portal-form[enctype='multipart/form-data']")
    form.locator("select[name=document_type]").select_option("birth_certificate")
    form.locator("input[name=file]").set_input_files(str(pdf_file))
    form.locator("button[type=submit]").click()
    p.wait_for_load_state()
    expect(p.locator("main .alert-success[role=status]")).to_have_count(1)
    expect(p.locator(f"main a[href*='/attachments/']:has-text('{pdf_file.name}')")).to_have_count(1)


def continue_to_check(p, pk: int) -> None:
    p.locator(f"main a[href$='/requests/{pk}/check/']").click()
    p.wait_for_url(re.compile(rf"/requests/{pk}/check/$"))
    expect(p.locator("main dl.portal-check")).to_be_visible()


def fetch_receipt(p, url: str, *, tries: int = 20) -> bytes:
    """The receipt PDF, fetched with the page's cookies; a 202 means "being prepared": poll."""
    for _ in range(tries):
        resp = p.request.get(url)
        if resp.status == 200:
            assert resp.headers.get("content-type", "").startswith("application/pdf"), resp.headers
            return resp.body()
        assert resp.status == 202, f"the receipt answered {resp.status}: {resp.text()[:300]}"
        time.sleep(0.5)
    raise AssertionError(f"the receipt at {url} was still being prepared after {tries} tries")


# --- 1 and 2: the journey, then the decision -------------------------------------------------


def test_mother_applies_for_maternity_allowance_and_staff_approve(
    page, new_context, live_server, mother, staff, pdf_file, shot, snap
):
    url = live_server.url
    birth = birth_day()
    wage, amount = expected_figure(birth)

    # Signed in with her national number.
    sign_in(page, url, mother.national_number)

    # The catalogue links to the service.
    page.goto(f"{url}/services/individuals/")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    link = page.locator(f"main a[href='{SERVICE_URL}']")
    expect(link).to_have_count(1)
    assert_arabic(link.inner_text(), "The catalogue's link to the maternity allowance")
    shot("1-catalogue")
    link.click()

    # The start page: who may use it, the documents, how long a decision takes.
    page.wait_for_url(re.compile(re.escape(SERVICE_URL) + "$"))
    assert_arabic(page.locator("main h1").inner_text(), "The service's name on its start page")
    facts = page.locator("main dl.portal-facts")
    expect(facts.locator("dt")).to_have_count(3)  # who, documents, decision time
    expect(facts.locator("dd")).to_have_count(3)
    for i in range(3):
        assert facts.locator("dt").nth(i).inner_text().strip()
        assert facts.locator("dd").nth(i).inner_text().strip()
    expect(facts.locator("dd").nth(1).locator("li")).to_have_count(2)  # certificate, letter
    expect(facts.locator("dd").nth(2)).to_contain_text("14")
    expect(page.locator("main [role=alert]")).to_have_count(0)  # she may use it
    shot("2-start-page")
    pk = press_start(page)
    req = ServiceRequest.objects.get(pk=pk)
    assert req.applicant_id == mother.user_id and req.status == ServiceRequest.Status.DRAFT

    # The form.
    fill_answers(page, birth)
    shot("3-form-filled")
    save_and_continue(page, pk)

    # The documents: the birth certificate, a real (small) PDF.
    shot("4-documents")
    attach_birth_certificate(page, pdf_file)
    shot("5-document-attached")
    continue_to_check(page, pk)

    # Check your answers: the answers, the amount and how it was reached.
    check = page.locator("main dl.portal-check")
    answers = check.inner_text()
    for shown in (birth.isoformat(), CHILD, HOSPITAL, IBAN, pdf_file.name):
        assert shown in answers, f"{shown!r} is not among the answers shown: {answers!r}"
    amount_line = page.locator("main .portal-amount bdi")
    expect(amount_line).to_have_count(1)
    shown_amount = amount_line.inner_text().strip()
    assert Decimal(shown_amount.replace(",", ".")) == amount, (shown_amount, amount)
    working = page.locator("main section.portal-working table")
    expect(working).to_be_visible()
    expect(working.locator("tbody tr")).to_have_count(4)
    formula = working.locator("tbody tr").last
    expect(formula).to_contain_text(f"{wage:.3f} ÷ 30 × 70")
    expect(formula).to_contain_text(f"{amount:.3f}")
    expect(page.locator("main section.portal-working ul li")).to_have_count(3)  # three rules
    expect(page.locator("main [role=alert]")).to_have_count(0)  # nothing blocks sending
    shot("6-check-your-answers")

    # Send: the only submit button of the form that carries the token.
    send = page.locator("main form:has(input[name=token]) [type=submit]")
    expect(send).to_have_count(1)
    send.click()

    # The confirmation, with the reference in a status panel.
    page.wait_for_url(re.compile(rf"/requests/{pk}/$"))
    panel = page.locator("main .portal-panel[role=status]")
    expect(panel).to_be_visible()
    reference = panel.locator(".portal-panel__ref").inner_text().strip()
    assert REFERENCE.fullmatch(reference), reference
    expect(panel.locator("h1")).not_to_be_empty()
    req.refresh_from_db()
    assert req.status == ServiceRequest.Status.SUBMITTED
    assert req.reference == reference and req.amount == amount
    shot("7-confirmation")

    # The receipt: a PDF, fetched with her cookies.
    receipt_link = page.locator("main a[href*='/documents/']")
    expect(receipt_link).to_have_count(1)
    body = fetch_receipt(page, url + receipt_link.get_attribute("href"))
    assert body.startswith(b"%PDF"), body[:40]
    assert Document.objects.get(request=req, kind="receipt").status == "ready"

    # --- staff decide in the admin (a browser of their own) ---------------------------------
    admin = fresh_page(new_context)
    admin.goto(f"{url}/admin/login/?next=/admin/")
    admin.locator("input[name=username]").fill(staff.id_number)
    admin.locator("input[name=password]").fill(PASSWORD)
    admin.locator("#login-form [type=submit]").click()
    admin.wait_for_url(re.compile(r"/admin/$"))

    admin.goto(f"{url}/admin/eservices/servicerequest/")
    row = admin.locator("#result_list tbody tr", has_text=reference)
    expect(row).to_have_count(1)
    snap(admin, "8-admin-queue")
    row.locator(f"a[href*='/servicerequest/{pk}/']").first.click()
    admin.wait_for_url(re.compile(rf"/admin/eservices/servicerequest/{pk}/change/"))
    admin.locator(f"a[href$='/servicerequest/{pk}/decide/']").click()
    admin.wait_for_url(re.compile(rf"/servicerequest/{pk}/decide/$"))
    expect(admin.locator("#content")).to_contain_text(reference)
    reason = admin.locator("textarea[name=reason]")
    expect(reason).to_be_visible()
    snap(admin, "9-admin-decide")

    # Reject with no reasons: the page stays, nothing is decided (the browser holds the form back:
    # the box is required).
    admin.locator("input[type=submit][name=reject]").click()
    admin.wait_for_load_state()
    expect(admin).to_have_url(re.compile(rf"/servicerequest/{pk}/decide/$"))
    expect(reason).to_be_visible()
    # Reasons of blanks only get past the browser, and the server refuses them.
    reason.fill("   ")
    admin.locator("input[type=submit][name=reject]").click()
    admin.wait_for_load_state()
    expect(admin).to_have_url(re.compile(rf"/servicerequest/{pk}/decide/$"))
    expect(admin.locator("#content .errorlist")).to_have_count(1)
    snap(admin, "10-admin-reject-without-reasons")
    req.refresh_from_db()
    assert req.status == ServiceRequest.Status.SUBMITTED and req.decided_at is None
    assert not RequestEvent.objects.filter(request=req, action="rejected").exists()

    # Approve. The reasons box is `required` in the HTML (RejectForm), so a browser will not send
    # "Approve" while it is empty: the clerk writes a note (it is kept as the decision's reasons).
    reason.fill(NOTE)
    admin.locator("input[type=submit][name=approve]").click()
    admin.wait_for_url(re.compile(r"/admin/eservices/servicerequest/$"))
    # The message that confirms it. (ServiceRequestAdmin.decide_view calls message_user() with
    # its default level, INFO, so the admin shows it as li.info rather than li.success.)
    confirmation = admin.locator("ul.messagelist li", has_text=reference)
    expect(confirmation).to_have_count(1)
    expect(confirmation).to_have_class(re.compile(r"^(success|info)$"))
    expect(admin.locator("ul.messagelist li.error, ul.messagelist li.warning")).to_have_count(0)
    snap(admin, "11-admin-approved")
    req.refresh_from_db()
    assert req.status == ServiceRequest.Status.APPROVED and req.decided_by_id == staff.pk
    assert req.decision_reason == NOTE
    assert BenefitPayment.objects.get(request=req).amount == amount

    # --- the mother, in a new browser, reads the decision ------------------------------------
    mum = fresh_page(new_context)
    sign_in(mum, url, mother.national_number)
    mum.goto(f"{url}/inbox/")
    messages = mum.locator("main article", has_text=reference)
    expect(messages).to_have_count(2)  # received, then approved
    assert Notification.objects.filter(user=mother.user, channel="inbox").count() == 2
    newest = messages.first
    expect(newest).to_contain_text(str(amount))
    snap(mum, "12-inbox")

    mum.goto(f"{url}/requests/{pk}/")
    summary = mum.locator("main dl.portal-summary")
    expect(summary).to_contain_text(reference)
    expect(summary.locator("div").nth(1).locator("dd")).to_have_text(
        status_label(ServiceRequest.Status.APPROVED)
    )
    expect(mum.locator("main .portal-panel[role=status]")).to_have_count(0)
    expect(mum.locator("main .alert-success")).to_contain_text(NOTE)
    snap(mum, "13-request-approved")


# --- 3: axe on the pages of the journey ------------------------------------------------------


def _start(p, url, mother, pdf_file):
    open_start_page(p, url)


def _form(p, url, mother, pdf_file):
    open_start_page(p, url)
    press_start(p)


def _form_with_errors(p, url, mother, pdf_file):
    _form(p, url, mother, pdf_file)
    p.locator("form.portal-form button[name=continue]").click()
    p.wait_for_load_state()
    expect(p.locator("main [role=alert]#error-summary")).to_be_visible()
    assert p.locator("main #error-summary li").count() >= 5


def _documents(p, url, mother, pdf_file):
    open_start_page(p, url)
    pk = press_start(p)
    fill_answers(p, birth_day())
    save_and_continue(p, pk)
    return pk


def _check(p, url, mother, pdf_file):
    pk = _documents(p, url, mother, pdf_file)
    attach_birth_certificate(p, pdf_file)
    continue_to_check(p, pk)
    expect(p.locator("main form:has(input[name=token])")).to_have_count(1)


AXE_PAGES = {
    "start": _start,
    "form": _form,
    "form-errors": _form_with_errors,
    "documents": _documents,
    "check-your-answers": _check,
}


@pytest.mark.parametrize("name", list(AXE_PAGES))
def test_maternity_pages_have_no_serious_axe_violations(
    page, live_server, artifacts, mother, pdf_file, name
):
    sign_in(page, live_server.url, mother.national_number)
    AXE_PAGES[name](page, live_server.url, mother, pdf_file)
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert ARABIC.search(main_text(page))

    assert_no_serious_axe_violations(page, live_server.url, artifacts, f"maternity-{name}")
