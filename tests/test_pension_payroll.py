"""The monthly pension payroll (pensions.tasks.run_pension_payroll): every active pension paid once
a month with its dependants' increment and its loan instalment deducted; a run interrupted — an
error in the middle of a batch, or the process killed with SIGKILL — and run again pays nobody
twice and nobody is left out."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Sum

from eservices.dates import month_after
from pensions import payroll
from pensions.models import Loan, LoanInstalment, PayrollRun, Pension, PensionPayment
from pensions.payroll import run_payroll

from .factories import IndividualFactory
from .factories_pensions import make_pension, this_month

D = Decimal
ROOT = Path(__file__).resolve().parent.parent


def month() -> dt.date:
    return this_month()


def people(n: int):
    return [IndividualFactory(birth_date=dt.date(1955, 1, 1)) for _ in range(n)]


def loan_for(pension: Pension, *, amounts: list[str], first: dt.date) -> Loan:
    total = sum((D(a) for a in amounts), D(0))
    loan = Loan.objects.create(
        pension=pension,
        principal=total - D("10.000"),
        interest_rate=D("0.05"),
        months=len(amounts),
        total=total,
        first_month=first,
    )
    LoanInstalment.objects.bulk_create(
        LoanInstalment(loan=loan, sequence=i, month=month_after(first, i - 1), amount=D(a))
        for i, a in enumerate(amounts, start=1)
    )
    return loan


@pytest.fixture
def book():
    """12 pensions: 9 payable this month (3 with a loan instalment, one with a first payment
    already for this month), one suspended, one stopped, one that starts next month."""
    ps = people(12)
    pensions = [
        make_pension(p, amount=f"{500 + 10 * i}.000", increment="30.000")
        for i, p in enumerate(ps[:9])
    ]
    make_pension(ps[9], status=Pension.Status.SUSPENDED)
    make_pension(ps[10], status=Pension.Status.STOPPED)
    make_pension(ps[11], start=month_after(month(), 1))
    for p in pensions[:3]:
        loan_for(p, amounts=["100.000", "100.000", "100.005"], first=month_after(month(), -1))
    first = pensions[8]
    PensionPayment.objects.create(
        pension=first,
        month=month(),
        kind=PensionPayment.Kind.FIRST,
        status=PensionPayment.Status.SCHEDULED,
        base=first.base,
        increment=first.increment,
        supplement=first.supplement,
        minimum_topup=first.minimum_topup,
        gross=first.amount,
        net=first.amount,
        iban=first.iban,
        due_date=month(),
    )
    return pensions


def expected_net(pensions) -> Decimal:
    return sum((p.amount for p in pensions[:8]), D(0)) - 3 * D("100.000")


@pytest.mark.django_db
class TestPayroll:
    def test_pays_every_active_pension_once_with_increments_and_loans(self, book):
        result = run_payroll(month(), batch_size=4)
        assert result.completed and result.paid_now == 8
        monthly = PensionPayment.objects.filter(month=month(), kind="monthly")
        assert monthly.count() == 8
        assert set(monthly.values_list("pension_id", flat=True)) == {p.pk for p in book[:8]}
        p0 = monthly.get(pension=book[0])
        assert (p0.gross, p0.increment, p0.loan_deduction, p0.net) == (
            D("500.000"),
            D("30.000"),
            D("100.000"),
            D("400.000"),
        )
        assert p0.instalment.sequence == 2 and p0.instalment.status == "paid"
        run = PayrollRun.objects.get(month=month())
        assert run.status == "completed" and run.paid == 8 and run.batches == 2
        assert run.total_net == expected_net(book)
        assert run.total_deducted == D("300.000")
        # the first payment of the month was not doubled, and is now paid
        first = PensionPayment.objects.get(pension=book[8])
        assert first.kind == "first" and first.status == "paid" and first.paid_at
        # not paid: suspended, stopped, not started
        assert PensionPayment.objects.filter(month=month()).count() == 9

    def test_a_second_run_pays_nobody(self, book, django_assert_max_num_queries):
        run_payroll(month(), batch_size=4)
        with django_assert_max_num_queries(2):
            again = run_payroll(month(), batch_size=4)
        assert again.completed and again.paid_now == 0
        assert PensionPayment.objects.filter(month=month()).count() == 9

    def test_each_month_once_and_the_loan_is_repaid(self, book):
        for m in (month_after(month(), -1), month(), month_after(month(), 1)):
            run_payroll(m, batch_size=5, today=m.replace(day=25))
        loan = Loan.objects.get(pension=book[0])
        assert loan.status == "repaid"
        assert list(loan.instalments.values_list("status", flat=True)) == ["paid"] * 3
        assert PensionPayment.objects.filter(pension=book[0]).aggregate(s=Sum("loan_deduction"))[
            "s"
        ] == D("300.005")
        dupes = (
            PensionPayment.objects.values("pension", "month")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
        )
        assert not dupes.exists()

    def test_the_database_refuses_a_second_payment(self, book):
        run_payroll(month())
        p = PensionPayment.objects.filter(month=month(), kind="monthly").first()
        p.pk = None
        with pytest.raises(IntegrityError), transaction.atomic():
            p.save()

    def test_an_instalment_larger_than_the_pension_is_not_deducted(self):
        (person,) = people(1)
        pension = make_pension(person, amount="200.000")
        loan_for(pension, amounts=["250.000"], first=month())
        run_payroll(month())
        pay = PensionPayment.objects.get(pension=pension)
        assert pay.loan_deduction == 0 and pay.net == D("200.000")
        assert LoanInstalment.objects.get().status == "due"

    def test_statements_do_not_grow_with_the_pensions(self):
        """Three batches of 10 and three batches of 20 take the same statements: lock,
        pensions, instalments, insert, instalment update, loans repaid, run — per batch."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        nxt = month_after(month(), 1)
        for i, p in enumerate(people(60)):
            pension = make_pension(p, start=None if i < 30 else nxt)
            if i % 3 == 0:
                loan_for(pension, amounts=["50.000", "50.000"], first=month())
        with CaptureQueriesContext(connection) as small:
            run_payroll(month(), batch_size=10)
        with CaptureQueriesContext(connection) as large:
            run_payroll(nxt, batch_size=20, today=nxt)
        assert PensionPayment.objects.filter(month=month()).count() == 30
        assert PensionPayment.objects.filter(month=nxt).count() == 60
        assert len(small.captured_queries) == len(large.captured_queries) <= 50

    def test_a_new_amount_is_paid_from_the_next_run(self, book):
        run_payroll(month())
        Pension.objects.filter(pk=book[0].pk).update(increment=D("60.000"), amount=D("530.000"))
        run_payroll(month_after(month(), 1), today=month_after(month(), 1))
        old, new = PensionPayment.objects.filter(pension=book[0]).order_by("month")
        assert old.gross == D("500.000") and new.gross == D("530.000")
        assert new.increment == D("60.000")


