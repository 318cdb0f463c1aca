"""Optional subscription and self-employment: who may join (ages, coverage, former subscribers),
the declared wage and increase limits, the monthly contribution with its working, and what
approval does (subscription, account, declared wages, coverage period), stopping, the annual
increase window, the returning subscriber's wage range, brackets, and the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from eservices.dates import month_after, month_end
from eservices.models import ServiceRequest
from eservices.services import request_approve
from individuals.models import InsurancePeriod
from payments import declare_subscriptions as decl
from payments.ledger import account_for_subscriber, post
from payments.models import Account, Bill, LedgerEntry, Payment, Subscription, SubscriptionWage
from payments.subscriptions import forms as f
from payments.subscriptions import services as svc

from .factories import InsurancePeriodFactory, UserFactory
from .test_subscriptions_support import (
    journey,
    optional_answers,
    person,
    staff_user,
    subscriber,
    years_before,
)

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 1, 20)


@pytest.fixture(autouse=True)
def _english(client):
    """Messages compared in English (pages are compared by figures, or in Arabic on purpose).
    The test client asks for English too: a request activates its language in the thread."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def staff():
    return staff_user()


@pytest.fixture
def fixed_today(monkeypatch):
    """Pin "today" (the engine, the declarations and the forms all read timezone.localdate)."""

    def pin(day: dt.date):
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)
        return day

    return pin


# --- who may enrol -------------------------------------------------------------------------------


class TestOptionalEligibility:
    @pytest.mark.parametrize(
        ("sex", "years", "shift", "eligible"),
        [
            ("M", 16, 0, True),  # 16 today
            ("M", 16, 1, False),  # 16 tomorrow
            ("M", 60, 1, True),  # 60 tomorrow: not yet completed
            ("M", 60, 0, False),  # 60 today
            ("F", 55, 1, True),
            ("F", 55, 0, False),
            ("F", 56, 0, False),
            ("F", 16, 0, True),
        ],
    )
    def test_age_boundaries(self, sex, years, shift, eligible):
        born = years_before(DAY, years) + dt.timedelta(days=shift)
        ind = person(sex=sex, birth_date=born)
        reasons = decl.optional_enrol_eligibility(ind.user, DAY)
        assert (reasons == []) is eligible, reasons
        if not eligible:
            assert "age" in reasons[0]

    def test_non_jordanian_refused(self):
        ind = person(is_jordanian=False, national_number="", personal_number="1000999999")
        assert decl.optional_enrol_eligibility(ind.user, DAY) == [
            "The optional subscription is for Jordanians."
        ]

    def test_covered_by_an_establishment_refused_ended_cover_fine(self):
        ind = person()
        period = InsurancePeriodFactory(individual=ind, start_date=dt.date(2020, 1, 1))
        reasons = decl.optional_enrol_eligibility(ind.user, DAY)
        assert any("establishment" in r for r in reasons)
        period.end_date = DAY - dt.timedelta(days=1)
        period.save()
        assert decl.optional_enrol_eligibility(ind.user, DAY) == []

    def test_open_subscription_refused_and_former_subscriber_sent_to_continue(self):
        ind, sub = subscriber(start=dt.date(2025, 1, 1))
        assert any("already" in r for r in decl.optional_enrol_eligibility(ind.user, DAY))
        svc.unsubscribe(subscription=sub, end_month=dt.date(2025, 6, 1))
        reasons = decl.optional_enrol_eligibility(ind.user, DAY)
        assert reasons and "continue" in reasons[0]
        assert decl.optional_continue_eligibility(ind.user, DAY) == []

    def test_continue_needs_a_former_optional_subscription(self):
        ind = person()
        assert (
            "Only a former optional subscriber"
            in decl.optional_continue_eligibility(ind.user, DAY)[0]
        )

    def test_staff_and_establishments_are_not_individuals(self):
        officer = UserFactory(id_type="establishment", id_number="200999")
        assert decl.optional_enrol_eligibility(officer, DAY) == [
            "This service is for insured individuals."
        ]


# --- wage and increase limits, and the working ---------------------------------------------------


