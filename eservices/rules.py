"""Effective-dated rules, and the working that shows how a figure was reached.

Every calculator asks ``rule(key, on=date)``; the row it gets is recorded in the figure's working,
so that the page, the PDF and the API show which rule rows were used (and which are provisional).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from accounts.exceptions import ServiceError

FILS = Decimal("0.001")


class RuleMissing(ServiceError):
    default_message = _("A rule needed for this calculation is not defined for that date.")


@dataclass(frozen=True)
class RuleValue:
    id: int
    key: str
    value: Decimal
    effective_from: dt.date
    is_default: bool
    source: str
    description_ar: str
    description_en: str


def rule(key: str, *, on: dt.date) -> RuleValue:
    """The row of ``key`` in force on ``on``: the latest one that started on or before it."""
    from .models import Rule

    row = Rule.objects.filter(key=key, effective_from__lte=on).order_by("-effective_from").first()
    if row is None:
        raise RuleMissing(f"{key} @ {on}")
    return RuleValue(
        id=row.pk,
        key=row.key,
        value=row.value,
        effective_from=row.effective_from,
        is_default=row.is_default,
        source=row.source,
        description_ar=row.description_ar,
        description_en=row.description_en,
    )


def money(value: Decimal) -> Decimal:
    """Round half up to the fils, once, at the end of a figure."""
    return value.quantize(FILS, rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    """A rule value as people write it: 70, 0.75, 1500 (no exponent, no trailing zeros)."""
    return format(value.normalize(), "f")


@dataclass
class Working:
    """The lines of a calculation and the rule rows it used, ready for a page, a PDF or JSON."""

    lines: list[dict] = field(default_factory=list)
    rules: dict[str, RuleValue] = field(default_factory=dict)

    def use(self, key: str, *, on: dt.date) -> Decimal:
        r = rule(key, on=on)
        self.rules[key] = r
        return r.value

    def line(self, label, value, formula: str = "") -> None:
        self.lines.append({"label": str(label), "value": str(value), "formula": formula})

    @property
    def provisional(self) -> bool:
        return any(r.is_default for r in self.rules.values())

    def as_json(self) -> dict:
        return {
            "lines": self.lines,
            "rules": [
                {
                    **asdict(r),
                    "value": plain(r.value),
                    "effective_from": r.effective_from.isoformat(),
                }
                for r in self.rules.values()
            ],
            "provisional": self.provisional,
        }


@dataclass
class Figure:
    """A calculation's result, the shape every service's figure has (the engine shows it, the
    API serialises it): whether it is payable (if not, ``reasons`` say why, which stops the
    request from being sent), the amount in dinars and the working. Figures with more to say
    subclass it."""

    payable: bool
    amount: Decimal | None
    reasons: list[str] = field(default_factory=list)
    working: Working = field(default_factory=Working)

    def as_json(self) -> dict:
        return {
            "payable": self.payable,
            "amount": str(self.amount) if self.amount is not None else None,
            "currency": "JOD",
            "reasons": self.reasons,
            "working": self.working.as_json(),
        }
