"""Benchmark: a monthly wage file of N rows, checked and confirmed end to end, against COPY.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ssportal_bench \\
        .venv/bin/python benchmarks/wage_file.py --rows 50000 [--trace] [--repeat 3]

Recreates the database named in DATABASE_URL (never the test or development one: the name must end
in ``_bench``), migrates it, creates N employees (civil records, individuals, open insurance
periods of one establishment) with bulk inserts in batches, writes an N-row CSV, then measures
``submission_create`` + ``submission_validate`` + ``submission_confirm`` (wall time and memory),
and, in the same run, PostgreSQL's COPY of the same file into two bare tables: a TEMP table (no
write-ahead log) and a regular one (logged, no index). The ratio is printed against both. A third
reference is the least that saving these rows can cost at all: COPY of the same rows, ready to
store, straight into the real wage table (its indexes and its reference checks, committed).

``--repeat K`` runs it K times (each for an earlier month, with its own file, so each saves N new
wage records) and prints every run and the best; the machine may be shared, so the best is the
fairest figure. Memory: ``ru_maxrss`` (the process's high-water mark) before and after the measured
part — the setup works in batches so that it stays below — and, with ``--trace``, tracemalloc's
peak of the Python heap during the run (slower), which should not grow with N.
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
from itertools import islice
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
BATCH = 5000
START = dt.date(2020, 1, 1)  # the employees' coverage start


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


def cpu_seconds(backend_pid: int) -> tuple[float, float]:
    """CPU time used so far by this process and by its PostgreSQL backend (same machine, Linux;
    NaN if /proc cannot tell): on a shared machine it varies less than wall time."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    try:
        with open(f"/proc/{backend_pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        backend = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        backend = float("nan")
    return me.ru_utime + me.ru_stime, backend


def batches(items, size: int = BATCH):
    items = iter(items)
    while batch := list(islice(items, size)):
        yield batch


def number(i: int) -> str:
    return f"96{i:08d}"


def setup(n: int):
    """The establishment, its officer and N employees, in batches (memory stays flat)."""
    from accounts.models import CivilRecord, User
    from establishments.models import Establishment
    from individuals.models import Individual, InsurancePeriod

    est = Establishment.objects.create(
        insurance_number="900001",
        kind="private",
        name="منشأة القياس",
        coverage_date=dt.date(2010, 1, 1),
    )
    user = User.objects.create_user("establishment", "900001", None)
    start = START
    for batch in batches(
        CivilRecord(kind="jordanian", number=number(i), name_ar="موظف", birth_date=start, sex="M")
        for i in range(n)
    ):
        CivilRecord.objects.bulk_create(batch)
    for batch in batches(
        Individual(
            is_jordanian=True,
            name_ar="موظف",
            birth_date=start,
            sex="M",
            national_number=number(i),
            residence_country="JO",
            education_level="",
        )
        for i in range(n)
    ):
        Individual.objects.bulk_create(batch)
    people = Individual.objects.filter(national_number__startswith="96").values_list(
        "id", flat=True
    )
    for batch in batches(
        InsurancePeriod(
            individual_id=pk,
            establishment=est,
            coverage="mandatory",
            start_date=start,
            monthly_wage=400,
        )
        for pk in people.iterator(chunk_size=BATCH)
    ):
        InsurancePeriod.objects.bulk_create(batch)
    return est, user


def add_population(p: int, months: list[dt.date]) -> None:
    """P more people, as a country has them: in the civil registry, with a record, covered by
    another establishment and with its wages of the months measured (COPY, a few seconds per
    million rows): the file's checks then join against tables of a realistic size."""
    from billing import copy_rows  # benchmarks/billing.py

    from accounts.models import CivilRecord
    from establishments.models import Establishment
    from individuals.models import Individual, InsurancePeriod, WageRecord

    other = Establishment.objects.create(
        insurance_number="900002", kind="private", name="منشأة أخرى", coverage_date=START
    )
    birth = dt.date(1980, 1, 1)
    copy_rows(
        CivilRecord,
        (
            {
                "kind": "jordanian",
                "number": f"95{i:08d}",
                "name_ar": "مواطن",
                "birth_date": birth,
                "sex": "M",
            }
            for i in range(p)
        ),
    )
    copy_rows(
        Individual,
        (
            {
                "is_jordanian": True,
                "name_ar": "مواطن",
                "birth_date": birth,
                "sex": "M",
                "national_number": f"95{i:08d}",
                "residence_country": "JO",
                "education_level": "",
            }
            for i in range(p)
        ),
    )
    first = Individual.objects.filter(national_number="9500000000").values_list("pk", flat=True)[0]
    copy_rows(
        InsurancePeriod,
        (
            {
                "individual_id": first + i,
                "establishment_id": other.pk,
                "coverage": "mandatory",
                "start_date": START,
                "monthly_wage": 400,
            }
            for i in range(p)
        ),
    )
    for month in months:
        copy_rows(
            WageRecord,
            (
                {
                    "individual_id": first + i,
                    "establishment_id": other.pk,
                    "month": month,
                    "wage": 400,
                    "coverage": "mandatory",
                    "unemployment": True,
                }
                for i in range(p)
            ),
        )


def write_file(path: Path, n: int, month: dt.date) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["الرقم الوطني", f"الأجر {month:%Y-%m}"])  # a different file for each month
        for i in range(n):
            w.writerow([number(i), f"{400 + i % 500}.250"])


