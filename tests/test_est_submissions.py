"""Coverage movements and wage files: one row by the form, many by a CSV or XLSX file checked row by
row (in a task, with progress), confirmed into one transaction; the same file is refused twice.

Expected messages go through gettext under Arabic, so the tests hold before and after the
catalogue gets the new msgids."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.exceptions import ServiceError
from accounts.models import CivilRecord
from establishments import submissions as svc
from establishments.models import Movement, Submission, SubmissionRow
from individuals.models import Individual, InsurancePeriod, WageRecord

from .factories import (
    CivilRecordFactory,
    EstablishmentFactory,
    IndividualFactory,
    InsurancePeriodFactory,
    LiaisonOfficerFactory,
    WageRecordFactory,
)

pytestmark = pytest.mark.django_db


def t(message: str, **kw) -> str:
    with translation.override("ar"):
        text = gettext(message)
    return text % kw if kw else text


TODAY = timezone.localdate()
LAST_MONTH = (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
START = dt.date(2024, 3, 1)


@pytest.fixture
def officer():
    return LiaisonOfficerFactory()


@pytest.fixture
def est(officer):
    return officer.establishment


@pytest.fixture
def client_est(client, officer):
    client.force_login(officer.user)
    return client


def employee(est, number: str, start=START) -> Individual:
    """A person in the civil registry, on record, covered by ``est`` since ``start``."""
    CivilRecordFactory(number=number)
    ind = IndividualFactory(user=None, national_number=number)
    InsurancePeriodFactory(individual=ind, establishment=est, start_date=start)
    return ind


def csv_upload(rows, name="file.csv", header=True, kind=Submission.Kind.START_MOVEMENTS):
    buf = io.StringIO()
    w = csv.writer(buf)
    if header:
        with translation.override("ar"):
            w.writerow(svc.column_labels(kind))
    w.writerows(rows)
    return SimpleUploadedFile(name, buf.getvalue().encode("utf-8-sig"), content_type="text/csv")


def xlsx_upload(rows, name="file.xlsx"):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["الرقم الوطني", "التاريخ", "السبب"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


def send_file(client, url, upload, django_capture_on_commit_callbacks, **period):
    data = {"file-file": upload, **{f"file-{k}": v for k, v in period.items()}}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    return response


# --- One movement by the form ----------------------------------------------------------------


def test_start_by_form_creates_the_individual_and_the_period(client_est, est):
    CivilRecordFactory(number="9901000001", name_ar="ليلى سمير")
    day = TODAY - dt.timedelta(days=3)
    response = client_est.post(
        reverse("establishments:movements_start"),
        {"one-national_number": "٩٩٠١٠٠٠٠٠١", "one-date": day.isoformat(), "one-wage": "450"},
    )
    assert response.status_code == 302
    ind = Individual.objects.get(national_number="9901000001")
    assert ind.user is None and ind.name_ar == "ليلى سمير"
    period = InsurancePeriod.objects.get(individual=ind)
    assert (period.establishment, period.start_date, period.end_date) == (est, day, None)
    assert period.monthly_wage == Decimal("450")
    mv = Movement.objects.get(individual=ind)
    assert mv.kind == "start" and mv.submission is None


def test_overlapping_start_is_refused(client_est, est):
    other = EstablishmentFactory()
    employee(other, "9901000002")
    response = client_est.post(
        reverse("establishments:movements_start"),
        {"one-national_number": "9901000002", "one-date": TODAY.isoformat(), "one-wage": "450"},
    )
    assert response.status_code == 200
    assert (
        t("This person already has a coverage period that is open or overlaps this date.")
        in response.content.decode()
    )
    assert InsurancePeriod.objects.filter(establishment=est).count() == 0


def test_stop_by_form_closes_the_period_and_a_stranger_is_refused(client_est, est):
    ind = employee(est, "9901000003")
    url = reverse("establishments:movements_stop")
    day = TODAY - dt.timedelta(days=1)
    response = client_est.post(
        url,
        {"one-national_number": "9901000003", "one-date": day.isoformat(), "one-reason": "death"},
    )
    assert response.status_code == 302
    assert InsurancePeriod.objects.get(individual=ind).end_date == day
    assert Movement.objects.get(individual=ind, kind="stop").stop_reason == "death"
    employee(EstablishmentFactory(), "9901000004")
    response = client_est.post(
        url,
        {"one-national_number": "9901000004", "one-date": day.isoformat(), "one-reason": "other"},
    )
    assert t("This person is not covered by this establishment on that date.") in (
        response.content.decode()
    )


# --- Files -----------------------------------------------------------------------------------


def test_csv_start_file_every_bad_row_has_its_error_and_nothing_is_saved(
    client_est, est, django_capture_on_commit_callbacks
):
    for n in ("9902000001", "9902000002", "9902000003", "9902000004", "9902000005"):
        CivilRecordFactory(number=n)
    employee(EstablishmentFactory(), "9902000006")
    future = (TODAY + dt.timedelta(days=5)).isoformat()
    rows = [
        ["٩٩٠٢٠٠٠٠٠١", "2025-02-01", "400"],  # 2: valid (Arabic-Indic digits)
        ["99020", "2025-02-01", "400"],  # 3: format
        ["9999999999", "2025-02-01", "400"],  # 4: not in the registry
        ["9902000002", future, "400"],  # 5: future date
        ["9902000003", "2025-02-01", "100"],  # 6: below the minimum (290 in 2025)
        ["9902000004", "2025-02-01", "9000"],  # 7: above the cap
        ["9902000006", "2025-02-01", "400"],  # 8: overlapping coverage elsewhere
        ["9902000001", "2025-03-01", "400"],  # 9: duplicate of line 2
        ["9902000005", "1/2/2025", "350.500"],  # 10: valid (d/m/Y)
        ["9902000005x", "bad", "abc"],  # 11: format, date and wage
    ]
    response = send_file(
        client_est,
        reverse("establishments:movements_start"),
        csv_upload(rows),
        django_capture_on_commit_callbacks,
    )
    sub = Submission.objects.get()
    assert response.url == reverse("establishments:submissions_detail", args=[sub.pk])
    sub.refresh_from_db()
    assert sub.status == "invalid"
    assert (sub.rows_total, sub.rows_with_errors, sub.summary["valid"]) == (10, 8, 2)
    by_line = {e["line"]: e["errors"] for e in sub.summary["shown"]}
    assert set(by_line) == {3, 4, 5, 6, 7, 8, 9, 11}
    assert t("The national number must be exactly 10 digits.") in by_line[3]
    assert t("This national number is not in the civil registry.") in by_line[4]
    assert t("The date cannot be in the future.") in by_line[5]
    assert t("The wage is below the minimum wage (%(amount)s JD).", amount=290) in by_line[6]
    assert (
        t("The wage is above the maximum insurable wage (%(amount)s JD).", amount=3349)
        in (by_line[7])
    )
    assert (
        t("This person already has a coverage period that is open or overlaps this date.")
        in (by_line[8])
    )
    assert (
        t("This national number is repeated in the file (line %(line)s).", line=2) in (by_line[9])
    )
    assert t("The date is not valid: write it as YYYY-MM-DD.") in by_line[11]
    assert t("The wage must be a positive amount in dinars.") in by_line[11]
    page = client_est.get(response.url).content.decode()
    assert t("The wage is below the minimum wage (%(amount)s JD).", amount=290) in page
    assert "<progress" not in page
    # Nothing saved; a file with errors cannot be confirmed.
    assert not Movement.objects.exists()
    assert not Individual.objects.filter(national_number="9902000001").exists()
    client_est.post(reverse("establishments:submissions_confirm", args=[sub.pk]))
    assert not Movement.objects.exists()
    sub.refresh_from_db()
    assert sub.status == "invalid"
    # The checked file with its error column.
    download = client_est.get(reverse("establishments:submissions_errors", args=[sub.pk]))
    assert download.status_code == 200
    content = b"".join(download.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(content)))
    assert table[0][-1] == t("Errors") and len(table) == 11
    assert table[1][-1] == "" and t("The date cannot be in the future.") in table[4][-1]


def test_xlsx_stop_file_confirmed_in_one_go_and_the_same_file_is_refused(
    client_est, est, django_capture_on_commit_callbacks
):
    a = employee(est, "9903000001")
    b = employee(est, "9903000002")
    day = TODAY - dt.timedelta(days=2)
    upload = xlsx_upload(
        [
            ["9903000001", dt.datetime.combine(day, dt.time()), "resignation"],
            [9903000002, day.isoformat(), "وفاة"],
        ]
    )
    url = reverse("establishments:movements_stop")
    send_file(client_est, url, upload, django_capture_on_commit_callbacks)
    sub = Submission.objects.get()
    assert sub.status == "validated" and sub.rows_total == 2, sub.summary
    assert InsurancePeriod.objects.filter(end_date__isnull=True).count() == 2  # not yet
    page = client_est.get(reverse("establishments:submissions_detail", args=[sub.pk]))
    assert reverse("establishments:submissions_confirm", args=[sub.pk]) in page.content.decode()
    response = client_est.post(reverse("establishments:submissions_confirm", args=[sub.pk]))
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.status == "confirmed" and sub.confirmed_at
    assert {p.end_date for p in InsurancePeriod.objects.filter(individual__in=[a, b])} == {day}
    assert set(Movement.objects.values_list("stop_reason", "submission")) == {
        ("resignation", sub.pk),
        ("death", sub.pk),
    }
    # Again: refused, with the date and the number of the first submission.
    upload.seek(0)
    response = send_file(client_est, url, upload, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert str(sub.pk) in response.content.decode()
    assert Submission.objects.count() == 1


def test_a_file_that_is_not_csv_or_xlsx_is_refused(client_est, django_capture_on_commit_callbacks):
    url = reverse("establishments:movements_start")
    for content in (b"%PDF-1.4\n%%EOF\n", b"\x00\x01\x02binary", b"PK\x03\x04not a zip"):
        response = send_file(
            client_est,
            url,
            SimpleUploadedFile("employees.csv", content),
            django_capture_on_commit_callbacks,
        )
        assert t("The file is not a CSV or XLSX file (its content was checked).") in (
            response.content.decode()
        )
    assert not Submission.objects.exists()


def test_monthly_wage_file_creates_wage_records_for_the_month(
    client_est, est, django_capture_on_commit_callbacks
):
    a = employee(est, "9904000001")
    b = employee(est, "9904000002")
    WageRecord.objects.create(
        individual=b, establishment=est, month=LAST_MONTH, wage=300, coverage="mandatory"
    )
    CivilRecordFactory(number="9904000003")  # in the registry, not an employee
    rows = [["9904000001", "500"], ["9904000002", "650.250"]]
    send_file(
        client_est,
        reverse("establishments:wages_monthly"),
        csv_upload(rows, kind=Submission.Kind.MONTHLY_WAGES),
        django_capture_on_commit_callbacks,
        year=LAST_MONTH.year,
        month=LAST_MONTH.month,
    )
    sub = Submission.objects.get()
    assert sub.status == "validated" and sub.period == LAST_MONTH, sub.summary
    svc.submission_confirm(submission=sub, user=sub.created_by)
    wages = dict(
        WageRecord.objects.filter(month=LAST_MONTH, submission=sub).values_list(
            "individual", "wage"
        )
    )
    assert wages == {a.pk: Decimal("500"), b.pk: Decimal("650.250")}
    # One wage by the form: January wages, for someone who is not an employee.
    response = client_est.post(
        reverse("establishments:wages_january"),
        {"one-year": TODAY.year, "one-national_number": "9904000003", "one-wage": "500"},
    )
    assert t("This person is not covered by this establishment in that month.") in (
        response.content.decode()
    )
    response = client_est.post(
        reverse("establishments:wages_january"),
        {"one-year": TODAY.year, "one-national_number": "9904000001", "one-wage": "500"},
    )
    assert response.status_code == 302
    assert WageRecord.objects.get(individual=a, month=dt.date(TODAY.year, 1, 1)).wage == 500


def test_previous_years_wages_and_stops(client_est, est):
    ind = employee(est, "9905000001", start=dt.date(2020, 1, 1))
    url = reverse("establishments:wages_prev_years")
    year = TODAY.year - 1
    base = {"one-year": year, "one-month": 6, "one-national_number": "9905000001"}
    response = client_est.post(
        url, {**base, "one-wage": "400", "one-date": f"{year - 1}-06-30", "one-reason": "other"}
    )
    assert t("The date must be within the chosen year (%(year)s).", year=year) in (
        response.content.decode()
    )
    response = client_est.post(
        url, {**base, "one-wage": "400", "one-date": f"{year}-06-30", "one-reason": "other"}
    )
    assert response.status_code == 302
    assert WageRecord.objects.get(individual=ind).month == dt.date(year, 6, 1)
    assert InsurancePeriod.objects.get(individual=ind).end_date == dt.date(year, 6, 30)


def test_previous_years_start_movements_stay_in_the_year(client_est, est):
    CivilRecordFactory(number="9905000002")
    year = TODAY.year - 2
    response = client_est.post(
        reverse("establishments:movements_prev_years"),
        {
            "one-year": year,
            "one-national_number": "9905000002",
            "one-date": f"{year + 1}-01-05",
            "one-wage": "400",
        },
    )
    assert t("The date must be within the chosen year (%(year)s).", year=year) in (
        response.content.decode()
    )


def test_progress_page_refreshes_itself_while_checking(client_est, est, officer):
    sub = Submission.objects.create(
        establishment=est, kind="monthly", created_by=officer.user, rows_total=1000, rows_done=500
    )
    response = client_est.get(reverse("establishments:submissions_detail", args=[sub.pk]))
    html = response.content.decode()
    assert '<progress max="1000" value="500"' in html
    assert '<meta http-equiv="refresh" content="2">' in html
    assert response["Refresh"] == "2"
    sub.status = "invalid"
    sub.save()
    response = client_est.get(reverse("establishments:submissions_detail", args=[sub.pk]))
    assert "<progress" not in response.content.decode() and not response.has_header("Refresh")


def test_another_establishments_submission_is_not_found(client, officer):
    sub = Submission.objects.create(
        establishment=officer.establishment, kind="start", created_by=officer.user
    )
    stranger = LiaisonOfficerFactory()
    client.force_login(stranger.user)
    for name in ("submissions_detail", "submissions_errors"):
        assert client.get(reverse(f"establishments:{name}", args=[sub.pk])).status_code == 404
    response = client.post(reverse("establishments:submissions_confirm", args=[sub.pk]))
    assert response.status_code == 404


def test_templates_download_with_arabic_headers(client_est):
    response = client_est.get(reverse("establishments:submissions_template", args=["start"]))
    assert response.content.decode("utf-8-sig").startswith(t("National number"))
    response = client_est.get(
        reverse("establishments:submissions_template", args=["monthly"]) + "?format=xlsx"
    )
    assert response.content.startswith(b"PK")


def _list_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_list_pages_have_a_fixed_number_of_queries(client_est, est, officer):
    def add(n):
        for _ in range(n):
            ind = IndividualFactory(user=None, national_number="")
            sub = Submission.objects.create(
                establishment=est, kind="start", created_by=officer.user
            )
            Movement.objects.create(
                establishment=est,
                individual=ind,
                kind="start",
                date=START,
                wage=400,
                submission=sub,
                created_by=officer.user,
            )

    urls = [
        reverse("establishments:movements_list"),
        reverse("establishments:movements_submissions"),
        reverse("establishments:wages_submissions"),
    ]
    add(2)
    before = [_list_queries(client_est, u) for u in urls]
    add(8)
    assert [_list_queries(client_est, u) for u in urls] == before


def test_a_2000_row_file_is_checked_with_few_queries(est, officer):
    n = 2000
    CivilRecord.objects.bulk_create(
        CivilRecord(
            kind="jordanian", number=f"97{i:08d}", name_ar="موظف", birth_date=START, sex="M"
        )
        for i in range(n)
    )
    people = Individual.objects.bulk_create(
        Individual(
            is_jordanian=True,
            name_ar="موظف",
            birth_date=START,
            sex="M",
            national_number=f"97{i:08d}",
            residence_country="JO",
            education_level="",
        )
        for i in range(n)
    )
    InsurancePeriod.objects.bulk_create(
        InsurancePeriod(
            individual=p,
            establishment=est,
            coverage="mandatory",
            start_date=START,
            monthly_wage=400,
        )
        for p in people
    )
    rows = [[f"97{i:08d}", "400"] for i in range(n)] + [["9700000001", "400"]]
    sub = svc.submission_create(
        establishment=est,
        user=officer.user,
        kind="monthly",
        period=LAST_MONTH,
        upload=csv_upload(rows, kind="monthly"),
    )
    with CaptureQueriesContext(connection) as ctx:
        sub = svc.submission_validate(submission=sub)
    assert (sub.rows_total, sub.rows_with_errors) == (n + 1, 1)
    assert len(ctx) < 50, len(ctx)
    sub = svc.submission_create(  # the file corrected: without the repeated row
        establishment=est,
        user=officer.user,
        kind="monthly",
        period=LAST_MONTH,
        upload=csv_upload(rows[:-1], kind="monthly"),
    )
    with CaptureQueriesContext(connection) as ctx:
        sub = svc.submission_validate(submission=sub)
    assert (sub.status, len(ctx) < 50) == ("validated", True), len(ctx)
    with CaptureQueriesContext(connection) as ctx:
        svc.submission_confirm(submission=sub, user=officer.user)
    assert len(ctx) < 50, len(ctx)
    assert WageRecord.objects.filter(submission=sub).count() == n


# --- Saving: staging rows, history, and records that changed since the check -------------------


def checked(est, officer, rows, kind, period=None, name="file.csv") -> Submission:
    sub = svc.submission_create(
        establishment=est,
        user=officer.user,
        kind=kind,
        period=period,
        upload=csv_upload(rows, name=name, kind=kind),
    )
    return svc.submission_validate(submission=sub)


def test_start_file_creates_people_periods_movements_and_their_history(est, officer):
    CivilRecordFactory(number="9907000001", name_ar="سلمى خالد", nationality="")
    back = employee(EstablishmentFactory(), "9907000002", start=dt.date(2020, 1, 1))
    InsurancePeriod.objects.filter(individual=back).update(end_date=dt.date(2023, 12, 31))
    day = TODAY - dt.timedelta(days=10)
    sub = checked(
        est,
        officer,
        [["9907000001", day.isoformat(), "450"], ["9907000002", day.isoformat(), "600.5"]],
        Submission.Kind.START_MOVEMENTS,
    )
    assert sub.status == "validated", sub.summary
    assert SubmissionRow.objects.filter(submission=sub).count() == 2
    svc.submission_confirm(submission=sub, user=officer.user)
    new = Individual.objects.get(national_number="9907000001")
    assert (new.name_ar, new.user, new.nationality, new.residence_country) == (
        "سلمى خالد",
        None,
        "JO",
        "JO",
    )
    periods = InsurancePeriod.objects.filter(establishment=est)
    assert {(p.individual_id, p.start_date, p.end_date, p.monthly_wage) for p in periods} == {
        (new.pk, day, None, Decimal("450")),
        (back.pk, day, None, Decimal("600.5")),
    }
    assert set(Movement.objects.values_list("individual", "kind", "submission", "created_by")) == {
        (new.pk, "start", sub.pk, officer.user.pk),
        (back.pk, "start", sub.pk, officer.user.pk),
    }
    created = Individual.history.get(national_number="9907000001")
    assert (created.history_type, created.history_user) == ("+", officer.user)
    assert Individual.history.filter(id=back.pk).count() == 1  # made by the factory only
    history = InsurancePeriod.history.filter(establishment=est)
    assert {(h.id, h.history_type, h.history_user) for h in history} == {
        (p.pk, "+", officer.user) for p in periods
    }
    assert not SubmissionRow.objects.filter(submission=sub).exists()


def test_previous_years_wage_file_saves_wages_and_stops_with_history(est, officer):
    stays = employee(est, "9907000011", start=dt.date(2020, 1, 1))
    leaves = employee(est, "9907000012", start=dt.date(2020, 1, 1))
    year = TODAY.year - 1
    sub = checked(
        est,
        officer,
        [["9907000011", "400"], ["9907000012", "500", f"{year}-06-20", "استقالة"]],
        Submission.Kind.PREV_YEARS_WAGES,
        period=dt.date(year, 6, 1),
    )
    assert sub.status == "validated", sub.summary
    svc.submission_confirm(submission=sub, user=officer.user)
    assert dict(WageRecord.objects.filter(submission=sub).values_list("individual", "wage")) == {
        stays.pk: Decimal("400"),
        leaves.pk: Decimal("500"),
    }
    period = InsurancePeriod.objects.get(individual=leaves)
    assert period.end_date == dt.date(year, 6, 20)
    assert InsurancePeriod.objects.get(individual=stays).end_date is None
    changed = InsurancePeriod.history.get(id=period.pk, history_type="~")
    assert (changed.end_date, changed.history_user) == (dt.date(year, 6, 20), officer.user)
    stop = Movement.objects.get()
    assert (stop.individual, stop.kind, stop.stop_reason, stop.submission) == (
        leaves,
        "stop",
        "resignation",
        sub,
    )


def test_a_period_stopped_since_the_check_refuses_the_confirmation(est, officer):
    ind = employee(est, "9907000003")
    day = TODAY - dt.timedelta(days=1)
    sub = checked(
        est, officer, [["9907000003", day.isoformat(), "other"]], Submission.Kind.STOP_MOVEMENTS
    )
    assert sub.status == "validated", sub.summary
    InsurancePeriod.objects.filter(individual=ind).update(end_date=day - dt.timedelta(days=1))
    with pytest.raises(ServiceError) as refused:
        svc.submission_confirm(submission=sub, user=officer.user)
    assert refused.value.message == t(
        "Some coverage periods changed since the file was checked. Send the file again."
    )
    sub.refresh_from_db()
    assert sub.status == "validated" and not Movement.objects.exists()
    assert not InsurancePeriod.history.filter(history_type="~").exists()


def test_a_wage_recorded_elsewhere_since_the_check_refuses_the_confirmation(est, officer):
    ind = employee(est, "9907000004")
    sub = checked(
        est, officer, [["9907000004", "500"]], Submission.Kind.MONTHLY_WAGES, period=LAST_MONTH
    )
    assert sub.status == "validated", sub.summary
    WageRecordFactory(individual=ind, month=LAST_MONTH, wage=300)  # another establishment
    with pytest.raises(ServiceError):
        svc.submission_confirm(submission=sub, user=officer.user)
    assert WageRecord.objects.get(individual=ind).wage == 300


def test_a_person_recorded_since_the_check_refuses_the_confirmation(est, officer):
    CivilRecordFactory(number="9907000005")
    day = TODAY - dt.timedelta(days=3)
    sub = checked(
        est, officer, [["9907000005", day.isoformat(), "500"]], Submission.Kind.START_MOVEMENTS
    )
    assert sub.status == "validated", sub.summary
    IndividualFactory(user=None, national_number="9907000005")  # registered meanwhile
    with pytest.raises(ServiceError):
        svc.submission_confirm(submission=sub, user=officer.user)
    assert not InsurancePeriod.objects.exists() and not Movement.objects.exists()


def test_staging_rows_go_when_saved_or_when_the_file_has_errors(est, officer):
    employee(est, "9907000006")
    monthly = Submission.Kind.MONTHLY_WAGES
    bad = checked(est, officer, [["9907000006", "500"], ["123", "500"]], monthly, period=LAST_MONTH)
    assert bad.status == "invalid" and bad.errors_file and bad.summary["errors"] == 1
    assert not SubmissionRow.objects.filter(submission=bad).exists()  # the errors file says it
    good = checked(est, officer, [["9907000006", "500"]], monthly, period=LAST_MONTH)
    assert not good.errors_file  # nothing to correct
    assert SubmissionRow.objects.filter(submission=good).count() == 1
    svc.submission_confirm(submission=good, user=officer.user)
    assert not SubmissionRow.objects.exists()


def test_a_checked_file_whose_rows_are_gone_is_sent_again(est, officer):
    employee(est, "9907000007")
    rows = [["9907000007", "500"]]
    monthly = Submission.Kind.MONTHLY_WAGES
    sub = checked(est, officer, rows, monthly, period=LAST_MONTH)
    SubmissionRow.objects.filter(submission=sub).delete()  # as a crash empties the unlogged table
    with pytest.raises(ServiceError):
        svc.submission_confirm(submission=sub, user=officer.user)
    sub.refresh_from_db()
    assert sub.status == "failed" and sub.summary["failure"]
    assert not WageRecord.objects.exists()
    again = checked(est, officer, rows, monthly, period=LAST_MONTH)  # the same file is accepted
    assert again.status == "validated"


def test_progress_advances_chunk_by_chunk(est, officer, monkeypatch):
    for i in range(5):
        employee(est, f"990800000{i}")
    monkeypatch.setattr(svc, "CHUNK", 2)
    sub = svc.submission_create(
        establishment=est,
        user=officer.user,
        kind="monthly",
        period=LAST_MONTH,
        upload=csv_upload([[f"990800000{i}", "500"] for i in range(5)], kind="monthly"),
    )
    seen = []
    sub = svc.submission_validate(
        submission=sub,
        progress=lambda n: seen.append((n, Submission.objects.get(pk=sub.pk).rows_done)),
    )
    assert seen == [(2, 2), (4, 4), (5, 5)]
    assert (sub.status, sub.rows_done, sub.rows_total) == ("validated", 5, 5)


def test_a_duplicate_shows_its_first_line_before_the_rows_own_errors(est, officer):
    employee(est, "9907000008")
    sub = checked(
        est,
        officer,
        [["9907000008", "500"], ["٩٩٠٧٠٠٠٠٠٨", "abc"]],
        Submission.Kind.MONTHLY_WAGES,
        period=LAST_MONTH,
    )
    (only,) = sub.summary["shown"]
    assert only["line"] == 3 and only["nn"] == "9907000008"
    assert only["errors"] == "؛ ".join(
        [
            t("This national number is repeated in the file (line %(line)s).", line=2),
            t("The wage must be a positive amount in dinars."),
        ]
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("400", Decimal("400")),
        ("350.500", Decimal("350.5")),
        ("1,200.250", Decimal("1200.25")),
        ("١٢٠٠٫٥", Decimal("1200.5")),
        ("1e3", Decimal("1000")),
        ("12.3456", None),
        ("abc", None),
        ("NaN", None),
    ],
)
def test_wage_cells_are_read_as_people_write_them(text, value):
    assert svc._parse_wage(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2025-02-01", dt.date(2025, 2, 1)),
        ("1/2/2025", dt.date(2025, 2, 1)),
        ("2025/2/1", dt.date(2025, 2, 1)),
        ("01-02-2025", dt.date(2025, 2, 1)),
        ("٢٠٢٥-٠٢-٠١", dt.date(2025, 2, 1)),
        ("2025-02-01T08:30:00", dt.date(2025, 2, 1)),
        ("2025-02-30", None),
        ("2025-02/01", None),
        ("25-02-01", None),
    ],
)
def test_date_cells_are_read_in_the_accepted_formats(text, value):
    assert svc._parse_date(text) == value


def test_files_never_confirmed_expire_and_can_be_sent_again(est, officer, settings):
    settings.SUBMISSION_CONFIRM_DAYS = 7
    employee(est, "9907000008")
    rows = [["9907000008", "500"]]
    monthly = Submission.Kind.MONTHLY_WAGES
    old = checked(est, officer, rows, monthly, period=LAST_MONTH)
    recent = checked(est, officer, [["9907000008", "510"]], monthly, period=LAST_MONTH)
    stuck = Submission.objects.create(
        establishment=est, kind=monthly, period=LAST_MONTH, created_by=officer.user, sha256="x"
    )
    SubmissionRow.objects.create(submission=stuck, line=2, errors="")
    long_ago = timezone.now() - dt.timedelta(days=8)
    Submission.objects.filter(pk__in=[old.pk, stuck.pk]).update(created_at=long_ago)
    assert svc.confirm_by(Submission.objects.get(pk=old.pk)) < timezone.now()

    counts = svc.expire_unconfirmed()

    assert counts == {"validated": 1, "validating": 1, "orphan_rows": 0}
    old.refresh_from_db()
    stuck.refresh_from_db()
    assert old.status == stuck.status == "failed"
    assert "7" in old.summary["failure"] and stuck.summary["failure"]
    assert not SubmissionRow.objects.filter(submission__in=[old, stuck]).exists()
    assert SubmissionRow.objects.filter(submission=recent).count() == 1  # still waiting
    with pytest.raises(ServiceError):
        svc.submission_confirm(submission=old, user=officer.user)
    again = checked(est, officer, rows, monthly, period=LAST_MONTH)  # the same file again
    assert again.status == "validated"
    assert svc.expire_unconfirmed() == {"validated": 0, "validating": 0, "orphan_rows": 0}


def test_staging_rows_of_a_file_no_longer_waiting_are_deleted(est, officer):
    employee(est, "9907000009")
    sub = checked(
        est, officer, [["9907000009", "500"]], Submission.Kind.MONTHLY_WAGES, period=LAST_MONTH
    )
    Submission.objects.filter(pk=sub.pk).update(status="failed")  # e.g. a task that failed late
    assert svc.expire_unconfirmed()["orphan_rows"] == 1
    assert not SubmissionRow.objects.exists()


def test_the_detail_page_says_until_when_a_file_can_be_confirmed(client_est, est, officer):
    employee(est, "9907000010")
    sub = checked(
        est, officer, [["9907000010", "500"]], Submission.Kind.MONTHLY_WAGES, period=LAST_MONTH
    )
    page = client_est.get(reverse("establishments:submissions_detail", args=[sub.pk]))
    when = timezone.localtime(svc.confirm_by(sub)).strftime("%Y-%m-%d %H:%M")
    assert when in page.content.decode()
