"""Lump-sum compensation (lump.inquiry, lump.request, lump.re-inquiry) and the advances drawn from
the lump-sum account (def.tamkeen2-lump-advance, def.musaned3-lump-advance,
def.tamkeen-retirement-advance): the rules at their boundaries, the request journeys, the inquiry
pages and the calculators."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from accounts import sms
from accounts.exceptions import ServiceError
from accounts.models import IdType
from eservices.dates import month_after, month_start
from eservices.models import Notification, ServiceRequest
from eservices.services import request_approve, request_reject, request_review_start
from individuals.benefits.advances import (
    musaned3_advance,
    tamkeen2_advance,
    tamkeen_retirement_advance,
)
from individuals.benefits.api_lump_sum import LUMP_SUM_EXAMPLE
from individuals.benefits.lump_sum import (
    ADVANCES,
    account_record,
    lump_sum,
    lump_sum_for_person,
    paid_lump_sums,
    restoration_cost,
)
from individuals.models import InsurancePeriod, WageRecord
from payments.models import BenefitPayment

from .factories import IndividualFactory, LiaisonOfficerFactory, UserFactory

pytestmark = pytest.mark.django_db

IBAN = "JO71CBJO0000000000001234567890"  # valid mod-97
ON = dt.date(2026, 5, 20)
D = Decimal


# --- Helpers ---------------------------------------------------------------------------------


def lump(**kw):
    data = {
        "request_date": ON,
        "contributions": 100,
        "total_insured_wages": D("10000"),
        "sex": "M",
        "birth_date": dt.date(1990, 1, 1),
        "is_jordanian": False,
        "service_ended": True,
    }
    data.update(kw)
    return lump_sum(**data)


def account(**kw):
    data = {
        "request_date": ON,
        "contributions": 100,
        "total_insured_wages": D("50000"),
        "last_insured_wage": D("450"),
    }
    data.update(kw)
    return data


def person(
    *,
    months=60,
    wage="500.000",
    uncovered=40,
    sex="M",
    jordanian=True,
    birth_date=dt.date(1980, 3, 1),
    coverage="mandatory",
    still_covered=False,
):
    """A person with ``months`` contribution months, the last one ``uncovered`` whole months
    before the current month, and an insurance period over them (open if still covered)."""
    extra = {}
    if not jordanian:
        user = UserFactory(id_type=IdType.PERSONAL)
        extra = {"user": user, "national_number": "", "personal_number": user.id_number}
    ind = IndividualFactory(sex=sex, is_jordanian=jordanian, birth_date=birth_date, **extra)
    last = month_after(month_start(timezone.localdate()), -(uncovered + 1))
    first = month_after(last, -(months - 1))
    WageRecord.objects.bulk_create(
        WageRecord(individual=ind, month=month_after(first, k), wage=D(wage), coverage=coverage)
        for k in range(months)
    )
    InsurancePeriod.objects.create(
        individual=ind,
        coverage=coverage,
        start_date=first,
        end_date=None if still_covered else month_after(last, 1) - dt.timedelta(days=1),
        monthly_wage=D(wage),
    )
    return ind


@pytest.fixture
def staff():
    return UserFactory(id_type="staff", id_number="clerk", is_staff=True, is_superuser=True)


def pdf(name="doc.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def bank(**kw):
    return {"bank": "arab_bank", "iban": IBAN, "continue": "1", **kw}


def submit(client, ind, code, answers, capture, *, documents=()):
    client.force_login(ind.user)
    assert client.post(f"/service/{code}/").status_code == 302
    req = ServiceRequest.objects.get(applicant=ind.user, service_code=code, status="draft")
    resp = client.post(f"/requests/{req.pk}/answers/", answers)
    assert resp.status_code == 302, resp.context["form"].errors
    for document_type in documents:
        resp = client.post(
            f"/requests/{req.pk}/documents/", {"document_type": document_type, "file": pdf()}
        )
        assert resp.status_code == 302
    req.refresh_from_db()
    with capture(execute=True):
        client.post(f"/requests/{req.pk}/check/", {"token": str(req.submit_token)})
    req.refresh_from_db()
    return req


def approve(req, staff, capture):
    with capture(execute=True):
        request_review_start(req=req, staff=staff)
        request_approve(req=req, staff=staff)
    req.refresh_from_db()
    return req


# --- The share and the amount ----------------------------------------------------------------


class TestShare:
    @pytest.mark.parametrize(
        ("contributions", "share", "amount"),
        [
            (1, "0.1", "1000.000"),
            (120, "0.1", "1000.000"),
            (121, "0.12", "1200.000"),
            (215, "0.12", "1200.000"),
            (216, "0.15", "1500.000"),
            (480, "0.15", "1500.000"),
        ],
    )
    def test_bands_at_their_boundaries(self, contributions, share, amount):
        fig = lump(contributions=contributions)
        assert fig.payable and fig.amount == D(amount)
        assert fig.breakdown["share"] == share and fig.breakdown["value"] == amount
        assert ("lump.rate_from_216" in fig.working.rules) is (contributions >= 216)
        # the 15% row is a provisional default, and says so
        assert fig.working.provisional is (contributions >= 216)

    def test_rounds_half_up_once_to_the_fils(self):
        assert lump(total_insured_wages=D("1000.005")).amount == D("100.001")  # 100.0005
        assert lump(total_insured_wages=D("1000.004")).amount == D("100.000")

    def test_the_working_shows_the_band_and_the_formula(self):
        fig = lump(contributions=130, total_insured_wages=D("58432.125"))
        assert fig.amount == D("7011.855")
        lines = [(line["value"], line["formula"]) for line in fig.working.lines]
        assert ("12%", "120 < 130 ≤ 215") in lines
        assert ("7011.855", "58432.125 × 0.12") in lines
        assert {"lump.band1_max_contributions", "lump.rate_121_215"} <= set(fig.working.rules)

    def test_advances_drawn_are_taken_from_the_lump_sum(self):
        fig = lump(advances_drawn=D("350"))
        assert fig.amount == D("650.000") and fig.breakdown["balance"] == "650.000"
        used_up = lump(advances_drawn=D("1000"))
        assert not used_up.payable
        assert any("advances" in r or "السلف" in r for r in used_up.reasons)

    def test_no_contributions_no_lump_sum(self):
        fig = lump(contributions=0, total_insured_wages=D("0"))
        assert not fig.payable and fig.amount is None


# --- The cases of FACTS A4 -------------------------------------------------------------------


def applies(fig, case):
    return next(c for c in fig.cases if c.case == case).applies


class TestCases:
    def test_non_jordanian_whose_coverage_ended(self):
        assert lump().breakdown["case"] == "non_jordanian"
        still_working = lump(service_ended=False)
        assert not still_working.payable and not applies(still_working, "non_jordanian")
        assert not applies(lump(is_jordanian=True), "non_jordanian")

    @pytest.mark.parametrize(
        ("birth_date", "payable"), [("1981-05-21", False), ("1981-05-20", True)]
    )
    def test_single_woman_44_and_45(self, birth_date, payable):
        fig = lump(
            sex="F",
            is_jordanian=True,
            birth_date=dt.date.fromisoformat(birth_date),
            marital_status="never_married",
        )
        assert fig.payable is payable
        assert applies(fig, "single_woman") is payable
        if not payable:
            assert any("45" in r and "44" in r for r in fig.reasons)

    @pytest.mark.parametrize("status", ["never_married", "divorced", "widowed"])
    def test_a_woman_not_married_is_single(self, status):
        fig = lump(
            sex="F", is_jordanian=True, birth_date=dt.date(1970, 1, 1), marital_status=status
        )
        assert fig.breakdown["case"] == "single_woman"

    def test_married_or_unanswered_is_not(self):
        married = lump(
            sex="F", is_jordanian=True, birth_date=dt.date(1975, 1, 1), marital_status="married"
        )
        assert not married.payable
        unanswered = lump(sex="F", is_jordanian=True, birth_date=dt.date(1975, 1, 1))
        assert not unanswered.payable
        single = next(c for c in unanswered.cases if c.case == "single_woman")
        assert len(single.unmet) == 1  # only the marital status is missing

    @pytest.mark.parametrize(
        ("sex", "birth_date", "contributions", "uncovered", "payable"),
        [
            ("M", "1971-05-20", 83, 36, True),  # 55
            ("M", "1971-05-21", 83, 36, False),  # 54
            ("M", "1971-05-20", 84, 36, False),
            ("M", "1971-05-20", 83, 35, False),
            ("F", "1976-05-20", 83, 36, True),  # 50
            ("F", "1976-05-21", 83, 36, False),  # 49
            ("F", "1976-05-20", 84, 36, False),
            ("F", "1976-05-20", 83, 35, False),
        ],
    )
    def test_few_contributions_after_years_without_coverage(
        self, sex, birth_date, contributions, uncovered, payable
    ):
        fig = lump(
            sex=sex,
            is_jordanian=True,
            marital_status="married",
            birth_date=dt.date.fromisoformat(birth_date),
            contributions=contributions,
            months_uncovered=uncovered,
        )
        assert fig.payable is payable
        assert applies(fig, "few_contributions") is payable

    @pytest.mark.parametrize(("contributions", "payable"), [(179, True), (180, False)])
    def test_old_age_outside_covered_service_without_a_pension(self, contributions, payable):
        fig = lump(is_jordanian=True, birth_date=dt.date(1966, 5, 20), contributions=contributions)
        assert fig.payable is payable
        assert applies(fig, "old_age") is payable
        assert not applies(lump(is_jordanian=True, birth_date=dt.date(1966, 5, 21)), "old_age")

    def test_a_declared_case_must_apply_itself(self):
        fig = lump(case="single_woman")
        assert not fig.payable
        assert len(fig.reasons) == 1 and fig.reasons[0].startswith(fig.cases[1].label)
        assert lump(case="non_jordanian").payable


# --- The advances ----------------------------------------------------------------------------


class TestTamkeen2:
    @pytest.mark.parametrize(
        ("on", "wage", "payable"),
        [
            ("2020-07-01", "699.999", True),
            ("2020-07-01", "700", False),
            ("2021-04-01", "1499.999", True),
            ("2021-04-01", "1500", False),
        ],
    )
    def test_wage_limit_in_force_on_the_request_date(self, on, wage, payable):
        fig = tamkeen2_advance(
            **account(request_date=dt.date.fromisoformat(on), last_insured_wage=D(wage)),
            is_jordanian=True,
        )
        assert fig.payable is payable
        if not payable:
            assert any(wage in r for r in fig.reasons)

    @pytest.mark.parametrize(
        ("on", "jordanian", "amount"),
        [
            ("2020-07-01", True, "200.000"),  # 5% of 5000 = 250, capped at 200
            ("2020-07-01", False, "200.000"),
            ("2021-04-01", True, "350.000"),  # 8% of 5000 = 400, capped at 350
            ("2021-04-01", False, "200.000"),  # non-Jordanians: 200
        ],
    )
    def test_caps_for_jordanians_and_others(self, on, jordanian, amount):
        fig = tamkeen2_advance(
            **account(request_date=dt.date.fromisoformat(on)), is_jordanian=jordanian
        )
        assert fig.amount == D(amount) and len(fig.payments) == 1
        assert fig.breakdown["cap"] == amount

    def test_below_the_cap(self):
        fig = tamkeen2_advance(
            **account(request_date=dt.date(2021, 4, 1), total_insured_wages=D("20000")),
            is_jordanian=False,
        )
        assert fig.amount == D("160.000")  # 8% of 2000

    def test_the_balance_is_what_is_left_after_advances(self):
        fig = tamkeen2_advance(
            **account(request_date=dt.date(2021, 4, 1), total_insured_wages=D("20000")),
            is_jordanian=True,
            advances_drawn=D("1000"),
        )
        assert fig.breakdown["balance"] == "1000.000" and fig.amount == D("80.000")
        empty = tamkeen2_advance(**account(), is_jordanian=True, advances_drawn=D("5000"))
        assert not empty.payable


class TestMusaned3:
    @pytest.mark.parametrize(("wage", "payable"), [("499.999", True), ("500", False)])
    def test_wage_limit(self, wage, payable):
        fig = musaned3_advance(**account(last_insured_wage=D(wage)))
        assert fig.payable is payable

    def test_capped_at_450_over_three_months(self):
        fig = musaned3_advance(**account())  # 5% of 5000 = 250
        assert fig.amount == D("250.000")
        big = musaned3_advance(**account(total_insured_wages=D("200000")))  # 5% of 20000
        assert big.amount == D("450.000")
        assert [p.amount for p in big.payments] == [D("150.000")] * 3
        assert [p.sequence for p in big.payments] == [1, 2, 3]
        dues = [p.due_date for p in big.payments]
        assert dues == [dt.date(2026, 6, 1), dt.date(2026, 7, 1), dt.date(2026, 8, 1)]

    def test_the_last_payment_takes_the_remainder(self):
        fig = musaned3_advance(**account(total_insured_wages=D("20000")))  # 5% of 2000 = 100
        assert [p.amount for p in fig.payments] == [D("33.333"), D("33.333"), D("33.334")]
        assert sum(p.amount for p in fig.payments) == fig.amount == D("100.000")

    def test_optional_subscribers_8_percent_at_most_400_a_month(self):
        small = musaned3_advance(
            **account(total_insured_wages=D("20000")), optional_subscriber=True
        )
        assert small.amount == D("160.000")  # 8% of 2000
        assert [p.amount for p in small.payments] == [D("53.333"), D("53.333"), D("53.334")]
        big = musaned3_advance(**account(total_insured_wages=D("300000")), optional_subscriber=True)
        assert big.amount == D("1200.000")  # 8% of 30000 = 2400, at most 400 × 3
        assert [p.amount for p in big.payments] == [D("400.000")] * 3
        assert "musaned3.optional_monthly_cap" in big.working.rules


class TestTamkeenRetirement:
    @pytest.mark.parametrize(("wage", "payable"), [("699.999", True), ("700", False)])
    def test_wage_limit_and_cap(self, wage, payable):
        fig = tamkeen_retirement_advance(**account(last_insured_wage=D(wage)))
        assert fig.payable is payable
        if payable:
            assert fig.amount == D("200.000")  # 5% of 5000 = 250, capped
            assert fig.working.provisional

    def test_below_the_cap(self):
        fig = tamkeen_retirement_advance(**account(total_insured_wages=D("20000")))
        assert fig.amount == D("100.000")

    def test_no_wage_on_the_record(self):
        fig = tamkeen_retirement_advance(**account(last_insured_wage=None))
        assert not fig.payable


# --- From the insurance record ---------------------------------------------------------------


class TestRecord:
    def test_compensated_months_do_not_count(self, staff):
        ind = person(months=10, wage=D("400"))
        paid = ServiceRequest.objects.create(
            applicant=ind.user,
            service_code="lump.request",
            status="approved",
            reference="LMP-2020-000001",
            amount=D("160"),
            decided_at=timezone.now() - dt.timedelta(days=400),
        )
        first_four = WageRecord.objects.filter(individual=ind).order_by("month")[:4]
        WageRecord.objects.filter(pk__in=[w.pk for w in first_four]).update(compensated_by=paid)
        record = account_record(ind, on=timezone.localdate())
        assert record.contributions == 6 and record.total_wages == D("2400.000")
        fig = lump_sum_for_person(ind, on=timezone.localdate())
        assert fig.breakdown["contributions"] == 6 and fig.breakdown["value"] == "240.000"
        assert [p.months for p in paid_lump_sums(ind)] == [4]

    def test_months_without_coverage(self):
        today = timezone.localdate()
        assert account_record(person(uncovered=36), on=today).months_uncovered(today) == 36
        assert account_record(person(uncovered=0), on=today).months_uncovered(today) == 0
        covered = person(uncovered=0, still_covered=True)
        assert account_record(covered, on=today).covered

    def test_only_advances_since_the_last_lump_sum_are_drawn(self):
        ind = person()
        now = timezone.now()

        def approved(code, days_ago, amount, ref):
            return ServiceRequest.objects.create(
                applicant=ind.user,
                service_code=code,
                status="approved",
                reference=ref,
                amount=D(amount),
                decided_at=now - dt.timedelta(days=days_ago),
            )

        approved("def.tamkeen2-lump-advance", 900, "200", "TMK-1")
        approved("lump.request", 800, "1000", "LMP-1")
        approved("def.musaned3-lump-advance", 10, "150", "MSN-1")
        approved("unemp.request", 5, "999", "UNE-1")  # another account
        assert account_record(ind, on=timezone.localdate()).advances_drawn == D("150.000")


# --- lump.request ----------------------------------------------------------------------------


def lump_answers(**kw):
    return bank(case="non_jordanian", marital_status="", **kw)


def submit_lump(client, ind, capture, documents=("end_of_service", "passport")):
    return submit(client, ind, "lump.request", lump_answers(), capture, documents=documents)


def reject(req, staff, capture, reason):
    with capture(execute=True):
        request_reject(req=req, staff=staff, reason=reason)
    req.refresh_from_db()
    assert req.status == "rejected" and not BenefitPayment.objects.exists()
    inbox = Notification.objects.filter(user=req.applicant, channel="inbox").first()
    assert reason in inbox.body


class TestLumpSumRequest:
    def test_journey_submit_approve_closes_the_period(
        self, client, staff, django_capture_on_commit_callbacks
    ):
        ind = person(months=130, wage=D("450.250"), jordanian=False)
        req = submit_lump(client, ind, django_capture_on_commit_callbacks)
        assert req.status == "submitted" and req.reference.startswith("LMP-")
        assert req.amount == D("7023.900")  # 130 × 450.250 × 12%
        assert len(sms.outbox) == 1 and req.reference in sms.outbox[0].body

        approve(req, staff, django_capture_on_commit_callbacks)
        assert req.status == "approved"
        payment = BenefitPayment.objects.get(request=req)
        assert payment.amount == req.amount and payment.iban == IBAN
        assert payment.due_date == month_after(month_start(timezone.localdate()), 1)
        assert WageRecord.objects.filter(individual=ind, compensated_by=req).count() == 130
        assert not WageRecord.objects.filter(individual=ind, compensated_by__isnull=True).exists()
        assert len(sms.outbox) == 3 and "7023.900" in sms.outbox[-1].body
        assert Notification.objects.filter(user=ind.user, channel="inbox").count() == 3
        # nothing left to compensate: the inquiry says so, the restoration page has the months
        again = lump_sum_for_person(ind, on=timezone.localdate())
        assert not again.payable and again.breakdown["contributions"] == 0
        page = client.get("/individuals/benefits/lump-sum/restore/").content.decode()
        assert req.reference in page and "7023.900" in page and ">130<" in page

    def test_a_non_jordanian_attaches_the_passport(
        self, client, django_capture_on_commit_callbacks
    ):
        ind = person(jordanian=False)
        req = submit(
            client,
            ind,
            "lump.request",
            lump_answers(),
            django_capture_on_commit_callbacks,
            documents=("end_of_service",),
        )
        assert req.status == "draft" and req.reference is None
        page = client.get(f"/requests/{req.pk}/check/", HTTP_ACCEPT_LANGUAGE="en")
        assert "copy of your passport" in page.content.decode()

    def test_the_marital_status_is_asked_for_the_single_woman_case(
        self, client, staff, django_capture_on_commit_callbacks
    ):
        ind = person(sex="F", birth_date=dt.date(1975, 1, 1), months=100, wage=D("300"))
        client.force_login(ind.user)
        client.post("/service/lump.request/")
        req = ServiceRequest.objects.get(applicant=ind.user)
        resp = client.post(f"/requests/{req.pk}/answers/", bank(case="single_woman"))
        assert resp.status_code == 200 and "marital_status" in resp.context["form"].errors
        married = bank(case="single_woman", marital_status="married")
        assert client.post(f"/requests/{req.pk}/answers/", married).status_code == 302
        check = client.get(f"/requests/{req.pk}/check/").content.decode()
        assert "لا يمكن إرسال الطلب بعد" in check
        req = submit(
            client,
            ind,
            "lump.request",
            bank(case="single_woman", marital_status="divorced"),
            django_capture_on_commit_callbacks,
            documents=("end_of_service",),
        )
        assert req.status == "submitted" and req.amount == D("3000.000")  # 100 × 300 × 10%
        approve(req, staff, django_capture_on_commit_callbacks)
        assert BenefitPayment.objects.get(request=req).amount == D("3000.000")

    def test_someone_no_case_applies_to_is_told_why_before_the_form(self, client):
        ind = person(still_covered=True, uncovered=0)
        client.force_login(ind.user)
        page = client.get("/service/lump.request/").content.decode()
        assert "لا يمكنك استخدام هذه الخدمة حاليًا" in page
        client.post("/service/lump.request/")
        assert not ServiceRequest.objects.exists()

    def test_reject_with_reasons(self, client, staff, django_capture_on_commit_callbacks):
        ind = person(jordanian=False)
        req = submit_lump(client, ind, django_capture_on_commit_callbacks)
        with pytest.raises(ServiceError):  # the reasons are required
            request_reject(req=req, staff=staff, reason=" ")
        reject(req, staff, django_capture_on_commit_callbacks, "كتاب انتهاء الخدمة غير مختوم")
        assert not WageRecord.objects.filter(compensated_by__isnull=False).exists()
        assert len(sms.outbox) == 2

    def test_cancel(self, client, staff, django_capture_on_commit_callbacks):
        ind = person(jordanian=False)
        req = submit_lump(client, ind, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/requests/{req.pk}/cancel/")
        req.refresh_from_db()
        assert req.status == "cancelled" and len(sms.outbox) == 2
        with pytest.raises(ServiceError):
            request_approve(req=req, staff=staff)

    def test_approval_stops_if_the_record_changed(
        self, client, staff, django_capture_on_commit_callbacks
    ):
        ind = person(jordanian=False)
        req = submit_lump(client, ind, django_capture_on_commit_callbacks)
        WageRecord.objects.filter(individual=ind).order_by("month").first().delete()
        with pytest.raises(ServiceError):
            request_approve(req=req, staff=staff)
        req.refresh_from_db()
        assert req.status == "submitted" and not BenefitPayment.objects.exists()
        assert not WageRecord.objects.filter(compensated_by__isnull=False).exists()


# --- The advances as requests -----------------------------------------------------------------


ADVANCE = bank(deduction="on")


class TestAdvanceRequests:
    def test_tamkeen2_reduces_the_balance_and_is_granted_once(
        self, client, staff, django_capture_on_commit_callbacks
    ):
        ind = person(months=100, wage=D("500"))  # value 5000, 8% = 400, cap 350
        req = submit(
            client, ind, "def.tamkeen2-lump-advance", ADVANCE, django_capture_on_commit_callbacks
        )
        assert req.status == "submitted" and req.amount == D("350.000")
        assert req.reference.startswith("TMK-") and len(sms.outbox) == 1
        approve(req, staff, django_capture_on_commit_callbacks)
        assert list(BenefitPayment.objects.values_list("amount", flat=True)) == [D("350.000")]
        assert len(sms.outbox) == 3
        page = client.get("/individuals/benefits/lump-sum/").content.decode()
        assert "4650.000" in page and "350.000" in page  # the balance, and what was drawn
        start = client.get("/service/def.tamkeen2-lump-advance/", HTTP_ACCEPT_LANGUAGE="en")
        assert "granted once: you have already asked for it" in start.content.decode()
        # the next advance is worked out on the reduced balance
        assert lump_sum_for_person(ind, on=timezone.localdate()).breakdown["balance"] == (
            "4650.000"
        )
        retirement = submit(
            client,
            ind,
            "def.tamkeen-retirement-advance",
            ADVANCE,
            django_capture_on_commit_callbacks,
        )
        assert retirement.amount == D("200.000")  # 5% of 4650 = 232.5, capped at 200
        approve(retirement, staff, django_capture_on_commit_callbacks)
        assert BenefitPayment.objects.get(request=retirement).amount == D("200.000")
        record = account_record(ind, on=timezone.localdate())
        assert record.advances_drawn == D("550.000")  # 350 + 200: the balance is 4450

    def test_non_jordanian_cap(self, client, django_capture_on_commit_callbacks):
        ind = person(months=100, wage=D("500"), jordanian=False)
        req = submit(
            client, ind, "def.tamkeen2-lump-advance", ADVANCE, django_capture_on_commit_callbacks
        )
        assert req.amount == D("200.000")

    def test_musaned3_optional_subscriber_in_three_payments(
        self, client, staff, django_capture_on_commit_callbacks
    ):
        ind = person(months=100, wage=D("400"), coverage="optional")  # value 4000, 8% = 320
        req = submit(
            client, ind, "def.musaned3-lump-advance", ADVANCE, django_capture_on_commit_callbacks
        )
        assert req.amount == D("320.000") and req.reference.startswith("MSN-")
        approve(req, staff, django_capture_on_commit_callbacks)
        assert len(sms.outbox) == 3 and "320.000" in sms.outbox[-1].body
        payments = list(BenefitPayment.objects.filter(request=req).order_by("sequence"))
        assert [p.amount for p in payments] == [D("106.666"), D("106.666"), D("106.668")]
        first = month_after(month_start(timezone.localdate()), 1)
        assert [p.due_date for p in payments] == [month_after(first, k) for k in range(3)]
        assert {p.iban for p in payments} == {IBAN}

    def test_musaned3_wage_limit_before_starting(self, client):
        ind = person(wage=D("500"))
        client.force_login(ind.user)
        page = client.get("/service/def.musaned3-lump-advance/").content.decode()
        assert "500" in page
        client.post("/service/def.musaned3-lump-advance/")
        assert not ServiceRequest.objects.exists()

    @pytest.mark.parametrize("code", ADVANCES)
    def test_reject_with_reasons_then_cancel(
        self, client, staff, code, django_capture_on_commit_callbacks
    ):
        ind = person(wage="400")  # below every programme's limit
        req = submit(client, ind, code, ADVANCE, django_capture_on_commit_callbacks)
        assert req.status == "submitted" and len(sms.outbox) == 1
        reject(req, staff, django_capture_on_commit_callbacks, "الأجر غير محدث")
        assert len(sms.outbox) == 2 and req.reference in sms.outbox[-1].body
        # a rejected advance was not granted: it may be asked for again, and cancelled
        again = submit(client, ind, code, ADVANCE, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/requests/{again.pk}/cancel/")
        again.refresh_from_db()
        assert again.status == "cancelled" and len(sms.outbox) == 4
        with pytest.raises(ServiceError):
            request_approve(req=again, staff=staff)
        assert account_record(ind, on=timezone.localdate()).advances_drawn == 0

    def test_the_agreement_is_required(self, client):
        ind = person()
        client.force_login(ind.user)
        client.post("/service/def.tamkeen2-lump-advance/")
        req = ServiceRequest.objects.get()
        resp = client.post(f"/requests/{req.pk}/answers/", bank())
        assert "deduction" in resp.context["form"].errors

    def test_a_lump_sum_after_an_advance_pays_the_balance(
        self, client, staff, django_capture_on_commit_callbacks
    ):
        ind = person(months=100, wage=D("500"), jordanian=False)
        advance = submit(
            client, ind, "def.tamkeen2-lump-advance", ADVANCE, django_capture_on_commit_callbacks
        )
        approve(advance, staff, django_capture_on_commit_callbacks)
        req = submit_lump(client, ind, django_capture_on_commit_callbacks)
        assert req.amount == D("4800.000")  # 5000 − 200
        approve(req, staff, django_capture_on_commit_callbacks)
        assert BenefitPayment.objects.get(request=req).amount == D("4800.000")
        record = account_record(ind, on=timezone.localdate())
        assert record.advances_drawn == 0 and record.contributions == 0


# --- The inquiry pages -----------------------------------------------------------------------


class TestInquiryPages:
    URL = "/individuals/benefits/lump-sum/"
    RESTORE = "/individuals/benefits/lump-sum/restore/"

    def test_anonymous_is_sent_to_sign_in(self, client):
        for url in (self.URL, self.RESTORE):
            resp = client.get(url)
            assert resp.status_code == 302 and "sign-in" in resp.url

    def test_individuals_only(self, client):
        client.force_login(LiaisonOfficerFactory().user)
        assert client.get(self.URL).status_code == 403
        assert client.get(self.RESTORE).status_code == 403

    def test_the_owner_sees_the_case_and_the_amount(self, client):
        ind = person(months=216, wage=D("1000"), jordanian=False)
        client.force_login(ind.user)
        resp = client.get(self.URL)
        html = resp.content.decode()
        assert '<html lang="ar" dir="rtl">' in html
        assert "استفسار تعويض الدفعة الواحدة" in html
        assert '<bdi dir="ltr">32400.000</bdi>' in html  # 216 × 1000 × 15%
        assert "216000.000" in html and ">216<" in html
        assert resp.context["working"]["provisional"]  # the 15% row is a default
        assert resp.context["figure"].breakdown["case"] == "non_jordanian"
        assert "/service/lump.request/" in html
        assert 'name="marital_status"' not in html  # asked of women only

    def test_a_woman_answers_the_marital_status_on_the_page(self, client):
        ind = person(sex="F", birth_date=dt.date(1975, 1, 1), months=100, wage=D("300"))
        client.force_login(ind.user)
        before = client.get(self.URL)
        assert 'name="marital_status"' in before.content.decode()
        assert not before.context["figure"].payable
        after = client.get(self.URL, {"marital_status": "never_married"})
        assert after.context["figure"].payable
        assert after.context["figure"].amount == D("3000.000")

    def test_why_no_case_applies(self, client):
        ind = person(still_covered=True, uncovered=0)
        client.force_login(ind.user)
        resp = client.get(self.URL, HTTP_ACCEPT_LANGUAGE="en")
        assert not resp.context["figure"].payable
        html = resp.content.decode()
        assert "/service/lump.request/" not in html
        assert "Coverage has ended" in html  # the unmet conditions
        assert "the heirs" in html  # death and disability: a request by the heirs

    def test_restoration_cost(self, client):
        ind = person(months=24, wage=D("500"))
        paid_at = timezone.now() - dt.timedelta(days=800)
        req = ServiceRequest.objects.create(
            applicant=ind.user,
            service_code="lump.request",
            status="approved",
            reference="LMP-2024-000007",
            amount=D("1200.000"),
            decided_at=paid_at,
        )
        WageRecord.objects.filter(individual=ind).update(compensated_by=req)
        client.force_login(ind.user)
        resp = client.get(self.RESTORE)
        fig = resp.context["figure"]
        months = restoration_cost(paid=paid_lump_sums(ind), on=timezone.localdate())
        assert fig.amount == months.amount
        paid_on = timezone.localdate(paid_at)
        today = timezone.localdate()
        whole = (today.year - paid_on.year) * 12 + today.month - paid_on.month
        whole -= today.day < paid_on.day
        addition = (D("1200") * D("0.03") * whole / 12).quantize(D("0.001"))
        assert fig.amount == D("1200.000") + addition
        assert fig.working.provisional  # the addition is a default rule row
        html = resp.content.decode()
        assert "LMP-2024-000007" in html and ">24<" in html

    def test_nothing_to_restore(self, client):
        ind = person()
        client.force_login(ind.user)
        resp = client.get(self.RESTORE)
        assert resp.status_code == 200 and not resp.context["figure"].payable

    @pytest.mark.parametrize("url", [URL, RESTORE])
    def test_queries_do_not_grow_with_the_record(self, client, url):
        counts = []
        for months in (12, 400):
            ind = person(months=months, jordanian=False)
            req = ServiceRequest.objects.create(
                applicant=ind.user,
                service_code="lump.request",
                status="approved",
                reference=f"LMP-2024-{months:06d}",
                amount=D("100"),
                decided_at=timezone.now() - dt.timedelta(days=100),
            )
            half = WageRecord.objects.filter(individual=ind).order_by("month")[: months // 2]
            WageRecord.objects.filter(pk__in=[w.pk for w in half]).update(compensated_by=req)
            client.force_login(ind.user)
            with CaptureQueriesContext(connection) as q:
                assert client.get(url).status_code == 200
            counts.append(len(q.captured_queries))
        assert counts[0] == counts[1], counts


# --- API -------------------------------------------------------------------------------------

LUMP_URL = "/api/v1/calculators/lump-sum"
TAMKEEN2_URL = "/api/v1/calculators/tamkeen2-advance"
MUSANED3_URL = "/api/v1/calculators/musaned3-advance"
RETIREMENT_URL = "/api/v1/calculators/tamkeen-retirement-advance"


@pytest.fixture
def api():
    return APIClient()


def post(api, url, body, lang=None):
    headers = {"HTTP_ACCEPT_LANGUAGE": lang} if lang else {}
    return api.post(url, body, format="json", **headers)


LUMP_BODY = LUMP_SUM_EXAMPLE  # the example of the schema is the worked example


class TestApi:
    def test_lump_sum_worked_example(self, api):
        resp = post(api, LUMP_URL, LUMP_BODY)
        assert resp.status_code == 200, resp.content
        data = resp.json()
        assert data["payable"] is True and data["amount"] == "7011.855"
        assert data["reasons"] == [] and data["currency"] == "JOD"
        assert data["breakdown"]["case"] == "non_jordanian"
        assert data["breakdown"]["share"] == "0.12"
        assert {c["case"] for c in data["breakdown"]["cases"]} == {
            "non_jordanian",
            "single_woman",
            "few_contributions",
            "old_age",
        }
        assert data["payments"][0]["amount"] == "7011.855"
        assert data["working"]["lines"][-1]["value"] == "7011.855"

    def test_the_list_of_monthly_wages(self, api):
        body = {**LUMP_BODY, "monthly_wages": ["100.5", "200.25", "300"]}
        del body["contributions"], body["total_insured_wages"]
        data = post(api, LUMP_URL, body).json()
        assert data["breakdown"]["contributions"] == 3
        assert data["breakdown"]["total_insured_wages"] == "600.750"
        assert data["amount"] == "60.075"

    def test_not_payable_says_why(self, api):
        data = post(api, LUMP_URL, {**LUMP_BODY, "is_jordanian": True}, lang="en").json()
        assert data["payable"] is False and data["amount"] is None
        assert len(data["reasons"]) == 4
        assert data["reasons"][0].startswith("A non-Jordanian whose coverage has ended:")
        assert data["breakdown"]["value"] == "7011.855" and data["breakdown"]["case"] is None

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"contributions": -1}, "contributions"),
            ({"total_insured_wages": "lots"}, "total_insured_wages"),
            ({"sex": "X"}, "sex"),
            ({"marital_status": "engaged"}, "marital_status"),
            ({"case": "lottery"}, "case"),
            ({"request_date": "2026-02-30"}, "request_date"),
            ({"request_date": "1980-01-01"}, "request_date"),  # before the birth
            ({"request_date": "2010-01-01", "birth_date": "1970-01-01"}, "request_date"),  # rules
            ({"monthly_wages": ["100"]}, "monthly_wages"),  # both ways at once
        ],
    )
    def test_invalid_input_is_a_400(self, api, overrides, field):
        resp = post(api, LUMP_URL, {**LUMP_BODY, **overrides})
        assert resp.status_code == 400
        assert set(resp.json()) == {field}, resp.json()

    def test_the_wages_are_required_one_way_or_the_other(self, api):
        body = {k: v for k, v in LUMP_BODY.items() if k != "total_insured_wages"}
        resp = post(api, LUMP_URL, body)
        assert resp.status_code == 400 and set(resp.json()) == {"total_insured_wages"}

    def test_tamkeen2(self, api):
        body = {
            "request_date": "2021-04-01",
            "contributions": 100,
            "total_insured_wages": "50000",
            "last_insured_wage": "900",
            "is_jordanian": True,
        }
        assert post(api, TAMKEEN2_URL, body).json()["amount"] == "350.000"
        other = post(api, TAMKEEN2_URL, {**body, "is_jordanian": False}).json()
        assert other["amount"] == "200.000" and other["breakdown"]["cap"] == "200.000"
        too_high = post(api, TAMKEEN2_URL, {**body, "last_insured_wage": "1500"}, lang="en")
        data = too_high.json()
        assert data["payable"] is False and "below 1500 JD" in data["reasons"][0]
        assert post(api, TAMKEEN2_URL, {**body, "is_jordanian": "maybe"}).status_code == 400

    def test_musaned3(self, api):
        body = {
            "request_date": "2021-06-01",
            "monthly_wages": ["400"] * 50,  # 20000 → value 2000
            "last_insured_wage": "450",
            "optional_subscriber": True,
        }
        data = post(api, MUSANED3_URL, body).json()
        assert data["amount"] == "160.000"
        assert [p["amount"] for p in data["payments"]] == ["53.333", "53.333", "53.334"]
        assert [p["sequence"] for p in data["payments"]] == [1, 2, 3]
        regular = post(api, MUSANED3_URL, {**body, "optional_subscriber": False}).json()
        assert regular["amount"] == "100.000"
        drawn = post(api, MUSANED3_URL, {**body, "advances_drawn": "2000"}).json()
        assert drawn["payable"] is False
        assert post(api, MUSANED3_URL, {**body, "advances_drawn": "-1"}).status_code == 400

    def test_tamkeen_retirement(self, api):
        body = {
            "request_date": "2021-04-01",
            "contributions": 100,
            "total_insured_wages": "50000",
            "last_insured_wage": "600",
        }
        data = post(api, RETIREMENT_URL, body).json()
        assert data["amount"] == "200.000" and data["working"]["provisional"] is True
        early = post(api, RETIREMENT_URL, {**body, "request_date": "2019-01-01"})
        assert early.status_code == 400 and set(early.json()) == {"request_date"}
        missing = post(api, RETIREMENT_URL, {"request_date": "2021-04-01"})
        assert missing.status_code == 400
        assert set(missing.json()) >= {"last_insured_wage"}

    def test_only_post(self, api):
        assert api.get(LUMP_URL).status_code == 405

    def test_the_schema_documents_the_four_endpoints(self, api):
        schema = SchemaGenerator().get_schema(request=None, public=True)
        validate_schema(schema)
        for url in (LUMP_URL, TAMKEEN2_URL, MUSANED3_URL, RETIREMENT_URL):
            operation = schema["paths"][url]["post"]
            assert {"200", "400"} <= set(operation["responses"])
        components = schema["components"]["schemas"]
        assert "cases" in components["LumpSumBreakdown"]["properties"]
        operation = schema["paths"][LUMP_URL]["post"]
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert "monthly_wages" in components[ref.rsplit("/", 1)[1]]["properties"]
        data = post(api, LUMP_URL, LUMP_BODY).json()
        assert set(data) == set(components["LumpSumFigure"]["properties"])
        assert set(data["breakdown"]) == set(components["LumpSumBreakdown"]["properties"])
        advance = post(
            api,
            RETIREMENT_URL,
            {**account(request_date="2021-04-01", total_insured_wages="50000")},
        ).json()
        assert set(advance) == set(components["AdvanceFigure"]["properties"])
        assert set(advance["breakdown"]) == set(components["AdvanceBreakdown"]["properties"])
        assert api.get("/api/schema/").status_code == 200
