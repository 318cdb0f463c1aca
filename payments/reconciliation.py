"""The daily reconciliation of the network's settlement file with the payments recorded.

The network settles each day's payments and sends a CSV file (docs/payments-network.md):

    network_reference,transaction_number,bill_number,amount_fils,paid_at

``reconcile_day(day)`` fetches that file from a pluggable source (default: the folder
``settings.NETWORK_SETTLEMENT_DIR``, file ``YYYY-MM-DD.csv``), compares it with the payments
recorded, and keeps a ``Settlement`` for the day with one ``SettlementDifference`` per reference
that differs — missing here, missing there, or a different amount — for staff to examine and
resolve in the admin. Payments that match get their ``settlement_date``.

Idempotent per day: the same file again changes nothing; a corrected file re-runs the comparison,
keeping staff notes and resolutions of the differences that remain.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import logging
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Payment, Settlement, SettlementDifference
from .network import from_fils, to_fils

log = logging.getLogger(__name__)

COLUMNS = ("network_reference", "transaction_number", "bill_number", "amount_fils", "paid_at")


class SettlementFileError(ValueError):
    """The settlement file cannot be read: nothing is recorded for the day."""


class SettlementSource(Protocol):
    def fetch(self, day: dt.date) -> bytes | None:
        """The settlement file of ``day``, or None when the network has not sent it yet."""


class FolderSource:
    """Settlement files dropped in a folder (by SFTP, the network's portal, or the simulator)."""

    def __init__(self, folder: Path | str | None = None):
        self.folder = Path(folder or getattr(settings, "NETWORK_SETTLEMENT_DIR", "var/settlements"))

    def path(self, day: dt.date) -> Path:
        return self.folder / f"{day.isoformat()}.csv"

    def fetch(self, day: dt.date) -> bytes | None:
        path = self.path(day)
        return path.read_bytes() if path.exists() else None


def default_source() -> SettlementSource:
    """``settings.NETWORK_SETTLEMENT_SOURCE`` (a dotted path to a class), else the folder."""
    dotted = getattr(settings, "NETWORK_SETTLEMENT_SOURCE", "")
    return import_string(dotted)() if dotted else FolderSource()


@dataclass(frozen=True)
class Row:
    reference: str
    trx: str
    bill_number: str
    amount: Decimal
    paid_at: str


def parse(data: bytes) -> list[Row]:
    """The file's rows; a malformed file is refused whole (SettlementFileError, line named)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SettlementFileError("the settlement file is not UTF-8") from None
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise SettlementFileError(f"the header must be: {','.join(COLUMNS)}")
    rows: dict[str, Row] = {}
    for line, rec in enumerate(reader, start=2):
        reference = (rec["network_reference"] or "").strip()
        try:
            fils = int((rec["amount_fils"] or "").strip())
        except ValueError:
            raise SettlementFileError(f"line {line}: amount_fils is not a whole number") from None
        if not reference or fils <= 0:
            raise SettlementFileError(f"line {line}: a reference and a positive amount are needed")
        if reference in rows:
            raise SettlementFileError(f"line {line}: reference {reference} appears twice")
        rows[reference] = Row(
            reference=reference,
            trx=(rec["transaction_number"] or "").strip(),
            bill_number=(rec["bill_number"] or "").strip(),
            amount=from_fils(fils),
            paid_at=(rec["paid_at"] or "").strip(),
        )
    return list(rows.values())


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def _differences(day: dt.date, rows: list[Row]) -> tuple[list[dict], list[int]]:
    """(the differences, the payments that match) between the file and what is recorded."""
    by_ref = {
        p.network_reference: p
        for p in Payment.objects.filter(network_reference__in=[r.reference for r in rows])
    }
    found: list[dict] = []
    matched: list[int] = []
    for row in rows:
        payment = by_ref.get(row.reference)
        if payment is None:
            found.append(
                {
                    "kind": SettlementDifference.Kind.MISSING_HERE,
                    "network_reference": row.reference,
                    "amount_there": row.amount,
                }
            )
        elif payment.amount != row.amount:
            found.append(
                {
                    "kind": SettlementDifference.Kind.AMOUNT,
                    "network_reference": row.reference,
                    "amount_here": payment.amount,
                    "amount_there": row.amount,
                    "payment": payment,
                }
            )
        else:
            matched.append(payment.pk)
    start, end = day_bounds(day)
    in_file = {r.reference for r in rows}
    # Recorded that day and not settled by another day's file.
    recorded = Payment.objects.filter(
        Q(settlement_date__isnull=True) | Q(settlement_date=day),
        channel=Payment.Channel.NETWORK,
        paid_at__gte=start,
        paid_at__lt=end,
    )
    for payment in recorded.exclude(network_reference__in=in_file).order_by("paid_at", "pk"):
        found.append(
            {
                "kind": SettlementDifference.Kind.MISSING_THERE,
                "network_reference": payment.network_reference,
                "amount_here": payment.amount,
                "payment": payment,
            }
        )
    return found, matched


def _lock_day(day: dt.date, defaults: dict) -> tuple[Settlement, bool]:
    try:
        with transaction.atomic():
            return Settlement.objects.create(day=day, **defaults), True
    except IntegrityError:
        return Settlement.objects.select_for_update().get(day=day), False


def reconcile_day(day: dt.date, *, source: SettlementSource | None = None) -> dict:
    """Reconcile one day's settlement file; returns a small summary (what the task logs)."""
    data = (source or default_source()).fetch(day)
    if data is None:
        log.warning("no settlement file for %s yet", day)
        return {"day": day.isoformat(), "status": "no_file"}
    rows = parse(data)
    sha = hashlib.sha256(data).hexdigest()
    total = sum((r.amount for r in rows), Decimal("0.000"))
    with transaction.atomic():
        settlement, created = _lock_day(
            day, {"sha256": sha, "rows": len(rows), "total": total, "status": ""}
        )
        if not created and settlement.sha256 == sha:
            return summary(settlement, unchanged=True)
        found, matched = _differences(day, rows)
        settlement.sha256 = sha
        settlement.rows = len(rows)
        settlement.total = total
        settlement.status = Settlement.Status.DIFFERENCES if found else Settlement.Status.RECONCILED
        settlement.reconciled_at = timezone.now()
        settlement.file.save(f"{day.isoformat()}.csv", ContentFile(data), save=False)
        settlement.save()
        keep = set()
        for diff in found:
            ref = diff.pop("network_reference")
            keep.add(ref)
            SettlementDifference.objects.update_or_create(
                settlement=settlement,
                network_reference=ref,
                defaults={"amount_here": None, "amount_there": None, "payment": None, **diff},
            )
        # A corrected file: differences that no longer hold go, unless staff already resolved them.
        settlement.differences.exclude(network_reference__in=keep).filter(resolved=False).delete()
        # Matched payments are settled on this day (a payment settled on another day keeps it).
        Payment.objects.filter(pk__in=matched, settlement_date__isnull=True).update(
            settlement_date=day
        )
        Payment.objects.filter(settlement_date=day).exclude(pk__in=matched).update(
            settlement_date=None
        )
    return summary(settlement)


def summary(settlement: Settlement, *, unchanged: bool = False) -> dict:
    counts = dict.fromkeys(SettlementDifference.Kind.values, 0)
    for kind in settlement.differences.values_list("kind", flat=True):
        counts[kind] += 1
    return {
        "day": settlement.day.isoformat(),
        "status": settlement.status,
        "rows": settlement.rows,
        "total_fils": to_fils(settlement.total),
        "settled": Payment.objects.filter(settlement_date=settlement.day).count(),
        **counts,
        "unchanged": unchanged,
    }
