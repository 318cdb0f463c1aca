"""The biller side of the national bill-payment network (eFAWATEERcom model).

The network asks two things of a biller, each a signed JSON POST (docs/payments-network.md):

* **bill inquiry** — by billing number (an ``Account.number`` or a ``DebitCard.number``) and
  service type: the open bills, amounts in fils as integers;
* **payment notification** — a bill was paid: recorded once per network payment reference, in one
  transaction (payment, bill paid, ledger credit, instalments paid, card topped up); the receipt
  PDF, the payer's notification and the refreshed contributions bill follow after commit.

Every answer carries one of the network's result codes (``Code``). An error changes nothing.

This module also issues the bills the payment pages present (instalments due, card top-ups), and
holds the network simulator's client, which signs requests exactly as the network does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import re
import secrets
import time
from dataclasses import dataclass, field
from decimal import Decimal
from enum import IntEnum
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import ledger
from .models import (
    Account,
    Bill,
    DebitCard,
    Installment,
    InstallmentPlan,
    LedgerEntry,
    Payment,
)

log = logging.getLogger(__name__)

TIMESTAMP_HEADER = "X-Network-Timestamp"
SIGNATURE_HEADER = "X-Network-Signature"
CURRENCY = "JOD"
FILS_PER_JD = 1000

# Service types the network names, one per kind of bill (the values of Bill.Kind).
SERVICE_TYPES = tuple(Bill.Kind.values)
# Kinds of bill whose payment is a credit on a contributions account (card top-ups are not).
ACCOUNT_KINDS = (
    Bill.Kind.CONTRIBUTIONS,
    Bill.Kind.INSTALLMENTS,
    Bill.Kind.OPTIONAL,
    Bill.Kind.SELF_EMPLOYED,
)
# Kinds of bill that ledger.refresh_contributions_bill re-issues after a payment.
REFRESHED_KINDS = (Bill.Kind.CONTRIBUTIONS, Bill.Kind.OPTIONAL, Bill.Kind.SELF_EMPLOYED)

REFERENCE_RE = re.compile(r"^[A-Za-z0-9._-]{1,40}$")
BILL_NO_RE = re.compile(r"^[A-Za-z0-9-]{1,30}$")
BANK_RE = re.compile(r"^[A-Za-z0-9._-]{1,20}$")


class Code(IntEnum):
    """The network's result codes (docs/payments-network.md keeps the same table)."""

    OK = 0
    MALFORMED = 101
    INVALID_SIGNATURE = 102
    STALE_REQUEST = 103
    UNKNOWN_BILL = 201
    BILL_PAID = 202
    AMOUNT_MISMATCH = 203
    BILL_NOT_PAYABLE = 204
    REFERENCE_CONFLICT = 205


# Protocol text (English, for the network's operators; users never see it).
DESCRIPTIONS = {
    Code.OK: "Success",
    Code.MALFORMED: "Malformed request",
    Code.INVALID_SIGNATURE: "Invalid signature",
    Code.STALE_REQUEST: "Request timestamp outside the allowed window",
    Code.UNKNOWN_BILL: "Unknown billing number or bill",
    Code.BILL_PAID: "Bill already paid",
    Code.AMOUNT_MISMATCH: "Paid amount differs from the amount due",
    Code.BILL_NOT_PAYABLE: "Bill expired, superseded or cancelled",
    Code.REFERENCE_CONFLICT: "Payment reference already used for another payment",
}
HTTP_STATUS = {Code.MALFORMED: 400, Code.INVALID_SIGNATURE: 401, Code.STALE_REQUEST: 401}


@dataclass
class Answer:
    """What the biller answers: the result code, and the body's other fields."""

    code: Code
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def http_status(self) -> int:
        return HTTP_STATUS.get(self.code, 200)

    @property
    def body(self) -> dict[str, Any]:
        result = {
            "ErrorCode": int(self.code),
            "ErrorDesc": DESCRIPTIONS[self.code],
            "Severity": "Info" if self.code == Code.OK else "Error",
        }
        return {"Result": result, **self.fields}


class Refused(Exception):
    def __init__(self, code: Code, **fields):
        super().__init__(DESCRIPTIONS[code])
        self.code = code
        self.fields = fields


