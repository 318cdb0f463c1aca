"""The payment pages: est.pay-contributions, est.pay-installments, opt.pay, card.instant-pay; the
printable bill; the simulator button (only when enabled); who may see which bill."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from eservices.selectors import service
from payments import ledger, network
from payments.models import Bill, DebitCard, Installment, InstallmentPlan, LedgerEntry, Payment

from .factories import IndividualFactory, LiaisonOfficerFactory
from .factories_payments import EstablishmentAccountFactory, SubscriberAccountFactory
from .test_network import active_card, establishment_bill, seed_network_rules

pytestmark = pytest.mark.django_db

D = Decimal
CONTRIB = reverse("payments:pay_contributions")
INSTAL = reverse("payments:pay_installments")
OPT = reverse("payments:opt_pay")
CARD = reverse("payments:card_instant_pay")


@pytest.fixture
def officer():
    return LiaisonOfficerFactory()


@pytest.fixture
def bill(officer) -> Bill:
    return establishment_bill("1234.567", officer=officer)


def text(response) -> str:
    return response.content.decode()


def test_the_four_pages_are_declared_services():
    for code, url in (
        ("est.pay-contributions", CONTRIB),
        ("est.pay-installments", INSTAL),
        ("opt.pay", OPT),
        ("card.instant-pay", CARD),
    ):
        entry = service(code)
        assert entry.implemented and entry.url == url


def test_the_officer_sees_the_bill_and_how_to_pay_it(client, officer, bill, settings):
    client.force_login(officer.user)
    page = text(client.get(CONTRIB))
    assert bill.number in page and "1,234.567" in page
    assert settings.NETWORK_BILLER_CODE in page
    assert bill.account.number in page  # the billing number to enter at the bank
    assert bill.due_date.isoformat() in page
    assert reverse("payments:bill_print", args=[bill.number]) in page
    assert reverse("payments:simulate_pay", args=[bill.number]) in page
    assert Bill.objects.filter(account=bill.account, status=Bill.Status.OPEN).count() == 1


def test_nothing_due(client, officer):
    client.force_login(officer.user)
    page = client.get(CONTRIB)
    assert page.status_code == 200
    assert page.context["bill"] is None
    assert not Bill.objects.exists()


def test_the_simulator_pays_and_the_receipt_appears(
    client, officer, bill, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.NETWORK_SETTLEMENT_DIR = tmp_path
    client.force_login(officer.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("payments:simulate_pay", args=[bill.number]))
    assert response.status_code == 302 and response["Location"] == CONTRIB
    payment = Payment.objects.get()
    assert payment.receipt is not None
    page = client.get(CONTRIB)
    assert page.context["bill"] is None
    receipt_url = reverse("eservices:document_download", args=[payment.receipt.pk])
    assert receipt_url in text(page) and payment.network_reference in text(page)
    pdf = client.get(receipt_url)
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert network.journal_rows(timezone.localdate())[0]["bill_number"] == bill.number


def test_no_simulator_button_in_production(client, officer, bill, settings):
    settings.DEBUG = False
    settings.NETWORK_SIMULATOR_ENABLED = False
    client.force_login(officer.user)
    page = text(client.get(CONTRIB))
    assert reverse("payments:simulate_pay", args=[bill.number]) not in page
    response = client.post(reverse("payments:simulate_pay", args=[bill.number]))
    assert response.status_code == 404
    assert not Payment.objects.exists()


def test_another_payers_bill_is_404(client, bill):
    other = LiaisonOfficerFactory()
    client.force_login(other.user)
    assert client.get(reverse("payments:bill_print", args=[bill.number])).status_code == 404
    assert client.post(reverse("payments:simulate_pay", args=[bill.number])).status_code == 404
    assert not Payment.objects.exists()


def test_the_printable_bill(client, officer, bill):
    client.force_login(officer.user)
    page = text(client.get(reverse("payments:bill_print", args=[bill.number])))
    assert bill.number in page and "1,234.567" in page and officer.establishment.name in page
    assert "@media print" in page


def test_who_may_open_the_pages(client, officer):
    assert client.get(CONTRIB).status_code == 302  # to sign in
    person = IndividualFactory()
    client.force_login(person.user)
    assert client.get(CONTRIB).status_code == 403
    assert client.get(INSTAL).status_code == 403
    client.force_login(officer.user)
    assert client.get(OPT).status_code == 403
    assert client.get(CARD).status_code == 403


def test_recent_payments_in_a_fixed_number_of_queries(
    client, officer, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    """The page's queries do not grow with the payments listed (receipts joined, not fetched)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    account = EstablishmentAccountFactory(establishment=officer.establishment)
    client.force_login(officer.user)

    def pay_bills(n: int) -> None:
        for _ in range(n):
            key = f"c{LedgerEntry.objects.count()}"
            ledger.post(account=account, kind="contribution", key=key, amount=D("10.000"))
            bill = ledger.refresh_contributions_bill(account)
            with django_capture_on_commit_callbacks(execute=True):
                assert network.NetworkClient(journal=False).pay(bill.number).code == 0
        ledger.post(account=account, kind="contribution", key=f"open{n}", amount=D("5.000"))
        client.get(CONTRIB)  # issues the open bill; the next view keeps it

    pay_bills(1)
    connection.queries_log.clear()  # the log keeps 9000 queries at most
    with CaptureQueriesContext(connection) as one:
        client.get(CONTRIB)
    with_one = len(one.captured_queries)
    assert 0 < with_one <= 16
    pay_bills(3)
    connection.queries_log.clear()
    with django_assert_max_num_queries(with_one):
        page = client.get(CONTRIB)
    assert len(page.context["payments"]) == 4
    assert all(p["receipt"] is not None for p in page.context["payments"])


