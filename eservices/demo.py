"""Demo data: people in the local civil registry, registered individuals with insurance
histories (coverage periods and their monthly wage records), establishments, a liaison officer,
and a staff user. Safe to run again: what exists is left as it is.

The wage histories are generated, deterministically (a ``random.Random`` seeded with the
person's number), from a list of jobs: the wage rises every January, stays between the minimum
insurable wage and the cap, and no month is later than today.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import CivilRecord, IdType, User
from eservices.dates import month_after, month_end
from establishments.models import Establishment, LiaisonOfficer
from individuals.models import Individual, InsurancePeriod, WageRecord

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
    # Registered insured persons with demo histories (see PEOPLE below)
    dict(
        kind="jordanian",
        number="9931012345",
        id_card_number="NSH93101",
        name_ar="نور سامي الحداد",
        name_en="Noor Sami Al-Haddad",
        birth_date=dt.date(1993, 8, 17),
        sex="F",
    ),
    dict(
        kind="jordanian",
        number="9671012345",
        id_card_number="YAN67101",
        name_ar="يوسف عبد الرحمن النسور",
        name_en="Yousef Abdelrahman Al-Nsour",
        birth_date=dt.date(1967, 3, 15),
        sex="M",
    ),
    dict(
        kind="jordanian",
        number="9841012345",
        id_card_number="HMO84101",
        name_ar="هبة محمود العمري",
        name_en="Heba Mahmoud Al-Omari",
        birth_date=dt.date(1984, 8, 22),
        sex="F",
    ),
    dict(
        kind="jordanian",
        number="9661012345",
        id_card_number="IKS66101",
        name_ar="إبراهيم خليل الشريف",
        name_en="Ibrahim Khalil Al-Sharif",
        birth_date=dt.date(1966, 1, 10),
        sex="M",
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


ESTABLISHMENTS = {
    "100200": dict(
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
    "100300": dict(
        kind=Establishment.Kind.PRIVATE,
        name="مصنع الزرقاء للصناعات الغذائية",
        owner_name="ليلى حسن الزعبي",
        coverage_date=dt.date(2005, 1, 1),
        governorate="الزرقاء",
        address="المنطقة الصناعية",
        main_activity="صناعات غذائية",
    ),
    "100400": dict(
        kind=Establishment.Kind.PRIVATE,
        name="شركة البتراء للمقاولات والإنشاءات",
        owner_name="سليمان عودة الحويطات",
        coverage_date=dt.date(1985, 6, 1),
        governorate="العاصمة",
        address="ماركا الشمالية، شارع الملك عبدالله الأول",
        main_activity="مقاولات إنشائية",
    ),
    "100500": dict(
        kind=Establishment.Kind.PRIVATE,
        name="مستشفى الأمل التخصصي",
        owner_name="رامي فؤاد الخوري",
        coverage_date=dt.date(1995, 1, 1),
        governorate="إربد",
        address="شارع الجامعة",
        main_activity="خدمات صحية",
    ),
    "100600": dict(
        kind=Establishment.Kind.PRIVATE,
        name="بنك الوادي للاستثمار",
        owner_name="مجلس الإدارة",
        coverage_date=dt.date(1980, 1, 1),
        governorate="العاصمة",
        address="العبدلي، شارع الملك حسين",
        main_activity="خدمات مصرفية",
    ),
}

# Registered insured persons beyond the two first demo accounts, each with a history for a
# service to show: the maternity allowance, retirement, a broken career, a 40-year record.
PEOPLE = [
    dict(
        label="Insured woman (maternity allowance)",
        number="9931012345",
        email="noor@example.com",
        phone="+962797001122",
        individual=dict(
            name_en="Noor Sami Al-Haddad",
            id_card_number="NSH93101",
            insurance_number="2345678",
            education_level="bachelor",
        ),
    ),
    dict(
        label="Insured man near retirement, 30 years",
        number="9671012345",
        email="yousef@example.com",
        phone="+962777003344",
        individual=dict(
            name_en="Yousef Abdelrahman Al-Nsour",
            id_card_number="YAN67101",
            insurance_number="0987654",
            education_level="secondary",
        ),
    ),
    dict(
        label="Insured woman, short career, long gap",
        number="9841012345",
        email="heba@example.com",
        phone="+962785005566",
        individual=dict(
            name_en="Heba Mahmoud Al-Omari",
            id_card_number="HMO84101",
            insurance_number="1876543",
            education_level="diploma",
        ),
    ),
    dict(
        label="Insured man, 40 years (480 months)",
        number="9661012345",
        email="ibrahim@example.com",
        phone="+962799007788",
        individual=dict(
            name_en="Ibrahim Khalil Al-Sharif",
            id_card_number="IKS66101",
            insurance_number="0765432",
            education_level="master",
        ),
    ),
]

# RULES.md: wage.minimum (260 JD, 290 JD from 2025-01-01) and wage.cap (3349 JD).
WAGE_CAP = Decimal("3349.000")
FILS = Decimal("0.001")
MANDATORY = InsurancePeriod.Coverage.MANDATORY
OPTIONAL = InsurancePeriod.Coverage.OPTIONAL


def _minimum_wage(month: dt.date) -> Decimal:
    return Decimal("290.000") if month >= dt.date(2025, 1, 1) else Decimal("260.000")


@dataclass(frozen=True)
class Job:
    """One coverage period of a demo career, and the wage it starts at."""

    establishment: str | None  # insurance number of one of ESTABLISHMENTS; None: no employer
    coverage: str
    start: dt.date
    end: dt.date | None  # None: still covered, up to this month
    wage: str  # the insured wage of the first month (JD)
    rise: tuple[float, float] = (0.03, 0.08)  # the yearly rise is drawn in this range


def _careers(today: dt.date) -> dict[str, list[Job]]:
    """Each demo person's jobs. Gaps between jobs are on purpose."""
    this_month = today.replace(day=1)
    forty_years_ago = month_after(this_month, -479)  # 480 months up to this month
    no_rise = (0.0, 0.0)
    return {
        "9861012345": [  # Ahmad, born 1986: two employers, a gap, optional, a third employer
            Job("100300", MANDATORY, dt.date(2008, 7, 1), dt.date(2011, 9, 30), "300.000"),
            Job("100400", MANDATORY, dt.date(2011, 12, 1), dt.date(2014, 12, 31), "455.000"),
            Job(None, OPTIONAL, dt.date(2015, 1, 1), dt.date(2015, 12, 31), "350.000", no_rise),
            Job("100200", MANDATORY, dt.date(2016, 2, 1), None, "640.000"),
        ],
        "1000234567": [  # Mahmoud, Egyptian, born 1985: two employers, three years between
            Job("100300", MANDATORY, dt.date(2012, 3, 1), dt.date(2016, 6, 30), "280.000"),
            Job("100200", MANDATORY, dt.date(2019, 5, 1), None, "310.000", (0.02, 0.05)),
        ],
        "9931012345": [  # Noor, born 1993: employed now, every month of the last year
            Job("100500", MANDATORY, dt.date(2016, 9, 1), dt.date(2020, 3, 31), "320.000"),
            Job("100600", MANDATORY, dt.date(2021, 2, 1), None, "540.000"),
        ],
        "9671012345": [  # Yousef, born 1967: 30 years, three employers
            Job("100400", MANDATORY, dt.date(1996, 9, 1), dt.date(2003, 6, 30), "300.000"),
            Job("100500", MANDATORY, dt.date(2003, 10, 1), dt.date(2012, 12, 31), "480.000"),
            Job("100200", MANDATORY, dt.date(2013, 1, 1), None, "900.000", (0.04, 0.07)),
        ],
        "9841012345": [  # Heba, born 1984: four years of work, then fourteen without
            Job("100500", MANDATORY, dt.date(2006, 3, 1), dt.date(2010, 2, 28), "290.000"),
            Job(None, OPTIONAL, dt.date(2024, 1, 1), dt.date(2024, 12, 31), "350.000", no_rise),
        ],
        "9661012345": [  # Ibrahim, born 1966: 480 months without a break, reaching the cap
            Job(
                "100400",
                MANDATORY,
                forty_years_ago,
                month_end(month_after(forty_years_ago, 131)),
                "280.000",
            ),
            Job(
                "100600",
                MANDATORY,
                month_after(forty_years_ago, 132),
                month_end(month_after(forty_years_ago, 299)),
                "700.000",
            ),
            Job("100200", MANDATORY, month_after(forty_years_ago, 300), None, "1500.000"),
        ],
    }


