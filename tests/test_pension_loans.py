"""Retiree loans (ret.loan-request, ret.loan-reschedule) by RULES.md "Retiree loans": the largest
loan and instalment, flat 5% interest with the total rounded to the fils, instalments rounded down
and the last taking the remainder, the term ending before 70; the whole schedule shown before the
request is sent; approval pays the loan out, the payroll deducts the instalments, and a
rescheduling spreads the balance again."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from eservices.dates import month_after
from eservices.models import ServiceRequest
from eservices.services import request_approve, request_review_start
from payments.models import BenefitPayment
from pensions.loans import (
    largest_principal,
    loan_reschedule,
    months_before_age,
    retiree_loan,
    split,
    total_due,
)
from pensions.models import Loan, LoanInstalment, PensionPayment
from pensions.payroll import run_payroll

from .factories import UserFactory
from .factories_pensions import IBAN, insured, make_pension, this_month, years_ago

pytestmark = pytest.mark.django_db
D = Decimal
ON = dt.date(2026, 5, 20)  # first instalment 2026-06


def loan(**kw):
    args = {
        "net_pension": D("600.000"),
        "birth_date": dt.date(1960, 3, 1),  # 70 on 2030-03-01: 45 months from 2026-06
        "principal": D("1000.000"),
        "months": 12,
        "on": ON,
    }
    args.update(kw)
    return retiree_loan(**args)


class TestArithmetic:
    def test_the_rules_worked_example_5000_over_60(self):
        # 5000 × (1 + 5% × 60 ÷ 12) = 6250.000; 6250 ÷ 60 = 104.1666… → 104.166 × 59 = 6145.794;
        # the last 6250 − 6145.794 = 104.206
        assert total_due(D("5000"), 60, D("0.05")) == D("6250.000")
        parts = split(D("6250.000"), 60)
        assert parts[:59] == [D("104.166")] * 59 and parts[-1] == D("104.206")
        assert sum(parts) == D("6250.000")

    def test_total_rounds_half_up_to_the_fils(self):
        # 1000.010 × 1.05 = 1050.0105 → 1050.011 (half even would give 1050.010)
        assert total_due(D("1000.010"), 12, D("0.05")) == D("1050.011")

    def test_instalments_round_down_and_the_last_takes_the_rest(self):
        # 1000 × (1 + 5% × 7/12) = 1029.1666… → 1029.167; ÷ 7 = 147.0238… → 147.023;
        # last = 1029.167 − 6 × 147.023 = 147.029
        total = total_due(D("1000"), 7, D("0.05"))
        assert total == D("1029.167")
        assert split(total, 7) == [D("147.023")] * 6 + [D("147.029")]

    def test_months_before_seventy(self):
        first = dt.date(2026, 6, 1)
        # 70 on 2027-03-15: the last instalment in 2027-02 at the latest: June … February = 9
        assert months_before_age(dt.date(1957, 3, 15), 70, first) == 9
        assert months_before_age(dt.date(1956, 2, 10), 70, first) == 0

    def test_largest_principal_when_the_instalment_binds(self):
        # net 600: at most 150 a month; over 24 months at most 3600 in all → 3600 ÷ 1.1 =
        # 3272.7272… → 3272.727 (× 1.1 = 3599.9997 → 3600.000: 24 × 150)
        assert largest_principal(cap=D("150"), months=24, rate=D("0.05"), ceiling=D("5000")) == D(
            "3272.727"
        )

    def test_largest_principal_steps_down_when_the_last_instalment_would_pass_the_cap(self):
        # cap 100 over 3 months: 3 × 100 = 300 ÷ 1.0125 = 296.2962… → 296.296 × 1.0125 =
        # 299.99970 → 300.000: 100 × 3. One fils more (296.297) → 300.0007 → 300.001 →
        # 100.000, 100.000, 100.001: refused.
        best = largest_principal(cap=D("100"), months=3, rate=D("0.05"), ceiling=D("5000"))
        assert best == D("296.296")
        assert max(split(total_due(best + D("0.001"), 3, D("0.05")), 3)) > D("100")


class TestLimits:
    @pytest.mark.parametrize(
        ("net", "ceiling", "max_principal"),
        [
            # 10 × 600 = 6000 → 5000; over the 45 months left before 70 the instalment allows
            # 150 × 45 ÷ (1 + 5% × 45/12) = 5684.2…: the highest loan binds
            ("600.000", "5000.000", "5000.000"),
            # 10 × 300 = 3000, but 75 × 45 ÷ 1.1875 = 2842.105… (× 1.1875 = 3374.99969 →
            # 3375.000 = 45 × 75): the instalment binds
            ("300.000", "3000.000", "2842.105"),
            # 50 × 45 ÷ 1.1875 = 1894.7368…; 1894.737 × 1.1875 = 2250.00019 → 2250.000 = 45 × 50
            ("200.000", "2000.000", "1894.737"),
        ],
    )
    def test_multiple_of_the_pension_and_the_highest_loan(self, net, ceiling, max_principal):
        fig = loan(net_pension=D(net), principal=D("100"))
        assert fig.limits.ceiling == D(ceiling)
        assert fig.limits.max_principal == D(max_principal)
        assert fig.limits.max_months == 45
        assert fig.limits.max_instalment == D(net) / 4

    def test_a_loan_over_the_limit_is_refused(self):
        fig = loan(principal=D("5000.001"), months=45)
        assert not fig.payable and "5000.000" in fig.reasons[0]

    def test_the_term_must_end_before_seventy(self):
        assert not loan(months=46).payable
        assert loan(months=45).payable
        old = loan(birth_date=dt.date(1956, 5, 1))  # 70 this month
        assert not old.payable and old.limits.max_months == 0

    def test_the_instalment_cap_is_checked_on_every_instalment(self):
        over = loan(principal=D("3272.728"), months=24)
        assert not over.payable and "3272.727" in over.reasons[0]
        ok = loan(principal=D("3272.727"), months=24)
        assert ok.payable and max(i.amount for i in ok.schedule) == D("150.000")

    def test_the_schedule_is_in_the_working(self):
        fig = loan(principal=D("1000"), months=7)
        assert [i.amount for i in fig.schedule] == [D("147.023")] * 6 + [D("147.029")]
        assert fig.schedule[0].month == dt.date(2026, 6, 1)
        assert fig.schedule[-1].month == dt.date(2026, 12, 1)
        assert fig.schedule[-1].balance_after == 0
        lines = [x for x in fig.working.lines if x["formula"].startswith(("balance", "الرصيد"))]
        assert len(lines) == 7 and lines[-1]["value"] == "147.029"
        assert fig.total == D("1029.167") and fig.amount == D("1000.000")
        assert fig.working.provisional  # the instalment cap is a [default] rule

    def test_rescheduling_spreads_the_balance_without_new_interest(self):
        def again(net, months):
            return loan_reschedule(
                net_pension=D(net),
                birth_date=dt.date(1960, 3, 1),
                balance=D("1000.000"),
                months=months,
                on=ON,
            )

        fig = again("1600", 3)  # at most 400 a month
        assert [i.amount for i in fig.schedule] == [D("333.333"), D("333.333"), D("333.334")]
        assert fig.total == D("1000.000")  # no new interest
        # at most 150 a month: 6 months is 166.666 × 5 + 166.670, too much; 7 is the shortest
        # (142.857 × 6 + 142.858)
        short = again("600", 6)
        assert not short.payable and "7" in short.reasons[0]
        assert [i.amount for i in again("600", 7).schedule] == [D("142.857")] * 6 + [D("142.858")]


# --- Requests ----------------------------------------------------------------------------------


@pytest.fixture
def staff():
    return UserFactory(id_type="staff", id_number="clerk", is_staff=True, is_superuser=True)


@pytest.fixture
def pensioner():
    person = insured(months=300, birth_date=years_ago(64))
    make_pension(person, amount="600.000", start=month_after(this_month(), -6))
    return person


def send(client, person, code, data, capture):
    client.force_login(person.user)
    assert client.post(f"/service/{code}/").status_code == 302
    req = ServiceRequest.objects.get(applicant=person.user, service_code=code, status="draft")
    resp = client.post(f"/requests/{req.pk}/answers/", {**data, "continue": "1"})
    assert resp.status_code == 302, resp.context["form"].errors
    req.refresh_from_db()
    check = client.get(f"/requests/{req.pk}/check/")
    with capture(execute=True):
        client.post(f"/requests/{req.pk}/check/", {"token": str(req.submit_token)})
    req.refresh_from_db()
    return req, check


class TestLoanRequest:
    def test_form_shows_the_limits(self, client, pensioner):
        client.force_login(pensioner.user)
        client.post("/service/ret.loan-request/")
        req = ServiceRequest.objects.get()
        form = client.get(f"/requests/{req.pk}/answers/").context["form"]
        assert "5000.000" in str(form.fields["amount"].help_text)
        assert "150.000" in str(form.fields["amount"].help_text)

    def test_loan_page_shows_a_schedule(self, client, pensioner):
        client.force_login(pensioner.user)
        resp = client.get("/pensions/my-pension/loan/", {"amount": "1200", "months": "12"})
        fig = resp.context["figure"]
        # 1200 × 1.05 = 1260 ÷ 12 = 105
        assert fig.payable and fig.total == D("1260.000")
        assert [i.amount for i in fig.schedule] == [D("105.000")] * 12
        assert resp.context["limits"].max_principal == D("5000.000")

    def test_whole_schedule_before_sending_then_payout_and_deductions(
        self, client, pensioner, staff, django_capture_on_commit_callbacks
    ):
        req, check = send(
            client,
            pensioner,
            "ret.loan-request",
            {"amount": "1000.000", "months": "7", "declaration": "on"},
            django_capture_on_commit_callbacks,
        )
        shown = check.content.decode()
        for n in range(1, 8):
            assert f"{n}, " in shown or f"{n}، " in shown  # "Instalment n, YYYY-MM"
        assert "147.029" in shown and "1029.167" in shown
        assert req.status == "submitted" and req.reference.startswith("LOAN-")
        assert req.amount == D("1000.000")

        with django_capture_on_commit_callbacks(execute=True):
            request_review_start(req=req, staff=staff)
            request_approve(req=req, staff=staff)
        loan_ = Loan.objects.get()
        assert (loan_.principal, loan_.total, loan_.months) == (D("1000.000"), D("1029.167"), 7)
        assert loan_.first_month == month_after(this_month(), 1)
        assert list(loan_.instalments.values_list("amount", flat=True)) == [D("147.023")] * 6 + [
            D("147.029")
        ]
        payout = BenefitPayment.objects.get(request=req)
        assert payout.amount == D("1000.000") and payout.iban == IBAN
        # a new loan is refused while this one is repaid
        client.force_login(pensioner.user)
        assert client.get("/service/ret.loan-request/").context["reasons"]

        # the payroll deducts the instalments, one a month
        m = this_month()
        for _ in range(8):
            m = month_after(m, 1)
            run_payroll(m, today=m.replace(day=25))
        deducted = list(
            PensionPayment.objects.filter(loan_deduction__gt=0)
            .order_by("month")
            .values_list("loan_deduction", flat=True)
        )
        assert deducted == [D("147.023")] * 6 + [D("147.029")]
        loan_.refresh_from_db()
        assert loan_.status == "repaid"
        assert client.get("/service/ret.loan-request/").context["reasons"] == []

    def test_a_retiree_near_seventy_is_told_before_the_form(self, client):
        person = insured(months=300, birth_date=years_ago(70, days=-20))
        make_pension(person, amount="600.000")
        client.force_login(person.user)
        reasons = client.get("/service/ret.loan-request/").context["reasons"]
        assert reasons  # no term ends before the 70th birthday

    def test_not_a_retiree(self, client):
        person = insured(months=100, birth_date=years_ago(40), covered=True)
        client.force_login(person.user)
        assert client.get("/service/ret.loan-request/").context["reasons"]
        assert client.get("/service/ret.loan-reschedule/").context["reasons"]


class TestReschedule:
    def test_reschedules_the_balance(
        self, client, pensioner, staff, django_capture_on_commit_callbacks
    ):
        req, _ = send(
            client,
            pensioner,
            "ret.loan-request",
            {"amount": "1200.000", "months": "12", "declaration": "on"},
            django_capture_on_commit_callbacks,
        )
        with django_capture_on_commit_callbacks(execute=True):
            request_approve(req=req, staff=staff)
        m1 = month_after(this_month(), 1)
        run_payroll(m1, today=m1.replace(day=25))  # one instalment of 105 deducted
        # balance 1260 − 105 = 1155 over 20 months: 57.75 each
        req2, check = send(
            client,
            pensioner,
            "ret.loan-reschedule",
            {"months": "20", "declaration": "on"},
            django_capture_on_commit_callbacks,
        )
        assert check.context["figure"].amount == D("1155.000")
        assert req2.reference.startswith("RSC-")
        with django_capture_on_commit_callbacks(execute=True):
            request_approve(req=req2, staff=staff)
        loan_ = Loan.objects.get()
        assert loan_.rescheduled_at is not None
        rows = list(
            loan_.instalments.order_by("sequence").values_list("sequence", "status", "amount")
        )
        assert rows[0] == (1, "paid", D("105.000"))
        assert [r[1] for r in rows[1:12]] == ["cancelled"] * 11
        new = [r for r in rows if r[1] == "due"]
        assert len(new) == 20 and new[0][0] == 13 and all(r[2] == D("57.750") for r in new)
        # the month already deducted is not due again: the new schedule starts after it
        assert LoanInstalment.objects.filter(status="due").order_by("month").first().month == (
            month_after(m1, 1)
        )
        m2 = month_after(m1, 1)
        run_payroll(m2, today=m2.replace(day=25))
        assert PensionPayment.objects.get(month=m2).loan_deduction == D("57.750")
