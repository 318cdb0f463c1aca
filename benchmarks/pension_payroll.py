"""Benchmark: the monthly pension payroll for N pensions (default 200,000).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ssportal_bench \\
        .venv/bin/python benchmarks/pension_payroll.py [--pensions 200000] [--batch 2000]

Recreates the database named in DATABASE_URL (its name must end in ``_bench``), migrates it, and
loads N pensions of N people (bulk inserts), a tenth of them repaying a loan (12 instalments, one
due this month). Then it measures ``pensions.payroll.run_payroll`` for this month: wall time, SQL
statements (counted by a connection wrapper, every statement including the savepoints), rows
written; then the same month again (nothing to pay); then a run stopped halfway (a time budget)
and resumed, for next month, to show what a resumed run costs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


class Counter:
    """A connection execute wrapper that counts the statements sent."""

    def __init__(self):
        self.statements = 0

    def __call__(self, execute, sql, params, many, context):
        self.statements += 1
        return execute(sql, params, many, context)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pensions", type=int, default=200_000)
    parser.add_argument("--batch", type=int, default=None, help="pensions a batch (default 2000)")
    args = parser.parse_args()
    n = args.pensions
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a postgres:// URL (…/ssportal_bench).")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    from wage_file import recreate_database

    recreate_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", verbosity=0)

    from eservices.dates import month_after, month_start
    from individuals.models import Individual
    from pensions.models import Loan, LoanInstalment, PayrollRun, Pension, PensionPayment
    from pensions.payroll import BATCH_SIZE, run_payroll

    batch = args.batch or BATCH_SIZE
    this_month = month_start(timezone.localdate())
    t0 = time.perf_counter()
    people = Individual.objects.bulk_create(
        (
            Individual(
                is_jordanian=True,
                name_ar="متقاعد",
                birth_date=dt.date(1955 + i % 10, 1 + i % 12, 1 + i % 28),
                sex="M" if i % 3 else "F",
                national_number=f"95{i:08d}",
                residence_country="JO",
                education_level="",
            )
            for i in range(n)
        ),
        batch_size=5000,
    )
    pensions = []
    for start in range(0, n, 5000):
        chunk = []
        for i, person in enumerate(people[start : start + 5000], start=start):
            base = Decimal(300 + i % 1200)
            increment = Decimal(0 if i % 4 == 0 else 30 + i % 100)
            chunk.append(
                Pension(
                    individual=person,
                    kind="old_age" if i % 5 else "early",
                    retirement_date=dt.date(2020, 1, 15),
                    start_month=dt.date(2020, 2, 1),
                    contribution_months=240 + i % 240,
                    reference_wage=base * 2,
                    base=base,
                    increment=increment,
                    supplement=Decimal(40),
                    minimum_topup=Decimal(0),
                    amount=base + increment + 40,
                    bank="arab_bank",
                    iban="JO71CBJO0000000000001234567890",
                )
            )
        pensions += Pension.objects.bulk_create(chunk)
    del people
    first = month_after(this_month, -5)
    loans = Loan.objects.bulk_create(
        (
            Loan(
                pension=p,
                principal=Decimal("1000.000"),
                interest_rate=Decimal("0.05"),
                months=12,
                total=Decimal("1050.000"),
                first_month=first,
            )
            for p in pensions[::10]
        ),
        batch_size=5000,
    )
    LoanInstalment.objects.bulk_create(
        (
            LoanInstalment(
                loan=loan, sequence=k + 1, month=month_after(first, k), amount=Decimal("87.500")
            )
            for loan in loans
            for k in range(12)
        ),
        batch_size=10000,
    )
    with connection.cursor() as cur:  # as autovacuum would after a load of this size
        cur.execute("ANALYZE")
    setup = time.perf_counter() - t0
    print(f"pensions                  {n:,} ({len(loans):,} repaying a loan), batches of {batch}")
    print(f"setup (bulk inserts)      {setup:8.2f} s")

    def timed(label, **kw):
        counter = Counter()
        with connection.execute_wrapper(counter):
            t = time.perf_counter()
            c = time.process_time()
            result = run_payroll(batch_size=batch, **kw)
            wall, cpu = time.perf_counter() - t, time.process_time() - c
        print(
            f"{label:25} {wall:8.2f} s wall  {cpu:7.2f} s CPU  {counter.statements:6,} statements"
            f"  {result.paid_now:8,} paid  ({result.paid_now / wall if wall else 0:,.0f}/s)"
            f"  completed={result.completed}"
        )
        return result, counter.statements, wall

    result, statements, full = timed("payroll, this month", month=this_month)
    run = PayrollRun.objects.get(month=this_month)
    paid = PensionPayment.objects.filter(month=this_month).count()
    deducted = LoanInstalment.objects.filter(month=this_month, status="paid").count()
    assert result.completed and paid == n and deducted == len(loans), (paid, deducted)
    print(
        f"  rows written: {paid:,} payments, {deducted:,} instalments deducted; "
        f"{run.batches} batches, {statements / max(run.batches, 1):.1f} statements a batch; "
        f"total paid {run.total_net:,.3f} JD"
    )
    timed("same month again", month=this_month)

    # next month: stopped about halfway (a time budget of half the full run), then resumed
    nxt = month_after(this_month, 1)
    half, *_ = timed("next month, stopped", month=nxt, time_budget=full / 2)
    rest, *_ = timed("next month, resumed", month=nxt)
    assert not half.completed and rest.completed
    assert half.paid_now + rest.paid_now == n == PensionPayment.objects.filter(month=nxt).count()


if __name__ == "__main__":
    main()