# --- Money and signatures --------------------------------------------------------------------


def to_fils(amount: Decimal) -> int:
    """JD to the fils → an integer number of fils (amounts are kept to 3 decimals: exact)."""
    fils = amount * FILS_PER_JD
    if fils != fils.to_integral_value():
        raise ValueError(f"{amount} is not a whole number of fils")
    return int(fils)


def from_fils(fils: int) -> Decimal:
    return (Decimal(fils) / FILS_PER_JD).quantize(Decimal("0.001"))


def shared_secret() -> str:
    return getattr(settings, "NETWORK_SHARED_SECRET", "dev-network-secret")


def signature_window() -> dt.timedelta:
    return getattr(settings, "NETWORK_SIGNATURE_WINDOW", dt.timedelta(minutes=5))


def biller_code() -> str:
    return getattr(settings, "NETWORK_BILLER_CODE", "SSC-042")


def sign(body: bytes, timestamp: str, secret: str | None = None) -> str:
    """HMAC-SHA256 (hex) of ``<timestamp>.<raw body>`` with the shared secret."""
    key = (secret if secret is not None else shared_secret()).encode()
    return hmac.new(key, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify(body: bytes, timestamp: str | None, signature: str | None, *, now=None) -> None:
    """Refuse an unsigned or wrongly signed request (102), then one outside the window (103)."""
    if not timestamp or not signature:
        raise Refused(Code.INVALID_SIGNATURE)
    expected = sign(body, timestamp)
    if not hmac.compare_digest(expected, signature.strip().lower()):
        raise Refused(Code.INVALID_SIGNATURE)
    try:
        sent = int(timestamp)
    except ValueError:
        raise Refused(Code.INVALID_SIGNATURE) from None
    now = time.time() if now is None else now
    if abs(now - sent) > signature_window().total_seconds():
        raise Refused(Code.STALE_REQUEST)


def _parse(body: bytes) -> dict:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise Refused(Code.MALFORMED) from None
    if not isinstance(data, dict):
        raise Refused(Code.MALFORMED)
    return data


def _text(data: dict, key: str, pattern: re.Pattern, *, required: bool = True) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not pattern.match(value):
        raise Refused(Code.MALFORMED, Field=key)
    return value


def _service_type(data: dict) -> str:
    value = data.get("ServiceType")
    if value in (None, ""):
        return ""
    if value not in SERVICE_TYPES:
        raise Refused(Code.MALFORMED, Field="ServiceType")
    return value


def _check_biller(data: dict) -> None:
    code = data.get("BillerCode")
    if code not in (None, "") and code != biller_code():
        raise Refused(Code.MALFORMED, Field="BillerCode")


def _datetime(value: Any, key: str) -> dt.datetime:
    if not isinstance(value, str):
        raise Refused(Code.MALFORMED, Field=key)
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise Refused(Code.MALFORMED, Field=key) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > timezone.now() + signature_window():
        raise Refused(Code.MALFORMED, Field=key)
    return moment


# --- The two requests, from raw body to answer ------------------------------------------------


def handle_inquiry(body: bytes, timestamp: str | None, signature: str | None) -> Answer:
    try:
        verify(body, timestamp, signature)
        return inquire(_parse(body))
    except Refused as refusal:
        return Answer(refusal.code, refusal.fields)


def handle_notification(body: bytes, timestamp: str | None, signature: str | None) -> Answer:
    try:
        verify(body, timestamp, signature)
        data = _parse(body)
        notice = parse_notice(data)
    except Refused as refusal:
        return Answer(refusal.code, refusal.fields)
    try:
        answer = record_payment(notice)
    except Refused as refusal:
        log.info(
            "network payment %s for bill %s refused: %s",
            notice.reference,
            notice.bill_number,
            int(refusal.code),
        )
        return Answer(refusal.code, {"PmtRef": notice.reference, **refusal.fields})
    return answer


# --- Bill inquiry ----------------------------------------------------------------------------


def payable_on(bill: Bill, day: dt.date) -> bool:
    return bill.status == Bill.Status.OPEN and (bill.expires_on is None or bill.expires_on >= day)


def bill_record(bill: Bill) -> dict[str, Any]:
    """One bill as the network's BillRec: amounts in fils, dates ISO."""
    fils = to_fils(bill.amount)
    return {
        "BillNo": bill.number,
        "BillStatus": "BillNew",
        "ServiceType": bill.kind,
        "DueAmount": fils,
        "Currency": CURRENCY,
        "IssueDate": bill.issued_on.isoformat(),
        "DueDate": bill.due_date.isoformat(),
        "ExpiryDate": bill.expires_on.isoformat() if bill.expires_on else None,
        "PmtConst": {"AllowPart": False, "Lower": fils, "Upper": fils},
    }


def inquire(data: dict, *, today: dt.date | None = None) -> Answer:
    """The open bills of a billing number (an account or a debit card), of one service type or
    all; an unknown billing number is 201, a known one with nothing due is 0 with no bills."""
    billing_no = _text(data, "BillingNo", BILL_NO_RE)
    service_type = _service_type(data)
    _check_biller(data)
    today = today or timezone.localdate()
    account = Account.objects.filter(number=billing_no).first()
    card = None if account else DebitCard.objects.filter(number=billing_no).first()
    if account is None and card is None:
        raise Refused(Code.UNKNOWN_BILL, BillingNo=billing_no)
    bills = Bill.objects.filter(status=Bill.Status.OPEN).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )
    bills = bills.filter(account=account) if account else bills.filter(card=card)
    if service_type:
        bills = bills.filter(kind=service_type)
    records = [bill_record(b) for b in bills.order_by("due_date", "number")]
    return Answer(
        Code.OK,
        {
            "BillerCode": biller_code(),
            "BillingNo": billing_no,
            "ServiceType": service_type or None,
            "RecCount": len(records),
            "BillsRec": records,
        },
    )


