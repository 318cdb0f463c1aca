"""The rule rows this app reads (same shape as eservices/rules_seed.py ROWS), seeded by a data
migration of this app that calls eservices.rules_seed.seed_rules.

RULES.md, "Saudi developed social security (household)". Amounts in Saudi riyals. Staff add later
rows in the admin (from a date; a row in force is never edited). The rows in force on the first day
of the month being paid apply.
"""

from __future__ import annotations

START = "2021-06-25"  # the developed social security regulations in force [S4]
RAISE = "2023-11-01"  # the royal order raising the head's amount [S2]

EXCLUDED = "1 = not counted as income; 0 = counted"

ROWS: list[tuple[str, str, str, str, bool, str, str]] = [
    # The monthly minimum of the household
    (
        "household.minimum.head",
        "1100",
        START,
        "seed; S1",
        False,
        "الحد الأدنى الشهري لرب الأسرة (ريال)",
        "Monthly minimum for the head of household (SAR)",
    ),
    (
        "household.minimum.head",
        "1320",
        RAISE,
        "S2",
        False,
        "الحد الأدنى الشهري لرب الأسرة (ريال)",
        "Monthly minimum for the head of household (SAR)",
    ),
    (
        "household.minimum.member",
        "550",
        START,
        "seed; S1",
        False,
        "الحد الأدنى الشهري لكل فرد آخر في الأسرة (ريال)",
        "Monthly minimum for each other member of the household (SAR)",
    ),
    (
        "household.minimum.member",
        "660",
        RAISE,
        "S3 (uncertain)",
        True,
        "الحد الأدنى الشهري لكل فرد آخر في الأسرة (ريال)",
        "Monthly minimum for each other member of the household (SAR)",
    ),
    # Countable income
    (
        "household.income.earned_share",
        "0.5",
        START,
        "S3 (uncertain)",
        True,
        "نسبة الدخل المكتسب (الرواتب والتجارة) المحتسبة",
        "Share of earned income (wages, trade) counted",
    ),
    (
        "household.income.unearned_share",
        "1",
        START,
        "S3",
        False,
        "نسبة الدخل غير المكتسب (المعاشات والإيجارات والعوائد) المحتسبة",
        "Share of other income (pensions, rent, returns) counted",
    ),
    (
        "household.income.excluded.citizen_account",
        "1",
        START,
        "seed; S3",
        False,
        "استبعاد دعم حساب المواطن من الدخل (1 = مستبعد)",
        f"Citizen's Account support left out of income ({EXCLUDED})",
    ),
    (
        "household.income.excluded.rural_support",
        "1",
        START,
        "seed; S3",
        False,
        "استبعاد دعم صغار مربي الماشية والدعم الريفي من الدخل (1 = مستبعد)",
        f"Rural support left out of income ({EXCLUDED})",
    ),
    (
        "household.income.excluded.university_stipend",
        "1",
        START,
        "seed; S3",
        False,
        "استبعاد المكافأة الجامعية من الدخل (1 = مستبعد)",
        f"University stipends left out of income ({EXCLUDED})",
    ),
    (
        "household.income.excluded.disability_benefit",
        "1",
        START,
        "seed",
        False,
        "استبعاد إعانة الأشخاص ذوي الإعاقة من الدخل (1 = مستبعد)",
        f"Disability benefits left out of income ({EXCLUDED})",
    ),
    # Time limits
    (
        "household.review_days",
        "20",
        START,
        "seed",
        False,
        "مدة مراجعة طلب الضمان الاجتماعي (يوم)",
        "Days the ministry takes to review an application",
    ),
    (
        "household.review_warning_days",
        "5",
        START,
        "",
        True,
        "تنبيه الموظف عند اقتراب نهاية مدة المراجعة (يوم متبقٍ)",
        "Days left when the staff queue marks an application as near its deadline",
    ),
    (
        "household.change_report_days",
        "15",
        START,
        "S4",
        False,
        "مهلة الإبلاغ عن التغييرات التي تؤثر على الاستحقاق (يوم)",
        "Days within which a change affecting eligibility must be reported",
    ),
]
