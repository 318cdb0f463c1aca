"""The whole catalogue, walked: every service of SERVICES.md is implemented (a request declaration
on the engine, or a page) and opens from the catalogue for the kind of user it is for — anonymous
for the account services, an insured individual, an establishment's liaison officer, a household
account. A service opens when its URL answers 200, or redirects once to its own first step (a
page under its own URL, or of its own app, that then answers 200), and the page says nothing of
"not available"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from eservices.catalogue import SERVICES
from eservices.declarations import REQUEST_SERVICES
from eservices.registry import Service

from .factories import (
    IndividualFactory,
    InsurancePeriodFactory,
    LiaisonOfficerFactory,
    UserFactory,
    WageRecordFactory,
)

pytestmark = pytest.mark.django_db
NOT_AVAILABLE = ("not available", "غير متاحة", "Not available yet")
SIGN_IN = "/accounts/"


def _individual():
    person = IndividualFactory(name_ar="فرد الجولة", user__id_number="9871234560")
    period = InsurancePeriodFactory(individual=person, monthly_wage=Decimal("650.000"))
    for k in range(3):
        WageRecordFactory(
            individual=person,
            establishment=period.establishment,
            month=dt.date(2024, k + 1, 1),
        )
    return person.user


def _officer():
    officer = LiaisonOfficerFactory(establishment__insurance_number="777001")
    InsurancePeriodFactory(establishment=officer.establishment)
    return officer.user


def _household():
    """A household account as it is after its first sign-in: the temporary password changed and
    the five-stage profile complete, terms accepted."""
    from django.utils import timezone

    from household.models import Profile

    user = UserFactory(id_type="sa_national", id_number="1000000008", full_name="أسرة الجولة")
    now = timezone.now()
    Profile.objects.create(
        user=user,
        birth_date=dt.date(1980, 1, 1),
        must_change_password=False,
        stage=Profile.Stage.DONE,
        terms_accepted_at=now,
        completed_at=now,
    )
    return user


USERS = {"individual": _individual, "establishment": _officer, "household": _household}


def _own_step(service_url: str, location: str, service: Service | None = None) -> bool:
    """A redirect to the service's own first step: under its URL, its declared wizard, or in its
    own app's pages, never to the sign-in page or the portal's home."""
    target = urlsplit(location).path
    if target.startswith(SIGN_IN) or target in ("/", ""):
        return False
    if target.startswith(service_url):
        return True
    spec = REQUEST_SERVICES.get(service.code) if service else None
    if spec is not None and spec.start_url_name and target == reverse(spec.start_url_name):
        return True
    app = "/" + service_url.strip("/").split("/")[0] + "/"
    return app != "/service/" and target.startswith(app)


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.code)
def test_every_service_opens_for_its_user(client, service: Service):
    assert service.implemented, (
        f"{service.code}: not implemented (no request declaration on the engine, no page)"
    )
    url = service.url
    if service.audience != "public":
        client.force_login(USERS[service.audience]())
    resp = client.get(url)
    if resp.status_code in (301, 302):
        location = resp["Location"]
        assert _own_step(url, location, service), f"{service.code}: {url} redirects to {location}"
        resp = client.get(location)
    assert resp.status_code == 200, f"{service.code}: {url} answered {resp.status_code}"
    content = resp.content.decode(errors="replace")
    for text in NOT_AVAILABLE:
        assert text not in content, f"{service.code}: {url} says «{text}»"


def test_the_catalogue_pages_mark_every_service_available(client):
    for audience in ("individuals", "establishments"):
        page = client.get(f"/services/{audience}/").content.decode()
        assert "غير متاحة بعد" not in page, audience


def test_the_api_lists_every_service_of_services_md_as_implemented(client, settings):
    import re
    from pathlib import Path

    source = Path(settings.BASE_DIR).parent / "shared" / "domain" / "SERVICES.md"
    listed = {s["code"]: s for s in client.get("/api/v1/services").json()}
    if source.exists():
        codes = set(re.findall(r"^\| ([a-z]+\.[a-z0-9.-]+) \|", source.read_text(), re.M))
        assert codes and codes == set(listed)
    missing = sorted(code for code, s in listed.items() if not s["implemented"])
    assert missing == [], f"not implemented: {missing}"
    assert all(s["url"] for s in listed.values())
