"""Account statements (est.statement, opt.statement, the self-employment statement): pages and
PDFs, whose statement it is, the date range, reconciliation to the fils (a property test with
hypothesis), the append-only ledger, and the ledger's admin."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eservices.models import Document
from eservices.selectors import service
from individuals.models import WageRecord
from payments import ledger
from payments.billing import bill_month
from payments.models import Account, Bill, LedgerEntry, Subscription
from payments.statements import account_statement

from .factories import (
    EstablishmentFactory,
    IndividualFactory,
    InsurancePeriodFactory,
    LiaisonOfficerFactory,
    UserFactory,
    WageRecordFactory,
)
from .factories_payments import (
    BillFactory,
    PaymentFactory,
    SubscriptionFactory,
    SubscriptionWageFactory,
)

pytestmark = pytest.mark.django_db

D = Decimal
JAN, FEB = dt.date(2025, 1, 1), dt.date(2025, 2, 1)
RANGE = {"start": "2025-01-01", "end": "2025-12-31"}


def employ(est, wage: str, month=JAN):
    person = IndividualFactory()
    InsurancePeriodFactory(individual=person, establishment=est, start_date=dt.date(2015, 1, 1))
    return WageRecordFactory(individual=person, establishment=est, month=month, wage=D(wage))


@pytest.fixture
def officer():
    return LiaisonOfficerFactory()


@pytest.fixture
def billed(officer):
    """January and February billed (435 each), January paid on 10 February through a bill."""
    est = officer.establishment
    employ(est, "2000.000")
    employ(est, "2000.000", month=FEB)  # another person in February
    bill_month(JAN, posted_on=dt.date(2025, 2, 1))
    bill_month(FEB, posted_on=dt.date(2025, 3, 1))
    account = Account.objects.get(establishment=est)
    payment = PaymentFactory(bill=BillFactory(account=account, amount=D("435.000"), status="paid"))
    ledger.post(
        account=account,
        kind=LedgerEntry.Kind.PAYMENT,
        key=f"payment:{payment.network_reference}",
        amount=-payment.amount,
        payment=payment,
        posted_on=dt.date(2025, 2, 10),
    )
    return account


# --- The page --------------------------------------------------------------------------------


def test_the_officer_sees_opening_every_entry_running_balance_and_closing(client, officer, billed):
    client.force_login(officer.user)
    resp = client.get(
        reverse("payments:est_statement"), {"start": "2025-02-05", "end": "2025-12-31"}
    )
    assert resp.status_code == 200
    ctx = resp.context
    assert ctx["opening"] == "435.000"  # January's contributions, posted 1 February
    assert [(r["date"], r["debit"], r["credit"], r["balance"]) for r in ctx["rows"]] == [
        ("2025-02-10", "", "435.000", "0.000"),
        ("2025-03-01", "435.000", "", "435.000"),
    ]
    assert ctx["rows"][1]["period"] == "2025-02"
    assert ctx["closing"] == "435.000"
    assert ctx["account_number"] == billed.number
    html = resp.content.decode()
    assert billed.number in html and officer.establishment.name in html
    payment_ref = LedgerEntry.objects.get(account=billed, kind="payment").payment.network_reference
    assert payment_ref in html


def test_the_default_range_is_the_last_twelve_months(client, officer):
    client.force_login(officer.user)
    resp = client.get(reverse("payments:statement", args=["establishment"]))
    assert resp.status_code == 200
    start = dt.date.fromisoformat(resp.context["start"])
    end = dt.date.fromisoformat(resp.context["end"])
    assert start.day == 1 and 330 <= (end - start).days <= 366
    assert resp.context["has_account"] is False and resp.context["rows"] == []


def test_a_start_after_the_end_is_an_error_next_to_the_field(client, officer, billed):
    client.force_login(officer.user)
    resp = client.get(
        reverse("payments:est_statement"), {"start": "2025-05-01", "end": "2025-01-01"}
    )
    assert resp.status_code == 400
    assert resp.context["form"].errors["end"]


def test_another_establishments_account_is_404(client, officer, billed):
    other = LiaisonOfficerFactory()
    client.force_login(other.user)
    url = reverse("payments:account_statement", args=["establishment", billed.number])
    assert client.get(url).status_code == 404
    # their own statement shows nothing of the other establishment's
    resp = client.get(reverse("payments:est_statement"), RANGE)
    assert resp.context["rows"] == [] and billed.number not in resp.content.decode()
    client.force_login(officer.user)
    assert client.get(url, RANGE).status_code == 200


def test_the_wrong_kind_of_user_is_refused(client, officer):
    client.force_login(IndividualFactory().user)
    assert client.get(reverse("payments:est_statement")).status_code == 403
    client.force_login(officer.user)
    assert client.get(reverse("payments:opt_statement")).status_code == 403
    assert client.get(reverse("payments:statement", args=["nonsense"])).status_code == 404
    client.logout()
    assert client.get(reverse("payments:est_statement")).status_code == 302  # to sign in


def test_subscribers_see_their_optional_and_self_employed_statements(client):
    person = IndividualFactory()
    opt = SubscriptionFactory(
        individual=person, start_month=dt.date(2024, 1, 1), end_month=dt.date(2024, 12, 1)
    )
    SubscriptionWageFactory(subscription=opt, wage=D("500.000"))
    self_sub = SubscriptionFactory(individual=person, kind=Subscription.Kind.SELF_EMPLOYED)
    SubscriptionWageFactory(subscription=self_sub, wage=D("580.000"))
    bill_month(dt.date(2024, 12, 1), posted_on=dt.date(2025, 1, 1))
    bill_month(JAN, posted_on=dt.date(2025, 2, 1))
    client.force_login(person.user)
    resp = client.get(reverse("payments:opt_statement"), {"start": "2024-06-01"})
    assert [r["debit"] for r in resp.context["rows"]] == ["87.500"]
    assert resp.context["account_number"] == opt.account.number
    resp = client.get(
        reverse("payments:statement", args=["self_employed"]), {"start": "2024-06-01"}
    )
    assert [r["debit"] for r in resp.context["rows"]] == ["101.500"]
    assert resp.context["account_number"] == self_sub.account.number
    assert resp.context["title"] != str(service("opt.statement").name)
    # someone without a subscription: a page that says so, not an error
    client.force_login(IndividualFactory().user)
    resp = client.get(reverse("payments:opt_statement"))
    assert resp.status_code == 200 and resp.context["has_account"] is False
    assert resp.context["closing"] == "0.000"


def test_the_page_uses_a_fixed_number_of_queries(client, officer, django_assert_max_num_queries):
    account = ledger.account_for_establishment(officer.establishment)
    for i in range(60):
        ledger.post(
            account=account,
            kind="contribution" if i % 2 else "payment",
            key=f"k{i}",
            amount=D("10.000") if i % 2 else D("-5.000"),
            posted_on=dt.date(2025, 1, 1) + dt.timedelta(days=i),
        )
    client.force_login(officer.user)
    with django_assert_max_num_queries(12):
        resp = client.get(reverse("payments:est_statement"), RANGE)
    assert len(resp.context["rows"]) == 60 and resp.context["closing"] == "150.000"


def test_the_statement_pdf(client, officer, billed, django_capture_on_commit_callbacks):
    client.force_login(officer.user)
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("payments:statement_pdf", args=["establishment"]), RANGE)
    doc = Document.objects.get(owner=officer.user)
    assert resp.status_code == 302 and resp.url == reverse(
        "eservices:document_download", args=[doc.pk]
    )
    assert doc.kind == Document.Kind.STATEMENT and doc.status == Document.Status.READY
    assert doc.certifies["الرصيد الختامي (دينار)"] == "435.000"
    assert doc.certifies["رقم الحساب"] == billed.number
    assert doc.file.open("rb").read(5) == b"%PDF-"
    # another officer cannot download it
    client.force_login(LiaisonOfficerFactory().user)
    assert client.get(reverse("eservices:document_download", args=[doc.pk])).status_code == 404


def test_the_catalogue_entries_are_implemented():
    assert service("est.statement").url == reverse("payments:est_statement")
    assert service("opt.statement").url == reverse("payments:opt_statement")


# --- Reconciliation to the fils (hypothesis) -------------------------------------------------

BASE = dt.date(2025, 1, 1)
amounts = st.decimals(min_value=D("0.001"), max_value=D("99999.999"), places=3)
operations = st.lists(
    st.tuples(
        st.sampled_from(["contribution", "payment", "correction+", "correction-", "penalty"]),
        amounts,
        st.integers(min_value=0, max_value=400),
    ),
    max_size=25,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    ops=operations,
    a=st.integers(min_value=-30, max_value=430),
    b=st.integers(min_value=-30, max_value=430),
)
def test_statements_reconcile_to_the_fils(ops, a, b):
    account = ledger.account_for_establishment(EstablishmentFactory())
    for n, (kind, amount, offset) in enumerate(ops):
        sign = -1 if kind in ("payment", "correction-") else 1
        ledger.post(
            account=account,
            kind=kind.rstrip("+-"),
            key=f"op{n}",
            amount=sign * amount,
            period=BASE if kind != "payment" else None,
            posted_on=BASE + dt.timedelta(days=offset),
        )
    start, end = sorted((BASE + dt.timedelta(days=a), BASE + dt.timedelta(days=b)))
    s = account_statement(account, start=start, end=end)
    in_range = sum((r.amount for r in s.rows), D(0))
    assert s.opening + in_range == s.closing
    assert s.closing == ledger.balance(account, until=end)
    assert s.opening == ledger.balance(account, until=start - dt.timedelta(days=1))
    assert s.total_debit - s.total_credit == in_range
    if s.rows:
        assert s.rows[-1].balance == s.closing
    # two adjacent statements join: the closing of one is the opening of the next
    mid = start + (end - start) / 2
    first = account_statement(account, start=start, end=mid)
    second = account_statement(account, start=mid + dt.timedelta(days=1), end=end)
    assert first.closing == second.opening and second.closing == s.closing
    assert len(first.rows) + len(second.rows) == len(s.rows)
    # and the printed figures are the same numbers, to the fils
    ctx = s.as_context()
    assert D(ctx["closing"].replace(",", "")) == s.closing


# --- The ledger never changes in place -------------------------------------------------------


def test_the_database_refuses_to_update_or_delete_an_entry():
    account = ledger.account_for_establishment(EstablishmentFactory())
    entry, _ = ledger.post(account=account, kind="contribution", key="c", amount=D("1.000"))
    for sql in (
        "UPDATE payments_ledgerentry SET amount = 2 WHERE id = %s",
        "DELETE FROM payments_ledgerentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=D("3.000"))
    with pytest.raises(ValueError):
        entry.save()
    entry.refresh_from_db()
    assert entry.amount == D("1.000")


# --- The admin -------------------------------------------------------------------------------


@pytest.fixture
def staff(client):
    user = UserFactory(id_type="staff", id_number="ledger-clerk", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_admin_accounts_show_their_balance_and_are_read_only(client, staff, billed):
    resp = client.get(reverse("admin:payments_account_changelist"))
    assert resp.status_code == 200 and "435.000" in resp.content.decode()
    page = client.get(reverse("admin:payments_account_change", args=[billed.pk]))
    assert page.status_code == 200 and "contrib:2025-02" in page.content.decode()
    assert client.get(reverse("admin:payments_account_add")).status_code == 403
    assert client.get(reverse("admin:payments_bill_add")).status_code == 403
    bill = Bill.objects.filter(account=billed).first()
    resp = client.post(reverse("admin:payments_bill_change", args=[bill.pk]), {"amount": "1"})
    assert resp.status_code == 403


def test_admin_entries_are_read_only_and_a_correction_is_a_new_entry(client, staff, billed):
    entry = LedgerEntry.objects.get(account=billed, key="contrib:2025-01")
    change = reverse("admin:payments_ledgerentry_change", args=[entry.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"amount": "1"}).status_code == 403
    assert (
        client.post(reverse("admin:payments_ledgerentry_delete", args=[entry.pk])).status_code
        == 403
    )
    form = client.get(reverse("admin:payments_ledgerentry_add"))
    token = form.context["adminform"].form.initial["token"]
    data = {
        "account": billed.pk,
        "amount": "-35.000",
        "period": "2025-01-01",
        "memo": "Wage of one employee over-declared",
        "reverses": "",
        "token": token,
    }
    resp = client.post(reverse("admin:payments_ledgerentry_add"), data)
    assert resp.status_code == 302, resp.content.decode()[:3000]
    client.post(reverse("admin:payments_ledgerentry_add"), data)  # the same form twice: once
    correction = LedgerEntry.objects.get(account=billed, kind="correction")
    assert correction.amount == D("-35.000") and correction.created_by == staff
    assert correction.key == f"admin:{token}"
    entry.refresh_from_db()
    assert entry.amount == D("435.000")  # unchanged
    assert ledger.balance(billed) == D("400.000")
    assert Bill.objects.get(account=billed, status="open").amount == D("400.000")
    zero = client.post(
        reverse("admin:payments_ledgerentry_add"), {**data, "amount": "0", "token": "t2"}
    )
    assert zero.status_code == 200 and LedgerEntry.objects.filter(key="admin:t2").count() == 0


def test_admin_action_reverses_an_entry_once(client, staff, billed):
    entry = LedgerEntry.objects.get(account=billed, key="contrib:2025-02")
    url = reverse("admin:payments_ledgerentry_changelist")
    for _ in range(2):
        client.post(url, {"action": "reverse_entries", "_selected_action": [entry.pk]})
    reversal = LedgerEntry.objects.get(reverses=entry)
    assert reversal.amount == D("-435.000") and reversal.kind == "correction"
    assert reversal.period == FEB and reversal.created_by == staff
    assert ledger.balance(billed) == 0
    assert WageRecord.objects.filter(month=FEB).exists()  # the record is not what changes