# --- Payment notification --------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    reference: str
    trx: str
    bill_number: str
    fils: int
    bank_code: str
    paid_at: dt.datetime
    billing_no: str = ""
    service_type: str = ""

    @property
    def amount(self) -> Decimal:
        return from_fils(self.fils)


def parse_notice(data: dict) -> Notice:
    fils = data.get("PaidAmt")
    if not isinstance(fils, int) or isinstance(fils, bool) or fils <= 0:
        raise Refused(Code.MALFORMED, Field="PaidAmt")
    _check_biller(data)
    return Notice(
        reference=_text(data, "PmtRef", REFERENCE_RE),
        trx=_text(data, "JOEBPPSTrx", REFERENCE_RE),
        bill_number=_text(data, "BillNo", BILL_NO_RE),
        fils=fils,
        bank_code=_text(data, "BankCode", BANK_RE),
        paid_at=_datetime(data.get("ProcessDate"), "ProcessDate"),
        billing_no=_text(data, "BillingNo", BILL_NO_RE, required=False),
        service_type=_service_type(data),
    )


def payment_fields(payment: Payment) -> dict[str, Any]:
    return {
        "PmtRef": payment.network_reference,
        "JOEBPPSTrx": payment.network_trx,
        "BillNo": payment.bill.number,
        "PaidAmt": to_fils(payment.amount),
        "PmtStatus": "PmtNew",
        "ReceiptNo": str(payment.pk),
    }


def _repeat(payment: Payment, notice: Notice) -> Answer:
    """A notification whose reference is already recorded: the same success when it is the same
    payment (the network retried), 205 when the reference names another bill or amount."""
    if payment.bill.number == notice.bill_number and to_fils(payment.amount) == notice.fils:
        return Answer(Code.OK, payment_fields(payment))
    raise Refused(Code.REFERENCE_CONFLICT, PmtRef=notice.reference)


def _recorded(reference: str) -> Payment | None:
    return Payment.objects.select_related("bill").filter(network_reference=reference).first()


