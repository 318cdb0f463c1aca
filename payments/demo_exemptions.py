"""Demo data of the exemption programme (idempotent; runs after eservices/demo.py and the money
side's own demo).

Establishment 100200 (its liaison officer signs in with 100200) must owe late-payment penalties on
contribution months up to the programme's cut-off for est.exemption-request to open. When the
monthly billing's demo already left such penalties unpaid, nothing is added; otherwise the
establishment is charged the contributions of the month before the cut-off and two months of
late-payment penalties on them, under keys of their own ("demo:exemption:…", posted once).

Nothing is needed for card.issue: the demo insured person Ahmad (9861012345) has a record and no
card, so he can ask for one.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from eservices.rules import Working, money

from . import ledger
from .exemptions import covered_penalties, programme
from .models import LedgerEntry


@transaction.atomic
def seed() -> list[tuple[str, str, str]]:
    from establishments.models import Establishment

    est = Establishment.objects.filter(insurance_number="100200").first()
    if est is None:
        return []
    today = timezone.localdate()
    until = programme(Working(), today).debts_until
    account = ledger.account_for_establishment(est)
    if covered_penalties(account, until) > 0:
        return []
    month = until.replace(day=1)
    contributions = Decimal("1850.250")
    ledger.post(
        account=account,
        kind=LedgerEntry.Kind.CONTRIBUTION,
        key=f"demo:exemption:contrib:{month:%Y-%m}",
        amount=contributions,
        period=month,
        posted_on=until,
        memo=f"Demo: contributions of {month:%Y-%m}",
    )
    for n in (1, 2):
        ledger.post(
            account=account,
            kind=LedgerEntry.Kind.PENALTY,
            key=f"demo:exemption:penalty:{month:%Y-%m}:{n}",
            amount=money(contributions * Decimal("0.01")),
            period=month,
            posted_on=today,
            memo=f"Demo: late-payment penalty on {month:%Y-%m}, month {n} late",
        )
    ledger.refresh_contributions_bill(account)
    return []
