"""The retirement services through their pages: the expected-pension calculator (calc.
expected-pension), the old-age and early pension requests (eligibility before the form, the
request with bank details and dependants, staff decision, on approval the pension, the decision
notice PDF and the first payment), the retiree's pages (ret.pension-details, ret.pension-history,
ret.dependents, ret.decision-notice) and the change of dependants (ret.dependents-update)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from eservices.dates import month_after
from eservices.models import Document, Notification, ServiceRequest
from eservices.services import request_approve, request_reject, request_review_start
from pensions.models import Dependant, Pension, PensionPayment
from pensions.payroll import run_payroll

from .factories import UserFactory
from .factories_pensions import (
    IBAN,
    dependant,
    insured,
    make_pension,
    pension_answers,
    this_month,
    years_ago,
)

pytestmark = pytest.mark.django_db
D = Decimal
WIFE = dependant(1, "فاطمة علي", "9651234567", "wife", "1965-03-01")
SON = dependant(2, "علي أحمد", "2005123456", "son", "2008-09-10")
DAUGHTER = dependant(3, "ليلى أحمد", "2010123456", "daughter", "2012-01-05")


@pytest.fixture
def staff():
    return UserFactory(id_type="staff", id_number="clerk", is_staff=True, is_superuser=True)


@pytest.fixture
def retiring():
    """A man of 61 whose 300 months of 1000 JD ended last month: an old-age pension is due.
    25 × 2.5% × 1000 = 625 (cap 750) + 40 = 665; two dependants: 625 × 18% = 112.5."""
    return insured(months=300, birth_date=years_ago(61), name_ar="أحمد الراشد")


@pytest.fixture
def early_man():
    """A man of 52 with 300 months, stopped: early retirement, 13% off: 543.750 + 40."""
    return insured(months=300, birth_date=years_ago(52, days=10))


def text(resp) -> str:
    html = resp.content.decode()
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def apply(client, person, code, answers, capture):
    """Start, answer, (no documents needed), check, send; returns the request."""
    client.force_login(person.user)
    assert client.post(f"/service/{code}/").status_code == 302
    req = ServiceRequest.objects.get(applicant=person.user, service_code=code, status="draft")
    resp = client.post(f"/requests/{req.pk}/answers/", answers)
    assert resp.status_code == 302, resp.context["form"].errors if resp.context else resp
    req.refresh_from_db()
    check = client.get(f"/requests/{req.pk}/check/")
    assert check.status_code == 200
    with capture(execute=True):
        client.post(f"/requests/{req.pk}/check/", {"token": str(req.submit_token)})
    req.refresh_from_db()
    return req, check


def approve(req, staff, capture):
    with capture(execute=True):
        request_review_start(req=req, staff=staff)
        request_approve(req=req, staff=staff)
    req.refresh_from_db()
    return req


# --- calc.expected-pension ---------------------------------------------------------------------


class TestCalculatorPage:
    def test_shows_each_date_with_its_working(self, client, django_assert_max_num_queries):
        person = insured(months=240, birth_date=years_ago(58, days=30), covered=True)
        client.force_login(person.user)
        with django_assert_max_num_queries(14):
            resp = client.get("/pensions/expected-pension/", HTTP_ACCEPT_LANGUAGE="en")
        assert resp.status_code == 200
        rows = resp.context["rows"]
        # today (58), 59, then 60 … 65: old age from 60
        assert [r["option"].age for r in rows] == [58, 59, 60, 61, 62, 63, 64, 65]
        assert [r["option"].figure.kind for r in rows[:3]] == ["early", "early", "old_age"]
        chosen = resp.context["figure"]
        assert chosen.kind == "old_age" and chosen.payable  # the first old-age date by default
        assert resp.context["chosen_age"] == 60
        page = text(resp)
        assert "Reference wage" in page or "الأجر" in page
        working = resp.context["working"]
        labels = [line["label"] for line in working["lines"]]
        assert any("Months assumed" in x for x in labels)
        assert working["lines"][-1]["value"] == f"{chosen.amount:.3f}"

    def test_the_query_count_does_not_grow_with_the_record(
        self, client, django_assert_max_num_queries
    ):
        person = insured(months=480, birth_date=years_ago(47), covered=True)
        client.force_login(person.user)
        with django_assert_max_num_queries(14):
            assert client.get("/pensions/expected-pension/").status_code == 200

    def test_changing_the_assumptions(self, client):
        person = insured(months=240, birth_date=years_ago(60, days=-40), covered=True)
        client.force_login(person.user)
        base = client.get("/pensions/expected-pension/").context["figure"]
        day = person.birth_date.replace(year=person.birth_date.year + 61)
        resp = client.get(
            "/pensions/expected-pension/",
            {
                "retirement_date": day.isoformat(),
                "wage_growth": "5",
                "dependants": "2",
                "keeps_working": "yes",
            },
        )
        fig = resp.context["figure"]
        assert resp.context["chosen_date"] == day
        assert fig.breakdown["dependants_counted"] == 2 and D(fig.breakdown["increment"]) > 0
        assert fig.breakdown["contribution_months"] > base.breakdown["contribution_months"]
        assert D(fig.breakdown["reference_wage"]) > D("1000")  # the wage grew 5% in January
        # stopping now: no months are added
        stop = client.get(
            "/pensions/expected-pension/",
            {"retirement_date": day.isoformat(), "keeps_working": "no"},
        ).context["figure"]
        assert stop.breakdown["contribution_months"] == 240

    def test_a_date_in_the_past_is_an_error_next_to_the_field(self, client):
        person = insured(months=240, birth_date=years_ago(62))
        client.force_login(person.user)
        resp = client.get("/pensions/expected-pension/", {"retirement_date": "2001-01-01"})
        assert "retirement_date" in resp.context["form"].errors
        assert resp.context["figure"].payable  # the default date is still shown

    def test_a_person_with_no_record_yet(self, client):
        from .factories import IndividualFactory

        person = IndividualFactory(birth_date=years_ago(30), sex="F")
        client.force_login(person.user)
        resp = client.get("/pensions/expected-pension/", HTTP_ACCEPT_LANGUAGE="en")
        assert resp.status_code == 200
        rows = resp.context["rows"]
        assert rows[0]["option"].age == 30 and rows[-1]["option"].age == 60  # 55 + 5
        assert not any(r["option"].figure.payable for r in rows)
        reasons = " ".join(resp.context["figure"].reasons)
        assert "no insured wage" in reasons
        assert "52" in reasons  # first covered from now on: a woman retires early at 52

    def test_only_for_individuals(self, client, staff):
        assert client.get("/pensions/expected-pension/").status_code == 302
        client.force_login(staff)
        assert client.get("/pensions/expected-pension/").status_code == 403

    def test_the_catalogue_links_the_pages(self, client):
        from eservices.selectors import service

        for code, url in (
            ("calc.expected-pension", "/pensions/expected-pension/"),
            ("ret.pension-details", "/pensions/my-pension/"),
            ("ret.pension-history", "/pensions/my-pension/payments/"),
            ("ret.dependents", "/pensions/my-pension/dependants/"),
            ("ret.decision-notice", "/pensions/my-pension/decision-notice/"),
            ("ret.old-age-request", "/service/ret.old-age-request/"),
            ("ret.early-request", "/service/ret.early-request/"),
            ("ret.loan-request", "/service/ret.loan-request/"),
            ("ret.loan-reschedule", "/service/ret.loan-reschedule/"),
            ("ret.dependents-update", "/service/ret.dependents-update/"),
        ):
            s = service(code)
            assert s.implemented and s.url == url, code


# --- ret.old-age-request and ret.early-request ---------------------------------------------------


class TestEligibilityBeforeTheForm:
    def test_covered_person_is_told_why(self, client):
        person = insured(months=300, birth_date=years_ago(61), covered=True)
        client.force_login(person.user)
        page = client.get("/service/ret.old-age-request/")
        assert page.status_code == 200 and page.context["reasons"]
        assert (
            "coverage" in page.context["reasons"][0].lower()
            or "الشمول" in page.context["reasons"][0]
        )
        client.post("/service/ret.old-age-request/")
        assert not ServiceRequest.objects.exists()

    def test_too_young_or_too_few_months(self, client):
        young = insured(months=300, birth_date=years_ago(59, days=-3))
        client.force_login(young.user)
        reasons = client.get("/service/ret.old-age-request/").context["reasons"]
        assert any("60" in r for r in reasons)
        few = insured(months=179, birth_date=years_ago(62))
        client.force_login(few.user)
        reasons = client.get("/service/ret.old-age-request/").context["reasons"]
        assert any("180" in r for r in reasons)

    def test_early_request_for_an_old_age_person_says_so(self, client, retiring):
        client.force_login(retiring.user)
        reasons = client.get("/service/ret.early-request/").context["reasons"]
        assert reasons and "60" in reasons[0]

    def test_eligible_person_sees_no_reason(self, client, retiring, early_man):
        client.force_login(retiring.user)
        assert client.get("/service/ret.old-age-request/").context["reasons"] == []
        client.force_login(early_man.user)
        assert client.get("/service/ret.early-request/").context["reasons"] == []


class TestOldAgeRequest:
    def test_apply_approve_pension_notice_first_payment(
        self, client, retiring, staff, django_capture_on_commit_callbacks
    ):
        req, check = apply(
            client,
            retiring,
            "ret.old-age-request",
            pension_answers(**WIFE, **SON),
            django_capture_on_commit_callbacks,
        )
        assert check.context["figure"].amount == D("777.500")  # 625 + 112.5 + 40
        assert req.status == "submitted" and req.reference.startswith("OLD-")
        assert req.amount == D("777.500") and req.working["lines"]

        req = approve(req, staff, django_capture_on_commit_callbacks)
        assert req.status == "approved"
        pension = Pension.objects.get(individual=retiring)
        assert pension.kind == "old_age" and pension.request == req
        assert (pension.base, pension.increment, pension.supplement, pension.minimum_topup) == (
            D("625.000"),
            D("112.500"),
            D("40.000"),
            D("0.000"),
        )
        assert pension.amount == D("777.500") and pension.iban == IBAN
        assert pension.start_month == month_after(this_month(), 1)
        assert pension.contribution_months == 300
        assert list(pension.dependants.values_list("kinship", flat=True)) == ["wife", "son"]
        # the first payment: the first month, not before the month it pays
        first = PensionPayment.objects.get(pension=pension)
        assert first.kind == "first" and first.status == "scheduled"
        assert first.month == pension.start_month and first.net == D("777.500")
        assert first.due_date >= pension.start_month
        # the decision notice, a PDF with a verification code
        notice = Document.objects.get(request=req, kind="decision")
        assert notice.status == "ready" and notice.file.read(5) == b"%PDF-"
        assert notice.certifies["الراتب الشهري (دينار)"] == "777.500"
        assert IBAN not in str(notice.certifies)
        inbox = Notification.objects.filter(user=retiring.user, channel="inbox").first()
        assert "777.500" in inbox.body
        # a second request is refused
        client.force_login(retiring.user)
        assert client.get("/service/ret.old-age-request/").context["reasons"]
        # the payroll does not pay the first month again, and pays the next
        run_payroll(pension.start_month, today=pension.start_month.replace(day=25))
        nxt = month_after(pension.start_month, 1)
        run_payroll(nxt, today=nxt.replace(day=25))
        assert list(pension.payments.order_by("month").values_list("month", "kind")) == [
            (pension.start_month, "first"),
            (nxt, "monthly"),
        ]

    def test_reject_grants_nothing(
        self, client, retiring, staff, django_capture_on_commit_callbacks
    ):
        req, _ = apply(
            client,
            retiring,
            "ret.old-age-request",
            pension_answers(),
            django_capture_on_commit_callbacks,
        )
        with django_capture_on_commit_callbacks(execute=True):
            request_reject(req=req, staff=staff, reason="الحساب البنكي غير مطابق")
        assert not Pension.objects.exists() and not PensionPayment.objects.exists()
        client.force_login(retiring.user)
        assert client.get("/service/ret.old-age-request/").context["reasons"] == []

    def test_staff_decide_in_the_admin(
        self, client, retiring, staff, django_capture_on_commit_callbacks
    ):
        req, _ = apply(
            client,
            retiring,
            "ret.old-age-request",
            pension_answers(**WIFE),
            django_capture_on_commit_callbacks,
        )
        client.force_login(staff)
        page = client.get(f"/admin/eservices/servicerequest/{req.pk}/decide/")
        assert page.status_code == 200 and "740.000" in page.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/admin/eservices/servicerequest/{req.pk}/decide/", {"approve": "1"})
        req.refresh_from_db()
        assert req.status == "approved" and Pension.objects.get().amount == D("740.000")

    def test_a_pending_request_blocks_another(
        self, client, retiring, django_capture_on_commit_callbacks
    ):
        apply(
            client,
            retiring,
            "ret.old-age-request",
            pension_answers(),
            django_capture_on_commit_callbacks,
        )
        reasons = client.get("/service/ret.old-age-request/").context["reasons"]
        assert reasons and client.get("/service/ret.early-request/").context["reasons"]

    def test_dependant_details_are_all_or_none(self, client, retiring):
        client.force_login(retiring.user)
        client.post("/service/ret.old-age-request/")
        req = ServiceRequest.objects.get()
        resp = client.post(
            f"/requests/{req.pk}/answers/",
            pension_answers(dependant_1_name="سارة", dependant_2_national_number="123"),
        )
        errors = resp.context["form"].errors
        assert "dependant_1_national_number" in errors and "dependant_1_kinship" in errors
        assert "dependant_2_national_number" in errors and "dependant_2_name" in errors
        dup = client.post(
            f"/requests/{req.pk}/answers/",
            pension_answers(**WIFE, **dependant(2, "x", "9651234567", "son", "2000-01-01")),
        )
        assert "dependant_2_national_number" in dup.context["form"].errors

    def test_bad_iban_and_missing_declaration(self, client, retiring):
        client.force_login(retiring.user)
        client.post("/service/ret.old-age-request/")
        req = ServiceRequest.objects.get()
        data = pension_answers(iban="JO00BAD")
        data.pop("declaration")
        errors = client.post(f"/requests/{req.pk}/answers/", data).context["form"].errors
        assert "iban" in errors and "declaration" in errors


class TestEarlyRequest:
    def test_early_pension_is_reduced_by_the_age(
        self, client, early_man, staff, django_capture_on_commit_callbacks
    ):
        req, check = apply(
            client,
            early_man,
            "ret.early-request",
            pension_answers(),
            django_capture_on_commit_callbacks,
        )
        fig = check.context["figure"]
        assert fig.kind == "early" and fig.breakdown["reduction_rate"] == "0.13"
        assert fig.amount == D("583.750")  # 625 × 87% = 543.75 + 40
        assert req.reference.startswith("ERL-")
        approve(req, staff, django_capture_on_commit_callbacks)
        pension = Pension.objects.get()
        assert pension.kind == "early" and pension.amount == D("583.750")
        assert Document.objects.filter(request=req, kind="decision").exists()

    def test_approval_checks_the_record_again(
        self, client, early_man, staff, django_capture_on_commit_callbacks
    ):
        from accounts.exceptions import ServiceError

        req, _ = apply(
            client,
            early_man,
            "ret.early-request",
            pension_answers(),
            django_capture_on_commit_callbacks,
        )
        # 60 months fewer (a correction of the record): 240 actual, not enough at 52
        ids = list(early_man.wages.order_by("month").values_list("pk", flat=True)[:60])
        early_man.wages.filter(pk__in=ids).delete()
        with pytest.raises(ServiceError):
            request_approve(req=req, staff=staff)
        req.refresh_from_db()
        assert req.status == "submitted" and not Pension.objects.exists()


# --- The retiree's pages -----------------------------------------------------------------------


@pytest.fixture
def retiree(client, retiring, staff, django_capture_on_commit_callbacks):
    req, _ = apply(
        client,
        retiring,
        "ret.old-age-request",
        pension_answers(**WIFE, **SON),
        django_capture_on_commit_callbacks,
    )
    approve(req, staff, django_capture_on_commit_callbacks)
    return retiring


class TestRetireePages:
    def test_details(self, client, retiree, django_assert_max_num_queries):
        client.force_login(retiree.user)
        with django_assert_max_num_queries(12):
            resp = client.get("/pensions/my-pension/")
        page = text(resp)
        for shown in ("625.000", "112.500", "40.000", "777.500"):
            assert shown in page
        assert resp.context["working"]["lines"]

    def test_history_query_count_does_not_grow(
        self, client, retiree, django_assert_max_num_queries
    ):
        pension = Pension.objects.get()
        m = pension.start_month
        for _ in range(3):
            m = month_after(m, 1)
            run_payroll(m, today=m.replace(day=25))
        client.force_login(retiree.user)
        with django_assert_max_num_queries(10) as few:
            resp = client.get("/pensions/my-pension/payments/")
        assert len(resp.context["payments"]) == 4
        for _ in range(20):
            m = month_after(m, 1)
            run_payroll(m, today=m.replace(day=25))
        with django_assert_max_num_queries(len(few.captured_queries)):
            resp = client.get("/pensions/my-pension/payments/")
        assert len(resp.context["payments"]) == 24
        assert resp.context["totals"]["net"] == D("777.500") * 24

    def test_dependants(self, client, retiree):
        client.force_login(retiree.user)
        resp = client.get("/pensions/my-pension/dependants/")
        assert [d.name for d, counted in resp.context["current"]] == ["فاطمة علي", "علي أحمد"]
        assert all(counted for _d, counted in resp.context["current"])

    def test_decision_notice_page_and_a_new_copy(
        self, client, retiree, django_capture_on_commit_callbacks
    ):
        client.force_login(retiree.user)
        resp = client.get("/pensions/my-pension/decision-notice/")
        assert len(resp.context["documents"]) == 1
        with django_capture_on_commit_callbacks(execute=True):
            printed = client.post("/pensions/my-pension/decision-notice/print/")
        assert printed.status_code == 302
        assert Document.objects.filter(owner=retiree.user, kind="decision").count() == 2
        doc = Document.objects.filter(kind="decision").order_by("-pk").first()
        assert client.get(printed.url).status_code == 200 and doc.status == "ready"

    def test_someone_without_a_pension(self, client):
        person = insured(months=100, birth_date=years_ago(40), covered=True)
        client.force_login(person.user)
        for url in (
            "/pensions/my-pension/",
            "/pensions/my-pension/payments/",
            "/pensions/my-pension/dependants/",
            "/pensions/my-pension/decision-notice/",
            "/pensions/my-pension/loan/",
        ):
            resp = client.get(url)
            assert resp.status_code == 200 and "pension" not in resp.context, url
        reasons = client.get("/service/ret.dependents-update/").context["reasons"]
        assert reasons

    def test_another_persons_pension_is_never_shown(self, client, retiree):
        other = insured(months=100, birth_date=years_ago(40))
        client.force_login(other.user)
        assert "777.500" not in text(client.get("/pensions/my-pension/"))


class TestDependantsUpdate:
    def test_adds_a_dependant_and_the_increment_follows(
        self, client, retiree, staff, django_capture_on_commit_callbacks
    ):
        client.force_login(retiree.user)
        client.post("/service/ret.dependents-update/")
        req = ServiceRequest.objects.get(service_code="ret.dependents-update")
        form = client.get(f"/requests/{req.pk}/answers/").context["form"]
        assert form.initial["dependant_1_national_number"] == "9651234567"  # starts with them
        data = {**WIFE, **SON, **DAUGHTER, "continue": "1"}
        assert client.post(f"/requests/{req.pk}/answers/", data).status_code == 302
        req.refresh_from_db()
        check = client.get(f"/requests/{req.pk}/check/")
        # 625 × 24% = 150 (at most 150) + 625 + 40 = 815
        assert check.context["figure"].amount == D("815.000")
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/requests/{req.pk}/check/", {"token": str(req.submit_token)})
        req.refresh_from_db()
        approve(req, staff, django_capture_on_commit_callbacks)
        pension = Pension.objects.get()
        assert pension.increment == D("150.000") and pension.amount == D("815.000")
        assert pension.dependants.filter(removed_on__isnull=True).count() == 3

    def test_removing_dependants(self, client, retiree, staff, django_capture_on_commit_callbacks):
        client.force_login(retiree.user)
        client.post("/service/ret.dependents-update/")
        req = ServiceRequest.objects.get(service_code="ret.dependents-update")
        client.post(f"/requests/{req.pk}/answers/", {**WIFE, "continue": "1"})
        req.refresh_from_db()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/requests/{req.pk}/check/", {"token": str(req.submit_token)})
        req.refresh_from_db()
        approve(req, staff, django_capture_on_commit_callbacks)
        pension = Pension.objects.get()
        assert pension.increment == D("75.000")  # 625 × 12%
        assert pension.amount == D("740.000")
        son = Dependant.objects.get(national_number="2005123456")
        assert son.removed_on == timezone.localdate()
        page = client.get("/pensions/my-pension/dependants/")
        assert [d.name for d in page.context["removed"]] == ["علي أحمد"]


def test_the_minimum_top_up_is_kept_when_the_increment_changes():
    """A pension raised to the minimum: with a dependant the increment (at least 30) lowers the
    top-up, and the pension stays the sum of its parts."""
    from pensions.services import dependants_replace

    person = insured(months=180, wage="300.000", birth_date=years_ago(63))
    pension = make_pension(
        person, amount="200.000", base="112.500", retirement_date=timezone.localdate()
    )
    assert pension.minimum_topup == D("47.500")
    dependants_replace(
        pension=pension,
        dependants=[
            {
                "name": "x",
                "national_number": "9651234567",
                "kinship": "wife",
                "birth_date": "1960-01-01",
            }
        ],
        on=timezone.localdate(),
    )
    pension.refresh_from_db()
    # 112.5 × 12% = 13.5 → 30; 112.5 + 30 + 40 = 182.5 → top-up 17.5 → 200
    assert (pension.increment, pension.minimum_topup, pension.amount) == (
        D("30.000"),
        D("17.500"),
        D("200.000"),
    )
