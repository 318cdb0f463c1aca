"""axe-core on key pages (Arabic, RTL): sign-in, registration, activation, password reset, the
catalogue, the household pages anyone can open, and an establishment's account statement.

No violation of impact "serious" or "critical" is allowed. The full axe result of each page is kept
in test-artifacts/axe-<name>.json.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.models import IdType

from ..factories import PASSWORD, UserFactory
from .conftest import assert_no_serious_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in_page(page, url):
    page.goto(f"{url}/accounts/sign-in/")
    expect(page.locator("form.portal-form input[name=username]")).to_be_visible()


def _choose_page(page, url):
    page.goto(f"{url}/individuals/register/")
    expect(page.locator("a[href$='/individuals/register/jordanian/']")).to_be_visible()


def _jordanian_form(page, url):
    page.goto(f"{url}/individuals/register/jordanian/")
    expect(page.locator("form.portal-form input[name=national_number]")).to_be_visible()


def _non_jordanian_form(page, url):
    page.goto(f"{url}/individuals/register/non-jordanian/")
    expect(page.locator("form.portal-form input[name=personal_number]")).to_be_visible()


def _jordanian_form_with_errors(page, url):
    _jordanian_form(page, url)
    page.locator("form.portal-form [type=submit]").click()  # empty: every field in error
    page.wait_for_load_state()
    expect(page.locator("main [role=alert]#error-summary")).to_be_visible()
    assert page.locator("main [role=alert]#error-summary li").count() >= 10


def _activation_page(page, url):
    user = UserFactory(id_type=IdType.NATIONAL, activated_at=None)
    page.goto(f"{url}/accounts/sign-in/")
    form = page.locator("form.portal-form")
    form.locator("input[name=id_type][value=national]").check()
    form.locator("input[name=username]").fill(user.id_number)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/activate/$"))
    expect(page.locator("form.portal-form input[name=code]")).to_be_visible()


def _password_reset_page(page, url):
    page.goto(f"{url}/accounts/password-reset/")
    expect(page.locator("form.portal-form input[name=username]")).to_be_visible()


def _catalogue_establishments(page, url):
    page.goto(f"{url}/services/establishments/")
    expect(page.locator("main h1")).to_be_visible()


def _household_home(page, url):
    page.goto(f"{url}/household/")
    expect(page.locator("main h1")).to_be_visible()


def _household_register(page, url):
    page.goto(f"{url}/household/register/")
    expect(
        page.locator("main form input[type=text], main form input:not([type])").first
    ).to_be_visible()


def _household_new_password(page, url):
    page.goto(f"{url}/household/sign-in/new-password/")
    expect(page.locator("main form input[name=mobile]")).to_be_visible()


def _household_entitlement(page, url):
    page.goto(f"{url}/household/entitlement/")
    expect(page.locator("main h1")).to_be_visible()


def _establishment_statement(page, url):
    import datetime as dt
    from decimal import Decimal

    from payments.ledger import account_for_establishment, post

    from ..factories import LiaisonOfficerFactory

    officer = LiaisonOfficerFactory()
    account = account_for_establishment(officer.establishment)
    today = dt.date.today()
    post(
        account=account,
        kind="contribution",
        key="contrib:a",
        amount=Decimal("480.250"),
        memo="Contributions",
        posted_on=today - dt.timedelta(days=40),
    )
    post(
        account=account,
        kind="payment",
        key="payment:a",
        amount=Decimal("-480.250"),
        memo="Payment",
        posted_on=today - dt.timedelta(days=20),
    )
    page.goto(f"{url}/accounts/sign-in/")
    form = page.locator("form.portal-form")
    form.locator("input[name=id_type][value=establishment]").check()
    form.locator("input[name=username]").fill(officer.establishment.insurance_number)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{url}/payments/statement/establishment/")
    expect(page.locator("main table").first).to_be_visible()


PAGES = {
    "sign-in": _sign_in_page,
    "register-choose": _choose_page,
    "register-jordanian": _jordanian_form,
    "register-non-jordanian": _non_jordanian_form,
    "register-jordanian-errors": _jordanian_form_with_errors,
    "activate": _activation_page,
    "password-reset": _password_reset_page,
    "catalogue-establishments": _catalogue_establishments,
    "household-home": _household_home,
    "household-register": _household_register,
    "household-new-password": _household_new_password,
    "household-entitlement": _household_entitlement,
    "establishment-statement": _establishment_statement,
}


@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_or_critical_axe_violations(page, live_server, artifacts, name):
    PAGES[name](page, live_server.url)
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    assert_no_serious_axe_violations(page, live_server.url, artifacts, name)


def test_error_summary_links_lead_to_their_fields(page, live_server):
    """Each link in the error summary moves focus to the field in error (WCAG 2.4.3/3.3.1)."""
    _jordanian_form_with_errors(page, live_server.url)
    links = page.locator("main #error-summary li a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert len(hrefs) >= 10
    broken = [
        (href, links.nth(i).inner_text())
        for i, href in enumerate(hrefs)
        if not href
        or not href.startswith("#")
        or len(href) < 2
        or page.locator(f"[id='{href[1:]}']").count() != 1
    ]
    assert not broken, f"error-summary links that lead to no field: {broken}"
    # Following a link puts the focus on that field.
    page.locator("main #error-summary a[href='#id_national_number']").click()
    expect(page.locator("#id_national_number")).to_be_focused()


def test_captcha_picture_has_an_arabic_text_alternative(page, live_server):
    """templates/captcha/widgets/captcha.html gives the picture an Arabic alt and a size."""
    _jordanian_form(page, live_server.url)
    picture = page.locator("form.portal-form img.captcha")
    expect(picture).to_have_count(1)
    alt = picture.get_attribute("alt") or ""
    assert re.search(r"[\u0600-\u06FF]", alt), (
        f"the captcha picture's alt text should be Arabic and say what to do, but is {alt!r}"
    )