def run_once(svc, Submission, est, user, path: Path, month: dt.date) -> tuple[float, ...]:
    from django.core.files import File

    t0 = time.perf_counter()
    with path.open("rb") as fh:
        sub = svc.submission_create(
            establishment=est, user=user, kind="monthly", period=month, upload=File(fh, "w.csv")
        )
    t1 = time.perf_counter()
    sub = svc.submission_validate(submission=Submission.objects.get(pk=sub.pk))
    t2 = time.perf_counter()
    svc.submission_confirm(submission=sub, user=user)
    t3 = time.perf_counter()
    return sub, t1 - t0, t2 - t1, t3 - t2


def copy_into(connection, path: Path, n: int, *, temp: bool) -> float:
    table = "bench_copy_temp" if temp else "bench_copy_logged"
    with connection.cursor() as cur:
        raw = cur.connection
        with raw.cursor() as c2:
            c2.execute(f"DROP TABLE IF EXISTS {table}")
            c2.execute(
                f"CREATE {'TEMP ' if temp else ''}TABLE {table}"
                " (national_number char(10), wage numeric(12,3))"
            )
            c0 = time.perf_counter()
            with path.open("r", encoding="utf-8-sig") as fh:
                c2.copy_expert(f"COPY {table} FROM STDIN WITH (FORMAT csv, HEADER true)", fh)
            seconds = time.perf_counter() - c0
            c2.execute(f"SELECT count(*) FROM {table}")
            assert c2.fetchone()[0] == n
            c2.execute(f"DROP TABLE {table}")
    return seconds


