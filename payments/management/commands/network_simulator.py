"""The national bill-payment network, simulated for demos and tests.

    manage.py network_simulator inquire <billing number> [--service-type T]
    manage.py network_simulator pay <bill number> [--reference R] [--amount FILS] [--trx N]
    manage.py network_simulator settlement <YYYY-MM-DD> [--difference amount|missing-here|missing-there]
                                           [--from-recorded] [--reconcile]

Requests are signed as the network signs them (HMAC-SHA256 with NETWORK_SHARED_SECRET). With
--url (e.g. http://127.0.0.1:8000) they go over HTTP to the running portal; without, in-process to
the same view functions. The simulator keeps a journal of what it paid; ``settlement`` writes the
day's settlement file from it into NETWORK_SETTLEMENT_DIR (YYYY-MM-DD.csv), optionally with one
deliberate difference, and --reconcile then runs the reconciliation of that day.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import secrets
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from payments import network
from payments.models import Payment
from payments.reconciliation import COLUMNS, FolderSource, day_bounds, reconcile_day

DIFFERENCES = ("amount", "missing-here", "missing-there")


class Command(BaseCommand):
    help = "Simulate the bill-payment network: inquire, pay, write a settlement file."

    def add_arguments(self, parser):
        parser.add_argument("--url", help="the portal's base URL; in-process when omitted")
        parser.add_argument("--secret", help="the shared secret (default: the setting)")
        sub = parser.add_subparsers(dest="action", required=True)
        inquire = sub.add_parser("inquire", help="bill inquiry by billing number")
        inquire.add_argument("billing_number")
        inquire.add_argument("--service-type", choices=network.SERVICE_TYPES)
        pay = sub.add_parser("pay", help="pay a bill (payment notification)")
        pay.add_argument("bill_number")
        pay.add_argument("--reference", help="the network's payment reference (default: new)")
        pay.add_argument("--amount", type=int, help="amount in fils (default: the bill's)")
        pay.add_argument("--trx", help="the network's transaction number (default: new)")
        pay.add_argument("--bank-code", default="SIMBANK")
        settle = sub.add_parser("settlement", help="write the settlement file of a day")
        settle.add_argument("day", type=dt.date.fromisoformat)
        settle.add_argument("--difference", choices=DIFFERENCES, help="one deliberate difference")
        settle.add_argument(
            "--from-recorded",
            action="store_true",
            help="from the payments the portal recorded that day, not the simulator's journal",
        )
        settle.add_argument("--reconcile", action="store_true", help="then reconcile the day")

    def handle(self, *args, **opts):
        client = network.NetworkClient(url=opts.get("url"), secret=opts.get("secret"))
        action = opts["action"]
        if action == "inquire":
            reply = client.inquire(opts["billing_number"], opts.get("service_type"))
            return self._print(reply)
        if action == "pay":
            reply = client.pay(
                opts["bill_number"],
                amount_fils=opts.get("amount"),
                reference=opts.get("reference"),
                trx=opts.get("trx"),
                bank_code=opts["bank_code"],
            )
            return self._print(reply)
        return self._settlement(opts)

    def _print(self, reply: network.Reply) -> None:
        self.stdout.write(json.dumps(reply.body, ensure_ascii=False, indent=2))
        if reply.code != network.Code.OK:
            raise CommandError(f"the biller answered {reply.code} (HTTP {reply.status})")

    def _settlement(self, opts) -> None:
        day: dt.date = opts["day"]
        rows = self._recorded(day) if opts["from_recorded"] else network.journal_rows(day)
        rows = sorted(rows, key=lambda r: (r["paid_at"], r["network_reference"]))
        difference = opts.get("difference")
        if difference in ("amount", "missing-there") and not rows:
            raise CommandError(f"nothing was paid on {day}: no row to change")
        if difference == "amount":
            rows[0] = {**rows[0], "amount_fils": int(rows[0]["amount_fils"]) + 1000}
        elif difference == "missing-there":
            rows = rows[1:]
        elif difference == "missing-here":
            at = timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))
            rows.append(
                {
                    "network_reference": f"SIMX{secrets.token_hex(5).upper()}",
                    "transaction_number": f"{secrets.randbelow(10**12):012d}",
                    "bill_number": "UNKNOWN",
                    "amount_fils": 12345,
                    "paid_at": at.isoformat(),
                }
            )
        source = FolderSource()
        path: Path = source.path(day)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=COLUMNS)
            writer.writeheader()
            for row in rows:
                writer.writerow({c: row[c] for c in COLUMNS})
        self.stdout.write(f"{path}: {len(rows)} row(s)")
        if opts["reconcile"]:
            self.stdout.write(json.dumps(reconcile_day(day, source=source), ensure_ascii=False))

    @staticmethod
    def _recorded(day: dt.date) -> list[dict]:
        start, end = day_bounds(day)
        return [
            {
                "network_reference": p.network_reference,
                "transaction_number": p.network_trx,
                "bill_number": p.bill.number,
                "amount_fils": network.to_fils(p.amount),
                "paid_at": timezone.localtime(p.paid_at).isoformat(),
            }
            for p in Payment.objects.filter(
                channel=Payment.Channel.NETWORK, paid_at__gte=start, paid_at__lt=end
            ).select_related("bill")
        ]
