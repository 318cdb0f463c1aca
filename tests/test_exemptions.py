"""est.exemption-request (Defense Order 15) and est.exemption-documents: who may ask, the figure
with its working, approval on the ledger and the bills to the fils, the promissory notes, the
request's PDF, cancelling before and after the decision."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from accounts.exceptions import ServiceError
from eservices.dates import add_months
from eservices.models import Document, Notification, RequestEvent, ServiceRequest
from eservices.services import request_approve, request_reject
from payments import exemptions, ledger
from payments.exemptions import exemption_figure
from payments.instalments import create_plan, mark_paid
from payments.models import Bill, Installment, InstallmentPlan, LedgerEntry, Payment

from .factories import IndividualFactory, LiaisonOfficerFactory, UserFactory

pytestmark = pytest.mark.django_db
D = Decimal
K = LedgerEntry.Kind


def ar(msgid: str) -> str:
    """What an Arabic reader sees for ``msgid`` (the Arabic once the catalogue has it)."""
    with translation.override("ar"):
        return translation.gettext(msgid)


# --- the establishment and its debts ---------------------------------------------------------------


@pytest.fixture
def officer():
    return LiaisonOfficerFactory(
        establishment__name="شركة النخيل للمقاولات",
        establishment__insurance_number="500600",
        establishment__governorate="العاصمة",
        establishment__street="شارع المدينة المنورة",
        establishment__signatory_name="عماد سليم الحسن",
    )


@pytest.fixture
def staff():
    return UserFactory(id_type="staff", id_number="clerk9", is_staff=True, is_superuser=True)


def charge(acc, kind, key, amount, period):
    ledger.post(account=acc, kind=kind, key=key, amount=D(amount), period=period)


@pytest.fixture
def account(officer):
    """Owes 2,335.000 JD: contributions of 2025-10 and 2025-11 (before the cut-off) with 30 JD of
    penalties, contributions of 2026-09 with a 5 JD penalty (after it), less a 200 JD payment."""
    acc = ledger.account_for_establishment(officer.establishment)
    charge(acc, K.CONTRIBUTION, "contrib:2025-10", "1000.000", dt.date(2025, 10, 1))
    charge(acc, K.CONTRIBUTION, "contrib:2025-11", "1000.000", dt.date(2025, 11, 1))
    charge(acc, K.PENALTY, "penalty:2025-10:1", "10.000", dt.date(2025, 10, 1))
    charge(acc, K.PENALTY, "penalty:2025-10:2", "10.000", dt.date(2025, 10, 1))
    charge(acc, K.PENALTY, "penalty:2025-11:1", "10.000", dt.date(2025, 11, 1))
    charge(acc, K.CONTRIBUTION, "contrib:2026-09", "500.000", dt.date(2026, 9, 1))
    charge(acc, K.PENALTY, "penalty:2026-09:1", "5.000", dt.date(2026, 9, 1))
    charge(acc, K.PAYMENT, "payment:P1", "-200.000", None)
    ledger.refresh_contributions_bill(acc)
    assert ledger.balance(acc) == D("2335.000")
    return acc


ANSWERS = {
    "payment": "instalments",
    "instalments": "7",
    "down_payment": "230.500",
    "signatory_name": "عماد سليم الحسن",
    "acknowledge": "on",
}


def submit(client, officer, capture, answers=ANSWERS) -> tuple[ServiceRequest, str]:
    client.force_login(officer.user)
    assert client.post("/service/est.exemption-request/").status_code == 302
    req = ServiceRequest.objects.get(applicant=officer.user, status="draft")
    resp = client.post(f"/requests/{req.pk}/answers/", {**answers, "continue": "1"})
    assert resp.status_code == 302, resp.context["form"].errors
    req.refresh_from_db()
    check = client.get(f"/requests/{req.pk}/check/").content.decode()
    with capture(execute=True):
        client.post(f"/requests/{req.pk}/check/", {"token": str(req.submit_token)})
    req.refresh_from_db()
    assert req.status == "submitted", check
    return req, check


def open_bill(acc) -> Bill | None:
    return Bill.objects.filter(account=acc, kind="contributions", status="open").first()


# --- the figure ---------------------------------------------------------------------------------


def test_the_figure_waives_the_covered_penalties_and_splits_the_rest():
    fig = exemption_figure(
        balance_owed=D("2335.000"),
        penalties=D("30.000"),
        payment="instalments",
        months=7,
        down_payment=D("230.500"),
        on=dt.date(2026, 11, 22),
    )
    assert fig.payable and fig.reasons == []
    assert fig.amount == fig.waived == D("30.000")
    assert fig.principal == D("2305.000")
    assert fig.min_down_payment == D("230.500")  # 10 % of the principal (provisional row)
    assert [a for _n, _d, a in fig.instalments] == [D("296.357")] * 6 + [D("296.358")]
    assert fig.down_payment + fig.scheduled + fig.waived == D("2335.000")
    assert fig.first_due == dt.date(2026, 12, 15)
    assert fig.instalments[-1][1] == dt.date(2027, 6, 15)
    working = fig.working.as_json()
    assert working["provisional"] is True
    assert {r["key"] for r in working["rules"]} >= {
        "exemption.max_instalments",
        "exemption.down_payment_ratio",
        "exemption.debts_until",
        "late.due_day",
    }
    values = [line["value"] for line in working["lines"]]
    assert values[:4] == ["2335.000", "30.000", "30.000", "2305.000"]
    assert "296.357" in values and "296.358" in values


@pytest.mark.parametrize(
    ("months", "down", "reason"),
    [
        (25, "230.500", "The number of instalments is from 1 to 24."),
        (7, "230.499", "The down payment must be at least 230.500 JD (10% of the principal)."),
        (7, "2305.000", "The down payment covers the whole principal: choose payment in full."),
    ],
)
def test_the_figure_refuses_what_the_programme_does_not_allow(months, down, reason):
    with translation.override("en"):
        fig = exemption_figure(
            balance_owed=D("2335.000"),
            penalties=D("30.000"),
            payment="instalments",
            months=months,
            down_payment=D(down),
            on=dt.date(2026, 11, 22),
        )
    assert not fig.payable and fig.amount is None
    assert fig.reasons == [reason]


def test_payments_settle_contributions_before_penalties():
    """Owing less than the penalties: only what is owed is waived, and nothing is left to pay."""
    fig = exemption_figure(
        balance_owed=D("12.500"),
        penalties=D("30.000"),
        payment="full",
        months=None,
        down_payment=None,
        on=dt.date(2026, 11, 22),
    )
    assert fig.payable and fig.waived == D("12.500") and fig.principal == D("0.000")


def test_covered_penalties_count_corrections_and_earlier_exemptions(account):
    until = dt.date(2025, 12, 31)
    assert exemptions.covered_penalties(account, until) == D("30.000")
    penalty = LedgerEntry.objects.get(key="penalty:2025-11:1")
    ledger.post(
        account=account, kind=K.CORRECTION, key="fix:1", amount=D("-10.000"), reverses=penalty
    )
    assert exemptions.covered_penalties(account, until) == D("20.000")
    old = ledger.post(account=account, kind=K.EXEMPTION, key="exemption:OLD", amount=D("-5"))[0]
    assert exemptions.covered_penalties(account, until) == D("15.000")
    ledger.post(account=account, kind=K.CORRECTION, key="x", amount=D("5"), reverses=old)
    assert exemptions.covered_penalties(account, until) == D("20.000")


# --- who may ask ----------------------------------------------------------------------------------


def reasons(user) -> list[str]:
    with translation.override("en"):
        return exemptions.eligibility(user, timezone.localdate())


def test_an_individual_may_not_ask():
    assert reasons(IndividualFactory().user) == [
        "This service is for the liaison officers of establishments."
    ]


def test_an_establishment_that_owes_nothing_may_not_ask(officer):
    assert reasons(officer.user) == [
        "The establishment owes nothing: there is nothing to exempt or to schedule."
    ]


def test_penalties_after_the_cut_off_are_not_covered(officer):
    acc = ledger.account_for_establishment(officer.establishment)
    charge(acc, K.CONTRIBUTION, "c", "500", dt.date(2026, 9, 1))
    charge(acc, K.PENALTY, "p", "5", dt.date(2026, 9, 1))
    assert reasons(officer.user) == [
        "No late-payment penalties on contribution months up to 2025-12-31 are owed: "
        "there is nothing to exempt."
    ]


def test_an_active_plan_or_a_request_being_decided_stops_a_new_one(
    client, officer, account, django_capture_on_commit_callbacks
):
    assert reasons(officer.user) == []
    req, _check = submit(client, officer, django_capture_on_commit_callbacks)
    assert reasons(officer.user) == [f"The exemption request {req.reference} is being decided."]
    page = client.get("/service/est.exemption-request/").content.decode()
    assert ar("The exemption request %(ref)s is being decided.") % {"ref": req.reference} in page
    client.post("/service/est.exemption-request/")
    assert ServiceRequest.objects.filter(service_code="est.exemption-request").count() == 1
    create_plan(account, D("100"), 2, dt.date(2026, 12, 15))
    assert reasons(officer.user)[0].startswith("The establishment already pays an active")


# --- end to end -------------------------------------------------------------------------------------


def test_approval_waives_the_penalties_and_schedules_the_principal_exactly(
    client, officer, account, staff, django_capture_on_commit_callbacks
):
    req, check = submit(client, officer, django_capture_on_commit_callbacks)
    # Check your answers: the amount waived with its working and the provisional rows flagged.
    assert "30.000" in check and "2305.000" in check and "296.358" in check
    assert ar("provisional: not yet confirmed by the Corporation") in check
    assert req.amount == D("30.000") and req.reference.startswith("EXM-")
    entries_before = LedgerEntry.objects.filter(account=account).count()

    with django_capture_on_commit_callbacks(execute=True):
        request_approve(req=req, staff=staff, note="موافقة")

    req.refresh_from_db()
    assert req.status == "approved" and req.amount == D("30.000")
    exemption = LedgerEntry.objects.get(account=account, kind=K.EXEMPTION)
    assert exemption.key == f"exemption:{req.reference}"
    assert exemption.amount == D("-30.000") and exemption.created_by == staff
    assert LedgerEntry.objects.filter(account=account).count() == entries_before + 1
    assert ledger.balance(account) == D("2305.000")

    plan = InstallmentPlan.objects.get(request=req)
    assert plan.account == account and plan.total == D("2074.500") and plan.months == 7
    first_due = add_months(timezone.localdate().replace(day=1), 1).replace(day=15)
    rows = list(plan.installments.values_list("sequence", "due_date", "amount", "status"))
    assert rows[0] == (1, first_due, D("296.357"), "due")
    assert rows[-1] == (7, add_months(first_due, 6), D("296.358"), "due")
    assert sum(r[2] for r in rows) == D("2074.500")

    # The contributions bill now asks for the down payment only, to the fils.
    assert ledger.contributions_due(account) == D("230.500")
    assert open_bill(account).amount == D("230.500")
    assert Bill.objects.filter(account=account, kind="contributions", status="open").count() == 1

    assert Notification.objects.filter(
        user=officer.user,
        channel="inbox",
        title=ar("Exemption %(ref)s: penalties waived") % {"ref": req.reference},
    ).exists()
    assert Notification.objects.filter(
        user=officer.user, channel="inbox", body__contains="30.000"
    ).exists()
    assert reasons(officer.user)[0].startswith("The establishment already pays an active")


def test_paying_in_full_waives_and_bills_the_principal(
    client, officer, account, staff, django_capture_on_commit_callbacks
):
    answers = {"payment": "full", "signatory_name": "عماد", "acknowledge": "on"}
    req, _check = submit(client, officer, django_capture_on_commit_callbacks, answers)
    assert req.data["instalments"] is None and req.data["down_payment"] is None
    request_approve(req=req, staff=staff)
    assert not InstallmentPlan.objects.exists()
    assert ledger.balance(account) == D("2305.000") == open_bill(account).amount


def test_the_figure_is_worked_out_again_at_approval(
    client, officer, account, staff, django_capture_on_commit_callbacks
):
    req, _check = submit(client, officer, django_capture_on_commit_callbacks)
    # A staff correction cancels the covered penalties meanwhile: nothing is left to exempt.
    for key in ("penalty:2025-10:1", "penalty:2025-10:2", "penalty:2025-11:1"):
        entry = LedgerEntry.objects.get(key=key)
        ledger.post(
            account=account,
            kind=K.CORRECTION,
            key=f"fix:{key}",
            amount=-entry.amount,
            reverses=entry,
        )
    with pytest.raises(ServiceError):
        request_approve(req=req, staff=staff)
    req.refresh_from_db()
    assert req.status == "submitted"
    assert not LedgerEntry.objects.filter(kind=K.EXEMPTION).exists()
    request_reject(req=req, staff=staff, reason="لا غرامات مشمولة")


def test_the_form_explains_and_checks_its_fields(client, officer, account):
    client.force_login(officer.user)
    client.post("/service/est.exemption-request/")
    req = ServiceRequest.objects.get()
    page = client.get(f"/requests/{req.pk}/answers/").content.decode()
    assert "2305.000" in page and 'max="24"' in page and "عماد سليم الحسن" in page
    resp = client.post(
        f"/requests/{req.pk}/answers/",
        {"payment": "instalments", "instalments": "30", "signatory_name": "x", "continue": "1"},
    )
    assert resp.status_code == 200
    errors = resp.context["form"].errors
    assert set(errors) == {"instalments", "down_payment", "acknowledge"}


# --- documents and cancelling ------------------------------------------------------------------------


@pytest.fixture
def approved(client, officer, account, staff, django_capture_on_commit_callbacks):
    req, _check = submit(client, officer, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        request_approve(req=req, staff=staff)
    req.refresh_from_db()
    return req


@pytest.fixture
def rendered(monkeypatch):
    """The HTML of each PDF rendered, by template."""
    from eservices import documents

    seen: dict[str, str] = {}
    original = documents.render_pdf

    def spy(template, context):
        seen[template] = render_to_string(template, context)
        return original(template, context)

    monkeypatch.setattr(documents, "render_pdf", spy)
    return seen


def test_the_promissory_notes_one_per_instalment_in_figures_and_words(
    client, officer, approved, rendered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(f"/payments/exemptions/{approved.pk}/notes/")
    doc = Document.objects.filter(request=approved, kind="letter").get()
    assert resp.status_code == 302 and resp.url == f"/documents/{doc.pk}/"
    assert doc.status == "ready"
    assert b"".join(client.get(resp.url).streaming_content).startswith(b"%PDF")
    html = rendered["pdf/promissory_notes.html"]
    assert html.count('class="note"') == 7
    assert html.count("فقط مئتان وستة وتسعون دينارًا وثلاثمئة وسبعة وخمسون فلسًا لا غير") == 6
    assert html.count("فقط مئتان وستة وتسعون دينارًا وثلاثمئة وثمانية وخمسون فلسًا لا غير") == 1
    assert "المؤسسة العامة للضمان الاجتماعي" in html and "شركة النخيل للمقاولات" in html
    assert "عماد سليم الحسن" in html and 'lang="ar"' in html
    due = [i.due_date.isoformat() for i in approved.installment_plan.installments.all()]
    assert all(d in html for d in due)
    assert doc.certifies["عدد الكمبيالات"] == "7"
    assert doc.certifies["مجموع الكمبيالات (دينار)"] == "2074.500"
    # Printing again gives the same document.
    again = client.post(f"/payments/exemptions/{approved.pk}/notes/")
    assert again.url == resp.url and Document.objects.filter(kind="letter").count() == 1
    client.logout()
    verify = client.get(f"/verify/{doc.code}/").content.decode()
    assert "2074.500" in verify and approved.reference in verify


def test_printing_the_request(
    client, officer, approved, rendered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(f"/payments/exemptions/{approved.pk}/print/")
    doc = Document.objects.get(request=approved, kind="letter")
    assert resp.url == f"/documents/{doc.pk}/" and doc.status == "ready"
    html = rendered["pdf/exemption_request.html"]
    assert approved.reference in html and "2305.000" in html and "296.358" in html
    assert doc.certifies["الغرامات المعفاة (دينار)"] == "30.000"


def test_no_notes_for_a_request_not_approved(
    client, officer, account, django_capture_on_commit_callbacks
):
    req, _check = submit(client, officer, django_capture_on_commit_callbacks)
    resp = client.post(f"/payments/exemptions/{req.pk}/notes/", follow=True)
    assert not Document.objects.filter(kind="letter").exists()
    assert (
        ar("Promissory notes exist for an approved request paid in instalments.")
        in resp.content.decode()
    )


def test_the_documents_page_lists_the_requests_and_their_instalments(client, officer, approved):
    def count() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as ctx:
            page = client.get("/payments/exemptions/").content.decode()
        return len(ctx.captured_queries), page

    queries, page = count()
    assert approved.reference in page and "296.358" in page
    assert f"/payments/exemptions/{approved.pk}/notes/" in page
    assert f"/payments/exemptions/{approved.pk}/cancel/" in page
    # More requests, decided or not, with their plans: the same number of queries.
    account = approved.installment_plan.account
    for n, status in enumerate(["rejected", "cancelled", "approved", "approved"]):
        req = ServiceRequest.objects.create(
            applicant=officer.user,
            service_code="est.exemption-request",
            status=status,
            reference=f"EXM-2026-9{n:05d}",
            decision_reason="x",
        )
        if status == "approved":
            ledger.post(
                account=account, kind=K.EXEMPTION, key=f"exemption:{req.reference}", amount=D("-1")
            )
            plan = InstallmentPlan.objects.create(
                account=account,
                request=req,
                total=D("10"),
                months=2,
                first_due=dt.date(2027, 1, 15),
                status="completed",
            )
            Installment.objects.create(plan=plan, sequence=1, due_date=plan.first_due, amount=5)
    assert count()[0] == queries
    assert queries <= 12


def test_someone_elses_request_is_not_found(client, approved):
    other = LiaisonOfficerFactory()
    client.force_login(other.user)
    assert client.post(f"/payments/exemptions/{approved.pk}/notes/").status_code == 404
    assert client.get(f"/payments/exemptions/{approved.pk}/cancel/").status_code == 404
    client.force_login(IndividualFactory().user)
    assert client.get("/payments/exemptions/").status_code == 403


def test_cancelling_while_undecided_changes_nothing_on_the_ledger(
    client, officer, account, django_capture_on_commit_callbacks
):
    req, _check = submit(client, officer, django_capture_on_commit_callbacks)
    entries = LedgerEntry.objects.count()
    assert client.get(f"/payments/exemptions/{req.pk}/cancel/").status_code == 200
    client.post(f"/payments/exemptions/{req.pk}/cancel/")
    req.refresh_from_db()
    assert req.status == "cancelled"
    assert LedgerEntry.objects.count() == entries and not InstallmentPlan.objects.exists()


def pay_instalment(acc, inst, ref):
    bill = Bill.objects.create(
        number=ref, kind="installments", account=acc, amount=inst.amount, due_date=inst.due_date
    )
    payment = Payment.objects.create(
        bill=bill,
        account=acc,
        amount=inst.amount,
        channel="network",
        network_reference=ref,
        paid_at=timezone.now(),
    )
    ledger.post(
        account=acc, kind=K.PAYMENT, key=f"payment:{ref}", amount=-inst.amount, payment=payment
    )
    return mark_paid([inst], payment)


def test_withdrawing_after_approval_reverses_the_waiver_and_returns_the_instalments(
    client, officer, account, approved, django_capture_on_commit_callbacks
):
    plan = approved.installment_plan
    first = plan.installments.first()
    pay_instalment(account, first, "NET-A")
    page = client.get(f"/payments/exemptions/{approved.pk}/cancel/").content.decode()
    assert "30.000" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/payments/exemptions/{approved.pk}/cancel/")

    plan.refresh_from_db()
    assert plan.status == "cancelled"
    statuses = list(plan.installments.values_list("status", flat=True))
    assert statuses == ["paid"] + ["cancelled"] * 6
    exemption = LedgerEntry.objects.get(kind=K.EXEMPTION)
    correction = LedgerEntry.objects.get(kind=K.CORRECTION)
    assert correction.reverses == exemption and correction.amount == D("30.000")
    assert correction.key == f"exemption-cancel:{approved.reference}"
    # 2335 − 296.357 paid: all owed again through the contributions bill.
    assert ledger.balance(account) == D("2038.643") == open_bill(account).amount
    approved.refresh_from_db()
    assert approved.status == "approved"
    assert RequestEvent.objects.filter(request=approved, action="exemption_withdrawn").exists()
    assert (
        Notification.objects.filter(
            user=officer.user, channel="inbox", body__contains="30.000", request=approved
        ).count()
        >= 2
    )
    with pytest.raises(ServiceError):
        exemptions.exemption_withdraw(req=approved, actor=officer.user)
    # The establishment may ask again.
    assert reasons(officer.user) == []


def test_a_paid_principal_makes_the_exemption_final(client, officer, account, approved):
    for n, inst in enumerate(approved.installment_plan.installments.all()):
        pay_instalment(account, inst, f"NET-{n}")
    approved.installment_plan.refresh_from_db()
    assert approved.installment_plan.status == "completed"
    assert not exemptions.can_withdraw(approved)
    client.post(f"/payments/exemptions/{approved.pk}/cancel/")
    assert not LedgerEntry.objects.filter(kind=K.CORRECTION).exists()
    with pytest.raises(ServiceError):
        exemptions.exemption_withdraw(req=approved, actor=officer.user)


def test_paying_in_full_is_final_once_the_principal_is_paid(
    client, officer, account, staff, django_capture_on_commit_callbacks
):
    answers = {"payment": "full", "signatory_name": "عماد", "acknowledge": "on"}
    req, _check = submit(client, officer, django_capture_on_commit_callbacks, answers)
    request_approve(req=req, staff=staff)
    req.refresh_from_db()
    assert exemptions.can_withdraw(req)
    charge(account, K.PAYMENT, "payment:FULL", "-2305.000", None)
    assert not exemptions.can_withdraw(req)


def test_staff_cancel_a_plan_from_the_admin(client, staff, account, approved):
    client.force_login(staff)
    plan = approved.installment_plan
    page = client.get(f"/admin/payments/installmentplan/{plan.pk}/change/").content.decode()
    assert "296.358" in page
    client.post(
        "/admin/payments/installmentplan/",
        {"action": "cancel_plans", "_selected_action": [plan.pk]},
    )
    plan.refresh_from_db()
    assert plan.status == "cancelled"
    correction = LedgerEntry.objects.get(kind=K.CORRECTION)
    assert correction.details["by_staff"] is True and correction.created_by == staff
    assert ledger.balance(account) == D("2335.000") == open_bill(account).amount
    assert not Installment.objects.filter(plan=plan, status="due").exists()


def test_staff_decide_in_the_admin(
    client, officer, account, staff, django_capture_on_commit_callbacks
):
    req, _check = submit(client, officer, django_capture_on_commit_callbacks)
    client.force_login(staff)
    page = client.get(f"/admin/eservices/servicerequest/{req.pk}/change/").content.decode()
    assert "2305.000" in page and "296.358" in page
    decide = client.get(f"/admin/eservices/servicerequest/{req.pk}/decide/")
    assert decide.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(f"/admin/eservices/servicerequest/{req.pk}/decide/", {"approve": "1"})
    assert resp.status_code == 302
    req.refresh_from_db()
    assert req.status == "approved"
    assert InstallmentPlan.objects.get(request=req).total == D("2074.500")
    assert client.get("/admin/payments/installmentplan/").status_code == 200
    assert client.get("/admin/payments/debitcard/").status_code == 200


def test_the_demo_leaves_establishment_100200_able_to_ask():
    from payments import demo_exemptions

    officer = LiaisonOfficerFactory(establishment__insurance_number="100200")
    assert demo_exemptions.seed() == []
    assert demo_exemptions.seed() == []
    acc = ledger.account_for_establishment(officer.establishment)
    assert ledger.balance(acc) == D("1887.256")  # 1850.250 + 2 × 18.503
    assert reasons(officer.user) == []