def copy_into_wage_table(connection, n: int, *, est, sub, month: dt.date) -> float:
    """The least that saving these rows can cost: COPY of N ready rows (the person's id already
    found) straight into individuals_wagerecord, with its indexes and its reference checks
    at COMMIT. The rows are prepared (untimed) from the employees."""
    from django.db import transaction

    with tempfile.TemporaryFile("w+") as rows:
        with connection.cursor() as cur:
            cur.copy_expert(
                f"COPY (SELECT i.id, {int(est.pk)}, '{month.isoformat()}', 400.250, 'mandatory',"
                f" true, {int(sub.pk)} FROM individuals_individual i"
                " WHERE i.national_number LIKE '96%') TO STDOUT WITH (FORMAT csv)",
                rows,
            )
        rows.seek(0)
        t0 = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cur:
            cur.copy_expert(
                "COPY individuals_wagerecord (individual_id, establishment_id, month, wage,"
                " coverage, unemployment, submission_id) FROM STDIN WITH (FORMAT csv)",
                rows,
            )
            assert cur.rowcount == n
        return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--trace", action="store_true", help="measure the heap with tracemalloc")
    parser.add_argument("--repeat", type=int, default=1, help="runs (each for an earlier month)")
    parser.add_argument(
        "--population",
        type=int,
        default=0,
        help="people besides the employees (registry, records, periods, wages): tables to scale",
    )
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
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)

    from establishments import submissions as svc
    from establishments.models import Submission, SubmissionRow
    from individuals.models import WageRecord

    t0 = time.perf_counter()
    est, user = setup(n)
    last_month = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    months = [last_month]
    for _ in range(args.repeat - 1):
        months.append((months[-1] - dt.timedelta(days=1)).replace(day=1))
    if args.population:
        add_population(args.population, months)
    with connection.cursor() as cur:  # as autovacuum would after a load of this size
        cur.execute("ANALYZE")
    setup_s = time.perf_counter() - t0
    path = Path(media) / "wages.csv"

    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        backend_pid = cur.fetchone()[0]
    runs = []
    rss_before = maxrss_mb()
    peak = None
    for month in months:
        write_file(path, n, month)
        if args.trace:
            tracemalloc.start()
        cpu0 = cpu_seconds(backend_pid)
        sub, upload_s, validate_s, confirm_s = run_once(svc, Submission, est, user, path, month)
        cpu = [b - a for a, b in zip(cpu0, cpu_seconds(backend_pid), strict=True)]
        if args.trace:
            peak = max(peak or 0, tracemalloc.get_traced_memory()[1] / 2**20)
            tracemalloc.stop()
        saved = WageRecord.objects.filter(submission=sub).count()
        assert sub.rows_with_errors == 0 and saved == n, (sub.summary, saved)
        copy_temp = copy_into(connection, path, n, temp=True)
        copy_logged = copy_into(connection, path, n, temp=False)
        runs.append((upload_s, validate_s, confirm_s, copy_temp, copy_logged, cpu))
    rss_after = maxrss_mb()
    floor = copy_into_wage_table(connection, n, est=est, sub=sub, month=dt.date(2000, 1, 1))
    left = SubmissionRow.objects.count()

    print(f"rows                      {n}   (population besides: {args.population})")
    print(f"setup (employees + CSV)   {setup_s:8.2f} s   file {path.stat().st_size / 2**20:.1f} MB")
    for k, (upload_s, validate_s, confirm_s, copy_temp, copy_logged, cpu) in enumerate(runs, 1):
        total = validate_s + confirm_s
        if len(runs) > 1:
            print(f"-- run {k}")
        print(f"upload + hash             {upload_s:8.2f} s")
        print(f"validation                {validate_s:8.2f} s   ({n / validate_s:,.0f} rows/s)")
        print(f"confirmation (1 txn)      {confirm_s:8.2f} s")
        print(f"validation + confirmation {total:8.2f} s")
        print(f"  CPU: Python / PostgreSQL {cpu[0]:6.2f} / {cpu[1]:.2f} s")
        print(
            f"COPY into a TEMP table    {copy_temp:8.3f} s   ratio (ours / COPY) {total / copy_temp:6.1f} x"
        )
        print(
            f"COPY into a regular table {copy_logged:8.3f} s   ratio (ours / COPY) {total / copy_logged:6.1f} x"
        )
    best = min(r[1] + r[2] for r in runs)
    if len(runs) > 1:
        best_temp = min(r[3] for r in runs)
        best_logged = min(r[4] for r in runs)
        print("-- best of the runs")
        print(f"validation + confirmation {best:8.2f} s")
        print(f"COPY into a TEMP table    {best_temp:8.3f} s   ratio {best / best_temp:6.1f} x")
        print(f"COPY into a regular table {best_logged:8.3f} s   ratio {best / best_logged:6.1f} x")
    print(
        f"COPY into the wage table  {floor:8.3f} s   ratio (ours / COPY) {best / floor:6.1f} x"
        "   (individuals_wagerecord: its indexes and reference checks, committed)"
    )
    print(f"staging rows left         {left}")
    print(f"ru_maxrss before / after  {rss_before:8.1f} / {rss_after:.1f} MB")
    if peak is not None:
        print(f"tracemalloc peak          {peak:8.1f} MB (Python heap during the run)")


if __name__ == "__main__":
    main()
