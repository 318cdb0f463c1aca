"""The demo data of the optional subscription, self-employment and drivers: made through the
request engine, and idempotent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from eservices.models import ServiceRequest
from payments.models import Subscription, Vehicle, VehicleDriver

pytestmark = pytest.mark.django_db


def test_demo_seed_makes_a_subscriber_a_self_employed_owner_and_drivers_once(
    django_capture_on_commit_callbacks,
):
    from eservices import demo
    from payments import demo_subscriptions

    demo.seed()
    with django_capture_on_commit_callbacks(execute=False):
        rows = demo_subscriptions.seed()
    assert [r[1] for r in rows] == ["national number 9841012345", "personal number 1000234567"]
    heba = Subscription.objects.get(individual__national_number="9841012345")
    assert heba.kind == "optional" and heba.wages.get().wage == Decimal("385.000")
    assert heba.request.status == ServiceRequest.Status.APPROVED
    mahmoud = Subscription.objects.get(individual__personal_number="1000234567")
    assert (mahmoud.kind, mahmoud.bracket, mahmoud.injury_covered) == ("self_employed", "2", True)
    taxi = Vehicle.objects.get(plate_number="15-12345")
    assert taxi.individual == mahmoud.individual
    assert taxi.drivers.get().national_number == "9751045678"
    bus = Vehicle.objects.get(plate_number="20-54321")
    assert bus.establishment.insurance_number == "100200"
    counts = (
        Subscription.objects.count(),
        VehicleDriver.objects.count(),
        ServiceRequest.objects.count(),
    )
    with django_capture_on_commit_callbacks(execute=False):
        demo_subscriptions.seed()
    assert counts == (
        Subscription.objects.count(),
        VehicleDriver.objects.count(),
        ServiceRequest.objects.count(),
    )
