"""card.issue: who may ask, the form, approval issuing the card (billing number, last four digits
of a Luhn-valid PAN), the notification, and the "my card" page."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from accounts.exceptions import ServiceError
from eservices.models import Notification, ServiceRequest
from eservices.services import request_approve
from payments import cards
from payments.models import Bill, DebitCard, Payment

from .factories import (
    IndividualFactory,
    InsurancePeriodFactory,
    LiaisonOfficerFactory,
    UserFactory,
    WageRecordFactory,
)

pytestmark = pytest.mark.django_db


def ar(msgid: str) -> str:
    with translation.override("ar"):
        return translation.gettext(msgid)


# --- numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["79927398713", "4539578763621486", "4111111111111111"])
def test_luhn_accepts_valid_numbers(number):
    assert cards.luhn_valid(number)
    assert cards.luhn_check_digit(number[:-1]) == number[-1]


@pytest.mark.parametrize("number", ["79927398710", "4111111111111112", "12a4", ""])
def test_luhn_refuses_others(number):
    assert not cards.luhn_valid(number)


def test_a_new_pan_is_luhn_valid_on_the_issuers_bin():
    for _ in range(200):
        pan = cards.new_pan()
        assert len(pan) == 16 and pan.startswith(cards.CARD_BIN) and cards.luhn_valid(pan)
    assert re.fullmatch(r"40\d{8}", cards.new_billing_number())


# --- who may ask ----------------------------------------------------------------------------------


@pytest.fixture
def insured():
    person = IndividualFactory(name_en="Lina Khaled Haddad", sex="F")
    InsurancePeriodFactory(individual=person, start_date=dt.date(2018, 1, 1))
    return person


def reasons(user) -> list[str]:
    with translation.override("en"):
        return cards.eligibility(user, timezone.localdate())


def test_only_insured_persons_and_pensioners_with_a_record(insured):
    assert reasons(insured.user) == []
    assert reasons(LiaisonOfficerFactory().user) == [
        "The debit card is issued to insured persons and pensioners."
    ]
    assert reasons(UserFactory()) == ["The debit card is issued to insured persons and pensioners."]
    assert reasons(IndividualFactory().user) == [
        "There is no insurance record or pension in your name: the card is issued to insured "
        "persons and pensioners."
    ]
    with_wages = WageRecordFactory().individual
    assert reasons(with_wages.user) == []


def test_not_with_an_active_card(insured):
    card = cards.issue_card(person=insured)
    assert reasons(insured.user) == [
        f"You already have an active debit card ending in {card.last4}."
    ]
    card.status = DebitCard.Status.STOPPED
    card.save()
    assert reasons(insured.user) == []


def test_a_second_active_card_is_refused(insured):
    cards.issue_card(person=insured)
    with pytest.raises(ServiceError):
        cards.issue_card(person=insured)
    assert DebitCard.objects.count() == 1


# --- the form -------------------------------------------------------------------------------------

ANSWERS = {
    "name_on_card": "lina k  haddad",
    "delivery": "branch",
    "branch": "irbid",
    "mobile": "0791234567",
    "mobile_confirm": "+962791234567",
    "accept_terms": "on",
}


def start(client, person) -> ServiceRequest:
    client.force_login(person.user)
    assert client.post("/service/card.issue/").status_code == 302
    return ServiceRequest.objects.get(applicant=person.user, status="draft")


def test_the_form_is_prefilled_and_checks_each_answer(client, insured):
    req = start(client, insured)
    page = client.get(f"/requests/{req.pk}/answers/").content.decode()
    assert "LINA KHALED HADDAD" in page and "+962791234567" in page
    resp = client.post(
        f"/requests/{req.pk}/answers/",
        {
            "name_on_card": "لينا حداد",
            "delivery": "courier",
            "mobile": "0791234567",
            "mobile_confirm": "0791234568",
            "continue": "1",
        },
    )
    errors = resp.context["form"].errors
    assert set(errors) == {
        "name_on_card",
        "mobile_confirm",
        "governorate",
        "city",
        "street",
        "accept_terms",
    }
    assert ar("The two mobile numbers are not the same.") in resp.content.decode()
    resp = client.post(
        f"/requests/{req.pk}/answers/",
        {**ANSWERS, "delivery": "branch", "branch": "", "mobile": "065000000", "continue": "1"},
    )
    assert set(resp.context["form"].errors) == {"branch", "mobile"}


def test_card_issue_end_to_end(client, insured, django_capture_on_commit_callbacks):
    req = start(client, insured)
    resp = client.post(f"/requests/{req.pk}/answers/", {**ANSWERS, "continue": "1"})
    assert resp.status_code == 302, resp.context["form"].errors
    req.refresh_from_db()
    assert req.data["name_on_card"] == "LINA K HADDAD"
    assert req.data["mobile"] == "+962791234567" and req.data["governorate"] == ""
    check = client.get(f"/requests/{req.pk}/check/").content.decode()
    assert "LINA K HADDAD" in check
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/requests/{req.pk}/check/", {"token": str(req.submit_token)})
    req.refresh_from_db()
    assert req.status == "submitted" and req.reference.startswith("CARD-")
    assert reasons(insured.user) == [f"Your card request {req.reference} is being decided."]

    staff = UserFactory(id_type="staff", id_number="cards1", is_staff=True, is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        request_approve(req=req, staff=staff)

    card = DebitCard.objects.get()
    assert card.individual == insured and card.request == req and card.status == "active"
    assert re.fullmatch(r"40\d{8}", card.number) and re.fullmatch(r"\d{4}", card.last4)
    assert card.balance == Decimal("0") and card.issued_on == timezone.localdate()
    # Only the last four digits are kept: no 16-digit number anywhere on the card's row.
    assert not any(
        re.search(r"\d{13,19}", str(getattr(card, f.attname)))
        for f in DebitCard._meta.concrete_fields
    )
    note = Notification.objects.get(
        user=insured.user, channel="inbox", title=ar("Your debit card is issued")
    )
    assert card.last4 in note.body and card.number in note.body and "/payments/card/" in note.body
    sms = Notification.objects.get(user=insured.user, channel="sms", title=note.title)
    assert card.number in sms.body and "/payments/card/" not in sms.body

    page = client.get("/payments/card/").content.decode()
    assert f"**** **** **** {card.last4}" in page and card.number in page
    assert "LINA K HADDAD" in page and req.reference in page
    assert reasons(insured.user)[0].startswith("You already have an active debit card")


def test_my_card_shows_the_balance_and_the_last_top_ups(
    client, insured, django_assert_max_num_queries
):
    card = cards.issue_card(person=insured)
    DebitCard.objects.filter(pk=card.pk).update(balance=Decimal("75.250"))
    for n in range(12):
        bill = Bill.objects.create(
            number=f"T{n}",
            kind="card_topup",
            card=card,
            amount=Decimal("10"),
            due_date=timezone.localdate(),
        )
        Payment.objects.create(
            bill=bill,
            card=card,
            amount=Decimal(f"{n + 1}.500"),
            channel="network",
            network_reference=f"TOP-{n:02d}",
            paid_at=timezone.now() - dt.timedelta(days=30 - n),
        )
    client.force_login(insured.user)
    with django_assert_max_num_queries(8):
        page = client.get("/payments/card/").content.decode()
    assert "75.250" in page
    shown = re.findall(r"TOP-\d\d", page)
    assert shown == [f"TOP-{n:02d}" for n in range(11, 1, -1)]  # the last ten, newest first


def test_my_card_without_a_card_links_to_the_request(client, insured):
    client.force_login(insured.user)
    page = client.get("/payments/card/").content.decode()
    assert "/service/card.issue/" in page
    client.force_login(LiaisonOfficerFactory().user)
    assert client.get("/payments/card/").status_code == 403
