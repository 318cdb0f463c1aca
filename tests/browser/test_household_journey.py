"""The household social security end to end in Chromium, in Arabic (right to left):

a person creates an account with her ID number (the sum answered), reads the temporary password in
her SMS, signs in, must choose her own password, fills in the five stages of her profile and the
terms; applies for the pension step by step (office and category, breadwinner, income, bank
account, attachments, terms, submission, "Yes"), gets a reference and a printable summary; a member
of staff sees the application and its deadline in the review queue and accepts it in the admin;
she then sees her payment schedule, and the monthly task pays the first month once. axe-core
checks the household pages on the way.
"""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from eservices.dates import month_after, month_start
from eservices.models import Document, ServiceRequest
from household.models import BankAccountRecord, IdentityRecord, Payment, Pension
from household.tasks import pay_household_pensions

from ..factories import PASSWORD, UserFactory
from .conftest import assert_no_serious_axe_violations, read_outbox

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NUMBER = "1045678909"
BORN = "1980-03-15"
MOBILE = "0501234567"
SPOUSE = "1089012346"
IBAN = "SA0380000000608010167519"
NEW_PASSWORD = "Nakhla#Riyadh2026"
REFERENCE = re.compile(r"HH-\d{4}-\d{6}")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PASSWORD_IN_SMS = re.compile(r"(?<![A-Za-z0-9])([A-Za-z0-9]{10})(?![A-Za-z0-9])")


@pytest.fixture
def registers():
    IdentityRecord.objects.create(
        number=NUMBER, name_ar="فاطمة عبدالله القحطاني", birth_date=dt.date(1980, 3, 15)
    )
    BankAccountRecord.objects.create(
        iban=IBAN, bank="80", holder_id_number=NUMBER, holder_name="فاطمة عبدالله القحطاني"
    )


@pytest.fixture
def staff():
    return UserFactory(id_type="staff", id_number="clerk", is_staff=True, is_superuser=True)


@pytest.fixture
def documents(tmp_path):
    paths = {}
    for key in ("id_document", "medical_report", "family_record"):
        path = tmp_path / f"{key}.pdf"
        path.write_bytes(PDF)
        paths[key] = path
    return paths


def axe(page, url, artifacts, name):
    assert_no_serious_axe_violations(page, url, artifacts, f"household-{name}")


def submit(page):
    page.locator("main form.portal-form [type=submit]").last.click()
    page.wait_for_load_state()


