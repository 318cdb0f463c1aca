"""factory_boy factories for the payments models, shared by the money side's tests.

Kept backwards compatible: other test modules import these; add, never rename.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from payments.models import (
    Account,
    Bill,
    LedgerEntry,
    Payment,
    Subscription,
    SubscriptionWage,
)

from .factories import EstablishmentFactory, IndividualFactory


class EstablishmentAccountFactory(factory.django.DjangoModelFactory):
    """An establishment's contributions account, numbered as ledger.account_for_establishment
    numbers it ("10" + the insurance number on 8 digits)."""

    class Meta:
        model = Account
        django_get_or_create = ("kind", "establishment")

    kind = Account.Kind.ESTABLISHMENT
    establishment = factory.SubFactory(EstablishmentFactory)
    number = factory.LazyAttribute(lambda o: "10" + str(o.establishment.insurance_number).zfill(8))


AccountFactory = EstablishmentAccountFactory


class SubscriberAccountFactory(factory.django.DjangoModelFactory):
    """An optional (default) or self-employed subscriber's account."""

    class Meta:
        model = Account
        django_get_or_create = ("kind", "individual")

    kind = Account.Kind.OPTIONAL
    individual = factory.SubFactory(IndividualFactory)
    number = factory.LazyAttribute(
        lambda o: (
            ("20" if o.kind == Account.Kind.OPTIONAL else "30") + str(o.individual.pk).zfill(8)
        )
    )


class LedgerEntryFactory(factory.django.DjangoModelFactory):
    """A contribution charge by default; pass ``amount`` negative and kind PAYMENT for a credit."""

    class Meta:
        model = LedgerEntry

    account = factory.SubFactory(EstablishmentAccountFactory)
    kind = LedgerEntry.Kind.CONTRIBUTION
    key = factory.Sequence(lambda n: f"test:{n}")
    amount = Decimal("100.000")
    posted_on = factory.LazyFunction(timezone.localdate)
    memo = ""


class BillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bill

    number = factory.Sequence(lambda n: f"99{n:010d}")
    kind = Bill.Kind.CONTRIBUTIONS
    account = factory.SubFactory(EstablishmentAccountFactory)
    amount = Decimal("100.000")
    issued_on = factory.LazyFunction(timezone.localdate)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=15))


class PaymentFactory(factory.django.DjangoModelFactory):
    """A payment of a bill (its whole amount), as the network would record it."""

    class Meta:
        model = Payment

    bill = factory.SubFactory(BillFactory)
    account = factory.SelfAttribute("bill.account")
    amount = factory.SelfAttribute("bill.amount")
    channel = Payment.Channel.NETWORK
    network_reference = factory.Sequence(lambda n: f"REF{n:09d}")
    network_trx = factory.Sequence(lambda n: f"TRX{n:09d}")
    paid_at = factory.LazyFunction(timezone.now)


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """An open optional subscription (its account made for the same person and kind)."""

    class Meta:
        model = Subscription

    individual = factory.SubFactory(IndividualFactory)
    kind = Subscription.Kind.OPTIONAL
    account = factory.LazyAttribute(
        lambda o: SubscriberAccountFactory(individual=o.individual, kind=o.kind)
    )
    start_month = dt.date(2025, 1, 1)


class SubscriptionWageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubscriptionWage

    subscription = factory.SubFactory(SubscriptionFactory)
    from_month = factory.SelfAttribute("subscription.start_month")
    wage = Decimal("500.000")
    reason = "enrolment"
