"""The insurance record: «لوحة معلوماتي» (ind.dashboard) and «كشف البيانات التفصيلي»
(ind.detailed-statement), their selectors, and the statement as a verifiable PDF."""

from __future__ import annotations

import datetime as dt
import re
import statistics
import subprocess
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import CivilRecord, IdType
from eservices.dates import month_after
from eservices.demo import DEMO_PASSWORD, seed
from eservices.models import Document
from eservices.selectors import service
from individuals.models import Individual, InsurancePeriod, WageRecord
from individuals.selectors import (
    YearRow,
    contributions_by_year,
    insurance_summary,
    statement_rows,
)

from .factories import (
    EstablishmentFactory,
    IndividualFactory,
    InsurancePeriodFactory,
    LiaisonOfficerFactory,
    UserFactory,
    WageRecordFactory,
)

pytestmark = pytest.mark.django_db

MANDATORY = InsurancePeriod.Coverage.MANDATORY
OPTIONAL = InsurancePeriod.Coverage.OPTIONAL
PAGES = ("/individuals/dashboard/", "/individuals/statement/")
TITLE = "كشف البيانات التفصيلي"


def career(individual, months: int, *, start=dt.date(1985, 1, 1)) -> None:
    """``months`` contribution months without a break, under one open period, rising wages."""
    est = EstablishmentFactory()
    InsurancePeriodFactory(individual=individual, establishment=est, start_date=start)
    WageRecord.objects.bulk_create(
        WageRecord(
            individual=individual,
            establishment=est,
            month=month_after(start, i),
            wage=Decimal("300.000") + Decimal("7.125") * i,
            coverage=MANDATORY,
        )
        for i in range(months)
    )


@pytest.fixture
def person():
    """A hand-made history: 10 months at A (2019, a raise in July), a gap, 3 optional months,
    then B since 2021 (3 months recorded)."""
    ind = IndividualFactory(
        name_ar="سلمى عادل القاسم",
        national_number="9911012345",
        insurance_number="5550001",
        birth_date=dt.date(1991, 4, 2),
        sex="F",
    )
    a = EstablishmentFactory(name="شركة الأردن للأدوية", insurance_number="700001")
    b = EstablishmentFactory(name="مؤسسة النخيل للتجارة", insurance_number="700002")
    InsurancePeriodFactory(
        individual=ind,
        establishment=a,
        start_date=dt.date(2019, 3, 15),
        end_date=dt.date(2019, 12, 31),
        monthly_wage=Decimal("350.500"),
    )
    InsurancePeriodFactory(
        individual=ind,
        establishment=None,
        coverage=OPTIONAL,
        start_date=dt.date(2020, 6, 1),
        end_date=dt.date(2020, 8, 31),
        monthly_wage=Decimal("290.000"),
    )
    InsurancePeriodFactory(
        individual=ind,
        establishment=b,
        start_date=dt.date(2021, 1, 1),
        monthly_wage=Decimal("1000.125"),
    )
    for m in range(3, 13):
        wage = Decimal("300.000") if m < 7 else Decimal("350.500")
        WageRecordFactory(individual=ind, establishment=a, month=dt.date(2019, m, 1), wage=wage)
    for m in (6, 7, 8):
        WageRecordFactory(
            individual=ind,
            establishment=None,
            month=dt.date(2020, m, 1),
            wage=Decimal("290.000"),
            coverage=OPTIONAL,
            unemployment=False,
        )
    for m in (1, 2, 3):
        WageRecordFactory(
            individual=ind, establishment=b, month=dt.date(2021, m, 1), wage=Decimal("1000.125")
        )
    return ind


# --- Selectors -------------------------------------------------------------------------------


def test_contributions_by_year(person):
    assert contributions_by_year(person) == [
        YearRow(2019, 10, Decimal("3303.000"), Decimal("330.300")),
        YearRow(2020, 3, Decimal("870.000"), Decimal("290.000")),
        YearRow(2021, 3, Decimal("3000.375"), Decimal("1000.125")),
    ]


def test_contributions_by_year_is_one_grouped_query(person):
    with CaptureQueriesContext(connection) as q:
        contributions_by_year(person)
    assert len(q.captured_queries) == 1
    assert "GROUP BY" in q.captured_queries[0]["sql"]


