"""Benchmark: the expected-pension calculator's throughput on one core.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ssportal_bench \\
        .venv/bin/python benchmarks/pension_calculator.py [--n 5000]

Recreates the database named in DATABASE_URL (its name must end in ``_bench``), migrates it (the
rule rows come with the migrations), then measures, in this one process (one core):

1. ``expected_pension`` from explicit inputs as the API calls it — one SQL query for the rule
   rows of the retirement date each time (old age; early adds the rows of the date first covered);
2. the same with the rule rows already read (the arithmetic and the working alone);
3. the JSON endpoint /api/v1/calculators/pension through Django's test client (DRF parsing,
   validation, rendering; no network);
4. the calculator page's work for one person with a 480-month record: the record read and
   projected to each possible retirement date (22 dates), as ``retirement_options`` does.

Wall time and CPU time (``time.process_time``) are both printed: on a machine shared with other
work the CPU figure is the one that says what one core does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def measure(label: str, n: int, fn) -> None:
    t0, c0 = time.perf_counter(), time.process_time()
    for i in range(n):
        fn(i)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(
        f"{label:52} {n:7d} in {wall:7.2f} s  {n / wall:9,.0f}/s wall  {n / cpu:9,.0f}/s CPU"
        f"  ({1000 * wall / n:.3f} ms each)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=5000, help="calculations per measure")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a postgres:// URL (…/ssportal_bench).")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    from wage_file import recreate_database

    recreate_database(url)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from django.test import Client

    from pensions.calculator import EARLY_KEYS, PENSION_KEYS, expected_pension
    from pensions.rulebook import RuleBook
    from pensions.selectors import Assumptions, PensionRecord, retirement_options

    rnd = random.Random(7)  # noqa: S311 - benchmark inputs
    n = args.n
    cases = []
    for _ in range(n):
        born = dt.date(1965 + rnd.randint(0, 15), rnd.randint(1, 12), rnd.randint(1, 28))
        age = rnd.randint(50, 64)
        months = rnd.randint(180, min(480, (age - 18) * 12))
        cases.append(
            dict(
                birth_date=born,
                sex=rnd.choice("MF"),
                retirement_date=born.replace(year=born.year + age),
                contribution_months=months,
                reference_wages=[
                    Decimal(rnd.randint(260_000, 3_349_000)) / 1000 for _ in range(60)
                ],
                dependants=rnd.randint(0, 4),
            )
        )
    payable = sum(expected_pension(**c).payable for c in cases[:500])
    print(f"inputs: {n} random careers (50–64, 180–480 months, 60 wages); {payable}/500 payable")

    measure("expected_pension, rule rows read each time", n, lambda i: expected_pension(**cases[i]))
    on = dt.date(2026, 6, 1)
    book = RuleBook(on, PENSION_KEYS)
    early_book = RuleBook(dt.date(2000, 1, 1), EARLY_KEYS)
    fixed = [{**c, "retirement_date": on} for c in cases]
    measure(
        "expected_pension, rule rows already read",
        n,
        lambda i: expected_pension(**fixed[i], rules=book, early_rules=early_book),
    )

    client = Client(HTTP_HOST="localhost")
    bodies = [
        {
            **{k: v for k, v in c.items() if k != "reference_wages"},
            "birth_date": c["birth_date"].isoformat(),
            "retirement_date": c["retirement_date"].isoformat(),
            "reference_wages": [f"{w:.3f}" for w in c["reference_wages"]],
        }
        for c in cases
    ]

    def call(i):
        r = client.post("/api/v1/calculators/pension", bodies[i], content_type="application/json")
        assert r.status_code == 200, r.content[:300]

    from django.conf import settings

    # the anonymous rate limit (60/minute) would stop the loop: lift it, keep its work
    settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["calculator"] = "100000000/min"
    measure("POST /api/v1/calculators/pension (test client)", max(n // 5, 200), call)

    # A person of 45 covered since 18 (324 months): every birthday from 46 to 65, and today.
    months = [dt.date(1999, 1, 1)]
    while len(months) < 324:
        y, m = divmod(months[-1].year * 12 + months[-1].month, 12)
        months.append(dt.date(y, m + 1, 1))
    record = PensionRecord(
        birth_date=dt.date(1981, 1, 10),
        sex="M",
        months=tuple(months),
        wages=tuple(Decimal(400 + 4 * k) for k in range(len(months))),
        first_covered=months[0],
        covered=True,
    )
    today = dt.date(2026, 11, 22)
    assumptions = Assumptions(wage_growth=Decimal("0.03"), dependants=2)
    dates = len(retirement_options(record, assumptions, today=today))
    pages = max(n // 50, 50)
    measure(
        f"calculator page: {dates} dates, projected to each",
        pages,
        lambda i: retirement_options(record, assumptions, today=today),
    )


if __name__ == "__main__":
    main()