class TestOptionalFigures:
    @pytest.mark.parametrize(
        ("wage", "ok"),
        [("290", True), ("289.999", False), ("1914", True), ("1914.001", False)],
    )
    def test_wage_min_max(self, wage, ok):
        fig = svc.optional_enrol_figure(wage=Decimal(wage), increase=Decimal("0"), on=DAY)
        assert fig.payable is ok
        if not ok:
            assert fig.reasons == ["The declared wage must be between 290.000 and 1914.000 JD."]

    @pytest.mark.parametrize(("increase", "ok"), [("0.10", True), ("0.1001", False)])
    def test_increase_max(self, increase, ok):
        fig = svc.optional_enrol_figure(wage=Decimal("300"), increase=Decimal(increase), on=DAY)
        assert fig.payable is ok

    def test_increase_max_was_five_percent_in_2024(self):
        assert svc.increase_limit(svc.OPTIONAL, dt.date(2024, 6, 1)) == Decimal("0.05")
        assert svc.increase_limit(svc.OPTIONAL, dt.date(2025, 1, 1)) == Decimal("0.10")

    def test_contribution_is_wage_times_rate_with_its_rule_rows(self):
        fig = svc.optional_enrol_figure(wage=Decimal("300"), increase=Decimal("0.05"), on=DAY)
        assert fig.payable and fig.amount == Decimal("52.500")
        assert {"optional.rate", "optional.wage_min", "optional.wage_max"} <= set(fig.working.rules)
        last = fig.working.lines[-1]
        assert last["formula"] == "300.000 × 0.175" and last["value"] == "52.500"
        assert not fig.working.provisional

    def test_rounds_half_up_once(self):
        # 333.333 × 0.175 = 58.333275 → 58.333; 300.002 × 0.175 = 52.50035 → 52.500
        assert svc.optional_enrol_figure(
            wage=Decimal("333.333"), increase=Decimal(0), on=DAY
        ).amount == Decimal("58.333")
        assert (
            svc.optional_enrol_figure(wage=Decimal("290.003"), increase=Decimal(0), on=DAY).amount
            == Decimal("50.751")  # 50.750525
        )

    def test_form_refuses_wage_and_increase_out_of_range(self):
        ind = person()
        form = f.OptionalEnrolForm(
            data=optional_answers(declared_wage="289.999", annual_increase="10.01"), user=ind.user
        )
        assert not form.is_valid()
        assert set(form.errors) == {"declared_wage", "annual_increase"}
        ok = f.OptionalEnrolForm(
            data=optional_answers(declared_wage="1914", annual_increase="10"), user=ind.user
        )
        assert ok.is_valid(), ok.errors


# --- enrol → approve -------------------------------------------------------------------------------


def test_enrol_submit_approve_creates_subscription_account_and_cover(
    client, staff, django_capture_on_commit_callbacks
):
    ind = person(birth_date=dt.date(1990, 3, 3))
    req, check = journey(
        client, ind.user, "opt.enroll", optional_answers(), django_capture_on_commit_callbacks
    )
    page = check.content.decode()
    assert "52.500" in page and "300.000 × 0.175" in page
    assert req.status == ServiceRequest.Status.SUBMITTED and req.amount == Decimal("52.500")
    request_approve(req=req, staff=staff)
    sub = Subscription.objects.get(individual=ind)
    month = timezone.localdate().replace(day=1)
    assert sub.kind == "optional" and sub.start_month == month and sub.request == req
    assert sub.annual_increase == Decimal("0.0500")
    assert sub.account.kind == Account.Kind.OPTIONAL
    assert sub.account.number == "20" + str(ind.pk).zfill(8)
    assert list(sub.wages.values_list("from_month", "wage")) == [(month, Decimal("300.000"))]
    period = InsurancePeriod.objects.get(individual=ind)
    assert period.coverage == "optional" and period.end_date is None
    assert period.establishment is None and period.monthly_wage == Decimal("300.000")
    # a second enrolment is refused now
    assert decl.optional_enrol_eligibility(ind.user, timezone.localdate())