def test_insurance_summary(person):
    with CaptureQueriesContext(connection) as q:
        summary = insurance_summary(person, today=dt.date(2021, 3, 20))
    assert len(q.captured_queries) == 1
    assert summary == {
        "contribution_months": 16,
        # 2019-03 (a started month counts) to 2019-12, 2020-06 to 08, 2021-01 to today's month
        "period_months": 16,
        "first_month": dt.date(2019, 3, 1),
        "last_month": dt.date(2021, 3, 1),
        "last_wage": Decimal("1000.125"),
        "current_employer": "مؤسسة النخيل للتجارة",
        "current_coverage": "mandatory",
        "total_wages": Decimal("7173.375"),
    }


def test_insurance_summary_of_an_empty_record():
    summary = insurance_summary(IndividualFactory())
    assert summary["contribution_months"] == summary["period_months"] == 0
    assert summary["first_month"] is None and summary["last_wage"] is None
    assert summary["total_wages"] == Decimal("0.000")


def test_statement_rows(person):
    with CaptureQueriesContext(connection) as q:
        rows = statement_rows(person, today=dt.date(2021, 3, 20))
    assert len(q.captured_queries) == 1
    assert [(r.establishment, r.coverage, r.months, r.total_wages) for r in rows] == [
        ("شركة الأردن للأدوية", "mandatory", 10, Decimal("3303.000")),
        (None, "optional", 3, Decimal("870.000")),
        ("مؤسسة النخيل للتجارة", "mandatory", 3, Decimal("3000.375")),
    ]
    assert rows[0].start_date == dt.date(2019, 3, 15) and rows[2].end_date is None
    assert rows[0].establishment_number == "700001"


# --- Pages -----------------------------------------------------------------------------------


def test_dashboard_shows_the_figures_and_accessible_charts(client, person):
    client.force_login(person.user)
    resp = client.get("/individuals/dashboard/")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "لوحة معلوماتي" in html and "عدد الاشتراكات" in html
    assert "<script" not in html
    assert html.count('role="img"') == 2
    for key in ("wages", "months"):
        assert f'aria-labelledby="chart-{key}-title"' in html
        assert f'<title id="chart-{key}-title">' in html
        # the chart is followed by a table with the same figures
        assert html.index(f'<title id="chart-{key}-title">') < html.index(
            f'<caption id="{key}-table-caption">'
        )
    assert html.count("<table") == 2 and 'scope="col"' in html and 'scope="row"' in html
    for figure in ("330.300", "3,303.000", "1,000.125", "16", "مؤسسة النخيل للتجارة"):
        assert figure in html, figure
    assert "2019-03" in html  # the first contribution month


def test_dashboard_years_run_right_to_left_in_arabic_and_left_to_right_in_english(client, person):
    client.force_login(person.user)
    bars = client.get("/individuals/dashboard/").context["wages_chart"].bars
    assert [b.label for b in bars] == ["2019", "2020", "2021"]
    assert bars[0].x > bars[1].x > bars[2].x  # the oldest year on the right
    client.cookies["django_language"] = "en"
    resp = client.get("/individuals/dashboard/")
    assert '<html lang="en" dir="ltr">' in resp.content.decode()
    bars = resp.context["wages_chart"].bars
    assert bars[0].x < bars[1].x < bars[2].x
    # tallest bar for the highest average wage, months chart scaled to 12 a year
    assert max(bars, key=lambda b: b.height).label == "2021"
    months = resp.context["months_chart"]
    assert months.ticks[-1].label == "12"


def test_dashboard_of_a_person_without_contributions(client):
    ind = IndividualFactory()
    client.force_login(ind.user)
    resp = client.get("/individuals/dashboard/")
    html = resp.content.decode()
    assert 'role="img"' not in html and "<table" not in html
    assert resp.context["missing_months"] == 0
    # a coverage period whose months have no wage recorded yet is pointed out
    InsurancePeriodFactory(individual=ind, start_date=dt.date(2024, 1, 1))
    assert client.get("/individuals/dashboard/").context["missing_months"] >= 12


