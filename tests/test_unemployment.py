"""Unemployment services: the allowance (unemp.request), stopping it (unemp.stop), and the payouts
from the unemployment savings balance (def.musaned1, def.musaned2-savings): the calculations at
every boundary of RULES.md, the request lifecycle through the pages, and the calculator API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from accounts import sms
from accounts.exceptions import ServiceError
from eservices.dates import month_after, month_start
from eservices.declarations import get_request_service
from eservices.models import Notification, ServiceRequest
from eservices.rules import Working
from eservices.services import request_approve, request_reject, request_review_start
from individuals.benefits.unemployment import (
    MUSANED1,
    MUSANED2,
    UNEMP_REQUEST,
    UNEMP_STOP,
    musaned1_advance,
    musaned2_payout,
    savings_balance,
    savings_for_person,
    split_equal,
    unemployment_allowance,
    unemployment_for_person,
)
from individuals.models import InsurancePeriod, WageRecord
from payments.models import BenefitPayment

from .factories import EstablishmentFactory, IndividualFactory, UserFactory

pytestmark = pytest.mark.django_db
IBAN = "JO71CBJO0000000000001234567890"  # valid mod-97
D = Decimal
CLAIM = dt.date(2026, 5, 20)


def this_month() -> dt.date:
    return month_start(timezone.localdate())


def history(person, count, *, wage="800.000", last=None, unemployment=True, establishment=None):
    """``count`` contribution months of ``person`` ending with ``last`` (default: last month)."""
    last = last or month_after(this_month(), -1)
    establishment = establishment or EstablishmentFactory()
    WageRecord.objects.bulk_create(
        WageRecord(
            individual=person,
            establishment=establishment,
            month=month_after(last, -k),
            wage=D(wage),
            coverage="mandatory",
            unemployment=unemployment,
        )
        for k in range(count)
    )
    return establishment


@pytest.fixture
def staff():
    return UserFactory(id_type="staff", id_number="clerk", is_staff=True, is_superuser=True)


@pytest.fixture
def worker():
    """A man of 40 out of work since last month, with 200 contributions at 800 JD."""
    person = IndividualFactory(sex="M", birth_date=dt.date(1986, 5, 14), name_ar="سامر علي")
    person.employer = history(person, 200)
    return person


def allowance(**kw):
    data = {
        "birth_date": dt.date(1985, 4, 2),
        "sex": "M",
        "claim_date": CLAIM,
        "contributions": 200,
        "unemployment_contributions": 120,
        "last_insured_wage": D("800.000"),
    }
    data.update(kw)
    return unemployment_allowance(**data)


def wage_rows(*pairs, unemployment=True):
    return [{"month": m, "wage": D(w), "unemployment": unemployment} for m, w in pairs]


# --- The allowance ----------------------------------------------------------------------------


class TestAllowance:
    def test_worked_example_six_months_with_the_cap(self):
        fig = allowance()
        assert fig.payable and fig.reasons == []
        amounts = [p.amount for p in fig.payments]
        # 800 × 0.75 = 600 > 555; 800 × 0.65; 800 × 0.55; 800 × 0.45 three times
        assert amounts == [D("555.000"), D("520.000"), D("440.000")] + [D("360.000")] * 3
        assert [p.capped for p in fig.payments] == [True] + [False] * 5
        assert fig.amount == D("2595.000")
        assert [p.due_date for p in fig.payments] == [
            dt.date(2026, 6, 1),
            dt.date(2026, 7, 1),
            dt.date(2026, 8, 1),
            dt.date(2026, 9, 1),
            dt.date(2026, 10, 1),
            dt.date(2026, 11, 1),
        ]
        assert {
            "unemp.min_contributions",
            "oldage.age_men",
            "unemp.max_claims",
            "unemp.long_threshold",
            "unemp.monthly_cap",
            "unemp.rate_month_1",
            "unemp.rate_month_2",
            "unemp.rate_month_3",
            "unemp.rate_month_4_6",
        } == set(fig.working.rules)
        assert not fig.working.provisional
        # the working shows each month
        month_lines = [ln for ln in fig.working.lines if ln["formula"].startswith("800.000 ×")]
        assert [ln["value"] for ln in month_lines] == [f"{a:.3f}" for a in amounts]
        assert month_lines[0]["formula"] == "800.000 × 0.75 = 600 > 555"
        assert fig.working.lines[-1]["value"] == "2595.000"

    @pytest.mark.parametrize(("contributions", "months"), [(179, 3), (180, 6)])
    def test_three_or_six_months(self, contributions, months):
        fig = allowance(contributions=contributions)
        assert len(fig.payments) == months
        assert fig.amount == (D("1515.000") if months == 3 else D("2595.000"))

    @pytest.mark.parametrize(("contributions", "payable"), [(35, False), (36, True)])
    def test_thirty_six_contributions(self, contributions, payable):
        fig = allowance(contributions=contributions, unemployment_contributions=1)
        assert fig.payable is payable
        if not payable:
            with translation.override("en"):
                fig = allowance(contributions=contributions, unemployment_contributions=1)
            assert fig.reasons == [
                "36 contributions are needed for the unemployment allowance; the record has 35."
            ]
            assert fig.amount is None and fig.payments == []

    def test_the_cap_applies_to_each_month(self):
        fig = allowance(last_insured_wage=D("1000.000"))
        # 750 and 650 are cut to 555; 550 and 450 are not
        assert [p.amount for p in fig.payments] == [D("555.000")] * 2 + [D("550.000")] + [
            D("450.000")
        ] * 3
        fig = allowance(last_insured_wage=D("740.000"))  # 740 × 0.75 = 555 exactly: not cut
        assert fig.payments[0].amount == D("555.000") and not fig.payments[0].capped

    def test_each_month_rounds_half_up_to_the_fils(self):
        fig = allowance(last_insured_wage=D("100.006"), contributions=36)
        # 75.0045 → 75.005 (half up, not half even); 65.0039 → 65.004; 55.0033 → 55.003
        assert [p.amount for p in fig.payments] == [D("75.005"), D("65.004"), D("55.003")]
        assert fig.amount == D("195.012")

    def test_no_unemployment_branch_contribution(self):
        with translation.override("en"):
            fig = allowance(unemployment_contributions=0)
        assert not fig.payable
        assert fig.reasons == [
            "At least one contribution to the unemployment branch is needed; the record has none."
        ]

    @pytest.mark.parametrize(
        ("sex", "years", "payable"),
        [("M", 59, True), ("M", 60, False), ("F", 54, True), ("F", 55, False)],
    )
    def test_under_the_old_age_age(self, sex, years, payable):
        birthday = CLAIM.replace(year=CLAIM.year - years)  # exactly ``years`` on the claim date
        fig = allowance(sex=sex, birth_date=birthday)
        assert fig.payable is payable
        key = "oldage.age_men" if sex == "M" else "oldage.age_women"
        assert key in fig.working.rules
        if not payable:
            assert str(years) in fig.reasons[0]

    def test_the_day_before_the_birthday_is_still_under_the_age(self):
        birthday = CLAIM.replace(year=CLAIM.year - 60) + dt.timedelta(days=1)
        assert allowance(birth_date=birthday).payable

    @pytest.mark.parametrize(("previous", "payable"), [(2, True), (3, False)])
    def test_at_most_three_claims(self, previous, payable):
        fig = allowance(previous_claims=previous, new_contributions_since_last_claim=40)
        assert fig.payable is payable
        if not payable:
            with translation.override("en"):
                fig = allowance(previous_claims=previous, new_contributions_since_last_claim=40)
            assert "at most 3 times" in fig.reasons[0]

    @pytest.mark.parametrize(("new", "payable"), [(35, False), (36, True)])
    def test_thirty_six_new_contributions_between_claims(self, new, payable):
        fig = allowance(previous_claims=1, new_contributions_since_last_claim=new)
        assert fig.payable is payable
        assert "unemp.new_contributions" in fig.working.rules
        if not payable:
            with translation.override("en"):
                fig = allowance(previous_claims=1, new_contributions_since_last_claim=new)
            assert fig.reasons == [
                "36 new contributions are needed since the last approved claim; the record has 35."
            ]

    def test_a_first_claim_needs_no_new_contributions(self):
        fig = allowance(previous_claims=0, new_contributions_since_last_claim=None)
        assert fig.payable and "unemp.new_contributions" not in fig.working.rules

    def test_covered_now_and_no_wage_are_reasons_too(self):
        fig = allowance(currently_insured=True, last_insured_wage=None, contributions=10)
        assert len(fig.reasons) == 3


# --- The balance and the Musaned payouts ------------------------------------------------------


class TestSavings:
    def test_balance_worked_example_rounds_once_at_the_end(self):
        w = Working()
        rows = wage_rows(
            (dt.date(2025, 1, 1), "100.033"),
            (dt.date(2025, 2, 1), "100.033"),
            (dt.date(2025, 3, 1), "100.033"),
        ) + wage_rows((dt.date(2025, 4, 1), "900.000"), unemployment=False)
        # 300.099 × (0.01 + 0.005) = 4.501485 → 4.501 (rounding each month would give 4.500)
        assert savings_balance(w, wages=rows) == D("4.501")
        assert set(w.rules) == {"contrib.unemployment.employee", "contrib.unemployment.employer"}
        assert w.lines[0]["formula"] == "300.099 × (0.01 + 0.005)"
        assert w.lines[0]["value"] == "4.501485"

    def test_earlier_draws_are_taken_off(self):
        w = Working()
        rows = wage_rows(*((dt.date(2024, m, 1), "1000.000") for m in range(1, 11)))
        assert savings_balance(w, wages=rows, earlier_draws=[D("30"), D("20.000")]) == D("100.000")
        assert w.lines[-1]["formula"] == "150.000 − 50.000"

    def test_months_before_any_rate_row_do_not_count(self):
        w = Working()
        rows = wage_rows((dt.date(2010, 1, 1), "500"), (dt.date(2020, 1, 1), "500"))
        assert savings_balance(w, wages=rows) == D("7.500")
        assert w.lines[0]["value"] == "1"  # one month not counted, shown

    def test_musaned1_is_seventy_percent_in_three_payments_the_last_takes_the_remainder(self):
        rows = wage_rows(*((dt.date(2024, m, 1), "1000.000") for m in range(1, 11)))
        fig = musaned1_advance(wages=rows, earlier_draws=[D("50")], claim_date=CLAIM)
        assert fig.payable and fig.balance == D("100.000")
        assert fig.amount == D("70.000")
        assert [p.amount for p in fig.payments] == [D("23.333"), D("23.333"), D("23.334")]
        assert [p.due_date for p in fig.payments] == [
            dt.date(2026, 6, 1),
            dt.date(2026, 7, 1),
            dt.date(2026, 8, 1),
        ]
        assert fig.working.provisional  # musaned1.months is a [default] row
        assert fig.working.lines[-1]["formula"] == "70.000 − 23.333 × 2"

    def test_split_never_makes_an_empty_payment(self):
        assert split_equal(D("0.002"), 3) == [D("0.001"), D("0.001")]
        assert split_equal(D("10.000"), 3) == [D("3.333"), D("3.333"), D("3.334")]

    def test_musaned2_pays_the_whole_balance_once_and_is_provisional(self):
        rows = wage_rows(*((dt.date(2024, m, 1), "1000.000") for m in range(1, 11)))
        fig = musaned2_payout(wages=rows, earlier_draws=[D("105.000")], claim_date=CLAIM)
        assert fig.payable and fig.amount == D("45.000")
        assert [(p.sequence, p.amount) for p in fig.payments] == [(1, D("45.000"))]
        assert fig.working.provisional
        assert fig.working.rules["musaned2.balance_share"].is_default

    def test_no_balance_or_covered_is_not_payable(self):
        with translation.override("en"):
            fig = musaned1_advance(wages=[], claim_date=CLAIM, currently_insured=True)
        assert not fig.payable and fig.amount is None
        assert fig.reasons[0] == "There is no unemployment savings balance to draw on."
        assert "covered by insurance now" in fig.reasons[1]


# --- From the record --------------------------------------------------------------------------


class TestRecord:
    def test_the_record_gives_the_allowance(self, worker):
        fig = unemployment_for_person(worker, timezone.localdate())
        assert fig.payable and fig.amount == D("2595.000")

    def test_months_paid_out_by_a_lump_sum_do_not_count(self):
        person = IndividualFactory()
        history(person, 36)
        assert unemployment_for_person(person, timezone.localdate()).payable
        lump = ServiceRequest.objects.create(
            applicant=person.user,
            service_code="ind.lump-sum",
            status="approved",
            reference="LUMP-2020-000001",
        )
        WageRecord.objects.filter(pk=person.wages.first().pk).update(compensated_by=lump)
        fig = unemployment_for_person(person, timezone.localdate())
        assert not fig.payable and "35" in fig.reasons[0]

    def test_covered_now_by_an_open_period_or_a_wage_this_month(self, worker):
        InsurancePeriod.objects.create(
            individual=worker,
            coverage="mandatory",
            start_date=this_month() - dt.timedelta(days=40),
            monthly_wage=D("800"),
        )
        assert not unemployment_for_person(worker, timezone.localdate()).payable
        InsurancePeriod.objects.update(end_date=this_month() - dt.timedelta(days=1))
        assert unemployment_for_person(worker, timezone.localdate()).payable
        history(worker, 1, last=this_month(), establishment=worker.employer)
        assert not unemployment_for_person(worker, timezone.localdate()).payable

    def test_a_second_claim_counts_new_contributions_after_the_last_one(self):
        person = IndividualFactory()
        history(person, 100)
        submitted = timezone.make_aware(
            dt.datetime.combine(month_after(this_month(), -36), dt.time(10))
        )
        ServiceRequest.objects.create(
            applicant=person.user,
            service_code=UNEMP_REQUEST,
            status="approved",
            reference="UNEMP-2023-000001",
            submitted_at=submitted,
        )
        fig = unemployment_for_person(person, timezone.localdate())
        # the months after the month of the claim, up to last month: 35
        assert not fig.payable and fig.working.lines[4]["value"] == "35"

    def test_balance_from_the_record_less_approved_draws(self):
        person = IndividualFactory()
        history(person, 24, wage="500.000")
        history(person, 6, wage="500.000", last=month_after(this_month(), -25), unemployment=False)
        today = timezone.localdate()
        assert savings_for_person(person, today, code=MUSANED2).amount == D("180.000")
        ServiceRequest.objects.create(
            applicant=person.user,
            service_code=MUSANED1,
            status="approved",
            reference="MSND1-2026-000001",
            amount=D("126.000"),
        )
        fig = savings_for_person(person, today, code=MUSANED2)
        assert fig.balance == D("54.000") and fig.amount == D("54.000")


# --- Lifecycle through the pages --------------------------------------------------------------


def request_answers(worker, **kw) -> dict:
    end = this_month() - dt.timedelta(days=3)
    data = {
        "service_end_date": end.isoformat(),
        "end_reason": "dismissal",
        "end_reason_other": "",
        "last_employer": worker.employer.insurance_number,
        "not_working": "on",
        "bank": "arab_bank",
        "iban": IBAN,
    }
    return {**data, **kw}


def savings_answers() -> dict:
    return {"bank": "housing_bank", "iban": IBAN, "understood": "on"}


def stop_answers() -> dict:
    return {
        "reason": "found_job",
        "new_work_date": timezone.localdate().isoformat(),
        "establishment_name": "شركة الأمل",
        "details": "",
    }


def send(client, person, code, answers, capture):
    """Start the service, answer, and send it from check your answers, as a person does."""
    client.force_login(person.user)
    assert client.post(f"/service/{code}/").status_code == 302
    req = ServiceRequest.objects.get(applicant=person.user, service_code=code, status="draft")
    response = client.post(f"/requests/{req.pk}/answers/", {**answers, "continue": "1"})
    assert response.status_code == 302, response.context["form"].errors
    req.refresh_from_db()
    with capture(execute=True):
        response = client.post(f"/requests/{req.pk}/check/", {"token": str(req.submit_token)})
    req.refresh_from_db()
    return req, response


def approve(req, staff, capture):
    """Staff take the request for review, then approve it; its effects run after commit."""
    with capture(execute=True):
        for step in (request_review_start, request_approve):
            step(req=req, staff=staff)
    req.refresh_from_db()
    return req


def first_due() -> dt.date:
    return month_after(this_month(), 1)


class TestUnemploymentRequest:
    @pytest.fixture
    def sent(self, client, worker, django_capture_on_commit_callbacks):
        """The worker's claim, sent from check your answers."""
        return send(
            client,
            worker,
            UNEMP_REQUEST,
            request_answers(worker),
            django_capture_on_commit_callbacks,
        )

    def test_start_page_says_who_and_time(self, client, worker):
        client.force_login(worker.user)
        html = client.get("/service/unemp.request/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "14" in html and "60 for men, 55 for women" in html and "36" in html

    def test_ineligible_person_is_told_why_before_the_form(self, client):
        person = IndividualFactory()
        history(person, 35)
        client.force_login(person.user)
        page = client.get("/service/unemp.request/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert (
            "36 contributions are needed for the unemployment allowance; the record has 35" in page
        )
        client.post("/service/unemp.request/")
        assert not ServiceRequest.objects.exists()

    def test_check_your_answers_shows_each_month_and_the_rules(self, client, worker):
        client.force_login(worker.user)
        client.post("/service/unemp.request/")
        req = ServiceRequest.objects.get()
        client.post(f"/requests/{req.pk}/answers/", {**request_answers(worker), "continue": "1"})
        html = client.get(f"/requests/{req.pk}/check/", HTTP_ACCEPT_LANGUAGE="en")
        html = html.content.decode()
        assert "2595.000" in html and "800.000 × 0.75 = 600 &gt; 555" in html
        assert html.count("Payment ") == 6
        assert worker.employer.name in html  # the answer shown by its label

    def test_an_establishment_user_cannot_apply(self):
        spec = get_request_service(UNEMP_REQUEST)
        officer = UserFactory(id_type="establishment", id_number="200999")
        assert spec.eligibility(officer, timezone.localdate())

    def test_submit_approve_pays_each_month_from_the_month_after_the_claim(
        self, sent, client, worker, staff, django_capture_on_commit_callbacks
    ):
        req, response = sent
        assert response.url == f"/requests/{req.pk}/"
        assert req.status == "submitted" and req.reference.startswith("UNEMP-")
        assert req.amount == D("2595.000")
        assert len(req.working["rules"]) >= 9
        assert len(sms.outbox) == 1 and req.reference in sms.outbox[0].body

        req = approve(req, staff, django_capture_on_commit_callbacks)
        assert req.status == "approved"
        payments = list(BenefitPayment.objects.filter(request=req).order_by("sequence"))
        assert [p.sequence for p in payments] == [1, 2, 3, 4, 5, 6]
        assert [p.amount for p in payments] == [D("555"), D("520"), D("440")] + [D("360")] * 3
        assert [p.due_date for p in payments] == [month_after(first_due(), k) for k in range(6)]
        assert {p.iban for p in payments} == {IBAN} and {p.status for p in payments} == {
            "scheduled"
        }
        assert len(sms.outbox) == 3 and req.reference in sms.outbox[-1].body
        assert "2595" in sms.outbox[-1].body
        page = client.get(f"/requests/{req.pk}/")
        assert page.status_code == 200 and req.reference in page.content.decode()
        # a new claim now needs 36 new contributions
        with translation.override("en"):
            reasons = get_request_service(UNEMP_REQUEST).eligibility(
                worker.user, timezone.localdate()
            )
        assert reasons == [
            "36 new contributions are needed since the last approved claim; the record has 0."
        ]

    def test_approval_refuses_when_the_record_changed(self, sent, worker, staff):
        req, _ = sent
        history(worker, 1, last=this_month(), establishment=worker.employer)  # works again
        with pytest.raises(ServiceError):
            request_approve(req=req, staff=staff)
        req.refresh_from_db()
        assert req.status == "submitted" and not BenefitPayment.objects.exists()

    def test_an_establishment_not_on_the_record_is_refused(self, client, worker):
        """The form offers only the person's own establishments; another one is refused."""
        other = EstablishmentFactory()
        client.force_login(worker.user)
        client.post("/service/unemp.request/")
        req = ServiceRequest.objects.get()
        page = client.get(f"/requests/{req.pk}/answers/").content.decode()
        assert other.insurance_number not in page
        own = worker.wages.exclude(establishment=None).first().establishment
        assert f'value="{own.insurance_number}"' in page
        resp = client.post(
            f"/requests/{req.pk}/answers/",
            request_answers(worker, last_employer=other.insurance_number),
        )
        assert resp.status_code == 200 and "last_employer" in resp.context["form"].errors
        req.refresh_from_db()
        assert req.status == "draft" and not req.data

    def test_form_needs_the_declaration_and_a_reason_for_other(self, client, worker):
        client.force_login(worker.user)
        client.post("/service/unemp.request/")
        req = ServiceRequest.objects.get()
        answers = request_answers(worker, end_reason="other", iban="JO00")
        answers.pop("not_working")
        future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
        answers["service_end_date"] = future
        response = client.post(f"/requests/{req.pk}/answers/", {**answers, "continue": "1"})
        errors = response.context["form"].errors
        assert {"not_working", "end_reason_other", "iban", "service_end_date"} <= set(errors)

    def test_reject_with_reasons(self, sent, worker, staff, django_capture_on_commit_callbacks):
        req, _ = sent
        with pytest.raises(ServiceError):
            request_reject(req=req, staff=staff, reason=" ")
        with django_capture_on_commit_callbacks(execute=True):
            request_reject(req=req, staff=staff, reason="الاستقالة لا تثبت التعطل")
        req.refresh_from_db()
        assert req.status == "rejected" and not BenefitPayment.objects.exists()
        inbox = Notification.objects.filter(user=worker.user, channel="inbox").first()
        assert "الاستقالة" in inbox.body
        assert req.reference in sms.outbox[-1].body

    def test_cancel_while_undecided(
        self, sent, client, worker, staff, django_capture_on_commit_callbacks
    ):
        req, _ = sent
        # while it is being decided, a second one cannot be started
        assert get_request_service(UNEMP_REQUEST).eligibility(worker.user, timezone.localdate())
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/requests/{req.pk}/cancel/")
        req.refresh_from_db()
        assert req.status == "cancelled"
        assert req.reference in sms.outbox[-1].body
        with pytest.raises(ServiceError):
            request_approve(req=req, staff=staff)


def approved_claim(person, dues: list[dt.date]) -> ServiceRequest:
    req = ServiceRequest.objects.create(
        applicant=person.user,
        service_code=UNEMP_REQUEST,
        status="approved",
        reference=f"UNEMP-2026-{person.pk:06d}",
        submitted_at=timezone.now(),
        amount=D("300.000") * len(dues),
        data={"iban": IBAN},
    )
    for n, due in enumerate(dues, start=1):
        BenefitPayment.objects.create(
            request=req,
            beneficiary=person.user,
            service_code=UNEMP_REQUEST,
            amount=D("300.000"),
            iban=IBAN,
            due_date=due,
            sequence=n,
        )
    return req


class TestStop:
    def test_nothing_to_stop_without_scheduled_payments(self, client, worker):
        client.force_login(worker.user)
        with translation.override("en"):
            html = client.get("/service/unemp.stop/").content.decode()
        assert "لا يوجد ما يُوقف" in html
        client.post("/service/unemp.stop/")
        assert not ServiceRequest.objects.exists()

    def test_approval_stops_the_payments_from_next_month(
        self, client, worker, staff, django_capture_on_commit_callbacks
    ):
        claim = approved_claim(worker, [this_month(), first_due(), month_after(first_due(), 1)])
        req, _ = send(
            client, worker, UNEMP_STOP, stop_answers(), django_capture_on_commit_callbacks
        )
        assert req.status == "submitted" and req.reference.startswith("USTOP-")
        assert req.amount is None and req.reference in sms.outbox[0].body
        approve(req, staff, django_capture_on_commit_callbacks)
        statuses = list(claim.payments.order_by("sequence").values_list("status", flat=True))
        assert statuses == ["scheduled", "stopped", "stopped"]
        assert req.reference in sms.outbox[-1].body
        assert get_request_service(UNEMP_STOP).eligibility(worker.user, timezone.localdate())

    def test_form_needs_the_new_work(self, client, worker):
        approved_claim(worker, [first_due()])
        client.force_login(worker.user)
        client.post("/service/unemp.stop/")
        req = ServiceRequest.objects.get(service_code=UNEMP_STOP)
        answers = {**stop_answers(), "new_work_date": "", "establishment_name": ""}
        response = client.post(f"/requests/{req.pk}/answers/", {**answers, "continue": "1"})
        assert {"new_work_date", "establishment_name"} <= set(response.context["form"].errors)
        answers = {"reason": "other", "details": "", "continue": "1"}
        response = client.post(f"/requests/{req.pk}/answers/", answers)
        assert "details" in response.context["form"].errors

    def test_reject_and_cancel_leave_the_payments(
        self, client, worker, staff, django_capture_on_commit_callbacks
    ):
        claim = approved_claim(worker, [first_due(), month_after(first_due(), 1)])
        req, _ = send(
            client, worker, UNEMP_STOP, stop_answers(), django_capture_on_commit_callbacks
        )
        with django_capture_on_commit_callbacks(execute=True):
            request_reject(req=req, staff=staff, reason="لم يثبت العمل الجديد")
        assert "لم يثبت" in Notification.objects.filter(channel="inbox").first().body
        assert req.reference in sms.outbox[-1].body
        again, _ = send(
            client, worker, UNEMP_STOP, stop_answers(), django_capture_on_commit_callbacks
        )
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/requests/{again.pk}/cancel/")
        again.refresh_from_db()
        assert again.status == "cancelled" and again.reference in sms.outbox[-1].body
        assert set(claim.payments.values_list("status", flat=True)) == {"scheduled"}


@pytest.fixture
def saver():
    """24 months at 500 JD with the unemployment contribution: a balance of 180.000 JD."""
    person = IndividualFactory(name_ar="ليلى حسن", sex="F", birth_date=dt.date(1990, 1, 1))
    history(person, 24, wage="500.000")
    return person


class TestMusaned:
    def test_musaned1_then_musaned2_draw_the_balance_down(
        self, client, saver, staff, django_capture_on_commit_callbacks
    ):
        req, _ = send(
            client, saver, MUSANED1, savings_answers(), django_capture_on_commit_callbacks
        )
        assert req.status == "submitted" and req.reference.startswith("MSND1-")
        assert req.amount == D("126.000")  # 180.000 × 0.70
        assert req.working["provisional"] is True  # musaned1.months is a [default] row
        assert req.reference in sms.outbox[0].body
        # while it is being decided, neither payout can be started
        assert get_request_service(MUSANED2).eligibility(saver.user, timezone.localdate())
        approve(req, staff, django_capture_on_commit_callbacks)
        payments = list(req.payments.order_by("sequence"))
        assert [(p.sequence, p.amount) for p in payments] == [
            (1, D("42")),
            (2, D("42")),
            (3, D("42")),
        ]
        assert [p.due_date for p in payments] == [month_after(first_due(), k) for k in range(3)]
        assert req.reference in sms.outbox[-1].body

        two, _ = send(
            client, saver, MUSANED2, savings_answers(), django_capture_on_commit_callbacks
        )
        assert two.reference.startswith("MSND2-") and two.amount == D("54.000")
        assert two.working["provisional"] is True
        assert {r["key"]: r["is_default"] for r in two.working["rules"]}["musaned2.balance_share"]
        approve(two, staff, django_capture_on_commit_callbacks)
        assert [(p.sequence, p.amount, p.due_date) for p in two.payments.all()] == [
            (1, D("54.000"), first_due())
        ]
        with translation.override("en"):
            reasons = get_request_service(MUSANED1).eligibility(saver.user, timezone.localdate())
        assert reasons == ["There is no unemployment savings balance to draw on."]

    def test_provisional_share_is_said_before_starting(self, client, saver):
        client.force_login(saver.user)
        html = client.get("/service/def.musaned2-savings/", HTTP_ACCEPT_LANGUAGE="en")
        assert "100%" in html.content.decode() and "provisional" in html.content.decode()

    def test_covered_now_is_not_eligible(self, saver):
        history(saver, 1, last=this_month())
        reasons = get_request_service(MUSANED1).eligibility(saver.user, timezone.localdate())
        assert len(reasons) == 1

    @pytest.mark.parametrize(("code", "other"), [(MUSANED1, MUSANED2), (MUSANED2, MUSANED1)])
    def test_reject_and_cancel(
        self, client, saver, staff, django_capture_on_commit_callbacks, code, other
    ):
        req, _ = send(client, saver, code, savings_answers(), django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            request_reject(req=req, staff=staff, reason="الحساب البنكي لا يعود للمؤمن عليه")
        req.refresh_from_db()
        assert req.status == "rejected" and not BenefitPayment.objects.exists()
        assert req.reference in sms.outbox[-1].body
        inbox = Notification.objects.filter(user=saver.user, channel="inbox").first()
        assert "الحساب البنكي" in inbox.body
        # a rejected payout draws nothing
        assert savings_for_person(saver, timezone.localdate(), code=other).balance == D("180")
        again, _ = send(client, saver, code, savings_answers(), django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/requests/{again.pk}/cancel/")
        again.refresh_from_db()
        assert again.status == "cancelled" and again.reference in sms.outbox[-1].body


# --- API --------------------------------------------------------------------------------------

UNEMPLOYMENT_URL = "/api/v1/calculators/unemployment"
MUSANED1_URL = "/api/v1/calculators/musaned1"
MUSANED2_URL = "/api/v1/calculators/musaned2"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def post_unemployment(api, lang="en", **kw):
    body = {
        "birth_date": "1985-04-02",
        "sex": "M",
        "claim_date": "2026-05-20",
        "contributions": 200,
        "unemployment_contributions": 120,
        "last_insured_wage": "800.000",
        "previous_claims": 0,
        **kw,
    }
    return api.post(UNEMPLOYMENT_URL, body, format="json", HTTP_ACCEPT_LANGUAGE=lang)


def ten_months():
    return [
        {"month": f"2024-{m:02d}", "wage": "1000.000", "unemployment": True} for m in range(1, 11)
    ]


class TestApi:
    def test_unemployment_worked_example(self, api):
        response = post_unemployment(api)
        assert response.status_code == 200, response.content
        data = response.json()
        assert data["payable"] is True and data["amount"] == "2595.000"
        assert data["payments"][0] == {
            "sequence": 1,
            "due_date": "2026-06-01",
            "amount": "555.000",
            "rate": "0.75",
            "capped": True,
        }
        assert [p["amount"] for p in data["payments"]] == [
            "555.000",
            "520.000",
            "440.000",
            "360.000",
            "360.000",
            "360.000",
        ]
        assert data["working"]["provisional"] is False
        assert "unemp.monthly_cap" in {r["key"] for r in data["working"]["rules"]}

    def test_fewer_than_180_contributions_pay_three_months(self, api):
        data = post_unemployment(api, contributions=179).json()
        assert data["amount"] == "1515.000" and len(data["payments"]) == 3

    def test_not_payable_with_reasons(self, api):
        data = post_unemployment(
            api, contributions=35, unemployment_contributions=0, birth_date="1966-05-20"
        ).json()
        assert data["payable"] is False and data["amount"] is None and data["payments"] == []
        assert data["reasons"] == [
            "36 contributions are needed for the unemployment allowance; the record has 35.",
            "At least one contribution to the unemployment branch is needed; the record has none.",
            "The unemployment allowance is paid before the old-age age of 60; the age on the date "
            "of the claim is 60.",
        ]

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"sex": "X"}, "sex"),
            ({"contributions": -1}, "contributions"),
            ({"last_insured_wage": "1.0005"}, "last_insured_wage"),
            ({"claim_date": "2026-02-30"}, "claim_date"),
            ({"unemployment_contributions": 201}, "unemployment_contributions"),
            ({"previous_claims": 1}, "new_contributions_since_last_claim"),
            ({"claim_date": "1980-01-01"}, "claim_date"),
        ],
    )
    def test_bad_input_is_a_400(self, api, overrides, field):
        response = post_unemployment(api, **overrides)
        assert response.status_code == 400
        assert set(response.json()) == {field}

    def test_a_claim_before_the_rules_is_a_400(self, api):
        response = post_unemployment(api, claim_date="2010-01-01", birth_date="1970-01-01")
        assert response.status_code == 400
        assert response.json() == {
            "claim_date": ["A rule needed for this calculation is not defined for that date."]
        }

    def test_musaned1_worked_example(self, api):
        body = {"wages": ten_months(), "earlier_draws": ["50.000"], "claim_date": "2026-05-20"}
        data = api.post(MUSANED1_URL, body, format="json").json()
        assert data["payable"] and data["balance"] == "100.000" and data["amount"] == "70.000"
        assert [p["amount"] for p in data["payments"]] == ["23.333", "23.333", "23.334"]
        assert data["payments"][0] == {"sequence": 1, "due_date": "2026-06-01", "amount": "23.333"}
        assert data["working"]["provisional"] is True

    def test_musaned2_worked_example(self, api):
        body = {"wages": ten_months(), "claim_date": "2026-05-20"}
        data = api.post(MUSANED2_URL, body, format="json").json()
        assert data["amount"] == "150.000" and len(data["payments"]) == 1
        assert data["working"]["provisional"] is True

    def test_musaned_without_balance_is_not_payable(self, api):
        body = {"wages": ten_months(), "earlier_draws": ["150"], "claim_date": "2026-05-20"}
        data = api.post(MUSANED2_URL, body, format="json", HTTP_ACCEPT_LANGUAGE="en").json()
        assert data["payable"] is False and data["balance"] == "0.000"
        assert data["reasons"] == ["There is no unemployment savings balance to draw on."]

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"wages": [{"month": "2024-13", "wage": "1"}]}, "wages"),
            (
                {
                    "wages": [
                        {"month": "2024-01", "wage": "1"},
                        {"month": "2024-01-15", "wage": "2"},
                    ]
                },
                "wages",
            ),
            ({"wages": [], "earlier_draws": ["-1"]}, "earlier_draws"),
            ({}, "wages"),
        ],
    )
    def test_musaned_bad_input_is_a_400(self, api, body, field):
        response = api.post(MUSANED1_URL, body, format="json")
        assert response.status_code == 400
        assert set(response.json()) == {field}

    def test_the_schema_documents_the_three_endpoints(self, api):
        schema = SchemaGenerator().get_schema(request=None, public=True)
        validate_schema(schema)
        for url in (UNEMPLOYMENT_URL, MUSANED1_URL, MUSANED2_URL):
            operation = schema["paths"][url]["post"]
            assert {"200", "400"} <= set(operation["responses"])
        components = schema["components"]["schemas"]

        def keys(name):
            return set(components[name]["properties"])

        data = post_unemployment(api).json()
        assert set(data) == keys("UnemploymentFigure")
        assert all(set(p) == keys("UnemploymentPayment") for p in data["payments"])
        body = {"wages": ten_months(), "claim_date": "2026-05-20"}
        data = api.post(MUSANED1_URL, body, format="json").json()
        assert set(data) == keys("SavingsFigure")
        assert all(set(p) == keys("SavingsPayment") for p in data["payments"])
        assert set(keys("UnemploymentInput")) >= {
            "birth_date",
            "sex",
            "claim_date",
            "contributions",
            "unemployment_contributions",
            "last_insured_wage",
            "previous_claims",
            "new_contributions_since_last_claim",
        }
        served = api.get("/api/schema/", {"format": "json"}).json()
        assert {UNEMPLOYMENT_URL, MUSANED1_URL, MUSANED2_URL} <= set(served["paths"])
