"""The rule rows of the exemption programme (est.exemption-request, Defense Order 15), same shape
as eservices/rules_seed.py ROWS: (key, value, from, source, default?, Arabic, English).

No figure of the programme is in RULES.md or FACTS.md: every row is the portal's default, marked
provisional (is_default=True) so that every page that uses it says so, until staff enter the
Corporation's figures in the admin (a new row from a date; the past is never edited).

``exemption.debts_until`` is a date written as the number YYYYMMDD (the rule table holds numbers).
"""

from __future__ import annotations

PROGRAMME = "2026-01-01"
SOURCE = ""  # no source: the rows are provisional (is_default), and pages say so

ROWS: list[tuple[str, str, str, str, bool, str, str]] = [
    (
        "exemption.max_instalments",
        "24",
        PROGRAMME,
        SOURCE,
        True,
        "أعلى عدد من الأقساط الشهرية لتقسيط أصل الاشتراكات (أمر الدفاع 15)",
        "Highest number of monthly instalments for the principal (Defense Order 15)",
    ),
    (
        "exemption.down_payment_ratio",
        "0.10",
        PROGRAMME,
        SOURCE,
        True,
        "أدنى دفعة أولى نسبةً من أصل الاشتراكات المستحقة (أمر الدفاع 15)",
        "Lowest down payment as a share of the principal owed (Defense Order 15)",
    ),
    (
        "exemption.debts_until",
        "20251231",
        PROGRAMME,
        SOURCE,
        True,
        "آخر شهر اشتراك تشمل الإعفاءُ غراماتِه (تاريخ بصيغة سنة شهر يوم)",
        "Last contribution month whose late-payment penalties the exemption covers (YYYYMMDD)",
    ),
]
