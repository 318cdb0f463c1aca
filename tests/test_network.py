"""The biller interface of the bill-payment network (eFAWATEERcom model): signed bill inquiry and
payment notification, the network's result codes, one payment per network reference, and what a
payment does (bill paid, ledger credit, instalments paid, card topped up, receipt, notification).
Every refusal is checked to change nothing, by counting rows before and after."""

from __future__ import annotations

import datetime as dt
import json
import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.exceptions import ServiceError
from eservices.models import Document, Notification, Rule
from payments import ledger, network
from payments.models import (
    Bill,
    DebitCard,
    Installment,
    InstallmentPlan,
    LedgerEntry,
    Payment,
)
from payments.network import Code

from .factories import IndividualFactory, LiaisonOfficerFactory
from .factories_payments import EstablishmentAccountFactory, SubscriberAccountFactory

pytestmark = pytest.mark.django_db

D = Decimal
INQUIRY = "efw_bill_inquiry"
NOTIFY = "efw_payment_notification"


# --- helpers shared by the network, reconciliation and payment page tests -------------------------


def seed_network_rules() -> None:
    """The rule rows of payments.rules_seed_network (until they are in the seeded modules)."""
    from payments.rules_seed_network import ROWS

    for key, value, start, source, default, ar, en in ROWS:
        Rule.objects.get_or_create(
            key=key,
            effective_from=dt.date.fromisoformat(start),
            defaults={
                "value": D(value),
                "source": source,
                "is_default": default,
                "description_ar": ar,
                "description_en": en,
            },
        )


def signed_post(
    client: Client,
    name: str,
    payload: dict | None = None,
    *,
    raw: bytes | None = None,
    secret: str | None = None,
    timestamp: int | None = None,
    signature: str | None = None,
):
    body = raw if raw is not None else json.dumps(payload).encode()
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    sig = signature or network.sign(body, stamp, secret or settings.NETWORK_SHARED_SECRET)
    return client.post(
        reverse(f"api:{name}"),
        data=body,
        content_type="application/json",
        headers={network.TIMESTAMP_HEADER: stamp, network.SIGNATURE_HEADER: sig},
    )


def notice(bill: Bill, *, reference: str = "PMT-0001", fils: int | None = None, **extra) -> dict:
    return {
        "PmtRef": reference,
        "JOEBPPSTrx": "770011223344",
        "BillNo": bill.number,
        "PaidAmt": network.to_fils(bill.amount) if fils is None else fils,
        "BankCode": "ARABJOAX",
        "ProcessDate": timezone.localtime().replace(microsecond=0).isoformat(),
        **extra,
    }


def establishment_bill(amount: str = "1234.567", officer=None) -> Bill:
    """An establishment (with its liaison officer) owing ``amount``, and its open bill."""
    officer = officer or LiaisonOfficerFactory()
    account = EstablishmentAccountFactory(establishment=officer.establishment)
    ledger.post(
        account=account,
        kind=LedgerEntry.Kind.CONTRIBUTION,
        key="contrib:2025-01",
        amount=D(amount),
        period=dt.date(2025, 1, 1),
    )
    return ledger.refresh_contributions_bill(account)


def active_card(balance: str = "0") -> DebitCard:
    person = IndividualFactory()
    return DebitCard.objects.create(
        individual=person, number=f"40{person.pk:08d}", last4="4321", balance=D(balance)
    )


def counts() -> dict:
    return {
        "payments": Payment.objects.count(),
        "entries": LedgerEntry.objects.count(),
        "documents": Document.objects.count(),
        "notifications": Notification.objects.count(),
        "paid_bills": Bill.objects.filter(status=Bill.Status.PAID).count(),
        "open_bills": Bill.objects.filter(status=Bill.Status.OPEN).count(),
        "paid_instalments": Installment.objects.filter(status=Installment.Status.PAID).count(),
        "card_balances": sorted(DebitCard.objects.values_list("balance", flat=True)),
    }


