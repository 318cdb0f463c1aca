"""mat.home-care, mat.care-stop, inj.report-by-relative and inj.complaint: the figures at their
boundaries, eligibility, and each service through the pages (start, answers, documents, check and
send), approval with its effect, rejection with reasons, cancellation and the notification."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from accounts import sms
from accounts.exceptions import ServiceError
from eservices.dates import month_after, month_start
from eservices.models import Notification, ServiceRequest
from eservices.services import request_approve, request_reject
from individuals.benefits.home_care import first_care_month, home_care_allowance
from individuals.benefits.injury import daily_allowance, shift_months
from individuals.models import WageRecord, WorkInjury
from payments.models import BenefitPayment

from .factories import CivilRecordFactory, EstablishmentFactory, IndividualFactory, UserFactory

pytestmark = pytest.mark.django_db
IBAN = "JO71CBJO0000000000001234567890"  # valid mod-97
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture
def staff():
    return UserFactory(id_type="staff", id_number="clerk", is_staff=True, is_superuser=True)


def wages(person, *, last: dt.date, wage: Decimal, months: int = 24, establishment=None):
    """``months`` contribution months up to ``last`` (a 1st), the last one at ``wage``."""
    WageRecord.objects.bulk_create(
        WageRecord(
            individual=person,
            establishment=establishment,
            month=month_after(last, -k),
            wage=wage if k == 0 else Decimal("400.000"),
            coverage="mandatory",
        )
        for k in range(months)
    )


def approved_maternity(person, *, birth: dt.date, leave_start: dt.date | None = None, n: int = 1):
    return ServiceRequest.objects.create(
        applicant=person.user,
        service_code="mat.allowance",
        status="approved",
        reference=f"MAT-2026-9{n:05d}",
        submitted_at=timezone.now(),
        decided_at=timezone.now(),
        data={"birth_date": birth.isoformat(), "leave_start": (leave_start or birth).isoformat()},
    )


BIRTH = dt.date(2026, 1, 10)  # leave 70 days: to 2026-03-20; home care from April


def mother_with(wage: Decimal, *, birth: dt.date = BIRTH):
    mother = IndividualFactory(sex="F", name_ar="هند سامي")
    wages(mother, last=month_after(month_start(birth), -1), wage=wage)
    # the month of the birth itself is not "before the birth"
    WageRecord.objects.create(
        individual=mother, month=month_start(birth), wage=Decimal("5000"), coverage="mandatory"
    )
    return mother


@pytest.fixture
def mother():
    person = mother_with(Decimal("1000.000"))
    approved_maternity(person, birth=BIRTH)
    return person


def send(client, user, code: str, answers: dict, document: str | None, capture):
    """Start, answer, attach and send through the pages; the request as it then stands."""
    client.force_login(user)
    assert client.post(f"/service/{code}/").status_code == 302
    req = ServiceRequest.objects.get(applicant=user, service_code=code, status="draft")
    resp = client.post(f"/requests/{req.pk}/answers/", {**answers, "continue": "1"})
    assert resp.status_code == 302, resp.context["form"].errors
    if document:
        up = SimpleUploadedFile("doc.pdf", PDF, content_type="application/pdf")
        resp = client.post(
            f"/requests/{req.pk}/documents/", {"document_type": document, "file": up}
        )
        assert resp.status_code == 302
    req.refresh_from_db()
    assert client.get(f"/requests/{req.pk}/check/").status_code == 200
    with capture(execute=True):
        client.post(f"/requests/{req.pk}/check/", {"token": str(req.submit_token)})
    req.refresh_from_db()
    return req


def answer_errors(client, user, code: str, answers: dict) -> dict:
    client.force_login(user)
    client.post(f"/service/{code}/")
    req = ServiceRequest.objects.get(applicant=user, service_code=code, status="draft")
    resp = client.post(f"/requests/{req.pk}/answers/", {**answers, "continue": "1"})
    return resp.context["form"].errors if resp.status_code == 200 else {}


def ar(msgid: str) -> str:
    """A message as the Arabic pages show it (the English msgid until it is translated)."""
    with translation.override("ar"):
        return translation.gettext(msgid)


def check_reasons(client, req) -> list[str]:
    page = client.get(f"/requests/{req.pk}/check/")
    return [*page.context["reasons"], *page.context["missing"]]


def sms_with(reference: str) -> list:
    return [m for m in sms.outbox if reference in m.body]


def reject_and_cancel(client, user, make, staff, capture):
    """A rejected request keeps its reasons and has no effect; one can be cancelled meanwhile."""
    req = make()
    with pytest.raises(ServiceError):
        request_reject(req=req, staff=staff, reason=" ")
    with capture(execute=True):
        request_reject(req=req, staff=staff, reason="التقرير غير مقروء")
    req.refresh_from_db()
    assert req.status == "rejected" and req.decision_reason == "التقرير غير مقروء"
    inbox = Notification.objects.filter(user=user, request=req, channel="inbox")
    assert inbox.filter(body__contains="غير مقروء").exists()
    assert len(sms_with(req.reference)) == 2  # received, rejected
    req = make()
    with capture(execute=True):
        resp = client.post(f"/requests/{req.pk}/cancel/")
    assert resp.status_code == 302
    req.refresh_from_db()
    assert req.status == "cancelled" and len(sms_with(req.reference)) == 2  # received, cancelled
    with pytest.raises(ServiceError):
        request_approve(req=req, staff=staff)
    return req


# --- home care: the figure -----------------------------------------------------------------------


class TestHomeCareFigure:
    @pytest.mark.parametrize(
        ("wage", "payable"), [(Decimal("1000"), True), (Decimal("1000.001"), False)]
    )
    def test_wage_ceiling_boundary(self, wage, payable):
        fig = home_care_allowance(birth_date=BIRTH, leave_start=BIRTH, last_insured_wage=wage)
        assert fig.payable is payable
        if payable:
            assert fig.amount == Decimal("150.000") and fig.monthly == Decimal("25.000")
            assert set(fig.working.rules) == {
                "maternity.home_care_wage_max",
                "maternity.home_care_monthly",
                "maternity.home_care_months",
                "maternity.leave_days",
            }
            assert fig.working.lines[-1]["formula"] == "25.000 × 6"
        else:
            assert fig.amount is None and "1000" in fig.reasons[0]

    def test_first_month_is_the_month_after_the_leave(self):
        assert first_care_month(dt.date(2026, 1, 10), 70) == dt.date(2026, 4, 1)  # ends 03-20
        # a leave whose last day is the last of a month: the next month
        assert first_care_month(dt.date(2026, 1, 21), 70) == dt.date(2026, 4, 1)  # ends 03-31
        assert first_care_month(dt.date(2026, 1, 22), 70) == dt.date(2026, 5, 1)  # ends 04-01
        fig = home_care_allowance(
            birth_date=BIRTH, leave_start=dt.date(2025, 12, 1), last_insured_wage=Decimal("500")
        )
        assert [p.due_date for p in fig.payments] == [dt.date(2026, m, 1) for m in range(3, 9)]

    def test_no_wage_before_the_birth(self):
        fig = home_care_allowance(birth_date=BIRTH, leave_start=BIRTH, last_insured_wage=None)
        assert not fig.payable and fig.reasons


# --- home care: the service ----------------------------------------------------------------------


def home_care_answers(**kw) -> dict:
    data = {
        "child_name": "ليان",
        "child_birth_date": BIRTH.isoformat(),
        "caregiver_name": "فاطمة علي",
        "caregiver_relation": "mother",
        "bank": "arab_bank",
        "iban": IBAN,
    }
    data.update(kw)
    return data


class TestHomeCare:
    def send(self, client, mother, capture, **kw):
        return send(
            client, mother.user, "mat.home-care", home_care_answers(**kw), "caregiver_id", capture
        )

    def test_without_an_approved_maternity_request_not_eligible(self, client):
        person = mother_with(Decimal("600"))
        ServiceRequest.objects.create(  # sent, not yet approved
            applicant=person.user,
            service_code="mat.allowance",
            status="submitted",
            reference="MAT-2026-800001",
            data={"birth_date": BIRTH.isoformat(), "leave_start": BIRTH.isoformat()},
        )
        client.force_login(person.user)
        page = client.get("/service/mat.home-care/")
        assert page.context["reasons"] == [
            ar("Home care follows an approved maternity allowance, and you have none.")
        ]
        client.post("/service/mat.home-care/")
        assert not ServiceRequest.objects.filter(service_code="mat.home-care").exists()

    def test_wage_above_the_ceiling_not_eligible(self, client):
        person = mother_with(Decimal("1000.001"))
        approved_maternity(person, birth=BIRTH)
        client.force_login(person.user)
        reasons = client.get("/service/mat.home-care/").context["reasons"]
        assert len(reasons) == 1 and "1000" in reasons[0] and "1000.001" in reasons[0]
        client.post("/service/mat.home-care/")
        assert not ServiceRequest.objects.filter(service_code="mat.home-care").exists()

    def test_start_page_names_the_figures_from_the_rules(self, client, mother):
        client.force_login(mother.user)
        html = client.get("/service/mat.home-care/").content.decode()
        assert "1000" in html and "25" in html and "14" in html

    def test_submit_and_approve_schedules_six_months(
        self, client, mother, staff, django_capture_on_commit_callbacks
    ):
        req = self.send(client, mother, django_capture_on_commit_callbacks)
        assert req.status == "submitted" and req.reference.startswith("HCARE-")
        assert req.amount == Decimal("150.000")
        labels = [line["value"] for line in req.working["lines"]]
        assert "2026-04" in labels and "1000.000" in labels  # the wage at the ceiling, accepted
        assert len(sms_with(req.reference)) == 1
        with django_capture_on_commit_callbacks(execute=True):
            request_approve(req=req, staff=staff)
        req.refresh_from_db()
        assert req.status == "approved"
        payments = list(BenefitPayment.objects.filter(request=req).order_by("sequence"))
        assert [p.sequence for p in payments] == [1, 2, 3, 4, 5, 6]
        assert [p.due_date for p in payments] == [dt.date(2026, m, 1) for m in range(4, 10)]
        assert {p.amount for p in payments} == {Decimal("25.000")}
        assert {p.iban for p in payments} == {IBAN} and {p.status for p in payments} == {
            "scheduled"
        }
        assert len(sms_with(req.reference)) == 2
        with pytest.raises(ServiceError):
            request_approve(req=req, staff=staff)
        assert BenefitPayment.objects.count() == 6

    def test_a_second_request_for_the_same_birth_is_refused(
        self, client, mother, staff, django_capture_on_commit_callbacks
    ):
        first = self.send(client, mother, django_capture_on_commit_callbacks)
        assert first.status == "submitted"
        claimed = ar("A home-care request was already made for this birth.")
        assert client.get("/service/mat.home-care/").context["reasons"] == [claimed]
        client.post("/service/mat.home-care/")
        assert ServiceRequest.objects.filter(service_code="mat.home-care").count() == 1
        # with another birth she may start, but not for the birth already claimed
        approved_maternity(mother, birth=dt.date(2025, 3, 1), n=2)
        req = self.send(client, mother, django_capture_on_commit_callbacks)
        assert req.status == "draft" and req.reference is None
        assert check_reasons(client, req) == [claimed]
        with django_capture_on_commit_callbacks(execute=True):
            request_approve(req=first, staff=staff)
        assert BenefitPayment.objects.count() == 6

    def test_a_birth_without_an_approved_maternity_request(
        self, client, mother, django_capture_on_commit_callbacks
    ):
        req = self.send(
            client, mother, django_capture_on_commit_callbacks, child_birth_date="2026-02-02"
        )
        assert req.status == "draft"
        assert check_reasons(client, req) == [
            ar("There is no approved maternity allowance for a birth on that date.")
        ]

    def test_reject_and_cancel(self, client, mother, staff, django_capture_on_commit_callbacks):
        def make():
            return self.send(client, mother, django_capture_on_commit_callbacks)

        reject_and_cancel(client, mother.user, make, staff, django_capture_on_commit_callbacks)
        assert not BenefitPayment.objects.exists()
        # neither a rejected nor a cancelled request holds the birth
        client.force_login(mother.user)
        assert client.get("/service/mat.home-care/").context["reasons"] == []


# --- stopping home care --------------------------------------------------------------------------


@pytest.fixture
def on_home_care(staff):
    """A mother on home care whose payments run from a few months ago to a few months ahead."""
    today = timezone.localdate()
    birth = today - dt.timedelta(days=150)
    person = mother_with(Decimal("800"), birth=birth)
    approved_maternity(person, birth=birth)
    req = ServiceRequest.objects.create(
        applicant=person.user,
        service_code="mat.home-care",
        status="submitted",
        reference="HCARE-2026-900001",
        submitted_at=timezone.now(),
        amount=Decimal("150.000"),
        data=home_care_answers(child_birth_date=birth.isoformat()),
    )
    request_approve(req=req, staff=staff)
    return person, req


def care_stop_answers(**kw) -> dict:
    data = {"reason": "nursery", "details": "", "stop_date": timezone.localdate().isoformat()}
    data.update(kw)
    return data


class TestCareStop:
    def send(self, client, person, capture, **kw):
        return send(client, person.user, "mat.care-stop", care_stop_answers(**kw), "proof", capture)

    def test_without_home_care_not_eligible(self, client, mother):
        client.force_login(mother.user)
        assert client.get("/service/mat.care-stop/").context["reasons"]
        client.post("/service/mat.care-stop/")
        assert not ServiceRequest.objects.filter(service_code="mat.care-stop").exists()

    def test_approval_stops_only_the_payments_from_next_month(
        self, client, on_home_care, staff, django_capture_on_commit_callbacks
    ):
        person, home_care = on_home_care
        next_month = month_after(month_start(timezone.localdate()), 1)
        payments = BenefitPayment.objects.filter(request=home_care)
        assert payments.count() == 6
        before = set(payments.filter(due_date__lt=next_month).values_list("pk", flat=True))
        after = set(payments.filter(due_date__gte=next_month).values_list("pk", flat=True))
        assert before and after  # the schedule straddles the stop
        req = self.send(client, person, django_capture_on_commit_callbacks)
        assert req.status == "submitted" and req.reference.startswith("HSTOP-")
        assert req.amount is None and len(sms_with(req.reference)) == 1
        # one stop request at a time
        assert client.get("/service/mat.care-stop/").context["reasons"]
        with django_capture_on_commit_callbacks(execute=True):
            request_approve(req=req, staff=staff)
        stopped = set(payments.filter(status="stopped").values_list("pk", flat=True))
        assert stopped == after
        assert set(payments.filter(status="scheduled").values_list("pk", flat=True)) == before
        assert len(sms_with(req.reference)) == 2
        # nothing left to stop
        assert client.get("/service/mat.care-stop/").context["reasons"]

    def test_another_reason_needs_details(self, client, on_home_care):
        person, _ = on_home_care
        errors = answer_errors(
            client, person.user, "mat.care-stop", care_stop_answers(reason="other")
        )
        assert "details" in errors

    def test_reject_and_cancel(
        self, client, on_home_care, staff, django_capture_on_commit_callbacks
    ):
        person, home_care = on_home_care

        def make():
            return self.send(client, person, django_capture_on_commit_callbacks)

        reject_and_cancel(client, person.user, make, staff, django_capture_on_commit_callbacks)
        assert not BenefitPayment.objects.filter(status="stopped").exists()


# --- work injury: the figure and the deadline ---------------------------------------------------


class TestInjuryFigure:
    def test_worked_example(self):
        fig = daily_allowance(occurred_on=dt.date(2026, 5, 3), last_insured_wage=Decimal("600"))
        assert fig.payable and fig.amount == Decimal("15.000")
        assert set(fig.working.rules) == {"injury.daily_rate"}
        assert fig.working.lines[-1]["formula"] == "600.000 ÷ 30 × 0.75"

    def test_rounds_half_up_to_the_fils(self):
        fig = daily_allowance(occurred_on=dt.date(2026, 5, 3), last_insured_wage=Decimal("333.35"))
        assert fig.amount == Decimal("8.334")  # 333.35 / 30 * 0.75 = 8.33375

    def test_no_wage(self):
        fig = daily_allowance(occurred_on=dt.date(2026, 5, 3), last_insured_wage=None)
        assert not fig.payable and fig.reasons

    def test_same_day_years_later(self):
        assert shift_months(dt.date(2024, 2, 29), 24) == dt.date(2026, 2, 28)
        assert shift_months(dt.date(2026, 11, 22), -24) == dt.date(2024, 11, 22)


# --- work injury reported by a relative ---------------------------------------------------------

INJURED_NUMBER = "9861234567"


@pytest.fixture
def workplace():
    return EstablishmentFactory(insurance_number="7654321", name="مصنع الزرقاء")


@pytest.fixture
def injured(workplace):
    CivilRecordFactory(number=INJURED_NUMBER, name_ar="سامر خالد")
    person = IndividualFactory(user__id_number=INJURED_NUMBER, name_ar="سامر خالد")
    last = month_after(month_start(timezone.localdate()), -1)
    wages(person, last=last, wage=Decimal("600.000"), establishment=workplace)
    return person


@pytest.fixture
def reporter():
    return IndividualFactory(name_ar="خالد سامر")


def injury_day() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=2)


def relative_answers(**kw) -> dict:
    data = {
        "injured_national_number": INJURED_NUMBER,
        "kinship": "father",
        "occurred_on": injury_day().isoformat(),
        "occurred_at": "10:30",
        "place": "خط الإنتاج",
        "establishment": "7654321",
        "description": "سقط عن سلم أثناء العمل",
        "hospital": "مستشفى الزرقاء الحكومي",
    }
    data.update(kw)
    return data


class TestReportByRelative:
    code = "inj.report-by-relative"

    def send(self, client, reporter, capture, **kw):
        return send(
            client, reporter.user, self.code, relative_answers(**kw), "medical_report", capture
        )

    def test_reporting_on_the_day_the_years_end_is_refused(self, client, injured, reporter):
        today = timezone.localdate()
        too_late = shift_months(today, -24)
        errors = answer_errors(
            client, reporter.user, self.code, relative_answers(occurred_on=too_late.isoformat())
        )
        assert "occurred_on" in errors
        last_day = too_late + dt.timedelta(days=1)
        errors = answer_errors(
            client, reporter.user, self.code, relative_answers(occurred_on=last_day.isoformat())
        )
        assert errors == {}

    def test_future_date_refused(self, client, injured, reporter):
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        errors = answer_errors(
            client, reporter.user, self.code, relative_answers(occurred_on=tomorrow.isoformat())
        )
        assert "occurred_on" in errors

    def test_unknown_national_number_refused_in_arabic(self, client, injured, reporter):
        errors = answer_errors(
            client, reporter.user, self.code, relative_answers(injured_national_number="9000000001")
        )
        assert errors["injured_national_number"] == [
            "هذا الرقم الوطني غير موجود في سجل الأحوال المدنية."
        ]

    def test_the_injured_must_be_insured(self, client, reporter):
        CivilRecordFactory(number=INJURED_NUMBER)  # in the registry, no insurance record
        IndividualFactory(user__id_number=INJURED_NUMBER)  # registered, yet never insured
        errors = answer_errors(client, reporter.user, self.code, relative_answers(establishment=""))
        assert "injured_national_number" in errors

    def test_establishment_must_be_on_the_injured_persons_record(self, client, injured, reporter):
        EstablishmentFactory(insurance_number="1112223")
        errors = answer_errors(
            client, reporter.user, self.code, relative_answers(establishment="1112223")
        )
        assert "establishment" in errors
        assert (
            answer_errors(client, reporter.user, self.code, relative_answers(establishment=""))
            == {}
        )

    def test_the_injured_person_cannot_report_as_a_relative(
        self, client, injured, django_capture_on_commit_callbacks
    ):
        req = self.send(client, injured, django_capture_on_commit_callbacks)
        assert req.status == "draft"
        assert check_reasons(client, req) == [
            ar("You are the injured person: file a work injury or occupational disease complaint.")
        ]

    def test_a_medical_report_is_required(
        self, client, injured, reporter, django_capture_on_commit_callbacks
    ):
        req = send(
            client,
            reporter.user,
            self.code,
            relative_answers(),
            "police_report",
            django_capture_on_commit_callbacks,
        )
        assert req.status == "draft"
        assert check_reasons(client, req) == [ar("Medical report")]

    def test_submit_and_approve_records_the_injury(
        self, client, injured, reporter, workplace, staff, django_capture_on_commit_callbacks
    ):
        req = self.send(client, reporter, django_capture_on_commit_callbacks)
        assert req.status == "submitted" and req.reference.startswith("INJR-")
        assert req.amount == Decimal("15.000")
        assert req.working["lines"][-1]["formula"] == "600.000 ÷ 30 × 0.75"
        assert len(sms_with(req.reference)) == 1  # to the reporter
        with django_capture_on_commit_callbacks(execute=True):
            request_approve(req=req, staff=staff)
        injury = WorkInjury.objects.get()
        assert injury.individual == injured and injury.request == req
        assert injury.status == "accepted" and injury.kind == "injury"
        assert injury.establishment == workplace and injury.occurred_on == injury_day()
        assert injury.daily_allowance == Decimal("15.000") and injury.place == "خط الإنتاج"
        to_reporter = Notification.objects.filter(user=reporter.user, request=req, channel="sms")
        assert to_reporter.count() == 2
        assert Notification.objects.filter(user=injured.user, channel="inbox").exists()
        assert len(sms_with(req.reference)) == 3  # received, approved; and the injured person
        # the same injury cannot be recorded twice
        again = self.send(client, reporter, django_capture_on_commit_callbacks)
        assert again.status == "draft"
        assert check_reasons(client, again) == [
            ar("A work injury on that date is already on the record.")
        ]

    def test_reject_and_cancel(
        self, client, injured, reporter, staff, django_capture_on_commit_callbacks
    ):
        def make():
            return self.send(client, reporter, django_capture_on_commit_callbacks)

        reject_and_cancel(client, reporter.user, make, staff, django_capture_on_commit_callbacks)
        assert not WorkInjury.objects.exists()

    def test_a_draft_saved_with_a_date_not_yet_valid_can_be_checked(
        self, client, injured, reporter
    ):
        client.force_login(reporter.user)
        client.post(f"/service/{self.code}/")
        req = ServiceRequest.objects.get(service_code=self.code)
        draft = {
            "injured_national_number": INJURED_NUMBER,
            "occurred_on": "20/11",
            "save_draft": "1",
        }
        assert client.post(f"/requests/{req.pk}/answers/", draft).status_code == 302
        page = client.get(f"/requests/{req.pk}/check/")
        assert page.status_code == 200 and page.context["figure"] is None

    def test_only_individuals(self, client):
        from .factories import LiaisonOfficerFactory

        officer = LiaisonOfficerFactory()
        client.force_login(officer.user)
        assert client.get(f"/service/{self.code}/").context["reasons"]


# --- the insured person's complaint --------------------------------------------------------------


def complaint_answers(**kw) -> dict:
    data = {
        "kind": "disease",
        "occurred_on": injury_day().isoformat(),
        "establishment": "7654321",
        "description": "ربو مهني بعد سنوات في قسم الطلاء",
        "complaint": "لم تبلّغ المنشأة عن المرض",
    }
    data.update(kw)
    return data


class TestComplaint:
    code = "inj.complaint"

    def send(self, client, person, capture, **kw):
        return send(
            client, person.user, self.code, complaint_answers(**kw), "medical_report", capture
        )

    def test_submit_and_approve_records_the_disease(
        self, client, injured, workplace, staff, django_capture_on_commit_callbacks
    ):
        req = self.send(client, injured, django_capture_on_commit_callbacks)
        assert req.status == "submitted" and req.reference.startswith("INJC-")
        assert req.amount == Decimal("15.000") and len(sms_with(req.reference)) == 1
        with django_capture_on_commit_callbacks(execute=True):
            request_approve(req=req, staff=staff)
        injury = WorkInjury.objects.get()
        assert (injury.individual, injury.kind, injury.status) == (injured, "disease", "accepted")
        assert injury.establishment == workplace and injury.request == req
        assert injury.daily_allowance == Decimal("15.000")
        assert len(sms_with(req.reference)) == 2

    def test_reject_and_cancel(self, client, injured, staff, django_capture_on_commit_callbacks):
        def make():
            return self.send(client, injured, django_capture_on_commit_callbacks)

        reject_and_cancel(client, injured.user, make, staff, django_capture_on_commit_callbacks)
        assert not WorkInjury.objects.exists()

    def test_without_an_insurance_record_not_eligible(self, client):
        person = IndividualFactory()
        client.force_login(person.user)
        assert client.get(f"/service/{self.code}/").context["reasons"]
        client.post(f"/service/{self.code}/")
        assert not ServiceRequest.objects.exists()

    def test_unknown_establishment_and_late_date_refused(self, client, injured):
        late = shift_months(timezone.localdate(), -24).isoformat()
        errors = answer_errors(
            client,
            injured.user,
            self.code,
            complaint_answers(establishment="999", occurred_on=late),
        )
        assert "establishment" in errors and "occurred_on" in errors