def record_payment(notice: Notice) -> Answer:
    """Record one payment in one transaction, or refuse it changing nothing.

    The bill row is locked (SELECT … FOR UPDATE), so two notifications of the same bill are
    decided one after the other; the unique keys on the reference and on the bill are the last
    line of defence if anything slips past the lock."""
    with transaction.atomic():
        payment = _recorded(notice.reference)
        if payment is not None:
            return _repeat(payment, notice)
        bill = (
            Bill.objects.select_for_update(of=("self",))
            .select_related("account", "card")
            .filter(number=notice.bill_number)
            .first()
        )
        if bill is None:
            raise Refused(Code.UNKNOWN_BILL, BillNo=notice.bill_number)
        # A concurrent notification of the same reference may have committed while we waited.
        payment = _recorded(notice.reference)
        if payment is not None:
            return _repeat(payment, notice)
        payer_number = bill.account.number if bill.account_id else bill.card.number
        if (notice.billing_no and notice.billing_no != payer_number) or (
            notice.service_type and notice.service_type != bill.kind
        ):
            raise Refused(Code.UNKNOWN_BILL, BillNo=notice.bill_number)
        if bill.status == Bill.Status.PAID:
            raise Refused(Code.BILL_PAID, BillNo=bill.number)
        if not payable_on(bill, timezone.localdate(notice.paid_at)):
            raise Refused(Code.BILL_NOT_PAYABLE, BillNo=bill.number)
        if to_fils(bill.amount) != notice.fils:
            raise Refused(Code.AMOUNT_MISMATCH, BillNo=bill.number, DueAmount=to_fils(bill.amount))
        installments = _lock_installments(bill)
        card = _lock_card(bill)
        try:
            with transaction.atomic():
                payment = Payment.objects.create(
                    bill=bill,
                    account=bill.account,
                    card=bill.card,
                    amount=bill.amount,
                    channel=Payment.Channel.NETWORK,
                    network_reference=notice.reference,
                    network_trx=notice.trx,
                    bank_code=notice.bank_code,
                    paid_at=notice.paid_at,
                )
        except IntegrityError:
            payment = _recorded(notice.reference)
            if payment is not None:
                return _repeat(payment, notice)
            raise Refused(Code.BILL_PAID, BillNo=bill.number) from None
        bill.status = Bill.Status.PAID
        bill.save(update_fields=["status"])
        _apply(bill, payment, notice, installments, card)
        pk = payment.pk
        transaction.on_commit(lambda: after_payment(pk), robust=True)
    log.info("network payment %s recorded for bill %s", notice.reference, notice.bill_number)
    return Answer(Code.OK, payment_fields(payment))


def _lock_installments(bill: Bill) -> list[Installment]:
    if bill.kind != Bill.Kind.INSTALLMENTS:
        return []
    rows = list(
        Installment.objects.select_for_update()
        .filter(bills=bill)
        .select_related("plan")
        .order_by("plan_id", "sequence")
    )
    if not rows or any(
        i.status != Installment.Status.DUE or i.plan.status != InstallmentPlan.Status.ACTIVE
        for i in rows
    ):
        raise Refused(Code.BILL_NOT_PAYABLE, BillNo=bill.number)
    return rows


def _lock_card(bill: Bill) -> DebitCard | None:
    if not bill.card_id:
        return None
    card = DebitCard.objects.select_for_update().get(pk=bill.card_id)
    if card.status != DebitCard.Status.ACTIVE:
        raise Refused(Code.BILL_NOT_PAYABLE, BillNo=bill.number)
    return card


