"""A Jordanian registers, activates with the SMS code, signs in and sees their page — in Arabic."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.models import IdType, User

from ..factories import PASSWORD
from .conftest import assert_arabic, main_text, newest_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "0791234567"
EMAIL = "sara@example.com"


def open_jordanian_form(page, live_server):
    page.goto(f"{live_server.url}/individuals/register/")
    page.locator("a[href$='/individuals/register/jordanian/']").click()
    page.wait_for_url(re.compile(r"/individuals/register/jordanian/$"))
    expect(page.locator("form.portal-form input[name=national_number]")).to_be_visible()


def fill_jordanian_form(page, *, citizen, relative, id_card_number=None):
    form = page.locator("form.portal-form")
    form.locator("input[name=national_number]").fill(citizen.number)
    form.locator("input[name=id_card_number]").fill(id_card_number or citizen.id_card_number)
    form.locator("input[name=relative_national_number]").fill(relative.number)
    form.locator("select[name=relative_kinship]").select_option("brother")
    form.locator("select[name=phone_0]").select_option("JO")
    form.locator("input[name=phone_1]").fill(PHONE)
    form.locator("select[name=residence_country]").select_option("JO")
    form.locator("select[name=education_level]").select_option("bachelor")
    form.locator("input[name=email]").fill(EMAIL)
    form.locator("input[name=email_confirm]").fill(EMAIL)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("input[name=password_confirm]").fill(PASSWORD)
    form.locator("input[name=activation_channel][value=sms]").check()
    form.locator("input[name=captcha_1]").fill("PASSED")  # CAPTCHA_TEST_MODE accepts it


def submit(page):
    page.locator("form.portal-form [type=submit]").click()


def test_jordanian_registers_activates_by_sms_and_signs_in(
    page, live_server, file_outbox, citizen, relative, shot
):
    # Arabic, right to left.
    open_jordanian_form(page, live_server)
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.locator("html[dir=rtl]").count() == 1

    fill_jordanian_form(page, citizen=citizen, relative=relative)
    shot("1-registration-form-filled")
    submit(page)

    # The activation page, in Arabic, saying where the code went.
    page.wait_for_url(re.compile(r"/accounts/activate/$"))
    assert_arabic(page.locator("main h1").inner_text(), "The activation page heading")
    expect(page.locator("main .alert-success[role=status]")).to_have_count(1)
    assert_arabic(
        page.locator("main .alert-success").inner_text(), "The 'registration received' message"
    )
    assert "*****67" in main_text(page), "the masked phone number the code went to is shown"
    user = User.objects.get(id_type=IdType.NATIONAL, id_number=citizen.number)
    assert user.activated_at is None
    assert user.full_name == citizen.name_ar
    shot("2-activation-page")

    # The code from the SMS outbox file.
    code = newest_code(file_outbox, channel="sms")
    page.locator("form.portal-form input[name=code]").fill(code)
    submit(page)

    # Back to sign-in, with a success message.
    page.wait_for_url(re.compile(r"/accounts/sign-in/$"))
    success = page.locator("main .alert-success[role=status]")
    expect(success).to_have_count(1)
    assert_arabic(success.inner_text(), "The 'account activated' message")
    user.refresh_from_db()
    assert user.activated_at is not None
    shot("3-sign-in-after-activation")

    # Sign in with the national number.
    form = page.locator("form.portal-form")
    form.locator("input[name=id_type][value=national]").check()
    form.locator("input[name=username]").fill(citizen.number)
    form.locator("input[name=password]").fill(PASSWORD)
    submit(page)

    # The individual's page greets them by their Arabic name from the civil registry.
    page.wait_for_url(re.compile(r"/individuals/$"))
    heading = page.locator("main h1")
    expect(heading).to_contain_text(citizen.name_ar)
    expect(page.locator("main")).to_contain_text(citizen.number)
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    shot("4-individual-home")


def test_wrong_card_number_shows_arabic_error_summary_and_keeps_values(
    page, live_server, file_outbox, citizen, relative, shot
):
    open_jordanian_form(page, live_server)
    # Well formed (3 letters, 5 digits) but not the card of this national number.
    fill_jordanian_form(page, citizen=citizen, relative=relative, id_card_number="XYZ99999")
    submit(page)

    page.wait_for_url(re.compile(r"/individuals/register/jordanian/$"))
    summary = page.locator("main [role=alert]#error-summary")
    expect(summary).to_be_visible()
    summary_items = summary.locator("li")
    expect(summary_items).to_have_count(1)
    # The error is about the card number, links to its input, and is in Arabic.
    expect(summary_items.locator("a")).to_have_attribute("href", "#id_id_card_number")
    assert_arabic(summary_items.inner_text(), "The card-number error in the summary")
    assert_arabic(summary.locator("h2").inner_text(), "The error summary heading")
    # The page title announces the error first (base.html: "Error:" before the title).
    assert_arabic(page.title().split()[0], "The first word of the page title ('Error:')")
    assert page.title().split()[0].endswith(":"), page.title()
    shot("wrong-card-number-error")

    # What the person typed is still there (passwords excepted, by design).
    form = page.locator("form.portal-form")
    expect(form.locator("input[name=national_number]")).to_have_value(citizen.number)
    expect(form.locator("input[name=id_card_number]")).to_have_value("XYZ99999")
    expect(form.locator("input[name=relative_national_number]")).to_have_value(relative.number)
    expect(form.locator("select[name=relative_kinship]")).to_have_value("brother")
    expect(form.locator("input[name=phone_1]")).to_have_value(PHONE)
    expect(form.locator("input[name=email]")).to_have_value(EMAIL)
    expect(form.locator("select[name=education_level]")).to_have_value("bachelor")
    # The invalid field is marked for assistive technology.
    expect(form.locator("input[name=id_card_number]")).to_have_attribute("aria-invalid", "true")
    # Nothing was registered, nothing was sent.
    assert not User.objects.filter(id_number=citizen.number).exists()
    assert not file_outbox.exists() or file_outbox.read_text(encoding="utf-8") == ""


@pytest.mark.parametrize(
    "path",
    [
        "/individuals/register/",
        "/individuals/register/jordanian/",
        "/individuals/register/non-jordanian/",
    ],
    ids=["choose", "jordanian", "non-jordanian"],
)
def test_registration_pages_fit_a_360px_phone(page, live_server, shot, path):
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(f"{live_server.url}{path}")
    expect(page.locator("main h1")).to_be_visible()
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth,"
        " client: document.documentElement.clientWidth})"
    )
    shot("360px")
    assert widths["scroll"] <= 360, (
        f"{path} scrolls sideways at 360 px: scrollWidth={widths['scroll']} "
        f"(clientWidth={widths['client']})"
    )
