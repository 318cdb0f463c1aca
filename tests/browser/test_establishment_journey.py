"""A liaison officer sends a monthly wage file in Arabic, end to end in Chromium.

They sign in with the establishment insurance number, upload a CSV of three employees for last
month, follow the check, confirm and save; the same file is then refused, and a file with a row
whose national number is not in the civil registry shows that row's error, no confirm button, and
a downloadable file with an error column. axe-core checks the registration wizard's first pages,
the upload page and the summary of a file with errors.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from establishments import submissions as svc
from establishments.models import Submission
from individuals.models import WageRecord

from ..factories import (
    PASSWORD,
    CivilRecordFactory,
    IndividualFactory,
    InsurancePeriodFactory,
    LiaisonOfficerFactory,
)
from .conftest import ARABIC, assert_arabic, assert_no_serious_axe_violations, main_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KIND = Submission.Kind.MONTHLY_WAGES
NUMBERS = ("9906000001", "9906000002", "9906000003")
WAGES = ("450", "1200.500", "3349")
UNKNOWN = "9999999999"  # not in the civil registry
START = dt.date(2024, 3, 1)


def t(message: str, **kw) -> str:
    with translation.override("ar"):
        text = gettext(message)
    return text % kw if kw else text


def last_month() -> dt.date:
    return (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)


# --- data ------------------------------------------------------------------------------------


@pytest.fixture
def officer():
    return LiaisonOfficerFactory()


@pytest.fixture
def employees(officer):
    """Three people in the civil registry, covered by the officer's establishment since START."""
    people = []
    for number in NUMBERS:
        CivilRecordFactory(number=number)
        ind = IndividualFactory(user=None, national_number=number)
        InsurancePeriodFactory(
            individual=ind, establishment=officer.establishment, start_date=START
        )
        people.append(ind)
    return people


def csv_bytes(rows) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    with translation.override("ar"):
        w.writerow(svc.column_labels(KIND))
    w.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "wages.csv"
    path.write_bytes(csv_bytes(zip(NUMBERS, WAGES, strict=True)))
    return path


@pytest.fixture
def bad_file(tmp_path):
    path = tmp_path / "wages-with-error.csv"
    path.write_bytes(csv_bytes([[NUMBERS[0], "500"], [UNKNOWN, "500"], [NUMBERS[1], "600"]]))
    return path


# --- steps ---------------------------------------------------------------------------------


def sign_in(p, url: str, insurance_number: str) -> None:
    p.goto(f"{url}/accounts/sign-in/")
    form = p.locator("form.portal-form")
    form.locator("input[name=id_type][value=establishment]").check()
    form.locator("input[name=username]").fill(insurance_number)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("[type=submit]").click()
    p.wait_for_url(re.compile(r"/establishments/$"))


def open_wages_page(p, url: str) -> None:
    p.goto(url + reverse("establishments:wages_monthly"))
    expect(p.locator("form[enctype='multipart/form-data'] input[name=file-file]")).to_be_attached()


def send_file(p, path, month: dt.date) -> None:
    form = p.locator("main form[enctype='multipart/form-data']")
    form.locator("select[name=file-year]").select_option(str(month.year))
    form.locator("select[name=file-month]").select_option(str(month.month))
    form.locator("input[name=file-file]").set_input_files(str(path))
    form.locator("button[type=submit]").click()
    p.wait_for_load_state()


def wait_until_checked(p, timeout: float = 10.0) -> int:
    """On the submission's page: reload while the progress element shows; return its number."""
    p.wait_for_url(re.compile(r"/establishments/submissions/\d+/$"))
    deadline = time.monotonic() + timeout
    while p.locator("main progress").count():
        assert time.monotonic() < deadline, "the file was still being checked after 10 s"
        time.sleep(0.5)
        p.reload()
    expect(p.locator("main h2").first).to_be_visible()
    return int(re.search(r"/submissions/(\d+)/$", p.url).group(1))


def confirm_button(p):
    return p.locator("main form[action$='/confirm/'] button[type=submit]")


# --- 1: the journey ------------------------------------------------------------------------


