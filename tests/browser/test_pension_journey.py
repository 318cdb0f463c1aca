"""An insured man near retirement, in Arabic, in Chromium: he opens the expected-pension calculator
from the catalogue, reads the pension at each possible date and how it was reached, changes an
assumption (his dependants) and sees the working change; then he asks for his old-age pension.
Staff approve it through the service layer; he then sees his pension's parts and the decision
notice. axe-core checks the calculator and the pension pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from eservices.models import Document, ServiceRequest
from eservices.services import request_approve, request_review_start
from pensions.models import Pension, PensionPayment

from ..factories import PASSWORD, UserFactory
from ..factories_pensions import IBAN, insured, years_ago
from .conftest import assert_arabic, assert_no_serious_axe_violations, main_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CALCULATOR = "/pensions/expected-pension/"
REQUEST = "/service/ret.old-age-request/"
REFERENCE = re.compile(r"OLD-\d{4}-\d{6}")


@pytest.fixture
def man():
    """61, 300 months of 1000 JD that ended last month: 25 × 2.5% × 1000 = 625 + 40 = 665 JD;
    with two dependants 625 × 18% = 112.500 more (777.500); with one, 75.000 (740.000)."""
    return insured(months=300, birth_date=years_ago(61, days=40), name_ar="خليل إبراهيم")


@pytest.fixture
def staff():
    return UserFactory(id_type="staff", id_number="clerk", is_staff=True, is_superuser=True)


def sign_in(p, url: str, national_number: str) -> None:
    p.goto(f"{url}/accounts/sign-in/")
    form = p.locator("form.portal-form")
    form.locator("input[name=id_type][value=national]").check()
    form.locator("input[name=username]").fill(national_number)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("[type=submit]").click()
    p.wait_for_url(re.compile(r"/individuals/$"))


def chosen_amount(p) -> str:
    return p.locator("main #chosen .portal-amount bdi").inner_text().strip()


def working_row(p, text: str):
    return p.locator("main #chosen section.portal-working tbody tr", has_text=text)


def test_calculator_then_old_age_request(page, live_server, man, staff, shot):
    url = live_server.url
    sign_in(page, url, man.national_number)

    # The catalogue links to the calculator.
    page.goto(f"{url}/services/individuals/")
    link = page.locator(f"main a[href='{CALCULATOR}']")
    expect(link).to_have_count(1)
    assert_arabic(link.inner_text(), "The catalogue's link to the calculator")
    link.click()
    page.wait_for_url(re.compile(re.escape(CALCULATOR) + "$"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert_arabic(page.locator("main h1").inner_text(), "The calculator's title")

    # Each possible date: today (61) and each birthday to 65; the first is shown with its working.
    rows = page.locator("main table.portal-options tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.first).to_have_attribute("aria-current", "true")
    assert chosen_amount(page) == "665.000"
    working = page.locator("main #chosen section.portal-working table")
    expect(working).to_be_visible()
    expect(working_row(page, "1000.000").first).to_be_visible()  # the reference wage
    expect(working.locator("tbody tr").last).to_contain_text("625.000 + 0.000 + 40.000 + 0.000")
    expect(page.locator("main #chosen section.portal-working ul li").first).to_be_visible()
    shot("1-calculator")

    # Change an assumption: two dependants.
    form = page.locator("main form.portal-form")
    form.locator("input[name=dependants]").fill("2")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"dependants=2"))
    assert chosen_amount(page) == "777.500"
    increment = working_row(page, "625.000 × 18%")
    expect(increment).to_have_count(1)
    expect(increment).to_contain_text("112.500")
    expect(working.locator("tbody tr").last).to_contain_text("625.000 + 112.500 + 40.000 + 0.000")
    shot("2-calculator-two-dependants")

    # Another date's working, from the table.
    rows.nth(2).locator("a").click()
    page.wait_for_load_state()
    expect(rows.nth(2)).to_have_attribute("aria-current", "true")

    # The request: eligible, the form with the bank and one dependant.
    page.goto(f"{url}{REQUEST}")
    expect(page.locator("main [role=alert]")).to_have_count(0)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/requests/\d+/answers/$"))
    pk = int(re.search(r"/requests/(\d+)/answers/$", page.url).group(1))
    form = page.locator("form.portal-form")
    form.locator("select[name=bank]").select_option("arab_bank")
    form.locator("input[name=iban]").fill(IBAN)
    form.locator("input[name=dependant_1_name]").fill("فاطمة علي")
    form.locator("input[name=dependant_1_national_number]").fill("9651234567")
    form.locator("select[name=dependant_1_kinship]").select_option("wife")
    form.locator("input[name=dependant_1_birth_date]").fill("1965-03-01")
    form.locator("input[name=declaration]").check()
    shot("3-request-form")
    form.locator("button[name=continue]").click()
    page.wait_for_url(re.compile(rf"/requests/{pk}/documents/$"))
    page.locator(f"main a[href$='/requests/{pk}/check/']").click()
    page.wait_for_url(re.compile(rf"/requests/{pk}/check/$"))
    expect(page.locator("main .portal-amount bdi")).to_have_text("740.000")
    expect(page.locator("main section.portal-working tbody tr").last).to_contain_text(
        "625.000 + 75.000 + 40.000 + 0.000"
    )
    shot("4-check")
    page.locator("main form:has(input[name=token]) [type=submit]").click()
    page.wait_for_url(re.compile(rf"/requests/{pk}/$"))
    reference = page.locator("main .portal-panel__ref").inner_text().strip()
    assert REFERENCE.fullmatch(reference), reference
    shot("5-sent")

    # Staff decide (the service layer, as the admin's decision page does).
    req = ServiceRequest.objects.get(pk=pk)
    request_review_start(req=req, staff=staff)
    request_approve(req=req, staff=staff)
    pension = Pension.objects.get(individual=man)
    assert pension.amount.to_eng_string() == "740.000"
    assert PensionPayment.objects.filter(pension=pension, kind="first").exists()
    notice = Document.objects.get(request=req, kind="decision")
    assert notice.status == "ready"

    # His pension's parts, and the decision notice.
    page.goto(f"{url}/pensions/my-pension/")
    parts = page.locator("main table.portal-parts")
    expect(parts).to_contain_text("625.000")
    expect(parts).to_contain_text("75.000")
    expect(parts.locator("tfoot")).to_contain_text("740.000")
    shot("6-pension")
    page.goto(f"{url}/pensions/my-pension/decision-notice/")
    link = page.locator(f"main a[href$='/documents/{notice.pk}/']")
    expect(link).to_have_count(1)
    resp = page.request.get(url + link.get_attribute("href"))
    assert resp.status == 200 and resp.body().startswith(b"%PDF")


@pytest.mark.parametrize("path", [CALCULATOR, f"{CALCULATOR}?dependants=2&wage_growth=3"])
def test_calculator_has_no_serious_axe_violations(page, live_server, artifacts, man, path):
    sign_in(page, live_server.url, man.national_number)
    page.goto(f"{live_server.url}{path}")
    expect(page.locator("main #chosen")).to_be_visible()
    assert_arabic(main_text(page), "The calculator page")
    name = "pension-calculator" + ("-assumptions" if "?" in path else "")
    assert_no_serious_axe_violations(page, live_server.url, artifacts, name)


def test_calculator_with_an_error_has_no_serious_axe_violations(page, live_server, artifacts, man):
    sign_in(page, live_server.url, man.national_number)
    page.goto(f"{live_server.url}{CALCULATOR}?retirement_date=2001-01-01&dependants=x")
    expect(page.locator("main #error-summary")).to_be_visible()
    assert_no_serious_axe_violations(page, live_server.url, artifacts, "pension-calculator-errors")