def _memo(bill: Bill) -> str:
    """The entry's description, in the portal's language whoever's request recorded it."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Payment of bill %(bill)s (%(kind)s) through eFAWATEERcom") % {
            "bill": bill.number,
            "kind": Bill.Kind(bill.kind).label,
        }


def _apply(bill, payment, notice, installments, card) -> None:
    """What a payment does, inside its transaction."""
    if bill.account_id:
        ledger.post(
            account=bill.account,
            kind=LedgerEntry.Kind.PAYMENT,
            key=f"payment:{notice.reference}",
            amount=-bill.amount,
            memo=_memo(bill),
            posted_on=timezone.localdate(notice.paid_at),
            details={
                "bill": bill.number,
                "network_reference": notice.reference,
                "network_trx": notice.trx,
                "bank_code": notice.bank_code,
                "paid_at": notice.paid_at.isoformat(),
            },
            payment=payment,
        )
    if installments:
        from .instalments import mark_paid

        mark_paid(installments, payment)
    if card is not None:
        card.balance += bill.amount
        card.save(update_fields=["balance"])


# --- After commit: receipt, notification, the refreshed bill ----------------------------------


def payer_user(bill: Bill):
    """Who is told of the payment and owns its receipt: the establishment's liaison officer,
    the subscriber or the cardholder (None when they have no portal account)."""
    if bill.card_id:
        return bill.card.individual.user
    account = bill.account
    if account.establishment_id:
        officer = getattr(account.establishment, "liaison_officer", None)
        return officer.user if officer else None
    return account.individual.user


def payer_name(bill: Bill) -> str:
    if bill.card_id:
        return bill.card.individual.name_ar
    account = bill.account
    if account.establishment_id:
        return account.establishment.name
    return account.individual.name_ar


def after_payment(payment_pk: int) -> Payment:
    """The receipt PDF (linked on the payment), the payer's notification, and the account's
    contributions bill re-issued for what is still due. Idempotent: a payment with its receipt
    is left alone, so running it again (admin action) issues nothing twice."""
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        payment = (
            Payment.objects.select_for_update(of=("self",))
            .select_related(
                "bill",
                "bill__account__establishment__liaison_officer__user",
                "bill__account__individual__user",
                "bill__card__individual__user",
            )
            .get(pk=payment_pk)
        )
        if payment.receipt_id is None:
            issue_receipt(payment)
    bill = payment.bill
    if bill.account_id and bill.kind in REFRESHED_KINDS:
        ledger.refresh_contributions_bill(bill.account)
    return payment


def receipt_context(payment: Payment) -> dict[str, Any]:
    bill = payment.bill
    paid = timezone.localtime(payment.paid_at)
    installments = [
        {
            "sequence": i.sequence,
            "due_date": i.due_date.isoformat(),
            "amount": f"{i.amount:,.3f}",
        }
        for i in payment.installments.order_by("plan_id", "sequence")
    ]
    return {
        "payer": payer_name(bill),
        "billing_number": bill.account.number if bill.account_id else bill.card.number,
        "bill_number": bill.number,
        "bill_kind": str(Bill.Kind(bill.kind).label),
        "amount": f"{payment.amount:,.3f}",
        "amount_fils": to_fils(payment.amount),
        "paid_at": paid.strftime("%Y-%m-%d %H:%M"),
        "network_reference": payment.network_reference,
        "network_trx": payment.network_trx,
        "bank_code": payment.bank_code,
        "biller_code": biller_code(),
        "installments": installments,
        "card_last4": bill.card.last4 if bill.card_id else "",
        "card_balance": f"{bill.card.balance:,.3f}" if bill.card_id else "",
    }


def issue_receipt(payment: Payment):
    """The receipt PDF of a payment, and the payer's notification (inside a transaction)."""
    from eservices.documents import document_issue
    from eservices.notifications import notify

    bill = payment.bill
    owner = payer_user(bill)
    if owner is None:
        log.warning("payment %s: the payer has no portal account, no receipt", payment.pk)
        return None
    context = receipt_context(payment)
    doc = document_issue(
        owner=owner,
        kind="receipt",
        title=_("Payment receipt"),
        template="pdf/payment_receipt.html",
        context=context,
        certifies={
            "المدفوع له": "المؤسسة العامة للضمان الاجتماعي",
            "رقم الفاتورة": bill.number,
            "المبلغ (دينار)": context["amount"],
            "تاريخ الدفع": context["paid_at"],
            "مرجع الدفع في الشبكة": payment.network_reference,
        },
    )
    payment.receipt = doc
    payment.save(update_fields=["receipt"])
    notify(
        user=owner,
        title=_("Payment received"),
        body=_("We received %(amount)s JD for bill %(bill)s.")
        % {"amount": context["amount"], "bill": bill.number},
        detail=_(
            "Paid through the bill-payment network, reference %(ref)s. The receipt is in your documents."
        )
        % {"ref": payment.network_reference},
    )
    return doc


# --- Bills the payment pages issue -----------------------------------------------------------