def test_enrol_refused_in_the_start_page_when_covered(client):
    ind = person()
    InsurancePeriodFactory(individual=ind)
    client.force_login(ind.user)
    page = client.get("/service/opt.enroll/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You are covered through an establishment" in page
    client.post("/service/opt.enroll/")
    assert not ServiceRequest.objects.filter(applicant=ind.user).exists()


def test_pending_enrolment_blocks_another(client, django_capture_on_commit_callbacks):
    ind = person()
    journey(client, ind.user, "opt.enroll", optional_answers(), django_capture_on_commit_callbacks)
    reasons = decl.optional_enrol_eligibility(ind.user, timezone.localdate())
    assert reasons == ["You have sent this request already; it is waiting for a decision."]


def test_approval_refused_when_a_subscription_started_meanwhile(
    client, staff, django_capture_on_commit_callbacks
):
    from accounts.exceptions import ServiceError

    ind = person()
    req, _ = journey(
        client, ind.user, "opt.enroll", optional_answers(), django_capture_on_commit_callbacks
    )
    svc.subscribe(
        individual=ind, kind=svc.SELF_EMPLOYED, wage=Decimal("290"), start_month=dt.date(2025, 1, 1)
    )
    with pytest.raises(ServiceError):
        request_approve(req=req, staff=staff)
    req.refresh_from_db()
    assert req.status == ServiceRequest.Status.SUBMITTED
    assert Subscription.objects.filter(individual=ind).count() == 1


# --- stop ---------------------------------------------------------------------------------------------


def test_stop_ends_the_subscription_and_billing_after_that_month(
    client, staff, django_capture_on_commit_callbacks
):
    ind, sub = subscriber(start=dt.date(2025, 1, 1))
    last = timezone.localdate().replace(day=1)
    assert svc.monthly_contribution(sub, last)[0] == Decimal("52.500")
    req, _ = journey(
        client,
        ind.user,
        "opt.stop",
        {"last_month": last.isoformat(), "reason": "cannot_pay", "note": ""},
        django_capture_on_commit_callbacks,
    )
    assert req.status == ServiceRequest.Status.SUBMITTED
    request_approve(req=req, staff=staff)
    sub.refresh_from_db()
    assert sub.end_month == last
    assert svc.monthly_contribution(sub, last) is not None
    assert svc.monthly_contribution(sub, month_after(last, 1)) is None
    period = InsurancePeriod.objects.get(individual=ind)
    assert period.end_date == month_end(last)
    # stopping again is refused: it already stops after that month
    assert (
        "already stops"
        in decl._stop_eligibility(svc.OPTIONAL, "opt.stop")(ind.user, timezone.localdate())[0]
    )


def test_stop_offers_this_month_and_the_next_five_only():
    ind, _sub = subscriber()
    form = f.StopForm(user=ind.user)
    months = [v for v, _l in form.fields["last_month"].choices]
    first = timezone.localdate().replace(day=1)
    assert months[0] == first.isoformat() and len(months) == 6
    bad = f.StopForm(
        data={"last_month": month_after(first, -1).isoformat(), "reason": "other"},
        user=ind.user,
    )
    assert "last_month" in bad.errors


# --- the annual increase ---------------------------------------------------------------------------


class TestAnnualIncrease:
    @pytest.mark.parametrize(
        ("day", "open_"),
        [
            (dt.date(2026, 1, 1), True),
            (dt.date(2026, 2, 15), True),
            (dt.date(2026, 2, 16), False),
            (dt.date(2025, 12, 31), False),
        ],
    )
    def test_window_from_rule_rows(self, day, open_):
        ind, _sub = subscriber(start=dt.date(2025, 1, 1))
        assert svc.in_increase_window(day) is open_
        reasons = decl.annual_increase_eligibility(ind.user, day)
        assert (reasons == []) is open_
        if not open_:
            assert "01/01" in reasons[0] and "15/02" in reasons[0]

    def test_request_in_the_window_applies_from_the_next_january(
        self, client, staff, fixed_today, django_capture_on_commit_callbacks
    ):
        fixed_today(dt.date(2026, 1, 20))
        ind, sub = subscriber(start=dt.date(2025, 1, 1))
        req, check = journey(
            client,
            ind.user,
            "opt.annual-increase",
            {"annual_increase": "7"},
            django_capture_on_commit_callbacks,
        )
        assert "321.000" in check.content.decode()  # 300 × 1.07
        request_approve(req=req, staff=staff)
        sub.refresh_from_db()
        assert sub.annual_increase == Decimal("0.0700")
        row = SubscriptionWage.objects.get(subscription=sub, from_month=dt.date(2027, 1, 1))
        assert row.wage == Decimal("321.000")
        assert svc.declared_wage(sub, dt.date(2026, 12, 1)) == Decimal("300.000")
        assert svc.declared_wage(sub, dt.date(2027, 1, 1)) == Decimal("321.000")

    def test_outside_the_window_the_start_page_says_when(self, client, fixed_today):
        fixed_today(dt.date(2026, 3, 1))
        ind, _sub = subscriber(start=dt.date(2025, 1, 1))
        client.force_login(ind.user)
        page = client.get("/service/opt.annual-increase/").content.decode()
        assert "15/02" in page
        client.post("/service/opt.annual-increase/")
        assert not ServiceRequest.objects.filter(applicant=ind.user).exists()

    def test_increase_capped_by_the_highest_wage(self):
        _ind, sub = subscriber(wage="1900.000", start=dt.date(2025, 1, 1))
        fig = svc.increase_figure(subscription=sub, increase=Decimal("0.10"), on=DAY)
        assert fig.wage == Decimal("1914") and fig.effective == dt.date(2027, 1, 1)

    def test_yearly_rows_are_made_once(self):
        _ind, sub = subscriber(start=dt.date(2025, 1, 1))
        sub.annual_increase = Decimal("0.05")
        sub.save()
        assert svc.apply_annual_increases(dt.date(2026, 1, 1))["raised"] == 1
        assert svc.apply_annual_increases(dt.date(2026, 1, 1))["raised"] == 0
        assert svc.declared_wage(sub, dt.date(2026, 3, 1)) == Decimal("315.000")
        assert svc.apply_annual_increases(dt.date(2027, 1, 1))["raised"] == 1
        assert svc.declared_wage(sub, dt.date(2027, 1, 1)) == Decimal("330.750")


# --- a returning subscriber -------------------------------------------------------------------------


class TestReturningSubscriber:
    def _last(self, wage="350.000", month=dt.date(2024, 12, 1)):
        return svc.LastCoverage(month, Decimal(wage))

    @pytest.mark.parametrize(
        ("return_month", "raises", "high"),
        [
            (dt.date(2025, 12, 1), 0, "350.000"),  # 11 months of gap: no whole year
            (dt.date(2026, 1, 1), 1, "385.000"),  # 12 months
            (dt.date(2028, 1, 1), 3, "465.850"),  # 350 × 1.1³, compounded (default row)
            (dt.date(2040, 1, 1), 10, "907.810"),  # 15 years, at most 10 raises
        ],
    )
    def test_raises_for_whole_years_of_gap(self, return_month, raises, high):
        w = svc.Working()
        low, top = svc.return_wage_range(w, last=self._last(), return_month=return_month)
        assert top == Decimal(high)
        assert low == Decimal("290.000")  # 350 × 0.8 = 280, raised to the law's lowest
        assert w.lines[2]["value"] == str(raises)
        assert w.provisional  # the compounding row is a default

    def test_one_cut_of_twenty_percent(self):
        w = svc.Working()
        low, _high = svc.return_wage_range(
            w, last=self._last("1000.000"), return_month=dt.date(2025, 6, 1)
        )
        assert low == Decimal("800.000")

    def test_figure_refuses_a_wage_outside_the_range(self):
        last = self._last()
        on = dt.date(2026, 1, 20)
        ok = svc.optional_return_figure(last=last, wage=Decimal("385"), increase=Decimal(0), on=on)
        assert ok.payable and ok.amount == Decimal("67.375")
        bad = svc.optional_return_figure(
            last=last, wage=Decimal("385.001"), increase=Decimal(0), on=on
        )
        assert not bad.payable and "385.000" in bad.reasons[0]

    def test_continue_from_an_ended_optional_period(
        self, client, staff, fixed_today, django_capture_on_commit_callbacks
    ):
        fixed_today(dt.date(2026, 1, 20))
        ind = person(sex="F", birth_date=dt.date(1984, 8, 22))
        InsurancePeriod.objects.create(
            individual=ind,
            coverage="optional",
            start_date=dt.date(2024, 1, 1),
            end_date=dt.date(2024, 12, 31),
            monthly_wage=Decimal("350.000"),
        )
        form = f.OptionalContinueForm(data=optional_answers(declared_wage="386"), user=ind.user)
        assert "declared_wage" in form.errors
        req, check = journey(
            client,
            ind.user,
            "opt.continue",
            optional_answers(declared_wage="385"),
            django_capture_on_commit_callbacks,
        )
        assert "350.000 × 1.1^1" in check.content.decode()
        request_approve(req=req, staff=staff)
        sub = Subscription.objects.get(individual=ind)
        assert sub.start_month == dt.date(2026, 1, 1)
        assert svc.declared_wage(sub, dt.date(2026, 1, 1)) == Decimal("385.000")


# --- self-employment -------------------------------------------------------------------------------


class TestSelfEmployment:
    def test_brackets_are_multiples_of_the_minimum_wage_and_provisional(self):
        rows = svc.brackets(dt.date(2025, 6, 1))
        assert [r[2] for r in rows] == [
            Decimal("290.000"),
            Decimal("435.000"),
            Decimal("580.000"),
            Decimal("870.000"),
            Decimal("1160.000"),
        ]
        assert all(r[3] for r in rows)
        # before 2025 the minimum wage was 260
        assert svc.brackets(dt.date(2024, 6, 1))[1][2] == Decimal("390.000")

    def test_enrol_with_injury_cover(self, client, staff, django_capture_on_commit_callbacks):
        ind = person()
        req, check = journey(
            client,
            ind.user,
            "self.enroll",
            {
                "bracket": "2",
                "activity": "نجارة",
                "licence_number": "",
                "injury_covered": "on",
                "phone": "0791234567",
                "email": "",
                "address": "الزرقاء",
                "declaration": "on",
            },
            django_capture_on_commit_callbacks,
            documents=("licence",),
        )
        page = check.content.decode()
        assert "84.825" in page  # 435 × (0.175 + 0.02)
        assert "435.000 × 0.175" in page and "435.000 × 0.02" in page
        assert "76.125 + 8.700" in page
        assert "provisional" in page.lower() or "مؤقت" in page
        request_approve(req=req, staff=staff)
        sub = Subscription.objects.get(individual=ind)
        assert (sub.kind, sub.bracket, sub.injury_covered) == ("self_employed", "2", True)
        assert sub.account.kind == Account.Kind.SELF_EMPLOYED
        assert sub.account.number.startswith("30")
        assert svc.monthly_contribution(sub, sub.start_month)[0] == Decimal("84.825")
        assert InsurancePeriod.objects.get(individual=ind).coverage == "self_employed"

    def test_enrol_ages_from_provisional_rows(self):
        young = person(birth_date=years_before(DAY, 16) + dt.timedelta(days=1))
        assert decl.self_enrol_eligibility(young.user, DAY) == ["You can join from the age of 16."]
        woman = person(sex="F", birth_date=years_before(DAY, 55))
        assert decl.self_enrol_eligibility(woman.user, DAY) == [
            "You can join before completing the age of 55."
        ]

    def test_bracket_change_from_the_next_month(
        self, client, staff, django_capture_on_commit_callbacks
    ):
        ind, sub = subscriber(svc.SELF_EMPLOYED, wage="290.000", start=dt.date(2025, 1, 1))
        req, _check = journey(
            client,
            ind.user,
            "self.bracket-change",
            {"change": "bracket", "bracket": "4", "annual_increase": ""},
            django_capture_on_commit_callbacks,
        )
        assert req.amount == Decimal("152.250")  # 870 × 0.175
        request_approve(req=req, staff=staff)
        sub.refresh_from_db()
        nxt = month_after(timezone.localdate().replace(day=1), 1)
        assert sub.bracket == "4"
        assert svc.declared_wage(sub, nxt) == Decimal("870.000")
        assert svc.declared_wage(sub, month_after(nxt, -1)) == Decimal("290.000")
        # once a year
        reasons = decl.self_change_eligibility(ind.user, timezone.localdate())
        assert reasons and "once a year" in reasons[0]

    @pytest.mark.parametrize(("pct", "ok"), [("10", True), ("10.5", False), ("0", False)])
    def test_annual_increase_limit(self, pct, ok):
        ind, _sub = subscriber(svc.SELF_EMPLOYED, wage="290.000")
        form = f.SelfChangeForm(
            data={"change": "increase", "annual_increase": pct, "bracket": ""}, user=ind.user
        )
        assert form.is_valid() is ok, form.errors

    def test_increase_figure(self):
        _ind, sub = subscriber(svc.SELF_EMPLOYED, wage="435.000")
        fig = svc.self_change_figure(
            subscription=sub, change="increase", increase=Decimal("0.10"), bracket=None, on=DAY
        )
        assert fig.wage == Decimal("478.500") and fig.effective == dt.date(2026, 2, 1)
        same = svc.self_change_figure(
            subscription=sub, change="bracket", increase=None, bracket="1", on=DAY
        )
        assert not same.payable  # bracket "1" is the subscription's own

    def test_stop(self, client, staff, django_capture_on_commit_callbacks):
        ind, sub = subscriber(svc.SELF_EMPLOYED, wage="290.000", start=dt.date(2025, 1, 1))
        last = month_after(timezone.localdate().replace(day=1), 2)
        req, _ = journey(
            client,
            ind.user,
            "self.stop",
            {"last_month": last.isoformat(), "reason": "other", "note": "أغلقت المحل"},
            django_capture_on_commit_callbacks,
        )
        request_approve(req=req, staff=staff)
        sub.refresh_from_db()
        assert sub.end_month == last


# --- pages ---------------------------------------------------------------------------------------------


def _payment(account, amount="52.500", ref="NET-1"):
    bill = Bill.objects.create(
        number=f"B{ref}",
        kind=Bill.Kind.OPTIONAL,
        account=account,
        amount=Decimal(amount),
        due_date=DAY,
    )
    pay = Payment.objects.create(
        bill=bill,
        account=account,
        amount=Decimal(amount),
        channel=Payment.Channel.NETWORK,
        network_reference=ref,
        network_trx=f"T{ref}",
        paid_at=timezone.now(),
    )
    post(
        account=account,
        kind=LedgerEntry.Kind.PAYMENT,
        key=f"pay:{ref}",
        amount=-Decimal(amount),
        payment=pay,
        memo="eFAWATEERcom",
    )
    return pay


class TestPages:
    def test_basic_data_shows_the_subscription_and_wage_history(self, client):
        ind, sub = subscriber(start=dt.date(2025, 1, 1))
        svc.set_wage(
            subscription=sub, from_month=dt.date(2026, 1, 1), wage=Decimal("315"), reason="x"
        )
        client.force_login(ind.user)
        page = client.get("/payments/optional/").content.decode()
        assert sub.account.number in page
        assert "300.000" in page and "315.000" in page
        assert "315.000 × 0.175" in page  # this month's contribution with its working

    def test_basic_data_without_subscription_links_enrolment(self, client):
        ind = person()
        client.force_login(ind.user)
        page = client.get("/payments/optional/").content.decode()
        assert "/service/opt.enroll/" in page

    def test_payments_page_lists_payments_in_fixed_queries(
        self, client, django_assert_max_num_queries
    ):
        ind, sub = subscriber(start=dt.date(2025, 1, 1))
        for n in range(3):
            _payment(sub.account, ref=f"NET-{n}")
        client.force_login(ind.user)
        with django_assert_max_num_queries(12):
            page = client.get("/payments/optional/payments/").content.decode()
        assert page.count("NET-") >= 3 and "52.500" in page
        for n in range(3, 10):
            _payment(sub.account, ref=f"NET-{n}")
        with django_assert_max_num_queries(12):
            client.get("/payments/optional/payments/")

    def test_self_account_shows_entries_balance_and_payments(self, client):
        ind, sub = subscriber(svc.SELF_EMPLOYED, wage="290.000", start=dt.date(2025, 1, 1))
        post(
            account=sub.account,
            kind=LedgerEntry.Kind.CONTRIBUTION,
            key="c:2025-01",
            amount=Decimal("50.750"),
            period=dt.date(2025, 1, 1),
        )
        _payment(sub.account, amount="30.000", ref="NET-S")
        client.force_login(ind.user)
        page = client.get("/payments/self-employment/").content.decode()
        assert "50.750" in page and "30.000" in page and "20.750" in page
        assert "NET-S" in page

    def test_only_individuals(self, client):
        officer = UserFactory(id_type="establishment", id_number="200998")
        client.force_login(officer)
        assert client.get("/payments/optional/").status_code == 403
        client.logout()
        assert client.get("/payments/self-employment/").status_code == 302

    def test_pages_are_in_the_catalogue(self, client):
        from eservices.selectors import service

        for code in ("opt.basic-data", "opt.payments", "self.account", "self.driver-card"):
            assert service(code).implemented, code
        for code in ("opt.enroll", "opt.continue", "opt.stop", "opt.annual-increase"):
            assert service(code).implemented, code


def test_account_is_kept_across_stop_and_return():
    ind, sub = subscriber(start=dt.date(2024, 1, 1))
    svc.unsubscribe(subscription=sub, end_month=dt.date(2024, 6, 1))
    again = svc.subscribe(
        individual=ind, kind=svc.OPTIONAL, wage=Decimal("300"), start_month=dt.date(2026, 1, 1)
    )
    assert again.account == sub.account == account_for_subscriber(ind, svc.OPTIONAL)


def test_admin_shows_subscriptions_with_their_wage_history(client, staff):
    ind, sub = subscriber(start=dt.date(2025, 1, 1))
    svc.set_wage(subscription=sub, from_month=dt.date(2026, 1, 1), wage=Decimal("315"), reason="x")
    client.force_login(staff)
    listing = client.get("/admin/payments/subscription/?state=running")
    assert listing.status_code == 200 and sub.account.number in listing.content.decode()
    page = client.get(f"/admin/payments/subscription/{sub.pk}/change/").content.decode()
    assert "315.000" in page and "300.000" in page
    from eservices.models import AccessLogEntry

    assert AccessLogEntry.objects.filter(subject=ind.user, staff=staff).exists()


@pytest.mark.parametrize(
    ("kind", "wage", "injury"),
    [(svc.OPTIONAL, "333.333", False), (svc.SELF_EMPLOYED, "478.500", True)],
)
def test_the_page_figure_is_what_the_monthly_billing_posts(kind, wage, injury):
    from payments.billing import bill_month

    ind = person()
    sub = svc.subscribe(
        individual=ind,
        kind=kind,
        wage=Decimal(wage),
        start_month=dt.date(2025, 3, 1),
        injury_covered=injury,
        bracket="2" if kind == svc.SELF_EMPLOYED else "",
    )
    bill_month(dt.date(2025, 3, 1))
    posted = LedgerEntry.objects.get(account=sub.account, period=dt.date(2025, 3, 1))
    assert posted.amount == svc.monthly_contribution(sub, dt.date(2025, 3, 1))[0]


def test_self_account_links_the_statement(client):
    ind, sub = subscriber(svc.SELF_EMPLOYED, wage="290.000", start=dt.date(2025, 1, 1))
    client.force_login(ind.user)
    page = client.get("/payments/self-employment/").content.decode()
    assert "/payments/statement/self_employed/" in page
    assert client.get("/payments/statement/self_employed/").status_code == 200