def test_officer_sends_monthly_wages_confirms_and_sees_errors(
    page, live_server, officer, employees, good_file, bad_file, shot
):
    url = live_server.url
    month = last_month()
    est = officer.establishment

    sign_in(page, url, est.insurance_number)
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    shot("1-establishment-home")

    open_wages_page(page, url)
    assert_arabic(page.locator("main h1").inner_text(), "The monthly wages page's title")
    shot("2-wages-page")

    # The good file: checked at once (eager Celery), every row valid.
    send_file(page, good_file, month)
    pk = wait_until_checked(page)
    sub = Submission.objects.get(pk=pk)
    assert sub.establishment_id == est.pk and sub.period == month
    assert sub.status == Submission.Status.VALIDATED, sub.summary
    assert sub.rows_total == 3 and sub.rows_with_errors == 0
    expect(page.locator("main")).to_contain_text(good_file.name)
    expect(confirm_button(page)).to_have_count(1)
    expect(confirm_button(page)).to_have_text(t("Confirm and save"))
    shot("3-checked-summary")

    confirm_button(page).click()
    page.wait_for_url(re.compile(rf"/submissions/{pk}/$"))
    saved = page.locator(".alert-success", has_text=t("The file was saved: %(n)s rows.", n=3))
    expect(saved).to_have_count(1)
    expect(confirm_button(page)).to_have_count(0)
    shot("4-confirmed")
    sub.refresh_from_db()
    assert sub.status == Submission.Status.CONFIRMED and sub.confirmed_at
    wages = dict(
        WageRecord.objects.filter(month=month, establishment=est).values_list(
            "individual__national_number", "wage"
        )
    )
    assert wages == {n: Decimal(w) for n, w in zip(NUMBERS, WAGES, strict=True)}
    assert WageRecord.objects.filter(submission=sub).count() == 3

    # The same file again: refused, in Arabic, with the first submission's number.
    open_wages_page(page, url)
    send_file(page, good_file, month)
    expect(page).to_have_url(re.compile(re.escape(reverse("establishments:wages_monthly")) + "$"))
    summary = page.locator("main #error-summary, main .invalid-feedback, main [role=alert]")
    expect(summary.first).to_be_visible()
    refused = t(
        "This file was already sent on %(date)s (submission number %(number)s). The same file"
        " is not accepted twice.",
        date=timezone.localtime(sub.created_at).strftime("%Y-%m-%d"),
        number=pk,
    )
    assert_arabic(refused, "The catalogue's refusal of a file sent twice")
    assert refused in main_text(page), main_text(page)
    assert Submission.objects.filter(establishment=est).count() == 1
    shot("5-same-file-refused")

    # A file with one row whose national number is not in the registry.
    send_file(page, bad_file, month)
    bad_pk = wait_until_checked(page)
    bad = Submission.objects.get(pk=bad_pk)
    assert bad.status == Submission.Status.INVALID, bad.summary
    assert (bad.rows_total, bad.rows_with_errors) == (3, 1)
    expect(confirm_button(page)).to_have_count(0)
    row = page.locator("main table tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(0)).to_have_text("3")  # the header is line 1
    expect(row.locator("td").nth(1)).to_have_text(UNKNOWN)
    expect(row.locator("td").nth(2)).to_contain_text(
        t("This national number is not in the civil registry.")
    )
    assert_arabic(row.locator("td").nth(2).inner_text(), "The row's error")
    shot("6-file-with-errors")

    # The checked file with its error column, fetched with the officer's cookies.
    link = page.locator(f"main a[href$='/submissions/{bad_pk}/errors/']")
    expect(link).to_have_count(1)
    resp = page.request.get(url + link.get_attribute("href"))
    assert resp.status == 200, resp.status
    assert resp.headers.get("content-type", "").startswith("text/csv"), resp.headers
    table = list(csv.reader(io.StringIO(resp.body().decode("utf-8-sig"))))
    assert len(table) == 4, table
    width = len(svc.COLUMNS[KIND])
    assert len(table[0]) == width + 1 and table[0][-1] == t("Errors"), table[0]
    assert table[1][-1] == "" and table[3][-1] == ""
    assert table[2][0] == UNKNOWN
    assert t("This national number is not in the civil registry.") in table[2][-1]
    # Nothing of the bad file was saved.
    assert not WageRecord.objects.filter(submission=bad).exists()


# --- 2: axe -------------------------------------------------------------------------------


def _register_start(p, url):
    p.goto(f"{url}/establishments/register/")
    expect(p.locator("main form button[type=submit]")).to_be_visible()


def _register_first_step(p, url):
    _register_start(p, url)
    p.locator("main form button[type=submit]").click()
    p.wait_for_url(re.compile(r"/establishments/register/[^/]+/establishment/$"))
    expect(p.locator("main form")).to_be_visible()


AXE_PUBLIC = {"register-start": _register_start, "register-establishment": _register_first_step}


@pytest.mark.parametrize("name", list(AXE_PUBLIC))
def test_registration_pages_have_no_serious_axe_violations(page, live_server, artifacts, name):
    AXE_PUBLIC[name](page, live_server.url)
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    assert ARABIC.search(main_text(page))
    assert_no_serious_axe_violations(page, live_server.url, artifacts, f"establishment-{name}")


def _wages_page(p, url, bad_file):
    open_wages_page(p, url)


def _summary_with_errors(p, url, bad_file):
    open_wages_page(p, url)
    send_file(p, bad_file, last_month())
    wait_until_checked(p)
    expect(p.locator("main table tbody tr")).to_have_count(1)
    expect(confirm_button(p)).to_have_count(0)


AXE_OFFICER = {"wages-monthly": _wages_page, "summary-with-errors": _summary_with_errors}


@pytest.mark.parametrize("name", list(AXE_OFFICER))
def test_wage_file_pages_have_no_serious_axe_violations(
    page, live_server, artifacts, officer, employees, bad_file, name
):
    sign_in(page, live_server.url, officer.establishment.insurance_number)
    AXE_OFFICER[name](page, live_server.url, bad_file)
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    assert ARABIC.search(main_text(page))
    assert_no_serious_axe_violations(page, live_server.url, artifacts, f"establishment-{name}")
