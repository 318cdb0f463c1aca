"""The rule rows this app reads (same shape as eservices/rules_seed.py ROWS), seeded by a data
migration of this app that calls eservices.rules_seed.seed_rules.

Optional subscription and self-employment (RULES.md "Optional (voluntary) subscription" and
"Self-employed brackets [default]", FACTS.md A9). The rates, the wage range and the highest annual
increase of the optional subscription are in eservices/rules_seed.py (optional.*, self.rate,
self.injury_rate); the rows here are the ages, the increase window, the returning subscriber's
limits and the self-employment brackets. Percentages are fractions. A figure RULES.md marks
[default] (or with no source at all) has is_default=True and is shown as provisional.
"""

from __future__ import annotations

LAW = "2014-03-01"

ROWS: list[tuple[str, str, str, str, bool, str, str]] = [
    # Who may join the optional subscription for the first time [law] J12 J13: aged 16, and not
    # yet 60 (men) / 55 (women) on the day of the request.
    (
        "optional.age_min",
        "16",
        LAW,
        "J12 J13",
        False,
        "أدنى سن للانتساب الاختياري أول مرة",
        "Lowest age to join the optional subscription for the first time",
    ),
    (
        "optional.age_max_men",
        "60",
        LAW,
        "J12 J13",
        False,
        "سن الانتساب الاختياري أول مرة: قبل إكمالها (الذكور)",
        "Optional subscription, first joining: before completing this age (men)",
    ),
    (
        "optional.age_max_women",
        "55",
        LAW,
        "J12 J13",
        False,
        "سن الانتساب الاختياري أول مرة: قبل إكمالها (الإناث)",
        "Optional subscription, first joining: before completing this age (women)",
    ),
    # Highest annual increase: 5% in 2024, 10% from 2025 [law] J14 J15 (eservices has 10% from
    # 2014, the general row).
    (
        "optional.increase_max",
        "0.05",
        "2024-01-01",
        "J14 J15",
        False,
        "أعلى نسبة زيادة سنوية",
        "Highest annual increase",
    ),
    (
        "optional.increase_max",
        "0.10",
        "2025-01-01",
        "J14 J15",
        False,
        "أعلى نسبة زيادة سنوية",
        "Highest annual increase",
    ),
    # The annual increase percentage is chosen from 1 January to 15 February [law] J14 J15.
    (
        "optional.increase_window_start_month",
        "1",
        LAW,
        "J14 J15",
        False,
        "بداية فترة تعديل نسبة الزيادة السنوية: الشهر",
        "Annual increase window opens: month",
    ),
    (
        "optional.increase_window_start_day",
        "1",
        LAW,
        "J14 J15",
        False,
        "بداية فترة تعديل نسبة الزيادة السنوية: اليوم",
        "Annual increase window opens: day",
    ),
    (
        "optional.increase_window_end_month",
        "2",
        LAW,
        "J14 J15",
        False,
        "نهاية فترة تعديل نسبة الزيادة السنوية: الشهر",
        "Annual increase window closes: month",
    ),
    (
        "optional.increase_window_end_day",
        "15",
        LAW,
        "J14 J15",
        False,
        "نهاية فترة تعديل نسبة الزيادة السنوية: اليوم",
        "Annual increase window closes: day (included)",
    ),
    # A returning optional subscriber [law] J13: the wage may rise by up to 10% for each whole year
    # of the gap (at most 10 raises), or be cut once by up to 20%. Whether the raises compound is
    # not in the source: the portal compounds them (1; 0 would add them up) [default].
    (
        "optional.return_raise_per_year",
        "0.10",
        LAW,
        "J13",
        False,
        "زيادة الأجر عند العودة عن كل سنة انقطاع",
        "Returning subscriber: wage increase for each year of the gap",
    ),
    (
        "optional.return_raises_max",
        "10",
        LAW,
        "J13",
        False,
        "أعلى عدد من الزيادات عند العودة",
        "Returning subscriber: most yearly increases counted",
    ),
    (
        "optional.return_cut_max",
        "0.20",
        LAW,
        "J13",
        False,
        "أعلى نسبة تخفيض للأجر عند العودة (مرة واحدة)",
        "Returning subscriber: highest one-time wage cut",
    ),
    (
        "optional.return_compound",
        "1",
        LAW,
        "RULES.md",
        True,
        "تراكم زيادات سنوات الانقطاع (1 مركبة، 0 بسيطة)",
        "Returning subscriber: yearly increases compound (1) or add up (0)",
    ),
    # Self-employment brackets [default]: multiples of the minimum wage (wage.minimum).
    (
        "self.bracket.1",
        "1",
        LAW,
        "RULES.md",
        True,
        "شريحة العمل الحر الأولى: مضاعف الحد الأدنى للأجور",
        "Self-employment bracket 1: multiple of the minimum wage",
    ),
    (
        "self.bracket.2",
        "1.5",
        LAW,
        "RULES.md",
        True,
        "شريحة العمل الحر الثانية: مضاعف الحد الأدنى للأجور",
        "Self-employment bracket 2: multiple of the minimum wage",
    ),
    (
        "self.bracket.3",
        "2",
        LAW,
        "RULES.md",
        True,
        "شريحة العمل الحر الثالثة: مضاعف الحد الأدنى للأجور",
        "Self-employment bracket 3: multiple of the minimum wage",
    ),
    (
        "self.bracket.4",
        "3",
        LAW,
        "RULES.md",
        True,
        "شريحة العمل الحر الرابعة: مضاعف الحد الأدنى للأجور",
        "Self-employment bracket 4: multiple of the minimum wage",
    ),
    (
        "self.bracket.5",
        "4",
        LAW,
        "RULES.md",
        True,
        "شريحة العمل الحر الخامسة: مضاعف الحد الأدنى للأجور",
        "Self-employment bracket 5: multiple of the minimum wage",
    ),
    (
        "self.increase_max",
        "0.10",
        LAW,
        "RULES.md",
        True,
        "أعلى نسبة زيادة سنوية للعمل الحر",
        "Self-employment: highest annual increase",
    ),
    # Ages of self-employment coverage: no source; the optional subscription's ages [default].
    (
        "self.age_min",
        "16",
        LAW,
        "RULES.md",
        True,
        "أدنى سن للشمول بالعمل الحر",
        "Lowest age for self-employment coverage",
    ),
    (
        "self.age_max_men",
        "60",
        LAW,
        "RULES.md",
        True,
        "الشمول بالعمل الحر: قبل إكمال هذه السن (الذكور)",
        "Self-employment coverage: before completing this age (men)",
    ),
    (
        "self.age_max_women",
        "55",
        LAW,
        "RULES.md",
        True,
        "الشمول بالعمل الحر: قبل إكمال هذه السن (الإناث)",
        "Self-employment coverage: before completing this age (women)",
    ),
]