def test_statement_shows_personal_data_periods_and_years(client, person):
    client.force_login(person.user)
    resp = client.get("/individuals/statement/")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    for text in (
        TITLE,
        "سلمى عادل القاسم",
        "الرقم الوطني",
        "9911012345",
        "رقم التأمين",
        "5550001",
        "تاريخ الميلاد",
        "1991-04-02",
        "فترات الشمول",
        "المنشأة",
        "شركة الأردن للأدوية",
        "مؤسسة النخيل للتجارة",
        "اشتراك اختياري",
        "2019-03-15",
        "2019-12-31",
        "حتى تاريخه",  # the open period
        "3,303.000",
        "870.000",
        "3,000.375",
        "7,173.375",  # total wages
        "330.300",  # 2019's average monthly wage
        'action="/individuals/statement/print/"',
    ):
        assert text in html, text
    assert resp.context["totals"]["months"] == 16


def test_statement_of_a_non_jordanian_names_the_personal_number(client):
    ind = IndividualFactory(is_jordanian=False, national_number="", personal_number="1000999888")
    client.force_login(ind.user)
    html = client.get("/individuals/statement/").content.decode()
    assert "الرقم الشخصي" in html and "1000999888" in html


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_users_are_sent_to_sign_in(client, url):
    resp = client.get(url)
    assert resp.status_code == 302 and resp.url.startswith("/accounts/sign-in/")


def test_anonymous_print_is_sent_to_sign_in(client):
    resp = client.post("/individuals/statement/print/")
    assert resp.status_code == 302 and resp.url.startswith("/accounts/sign-in/")
    assert not Document.objects.exists()


@pytest.mark.parametrize("url", [*PAGES, "/individuals/statement/print/"])
def test_a_liaison_officer_is_refused(client, url):
    client.force_login(LiaisonOfficerFactory().user)
    resp = client.post(url) if url.endswith("print/") else client.get(url)
    assert resp.status_code == 403


def test_print_only_by_post(client, person):
    client.force_login(person.user)
    assert client.get("/individuals/statement/print/").status_code == 405


def test_a_person_sees_only_their_own_record(client, person):
    other = IndividualFactory(name_ar="شخص آخر")
    client.force_login(other.user)
    for url in PAGES:
        html = client.get(url).content.decode()
        assert "سلمى عادل القاسم" not in html and "3,303.000" not in html


def test_both_services_are_linked_and_available(client, person):
    client.force_login(person.user)
    home = client.get("/individuals/").content.decode()
    assert 'href="/individuals/dashboard/"' in home and 'href="/individuals/statement/"' in home
    listing = client.get("/services/individuals/").content.decode()
    for code in ("ind.dashboard", "ind.detailed-statement"):
        s = service(code)
        assert s.implemented
        assert f'<a href="{s.url}">{s.name}</a>' in listing


# --- Query counts and speed ------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_query_count_does_not_grow_with_the_history(client, url):
    short, long = IndividualFactory(), IndividualFactory()
    career(short, 12)
    career(long, 480)
    counts = []
    for ind in (short, long):
        client.force_login(ind.user)
        client.get(url)  # warm: session, content types
        with CaptureQueriesContext(connection) as q:
            resp = client.get(url)
        assert resp.status_code == 200
        counts.append(len(q.captured_queries))
    assert counts[0] == counts[1] <= 8, counts
    assert resp.context["years"][-1]["year"] == 2024  # 480 months from January 1985


def test_dashboard_of_480_months_renders_fast(client):
    ind = IndividualFactory()
    career(ind, 480)
    client.force_login(ind.user)
    assert client.get("/individuals/dashboard/").status_code == 200  # warm
    runs = []
    for _ in range(7):
        start = time.perf_counter()
        resp = client.get("/individuals/dashboard/")
        runs.append(time.perf_counter() - start)
        assert resp.status_code == 200
    median = statistics.median(runs)
    print(f"\ndashboard, 480 months: median {median * 1000:.1f} ms over {len(runs)} runs")
    assert len(resp.context["wages_chart"].bars) == 40
    assert median < 0.100


# --- The statement as a PDF ------------------------------------------------------------------


def pdf_text(path) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    out = re.sub(r"[\u202a-\u202e\u2066-\u2069]", "", out)
    return re.sub(r"\s+", " ", out)