def temporary_password(outbox, *, timeout=5.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for entry in reversed(read_outbox(outbox)):
            match = PASSWORD_IN_SMS.search(entry.get("body", ""))
            if match:
                return match.group(1)
        time.sleep(0.1)
    raise AssertionError(f"no temporary password in {read_outbox(outbox)!r}")


def fetch_pdf(page, url: str, tries: int = 20) -> bytes:
    for _ in range(tries):
        resp = page.request.get(url)
        if resp.status == 200:
            return resp.body()
        assert resp.status == 202, resp.status
        time.sleep(0.5)
    raise AssertionError(f"{url} was still being prepared")


def test_account_profile_application_acceptance_and_payments(
    page, new_context, live_server, file_outbox, registers, staff, documents, artifacts, shot
):
    url = live_server.url

    # --- hh.register -------------------------------------------------------------------------
    page.goto(f"{url}/household/")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.locator("main a[href='/household/register/']").first.click()
    page.wait_for_url(re.compile(r"/household/register/$"))
    axe(page, url, artifacts, "register")
    form = page.locator("main form.portal-form")
    # A wrong check digit first: a message, and nothing saved.
    form.locator("input[name=id_number]").fill("1045678908")
    form.locator("input[name=mobile]").fill(MOBILE)
    form.locator("input[name=birth_date]").fill(BORN)
    label = page.locator("label[for=id_arithmetic]").inner_text()
    a, b = map(int, re.search(r"(\d+)\s*\+\s*(\d+)", label).groups())
    form.locator("input[name=arithmetic]").fill(str(a + b))
    submit(page)
    expect(page.locator("main #error-summary")).to_be_visible()
    assert not User.objects.filter(id_number__startswith="104567890").exists()
    shot("1-register-wrong-check-digit")
    # Then right (a new sum is asked).
    form.locator("input[name=id_number]").fill(NUMBER)
    form.locator("input[name=birth_date]").fill(BORN)
    label = page.locator("label[for=id_arithmetic]").inner_text()
    a, b = map(int, re.search(r"(\d+)\s*\+\s*(\d+)", label).groups())
    form.locator("input[name=arithmetic]").fill(str(a + b))
    submit(page)
    page.wait_for_url(re.compile(r"/household/register/sent/$"))
    expect(page.locator("main .portal-panel[role=status]")).to_contain_text("*****67")
    shot("2-registered")
    temp = temporary_password(file_outbox)

    # --- first sign-in: the temporary password must be changed --------------------------------
    page.goto(f"{url}/household/sign-in/")
    page.locator("main input[name=id_number]").fill(NUMBER)
    page.locator("main input[name=password]").fill(temp)
    submit(page)
    page.wait_for_url(re.compile(r"/household/password/$"))
    axe(page, url, artifacts, "password")
    page.locator("main input[name=new_password1]").fill(NEW_PASSWORD)
    page.locator("main input[name=new_password2]").fill(NEW_PASSWORD)
    submit(page)
    page.wait_for_url(re.compile(r"/household/profile/1/$"))

    # --- the profile: five stages, then the terms ----------------------------------------------
    axe(page, url, artifacts, "profile-address")
    f = page.locator("main form.portal-form")
    f.locator("select[name=region]").select_option("riyadh")
    f.locator("input[name=city]").fill("الرياض")
    f.locator("input[name=district]").fill("النسيم")
    f.locator("input[name=street]").fill("شارع الأمير سعود")
    f.locator("input[name=building_number]").fill("4321")
    f.locator("input[name=postal_code]").fill("14231")
    f.locator("input[name=additional_number]").fill("7788")
    shot("3-profile-address")
    submit(page)
    page.wait_for_url(re.compile(r"/household/profile/2/$"))
    page.locator("main select[name=employment]").select_option("unemployed")
    submit(page)
    page.wait_for_url(re.compile(r"/household/profile/3/$"))
    page.locator("main input[name=iban]").fill(IBAN)
    page.locator("main input[name=iban_confirm]").fill(IBAN)
    page.locator("main select[name=bank]").select_option("80")
    submit(page)
    page.wait_for_url(re.compile(r"/household/profile/4/$"))
    axe(page, url, artifacts, "profile-income")
    page.locator("main input[name=has_income][value=yes]").check()
    page.locator("main input[name=income_wages]").fill("2000")
    page.locator("main input[name=income_citizen_account]").fill("720")
    submit(page)
    page.wait_for_url(re.compile(r"/household/profile/5/$"))
    page.locator("main select[name=education]").select_option("secondary")
    submit(page)
    page.wait_for_url(re.compile(r"/household/profile/6/$"))
    page.locator("main input[name=terms]").check()
    submit(page)
    page.wait_for_url(re.compile(r"/household/$"))
    expect(page.locator("main .alert-success[role=status]")).to_have_count(1)
    shot("4-profile-complete")
    user = User.objects.get(id_number=NUMBER)
    assert user.household_profile.is_complete

    # --- hh.apply, step by step ----------------------------------------------------------------
    page.locator("main a[href='/household/apply/']").first.click()
    page.wait_for_url(re.compile(r"/household/apply/$"))
    expect(page.locator("main dl.portal-facts")).to_contain_text("20")
    axe(page, url, artifacts, "apply-start")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/household/apply/\d+/data/$"))
    pk = int(re.search(r"/apply/(\d+)/", page.url).group(1))
    page.locator("main select[name=office]").select_option("riyadh")
    page.locator("main select[name=category]").select_option("family")
    submit(page)
    page.wait_for_url(re.compile(rf"/apply/{pk}/breadwinner/$"))
    page.locator("main input[name=spouse_id_number]").fill(SPOUSE)
    page.locator("main input[name=spouse_birth_date]").fill("1982-05-01")
    page.locator("main input[name=children]").fill("2")
    shot("5-apply-breadwinner")
    submit(page)
    page.wait_for_url(re.compile(rf"/apply/{pk}/income/$"))
    # The income comes from the profile.
    expect(page.locator("main input[name=income_wages]")).to_have_value("2000.00")
    axe(page, url, artifacts, "apply-income")
    submit(page)
    page.wait_for_url(re.compile(rf"/apply/{pk}/bank/$"))
    # An IBAN that fails its checksum: a message, nothing saved.
    page.locator("main input[name=iban]").fill("SA0380000000608010167518")
    page.locator("main input[name=iban_confirm]").fill("SA0380000000608010167518")
    submit(page)
    expect(page.locator("main #error-summary")).to_be_visible()
    assert "iban" not in ServiceRequest.objects.get(pk=pk).data
    page.locator("main input[name=iban]").fill(IBAN)
    page.locator("main input[name=iban_confirm]").fill(IBAN)
    page.locator("main select[name=bank]").select_option("80")
    submit(page)
    page.wait_for_url(re.compile(rf"/apply/{pk}/attachments/$"))
    axe(page, url, artifacts, "apply-attachments")
    for key, path in documents.items():
        upload = page.locator("main form[enctype='multipart/form-data']")
        upload.locator("select[name=document_type]").select_option(key)
        upload.locator("input[name=file]").set_input_files(str(path))
        upload.locator("button[name=attach]").click()
        page.wait_for_url(re.compile(rf"/apply/{pk}/attachments/$"))
        expect(page.locator(f"main a:has-text('{path.name}')")).to_have_count(1)
    report = page.locator("main form.portal-form").last
    report.locator("input[name=report_date]").fill(
        (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    )
    report.locator("input[name=report_number]").fill("MR-2231")
    report.locator("input[name=hospital]").fill("مستشفى الملك سعود العام")
    shot("6-apply-attachments")
    report.locator("button[name=next]").click()
    page.wait_for_url(re.compile(rf"/apply/{pk}/terms/$"))
    page.locator("main input[name=terms]").check()
    submit(page)
    page.wait_for_url(re.compile(rf"/apply/{pk}/submit/$"))
    # The submission page: the answers and the entitlement with its working.
    expect(page.locator("main .portal-amount bdi")).to_have_text("2300.00")
    expect(page.locator("main section.portal-working tbody tr")).to_have_count(7)
    axe(page, url, artifacts, "apply-submit")
    shot("7-apply-submit")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/apply/{pk}/confirm/$"))
    shot("8-apply-confirm")
    page.locator("main button[name=yes]").click()
    page.wait_for_url(re.compile(rf"/household/applications/{pk}/$"))
    reference = page.locator("main .portal-panel__ref").inner_text().strip()
    assert REFERENCE.fullmatch(reference), reference
    axe(page, url, artifacts, "application-summary")
    shot("9-application-summary")
    summary_link = page.locator("main a[href*='/documents/']")
    expect(summary_link).to_have_count(1)
    body = fetch_pdf(page, url + summary_link.get_attribute("href"))
    assert body.startswith(b"%PDF")
    req = ServiceRequest.objects.get(pk=pk)
    assert req.status == "submitted" and req.reference == reference
    assert Document.objects.filter(request=req, kind="letter", status="ready").exists()

    # --- staff: the review queue, then acceptance ---------------------------------------------
    admin = new_context().new_page()
    admin.set_default_timeout(10_000)
    admin.goto(f"{url}/admin/login/?next=/admin/")
    admin.locator("input[name=username]").fill(staff.id_number)
    admin.locator("input[name=password]").fill(PASSWORD)
    admin.locator("#login-form [type=submit]").click()
    admin.wait_for_url(re.compile(r"/admin/$"))
    admin.goto(f"{url}/admin/household/application/")
    row = admin.locator("#result_list tbody tr", has_text=reference)
    expect(row).to_have_count(1)
    deadline = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    assert deadline in row.inner_text(), row.inner_text()
    admin.screenshot(path=str(artifacts / "household-10-admin-queue.png"), full_page=True)
    row.locator(f"a[href$='/servicerequest/{pk}/decide/']").click()
    admin.wait_for_url(re.compile(rf"/servicerequest/{pk}/decide/$"))
    admin.locator("textarea[name=reason]").fill("المستندات مكتملة")
    admin.locator("input[type=submit][name=approve]").click()
    admin.wait_for_url(re.compile(r"/admin/eservices/servicerequest/$"))
    expect(admin.locator("ul.messagelist li", has_text=reference)).to_have_count(1)
    req.refresh_from_db()
    assert req.status == "approved"
    pension = Pension.objects.get(request=req)
    first = month_after(month_start(timezone.localdate()), 1)
    assert pension.first_month == first

    # --- the payment schedule, and the monthly task ---------------------------------------------
    page.goto(f"{url}/household/payments/")
    schedule = page.locator("main table.portal-schedule")
    expect(schedule).to_contain_text(first.isoformat())
    expect(schedule).to_contain_text("2300.00")
    axe(page, url, artifacts, "payments")
    shot("11-payment-schedule")
    assert pay_household_pensions(first.isoformat()) == 1
    assert pay_household_pensions(first.isoformat()) == 0  # once a month
    page.reload()
    paid = Payment.objects.get(pension=pension)
    assert paid.month == first and str(paid.amount) == "2300.00"
    expect(schedule.locator("tbody tr")).to_have_count(4)  # next, two after, one paid
    shot("12-payment-made")
