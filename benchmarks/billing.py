"""Benchmark: the monthly billing of 10,000 establishments, wall time and SQL statements.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ssportal_bench \\
        .venv/bin/python benchmarks/billing.py [--establishments 10000] \\
        [--employees 100000 500000]

For each number of employees, recreates the database named in DATABASE_URL (its name must end in
``_bench``), migrates it, loads the establishments, the employees (individuals), their coverage
periods (one in twenty covered before 2009-10-15, so under the old cap) and one wage record each
for the month with PostgreSQL COPY, then measures:

* ``bill_month`` (first run: accounts opened, entries and bills inserted),
* ``bill_month`` again (idempotent: nothing posted),
* ``post_penalties`` on the day after the due date (nothing paid: a penalty per account),

printing the wall time and the number of SQL statements of each (counted with
``connection.execute_wrapper``: every execute sent to PostgreSQL). The statement counts are the
same whatever the number of employees: they grow only with the number of establishments, by one
INSERT per 2,000 rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

MONTH = dt.date(2025, 1, 1)


def _text(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def copy_rows(model, rows: Iterable[dict], *, chunk: int = 100_000) -> int:
    """COPY dicts into the model's table; a column not given gets the field's default."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(f'"{f.column}"' for f in fields)
    defaults = {f.attname: f.get_default() for f in fields}
    sql = f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN'
    total = 0

    def flush(buf: io.StringIO) -> None:
        buf.seek(0)
        with connection.cursor() as cur:
            cur.cursor.copy_expert(sql, buf)

    buf, n = io.StringIO(), 0
    for row in rows:
        buf.write("\t".join(_text(row.get(f.attname, defaults[f.attname])) for f in fields) + "\n")
        n += 1
        if n == chunk:
            flush(buf)
            total += n
            buf, n = io.StringIO(), 0
    if n:
        flush(buf)
        total += n
    return total


@contextmanager
def counting() -> Iterator[list[int]]:
    """Count the statements sent to the database in the block."""
    from django.db import connection

    count = [0]

    def wrapper(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield count


def load(n_est: int, n_emp: int) -> None:
    from django.db import connection

    from establishments.models import Establishment
    from individuals.models import Individual, InsurancePeriod, WageRecord

    copy_rows(
        Establishment,
        (
            {
                "insurance_number": f"{500000 + i}",
                "kind": "private",
                "name": f"منشأة {i}",
                "coverage_date": dt.date(2005, 1, 1),
                "status": "active",
            }
            for i in range(n_est)
        ),
    )
    first_est = Establishment.objects.order_by("pk").values_list("pk", flat=True).first()
    copy_rows(
        Individual,
        (
            {
                "is_jordanian": True,
                "name_ar": "موظف",
                "birth_date": dt.date(1980, 1, 1),
                "sex": "M",
                "national_number": f"95{i:08d}",
                "nationality": "JO",
                "residence_country": "JO",
            }
            for i in range(n_emp)
        ),
    )
    first_person = Individual.objects.order_by("pk").values_list("pk", flat=True).first()
    copy_rows(
        InsurancePeriod,
        (
            {
                "individual_id": first_person + i,
                "establishment_id": first_est + i % n_est,
                "coverage": "mandatory",
                "start_date": dt.date(2005, 3, 1) if i % 20 == 0 else dt.date(2015, 1, 1),
                "monthly_wage": 400,
            }
            for i in range(n_emp)
        ),
    )
    copy_rows(
        WageRecord,
        (
            {
                "individual_id": first_person + i,
                "establishment_id": first_est + i % n_est,
                "month": MONTH,
                "wage": f"{300 + (i * 7) % 5000}.250",  # some above the caps
                "coverage": "mandatory",
                "unemployment": i % 10 != 0,
            }
            for i in range(n_emp)
        ),
    )
    with connection.cursor() as cur:  # as autovacuum would after a load of this size
        cur.execute("ANALYZE")


def run(url: str, n_est: int, n_emp: int) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from wage_file import recreate_database

    connection.close()
    recreate_database(url)
    call_command("migrate", verbosity=0)
    from payments.billing import bill_month, due_date_of, post_penalties
    from payments.models import Bill, LedgerEntry

    t0 = time.perf_counter()
    load(n_est, n_emp)
    setup = time.perf_counter() - t0

    out = {"employees": n_emp, "setup": setup}
    with counting() as count:
        t0 = time.perf_counter()
        summary = bill_month(MONTH, posted_on=dt.date(2025, 2, 1))
        out["bill_s"], out["bill_sql"] = time.perf_counter() - t0, count[0]
    assert summary["establishments"] == n_est and summary["posted"] == n_est, summary
    assert LedgerEntry.objects.count() == n_est
    assert Bill.objects.filter(status="open").count() == n_est
    out["amount"] = summary["amount"]
    with counting() as count:
        t0 = time.perf_counter()
        again = bill_month(MONTH)
        out["again_s"], out["again_sql"] = time.perf_counter() - t0, count[0]
    assert again["posted"] == 0 and again["corrections"] == 0, again
    with counting() as count:
        t0 = time.perf_counter()
        penalties = post_penalties(due_date_of(MONTH) + dt.timedelta(days=1))
        out["pen_s"], out["pen_sql"] = time.perf_counter() - t0, count[0]
    assert penalties["penalties"] == n_est, penalties
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--establishments", type=int, default=10_000)
    parser.add_argument("--employees", type=int, nargs="+", default=[100_000, 500_000])
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a postgres:// URL (…/ssportal_bench).")
    if not url.rstrip("/").endswith("_bench"):
        raise SystemExit("The benchmark database name must end in _bench.")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    import django

    django.setup()
    results = [run(url, args.establishments, n) for n in args.employees]
    print(f"establishments               {args.establishments}")
    for r in results:
        print(f"--- employees {r['employees']:,} (load with COPY {r['setup']:.1f} s)")
        print(
            f"bill_month (first run)      {r['bill_s']:8.2f} s   {r['bill_sql']:4d} SQL statements"
            f"   charged {r['amount']} JD"
        )
        print(
            f"bill_month (again, nothing) {r['again_s']:8.2f} s   {r['again_sql']:4d} SQL statements"
        )
        print(f"post_penalties (all late)   {r['pen_s']:8.2f} s   {r['pen_sql']:4d} SQL statements")
    counts = {(r["bill_sql"], r["again_sql"], r["pen_sql"]) for r in results}
    print(
        "statements independent of the number of employees: "
        + ("yes" if len(counts) == 1 else f"NO {counts}")
    )


if __name__ == "__main__":
    main()
