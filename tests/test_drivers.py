"""Drivers on vehicles: self.add-driver (a self-employed owner), est.add-driver (an
establishment's officer), the civil-registry check, another owner's vehicle, and the driver card
PDF with its verification code."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest
from django.utils import timezone, translation

from accounts.exceptions import ServiceError
from eservices.models import Document, ServiceRequest
from eservices.services import request_approve
from payments.models import Vehicle, VehicleDriver
from payments.subscriptions import forms as f
from payments.subscriptions import services as svc

from .factories import CivilRecordFactory, LiaisonOfficerFactory
from .test_subscriptions_support import journey, person, staff_user, subscriber

pytestmark = pytest.mark.django_db
DOCS = ("vehicle_licence", "driving_licence")


@pytest.fixture
def staff():
    return staff_user()


@pytest.fixture
def driver():
    return CivilRecordFactory(
        number="9751045678", name_ar="خالد يوسف المصري", birth_date=dt.date(1975, 1, 20)
    )


@pytest.fixture
def owner():
    ind, _sub = subscriber(svc.SELF_EMPLOYED, wage="290.000", start=dt.date(2025, 1, 1))
    return ind


def answers(**kw):
    data = {
        "plate_number": "15-12345",
        "vehicle_type": "taxi",
        "national_number": "9751045678",
        "start_date": timezone.localdate().isoformat(),
    }
    data.update(kw)
    return data


def test_self_employed_owner_adds_a_driver(
    client, owner, driver, staff, django_capture_on_commit_callbacks
):
    req, _check = journey(
        client,
        owner.user,
        "self.add-driver",
        answers(plate_number="١٥ - ١٢٣٤٥"),  # Arabic digits and spaces are accepted
        django_capture_on_commit_callbacks,
        documents=DOCS,
    )
    assert req.status == ServiceRequest.Status.SUBMITTED
    assert not Vehicle.objects.exists()  # nothing is recorded before the decision
    request_approve(req=req, staff=staff)
    vehicle = Vehicle.objects.get()
    assert (vehicle.plate_number, vehicle.vehicle_type) == ("15-12345", "taxi")
    assert vehicle.individual == owner and vehicle.establishment is None
    row = VehicleDriver.objects.get()
    assert (row.vehicle, row.national_number, row.name_ar) == (
        vehicle,
        "9751045678",
        "خالد يوسف المصري",
    )
    assert row.request == req and row.end_date is None


def test_unknown_national_number_refused_in_arabic(client, owner):
    client.force_login(owner.user)
    client.post("/service/self.add-driver/")
    req = ServiceRequest.objects.get(applicant=owner.user)
    with translation.override("ar"):
        resp = client.post(
            f"/requests/{req.pk}/answers/",
            {**answers(national_number="9000000001"), "continue": "1"},
        )
    assert resp.status_code == 200
    assert resp.context["form"].errors["national_number"] == [
        "هذا الرقم الوطني غير موجود في سجل الأحوال المدنية."
    ]
    assert "هذا الرقم الوطني غير موجود في سجل الأحوال المدنية." in resp.content.decode()


def test_only_a_running_self_employed_subscriber_may_add_drivers():
    from payments.declare_subscriptions import self_driver_eligibility

    ind = person()
    with translation.override("en"):
        assert self_driver_eligibility(ind.user, timezone.localdate()) == [
            "This service is for self-employed vehicle owners whose coverage is running."
        ]
    ind2, _sub = subscriber(svc.OPTIONAL)
    assert self_driver_eligibility(ind2.user, timezone.localdate())  # optional is not enough


def test_plate_format_another_owner_and_the_same_driver_twice(owner, driver):
    other, _sub = subscriber(svc.SELF_EMPLOYED, wage="290.000")
    svc.add_driver(
        individual=other,
        plate="20-11111",
        vehicle_type="bus",
        national_number=driver.number,
        start_date=dt.date(2026, 1, 1),
    )
    svc.add_driver(
        individual=owner,
        plate="15-12345",
        vehicle_type="taxi",
        national_number=driver.number,
        start_date=dt.date(2026, 1, 1),
    )
    with translation.override("en"):
        bad = f.AddDriverForm(data=answers(plate_number="ABC"), user=owner.user)
        assert "for example 12-34567" in bad.errors["plate_number"][0]
        taken = f.AddDriverForm(data=answers(plate_number="20-11111"), user=owner.user)
        assert taken.errors["plate_number"] == ["This vehicle is recorded for another owner."]
        twice = f.AddDriverForm(data=answers(), user=owner.user)
        assert twice.errors["national_number"] == [
            "This driver is already recorded on this vehicle."
        ]
    with pytest.raises(ServiceError):
        svc.add_driver(
            individual=owner,
            plate="20-11111",
            vehicle_type="bus",
            national_number=driver.number,
            start_date=dt.date(2026, 1, 1),
        )
    assert VehicleDriver.objects.count() == 2


def test_driver_card_pdf_with_verification_code(
    client, owner, driver, django_capture_on_commit_callbacks
):
    row = svc.add_driver(
        individual=owner,
        plate="15-12345",
        vehicle_type="taxi",
        national_number=driver.number,
        start_date=dt.date(2026, 1, 1),
    )
    client.force_login(owner.user)
    page = client.get("/payments/vehicles/").content.decode()
    assert "15-12345" in page and "خالد يوسف المصري" in page
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(f"/payments/drivers/{row.pk}/card/")
    doc = Document.objects.get(owner=owner.user)
    assert resp.status_code == 302 and resp["Location"] == f"/documents/{doc.pk}/"
    doc.refresh_from_db()
    assert doc.status == Document.Status.READY and doc.file.read(5) == b"%PDF-"
    assert doc.certifies["الرقم الوطني"] == "9751045678"
    assert doc.certifies["رقم اللوحة"] == "15-12345"
    download = client.get(f"/documents/{doc.pk}/")
    assert download.status_code == 200
    # the public check shows what the card certifies
    client.logout()
    html = client.get(f"/verify/{doc.code}/").content.decode()
    assert "15-12345" in html and "خالد يوسف المصري" in html
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", doc.file.path, "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        text = re.sub(r"[\u202a-\u202e\u2066-\u2069]", "", text)
        assert "9751045678" in text and "15-12345" in text and doc.code in text


def test_an_ended_driver_gets_no_card(client, owner, driver):
    row = svc.add_driver(
        individual=owner,
        plate="15-12345",
        vehicle_type="taxi",
        national_number=driver.number,
        start_date=dt.date(2026, 1, 1),
    )
    row.end_date = dt.date(2026, 2, 1)
    row.save()
    client.force_login(owner.user)
    resp = client.post(f"/payments/drivers/{row.pk}/card/")
    assert resp.status_code == 302 and not Document.objects.exists()


# --- establishments --------------------------------------------------------------------------------


@pytest.fixture
def officers():
    return LiaisonOfficerFactory(), LiaisonOfficerFactory()


def test_officer_adds_a_driver_to_the_establishments_vehicle(
    client, officers, driver, staff, django_capture_on_commit_callbacks
):
    officer, _other = officers
    req, _check = journey(
        client,
        officer.user,
        "est.add-driver",
        answers(plate_number="20-54321", vehicle_type="bus"),
        django_capture_on_commit_callbacks,
        documents=DOCS,
    )
    request_approve(req=req, staff=staff)
    vehicle = Vehicle.objects.get()
    assert vehicle.establishment == officer.establishment and vehicle.individual is None
    assert vehicle.drivers.get().national_number == driver.number
    page = client.get("/payments/vehicles/").content.decode()
    assert "20-54321" in page


def test_officer_cannot_touch_another_establishments_vehicle(client, officers, driver, owner):
    mine, theirs = officers
    row = svc.add_driver(
        establishment=theirs.establishment,
        plate="20-54321",
        vehicle_type="bus",
        national_number=driver.number,
        start_date=dt.date(2026, 1, 1),
    )
    client.force_login(mine.user)
    assert client.get(f"/payments/vehicles/{row.vehicle_id}/").status_code == 404
    assert client.post(f"/payments/drivers/{row.pk}/card/").status_code == 404
    assert "20-54321" not in client.get("/payments/vehicles/").content.decode()
    with translation.override("en"):
        form = f.EstablishmentAddDriverForm(
            data=answers(plate_number="20-54321", vehicle_type="bus"), user=mine.user
        )
        assert form.errors["plate_number"] == ["This vehicle is recorded for another owner."]
    # nor can a self-employed person, nor the other way round
    client.force_login(owner.user)
    assert client.get(f"/payments/vehicles/{row.vehicle_id}/").status_code == 404
    assert client.post(f"/payments/drivers/{row.pk}/card/").status_code == 404
    client.force_login(theirs.user)
    assert client.get(f"/payments/vehicles/{row.vehicle_id}/").status_code == 200
    assert not Document.objects.exists()


def test_est_add_driver_is_for_officers_only(client, owner):
    client.force_login(owner.user)
    client.post("/service/est.add-driver/")
    assert not ServiceRequest.objects.filter(service_code="est.add-driver").exists()


def test_vehicle_list_uses_a_fixed_number_of_queries(
    client, owner, driver, django_assert_max_num_queries
):
    for n in range(2):
        svc.add_driver(
            individual=owner,
            plate=f"15-1000{n}",
            vehicle_type="taxi",
            national_number=driver.number,
            start_date=dt.date(2026, 1, 1),
        )
    client.force_login(owner.user)
    with django_assert_max_num_queries(10) as first:
        client.get("/payments/vehicles/")
    for n in range(2, 8):
        other = CivilRecordFactory(number=f"98000000{n:02d}")
        svc.add_driver(
            individual=owner,
            plate=f"15-1000{n}",
            vehicle_type="taxi",
            national_number=other.number,
            start_date=dt.date(2026, 1, 1),
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get("/payments/vehicles/")


def test_admin_vehicles_with_drivers_and_ending_a_driver(client, staff, owner, driver):
    row = svc.add_driver(
        individual=owner,
        plate="15-12345",
        vehicle_type="taxi",
        national_number=driver.number,
        start_date=dt.date(2026, 1, 1),
    )
    client.force_login(staff)
    page = client.get(f"/admin/payments/vehicle/{row.vehicle_id}/change/").content.decode()
    assert "9751045678" in page
    assert client.get("/admin/payments/vehicledriver/?q=9751045678").status_code == 200
    resp = client.post(
        "/admin/payments/vehicledriver/",
        {"action": "end_today", "_selected_action": [row.pk]},
    )
    assert resp.status_code == 302
    row.refresh_from_db()
    assert row.end_date == timezone.localdate()