INSTALMENTS_PREFIX = "11"
CARD_PREFIX = "41"


def _create_bill(prefix: str, **fields) -> Bill:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Bill.objects.create(number=ledger.next_bill_number(prefix), **fields)
        except IntegrityError:
            continue
    raise RuntimeError("could not number the bill")


def installments_due(account: Account, *, on: dt.date | None = None):
    """The due, unpaid instalments of the account's active plans whose date has come."""
    from .instalments import due_installments

    return due_installments(account, on=on).select_related("plan")


@transaction.atomic
def issue_installments_bill(account: Account, *, user=None, on: dt.date | None = None):
    """The account's one open instalments bill, for exactly the instalments due now: kept when
    it still covers them, otherwise superseded by a new one (None when nothing is due)."""
    Account.objects.select_for_update().filter(pk=account.pk).first()
    on = on or timezone.localdate()
    due = list(installments_due(account, on=on))
    current = (
        Bill.objects.filter(account=account, kind=Bill.Kind.INSTALLMENTS, status=Bill.Status.OPEN)
        .prefetch_related("installments")
        .first()
    )
    wanted = {i.pk for i in due}
    if current is not None:
        if {i.pk for i in current.installments.all()} == wanted:
            return current
        current.status = Bill.Status.SUPERSEDED
        current.save(update_fields=["status"])
    if not due:
        return None
    bill = _create_bill(
        INSTALMENTS_PREFIX,
        kind=Bill.Kind.INSTALLMENTS,
        account=account,
        amount=sum((i.amount for i in due), Decimal("0")),
        issued_on=on,
        due_date=on,
        created_by=user,
    )
    bill.installments.set(due)
    return bill


@dataclass(frozen=True)
class TopUpLimits:
    minimum: Decimal
    maximum: Decimal
    valid_days: int
    provisional: bool


def topup_limits(on: dt.date | None = None) -> TopUpLimits:
    """The card top-up bounds and bill validity, from the rule table (payments.rules_seed_network)."""
    from eservices.rules import Working

    on = on or timezone.localdate()
    w = Working()
    minimum = w.use("card.topup_min", on=on)
    maximum = w.use("card.topup_max", on=on)
    days = int(w.use("card.topup_bill_days", on=on))
    return TopUpLimits(minimum, maximum, days, w.provisional)


@transaction.atomic
def issue_card_topup_bill(card: DebitCard, amount: Decimal, *, user=None) -> Bill:
    """A top-up bill for the amount the cardholder chose (within the limits); an earlier open
    top-up bill of the card is superseded, so only one is ever presented to the network."""
    from accounts.exceptions import ServiceError

    card = DebitCard.objects.select_for_update().get(pk=card.pk)
    if card.status != DebitCard.Status.ACTIVE:
        raise ServiceError(_("This card is stopped."))
    today = timezone.localdate()
    limits = topup_limits(today)
    if not limits.minimum <= amount <= limits.maximum or amount != amount.quantize(
        Decimal("0.001")
    ):
        raise ServiceError(
            _("Choose an amount from %(min)s to %(max)s JD.")
            % {"min": f"{limits.minimum:,.3f}", "max": f"{limits.maximum:,.3f}"},
            field="amount",
        )
    Bill.objects.filter(card=card, kind=Bill.Kind.CARD_TOPUP, status=Bill.Status.OPEN).update(
        status=Bill.Status.SUPERSEDED
    )
    return _create_bill(
        CARD_PREFIX,
        kind=Bill.Kind.CARD_TOPUP,
        card=card,
        amount=amount.quantize(Decimal("0.001")),
        issued_on=today,
        due_date=today,
        expires_on=today + dt.timedelta(days=limits.valid_days),
        created_by=user,
    )


# --- The network simulator's client ----------------------------------------------------------


def simulator_enabled() -> bool:
    return bool(settings.DEBUG or getattr(settings, "NETWORK_SIMULATOR_ENABLED", False))


def journal_path() -> Path:
    """Where the simulated network keeps what it paid (for its settlement files)."""
    base = Path(getattr(settings, "NETWORK_SETTLEMENT_DIR", settings.BASE_DIR / "var"))
    return base / "simulator" / "journal.jsonl"


