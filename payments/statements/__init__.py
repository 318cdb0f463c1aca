"""Account statements: the entries of an account between two dates, with the opening balance, a
running balance and the closing balance. Every figure is a sum of ledger entries, so a statement
reconciles to the fils: opening + the entries of the range = closing = the sum of every entry up to
the end date. The page and the PDF render the same JSON-safe context."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from ..models import Account, LedgerEntry

ZERO = Decimal("0.000")


def jd(value: Decimal) -> str:
    """An amount in JD with its fils, as the corporation prints it: 1,094.283."""
    return f"{value:,.3f}"


def entry_description(entry: LedgerEntry) -> str:
    """What a line of the statement is, in the reader's language (from the entry's kind and
    working; the memo stored with it is for staff)."""
    kind = entry.kind
    relieved = bool((entry.details or {}).get("employees_relieved"))
    if kind == LedgerEntry.Kind.CONTRIBUTION:
        if relieved:
            return _("Contributions of the month (a programme's relief applied)")
        return _("Contributions of the month")
    if kind == LedgerEntry.Kind.CORRECTION and entry.key.startswith("contrib:"):
        return _("Correction of the month's contributions (wages or reliefs changed)")
    if kind == LedgerEntry.Kind.PENALTY:
        n = (entry.details or {}).get("month_late")
        if n:
            return _("Late-payment penalty, month %(n)s late") % {"n": n}
        return _("Late-payment penalty")
    if kind == LedgerEntry.Kind.PAYMENT:
        payment = entry.payment
        if payment is not None:
            return _("Payment, reference %(ref)s") % {"ref": payment.network_reference}
        return _("Payment")
    label = str(LedgerEntry.Kind(kind).label) if kind in LedgerEntry.Kind.values else kind
    return f"{label}: {entry.memo}" if entry.memo else label


@dataclass
class Row:
    date: dt.date
    description: str
    period: dt.date | None
    amount: Decimal
    balance: Decimal
    kind: str

    @property
    def debit(self) -> Decimal | None:
        return self.amount if self.amount > 0 else None

    @property
    def credit(self) -> Decimal | None:
        return -self.amount if self.amount < 0 else None


@dataclass
class Statement:
    account: Account | None
    start: dt.date
    end: dt.date
    opening: Decimal
    rows: list[Row] = field(default_factory=list)

    @property
    def total_debit(self) -> Decimal:
        return sum((r.amount for r in self.rows if r.amount > 0), ZERO)

    @property
    def total_credit(self) -> Decimal:
        return sum((-r.amount for r in self.rows if r.amount < 0), ZERO)

    @property
    def closing(self) -> Decimal:
        return self.opening + self.total_debit - self.total_credit

    def as_context(self) -> dict:
        """JSON-safe (it travels to the PDF worker): amounts as text with their fils."""

        def amount(value: Decimal | None) -> str:
            return jd(value) if value is not None else ""

        return {
            "account_number": self.account.number if self.account else "",
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "opening": jd(self.opening),
            "closing": jd(self.closing),
            "total_debit": jd(self.total_debit),
            "total_credit": jd(self.total_credit),
            "rows": [
                {
                    "date": r.date.isoformat(),
                    "description": r.description,
                    "period": f"{r.period:%Y-%m}" if r.period else "",
                    "debit": amount(r.debit),
                    "credit": amount(r.credit),
                    "balance": jd(r.balance),
                    "kind": r.kind,
                }
                for r in self.rows
            ],
        }


def account_statement(account: Account | None, *, start: dt.date, end: dt.date) -> Statement:
    """The statement of ``account`` from ``start`` to ``end`` (both included): two queries."""
    if account is None:
        return Statement(account=None, start=start, end=end, opening=ZERO)
    opening = (
        LedgerEntry.objects.filter(account=account, posted_on__lt=start).aggregate(s=Sum("amount"))[
            "s"
        ]
        or ZERO
    )
    statement = Statement(account=account, start=start, end=end, opening=opening)
    running = opening
    for entry in (
        LedgerEntry.objects.filter(account=account, posted_on__gte=start, posted_on__lte=end)
        .select_related("payment")
        .order_by("posted_on", "id")
    ):
        running += entry.amount
        statement.rows.append(
            Row(
                date=entry.posted_on,
                description=entry_description(entry),
                period=entry.period,
                amount=entry.amount,
                balance=running,
                kind=entry.kind,
            )
        )
    return statement
