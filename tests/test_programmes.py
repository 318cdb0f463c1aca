"""Establishment programmes on the engine: defense orders (edef.*), nursery care (nursery.*),
Ri'aya (est.riaya-khcf), Hafez (hafez.*) and entrepreneurial establishments (startup.*): who may
apply, the form's checks, the amount with its working, and what approval changes (payments,
contribution reliefs, records)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.exceptions import ServiceError
from eservices.dates import month_after, month_start
from eservices.models import ServiceRequest
from eservices.services import request_approve
from establishments.programmes.common import open_months
from establishments.programmes.models import (
    Nursery,
    NurseryChild,
    ProgrammeEnrolment,
    ProgrammeLine,
    RiayaSubscription,
)
from individuals.models import WageRecord
from payments.models import BenefitPayment, ContributionRelief

from .factories import IndividualFactory
from .factories_programmes import (
    IBAN,
    IBAN2,
    apply,
    employee,
    form_errors,
    officer_of,
    staff_user,
)

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def officer():
    return officer_of(name="مطعم الديرة", insurance_number="410001")


@pytest.fixture
def est(officer):
    return officer.establishment


@pytest.fixture
def staff():
    return staff_user()


@pytest.fixture
def workers(est):
    """Three employees covered since 2015 with wages 300, 600 and 1,200 JD."""
    return [
        employee(est, "9811000001", name="عامل أول", wage="300.000"),
        employee(est, "9811000002", name="عامل ثان", wage="600.000"),
        employee(est, "9811000003", name="عامل ثالث", wage="1200.000"),
    ]


def ids(people) -> list[str]:
    return [p.identifier for p in people]


def this_month() -> dt.date:
    return month_start(timezone.localdate())


# --- who may apply --------------------------------------------------------------------------------

CODES = [
    "edef.tadamon-temp-stop",
    "edef.istidama-unauthorized",
    "edef.istidama-recovery",
    "edef.suspend-old-age-3-5",
    "edef.partial-old-age",
    "edef.tadamon2",
    "edef.recall",
    "edef.himaya",
    "nursery.add-child",
    "nursery.accredit-care",
    "nursery.accredit-costs",
    "est.riaya-khcf",
    "hafez.add-trainees",
    "hafez.accredit",
    "startup.old-age-suspension",
    "startup.benefit",
]


@pytest.mark.parametrize("code", CODES)
def test_an_individual_is_told_the_service_is_for_establishments(client, code):
    client.force_login(IndividualFactory().user)
    page = client.get(f"/service/{code}/")
    assert page.status_code == 200
    assert "هذه الخدمة لضباط ارتباط المنشآت" in page.content.decode()
    assert client.post(f"/service/{code}/").status_code == 200  # no draft is made
    assert not ServiceRequest.objects.filter(service_code=code).exists()


@pytest.mark.parametrize("code", CODES)
def test_start_page_says_who_and_how_long(client, officer, code):
    client.force_login(officer.user)
    page = client.get(f"/service/{code}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "not available" not in html


def test_provisional_figures_are_said_so_on_the_start_page(client, officer):
    client.force_login(officer.user)
    html = client.get("/service/hafez.add-trainees/").content.decode()
    assert "150" in html and ("مؤقت" in html or "provisional" in html)
    html = client.get("/service/edef.tadamon-temp-stop/").content.decode()
    assert "165" in html and "500" in html


def test_a_closed_establishment_cannot_apply(client, officer, est):
    est.status = "closed"
    est.save()
    client.force_login(officer.user)
    client.post("/service/edef.himaya/")
    assert not ServiceRequest.objects.filter(service_code="edef.himaya").exists()


def test_programme_months_come_from_the_rule_table():
    months = open_months("edef.tadamon1.open")
    assert months[0] == dt.date(2020, 5, 1) and months[-1] == dt.date(2020, 12, 1)
    assert open_months("edef.old_age_3_5.open") == [
        dt.date(2020, 3, 1),
        dt.date(2020, 4, 1),
        dt.date(2020, 5, 1),
    ]
    himaya = open_months("edef.himaya.open")
    assert himaya[-1] == dt.date(2022, 6, 1)  # to June 2022 (J47)


# --- Tadamon 1: temporary stop ------------------------------------------------------------------


def tadamon_answers(people, months=("2020-05", "2020-06"), **kw):
    return {
        "employees": ids(people),
        "months": list(months),
        "stop_reason": "توقف العمل بقرار الإغلاق",
        "bank": "arab_bank",
        "iban": IBAN,
        **kw,
    }


class TestTadamon:
    def test_amount_is_half_the_wage_between_165_and_500(self, client, officer, workers):
        req, check = apply(client, officer.user, "edef.tadamon-temp-stop", tadamon_answers(workers))
        # 300 → 150 raised to 165; 600 → 300; 1,200 → 600 lowered to 500; two months
        assert req.amount == D("1930.000")
        html = check.content.decode()
        assert "1930.000" in html and "2020-05" in html
        assert {r["key"] for r in req.working["rules"]} >= {
            "edef.tadamon1.share",
            "edef.tadamon1.min",
            "edef.tadamon1.max",
        }

    def test_approval_pays_each_worker_and_month_and_stops_contributions(
        self, client, officer, est, workers, staff
    ):
        req, _ = apply(client, officer.user, "edef.tadamon-temp-stop", tadamon_answers(workers))
        request_approve(req=req, staff=staff)
        lines = ProgrammeLine.objects.filter(request=req).order_by("month", "individual_id")
        assert [(ln.month.month, ln.amount) for ln in lines] == [
            (5, D("165.000")),
            (5, D("300.000")),
            (5, D("500.000")),
            (6, D("165.000")),
            (6, D("300.000")),
            (6, D("500.000")),
        ]
        payments = BenefitPayment.objects.filter(request=req)
        assert payments.count() == 6 and sum(p.amount for p in payments) == D("1930.000")
        assert all(p.iban == IBAN and p.status == "scheduled" for p in payments)
        assert all(ln.payment_id for ln in lines)
        reliefs = ContributionRelief.objects.filter(request=req)
        # every branch, for exactly these 3 workers and 2 months
        assert reliefs.count() == 3 * 2 * 4
        assert set(reliefs.values_list("individual_id", flat=True)) == {w.pk for w in workers}
        assert set(reliefs.values_list("month", flat=True)) == {
            dt.date(2020, 5, 1),
            dt.date(2020, 6, 1),
        }

    def test_only_open_months_are_offered(self, client, officer, workers):
        req, resp = apply(
            client,
            officer.user,
            "edef.tadamon-temp-stop",
            tadamon_answers(workers, months=("2021-03",)),
            expect_ok=False,
        )
        assert "months" in form_errors(resp)

    def test_a_worker_not_covered_that_month_is_refused(self, client, officer, est):
        late = employee(est, "9811000009", name="عامل جديد", start=dt.date(2020, 6, 10))
        _req, resp = apply(
            client,
            officer.user,
            "edef.tadamon-temp-stop",
            tadamon_answers([late]),
            expect_ok=False,
        )
        errors = form_errors(resp)["employees"]
        assert any("2020-05" in e and "عامل جديد" in e for e in errors)
        assert not any("2020-06" in e for e in errors)  # covered from the 10th of June

    def test_the_wage_record_of_the_month_is_used(self, client, officer, est, workers):
        WageRecord.objects.create(
            individual=workers[1],
            establishment=est,
            month=dt.date(2020, 5, 1),
            wage=D("700.000"),
            coverage="mandatory",
        )
        req, _ = apply(
            client,
            officer.user,
            "edef.tadamon-temp-stop",
            tadamon_answers([workers[1]], months=("2020-05",)),
        )
        assert req.amount == D("350.000")

    def test_a_worker_month_is_supported_once(self, client, officer, workers, staff):
        req, _ = apply(client, officer.user, "edef.tadamon-temp-stop", tadamon_answers(workers[:1]))
        request_approve(req=req, staff=staff)
        _req, resp = apply(
            client,
            officer.user,
            "edef.istidama-recovery",
            {
                "employees": ids(workers[:1]),
                "months": ["2020-06", "2020-07"],
                "activity": "tourism",
                "revenue_drop": "60",
                "bank": "arab_bank",
                "iban": IBAN,
            },
            expect_ok=False,
        )
        errors = form_errors(resp)["employees"]
        assert any("2020-06" in e for e in errors) and not any("2020-07" in e for e in errors)


class TestRecall:
    def test_recall_stops_the_remaining_months_of_chosen_workers(
        self, client, officer, est, workers, staff
    ):
        stop, _ = apply(
            client,
            officer.user,
            "edef.tadamon-temp-stop",
            tadamon_answers(workers[:2], months=("2020-05", "2020-06", "2020-07")),
        )
        request_approve(req=stop, staff=staff)
        recall, _ = apply(
            client,
            officer.user,
            "edef.recall",
            {"employees": [workers[0].identifier], "return_month": "2020-06", "reason": "عاد"},
        )
        request_approve(req=recall, staff=staff)
        lines = {(ln.individual_id, ln.month.month): ln for ln in stop.programme_lines.all()}
        a, b = workers[0].pk, workers[1].pk
        assert lines[(a, 5)].status == "active" and lines[(a, 5)].payment.status == "scheduled"
        for m in (6, 7):
            assert lines[(a, m)].status == "recalled" and lines[(a, m)].recalled_by == recall
            assert lines[(a, m)].payment.status == "stopped"
            assert lines[(b, m)].status == "active"
        months_left = set(
            ContributionRelief.objects.filter(request=stop, individual_id=a).values_list(
                "month", flat=True
            )
        )
        assert months_left == {dt.date(2020, 5, 1)}  # June and July are billed again
        assert ContributionRelief.objects.filter(request=stop, individual_id=b).count() == 12

    def test_recall_needs_a_stop(self, client, officer):
        client.force_login(officer.user)
        html = client.get("/service/edef.recall/").content.decode()
        assert "تضامن" in html or "Tadamon" in html
        client.post("/service/edef.recall/")
        assert not ServiceRequest.objects.filter(service_code="edef.recall").exists()

    def test_a_paid_month_cannot_be_recalled(self, client, officer, workers, staff):
        stop, _ = apply(
            client, officer.user, "edef.tadamon-temp-stop", tadamon_answers(workers[:1])
        )
        request_approve(req=stop, staff=staff)
        BenefitPayment.objects.filter(request=stop).update(status="paid")
        _r, resp = apply(
            client,
            officer.user,
            "edef.recall",
            {"employees": [workers[0].identifier], "return_month": "2020-05", "reason": "عاد"},
            expect_ok=False,
        )
        assert "return_month" in form_errors(resp)


# --- Istidama and Himaya --------------------------------------------------------------------------


def support_answers(people, months, **kw):
    return {
        "employees": ids(people),
        "months": list(months),
        "bank": "housing_bank",
        "iban": IBAN,
        **kw,
    }


class TestIstidama:
    def test_recovery_share_changes_with_the_rule_rows(self, client, officer, workers, staff):
        req, _ = apply(
            client,
            officer.user,
            "edef.istidama-recovery",
            support_answers(
                workers[2:], ("2020-06", "2021-07"), activity="tourism", revenue_drop="55"
            ),
            docs=("financial_statement",),
        )
        # 2020-06: 37.5% of 1,200 = 450; 2021-07: 60% of min(1,200, 800) = 480
        assert req.amount == D("930.000")
        request_approve(req=req, staff=staff)
        amounts = sorted(
            BenefitPayment.objects.filter(request=req).values_list("amount", flat=True)
        )
        assert amounts == [D("450.000"), D("480.000")]
        assert not ContributionRelief.objects.filter(request=req).exists()  # wages still billed

    def test_recovery_needs_the_financial_statement(self, client, officer, workers):
        client.force_login(officer.user)
        req, _ = apply(
            client,
            officer.user,
            "edef.istidama-recovery",
            support_answers(workers[:1], ("2020-06",), activity="tourism", revenue_drop="55"),
            expect_ok=False,
        )
        assert req.status == "draft"

    def test_unauthorized_pays_half(self, client, officer, workers):
        req, _ = apply(
            client,
            officer.user,
            "edef.istidama-unauthorized",
            support_answers(workers[:2], ("2020-07",), activity="tourism", decision="قرار 12/2020"),
        )
        assert req.amount == D("450.000")  # 150 + 300

    def test_himaya_to_june_2022(self, client, officer, workers, staff):
        req, check = apply(
            client,
            officer.user,
            "edef.himaya",
            support_answers(workers[1:2], ("2022-06",), sector="tourism", licence_number="T-77"),
            docs=("licence",),
        )
        assert req.amount == D("360.000")  # 60% of 600
        _r, resp = apply(
            client,
            officer.user,
            "edef.himaya",
            support_answers(workers[:1], ("2022-07",), sector="tourism", licence_number="T-77"),
            expect_ok=False,
        )
        assert "months" in form_errors(resp)


# --- Tadamon 2 --------------------------------------------------------------------------------------


class TestTadamon2:
    def test_150_for_each_worker_of_a_young_establishment(self, client, staff):
        officer = officer_of(coverage_date=dt.date(2019, 10, 1), insurance_number="410777")
        est = officer.establishment
        a = employee(est, "9812000001", name="أ", start=dt.date(2019, 10, 1))
        b = employee(est, "9812000002", name="ب", start=dt.date(2020, 1, 1))
        answers = {"employees": ids([a, b]), "month": "2020-05", "bank": "arab_bank", "iban": IBAN}
        req, _ = apply(client, officer.user, "edef.tadamon2", answers)
        assert req.amount == D("300.000")
        request_approve(req=req, staff=staff)
        assert sorted(
            BenefitPayment.objects.filter(request=req).values_list("amount", flat=True)
        ) == [
            D("150.000"),
            D("150.000"),
        ]
        # once for each worker
        _r, resp = apply(client, officer.user, "edef.tadamon2", answers, expect_ok=False)
        assert "employees" in form_errors(resp)

    def test_an_establishment_covered_a_year_or_more_is_refused(self, client, officer, workers):
        answers = {
            "employees": ids(workers[:1]),
            "month": "2020-05",
            "bank": "arab_bank",
            "iban": IBAN,
        }
        _r, resp = apply(client, officer.user, "edef.tadamon2", answers, expect_ok=False)
        assert "month" in form_errors(resp)


# --- old-age suspension (the bill's side is in test_programmes_billing.py) -----------------------


class TestOldAgeSuspension:
    def test_months_3_4_5_for_all_employees(self, client, officer, est, workers, staff):
        req, _ = apply(
            client,
            officer.user,
            "edef.suspend-old-age-3-5",
            {"year": "2020", "scope": "all", "reason": "جائحة"},
        )
        assert req.data["months"] == "2020-03,2020-04,2020-05"
        request_approve(req=req, staff=staff)
        reliefs = ContributionRelief.objects.filter(request=req)
        assert [(r.month.month, r.individual_id, r.branch) for r in reliefs.order_by("month")] == [
            (3, None, "old_age"),
            (4, None, "old_age"),
            (5, None, "old_age"),
        ]
        assert all(r.employer_waived == 1 and r.employee_waived == 1 for r in reliefs)
        # the same months cannot be suspended twice
        _r, resp = apply(
            client,
            officer.user,
            "edef.suspend-old-age-3-5",
            {"year": "2020", "scope": "chosen", "employees": ids(workers[:1]), "reason": "x"},
            expect_ok=False,
        )
        assert len(form_errors(resp)["__all__"]) == 3  # March, April and May

    def test_chosen_employees_only(self, client, officer, workers, staff):
        req, _ = apply(
            client,
            officer.user,
            "edef.suspend-old-age-3-5",
            {"year": "2020", "scope": "chosen", "employees": ids(workers[:2]), "reason": "جائحة"},
        )
        request_approve(req=req, staff=staff)
        got = set(
            ContributionRelief.objects.filter(request=req).values_list("individual_id", "month")
        )
        assert got == {(w.pk, dt.date(2020, m, 1)) for w in workers[:2] for m in (3, 4, 5)}

    def test_partial_waives_the_rule_share(self, client, officer, workers, staff):
        req, _ = apply(
            client,
            officer.user,
            "edef.partial-old-age",
            {
                "mode": "partial",
                "scope": "chosen",
                "employees": ids(workers[:1]),
                "months": ["2020-07", "2020-08"],
                "reason": "تراجع الإيرادات",
            },
        )
        request_approve(req=req, staff=staff)
        reliefs = list(ContributionRelief.objects.filter(request=req))
        assert len(reliefs) == 2
        assert all(r.employer_waived == D("0.5") == r.employee_waived for r in reliefs)

    def test_suspend_mode_waives_all(self, client, officer, workers, staff):
        req, _ = apply(
            client,
            officer.user,
            "edef.partial-old-age",
            {"mode": "suspend", "scope": "all", "months": ["2020-09"], "reason": "x"},
        )
        request_approve(req=req, staff=staff)
        (r,) = ContributionRelief.objects.filter(request=req)
        assert r.individual_id is None and r.employer_waived == 1 and r.month == dt.date(2020, 9, 1)


# --- nursery care -----------------------------------------------------------------------------------


def nursery_answers(**kw):
    return {
        "name": "حضانة البراعم",
        "licence_number": "MSD-2231",
        "licence_expiry": (timezone.localdate() + dt.timedelta(days=400)).isoformat(),
        "governorate": "إربد",
        "address": "شارع الجامعة",
        "capacity": "40",
        "children_enrolled": "22",
        "monthly_fee": "80.000",
        "bank": "bank_of_jordan",
        "iban": IBAN2,
        **kw,
    }


@pytest.fixture
def nursery(client, staff):
    officer = officer_of(name="حضانة البراعم", insurance_number="420001")
    req, _ = apply(
        client, officer.user, "nursery.accredit-care", nursery_answers(), docs=("licence",)
    )
    request_approve(req=req, staff=staff)
    return Nursery.objects.get(request=req)


class TestNursery:
    def test_accredited_in_the_care_programme_once(self, client, nursery):
        assert nursery.programme == "care" and nursery.iban == IBAN2
        client.force_login(nursery.establishment.liaison_officer.user)
        client.post("/service/nursery.accredit-care/")
        assert not ServiceRequest.objects.filter(
            service_code="nursery.accredit-care", status="draft"
        ).exists()

    def test_add_child_pays_the_nursery(self, client, officer, est, nursery, staff):
        mother = employee(est, "9813000001", name="أم عاملة", wage="400.000", sex="F")
        first = this_month()
        answers = {
            "mother": mother.identifier,
            "child_name": "سلمى",
            "child_birth_date": (timezone.localdate() - dt.timedelta(days=300)).isoformat(),
            "nursery": str(nursery.pk),
            "first_month": first.strftime("%Y-%m"),
            "monthly_fee": "80.000",
        }
        req, _ = apply(
            client,
            officer.user,
            "nursery.add-child",
            answers,
            docs=("birth_certificate", "enrolment"),
        )
        assert req.amount == D("360.000")  # min(80, 60) × 6
        request_approve(req=req, staff=staff)
        child = NurseryChild.objects.get(request=req)
        assert child.monthly_support == D("60.000") and child.nursery == nursery
        assert child.last_month == month_after(first, 5)
        pays = list(BenefitPayment.objects.filter(request=req).order_by("sequence"))
        assert len(pays) == 6 and {p.iban for p in pays} == {IBAN2}
        assert pays[0].due_date == month_after(first, 1)

    def test_mother_over_the_wage_limit_is_refused(self, client, officer, est, nursery):
        mother = employee(est, "9813000002", name="أم", wage="1100.000", sex="F")
        answers = {
            "mother": mother.identifier,
            "child_name": "ليث",
            "child_birth_date": (timezone.localdate() - dt.timedelta(days=100)).isoformat(),
            "nursery": str(nursery.pk),
            "first_month": this_month().strftime("%Y-%m"),
            "monthly_fee": "50.000",
        }
        client.force_login(officer.user)
        client.post("/service/nursery.add-child/")
        req = ServiceRequest.objects.get(service_code="nursery.add-child")
        client.post(f"/requests/{req.pk}/answers/", {**answers, "continue": "1"})
        check = client.get(f"/requests/{req.pk}/check/").content.decode()
        assert "1000" in check  # the reason names the limit
        req.refresh_from_db()
        client.post(f"/requests/{req.pk}/check/", {"token": str(req.submit_token)})
        req.refresh_from_db()
        assert req.status == "draft"

    def test_only_women_employees_are_offered(self, client, officer, est, nursery):
        man = employee(est, "9813000003", name="رجل", sex="M")
        woman = employee(est, "9813000004", name="امرأة", sex="F")
        client.force_login(officer.user)
        client.post("/service/nursery.add-child/")
        req = ServiceRequest.objects.get(service_code="nursery.add-child")
        html = client.get(f"/requests/{req.pk}/answers/").content.decode()
        assert woman.identifier in html and man.identifier not in html

    def test_operating_costs_contribution_capped_and_in_instalments(self, client, staff):
        officer = officer_of(name="حضانة الفرح", insurance_number="420002")
        req, check = apply(
            client,
            officer.user,
            "nursery.accredit-costs",
            nursery_answers(
                monthly_rent="500", monthly_salaries="1500", monthly_contributions="300"
            ),
            docs=("licence", "lease", "payroll"),
        )
        # 2,300 × 12 × 50% = 13,800 → at most 10,000 a year
        assert req.amount == D("10000.000")
        assert "13800.000" in check.content.decode()
        request_approve(req=req, staff=staff)
        pays = list(BenefitPayment.objects.filter(request=req).order_by("sequence"))
        assert len(pays) == 12
        assert pays[0].amount == D("833.333") and pays[-1].amount == D("833.337")
        assert sum(p.amount for p in pays) == D("10000.000")
        n = Nursery.objects.get(request=req)
        assert n.programme == "costs" and n.annual_contribution == D("10000.000")

    def test_operating_costs_refused_for_a_workplace_nursery_or_high_fee(self, client):
        officer = officer_of(insurance_number="420003")
        req, check = apply(
            client,
            officer.user,
            "nursery.accredit-costs",
            nursery_answers(
                monthly_rent="500",
                monthly_salaries="1500",
                monthly_contributions="300",
                monthly_fee="300",
                workplace_nursery="on",
            ),
            docs=("licence", "lease", "payroll"),
            expect_ok=False,
        )
        assert req.status == "draft"
        html = check.content.decode()
        assert "250" in html


class TestNurseryPages:
    def test_covered_lists_the_establishments_children_in_fixed_queries(
        self, client, officer, est, nursery, django_assert_max_num_queries
    ):
        first = this_month()

        def add(start, n):
            for k in range(start, start + n):
                mother = employee(est, f"98140{k:05d}", name=f"أم {k}", sex="F")
                req = ServiceRequest.objects.create(
                    applicant=officer.user,
                    service_code="nursery.add-child",
                    status="approved",
                    reference=f"NCHD-T-{k:04d}",
                )
                NurseryChild.objects.create(
                    employer=est,
                    mother=mother,
                    nursery=nursery,
                    request=req,
                    child_name=f"طفل {k}",
                    child_birth_date=dt.date(2025, 1, 1),
                    first_month=first,
                    last_month=month_after(first, 5),
                    monthly_fee=D("80"),
                    monthly_support=D("60"),
                )

        add(0, 2)
        client.force_login(officer.user)
        with django_assert_max_num_queries(12) as few:
            page = client.get("/establishments/programmes/nursery/covered/")
        assert page.status_code == 200 and "طفل 1" in page.content.decode()
        add(2, 10)
        with django_assert_max_num_queries(len(few.captured_queries)):
            page = client.get("/establishments/programmes/nursery/covered/")
        assert "طفل 11" in page.content.decode()
        # the nursery sees the children placed with it, and not another's data
        client.force_login(nursery.establishment.liaison_officer.user)
        html = client.get("/establishments/programmes/nursery/covered/").content.decode()
        assert "طفل 11" in html and est.name in html

    def test_operating_costs_page(self, client, staff, django_assert_max_num_queries):
        officer = officer_of(name="حضانة الفرح", insurance_number="420004")
        req, _ = apply(
            client,
            officer.user,
            "nursery.accredit-costs",
            nursery_answers(
                monthly_rent="400", monthly_salaries="600", monthly_contributions="100"
            ),
            docs=("licence", "lease", "payroll"),
        )
        request_approve(req=req, staff=staff)
        client.force_login(officer.user)
        with django_assert_max_num_queries(12):
            page = client.get("/establishments/programmes/nursery/operating-costs/")
        html = page.content.decode()
        # 1,100 × 12 × 50% = 6,600 a year, 550 a month
        assert "6600.000" in html and "550.000" in html and "1100.000" in html
        assert "مؤقت" in html or "provisional" in html

    @pytest.mark.parametrize(
        "url",
        [
            "/establishments/programmes/nursery/covered/",
            "/establishments/programmes/nursery/operating-costs/",
        ],
    )
    def test_pages_are_for_officers_only(self, client, url):
        assert client.get(url).status_code == 302
        client.force_login(IndividualFactory().user)
        assert client.get(url).status_code == 403


# --- Ri'aya -----------------------------------------------------------------------------------------


class TestRiaya:
    def test_premiums_by_age_and_family(self, client, officer, est, staff):
        young = employee(est, "9815000001", name="شاب", birth=dt.date(1996, 1, 1))
        older = employee(est, "9815000002", name="كهل", birth=dt.date(1975, 1, 1))
        first = month_after(this_month(), 1)
        req, check = apply(
            client,
            officer.user,
            "est.riaya-khcf",
            {
                "employees": ids([young, older]),
                "plan": "family",
                "family_members": "2",
                "first_month": first.strftime("%Y-%m"),
                "consent": "on",
            },
        )
        # under 40: 5 + 2 × 4 = 13; 40–59: 9 + 2 × 4 = 17
        assert req.amount == D("30.000")
        request_approve(req=req, staff=staff)
        subs = {s.individual_id: s for s in RiayaSubscription.objects.filter(request=req)}
        assert subs[young.pk].monthly_premium == D("13.000")
        assert subs[older.pk].monthly_premium == D("17.000")
        assert all(s.first_month == first and s.plan == "family" for s in subs.values())
        # subscribed once
        _r, resp = apply(
            client,
            officer.user,
            "est.riaya-khcf",
            {
                "employees": ids([young]),
                "plan": "individual",
                "family_members": "0",
                "first_month": first.strftime("%Y-%m"),
                "consent": "on",
            },
            expect_ok=False,
        )
        assert "employees" in form_errors(resp)


# --- Hafez ---------------------------------------------------------------------------------------


def hafez_accredit(client, officer, staff):
    req, _ = apply(
        client,
        officer.user,
        "hafez.accredit",
        {
            "registration_number": "CCD-55012",
            "company_type": "llc",
            "sector": "technology",
            "trainees_planned": "10",
            "training_field": "برمجة",
            "supervisor_name": "م. رائد",
            "supervisor_phone_0": "JO",
            "supervisor_phone_1": "0791234567",
            "supervisor_phone": "0791234567",
            "bank": "arab_bank",
            "iban": IBAN2,
        },
        docs=("registration", "training_plan"),
    )
    request_approve(req=req, staff=staff)
    return req


class TestHafez:
    def test_trainees_need_an_accredited_company(self, client, officer):
        client.force_login(officer.user)
        client.post("/service/hafez.add-trainees/")
        assert not ServiceRequest.objects.filter(service_code="hafez.add-trainees").exists()

    def test_accredit_then_add_trainees(self, client, officer, est, workers, staff):
        hafez_accredit(client, officer, staff)
        enrolment = ProgrammeEnrolment.objects.get(establishment=est, programme="hafez")
        assert enrolment.iban == IBAN2 and enrolment.details["registration_number"] == "CCD-55012"
        start = this_month()
        trainee = employee(est, "9816000001", name="متدرب", wage="400.000", start=start)
        req, _ = apply(
            client,
            officer.user,
            "hafez.add-trainees",
            {
                "employees": [trainee.identifier],
                "first_month": start.strftime("%Y-%m"),
                "months": "3",
                "training_field": "برمجة",
            },
            docs=("training_contracts",),
        )
        assert req.amount == D("450.000")  # min(400 × 50%, 150) × 3
        request_approve(req=req, staff=staff)
        pays = BenefitPayment.objects.filter(request=req)
        assert pays.count() == 3 and {p.iban for p in pays} == {IBAN2}
        assert ProgrammeLine.objects.filter(request=req, individual=trainee).count() == 3

    def test_old_employees_are_not_offered_as_trainees(self, client, officer, est, workers, staff):
        hafez_accredit(client, officer, staff)
        client.force_login(officer.user)
        client.post("/service/hafez.add-trainees/")
        req = ServiceRequest.objects.get(service_code="hafez.add-trainees")
        html = client.get(f"/requests/{req.pk}/answers/").content.decode()
        assert workers[0].identifier not in html


# --- entrepreneurial establishments ----------------------------------------------------------------


@pytest.fixture
def young_officer():
    return officer_of(
        name="شركة ناشئة",
        insurance_number="430001",
        coverage_date=timezone.localdate() - dt.timedelta(days=400),
    )


def benefit_answers(people, **kw):
    return {
        "certificate_number": "ENT-2024-118",
        "innovation_field": "تطبيقات الدفع",
        "founders": "2",
        "employees": ids(people),
        "first_month": this_month().strftime("%Y-%m"),
        "bank": "arab_bank",
        "iban": IBAN,
        **kw,
    }


class TestStartup:
    def test_an_old_establishment_is_not_entrepreneurial(self, client, officer):
        client.force_login(officer.user)
        html = client.get("/service/startup.benefit/").content.decode()
        assert "5" in html
        client.post("/service/startup.benefit/")
        assert not ServiceRequest.objects.filter(service_code="startup.benefit").exists()

    def test_benefit_pays_each_employee_monthly(self, client, young_officer, staff):
        est = young_officer.establishment
        start = est.coverage_date
        a = employee(est, "9817000001", name="مطور", wage="450.000", start=start)
        employee(est, "9817000002", name="مدير", wage="900.000", start=start)
        req, _ = apply(
            client,
            young_officer.user,
            "startup.benefit",
            benefit_answers([a]),
            docs=("certificate",),
        )
        assert req.amount == D("360.000")  # 30 × 12
        request_approve(req=req, staff=staff)
        assert ProgrammeEnrolment.objects.filter(establishment=est, programme="startup").exists()
        assert BenefitPayment.objects.filter(request=req).count() == 12

    def test_suspend_then_resume_old_age(self, client, young_officer, staff):
        est = young_officer.establishment
        start = est.coverage_date
        a = employee(est, "9817000011", name="مطور", wage="450.000", start=start)
        b = employee(est, "9817000012", name="مصمم", wage="480.000", start=start)
        ben, _ = apply(
            client,
            young_officer.user,
            "startup.benefit",
            benefit_answers([a]),
            docs=("certificate",),
        )
        request_approve(req=ben, staff=staff)
        first = this_month()
        sus, _ = apply(
            client,
            young_officer.user,
            "startup.old-age-suspension",
            {
                "action": "suspend",
                "employees": ids([a, b]),
                "from_month": first.strftime("%Y-%m"),
                "months": "4",
                "reason": "بداية النشاط",
            },
        )
        request_approve(req=sus, staff=staff)
        assert ContributionRelief.objects.filter(request=sus, branch="old_age").count() == 8
        res, _ = apply(
            client,
            young_officer.user,
            "startup.old-age-suspension",
            {
                "action": "resume",
                "employees": ids([a]),
                "from_month": month_after(first, 2).strftime("%Y-%m"),
                "months": "1",
                "reason": "تحسن الإيرادات",
            },
        )
        request_approve(req=res, staff=staff)
        left = set(
            ContributionRelief.objects.filter(request=sus).values_list("individual_id", "month")
        )
        assert left == {(a.pk, first), (a.pk, month_after(first, 1))} | {
            (b.pk, month_after(first, k)) for k in range(4)
        }

    def test_suspension_limited_in_months(self, client, young_officer, staff):
        est = young_officer.establishment
        a = employee(est, "9817000021", name="مطور", wage="450.000", start=est.coverage_date)
        ben, _ = apply(
            client,
            young_officer.user,
            "startup.benefit",
            benefit_answers([a]),
            docs=("certificate",),
        )
        request_approve(req=ben, staff=staff)
        from eservices.models import Rule

        Rule.objects.filter(key="startup.old_age.max_months").update(value=3)
        _r, resp = apply(
            client,
            young_officer.user,
            "startup.old-age-suspension",
            {
                "action": "suspend",
                "employees": ids([a]),
                "from_month": this_month().strftime("%Y-%m"),
                "months": "4",
                "reason": "x",
            },
            expect_ok=False,
        )
        assert "months" in form_errors(resp)

    def test_suspension_needs_the_benefit_first(self, client, young_officer):
        client.force_login(young_officer.user)
        client.post("/service/startup.old-age-suspension/")
        assert not ServiceRequest.objects.filter(service_code="startup.old-age-suspension").exists()


def test_approval_refuses_a_double_support_raced_in(client, officer, workers, staff):
    """Two requests for the same worker and month sent before either is decided: the second
    approval is refused and nothing of it is saved."""
    first, _ = apply(client, officer.user, "edef.tadamon-temp-stop", tadamon_answers(workers[:1]))
    second, _ = apply(
        client,
        officer.user,
        "edef.istidama-recovery",
        support_answers(workers[:1], ("2020-06",), activity="tourism", revenue_drop="55"),
        docs=("financial_statement",),
    )
    request_approve(req=first, staff=staff)
    with pytest.raises(ServiceError):
        request_approve(req=second, staff=staff)
    second.refresh_from_db()
    assert second.status == "submitted"
    assert not BenefitPayment.objects.filter(request=second).exists()


def test_demo_data_is_idempotent_and_usable(client):
    from eservices import demo as base_demo
    from establishments.programmes import demo

    base_demo.seed()
    rows = demo.seed()
    demo.seed()
    assert len(rows) == 2
    nursery = Nursery.objects.get(establishment__insurance_number="100800")
    assert nursery.programme == "care" and nursery.request.status == "approved"
    # the startup is not enrolled until it asks
    assert not ProgrammeEnrolment.objects.filter(establishment__insurance_number="100900").exists()
    from establishments.models import Establishment

    startup = Establishment.objects.get(insurance_number="100900")
    client.force_login(startup.liaison_officer.user)
    client.post("/service/startup.benefit/")
    assert ServiceRequest.objects.filter(
        applicant=startup.liaison_officer.user, service_code="startup.benefit", status="draft"
    ).exists()
