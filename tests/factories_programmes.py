"""Helpers of the establishment programme tests: an establishment with employees, and a request
sent through the engine's pages as the liaison officer would."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from eservices.models import ServiceRequest

from .factories import (
    EstablishmentFactory,
    IndividualFactory,
    InsurancePeriodFactory,
    LiaisonOfficerFactory,
    UserFactory,
)

IBAN = "JO71CBJO0000000000001234567890"  # valid mod-97
IBAN2 = "JO94CBJO0010000000000131000302"


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def officer_of(**est):
    return LiaisonOfficerFactory(**{f"establishment__{k}": v for k, v in est.items()})


def employee(
    est,
    number: str,
    *,
    name: str = "موظف",
    wage: str = "500.000",
    start: dt.date = dt.date(2015, 1, 1),
    end: dt.date | None = None,
    sex: str = "M",
    birth: dt.date = dt.date(1986, 5, 14),
):
    person = IndividualFactory(name_ar=name, user__id_number=number, sex=sex, birth_date=birth)
    InsurancePeriodFactory(
        individual=person,
        establishment=est,
        start_date=start,
        end_date=end,
        monthly_wage=Decimal(wage),
    )
    return person


def staff_user():
    return UserFactory(id_type="staff", id_number="clerk9", is_staff=True, is_superuser=True)


def form_errors(resp) -> dict:
    ctx = resp.context
    form = ctx.get("form") if ctx else None
    return dict(form.errors) if form is not None else {}


def apply(client, user, code: str, answers: dict, *, docs=(), expect_ok: bool = True):
    """Start, answer, attach and send a request as ``user``; returns the request (sent when the
    answers are valid, else the draft) and the last response."""
    client.force_login(user)
    resp = client.post(f"/service/{code}/")
    assert resp.status_code == 302, resp.content.decode()[:2000]
    req = ServiceRequest.objects.get(applicant=user, service_code=code, status="draft")
    resp = client.post(f"/requests/{req.pk}/answers/", {**answers, "continue": "1"})
    if resp.status_code != 302:
        assert not expect_ok, form_errors(resp)
        return req, resp
    for key in docs:
        up = SimpleUploadedFile("doc.pdf", pdf_bytes(), content_type="application/pdf")
        r = client.post(f"/requests/{req.pk}/documents/", {"document_type": key, "file": up})
        assert r.status_code == 302
    req.refresh_from_db()
    check = client.get(f"/requests/{req.pk}/check/")
    resp = client.post(f"/requests/{req.pk}/check/", {"token": str(req.submit_token)})
    req.refresh_from_db()
    if expect_ok:
        assert req.status == "submitted", check.content.decode()[-3000:]
    return req, check


__all__ = ["EstablishmentFactory"]