@pytest.fixture
def bill() -> Bill:
    return establishment_bill()


@pytest.fixture
def client_() -> Client:
    return Client()


@pytest.fixture
def pay(client_, django_capture_on_commit_callbacks):
    """Send a signed payment notification, running what follows the commit (receipt, notice)."""

    def send(payload: dict, **kw):
        with django_capture_on_commit_callbacks(execute=True):
            return signed_post(client_, NOTIFY, payload, **kw)

    return send


# --- Bill inquiry ----------------------------------------------------------------------------


def test_inquiry_returns_the_open_bill_in_fils(client_, bill):
    response = signed_post(
        client_, INQUIRY, {"BillingNo": bill.account.number, "ServiceType": "contributions"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["Result"] == {"ErrorCode": 0, "ErrorDesc": "Success", "Severity": "Info"}
    assert body["RecCount"] == 1
    rec = body["BillsRec"][0]
    assert rec["BillNo"] == bill.number
    assert rec["DueAmount"] == 1234567 and isinstance(rec["DueAmount"], int)
    assert rec["DueDate"] == bill.due_date.isoformat()
    assert rec["BillStatus"] == "BillNew"
    assert rec["PmtConst"] == {"AllowPart": False, "Lower": 1234567, "Upper": 1234567}
    assert body["BillerCode"] == settings.NETWORK_BILLER_CODE


def test_inquiry_filters_by_service_type_and_skips_closed_bills(client_, bill):
    other = signed_post(
        client_, INQUIRY, {"BillingNo": bill.account.number, "ServiceType": "installments"}
    ).json()
    assert other["Result"]["ErrorCode"] == 0 and other["RecCount"] == 0
    Bill.objects.filter(pk=bill.pk).update(status=Bill.Status.SUPERSEDED)
    body = signed_post(client_, INQUIRY, {"BillingNo": bill.account.number}).json()
    assert body["Result"]["ErrorCode"] == 0 and body["BillsRec"] == []


def test_inquiry_by_card_number(client_):
    seed_network_rules()
    card = active_card()
    topup = network.issue_card_topup_bill(card, D("25.500"))
    body = signed_post(client_, INQUIRY, {"BillingNo": card.number}).json()
    assert [b["BillNo"] for b in body["BillsRec"]] == [topup.number]
    assert body["BillsRec"][0]["DueAmount"] == 25500
    assert body["BillsRec"][0]["ServiceType"] == "card_topup"
    assert body["BillsRec"][0]["ExpiryDate"] == topup.expires_on.isoformat()


@pytest.mark.parametrize(
    ("payload", "code", "status"),
    [
        ({"BillingNo": "1099999999"}, Code.UNKNOWN_BILL, 200),
        ({"BillingNo": ""}, Code.MALFORMED, 400),
        ({"BillingNo": "1000000001", "ServiceType": "pizza"}, Code.MALFORMED, 400),
        ({"BillingNo": "1000000001", "BillerCode": "OTHER"}, Code.MALFORMED, 400),
    ],
)
def test_inquiry_errors(client_, bill, payload, code, status):
    response = signed_post(client_, INQUIRY, payload)
    assert response.status_code == status
    assert response.json()["Result"]["ErrorCode"] == code
    assert response.json()["Result"]["Severity"] == "Error"


def test_inquiry_refuses_a_bad_signature_and_a_stale_timestamp(client_, bill):
    payload = {"BillingNo": bill.account.number}
    wrong = signed_post(client_, INQUIRY, payload, secret="not-the-secret")
    assert (wrong.status_code, wrong.json()["Result"]["ErrorCode"]) == (401, 102)
    old = int(time.time()) - int(settings.NETWORK_SIGNATURE_WINDOW.total_seconds()) - 5
    stale = signed_post(client_, INQUIRY, payload, timestamp=old)
    assert (stale.status_code, stale.json()["Result"]["ErrorCode"]) == (401, 103)
    unsigned = client_.post(reverse(f"api:{INQUIRY}"), payload, content_type="application/json")
    assert unsigned.json()["Result"]["ErrorCode"] == 102
    assert client_.get(reverse(f"api:{INQUIRY}")).status_code == 405


def test_a_signed_body_that_is_not_json_is_malformed(client_, bill):
    response = signed_post(client_, INQUIRY, raw=b"<BillPullRq/>")
    assert (response.status_code, response.json()["Result"]["ErrorCode"]) == (400, 101)


# --- Payment notification: success and its effects ------------------------------------------


def test_payment_records_everything_once(pay, bill):
    officer_user = bill.account.establishment.liaison_officer.user
    response = pay(notice(bill, reference="PMT-42"))
    assert response.status_code == 200
    body = response.json()
    assert body["Result"]["ErrorCode"] == 0
    payment = Payment.objects.get()
    assert body["PmtRef"] == "PMT-42" and body["ReceiptNo"] == str(payment.pk)
    assert body["PaidAmt"] == 1234567
    assert (payment.network_reference, payment.network_trx, payment.bank_code) == (
        "PMT-42",
        "770011223344",
        "ARABJOAX",
    )
    assert payment.amount == D("1234.567") and payment.account == bill.account
    bill.refresh_from_db()
    assert bill.status == Bill.Status.PAID
    entry = LedgerEntry.objects.get(kind=LedgerEntry.Kind.PAYMENT)
    assert entry.key == "payment:PMT-42" and entry.amount == D("-1234.567")
    assert entry.payment == payment and entry.details["network_trx"] == "770011223344"
    assert ledger.balance(bill.account) == 0
    # After commit: the receipt PDF, linked and ready, and the officer told.
    assert payment.receipt is not None
    assert payment.receipt.kind == "receipt" and payment.receipt.owner == officer_user
    assert payment.receipt.status == Document.Status.READY
    assert payment.receipt.file.read(4) == b"%PDF"
    assert payment.receipt.certifies["رقم الفاتورة"] == bill.number
    assert Notification.objects.filter(user=officer_user, channel="inbox").count() == 1
    # Nothing more is due: no open contributions bill.
    assert not Bill.objects.filter(account=bill.account, status=Bill.Status.OPEN).exists()


def test_a_repeated_notification_answers_the_same_and_records_nothing(pay, bill):
    first = pay(notice(bill)).json()
    before = counts()
    again = pay(notice(bill))
    assert again.status_code == 200 and again.json() == first
    assert counts() == before


def test_the_same_reference_for_another_bill_is_a_conflict(pay, bill):
    pay(notice(bill, reference="PMT-7"))
    other = establishment_bill("50.000")
    before = counts()
    body = pay(notice(other, reference="PMT-7")).json()
    assert body["Result"]["ErrorCode"] == Code.REFERENCE_CONFLICT
    assert counts() == before
    assert Bill.objects.get(pk=other.pk).status == Bill.Status.OPEN


def test_paying_leaves_the_rest_due_on_a_new_bill(pay, bill):
    """Charges posted after the bill was issued are billed anew once it is paid."""
    ledger.post(
        account=bill.account,
        kind=LedgerEntry.Kind.PENALTY,
        key="penalty:x",
        amount=D("10.000"),
    )
    assert pay(notice(bill)).json()["Result"]["ErrorCode"] == 0
    new = Bill.objects.get(account=bill.account, status=Bill.Status.OPEN)
    assert new.amount == D("10.000") and new.number != bill.number


# --- Payment notification: every refusal changes nothing --------------------------------------


def _refusals():
    def bad_signature(bill):
        return notice(bill), {"secret": "forged"}

    def unknown_bill(bill):
        return {**notice(bill), "BillNo": "10999999999"}, {}

    def wrong_amount(bill):
        return notice(bill, fils=1234566), {}

    def float_amount(bill):
        return {**notice(bill), "PaidAmt": 1234.567}, {}

    def string_amount(bill):
        return {**notice(bill), "PaidAmt": "1234567"}, {}

    def no_reference(bill):
        return {k: v for k, v in notice(bill).items() if k != "PmtRef"}, {}

    def bad_date(bill):
        return {**notice(bill), "ProcessDate": "yesterday"}, {}

    def stale(bill):
        return notice(bill), {"timestamp": int(time.time()) - 3600}

    def wrong_billing_number(bill):
        return {**notice(bill), "BillingNo": "1012345678"}, {}

    return [
        ("bad signature", bad_signature, Code.INVALID_SIGNATURE, 401),
        ("stale timestamp", stale, Code.STALE_REQUEST, 401),
        ("unknown bill", unknown_bill, Code.UNKNOWN_BILL, 200),
        ("billing number of another payer", wrong_billing_number, Code.UNKNOWN_BILL, 200),
        ("wrong amount", wrong_amount, Code.AMOUNT_MISMATCH, 200),
        ("amount not in fils", float_amount, Code.MALFORMED, 400),
        ("amount as text", string_amount, Code.MALFORMED, 400),
        ("no reference", no_reference, Code.MALFORMED, 400),
        ("bad payment date", bad_date, Code.MALFORMED, 400),
    ]


@pytest.mark.parametrize(
    ("case", "make", "code", "status"), _refusals(), ids=[r[0] for r in _refusals()]
)
def test_each_refusal_has_its_code_and_changes_nothing(pay, bill, case, make, code, status):
    payload, kw = make(bill)
    before = counts()
    response = pay(payload, **kw)
    assert response.status_code == status
    assert response.json()["Result"]["ErrorCode"] == code, case
    assert counts() == before
    assert Bill.objects.get(pk=bill.pk).status == Bill.Status.OPEN


def test_a_paid_bill_is_refused_and_nothing_changes(pay, bill):
    pay(notice(bill, reference="PMT-1"))
    before = counts()
    body = pay(notice(bill, reference="PMT-2")).json()
    assert body["Result"]["ErrorCode"] == Code.BILL_PAID
    assert counts() == before
    assert not Payment.objects.filter(network_reference="PMT-2").exists()


@pytest.mark.parametrize("status", [Bill.Status.SUPERSEDED, Bill.Status.CANCELLED])
def test_a_superseded_or_cancelled_bill_is_not_payable(pay, bill, status):
    Bill.objects.filter(pk=bill.pk).update(status=status)
    before = counts()
    assert pay(notice(bill)).json()["Result"]["ErrorCode"] == Code.BILL_NOT_PAYABLE
    assert counts() == before


def test_an_expired_bill_is_not_payable(pay):
    seed_network_rules()
    card = active_card("5.000")
    topup = network.issue_card_topup_bill(card, D("20.000"))
    Bill.objects.filter(pk=topup.pk).update(expires_on=timezone.localdate() - dt.timedelta(days=1))
    before = counts()
    assert pay(notice(topup)).json()["Result"]["ErrorCode"] == Code.BILL_NOT_PAYABLE
    assert counts() == before
    card.refresh_from_db()
    assert card.balance == D("5.000")


# --- Instalments, cards and subscribers ---------------------------------------------------------


def _plan(account, amounts_and_days):
    today = timezone.localdate()
    plan = InstallmentPlan.objects.create(
        account=account,
        total=sum((D(a) for a, _d in amounts_and_days), D(0)),
        months=len(amounts_and_days),
        first_due=today + dt.timedelta(days=amounts_and_days[0][1]),
    )
    for n, (amount, days) in enumerate(amounts_and_days, start=1):
        Installment.objects.create(
            plan=plan, sequence=n, due_date=today + dt.timedelta(days=days), amount=D(amount)
        )
    return plan


def test_an_instalments_bill_pays_the_instalments_due(pay):
    officer = LiaisonOfficerFactory()
    account = EstablishmentAccountFactory(establishment=officer.establishment)
    ledger.post(account=account, kind="contribution", key="debt", amount=D("900.000"))
    plan = _plan(account, [("300.000", -40), ("300.000", -10), ("300.000", 20)])
    contributions_bill = ledger.refresh_contributions_bill(account)
    assert contributions_bill is None  # all of it is scheduled
    bill = network.issue_installments_bill(account)
    assert bill.kind == Bill.Kind.INSTALLMENTS and bill.amount == D("600.000")
    assert sorted(bill.installments.values_list("sequence", flat=True)) == [1, 2]
    assert network.issue_installments_bill(account) == bill  # same instalments: same bill
    assert pay(notice(bill)).json()["Result"]["ErrorCode"] == 0
    payment = Payment.objects.get()
    assert list(
        plan.installments.filter(status=Installment.Status.PAID).values_list("sequence", flat=True)
    ) == [1, 2]
    assert set(payment.installments.values_list("sequence", flat=True)) == {1, 2}
    assert ledger.balance(account) == D("300.000")
    assert ledger.contributions_due(account) == 0
    plan.refresh_from_db()
    assert plan.status == InstallmentPlan.Status.ACTIVE
    assert payment.receipt is not None


def test_an_instalments_bill_is_superseded_when_more_fall_due_and_the_last_completes_the_plan(
    pay,
):
    officer = LiaisonOfficerFactory()
    account = EstablishmentAccountFactory(establishment=officer.establishment)
    ledger.post(account=account, kind="contribution", key="debt", amount=D("200.000"))
    plan = _plan(account, [("100.000", -5), ("100.000", 3)])
    first = network.issue_installments_bill(account)
    later = timezone.localdate() + dt.timedelta(days=3)
    second = network.issue_installments_bill(account, on=later)
    first.refresh_from_db()
    assert first.status == Bill.Status.SUPERSEDED and second.amount == D("200.000")
    before = counts()
    assert pay(notice(first)).json()["Result"]["ErrorCode"] == Code.BILL_NOT_PAYABLE
    assert counts() == before
    assert pay(notice(second)).json()["Result"]["ErrorCode"] == 0
    plan.refresh_from_db()
    assert plan.status == InstallmentPlan.Status.COMPLETED


def test_a_card_top_up_raises_the_balance_and_posts_no_ledger_entry(pay):
    seed_network_rules()
    card = active_card("5.000")
    topup = network.issue_card_topup_bill(card, D("20.250"))
    response = pay(notice(topup))
    assert response.json()["Result"]["ErrorCode"] == 0
    card.refresh_from_db()
    assert card.balance == D("25.250")
    assert LedgerEntry.objects.count() == 0
    payment = Payment.objects.get()
    assert payment.card == card and payment.account is None
    assert payment.receipt.owner == card.individual.user
    assert Notification.objects.filter(user=card.individual.user).exists()


def test_card_top_up_limits_and_one_open_bill(settings):
    seed_network_rules()
    card = active_card()
    with pytest.raises(ServiceError):
        network.issue_card_topup_bill(card, D("0.500"))
    with pytest.raises(ServiceError):
        network.issue_card_topup_bill(card, D("1000.001"))
    first = network.issue_card_topup_bill(card, D("10"))
    second = network.issue_card_topup_bill(card, D("30"))
    first.refresh_from_db()
    assert first.status == Bill.Status.SUPERSEDED
    assert second.expires_on == timezone.localdate() + dt.timedelta(days=3)
    DebitCard.objects.filter(pk=card.pk).update(status=DebitCard.Status.STOPPED)
    with pytest.raises(ServiceError):
        network.issue_card_topup_bill(card, D("10"))


def test_a_subscriber_pays_the_optional_bill(pay):
    account = SubscriberAccountFactory()
    ledger.post(account=account, kind="contribution", key="opt:2025-01", amount=D("71.500"))
    bill = ledger.refresh_contributions_bill(account)
    assert bill.kind == Bill.Kind.OPTIONAL
    assert pay(notice(bill, ServiceType="optional")).json()["Result"]["ErrorCode"] == 0
    assert ledger.balance(account) == 0
    assert Notification.objects.filter(user=account.individual.user).exists()


def test_a_payer_without_a_portal_account_gets_no_receipt_but_the_payment_counts(pay):
    account = SubscriberAccountFactory(
        individual=IndividualFactory(user=None, national_number="9911223344")
    )
    ledger.post(account=account, kind="contribution", key="opt:2025-02", amount=D("10.000"))
    bill = ledger.refresh_contributions_bill(account)
    assert pay(notice(bill)).json()["Result"]["ErrorCode"] == 0
    payment = Payment.objects.get()
    assert payment.receipt is None and ledger.balance(account) == 0


def test_after_payment_is_idempotent(pay, bill):
    pay(notice(bill))
    payment = Payment.objects.get()
    before = counts()
    network.after_payment(payment.pk)
    assert counts() == before


def test_the_unique_keys_are_the_last_line_of_defence(bill):
    """Even past the service, the database refuses a second payment of a bill."""
    from django.db import IntegrityError, transaction

    Payment.objects.create(
        bill=bill,
        account=bill.account,
        amount=bill.amount,
        channel="network",
        network_reference="A",
        paid_at=timezone.now(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            bill=bill,
            account=bill.account,
            amount=bill.amount,
            channel="network",
            network_reference="B",
            paid_at=timezone.now(),
        )


# --- The simulator's client and command --------------------------------------------------------


def test_the_simulator_client_signs_like_the_network(
    bill, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.NETWORK_SETTLEMENT_DIR = tmp_path
    client = network.NetworkClient()
    reply = client.inquire(bill.account.number)
    assert reply.code == 0 and reply.body["BillsRec"][0]["BillNo"] == bill.number
    with django_capture_on_commit_callbacks(execute=True):
        paid = client.pay(bill.number, reference="SIM-1")
    assert paid.code == 0 and Payment.objects.get().network_reference == "SIM-1"
    rows = network.journal_rows(timezone.localdate())
    assert [r["network_reference"] for r in rows] == ["SIM-1"]
    assert rows[0]["amount_fils"] == 1234567
    forged = network.NetworkClient(secret="wrong").inquire(bill.account.number)
    assert (forged.status, forged.code) == (401, 102)


def test_the_management_command(bill, settings, tmp_path, django_capture_on_commit_callbacks):
    from django.core.management import CommandError, call_command

    settings.NETWORK_SETTLEMENT_DIR = tmp_path
    out = _run(call_command, "inquire", bill.account.number)
    assert json.loads(out)["BillsRec"][0]["DueAmount"] == 1234567
    with pytest.raises(CommandError, match="203"):
        _run(call_command, "pay", bill.number, "--amount", "1")
    with django_capture_on_commit_callbacks(execute=True):
        out = _run(call_command, "pay", bill.number, "--reference", "CMD-1", "--trx", "99")
    assert json.loads(out)["Result"]["ErrorCode"] == 0
    assert Payment.objects.get().network_trx == "99"
    day = timezone.localdate()
    out = _run(call_command, "settlement", day.isoformat(), "--reconcile")
    csv_text = (tmp_path / f"{day.isoformat()}.csv").read_text()
    assert csv_text.splitlines()[0] == (
        "network_reference,transaction_number,bill_number,amount_fils,paid_at"
    )
    assert "CMD-1,99," + bill.number + ",1234567," in csv_text
    assert '"status": "reconciled"' in out
    assert Payment.objects.get().settlement_date == day


def _run(call_command, *args) -> str:
    import io

    buf = io.StringIO()
    call_command("network_simulator", *args, stdout=buf)
    return buf.getvalue()
