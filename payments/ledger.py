"""The ledger's few primitives, shared by billing, payments, instalments and subscriptions.

Money is Decimal in dinars to the fils. An account's balance is the sum of its entries (charges
positive, credits negative); entries are only ever added (``post`` is idempotent on its key).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from .models import Account, Bill, Installment, InstallmentPlan, LedgerEntry

ZERO = Decimal("0.000")
PREFIX = {
    Account.Kind.ESTABLISHMENT: "10",
    Account.Kind.OPTIONAL: "20",
    Account.Kind.SELF_EMPLOYED: "30",
}
BILL_KIND = {
    Account.Kind.ESTABLISHMENT: Bill.Kind.CONTRIBUTIONS,
    Account.Kind.OPTIONAL: Bill.Kind.OPTIONAL,
    Account.Kind.SELF_EMPLOYED: Bill.Kind.SELF_EMPLOYED,
}


def account_for_establishment(establishment) -> Account:
    """The establishment's contributions account (opened on first use)."""
    number = PREFIX[Account.Kind.ESTABLISHMENT] + str(establishment.insurance_number).zfill(8)
    account, _created = Account.objects.get_or_create(
        kind=Account.Kind.ESTABLISHMENT,
        establishment=establishment,
        defaults={"number": number},
    )
    return account


def account_for_subscriber(individual, kind: str) -> Account:
    """An optional or self-employed subscriber's account (opened on first use)."""
    number = PREFIX[kind] + str(individual.pk).zfill(8)
    account, _created = Account.objects.get_or_create(
        kind=kind, individual=individual, defaults={"number": number}
    )
    return account


def post(
    *,
    account: Account,
    kind: str,
    key: str,
    amount: Decimal,
    memo: str = "",
    period: dt.date | None = None,
    posted_on: dt.date | None = None,
    details: dict | None = None,
    payment=None,
    reverses: LedgerEntry | None = None,
    user=None,
) -> tuple[LedgerEntry, bool]:
    """Add an entry once: (entry, True) when added, (the existing entry, False) when its key was
    already posted on the account. A zero amount posts nothing (None, False)."""
    if amount == 0:
        return None, False  # type: ignore[return-value]
    existing = LedgerEntry.objects.filter(account=account, key=key).first()
    if existing is not None:
        return existing, False
    entry = LedgerEntry(
        account=account,
        kind=kind,
        key=key,
        amount=amount,
        memo=memo[:200],
        period=period,
        posted_on=posted_on or timezone.localdate(),
        details=details or {},
        payment=payment,
        reverses=reverses,
        created_by=user,
    )
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        return LedgerEntry.objects.get(account=account, key=key), False
    return entry, True


def balance(account: Account, *, until: dt.date | None = None) -> Decimal:
    """What the account owes (negative: in credit), from its entries up to ``until``."""
    qs = LedgerEntry.objects.filter(account=account)
    if until is not None:
        qs = qs.filter(posted_on__lte=until)
    return qs.aggregate(s=Sum("amount"))["s"] or ZERO


def scheduled_outstanding(account: Account) -> Decimal:
    """The part of the balance moved into instalment plans and not paid yet."""
    return (
        Installment.objects.filter(
            plan__account=account,
            plan__status=InstallmentPlan.Status.ACTIVE,
            status=Installment.Status.DUE,
        ).aggregate(s=Sum("amount"))["s"]
        or ZERO
    )


def contributions_due(account: Account) -> Decimal:
    """What the contributions bill asks for: the balance less what is scheduled in instalments."""
    return max(balance(account) - scheduled_outstanding(account), ZERO)


def next_bill_number(prefix: str) -> str:
    """A bill number that is never reused: the prefix, the date and a sequence."""
    return _next_sequences(prefix, 1, today=timezone.localdate())[0]