# --- est.pay-installments ----------------------------------------------------------------------


def test_the_instalments_due_now_get_one_bill(client, officer):
    account = EstablishmentAccountFactory(establishment=officer.establishment)
    ledger.post(account=account, kind=LedgerEntry.Kind.CONTRIBUTION, key="d", amount=D("300"))
    today = timezone.localdate()
    plan = InstallmentPlan.objects.create(
        account=account, total=D("300"), months=3, first_due=today - dt.timedelta(days=30)
    )
    for n, days in enumerate((-30, 0, 30), start=1):
        Installment.objects.create(
            plan=plan, sequence=n, due_date=today + dt.timedelta(days=days), amount=D("100")
        )
    client.force_login(officer.user)
    page = client.get(INSTAL)
    bill = Bill.objects.get(kind=Bill.Kind.INSTALLMENTS)
    assert bill.amount == D("200.000")
    assert sorted(bill.installments.values_list("sequence", flat=True)) == [1, 2]
    assert page.context["bill"]["number"] == bill.number
    assert [i["sequence"] for i in page.context["due"]] == [1, 2]
    assert [i["sequence"] for i in page.context["upcoming"]] == [3]
    client.get(INSTAL)
    assert Bill.objects.filter(kind=Bill.Kind.INSTALLMENTS).count() == 1  # the same bill


def test_no_plan(client, officer):
    client.force_login(officer.user)
    page = client.get(INSTAL)
    assert page.status_code == 200 and page.context["has_plan"] is False


# --- opt.pay -------------------------------------------------------------------------------------


def test_the_subscriber_sees_the_optional_bill(client):
    account = SubscriberAccountFactory()
    ledger.post(account=account, kind="contribution", key="opt:1", amount=D("71.500"))
    client.force_login(account.individual.user)
    page = client.get(OPT)
    row = page.context["accounts"][0]
    assert row["bill"]["amount"] == "71.500" and row["bill"]["service_type"] == "optional"
    assert row["bill"]["billing_number"] == account.number


def test_no_subscription(client):
    person = IndividualFactory()
    client.force_login(person.user)
    page = client.get(OPT)
    assert page.status_code == 200 and page.context["accounts"] == []


# --- card.instant-pay ------------------------------------------------------------------------------


def test_the_cardholder_chooses_an_amount_and_gets_a_bill(client):
    seed_network_rules()
    card = active_card("3.000")
    client.force_login(card.individual.user)
    page = client.get(CARD)
    assert page.status_code == 200 and page.context["bill"] is None
    assert page.context["limits"]["provisional"] is True
    too_much = client.post(CARD, {"amount": "5000"})
    assert too_much.status_code == 200 and too_much.context["form"].errors
    assert not Bill.objects.exists()
    assert client.post(CARD, {"amount": "0.5"}).context["form"].errors
    response = client.post(CARD, {"amount": "25.750"})
    assert response.status_code == 302
    bill = Bill.objects.get(card=card)
    assert bill.amount == D("25.750") and bill.kind == Bill.Kind.CARD_TOPUP
    page = client.get(CARD)
    assert page.context["bill"]["number"] == bill.number
    assert page.context["bill"]["billing_number"] == card.number


def test_no_active_card(client):
    seed_network_rules()
    person = IndividualFactory()
    DebitCard.objects.create(
        individual=person, number="4099999999", last4="1111", status=DebitCard.Status.STOPPED
    )
    client.force_login(person.user)
    page = client.get(CARD)
    assert page.status_code == 200 and page.context["card"] is None
    client.post(CARD, {"amount": "10"})
    assert not Bill.objects.exists()
