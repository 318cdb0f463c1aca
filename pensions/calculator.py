"""The old-age and early retirement pension (calc.expected-pension, ret.old-age-request,
ret.early-request): who may have it, and how much, by RULES.md "Old-age pension" and "Early
retirement".

Who:
- old age: the age ``oldage.age_men`` / ``oldage.age_women`` on the retirement date, with
  ``oldage.min_contributions`` contributions of which ``oldage.min_actual`` actual;
- early: the age ``early.age_men`` / ``early.age_women`` with ``early.min_actual_men`` /
  ``early.min_actual_women`` actual contributions, or the age ``early.alt_age`` with
  ``early.alt_contributions`` actual contributions, before the old-age age. These rows are read on
  the date the person was first covered (rules_seed.py says why); every other row on the retirement
  date. That the person's coverage has stopped is checked by the request services, not here: this
  is the pension *if* they retire on that date.

How much (RULES.md "Order and rounding", followed exactly):
1. reference wage R = the average insured wage of the last ``pension.reference_months``
   contributions (all of them if fewer), or the average given; not rounded;
2. pension before the cap = months ÷ 12 × (``pension.accrual_low`` × min(R, T) +
   ``pension.accrual_high`` × max(R − T, 0)), T = ``pension.accrual_threshold``;
3. the cap: at most ``pension.cap_ratio`` × R;
4. early retirement: less ``early.reduction_<age>`` of it (the age in whole years);
5. the base pension: that, rounded half up to the fils — the first rounding;
6. the dependants' increment on that rounded base: ``pension.dependant_first`` for the first and
   ``pension.dependant_next`` for each further one up to ``pension.dependants_max``, the total
   bounded to [``pension.increment_min``, ``pension.increment_max``], rounded to the fils;
7. plus the supplement ``pension.supplement``;
8. raised to ``pension.minimum``: the top-up is shown as a part of its own.
The pension is the sum of the rounded parts (base + increment + supplement + top-up), so the
working adds up exactly. The arithmetic before each rounding is exact (fractions), so a figure
that is exactly half a fils is rounded up, never by accident of a binary or a 28-digit decimal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import get_language, gettext

from accounts.exceptions import ServiceError
from eservices.dates import age_on, month_after, month_start
from eservices.rules import Figure, RuleMissing, Working, plain

from .rulebook import RuleBook

OLD_AGE = "old_age"
EARLY = "early"
KINDS = (OLD_AGE, EARLY)
ZERO = Decimal("0.000")
REDUCTION_AGES = range(30, 80)  # the keys early.reduction_<age> a book fetches (rows: 45 to 59)

# Rows read on the retirement date.
PENSION_KEYS: tuple[str, ...] = (
    "oldage.age_men",
    "oldage.age_women",
    "oldage.min_contributions",
    "oldage.min_actual",
    "pension.reference_months",
    "pension.accrual_low",
    "pension.accrual_high",
    "pension.accrual_threshold",
    "pension.cap_ratio",
    "pension.dependant_first",
    "pension.dependant_next",
    "pension.dependants_max",
    "pension.increment_min",
    "pension.increment_max",
    "pension.supplement",
    "pension.minimum",
    *(f"early.reduction_{a}" for a in REDUCTION_AGES),
)
# Rows read on the date first covered.
EARLY_KEYS: tuple[str, ...] = (
    "early.age_men",
    "early.age_women",
    "early.min_actual_men",
    "early.min_actual_women",
    "early.alt_age",
    "early.alt_contributions",
)


# --- Translated labels ------------------------------------------------------------------------

_translated: dict[tuple[str | None, str], str] = {}


def _(message: str) -> str:
    """gettext, remembered per language: a figure has some twenty labels, and Django's gettext
    (thread-local lookups) took half of the calculation's time (benchmarks/pension_calculator.py).
    The catalogues do not change while the process runs."""
    key = (get_language(), message)
    text = _translated.get(key)
    if text is None:
        text = _translated[key] = gettext(message)
    return text


# --- Exact arithmetic and how it is shown ----------------------------------------------------


def fils(x: Fraction) -> Decimal:
    """Round half up to the fils (x ≥ 0): floor(x × 1000 + ½), in integers."""
    num, den = x.numerator, x.denominator
    return Decimal((2000 * num + den) // (2 * den)).scaleb(-3)


def show(x: Fraction) -> str:
    """A figure before its rounding, to the fils; "…" when it has more decimals than that."""
    exact = (x.numerator * 1000) % x.denominator == 0
    return f"{fils(x):.3f}" + ("" if exact else "…")


def dec(x: Fraction) -> Decimal:
    """A fraction made of rule values (finite decimals) back as a Decimal."""
    return Decimal(x.numerator) / Decimal(x.denominator)


def pct(share: Fraction) -> str:
    return f"{plain(dec(share) * 100)}%"


def rounded(x: Fraction) -> str:
    """A figure before its rounding, given in the breakdown to the fils."""
    return f"{fils(x):.3f}"


def jd(value: Decimal) -> str:
    return f"{value:.3f}"


# --- The figure ------------------------------------------------------------------------------


@dataclass
class PensionFigure(Figure):
    """The engine's figure (payable, amount, reasons, working) with the kind of pension and its
    parts, JSON-safe; ``amount`` is the monthly pension."""

    kind: str | None = None
    breakdown: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {**super().as_json(), "kind": self.kind, "breakdown": self.breakdown}

    def part(self, name: str) -> Decimal:
        return Decimal(self.breakdown[name])


def _check(w: Working, reasons: list[str], label, value, bound: str, ok: bool, reason: str):
    w.line(label, value, bound)
    if not ok:
        reasons.append(reason)
    return ok


def _old_age_conditions(
    w: Working, book: RuleBook, *, age: int, old_age: int, months: int, actual: int
) -> list[str]:
    reasons: list[str] = []
    needed = int(book.use(w, "oldage.min_contributions"))
    needed_actual = int(book.use(w, "oldage.min_actual"))
    _check(
        w,
        reasons,
        _("Old-age pension age"),
        age,
        f"≥ {old_age}",
        age >= old_age,
        _("The old-age pension is paid from the age of %(age)s; on that date the age is %(years)s.")
        % {"age": old_age, "years": age},
    )
    _check(
        w,
        reasons,
        _("Contributions for an old-age pension"),
        months,
        f"≥ {needed}",
        months >= needed,
        _("%(needed)s contributions are needed for an old-age pension; the record has %(counted)s.")
        % {"needed": needed, "counted": months},
    )
    _check(
        w,
        reasons,
        _("Actual contributions for an old-age pension"),
        actual,
        f"≥ {needed_actual}",
        actual >= needed_actual,
        _("At least %(needed)s of them must be actual contributions; the record has %(counted)s.")
        % {"needed": needed_actual, "counted": actual},
    )
    return reasons


def _early_conditions(
    w: Working,
    *,
    sex: str,
    age: int,
    old_age: int,
    actual: int,
    first_covered: dt.date,
    early_book: RuleBook,
) -> list[str]:
    suffix = "men" if sex == "M" else "women"
    early_age = int(early_book.use(w, f"early.age_{suffix}"))
    early_actual = int(early_book.use(w, f"early.min_actual_{suffix}"))
    alt_age = int(early_book.use(w, "early.alt_age"))
    alt_actual = int(early_book.use(w, "early.alt_contributions"))
    w.line(
        _("First covered (this chooses the early-retirement rules)"),
        first_covered.strftime("%Y-%m"),
    )
    if age >= old_age:
        return [
            _("At %(years)s the old-age pension applies (from %(age)s), not early retirement.")
            % {"years": age, "age": old_age}
        ]
    route_a = age >= early_age and actual >= early_actual
    route_b = age >= alt_age and actual >= alt_actual
    w.line(
        _("Early retirement at %(age)s with %(months)s actual contributions")
        % {"age": early_age, "months": early_actual},
        _("met") if route_a else _("not met"),
        f"{age} ≥ {early_age}, {actual} ≥ {early_actual}",
    )
    w.line(
        _("Early retirement at %(age)s with %(months)s actual contributions")
        % {"age": alt_age, "months": alt_actual},
        _("met") if route_b else _("not met"),
        f"{age} ≥ {alt_age}, {actual} ≥ {alt_actual}",
    )
    if route_a or route_b:
        return []
    return [
        _(
            "Early retirement needs the age of %(age)s with %(months)s actual contributions, or "
            "the age of %(alt_age)s with %(alt_months)s; on that date the age is %(years)s and the "
            "record has %(actual)s actual contributions."
        )
        % {
            "age": early_age,
            "months": early_actual,
            "alt_age": alt_age,
            "alt_months": alt_actual,
            "years": age,
            "actual": actual,
        }
    ]


def _reference_wage(
    w: Working,
    book: RuleBook,
    reference_wages: Sequence[Decimal] | None,
    average_wage: Decimal | None,
) -> tuple[Fraction, int]:
    if reference_wages:
        span = int(book.use(w, "pension.reference_months"))
        used = [Decimal(x) for x in list(reference_wages)[-span:]]
        total = sum(used, ZERO)
        ref = Fraction(total) / len(used)
        w.line(
            _("Reference wage: average of the last %(n)s insured wages (JD)") % {"n": len(used)},
            show(ref),
            f"{jd(total)} ÷ {len(used)}",
        )
        return ref, len(used)
    ref = Fraction(Decimal(average_wage))
    w.line(_("Reference wage: the average given (JD)"), show(ref))
    return ref, 0


def expected_pension(
    *,
    birth_date: dt.date,
    sex: str,
    retirement_date: dt.date,
    contribution_months: int,
    actual_contributions: int | None = None,
    reference_wages: Sequence[Decimal] | None = None,
    average_wage: Decimal | None = None,
    dependants: int = 0,
    kind: str | None = None,
    first_covered: dt.date | None = None,
    rules: RuleBook | None = None,
    early_rules: RuleBook | None = None,
    working: Working | None = None,
) -> PensionFigure:
    """The pension on ``retirement_date`` from explicit inputs (the API and the pages call this).

    ``kind``: "old_age" or "early"; by default the one the age on that date calls for.
    ``reference_wages``: the insured wages of the contributions, oldest first (the last
    ``pension.reference_months`` count), or ``average_wage`` instead. ``first_covered``: the month
    of the first contribution, which chooses the early-retirement rows; by default the months of
    the record are taken as unbroken up to the month before the retirement date.
    ``rules`` / ``early_rules``: books already read for those dates (the pages reuse them).
    """
    w = working or Working()
    on = retirement_date
    book = rules or RuleBook(on, PENSION_KEYS)
    months = int(contribution_months)
    actual = months if actual_contributions is None else int(actual_contributions)
    age = age_on(birth_date, on)
    old_age = int(book.use(w, "oldage.age_men" if sex == "M" else "oldage.age_women"))
    kind = kind or (OLD_AGE if age >= old_age else EARLY)
    w.line(_("Age on the retirement date"), age, f"{birth_date.isoformat()} → {on.isoformat()}")
    w.line(_("Contributions counted"), months)
    w.line(_("Of which actual contributions"), actual)

    if kind == OLD_AGE:
        reasons = _old_age_conditions(
            w, book, age=age, old_age=old_age, months=months, actual=actual
        )
    else:
        if first_covered is None:
            first_covered = month_after(month_start(on), -max(months, 1))
        first_covered = month_start(first_covered)
        try:
            early_book = early_rules or RuleBook(first_covered, EARLY_KEYS)
            reasons = _early_conditions(
                w,
                sex=sex,
                age=age,
                old_age=old_age,
                actual=actual,
                first_covered=first_covered,
                early_book=early_book,
            )
        except RuleMissing as exc:
            raise ServiceError(
                _("No early-retirement rule covers a first contribution in that month."),
                field="first_covered",
            ) from exc
    has_wages = bool(reference_wages) or (average_wage is not None and Decimal(average_wage) > 0)
    if not has_wages:
        reasons.append(_("There is no insured wage to compute the pension from."))
    breakdown: dict = {
        "retirement_date": on.isoformat(),
        "age": age,
        "contribution_months": months,
        "actual_contributions": actual,
    }
    if reasons:
        return PensionFigure(
            payable=False, amount=None, reasons=reasons, working=w, kind=kind, breakdown=breakdown
        )

    # 1. reference wage
    ref, used = _reference_wage(w, book, reference_wages, average_wage)
    # 2. accrual
    low = Fraction(book.use(w, "pension.accrual_low"))
    high = Fraction(book.use(w, "pension.accrual_high"))
    threshold = Fraction(book.use(w, "pension.accrual_threshold"))
    low_part = low * min(ref, threshold)
    high_part = high * max(ref - threshold, Fraction(0))
    t = plain(dec(threshold))
    w.line(
        _("Accrual on the wage up to %(t)s JD, per year") % {"t": t},
        show(low_part),
        f"{pct(low)} × min({show(ref)}, {t})",
    )
    w.line(
        _("Accrual on the wage above %(t)s JD, per year") % {"t": t},
        show(high_part),
        f"{pct(high)} × max({show(ref)} − {t}, 0)",
    )
    years = Fraction(months, 12)
    w.line(
        _("Years of contributions"),
        str(years.numerator) if years.denominator == 1 else show(years),
        f"{months} ÷ 12",
    )
    raw = years * (low_part + high_part)
    w.line(
        _("Pension before the cap (JD)"),
        show(raw),
        f"{months} ÷ 12 × ({show(low_part)} + {show(high_part)})",
    )
    # 3. cap
    cap_ratio = Fraction(book.use(w, "pension.cap_ratio"))
    cap = cap_ratio * ref
    capped = raw > cap
    w.line(
        _("Cap: %(p)s of the reference wage (JD)") % {"p": pct(cap_ratio)},
        show(cap),
        (_("applied") if capped else _("not applied"))
        + f": {show(raw)} {'>' if capped else '≤'} {show(cap)}",
    )
    after_cap = min(raw, cap)
    # 4. early retirement reduction
    reduction_rate = Fraction(0)
    reduction = Fraction(0)
    if kind == EARLY:
        reduction_rate = Fraction(book.use(w, f"early.reduction_{age}"))
        reduction = after_cap * reduction_rate
        w.line(
            _("Early retirement reduction at the age of %(age)s (JD)") % {"age": age},
            show(reduction),
            f"{show(after_cap)} × {pct(reduction_rate)}",
        )
    # 5. the base, rounded once
    base = fils(after_cap - reduction)
    w.line(
        _("Base pension, rounded to the fils (JD)"),
        jd(base),
        f"{show(after_cap)} − {show(reduction)}" if kind == EARLY else show(after_cap),
    )
    # 6.–8. increment, supplement, minimum
    supplement = fils(Fraction(book.use(w, "pension.supplement")))
    parts = pension_parts(w, book, base=base, supplement=supplement, dependants=dependants)
    breakdown.update(
        {
            "reference_wage": rounded(ref),
            "reference_wage_exact": (ref * 1000).denominator == 1,
            "reference_months_used": used,
            "years": f"{months} ÷ 12",
            "accrual_low": rounded(low_part),
            "accrual_high": rounded(high_part),
            "pension_before_cap": rounded(raw),
            "cap": rounded(cap),
            "cap_applied": capped,
            "reduction_rate": plain(dec(reduction_rate)),
            "reduction": rounded(reduction),
            "base": jd(base),
            **parts.as_json(),
        }
    )
    return PensionFigure(
        payable=True, amount=parts.pension, reasons=[], working=w, kind=kind, breakdown=breakdown
    )


@dataclass(frozen=True)
class Parts:
    """The parts of a pension after its base: what changes when the dependants change."""

    base: Decimal
    dependants: int
    dependants_counted: int
    increment_rate: Decimal
    increment: Decimal
    supplement: Decimal
    minimum: Decimal
    minimum_topup: Decimal

    @property
    def pension(self) -> Decimal:
        return self.base + self.increment + self.supplement + self.minimum_topup

    def as_json(self) -> dict:
        return {
            "dependants": self.dependants,
            "dependants_counted": self.dependants_counted,
            "increment_rate": plain(self.increment_rate),
            "increment": jd(self.increment),
            "supplement": jd(self.supplement),
            "minimum": jd(self.minimum),
            "minimum_applied": self.minimum_topup > 0,
            "minimum_topup": jd(self.minimum_topup),
            "pension": jd(self.pension),
        }


def pension_parts(
    w: Working, book: RuleBook, *, base: Decimal, supplement: Decimal, dependants: int
) -> Parts:
    """Steps 6 to 8 on a rounded base: the dependants' increment (on that base, bounded, rounded),
    the supplement, and the top-up to the minimum; each a line of ``w``. A change of dependants
    re-runs this on the pension's base."""
    counted = 0
    increment = ZERO
    increment_rate = Fraction(0)
    if dependants > 0:
        most = int(book.use(w, "pension.dependants_max"))
        counted = min(int(dependants), most)
        first = Fraction(book.use(w, "pension.dependant_first"))
        nxt = Fraction(book.use(w, "pension.dependant_next"))
        lo = Fraction(book.use(w, "pension.increment_min"))
        hi = Fraction(book.use(w, "pension.increment_max"))
        increment_rate = first + nxt * (counted - 1)
        inc_raw = Fraction(base) * increment_rate
        increment = fils(min(max(inc_raw, lo), hi))
        note = ""
        if inc_raw < lo:
            note = " → " + _("raised to %(v)s") % {"v": plain(dec(lo))}
        elif inc_raw > hi:
            note = " → " + _("limited to %(v)s") % {"v": plain(dec(hi))}
        w.line(
            _("Dependants' increment: %(counted)s of %(n)s dependants (JD)")
            % {"counted": counted, "n": dependants},
            jd(increment),
            f"{jd(base)} × {pct(increment_rate)} = {show(inc_raw)}{note}",
        )
    else:
        w.line(_("Dependants' increment: no dependants (JD)"), jd(ZERO))
    w.line(_("Cost-of-living supplement (JD)"), jd(supplement))
    subtotal = base + increment + supplement
    minimum = fils(Fraction(book.use(w, "pension.minimum")))
    topup = max(minimum - subtotal, ZERO)
    if topup > 0:
        w.line(
            _("Raised to the minimum pension of %(m)s JD: top-up (JD)") % {"m": plain(minimum)},
            jd(topup),
            f"{jd(minimum)} − ({jd(base)} + {jd(increment)} + {jd(supplement)})",
        )
    else:
        w.line(
            _("Minimum pension of %(m)s JD: not applied") % {"m": plain(minimum)},
            jd(ZERO),
            f"{jd(subtotal)} ≥ {jd(minimum)}",
        )
    parts = Parts(
        base=base,
        dependants=int(dependants),
        dependants_counted=counted,
        increment_rate=dec(increment_rate),
        increment=increment,
        supplement=supplement,
        minimum=minimum,
        minimum_topup=topup,
    )
    w.line(
        _("Monthly pension (JD)"),
        jd(parts.pension),
        f"{jd(base)} + {jd(increment)} + {jd(supplement)} + {jd(topup)}",
    )
    return parts