@transaction.atomic
def refresh_contributions_bill(account: Account, *, due_date: dt.date | None = None) -> Bill | None:
    """Present the account's current contributions due as its one open bill: the open bill is kept
    when its amount is still right, otherwise superseded by a new one (None when nothing is due)."""
    Account.objects.select_for_update().filter(pk=account.pk).first()  # one refresh at a time
    kind = BILL_KIND[account.kind]
    amount = contributions_due(account)
    current = Bill.objects.filter(account=account, kind=kind, status=Bill.Status.OPEN).first()
    if current is not None and current.amount == amount:
        return current
    if current is not None:
        current.status = Bill.Status.SUPERSEDED
        current.save(update_fields=["status"])
    if amount <= 0:
        return None
    today = timezone.localdate()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Bill.objects.create(
                    number=next_bill_number(account.number[:2]),
                    kind=kind,
                    account=account,
                    amount=amount,
                    issued_on=today,
                    due_date=due_date or today,
                )
        except IntegrityError:
            continue
    raise RuntimeError("could not number the bill")


def _next_sequences(prefix: str, count: int, *, today: dt.date) -> list[str]:
    """``count`` consecutive bill numbers after the last one of the day (one query)."""
    stem = f"{prefix}{today:%y%m%d}"
    last = (
        Bill.objects.filter(number__startswith=stem)
        .order_by("-number")
        .values_list("number", flat=True)
    ).first()
    start = int(last[len(stem) :]) + 1 if last else 1
    return [f"{stem}{seq:05d}" for seq in range(start, start + count)]


@transaction.atomic
def refresh_contributions_bills(
    account_ids: Iterable[int], *, due_date: dt.date | None = None
) -> dict[str, int]:
    """``refresh_contributions_bill`` for many accounts at once, with the same result for each
    account, in a fixed number of statements whatever the number of accounts (used by the monthly
    billing): lock the accounts, their balances and scheduled amounts by GROUP BY, their open bills,
    one UPDATE for the superseded bills and bulk inserts for the new ones."""
    ids = sorted(set(account_ids))
    if not ids:
        return {"kept": 0, "superseded": 0, "issued": 0}
    today = timezone.localdate()
    accounts: dict[int, str] = {}
    numbers: dict[int, str] = {}
    for pk, kind, number in (
        Account.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", "kind", "number")
    ):
        accounts[pk], numbers[pk] = kind, number
    ids = [pk for pk in ids if pk in accounts]
    balances = dict(
        LedgerEntry.objects.filter(account_id__in=ids)
        .values("account_id")
        .annotate(s=Sum("amount"))
        .values_list("account_id", "s")
    )
    scheduled = dict(
        Installment.objects.filter(
            plan__account_id__in=ids,
            plan__status=InstallmentPlan.Status.ACTIVE,
            status=Installment.Status.DUE,
        )
        .values("plan__account_id")
        .annotate(s=Sum("amount"))
        .values_list("plan__account_id", "s")
    )
    open_bills: dict[int, Bill] = {}
    for bill in Bill.objects.filter(
        account_id__in=ids, kind__in=set(BILL_KIND.values()), status=Bill.Status.OPEN
    ).order_by("-issued_on", "-id"):
        if bill.kind == BILL_KIND[accounts[bill.account_id]]:
            open_bills.setdefault(bill.account_id, bill)
    kept, supersede, to_issue = 0, [], []
    for pk in ids:
        amount = max((balances.get(pk) or ZERO) - (scheduled.get(pk) or ZERO), ZERO)
        current = open_bills.get(pk)
        if current is not None and current.amount == amount:
            kept += 1
            continue
        if current is not None:
            supersede.append(current.pk)
        if amount > 0:
            to_issue.append((pk, amount))
    if supersede:
        Bill.objects.filter(pk__in=supersede).update(status=Bill.Status.SUPERSEDED)
    by_prefix: dict[str, list[tuple[int, Decimal]]] = {}
    for pk, amount in to_issue:
        by_prefix.setdefault(numbers[pk][:2], []).append((pk, amount))
    for prefix, rows in by_prefix.items():
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    Bill.objects.bulk_create(
                        [
                            Bill(
                                number=number,
                                kind=BILL_KIND[accounts[pk]],
                                account_id=pk,
                                amount=amount,
                                issued_on=today,
                                due_date=due_date or today,
                            )
                            for number, (pk, amount) in zip(
                                _next_sequences(prefix, len(rows), today=today), rows, strict=True
                            )
                        ],
                        batch_size=2000,
                    )
                break
            except IntegrityError:  # another process numbered a bill meanwhile: number again
                continue
        else:
            raise RuntimeError("could not number the bills")
    return {"kept": kept, "superseded": len(supersede), "issued": len(to_issue)}
