"""A liaison officer pays the establishment's contributions through the bill-payment network,
end to end in Chromium, in Arabic.

The officer opens est.pay-contributions and sees the bill (number, amount, due date, biller code,
billing number); the network simulator pays it over real HTTP with a signed notification
(``manage.py network_simulator --url <live server> pay``), and the receipt appears on the page and
downloads as a PDF. A new charge brings a new bill, paid with the page's demo button (enabled in
the test settings); its receipt appears too. axe-core checks the page with a bill and with the
payments listed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from payments import ledger
from payments.models import Bill, LedgerEntry, Payment

from ..factories import PASSWORD, LiaisonOfficerFactory
from ..factories_payments import EstablishmentAccountFactory
from .conftest import assert_arabic, assert_no_serious_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def t(message: str) -> str:
    with translation.override("ar"):
        return gettext(message)


@pytest.fixture
def officer():
    return LiaisonOfficerFactory(establishment__name="شركة النخيل للمقاولات")


@pytest.fixture
def account(officer):
    account = EstablishmentAccountFactory(establishment=officer.establishment)
    ledger.post(
        account=account,
        kind=LedgerEntry.Kind.CONTRIBUTION,
        key="contrib:2026-01",
        amount=Decimal("1520.375"),
        period=dt.date(2026, 1, 1),
    )
    return account


@pytest.fixture(autouse=True)
def _settlements(settings, tmp_path):
    settings.NETWORK_SETTLEMENT_DIR = tmp_path / "settlements"
    settings.NETWORK_SIMULATOR_ENABLED = True


def sign_in(p, url: str, insurance_number: str) -> None:
    p.goto(f"{url}/accounts/sign-in/")
    form = p.locator("form.portal-form")
    form.locator("input[name=id_type][value=establishment]").check()
    form.locator("input[name=username]").fill(insurance_number)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("[type=submit]").click()
    p.wait_for_url(re.compile(r"/establishments/$"))


def receipt_links(p):
    return p.locator("main a[href*='/documents/']")


def test_officer_sees_the_bill_the_network_pays_it_and_the_receipt_appears(
    page, live_server, officer, account, shot, artifacts
):
    url = live_server.url
    pay_url = url + reverse("payments:pay_contributions")
    sign_in(page, url, officer.establishment.insurance_number)

    # 1. The bill, and how to pay it through the network.
    page.goto(pay_url)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert_arabic(page.locator("main h1").inner_text(), "The payment page's title")
    bill = Bill.objects.get(account=account, status=Bill.Status.OPEN)
    main = page.locator("main")
    expect(main).to_contain_text(bill.number)
    expect(main).to_contain_text("1,520.375")
    expect(main).to_contain_text(account.number)
    expect(main).to_contain_text(bill.due_date.isoformat())
    expect(receipt_links(page)).to_have_count(0)
    shot("1-bill")
    assert_no_serious_axe_violations(page, url, artifacts, "pay-contributions-bill")

    # The printable bill.
    page.click(f"main a[href$='{reverse('payments:bill_print', args=[bill.number])}']")
    expect(page.locator("main")).to_contain_text(officer.establishment.name)
    expect(page.locator("main")).to_contain_text("1,520.375")
    shot("2-printable-bill")
    page.go_back()

    # 2. The network simulator inquires and pays it over HTTP, signed as the network signs.
    out = io.StringIO()
    call_command("network_simulator", "--url", url, "inquire", account.number, stdout=out)
    assert '"DueAmount": 1520375' in out.getvalue()
    out = io.StringIO()
    call_command(
        "network_simulator", "--url", url, "pay", bill.number, "--reference", "NET-1", stdout=out
    )
    assert '"ErrorCode": 0' in out.getvalue()

    page.reload()
    expect(main).to_contain_text("NET-1")
    expect(receipt_links(page)).to_have_count(1)
    expect(main).to_contain_text(t("Nothing is due on the contributions account now."))
    pdf = page.request.get(url + receipt_links(page).first.get_attribute("href"))
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    shot("3-paid-receipt")

    # 3. A new charge: a new bill, paid with the page's demo button.
    ledger.post(
        account=account,
        kind=LedgerEntry.Kind.CONTRIBUTION,
        key="contrib:2026-02",
        amount=Decimal("300.000"),
    )
    page.reload()
    second = Bill.objects.get(account=account, status=Bill.Status.OPEN)
    expect(main).to_contain_text(second.number)
    page.locator(
        f"main form[action$='{reverse('payments:simulate_pay', args=[second.number])}'] button"
    ).click()
    page.wait_for_url(pay_url)
    expect(page.locator(".alert-success").first).to_be_visible()
    expect(receipt_links(page)).to_have_count(2)
    shot("4-second-receipt")
    assert_no_serious_axe_violations(page, url, artifacts, "pay-contributions-paid")

    assert Payment.objects.filter(account=account).count() == 2
    assert ledger.balance(account) == 0
    assert all(p.receipt_id for p in Payment.objects.all())