def _history(
    individual: Individual,
    jobs: list[Job],
    establishments: dict[str, Establishment],
    today: dt.date,
) -> None:
    """The person's coverage periods and one wage record per month of each, unless they have
    wage records already. Periods recorded before wage records existed are replaced."""
    if individual.wages.exists():
        return
    rnd = random.Random(int(individual.identifier))  # noqa: S311 - demo data, not security
    this_month = today.replace(day=1)
    periods: list[InsurancePeriod] = []
    records: list[WageRecord] = []
    for job in jobs:
        assert job.end is None or job.end <= today, job
        est = establishments[job.establishment] if job.establishment else None
        first = job.start.replace(day=1)
        last = job.end.replace(day=1) if job.end else this_month
        wage = Decimal(job.wage)
        month = first
        while month <= last:
            if month.month == 1 and month != first:
                wage *= Decimal(1 + rnd.uniform(*job.rise))
            insured = min(max(wage, _minimum_wage(month)), WAGE_CAP)
            records.append(
                WageRecord(
                    individual=individual,
                    establishment=est,
                    month=month,
                    wage=insured.quantize(FILS, rounding=ROUND_HALF_UP),
                    coverage=job.coverage,
                    unemployment=job.coverage == MANDATORY,
                )
            )
            month = month_after(month, 1)
        periods.append(
            InsurancePeriod(
                individual=individual,
                establishment=est,
                coverage=job.coverage,
                start_date=job.start,
                end_date=job.end,
                monthly_wage=records[-1].wage,
            )
        )
    individual.periods.all().delete()
    InsurancePeriod.objects.bulk_create(periods)
    WageRecord.objects.bulk_create(records, batch_size=500)