@dataclass
class Reply:
    status: int
    body: dict

    @property
    def code(self) -> int:
        return int(self.body.get("Result", {}).get("ErrorCode", -1))


class NetworkClient:
    """Talks to the biller endpoints as the network does: signed JSON POSTs. Over HTTP when
    given ``url`` (e.g. http://127.0.0.1:8000), otherwise in-process through the view functions.
    Successful payments are written to the simulator's journal (its settlement files' source)."""

    def __init__(self, *, url: str | None = None, secret: str | None = None, journal=True):
        self.url = url.rstrip("/") if url else None
        self.secret = secret
        self.journal = journal

    def _post(self, name: str, payload: dict) -> Reply:
        from django.urls import reverse

        body = json.dumps(payload, ensure_ascii=False).encode()
        stamp = str(int(time.time()))
        headers = {TIMESTAMP_HEADER: stamp, SIGNATURE_HEADER: sign(body, stamp, self.secret)}
        path = reverse(f"api:{name}")
        if self.url:
            return self._http(self.url + path, body, headers)
        from django.test import RequestFactory

        from . import network_api

        view = {"efw_bill_inquiry": network_api.bill_inquiry}.get(
            name, network_api.payment_notification
        )
        request = RequestFactory().post(
            path,
            data=body,
            content_type="application/json",
            headers=headers,
        )
        response = view(request)
        return Reply(response.status_code, json.loads(response.content))

    @staticmethod
    def _http(url: str, body: bytes, headers: dict) -> Reply:
        import urllib.error
        import urllib.request

        if not url.startswith(("http://", "https://")):
            raise ValueError("the network URL must be http(s)")
        req = urllib.request.Request(  # noqa: S310 - scheme checked above
            url, data=body, method="POST", headers={**headers, "Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310
                return Reply(resp.status, json.loads(resp.read()))
        except urllib.error.HTTPError as err:
            return Reply(err.code, json.loads(err.read() or b"{}"))

    def inquire(self, billing_no: str, service_type: str | None = None) -> Reply:
        payload = {"BillerCode": biller_code(), "BillingNo": billing_no}
        if service_type:
            payload["ServiceType"] = service_type
        return self._post("efw_bill_inquiry", payload)

    def pay(
        self,
        bill_number: str,
        *,
        amount_fils: int | None = None,
        reference: str | None = None,
        trx: str | None = None,
        bank_code: str = "SIMBANK",
        paid_at: dt.datetime | None = None,
    ) -> Reply:
        """Pay a bill: its amount as the inquiry states it unless ``amount_fils`` is given."""
        if amount_fils is None:
            bill = Bill.objects.filter(number=bill_number).first()
            amount_fils = to_fils(bill.amount) if bill else 1
        paid_at = paid_at or timezone.now()
        payload = {
            "BillerCode": biller_code(),
            "PmtRef": reference or f"SIM{paid_at:%y%m%d%H%M%S}{secrets.token_hex(3).upper()}",
            "JOEBPPSTrx": trx or f"{secrets.randbelow(10**12):012d}",
            "BillNo": bill_number,
            "PaidAmt": amount_fils,
            "BankCode": bank_code,
            "ProcessDate": timezone.localtime(paid_at).isoformat(),
        }
        reply = self._post("efw_payment_notification", payload)
        if reply.code == Code.OK and self.journal:
            self._remember(payload)
        return reply

    @staticmethod
    def _remember(payload: dict) -> None:
        path = journal_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        line = {
            "network_reference": payload["PmtRef"],
            "transaction_number": payload["JOEBPPSTrx"],
            "bill_number": payload["BillNo"],
            "amount_fils": payload["PaidAmt"],
            "paid_at": payload["ProcessDate"],
        }
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(line) + "\n")


def journal_rows(day: dt.date) -> list[dict]:
    """What the simulated network paid on ``day`` (one row a reference)."""
    path = journal_path()
    if not path.exists():
        return []
    rows: dict[str, dict] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            if timezone.localdate(dt.datetime.fromisoformat(row["paid_at"])) == day:
                rows.setdefault(row["network_reference"], row)
    return list(rows.values())
