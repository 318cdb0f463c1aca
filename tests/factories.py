"""factory_boy factories for the portal's models."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import CivilRecord, IdType, User
from establishments.models import Establishment, LiaisonOfficer
from individuals.models import Individual, InsurancePeriod, WageRecord

PASSWORD = "Strong#Pass2026"


class CivilRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CivilRecord
        django_get_or_create = ("number",)

    kind = CivilRecord.Kind.JORDANIAN
    number = factory.Sequence(lambda n: f"98{n:08d}")
    id_card_number = factory.Sequence(lambda n: f"ABC{n % 100000:05d}")
    name_ar = "أحمد محمد العلي"
    name_en = "Ahmad Mohammad Al-Ali"
    birth_date = dt.date(1986, 5, 14)
    sex = "M"
    nationality = "JO"

    class Params:
        foreign = factory.Trait(
            kind=CivilRecord.Kind.NON_JORDANIAN,
            number=factory.Sequence(lambda n: f"10{n:08d}"),
            id_card_number="",
            passport_number=factory.Sequence(lambda n: f"P{n:07d}"),
            insurance_number=factory.Sequence(lambda n: f"{3000000 + n}"),
            nationality="EG",
            name_ar="محمود السيد حسن",
        )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    id_type = IdType.NATIONAL
    id_number = factory.Sequence(lambda n: f"97{n:08d}")
    full_name = "مستخدم تجريبي"
    email = factory.Sequence(lambda n: f"user{n}@example.com")
    phone = "+962791234567"
    activated_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class IndividualFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Individual

    user = factory.SubFactory(UserFactory)
    is_jordanian = True
    name_ar = "أحمد محمد العلي"
    birth_date = dt.date(1986, 5, 14)
    sex = "M"
    national_number = factory.SelfAttribute("user.id_number")
    residence_country = "JO"
    education_level = "bachelor"


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Establishment

    insurance_number = factory.Sequence(lambda n: f"{200000 + n}")
    kind = Establishment.Kind.PRIVATE
    name = factory.Sequence(lambda n: f"منشأة {n}")
    coverage_date = dt.date(2010, 1, 1)


class LiaisonOfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LiaisonOfficer

    establishment = factory.SubFactory(EstablishmentFactory)
    user = factory.SubFactory(
        UserFactory,
        id_type=IdType.ESTABLISHMENT,
        id_number=factory.SelfAttribute("..establishment.insurance_number"),
    )
    name = "ضابط ارتباط"
    national_number = "9751045678"
    phone = "+962795550100"
    email = factory.Sequence(lambda n: f"officer{n}@example.com")


class InsurancePeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InsurancePeriod

    individual = factory.SubFactory(IndividualFactory)
    establishment = factory.SubFactory(EstablishmentFactory)
    coverage = InsurancePeriod.Coverage.MANDATORY
    start_date = dt.date(2015, 1, 1)
    monthly_wage = Decimal("500.000")


class WageRecordFactory(factory.django.DjangoModelFactory):
    """One contribution month; months follow each other from January 2015."""

    class Meta:
        model = WageRecord

    individual = factory.SubFactory(IndividualFactory)
    establishment = factory.SubFactory(EstablishmentFactory)
    month = factory.Sequence(lambda n: dt.date(2015 + n // 12, n % 12 + 1, 1))
    wage = Decimal("500.000")
    coverage = InsurancePeriod.Coverage.MANDATORY
    unemployment = True
