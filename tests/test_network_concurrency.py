"""Two payment notifications at the same moment, on REAL concurrent PostgreSQL connections.

Each thread has its own database connection (Django's connections are per thread) and its own
test client; a barrier releases them together. The test is transactional (``transaction=True``):
the rows are really committed, so each connection sees the other's work only as PostgreSQL lets it.
"""

from __future__ import annotations

import json
import threading
import time

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from eservices.models import Document, Notification
from payments import network
from payments.models import Bill, LedgerEntry, Payment

from .test_network import establishment_bill, notice

pytestmark = pytest.mark.django_db(transaction=True)


def _signed_request(payload: dict):
    body = json.dumps(payload).encode()
    stamp = str(int(time.time()))
    headers = {
        network.TIMESTAMP_HEADER: stamp,
        network.SIGNATURE_HEADER: network.sign(body, stamp, settings.NETWORK_SHARED_SECRET),
    }
    return body, headers


def send_together(payloads: list[dict]) -> list[dict]:
    """POST each payload from its own thread and connection, all released at once."""
    barrier = threading.Barrier(len(payloads))
    results: list[dict | BaseException] = [None] * len(payloads)  # type: ignore[list-item]
    url = reverse("api:efw_payment_notification")

    def worker(i: int, payload: dict) -> None:
        try:
            body, headers = _signed_request(payload)
            client = Client()
            barrier.wait(timeout=10)
            response = client.post(url, data=body, content_type="application/json", headers=headers)
            results[i] = {"status": response.status_code, **response.json()}
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, p)) for i, p in enumerate(payloads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for r in results:
        if isinstance(r, BaseException):
            raise r
    return results  # type: ignore[return-value]


@pytest.fixture
def force_overlap(monkeypatch):
    """Hold each request after its first look for the reference until both have looked, so both
    are past that check before either commits: the bill lock must then decide."""
    barrier = threading.Barrier(2)
    seen = threading.local()
    original = network._recorded

    def held(reference):
        found = original(reference)
        if not getattr(seen, "done", False):
            seen.done = True
            barrier.wait(timeout=10)
        return found

    monkeypatch.setattr(network, "_recorded", held)


def _assert_one_payment(bill: Bill, reference: str) -> None:
    assert Payment.objects.filter(network_reference=reference).count() == 1
    assert Payment.objects.count() == 1
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.PAYMENT).count() == 1
    assert Bill.objects.get(pk=bill.pk).status == Bill.Status.PAID
    payment = Payment.objects.get()
    assert payment.receipt is not None
    assert Document.objects.filter(kind="receipt").count() == 1
    officer = bill.account.establishment.liaison_officer.user
    assert Notification.objects.filter(user=officer, channel="inbox").count() == 1


@pytest.mark.parametrize("round_", range(3))
def test_the_same_reference_at_the_same_moment_records_one_payment(round_):
    bill = establishment_bill("812.125")
    payload = notice(bill, reference=f"RACE-{round_}")
    results = send_together([payload, payload])
    assert [r["Result"]["ErrorCode"] for r in results] == [0, 0]
    # Both were told the same: the same receipt number, the network's own numbers echoed.
    assert results[0]["ReceiptNo"] == results[1]["ReceiptNo"]
    _assert_one_payment(bill, f"RACE-{round_}")


def test_both_pass_the_first_check_and_the_bill_lock_still_records_one(force_overlap):
    bill = establishment_bill("99.999")
    payload = notice(bill, reference="RACE-LOCK")
    results = send_together([payload, payload])
    assert [r["Result"]["ErrorCode"] for r in results] == [0, 0]
    assert results[0] == results[1]
    _assert_one_payment(bill, "RACE-LOCK")


def test_two_references_for_one_bill_at_the_same_moment_pay_it_once(force_overlap):
    bill = establishment_bill("40.000")
    results = send_together([notice(bill, reference="RACE-A"), notice(bill, reference="RACE-B")])
    codes = sorted(r["Result"]["ErrorCode"] for r in results)
    assert codes == [network.Code.OK, network.Code.BILL_PAID]
    assert Payment.objects.count() == 1
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.PAYMENT).count() == 1
