"""Rule rows of the lump-sum services (RULES.md "Lump-sum compensation", FACTS A4): the bounds of
the contribution bands of the share, and what restoring a paid lump sum adds (no source was found:
a documented default, shown as provisional)."""

from __future__ import annotations

ROWS: list[tuple[str, str, str, str, bool, str, str]] = [
    (
        "lump.band1_max_contributions",
        "120",
        "2014-03-01",
        "J25",
        False,
        "أعلى عدد اشتراكات للنسبة الأولى من تعويض الدفعة الواحدة",
        "Most contributions for the first lump-sum share",
    ),
    (
        "lump.band2_max_contributions",
        "215",
        "2014-03-01",
        "J25",
        False,
        "أعلى عدد اشتراكات للنسبة الثانية من تعويض الدفعة الواحدة",
        "Most contributions for the second lump-sum share",
    ),
    (
        "lump.restore_annual_rate",
        "0.03",
        "2014-03-01",
        "RULES.md",
        True,
        "نسبة الإضافة السنوية على مبلغ تعويض الدفعة الواحدة عند إعادته",
        "Yearly addition on a lump sum repaid to restore the period",
    ),
]
