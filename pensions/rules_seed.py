"""The rule rows this app reads (same shape as eservices/rules_seed.py ROWS), seeded by a data
migration of this app that calls eservices.rules_seed.seed_rules.

The old-age, pension and loan rows are in eservices/rules_seed.py already; these are the rest of
RULES.md "Early retirement" and the settings the retirement services need.

Early retirement, who may have it: the rows of ``early.age_*`` and ``early.min_actual_*`` are read
on the date the person was FIRST COVERED (the law of 2019 changed them for those first covered from
2019-10-01; a later change would apply to those first covered from its date). The first rows start
on 1980-01-01, when social security coverage began in Jordan, so that every career has a row.
The reductions by age are read on the retirement date, like the other pension rules.
"""

from __future__ import annotations

LAW = "2014-03-01"  # RULES.md: "from 2014-03-01 unless noted"
COVERAGE_BEGAN = "1980-01-01"  # the first contributions to the Corporation
NEW_ENTRANTS = "2019-10-01"  # RULES.md: "first covered from 2019-10-01"

# RULES.md "Early retirement": the base pension is reduced by the percentage for the age in whole
# years on the retirement date [default].
REDUCTIONS = {
    45: "0.20",
    46: "0.19",
    47: "0.18",
    48: "0.17",
    49: "0.16",
    50: "0.15",
    51: "0.14",
    52: "0.13",
    53: "0.12",
    54: "0.11",
    55: "0.10",
    56: "0.08",
    57: "0.06",
    58: "0.04",
    59: "0.02",
}

ROWS: list[tuple[str, str, str, str, bool, str, str]] = [
    # Early retirement: who (read on the date first covered)
    (
        "early.age_men",
        "50",
        COVERAGE_BEGAN,
        "J19 J20",
        False,
        "سن التقاعد المبكر للرجال (حسب تاريخ أول شمول)",
        "Early retirement age, men (by the date first covered)",
    ),
    (
        "early.age_men",
        "55",
        NEW_ENTRANTS,
        "J19",
        False,
        "سن التقاعد المبكر للرجال (حسب تاريخ أول شمول)",
        "Early retirement age, men (by the date first covered)",
    ),
    (
        "early.age_women",
        "50",
        COVERAGE_BEGAN,
        "J19 J20",
        False,
        "سن التقاعد المبكر للنساء (حسب تاريخ أول شمول)",
        "Early retirement age, women (by the date first covered)",
    ),
    (
        "early.age_women",
        "52",
        NEW_ENTRANTS,
        "J19",
        False,
        "سن التقاعد المبكر للنساء (حسب تاريخ أول شمول)",
        "Early retirement age, women (by the date first covered)",
    ),
    (
        "early.min_actual_men",
        "252",
        COVERAGE_BEGAN,
        "J19 J20",
        False,
        "الاشتراكات الفعلية اللازمة للتقاعد المبكر للرجال",
        "Actual contributions needed for early retirement, men",
    ),
    (
        "early.min_actual_women",
        "228",
        COVERAGE_BEGAN,
        "J19 J20",
        False,
        "الاشتراكات الفعلية اللازمة للتقاعد المبكر للنساء",
        "Actual contributions needed for early retirement, women",
    ),
    (
        "early.alt_age",
        "45",
        COVERAGE_BEGAN,
        "J19 J20",
        False,
        "سن التقاعد المبكر بالاشتراكات الطويلة",
        "Early retirement age with a long record",
    ),
    (
        "early.alt_contributions",
        "300",
        COVERAGE_BEGAN,
        "J19 J20",
        False,
        "الاشتراكات الفعلية اللازمة للتقاعد المبكر في تلك السن",
        "Actual contributions needed for early retirement at that age",
    ),
    # Early retirement: the reduction of the base pension by the age on the retirement date
    *(
        (
            f"early.reduction_{age}",
            share,
            LAW,
            "RULES.md",
            True,
            f"نسبة تخفيض راتب التقاعد المبكر في سن {age}",
            f"Reduction of the early pension at age {age}",
        )
        for age, share in REDUCTIONS.items()
    ),
    # Dependants: the increment is paid for up to three [law J20: "JD 30–150 for up to 3"]
    (
        "pension.dependants_max",
        "3",
        LAW,
        "J20",
        False,
        "أقصى عدد من المعالين تصرف عنهم الإعالة",
        "Most dependants an increment is paid for",
    ),
    # When money goes out: no source; staff-editable settings
    (
        "pension.first_payment_days",
        "7",
        LAW,
        "RULES.md",
        True,
        "أيام من الموافقة حتى صرف أول دفعة من الراتب التقاعدي",
        "Days from the approval to the first pension payment",
    ),
    (
        "loan.payout_days",
        "7",
        LAW,
        "RULES.md",
        True,
        "أيام من الموافقة حتى صرف السلفة",
        "Days from the approval to the payout of the loan",
    ),
]
