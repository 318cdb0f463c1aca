"""Rule rows of the bill-payment pages (same shape as eservices/rules_seed.py ROWS): the bounds of
a debit-card top-up and how long its bill stays payable. No source was found for any of them:
staff-editable settings, provisional defaults (is_default=True), shown as such on the page."""

from __future__ import annotations

ROWS: list[tuple[str, str, str, str, bool, str, str]] = [
    (
        "card.topup_min",
        "1",
        "2014-03-01",
        "",
        True,
        "أدنى مبلغ لشحن بطاقة الخصم (دينار)",
        "Debit card top-up: lowest amount (JD)",
    ),
    (
        "card.topup_max",
        "1000",
        "2014-03-01",
        "",
        True,
        "أعلى مبلغ لشحن بطاقة الخصم (دينار)",
        "Debit card top-up: highest amount (JD)",
    ),
    (
        "card.topup_bill_days",
        "3",
        "2014-03-01",
        "",
        True,
        "مدة صلاحية فاتورة شحن بطاقة الخصم (أيام)",
        "Debit card top-up bill: days it stays payable",
    ),
]
