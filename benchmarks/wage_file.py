"""Benchmark: a monthly wage file of N rows, checked and confirmed end to end, against COPY.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ssportal_bench \\
        .venv/bin/python benchmarks/wage_file.py --rows 50000 [--trace]

Recreates the database named in DATABASE_URL (never the test or development one: the name must end
in ``_bench``), migrates it, creates N employees (civil records, individuals, open insurance
periods of one establishment) with bulk inserts, writes an N-row CSV, then measures
``submission_create`` + ``submission_validate`` + ``submission_confirm`` (wall time and memory),
and, in the same run, PostgreSQL's COPY of the same file into a bare TEMP table.
``--trace`` also measures the Python heap peak with tracemalloc (slower).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def recreate_database(url: str) -> None:
    import psycopg2

    u = urlparse(url)
    name = u.path.lstrip("/")
    if not name.endswith("_bench"):
        raise SystemExit("The benchmark database name must end in _bench.")
    conn = psycopg2.connect(
        host=u.hostname,
        port=u.port or 5432,
        user=u.username,
        password=u.password,
        dbname="postgres",
    )
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--trace", action="store_true", help="measure the heap with tracemalloc")
    args = parser.parse_args()
    n = args.rows
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a postgres:// URL (…/ssportal_bench).")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    media = tempfile.mkdtemp(prefix="bench-media-")
    os.environ["MEDIA_ROOT"] = media
    recreate_database(url)

    import django

    django.setup()
    from django.core.files import File
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)

    from accounts.models import CivilRecord, User
    from establishments import submissions as svc
    from establishments.models import Establishment, Submission
    from individuals.models import Individual, InsurancePeriod, WageRecord

    t0 = time.perf_counter()
    est = Establishment.objects.create(
        insurance_number="900001",
        kind="private",
        name="منشأة القياس",
        coverage_date=dt.date(2010, 1, 1),
    )
    user = User.objects.create_user("establishment", "900001", None)
    start = dt.date(2020, 1, 1)
    numbers = [f"96{i:08d}" for i in range(n)]
    CivilRecord.objects.bulk_create(
        (
            CivilRecord(kind="jordanian", number=nn, name_ar="موظف", birth_date=start, sex="M")
            for nn in numbers
        ),
        batch_size=5000,
    )
    people = Individual.objects.bulk_create(
        (
            Individual(
                is_jordanian=True,
                name_ar="موظف",
                birth_date=start,
                sex="M",
                national_number=nn,
                residence_country="JO",
                education_level="",
            )
            for nn in numbers
        ),
        batch_size=5000,
    )
    InsurancePeriod.objects.bulk_create(
        (
            InsurancePeriod(
                individual=p,
                establishment=est,
                coverage="mandatory",
                start_date=start,
                monthly_wage=400,
            )
            for p in people
        ),
        batch_size=5000,
    )
    del people
    path = Path(media) / "wages.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["الرقم الوطني", "الأجر"])
        for i, nn in enumerate(numbers):
            w.writerow([nn, f"{400 + i % 500}.250"])
    del numbers
    with connection.cursor() as cur:  # as autovacuum would after a load of this size
        cur.execute("ANALYZE")
    setup = time.perf_counter() - t0
    today = dt.date.today()
    month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)

    rss_before = maxrss_mb()
    if args.trace:
        tracemalloc.start()
    t0 = time.perf_counter()
    with path.open("rb") as fh:
        upload = File(fh, name="wages.csv")
        sub = svc.submission_create(
            establishment=est, user=user, kind="monthly", period=month, upload=upload
        )
    t1 = time.perf_counter()
    sub = svc.submission_validate(submission=Submission.objects.get(pk=sub.pk))
    t2 = time.perf_counter()
    svc.submission_confirm(submission=sub, user=user)
    t3 = time.perf_counter()
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if args.trace else None
    if args.trace:
        tracemalloc.stop()
    rss_after = maxrss_mb()
    saved = WageRecord.objects.filter(submission=sub).count()
    assert sub.rows_with_errors == 0 and saved == n, (sub.summary, saved)

    with connection.cursor() as cur:
        raw = cur.connection
        with raw.cursor() as c2:
            c2.execute(
                "CREATE TEMP TABLE bench_copy (national_number char(10), wage numeric(12,3))"
            )
            c0 = time.perf_counter()
            with path.open("r", encoding="utf-8-sig") as fh:
                c2.copy_expert("COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)", fh)
            copy_s = time.perf_counter() - c0
            c2.execute("SELECT count(*) FROM bench_copy")
            assert c2.fetchone()[0] == n

    total = t3 - t0
    print(f"rows                      {n}")
    print(f"setup (employees + CSV)   {setup:8.2f} s   file {path.stat().st_size / 2**20:.1f} MB")
    print(f"upload + hash             {t1 - t0:8.2f} s")
    print(f"validation                {t2 - t1:8.2f} s   ({n / (t2 - t1):,.0f} rows/s)")
    print(f"confirmation (1 txn)      {t3 - t2:8.2f} s")
    print(f"validation + confirmation {total:8.2f} s")
    print(f"COPY into a TEMP table    {copy_s:8.2f} s")
    print(f"ratio (ours / COPY)       {total / copy_s:8.1f} x")
    print(f"ru_maxrss before / after  {rss_before:8.1f} / {rss_after:.1f} MB")
    if peak is not None:
        print(f"tracemalloc peak          {peak:8.1f} MB (Python heap during the run)")


if __name__ == "__main__":
    main()