@transaction.atomic
def seed() -> list[tuple[str, str, str]]:
    for rec in CIVIL:
        CivilRecord.objects.update_or_create(number=rec["number"], defaults=rec)

    establishments = {
        number: Establishment.objects.get_or_create(insurance_number=number, defaults=fields)[0]
        for number, fields in ESTABLISHMENTS.items()
    }
    est = establishments["100200"]
    now = timezone.now()
    today = timezone.localdate()
    careers = _careers(today)
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
    ind, _created = Individual.objects.get_or_create(
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
    _history(ind, careers["9861012345"], establishments, today)

    mahmoud = _user(
        IdType.PERSONAL,
        "1000234567",
        "محمود السيد حسن",
        "mahmoud@example.com",
        "+962781112233",
        now,
    )
    ind2, _created = Individual.objects.get_or_create(
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
    _history(ind2, careers["1000234567"], establishments, today)

    civil = {rec["number"]: rec for rec in CIVIL}
    people_rows = []
    for person in PEOPLE:
        number = person["number"]
        rec = civil[number]
        user = _user(IdType.NATIONAL, number, rec["name_ar"], person["email"], person["phone"], now)
        individual, _created = Individual.objects.get_or_create(
            user=user,
            defaults=dict(
                is_jordanian=True,
                name_ar=rec["name_ar"],
                birth_date=rec["birth_date"],
                sex=rec["sex"],
                national_number=number,
                nationality="JO",
                residence_country="JO",
                **person["individual"],
            ),
        )
        _history(individual, careers[number], establishments, today)
        people_rows.append((person["label"], f"national number {number}", DEMO_PASSWORD))

    if not User.objects.filter(username="staff").exists():
        User.objects.create_superuser(
            "staff", DEMO_PASSWORD, full_name="موظف المؤسسة", email="staff@ssportal.local"
        )
    return [
        ("Jordanian individual", "national number 9861012345", DEMO_PASSWORD),
        ("Non-Jordanian individual", "personal number 1000234567", DEMO_PASSWORD),
        *people_rows,
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
