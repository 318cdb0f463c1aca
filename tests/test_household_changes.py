"""hh.change-report and hh.breadwinner-change on the shared request engine, and the
household-entitlement calculator endpoint of the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from eservices.models import ServiceRequest
from eservices.services import request_approve
from household.models import Payment

from .factories import UserFactory
from .factories_household import (
    BREADWINNER,
    IBAN_BREADWINNER,
    bank_account,
    household_user,
    pdf_upload,
)
from .test_household_payments import make_pension, run

pytestmark = pytest.mark.django_db
URL = "/api/v1/calculators/household-entitlement"


def ar(msgid: str) -> str:
    with translation.override("ar"):
        return gettext(msgid)


@pytest.fixture
def staff():
    return UserFactory(id_type="staff", id_number="clerk", is_staff=True, is_superuser=True)


def engine_submit(client, code: str, answers: dict, documents=()) -> ServiceRequest:
    assert client.post(f"/service/{code}/").status_code == 302
    req = ServiceRequest.objects.get(service_code=code, status="draft")
    resp = client.post(f"/requests/{req.pk}/answers/", {**answers, "continue": "1"})
    assert resp.status_code == 302, resp.context and resp.context["form"].errors
    for key in documents:
        client.post(
            f"/requests/{req.pk}/documents/",
            {"document_type": key, "file": pdf_upload(f"{key}.pdf")},
        )
    req.refresh_from_db()
    client.post(f"/requests/{req.pk}/check/", {"token": str(req.submit_token)})
    req.refresh_from_db()
    return req


class TestChangeReport:
    def test_only_for_a_pension(self, client):
        client.force_login(household_user())
        page = client.get("/service/hh.change-report/")
        assert (
            ar("This service is for beneficiaries of the household pension.")
            in (page.context["reasons"])
        )
        html = page.content.decode()
        assert "15" in html  # report within household.change_report_days

    def test_a_member_joined_counts_from_the_next_payment(
        self, client, staff, django_capture_on_commit_callbacks
    ):
        pension = make_pension()
        run("2026-04-01")
        client.force_login(pension.beneficiary)
        answers = {
            "kind": "member_joined",
            "change_date": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
            "children_after": "3",
            "details": "ولادة ابن",
        }
        req = engine_submit(client, "hh.change-report", answers)
        assert req.status == "submitted" and req.reference.startswith("HHC-")
        with django_capture_on_commit_callbacks(execute=True):
            request_approve(req=req, staff=staff)
        pension.refresh_from_db()
        assert pension.children == 3
        run("2026-05-01")
        # 1,320 + 4 × 660 = 3,960 − 1,000
        assert Payment.objects.get(month=dt.date(2026, 5, 1)).amount == Decimal("2960.00")

    def test_a_future_change_and_missing_counts_are_refused(self, client):
        pension = make_pension()
        client.force_login(pension.beneficiary)
        client.post("/service/hh.change-report/")
        req = ServiceRequest.objects.get(service_code="hh.change-report")
        resp = client.post(
            f"/requests/{req.pk}/answers/",
            {"kind": "member_left", "change_date": "2999-01-01", "details": "—", "continue": "1"},
        )
        errors = resp.context["form"].errors
        assert errors["change_date"] and errors["children_after"]


class TestBreadwinnerChange:
    def answers(self, **kw):
        data = {
            "court": "المحكمة العامة بالرياض",
            "decision_number": "4470123",
            "decision_date": (timezone.localdate() - dt.timedelta(days=10)).isoformat(),
            "breadwinner_id_number": BREADWINNER,
            "breadwinner_name": "سعد القحطاني",
            "breadwinner_birth_date": "1970-01-01",
            "relation": "uncle",
            "iban": IBAN_BREADWINNER,
            "iban_confirm": IBAN_BREADWINNER,
            "bank": "20",
        }
        data.update(kw)
        return data

    def test_staff_confirm_the_breadwinner_and_the_pension_follows(
        self, client, staff, django_capture_on_commit_callbacks
    ):
        bank_account(IBAN_BREADWINNER, BREADWINNER)
        pension = make_pension()
        client.force_login(pension.beneficiary)
        req = engine_submit(
            client, "hh.breadwinner-change", self.answers(), ("court_decision", "breadwinner_id")
        )
        assert req.status == "submitted" and req.reference.startswith("HHB-")
        with django_capture_on_commit_callbacks(execute=True):
            request_approve(req=req, staff=staff)
        pension.refresh_from_db()
        assert pension.breadwinner_id_number == BREADWINNER
        assert pension.breadwinner_relation == "uncle" and pension.iban == IBAN_BREADWINNER
        run("2026-04-01")
        assert Payment.objects.get().iban == IBAN_BREADWINNER

    def test_the_account_must_be_the_breadwinners(self, client):
        bank_account(IBAN_BREADWINNER, "1067890127")  # somebody else's
        pension = make_pension()
        client.force_login(pension.beneficiary)
        client.post("/service/hh.breadwinner-change/")
        req = ServiceRequest.objects.get(service_code="hh.breadwinner-change")
        resp = client.post(f"/requests/{req.pk}/answers/", {**self.answers(), "continue": "1"})
        assert resp.status_code == 200 and resp.context["form"].errors["iban"]
        bad = self.answers(breadwinner_id_number="1098765430")
        resp = client.post(f"/requests/{req.pk}/answers/", {**bad, "continue": "1"})
        assert (
            ar("The number is not valid: its check digit does not match. Check the number.")
            in resp.context["form"].errors["breadwinner_id_number"]
        )
        req.refresh_from_db()
        assert req.data == {}


class TestApi:
    def test_a_family_with_a_salary(self, client):
        body = {
            "month": "2024-01",
            "members": [
                {"relation": "head", "age": 45},
                {"relation": "spouse", "age": 40},
                {"relation": "son", "age": 12},
                {"relation": "daughter", "age": 9},
            ],
            "incomes": [
                {"type": "wages", "monthly_amount": "2000.00"},
                {"type": "citizen_account", "monthly_amount": "720"},
            ],
        }
        data = client.post(URL, body, content_type="application/json").json()
        assert data["payable"] is True and data["amount"] == "2300.00"
        assert data["currency"] == "SAR" and data["month"] == "2024-01"
        b = data["breakdown"]
        assert b["minimum"] == "3300.00" and b["countable_income"] == "1000.00"
        assert b["incomes"][1] == {
            "type": "citizen_account",
            "monthly_amount": "720.00",
            "share": "0",
            "counted": "0.00",
            "excluded": True,
        }
        assert [m["amount"] for m in b["members"]] == ["1320.00", "660.00", "660.00", "660.00"]
        assert {r["key"] for r in data["working"]["rules"]} >= {
            "household.minimum.head",
            "household.minimum.member",
            "household.income.earned_share",
            "household.income.excluded.citizen_account",
        }
        assert data["working"]["provisional"] is True

    def test_alone_by_default_next_month(self, client):
        data = client.post(
            URL, {"members": [{"relation": "head"}]}, content_type="application/json"
        ).json()
        assert data["amount"] == "1320.00" and data["reasons"] == []

    def test_income_above_gives_nothing(self, client):
        body = {
            "month": "2022-02",
            "members": [{"relation": "head", "age": 30}],
            "incomes": [{"type": "pension", "monthly_amount": "1500"}],
        }
        data = client.post(URL, body, content_type="application/json").json()
        assert data["payable"] is False and data["amount"] is None and data["reasons"]

    def test_bad_input(self, client):
        resp = client.post(
            URL,
            {"members": [{"relation": "spouse"}], "incomes": [{"type": "x", "monthly_amount": -1}]},
            content_type="application/json",
        )
        assert resp.status_code == 400
        errors = resp.json()
        assert ar("The household has exactly one head.") in errors["members"]
        assert "incomes" in errors
        resp = client.post(
            URL,
            {"month": "2021-05", "members": [{"relation": "head"}]},
            content_type="application/json",
        )
        assert resp.status_code == 400 and "month" in resp.json()

    def test_in_the_openapi_schema(self, client):
        schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
        assert "/api/v1/calculators/household-entitlement" in schema
        assert "calculators_household_entitlement" in schema
