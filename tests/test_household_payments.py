"""hh.payment: the first payment on the 1st of the month after acceptance, then monthly, by the
scheduled task, exactly once a month (a unique constraint), with each month's rules and the
income as last declared."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction

from accounts import sms
from eservices.models import Notification, Rule, ServiceRequest
from household.models import IncomeSource, Payment, Pension
from household.payouts import first_payment_month, next_payment_month, pay_month
from household.tasks import pay_household_pensions

from .factories_household import IBAN, application_answers, household_user

pytestmark = pytest.mark.django_db


def make_pension(user=None, *, accepted=dt.date(2026, 3, 10), children=2, incomes=None) -> Pension:
    """An accepted application (head, spouse, ``children``) with the income declared."""
    user = user or household_user(incomes=incomes if incomes is not None else {"wages": "2000"})
    req = ServiceRequest.objects.create(
        applicant=user,
        service_code="hh.apply",
        status=ServiceRequest.Status.APPROVED,
        reference=f"HH-2026-{user.pk:06d}",
        data=application_answers(),
    )
    return Pension.objects.create(
        request=req,
        beneficiary=user,
        accepted_on=accepted,
        first_month=first_payment_month(accepted),
        spouses=1,
        children=children,
        iban=IBAN,
        bank="80",
        breadwinner_id_number=user.id_number,
    )


def run(day: str) -> int:
    return pay_household_pensions(day)


def test_the_task_is_in_the_beat_schedule():
    tasks = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "household.tasks.pay_household_pensions" in tasks


def test_first_payment_is_the_first_of_the_month_after_acceptance():
    assert first_payment_month(dt.date(2026, 3, 10)) == dt.date(2026, 4, 1)
    assert first_payment_month(dt.date(2026, 3, 31)) == dt.date(2026, 4, 1)
    assert first_payment_month(dt.date(2026, 12, 1)) == dt.date(2027, 1, 1)


def test_paid_once_a_month_from_the_month_after_acceptance(django_capture_on_commit_callbacks):
    pension = make_pension()
    assert run("2026-03-31") == 0  # accepted in March: nothing for March
    with django_capture_on_commit_callbacks(execute=True):
        assert run("2026-04-01") == 1
    pay = Payment.objects.get()
    # 1,320 + 3 × 660 = 3,300 − 2,000 × 0.5 = 2,300
    assert (pay.month, pay.amount, pay.status, pay.iban) == (
        dt.date(2026, 4, 1),
        Decimal("2300.00"),
        Payment.Status.PAID,
        IBAN,
    )
    assert pay.working["lines"][-1]["value"] == "2300.00"
    assert any("2026-04" in m.body and "2300.00" in m.body for m in sms.outbox)
    # Again the same day, and later the same month: nothing more.
    assert run("2026-04-01") == 0
    assert run("2026-04-20") == 0
    assert Payment.objects.count() == 1
    assert next_payment_month(pension, dt.date(2026, 4, 20)) == dt.date(2026, 5, 1)


def test_a_missed_run_is_caught_up_each_month_once():
    make_pension()
    assert run("2026-06-15") == 3  # April, May, June
    assert list(Payment.objects.values_list("month", flat=True)) == [
        dt.date(2026, 4, 1),
        dt.date(2026, 5, 1),
        dt.date(2026, 6, 1),
    ]
    assert run("2026-06-15") == 0 and Payment.objects.count() == 3


def test_the_database_refuses_a_second_payment_of_a_month():
    pension = make_pension()
    run("2026-04-01")
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            pension=pension, month=dt.date(2026, 4, 1), amount=1, status="paid", iban=IBAN
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            pension=pension, month=dt.date(2026, 5, 2), amount=1, status="paid", iban=IBAN
        )
    assert pay_month(pension.pk, dt.date(2026, 4, 1)) is None  # already paid: left alone


def test_each_month_with_its_own_rules():
    make_pension()
    Rule.objects.create(
        key="household.minimum.head",
        value=Decimal("1500"),
        effective_from=dt.date(2026, 5, 1),
        description_ar="—",
        description_en="—",
    )
    run("2026-05-01")
    amounts = dict(Payment.objects.values_list("month", "amount"))
    assert amounts == {
        dt.date(2026, 4, 1): Decimal("2300.00"),
        dt.date(2026, 5, 1): Decimal("2480.00"),
    }


def test_a_change_of_income_counts_from_the_next_payment():
    pension = make_pension()
    run("2026-04-01")
    profile = pension.beneficiary.household_profile
    IncomeSource.objects.filter(profile=profile, kind="wages").update(monthly_amount=3000)
    run("2026-05-01")
    amounts = dict(Payment.objects.values_list("month", "amount"))
    assert amounts[dt.date(2026, 4, 1)] == Decimal("2300.00")  # paid before: unchanged
    assert amounts[dt.date(2026, 5, 1)] == Decimal("1800.00")  # 3,300 − 1,500


def test_nothing_due_is_recorded_once_and_said(django_capture_on_commit_callbacks):
    make_pension(incomes={"wages": "8000"})
    with django_capture_on_commit_callbacks(execute=True):
        run("2026-04-01")
    pay = Payment.objects.get()
    assert pay.status == Payment.Status.NONE_DUE and pay.amount == 0 and pay.iban == ""
    note = Notification.objects.filter(channel="inbox").latest("created_at")
    assert "2026-04" in note.title


def test_a_stopped_pension_is_not_paid():
    pension = make_pension()
    Pension.objects.filter(pk=pension.pk).update(status=Pension.Status.STOPPED)
    assert run("2026-05-01") == 0 and not Payment.objects.exists()


def test_the_payment_schedule_page(client, django_assert_max_num_queries):
    pension = make_pension(accepted=dt.date(2026, 1, 5))
    run("2026-04-01")
    client.force_login(pension.beneficiary)
    with django_assert_max_num_queries(20):
        page = client.get("/household/payments/")
    html = page.content.decode()
    for month in ("2026-02-01", "2026-03-01", "2026-04-01"):
        assert month in html
    assert "SA03 **** **** 7519" in html
    assert page.context["figure"].amount == Decimal("2300.00")


def test_the_payment_schedule_without_a_pension(client):
    user = household_user()
    client.force_login(user)
    page = client.get("/household/payments/")
    assert page.status_code == 200 and page.context["pension"] is None


def test_the_demo_data(client, django_capture_on_commit_callbacks):
    """household/demo.py: a complete profile, an application accepted three months ago with its
    payments, the sign-in printed; running it again changes nothing."""
    from accounts.models import User
    from household import demo

    User.objects.create_superuser("staff", "x")
    with django_capture_on_commit_callbacks(execute=True):
        rows = demo.seed()
    assert any("1045678909" in identifier for _who, identifier, _p in rows)
    pension = Pension.objects.get(beneficiary__id_number="1045678909")
    assert pension.request.status == "approved" and pension.request.reference.startswith("HH-")
    assert pension.beneficiary.household_profile.is_complete
    months = list(pension.payments.values_list("month", flat=True))
    assert len(months) >= 2 and months[0] == pension.first_month
    # 1,320 + 3 × 660 = 3,300 − 1,200 × 0.5 = 2,700 (the Citizen's Account is not counted)
    assert {p.amount for p in pension.payments.all()} == {Decimal("2700.00")}
    demo.seed()
    assert Pension.objects.count() == 1 and Payment.objects.count() == len(months)
    resp = client.post(
        "/household/sign-in/", {"id_number": "1045678909", "password": demo.DEMO_PASSWORD}
    )
    assert resp["Location"] == "/household/"
