"""The daily reconciliation of the network's settlement file with the payments recorded:
differences of each kind for staff, settled payments, idempotence per day, a corrected file, a
pluggable source, and the admin where staff resolve differences (payments read only)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from payments import network
from payments.models import Payment, Settlement, SettlementDifference
from payments.reconciliation import (
    COLUMNS,
    SettlementFileError,
    reconcile_day,
)

from .factories import UserFactory
from .factories_payments import BillFactory, PaymentFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 10)
D = Decimal


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def paid(reference: str, amount: str, *, day: dt.date = DAY, hour: int = 10) -> Payment:
    return PaymentFactory(
        bill=BillFactory(amount=D(amount)),
        network_reference=reference,
        network_trx=f"T{reference}",
        paid_at=at(day, hour),
    )


def write(folder, day: dt.date, rows: list[tuple]) -> None:
    lines = [",".join(COLUMNS)]
    for ref, fils in rows:
        lines.append(f"{ref},T{ref},B{ref},{fils},{at(day).isoformat()}")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{day.isoformat()}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def folder(settings, tmp_path):
    settings.NETWORK_SETTLEMENT_DIR = tmp_path / "settlements"
    return settings.NETWORK_SETTLEMENT_DIR


def test_a_matching_file_settles_the_payments(folder):
    a, b = paid("R1", "10.000"), paid("R2", "2.500", hour=23)
    write(folder, DAY, [("R1", 10000), ("R2", 2500)])
    result = reconcile_day(DAY)
    assert result["status"] == Settlement.Status.RECONCILED
    assert (result["rows"], result["total_fils"], result["settled"]) == (2, 12500, 2)
    settlement = Settlement.objects.get(day=DAY)
    assert settlement.total == D("12.500") and not settlement.differences.exists()
    assert settlement.file.read().startswith(b"network_reference,")
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.settlement_date == DAY and b.settlement_date == DAY


def test_every_kind_of_difference_is_listed_for_staff(folder):
    paid("OK", "10.000")
    paid("AMT", "20.000")
    paid("THERE", "30.000")  # recorded here, not in the file
    paid("OTHERDAY", "5.000", day=DAY + dt.timedelta(days=1))  # another day: not expected
    write(folder, DAY, [("OK", 10000), ("AMT", 21000), ("HERE", 7000)])
    result = reconcile_day(DAY)
    assert result["status"] == Settlement.Status.DIFFERENCES
    assert (result["missing_here"], result["missing_there"], result["amount"]) == (1, 1, 1)
    diffs = {
        d.network_reference: d for d in SettlementDifference.objects.filter(settlement__day=DAY)
    }
    assert set(diffs) == {"AMT", "THERE", "HERE"}
    assert diffs["HERE"].kind == "missing_here" and diffs["HERE"].amount_there == D("7.000")
    assert diffs["HERE"].payment is None
    assert diffs["THERE"].kind == "missing_there" and diffs["THERE"].amount_here == D("30.000")
    assert (diffs["AMT"].amount_here, diffs["AMT"].amount_there) == (D("20.000"), D("21.000"))
    assert diffs["AMT"].payment.network_reference == "AMT"
    settled = set(
        Payment.objects.filter(settlement_date=DAY).values_list("network_reference", flat=True)
    )
    assert settled == {"OK"}


def test_the_same_file_twice_changes_nothing_and_notes_are_kept(folder):
    paid("R1", "10.000")
    write(folder, DAY, [("R1", 10000), ("X", 100)])
    first = reconcile_day(DAY)
    diff = SettlementDifference.objects.get()
    diff.resolved, diff.note = True, "refunded by the bank"
    diff.save()
    again = reconcile_day(DAY)
    assert again["unchanged"] is True
    assert {k: v for k, v in again.items() if k != "unchanged"} == {
        k: v for k, v in first.items() if k != "unchanged"
    }
    assert Settlement.objects.count() == 1 and SettlementDifference.objects.count() == 1
    diff.refresh_from_db()
    assert diff.resolved and diff.note == "refunded by the bank"


def test_a_corrected_file_redoes_the_comparison(folder):
    paid("R1", "10.000")
    paid("R2", "20.000")
    write(folder, DAY, [("R1", 10000)])
    assert reconcile_day(DAY)["missing_there"] == 1
    write(folder, DAY, [("R1", 10000), ("R2", 20000)])
    result = reconcile_day(DAY)
    assert result["status"] == Settlement.Status.RECONCILED and result["settled"] == 2
    assert not SettlementDifference.objects.exists()
    assert Settlement.objects.get().rows == 2


def test_a_late_payment_matches_when_the_day_is_reconciled_again(folder):
    write(folder, DAY, [("LATE", 4000)])
    assert reconcile_day(DAY)["missing_here"] == 1
    paid("LATE", "4.000")
    # The file did not change: the day is already reconciled; staff resolve the difference.
    assert reconcile_day(DAY)["unchanged"] is True


def test_no_file_yet_records_nothing(folder):
    assert reconcile_day(DAY) == {"day": DAY.isoformat(), "status": "no_file"}
    assert not Settlement.objects.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"ref,amount\nR1,10\n",
        b"network_reference,transaction_number,bill_number,amount_fils,paid_at\nR1,T,B,10.5,x\n",
        b"network_reference,transaction_number,bill_number,amount_fils,paid_at\nR1,T,B,10,x\nR1,T,B,10,x\n",
    ],
    ids=["header", "fils", "duplicate"],
)
def test_a_malformed_file_is_refused_whole(folder, content):
    folder.mkdir(parents=True)
    (folder / f"{DAY.isoformat()}.csv").write_bytes(content)
    with pytest.raises(SettlementFileError):
        reconcile_day(DAY)
    assert not Settlement.objects.exists()


class MemorySource:
    """A settlement source of another kind (e.g. the network's web service)."""

    files: dict = {}

    def fetch(self, day):
        return self.files.get(day)


def test_the_source_is_pluggable(folder, settings):
    paid("R1", "10.000")
    MemorySource.files = {
        DAY: b"network_reference,transaction_number,bill_number,amount_fils,paid_at\n"
        b"R1,T,B,10000,x\n"
    }
    settings.NETWORK_SETTLEMENT_SOURCE = "tests.test_reconciliation.MemorySource"
    assert reconcile_day(DAY)["status"] == "reconciled"
    assert reconcile_day(DAY + dt.timedelta(days=1))["status"] == "no_file"
    assert not (folder / f"{DAY.isoformat()}.csv").exists()


def test_the_daily_task_reconciles_yesterday(folder):
    from payments.tasks import reconcile_yesterday

    paid("R1", "10.000")
    write(folder, DAY, [("R1", 10000)])
    assert reconcile_yesterday.delay(DAY.isoformat()).get()["status"] == "reconciled"


def test_simulator_settlement_with_deliberate_differences(
    folder, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    from .test_network import establishment_bill

    today = timezone.localdate()
    client = network.NetworkClient()
    with django_capture_on_commit_callbacks(execute=True):
        for amount in ("10.000", "20.000"):
            assert client.pay(establishment_bill(amount).number).code == 0
    for flag, key in (
        ("amount", "amount"),
        ("missing-here", "missing_here"),
        ("missing-there", "missing_there"),
    ):
        Settlement.objects.all().delete()
        Payment.objects.update(settlement_date=None)
        call_command("network_simulator", "settlement", today.isoformat(), "--difference", flag)
        result = reconcile_day(today)
        assert result["status"] == "differences" and result[key] == 1, flag


# --- The admin -------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client):
    staff = UserFactory(id_type="staff", id_number="clerk9", is_staff=True, is_superuser=True)
    client.force_login(staff)
    return client


def test_staff_resolve_a_difference_but_cannot_change_payments(folder, staff_client):
    payment = paid("R1", "10.000")
    write(folder, DAY, [("R1", 11000)])
    reconcile_day(DAY)
    diff = SettlementDifference.objects.get()
    url = f"/admin/payments/settlementdifference/{diff.pk}/change/"
    page = staff_client.get(url)
    assert page.status_code == 200
    response = staff_client.post(
        url,
        {"resolved": "on", "note": "the bank corrected its file", "amount_here": "1"},
    )
    assert response.status_code == 302
    diff.refresh_from_db()
    assert diff.resolved and diff.note == "the bank corrected its file"
    assert diff.amount_here == D("10.000")  # read only: unchanged
    assert staff_client.get("/admin/payments/settlementdifference/add/").status_code == 403
    # Payments: listed and shown, never changed, added or deleted.
    assert staff_client.get("/admin/payments/payment/").status_code == 200
    change = staff_client.get(f"/admin/payments/payment/{payment.pk}/change/")
    assert change.status_code == 200 and b'name="amount"' not in change.content
    assert (
        staff_client.post(
            f"/admin/payments/payment/{payment.pk}/change/", {"amount": "1"}
        ).status_code
        == 403
    )
    assert staff_client.get("/admin/payments/payment/add/").status_code == 403
    assert staff_client.get(f"/admin/payments/payment/{payment.pk}/delete/").status_code == 403
    assert staff_client.get("/admin/payments/settlement/").status_code == 200
    settlement = Settlement.objects.get()
    assert (
        staff_client.get(f"/admin/payments/settlement/{settlement.pk}/change/").status_code == 200
    )
