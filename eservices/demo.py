"""Demo data: people in the local civil registry, two registered individuals with insurance
histories, an establishment with its liaison officer, and a staff user. Safe to run again."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import CivilRecord, IdType, User
from establishments.models import Establishment, LiaisonOfficer
from individuals.models import Individual, InsurancePeriod

DEMO_PASSWORD = "Portal#2026"  # noqa: S105 - demo accounts only, printed on purpose

CIVIL = [
    # Jordanians (national number, card number)
    dict(
        kind="jordanian",
        number="9861012345",
        id_card_number="ABC12345",
        name_ar="أحمد محمد العلي",
        name_en="Ahmad Mohammad Al-Ali",
        birth_date=dt.date(1986, 5, 14),
        sex="M",
    ),
    dict(
        kind="jordanian",
        number="9651023456",
        id_card_number="DEF23456",
        name_ar="محمد أحمد العلي",
        name_en="Mohammad Ahmad Al-Ali",
        birth_date=dt.date(1965, 2, 1),
        sex="M",
    ),
    dict(
        kind="jordanian",
        number="9902034567",
        id_card_number="XYZ54321",
        name_ar="سارة خالد المصري",
        name_en="Sara Khaled Al-Masri",
        birth_date=dt.date(1990, 9, 3),
        sex="F",
    ),
    dict(
        kind="jordanian",
        number="9751045678",
        id_card_number="KLM67890",
        name_ar="خالد يوسف المصري",
        name_en="Khaled Yousef Al-Masri",
        birth_date=dt.date(1975, 1, 20),
        sex="M",
    ),
    dict(
        kind="jordanian",
        number="9801056789",
        id_card_number="RST11223",
        name_ar="ليلى حسن الزعبي",
        name_en="Layla Hasan Al-Zoubi",
        birth_date=dt.date(1980, 11, 30),
        sex="F",
    ),
    # Non-Jordanians (personal number, passport, insurance number)
    dict(
        kind="non_jordanian",
        number="1000234567",
        passport_number="A12345678",
        nationality="EG",
        insurance_number="3456789",
        name_ar="محمود السيد حسن",
        name_en="Mahmoud El-Sayed Hassan",
        birth_date=dt.date(1985, 3, 2),
        sex="M",
    ),
    dict(
        kind="non_jordanian",
        number="1000345678",
        passport_number="N7654321",
        nationality="SY",
        insurance_number="4567890",
        name_ar="رنا عمر الخطيب",
        name_en="Rana Omar Al-Khatib",
        birth_date=dt.date(1992, 7, 20),
        sex="F",
    ),
]


@transaction.atomic
def seed() -> list[tuple[str, str, str]]:
    for rec in CIVIL:
        CivilRecord.objects.update_or_create(number=rec["number"], defaults=rec)

    est, _ = Establishment.objects.get_or_create(
        insurance_number="100200",
        defaults=dict(
            kind=Establishment.Kind.PRIVATE,
            name="شركة عمّان للتجارة العامة",
            owner_name="خالد يوسف المصري",
            registration_date=dt.date(2010, 3, 1),
            coverage_date=dt.date(2010, 4, 1),
            phone="+96264650000",
            governorate="العاصمة",
            address="الشميساني، شارع الملكة نور، بناية 12",
            main_activity="تجارة عامة",
        ),
    )
    est2, _ = Establishment.objects.get_or_create(
        insurance_number="100300",
        defaults=dict(
            kind=Establishment.Kind.PRIVATE,
            name="مصنع الزرقاء للصناعات الغذائية",
            owner_name="ليلى حسن الزعبي",
            coverage_date=dt.date(2005, 1, 1),
            governorate="الزرقاء",
            address="المنطقة الصناعية",
            main_activity="صناعات غذائية",
        ),
    )
    now = timezone.now()
    officer_user = _user(
        IdType.ESTABLISHMENT,
        "100200",
        "خالد يوسف المصري",
        "officer@amman-trading.example",
        "+962795550100",
        now,
    )
    LiaisonOfficer.objects.get_or_create(
        establishment=est,
        defaults=dict(
            user=officer_user,
            name="خالد يوسف المصري",
            national_number="9751045678",
            phone="+962795550100",
            email="officer@amman-trading.example",
        ),
    )

    ahmad = _user(
        IdType.NATIONAL, "9861012345", "أحمد محمد العلي", "ahmad@example.com", "+962791234567", now
    )
    ind, created = Individual.objects.get_or_create(
        user=ahmad,
        defaults=dict(
            is_jordanian=True,
            name_ar="أحمد محمد العلي",
            name_en="Ahmad Mohammad Al-Ali",
            birth_date=dt.date(1986, 5, 14),
            sex="M",
            national_number="9861012345",
            id_card_number="ABC12345",
            relative_national_number="9651023456",
            relative_kinship="father",
            nationality="JO",
            residence_country="JO",
            education_level="bachelor",
            insurance_number="1234567",
        ),
    )
    if created:
        InsurancePeriod.objects.bulk_create(
            [
                InsurancePeriod(
                    individual=ind,
                    establishment=est2,
                    coverage="mandatory",
                    start_date=dt.date(2008, 7, 1),
                    end_date=dt.date(2014, 12, 31),
                    monthly_wage=Decimal("420.000"),
                ),
                InsurancePeriod(
                    individual=ind,
                    coverage="optional",
                    start_date=dt.date(2015, 1, 1),
                    end_date=dt.date(2015, 12, 31),
                    monthly_wage=Decimal("350.000"),
                ),
                InsurancePeriod(
                    individual=ind,
                    establishment=est,
                    coverage="mandatory",
                    start_date=dt.date(2016, 2, 1),
                    monthly_wage=Decimal("875.500"),
                ),
            ]
        )

    mahmoud = _user(
        IdType.PERSONAL,
        "1000234567",
        "محمود السيد حسن",
        "mahmoud@example.com",
        "+962781112233",
        now,
    )
    ind2, created = Individual.objects.get_or_create(
        user=mahmoud,
        defaults=dict(
            is_jordanian=False,
            name_ar="محمود السيد حسن",
            name_en="Mahmoud El-Sayed Hassan",
            birth_date=dt.date(1985, 3, 2),
            sex="M",
            personal_number="1000234567",
            passport_number="A12345678",
            insurance_number="3456789",
            nationality="EG",
            residence_country="JO",
            phone_abroad="+201001234567",
            education_level="diploma",
        ),
    )
    if created:
        InsurancePeriod.objects.bulk_create(
            [
                InsurancePeriod(
                    individual=ind2,
                    establishment=est,
                    coverage="mandatory",
                    start_date=dt.date(2019, 5, 1),
                    monthly_wage=Decimal("310.000"),
                ),
            ]
        )

    if not User.objects.filter(username="staff").exists():
        User.objects.create_superuser(
            "staff", DEMO_PASSWORD, full_name="موظف المؤسسة", email="staff@ssportal.local"
        )
    return [
        ("Jordanian individual", "national number 9861012345", DEMO_PASSWORD),
        ("Non-Jordanian individual", "personal number 1000234567", DEMO_PASSWORD),
        ("Liaison officer", "establishment insurance number 100200", DEMO_PASSWORD),
        ("Staff (admin at /admin/)", "user name staff", DEMO_PASSWORD),
        (
            "Not yet registered (try registering)",
            "national number 9902034567, card XYZ54321, relative 9751045678",
            "—",
        ),
        (
            "Not yet registered non-Jordanian",
            "personal number 1000345678, passport N7654321, "
            "born 1992-07-20, Syria, insurance 4567890",
            "—",
        ),
    ]


def _user(id_type, number, name, email, phone, now) -> User:
    user = User.objects.filter(id_type=id_type, id_number=number).first()
    if user is None:
        user = User.objects.create_user(
            id_type,
            number,
            DEMO_PASSWORD,
            email=email,
            phone=phone,
            full_name=name,
            activated_at=now,
        )
    return user
