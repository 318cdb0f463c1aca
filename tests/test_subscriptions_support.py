"""Helpers of the subscription and driver tests: people, subscriptions, and a request taken
through the engine's pages (start → answers → documents → check → submit)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import IdType
from eservices.models import ServiceRequest
from payments.subscriptions import services as svc

from .factories import IndividualFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
IBAN = "JO71CBJO0000000000001234567890"  # valid mod-97


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def person(**kw):
    return IndividualFactory(**kw)


def staff_user():
    return UserFactory(id_type=IdType.STAFF, id_number="clerk", is_staff=True, is_superuser=True)


def subscriber(kind: str = svc.OPTIONAL, *, wage="300.000", start=None, **kw):
    ind = person(**kw)
    start = start or dt.date(2025, 1, 1)
    sub = svc.subscribe(
        individual=ind,
        kind=kind,
        wage=Decimal(wage),
        start_month=start,
        bracket="1" if kind == svc.SELF_EMPLOYED else "",
        activity="نقل الركاب" if kind == svc.SELF_EMPLOYED else "",
    )
    return ind, sub


def optional_answers(**kw) -> dict:
    data = {
        "declared_wage": "300",
        "annual_increase": "5",
        "phone": "0791234567",
        "email": "sub@example.com",
        "address": "عمّان، الجبيهة",
        "bank": "arab_bank",
        "iban": IBAN,
        "declaration": "on",
    }
    data.update(kw)
    return data


def journey(client, user, code: str, answers: dict, capture, *, documents=()):
    """Start, answer, attach, look at check-your-answers, submit. Returns (request, check page)."""
    client.force_login(user)
    resp = client.post(f"/service/{code}/")
    assert resp.status_code == 302, resp.content.decode()[:500]
    req = ServiceRequest.objects.filter(applicant=user, service_code=code).latest("pk")
    resp = client.post(f"/requests/{req.pk}/answers/", {**answers, "continue": "1"})
    assert resp.status_code == 302, resp.context["form"].errors
    for key in documents:
        up = SimpleUploadedFile(f"{key}.pdf", PDF, content_type="application/pdf")
        resp = client.post(f"/requests/{req.pk}/documents/", {"document_type": key, "file": up})
        assert resp.status_code == 302
    req.refresh_from_db()
    check = client.get(f"/requests/{req.pk}/check/")
    assert check.status_code == 200
    with capture(execute=True):
        client.post(f"/requests/{req.pk}/check/", {"token": str(req.submit_token)})
    req.refresh_from_db()
    return req, check