def test_print_issues_a_verifiable_pdf(client, person, django_capture_on_commit_callbacks):
    client.force_login(person.user)
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post("/individuals/statement/print/")
    doc = Document.objects.get()
    assert resp.status_code == 302 and resp.url == f"/documents/{doc.pk}/"
    assert doc.owner == person.user and doc.kind == Document.Kind.STATEMENT
    assert doc.status == Document.Status.READY
    assert doc.title == TITLE
    with doc.file.open("rb") as f:
        assert f.read(4) == b"%PDF"
    text = pdf_text(doc.file.path)
    assert TITLE in text
    for figure in ("9911012345", "7,173.375", "3,303.000"):
        assert figure in text, figure

    # The owner downloads it; anyone else gets 404.
    download = client.get(resp.url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    client.force_login(IndividualFactory().user)
    assert client.get(resp.url).status_code == 404

    # The public check shows what the statement certifies, and nothing of the wages.
    client.logout()
    assert doc.certifies == {
        "الاسم": "سلمى عادل القاسم",
        "الرقم الوطني": "9911012345",
        "عدد الاشتراكات": "16",
        "كما في تاريخ": timezone.localdate().isoformat(),
    }
    html = client.get(f"/verify/{doc.code}/").content.decode()
    for label, value in doc.certifies.items():
        assert label in html and value in html
    for wage in ("7,173.375", "3,303.000", "1,000.125", "1000.125", "330.300", "الأجر"):
        assert wage not in html, wage


# --- Admin and demo data ---------------------------------------------------------------------


def test_staff_list_contribution_months_in_the_admin(client, person):
    staff = UserFactory(id_type=IdType.STAFF, id_number="admin9", is_staff=True, is_superuser=True)
    client.force_login(staff)
    with CaptureQueriesContext(connection) as q:
        resp = client.get("/admin/individuals/wagerecord/")
    assert resp.status_code == 200 and "9911012345" in resp.content.decode()
    assert len(q.captured_queries) < 15  # individual and establishment joined, not per row


def test_demo_histories(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rows = seed()
        before = WageRecord.objects.count()
        assert seed() == rows  # idempotent
    assert WageRecord.objects.count() == before
    numbers = " ".join(identifier for _who, identifier, _pw in rows)
    for number in ("9861012345", "1000234567", "9931012345", "9671012345", "9841012345"):
        assert number in numbers
    today = timezone.localdate()
    this_month = today.replace(day=1)
    assert not WageRecord.objects.filter(month__gt=today).exists()
    assert not WageRecord.objects.filter(wage__lt=260).exists()
    assert not WageRecord.objects.filter(wage__gt=3349).exists()
    assert not WageRecord.objects.filter(month__gte="2025-01-01", wage__lt=290).exists()

    def person_(number):
        return Individual.objects.get(user__id_number=number)

    for number in ("9861012345", "1000234567", "9931012345", "9671012345", "9841012345"):
        ind = person_(number)
        summary = insurance_summary(ind)
        rows_ = statement_rows(ind)
        # every wage record falls in a coverage period, every period month has a wage
        assert sum(r.months for r in rows_) == summary["contribution_months"]
        assert summary["period_months"] == summary["contribution_months"]
        assert ind.user.is_activated and ind.user.check_password(DEMO_PASSWORD)
    ahmad = contributions_by_year(person_("9861012345"))
    assert ahmad[-1].average_wage > ahmad[0].average_wage  # wages rose over the years
    assert len({r.establishment for r in statement_rows(person_("9861012345"))}) >= 3
    noor = person_("9931012345")
    assert noor.sex == "F" and 28 <= today.year - noor.birth_date.year <= 34
    assert noor.wages.filter(month__gt=month_after(this_month, -12)).count() >= 6
    assert CivilRecord.objects.filter(number="9931012345").exists()
    yousef = person_("9671012345")
    assert 58 <= today.year - yousef.birth_date.year <= 60
    assert yousef.wages.count() >= 340
    heba = insurance_summary(person_("9841012345"))
    assert heba["contribution_months"] <= 72 and heba["current_employer"] is None
    assert person_("9661012345").wages.count() == 480