# --- Interruptions -----------------------------------------------------------------------------


def check_paid_once(pensions):
    rows = PensionPayment.objects.filter(month=month())
    assert rows.count() == len(pensions) + 1  # + the first payment of one of them
    assert not rows.values("pension").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert rows.aggregate(s=Sum("loan_deduction"))["s"] == D("300.000")
    assert LoanInstalment.objects.filter(month=month(), status="paid").count() == 3
    run = PayrollRun.objects.get(month=month())
    assert run.status == "completed"
    assert run.paid == len(pensions)  # counted once each, whatever the attempts
    assert run.total_net == rows.filter(kind="monthly").aggregate(s=Sum("net"))["s"]


@pytest.mark.django_db(transaction=True)
class TestInterrupted:
    def _many(self, n=40):
        ps = people(n)
        pensions = [make_pension(p, amount=f"{300 + i}.000") for i, p in enumerate(ps)]
        for p in (pensions[1], pensions[17], pensions[38]):
            loan_for(p, amounts=["100.000", "100.000"], first=month())
        first = pensions[-1]
        PensionPayment.objects.create(
            pension=first,
            month=month(),
            kind="first",
            status="scheduled",
            base=first.base,
            increment=first.increment,
            supplement=first.supplement,
            minimum_topup=first.minimum_topup,
            gross=first.amount,
            net=first.amount,
            iban=first.iban,
            due_date=month(),
        )
        return pensions[:-1]

    def test_an_error_in_the_middle_of_a_batch_then_a_new_run(self, monkeypatch):
        pensions = self._many()
        real = PensionPayment.objects.bulk_create
        calls = {"n": 0}

        def failing(objs, *a, **kw):
            calls["n"] += 1
            made = real(objs, *a, **kw)  # written… then the process "dies" before the commit
            if calls["n"] == 3:
                raise RuntimeError("the worker died")
            return made

        monkeypatch.setattr(PensionPayment.objects, "bulk_create", failing)
        with pytest.raises(RuntimeError):
            run_payroll(month(), batch_size=7)
        run = PayrollRun.objects.get(month=month())
        assert run.status == "running" and run.batches == 2 and run.paid == 14
        assert PensionPayment.objects.filter(month=month(), kind="monthly").count() == 14
        monkeypatch.undo()

        result = run_payroll(month(), batch_size=7)
        assert result.completed and result.paid_now == len(pensions) - 14
        check_paid_once(pensions)
        assert PayrollRun.objects.get(month=month()).attempts == 2

    def test_killed_with_sigkill_inside_a_batch_then_run_again(self):
        """A real process runs the payroll and is killed by SIGKILL in the middle of its fourth
        batch (after its rows are written, before they are committed)."""
        pensions = self._many()
        script = textwrap.dedent(
            """
            import os, signal, sys
            sys.path.insert(0, {root!r})
            import django
            django.setup()
            from pensions import payroll
            from pensions.models import PensionPayment
            real = PensionPayment.objects.bulk_create
            calls = {{"n": 0}}
            def dying(objs, *a, **kw):
                calls["n"] += 1
                made = real(objs, *a, **kw)
                if calls["n"] == 4:
                    os.kill(os.getpid(), signal.SIGKILL)
                return made
            PensionPayment.objects.bulk_create = dying
            payroll.run_payroll(batch_size=5)
            print("finished")  # never reached
            """
        ).format(root=str(ROOT))
        proc = run_child(script)
        assert proc.returncode == -signal.SIGKILL, proc.stderr
        assert "finished" not in proc.stdout
        run = PayrollRun.objects.get(month=month())
        assert run.status == "running" and run.batches == 3
        assert PensionPayment.objects.filter(month=month(), kind="monthly").count() == 15

        result = run_payroll(month(), batch_size=5)
        assert result.completed and result.paid_now == len(pensions) - 15
        check_paid_once(pensions)

    def test_killed_from_outside_at_any_moment_then_run_again(self):
        """The payroll runs slowly in another process (a pause after each batch's commit) and is
        killed from here while it is busy."""
        pensions = self._many()
        script = textwrap.dedent(
            """
            import sys, time
            sys.path.insert(0, {root!r})
            import django
            django.setup()
            from pensions import payroll
            real = payroll.pay_batch
            def slow(*a, **kw):
                n = real(*a, **kw)
                time.sleep(0.15)
                return n
            payroll.pay_batch = slow
            payroll.run_payroll(batch_size=3)
            print("finished")
            """
        ).format(root=str(ROOT))
        proc = subprocess.Popen(
            [sys.executable, "-c", script],
            env=child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                paid = PensionPayment.objects.filter(month=month(), kind="monthly").count()
                if paid >= 9:
                    break
                time.sleep(0.05)
            proc.send_signal(signal.SIGKILL)
            out, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == -signal.SIGKILL, err
        assert "finished" not in out
        done = PensionPayment.objects.filter(month=month(), kind="monthly").count()
        assert 9 <= done < len(pensions)
        assert PayrollRun.objects.get(month=month()).status == "running"

        run_payroll(month(), batch_size=3)
        check_paid_once(pensions)

    def test_two_runs_at_the_same_time_pay_once(self):
        pensions = self._many()
        script = textwrap.dedent(
            """
            import sys
            sys.path.insert(0, {root!r})
            import django
            django.setup()
            from pensions import payroll
            payroll.run_payroll(batch_size=2)
            """
        ).format(root=str(ROOT))
        procs = [
            subprocess.Popen([sys.executable, "-c", script], env=child_env()) for _ in range(2)
        ]
        for p in procs:
            assert p.wait(timeout=120) == 0
        check_paid_once(pensions)


def child_env() -> dict:
    db = connection.settings_dict
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    env["DATABASE_URL"] = (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )
    env.pop("REDIS_URL", None)
    return env


def run_child(script: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", script],
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=str(ROOT),
    )


# --- The task ----------------------------------------------------------------------------------


@pytest.mark.django_db
class TestTask:
    def test_the_beat_names_the_task(self):
        entry = settings.CELERY_BEAT_SCHEDULE["pension-payroll"]
        assert entry["task"] == "pensions.tasks.run_pension_payroll"
        from config.celery import app

        app.loader.import_default_modules()
        assert "pensions.tasks.run_pension_payroll" in app.tasks

    def test_the_task_pays_this_month(self, book):
        from pensions.tasks import run_pension_payroll

        assert run_pension_payroll.delay().get() == "completed"
        assert PensionPayment.objects.filter(month=month(), kind="monthly").count() == 8
        assert run_pension_payroll.delay().get() == "completed"  # idempotent
        assert PensionPayment.objects.filter(month=month(), kind="monthly").count() == 8

    def test_out_of_time_it_queues_the_rest(self, book, monkeypatch):
        from pensions import tasks

        monkeypatch.setattr(tasks, "TIME_BUDGET_SECONDS", 0)
        monkeypatch.setattr(payroll, "BATCH_SIZE", 3)
        assert tasks.run_pension_payroll.delay(month().isoformat()).get() == "continuing"
        run = PayrollRun.objects.get(month=month())
        assert run.status == "completed" and run.attempts == 4  # 3 + 3 + 2, then the sweep
        assert PensionPayment.objects.filter(month=month(), kind="monthly").count() == 8
