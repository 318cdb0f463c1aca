"""Optional (voluntary) and self-employed subscriptions, and the drivers of vehicles.

Who may join, what the monthly contribution is (with its working and the rule rows it used), and
what an approved request changes: the subscription, its declared-wage rows, its contributions
account, the coverage period on the person's record, the vehicles and their drivers.

Rules (RULES.md, FACTS.md A9), all read from the rule table:
- optional: 17.5% (``optional.rate``) of a declared wage between ``optional.wage_min`` and
  ``optional.wage_max``; first joining aged ``optional.age_min`` and before completing
  ``optional.age_max_men`` / ``optional.age_max_women``; an annual increase of 0 to
  ``optional.increase_max``, chosen between the ``optional.increase_window_*`` days, applied from
  the next January; a returning subscriber may raise the last declared wage by
  ``optional.return_raise_per_year`` for each whole year of the gap (at most
  ``optional.return_raises_max`` raises, compounded when ``optional.return_compound`` is 1) or cut
  it once by up to ``optional.return_cut_max``.
- self-employment: the declared wage is a bracket, ``self.bracket.<n>`` × ``wage.minimum``;
  ``self.rate`` plus ``self.injury_rate`` when the activity is covered for work injury; once a
  year an increase up to ``self.increase_max`` or a move to another bracket, from the next month.

Money is Decimal in dinars; each figure is rounded half up to the fils once (``money``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.exceptions import ServiceError
from accounts.fields import normalise_digits
from eservices.dates import month_after, month_count, month_end, month_start
from eservices.rules import Figure, RuleMissing, Working, money, plain, rule
from individuals.models import Individual, InsurancePeriod

from ..ledger import account_for_subscriber
from ..models import Subscription, SubscriptionWage, Vehicle, VehicleDriver

OPTIONAL = Subscription.Kind.OPTIONAL
SELF_EMPLOYED = Subscription.Kind.SELF_EMPLOYED
BRACKETS = ("1", "2", "3", "4", "5")
ONE = Decimal(1)
HUNDRED = Decimal(100)


# --- months and ages ------------------------------------------------------------------------


def percent(fraction: Decimal) -> str:
    """0.175 → 17.5%."""
    return f"{plain(Decimal(fraction) * HUNDRED)}%"


def fraction_of(percentage) -> Decimal:
    """A percentage as typed (5, "7.5") → the fraction the rules use (0.05, 0.075)."""
    return (Decimal(str(percentage or 0)) / HUNDRED).quantize(Decimal("0.0001"))


# --- reading the record ---------------------------------------------------------------------


def individual_of(user) -> Individual | None:
    """The insured person behind a signed-in individual (None for anyone else)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_individual:
        return None
    return Individual.objects.filter(user=user).first()


def _open_q(today: dt.date) -> Q:
    return Q(end_month__isnull=True) | Q(end_month__gte=month_start(today))


def open_subscription(
    individual: Individual, *, today: dt.date, kind: str | None = None
) -> Subscription | None:
    """The subscription still running in ``today``'s month (its last month not yet passed)."""
    qs = Subscription.objects.filter(_open_q(today), individual=individual)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("account").order_by("-start_month").first()


def latest_subscription(individual: Individual, *, kind: str) -> Subscription | None:
    return (
        Subscription.objects.filter(individual=individual, kind=kind)
        .select_related("account", "request")
        .order_by("-start_month", "-id")
        .first()
    )


def covered_by_establishment(individual: Individual, *, today: dt.date) -> bool:
    """An open mandatory coverage period (through an establishment) on ``today``."""
    return (
        InsurancePeriod.objects.filter(
            individual=individual, coverage=InsurancePeriod.Coverage.MANDATORY
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .exists()
    )


def pending_request(user, *codes: str) -> bool:
    """A request of one of these services sent and not decided yet."""
    from eservices.models import ServiceRequest

    return ServiceRequest.objects.filter(
        applicant=user, service_code__in=codes, status__in=ServiceRequest.OPEN
    ).exists()


def wage_in_force(rows, month: dt.date) -> Decimal | None:
    """The declared wage of ``month`` from a subscription's wage rows (any order)."""
    best = None
    for row in rows:
        if row.from_month <= month and (best is None or row.from_month > best.from_month):
            best = row
    return best.wage if best else None


def declared_wage(subscription: Subscription, month: dt.date) -> Decimal | None:
    """The declared wage of the subscription for ``month`` (billing reads this)."""
    row = (
        subscription.wages.filter(from_month__lte=month_start(month))
        .order_by("-from_month")
        .first()
    )
    return row.wage if row else None


def coverage_period(subscription: Subscription) -> InsurancePeriod | None:
    """The coverage period the subscription put on the person's record."""
    return (
        InsurancePeriod.objects.filter(
            individual_id=subscription.individual_id,
            coverage=subscription.kind,
            establishment__isnull=True,
            start_date=subscription.start_month,
        )
        .order_by("-id")
        .first()
    )


# --- figures ----------------------------------------------------------------------------------


@dataclass
class SubscriptionFigure(Figure):
    """A monthly contribution with its working, the declared wage and the month it applies from."""

    wage: Decimal | None = None
    effective: dt.date | None = None

    def as_json(self) -> dict:
        return {
            **super().as_json(),
            "wage": str(self.wage) if self.wage is not None else None,
            "effective": self.effective.isoformat() if self.effective else None,
        }


def contribution_lines(
    w: Working, *, kind: str, wage: Decimal, on: dt.date, injury: bool = False
) -> Decimal:
    """The monthly contribution = declared wage × rate, written into the working. With the
    work-injury part, each part is a figure of its own (rounded to the fils) and the contribution
    is their sum, as the monthly billing posts it (payments/billing.py)."""
    wage = Decimal(wage)
    w.line(_("Declared monthly wage (JD)"), f"{wage:.3f}")
    if kind == OPTIONAL:
        rate = w.use("optional.rate", on=on)
        w.line(_("Contribution rate"), percent(rate))
        amount = money(wage * rate)
        w.line(
            _("Monthly contribution = declared wage × rate (JD)"),
            f"{amount:.3f}",
            f"{wage:.3f} × {plain(rate)}",
        )
        return amount
    rate = w.use("self.rate", on=on)
    w.line(_("Contribution rate: old age, disability and death"), percent(rate))
    amount = money(wage * rate)
    if not injury:
        w.line(
            _("Monthly contribution = declared wage × rate (JD)"),
            f"{amount:.3f}",
            f"{wage:.3f} × {plain(rate)}",
        )
        return amount
    injury_rate = w.use("self.injury_rate", on=on)
    w.line(_("Contribution rate: work injury"), percent(injury_rate))
    injury_amount = money(wage * injury_rate)
    w.line(
        _("Old age, disability and death = declared wage × rate (JD)"),
        f"{amount:.3f}",
        f"{wage:.3f} × {plain(rate)}",
    )
    w.line(
        _("Work injury = declared wage × rate (JD)"),
        f"{injury_amount:.3f}",
        f"{wage:.3f} × {plain(injury_rate)}",
    )
    total = amount + injury_amount
    w.line(
        _("Monthly contribution = declared wage × rate (JD)"),
        f"{total:.3f}",
        f"{amount:.3f} + {injury_amount:.3f}",
    )
    return total


def monthly_contribution(
    subscription: Subscription, month: dt.date
) -> tuple[Decimal, Working] | None:
    """What the subscription owes for ``month`` and how (None when the month is not covered):
    billing posts this to the subscriber's account."""
    month = month_start(month)
    if month < subscription.start_month or (
        subscription.end_month is not None and month > subscription.end_month
    ):
        return None
    wage = declared_wage(subscription, month)
    if wage is None:
        return None
    w = Working()
    amount = contribution_lines(
        w, kind=subscription.kind, wage=wage, on=month, injury=subscription.injury_covered
    )
    return amount, w


def _range_reason(wage: Decimal, low: Decimal, high: Decimal) -> list[str]:
    if low <= wage <= high:
        return []
    return [
        _("The declared wage must be between %(low)s and %(high)s JD.")
        % {"low": f"{low:.3f}", "high": f"{high:.3f}"}
    ]


def optional_wage_limits(on: dt.date) -> tuple[Decimal, Decimal]:
    return rule("optional.wage_min", on=on).value, rule("optional.wage_max", on=on).value


def increase_limit(kind: str, on: dt.date) -> Decimal:
    key = "optional.increase_max" if kind == OPTIONAL else "self.increase_max"
    return rule(key, on=on).value


def optional_enrol_figure(*, wage: Decimal, increase: Decimal, on: dt.date) -> SubscriptionFigure:
    """opt.enroll: the declared wage within the law's range, the increase within its limit."""
    w = Working()
    wage = Decimal(wage)
    low = w.use("optional.wage_min", on=on)
    high = w.use("optional.wage_max", on=on)
    w.line(_("Declared wage allowed (JD)"), f"{low:.3f} – {high:.3f}")
    return _optional_figure(w, wage=wage, low=low, high=high, increase=increase, on=on)


# --- returning optional subscriber (opt.continue) ----------------------------------------------


@dataclass(frozen=True)
class LastCoverage:
    month: dt.date  # the last month covered
    wage: Decimal  # the declared wage of that month


def last_optional_coverage(individual: Individual) -> LastCoverage | None:
    """The last month of the person's stopped optional coverage, and its declared wage: from a
    stopped optional subscription, or an ended optional period on the record (older records)."""
    found: list[LastCoverage] = []
    sub = (
        Subscription.objects.filter(individual=individual, kind=OPTIONAL, end_month__isnull=False)
        .order_by("-end_month")
        .first()
    )
    if sub is not None:
        wage = declared_wage(sub, sub.end_month)
        if wage is not None:
            found.append(LastCoverage(sub.end_month, wage))
    period = (
        InsurancePeriod.objects.filter(
            individual=individual,
            coverage=InsurancePeriod.Coverage.OPTIONAL,
            end_date__isnull=False,
        )
        .order_by("-end_date")
        .first()
    )
    if period is not None and period.monthly_wage > 0:
        found.append(LastCoverage(month_start(period.end_date), period.monthly_wage))
    return max(found, key=lambda c: c.month) if found else None


def return_wage_range(
    w: Working, *, last: LastCoverage, return_month: dt.date
) -> tuple[Decimal, Decimal]:
    """The declared wage a returning subscriber may choose, written into the working."""
    on = month_start(return_month)
    per_year = w.use("optional.return_raise_per_year", on=on)
    raises_max = int(w.use("optional.return_raises_max", on=on))
    cut = w.use("optional.return_cut_max", on=on)
    compound = w.use("optional.return_compound", on=on) == 1
    law_low = w.use("optional.wage_min", on=on)
    law_high = w.use("optional.wage_max", on=on)
    gap = max(month_count(last.month, on) - 1, 0)
    years = gap // 12
    raises = min(years, raises_max)
    w.line(_("Last declared wage (JD)"), f"{last.wage:.3f}", last.month.strftime("%Y-%m"))
    w.line(_("Months without optional coverage"), gap)
    w.line(_("Yearly increases allowed"), raises, f"min({gap} ÷ 12, {raises_max})")
    if compound:
        high = money(last.wage * (ONE + per_year) ** raises)
        formula = f"{last.wage:.3f} × {plain(ONE + per_year)}^{raises}"
    else:
        high = money(last.wage * (ONE + per_year * raises))
        formula = f"{last.wage:.3f} × (1 + {plain(per_year)} × {raises})"
    low = money(last.wage * (ONE - cut))
    w.line(_("Highest wage on return (JD)"), f"{high:.3f}", formula)
    w.line(
        _("Lowest wage on return, one cut (JD)"),
        f"{low:.3f}",
        f"{last.wage:.3f} × (1 − {plain(cut)})",
    )
    low, high = max(low, law_low), min(max(high, law_low), law_high)
    low = min(low, high)
    w.line(
        _("Declared wage allowed (JD)"),
        f"{low:.3f} – {high:.3f}",
        f"{law_low:.3f} – {law_high:.3f}",
    )
    return low, high


def optional_return_figure(
    *, last: LastCoverage, wage: Decimal, increase: Decimal, on: dt.date
) -> SubscriptionFigure:
    w = Working()
    wage = Decimal(wage)
    low, high = return_wage_range(w, last=last, return_month=on)
    return _optional_figure(w, wage=wage, low=low, high=high, increase=increase, on=on)


def _optional_figure(
    w: Working, *, wage: Decimal, low: Decimal, high: Decimal, increase: Decimal, on: dt.date
) -> SubscriptionFigure:
    """The declared wage within [low, high], the increase within its limit, and the monthly
    contribution with its working (enrolment and return alike)."""
    most = w.use("optional.increase_max", on=on)
    w.line(_("Annual increase chosen"), percent(increase), f"≤ {percent(most)}")
    reasons = _range_reason(wage, low, high)
    if not Decimal(0) <= increase <= most:
        reasons.append(
            _("The annual increase must be between 0%% and %(most)s.") % {"most": percent(most)}
        )
    amount = contribution_lines(w, kind=OPTIONAL, wage=wage, on=on)
    return SubscriptionFigure(
        payable=not reasons,
        amount=amount if not reasons else None,
        wage=wage,
        effective=month_start(on),
        reasons=reasons,
        working=w,
    )


# --- annual increase (opt.annual-increase) ------------------------------------------------------


def increase_window(on: dt.date) -> tuple[dt.date, dt.date]:
    """The days of ``on``'s year when the annual increase percentage may be changed."""

    def day(prefix: str) -> dt.date:
        m = int(rule(f"optional.increase_window_{prefix}_month", on=on).value)
        d = int(rule(f"optional.increase_window_{prefix}_day", on=on).value)
        return dt.date(on.year, m, d)

    return day("start"), day("end")


def in_increase_window(on: dt.date) -> bool:
    start, end = increase_window(on)
    return start <= on <= end


def next_january(on: dt.date) -> dt.date:
    return dt.date(on.year + 1, 1, 1)


def increase_figure(
    *, subscription: Subscription, increase: Decimal, on: dt.date
) -> SubscriptionFigure:
    """opt.annual-increase: the wage from the next January at the new percentage."""
    w = Working()
    january = next_january(on)
    most = w.use("optional.increase_max", on=on)
    high = w.use("optional.wage_max", on=january)
    december = month_after(january, -1)
    current = declared_wage(subscription, december) or Decimal(0)
    w.line(_("Current annual increase"), percent(subscription.annual_increase))
    w.line(_("New annual increase"), percent(increase), f"≤ {percent(most)}")
    reasons = []
    if not Decimal(0) <= increase <= most:
        reasons.append(
            _("The annual increase must be between 0%% and %(most)s.") % {"most": percent(most)}
        )
    raised = money(current * (ONE + increase))
    new = min(raised, high)
    w.line(
        _("Declared wage from %(month)s (JD)") % {"month": january.strftime("%Y-%m")},
        f"{new:.3f}",
        f"min({current:.3f} × {plain(ONE + increase)}, {high:.3f})",
    )
    amount = contribution_lines(w, kind=OPTIONAL, wage=new, on=january)
    return SubscriptionFigure(
        payable=not reasons,
        amount=amount if not reasons else None,
        wage=new,
        effective=january,
        reasons=reasons,
        working=w,
    )


# --- self-employment brackets ------------------------------------------------------------------


def bracket_wage(w: Working, key: str, *, on: dt.date) -> Decimal:
    """A bracket's declared wage: its multiple × the minimum wage, written into the working."""
    minimum = w.use("wage.minimum", on=on)
    multiple = w.use(f"self.bracket.{key}", on=on)
    wage = money(minimum * multiple)
    w.line(
        _("Bracket %(n)s: minimum wage × multiple (JD)") % {"n": key},
        f"{wage:.3f}",
        f"{minimum:.3f} × {plain(multiple)}",
    )
    return wage


def brackets(on: dt.date) -> list[tuple[str, Decimal, Decimal, bool]]:
    """(key, multiple, wage, provisional) of each bracket in force on ``on``."""
    out = []
    minimum = rule("wage.minimum", on=on).value
    for key in BRACKETS:
        try:
            r = rule(f"self.bracket.{key}", on=on)
        except RuleMissing:
            continue
        out.append((key, r.value, money(minimum * r.value), r.is_default))
    return out


def self_enrol_figure(*, bracket: str, injury: bool, on: dt.date) -> SubscriptionFigure:
    w = Working()
    reasons: list[str] = []
    try:
        wage = bracket_wage(w, bracket, on=on)
    except RuleMissing:
        return SubscriptionFigure(
            payable=False, amount=None, reasons=[_("Choose one of the brackets.")], working=w
        )
    amount = contribution_lines(w, kind=SELF_EMPLOYED, wage=wage, on=on, injury=injury)
    return SubscriptionFigure(
        payable=True,
        amount=amount,
        wage=wage,
        effective=month_start(on),
        reasons=reasons,
        working=w,
    )


CHANGE_INCREASE = "increase"
CHANGE_BRACKET = "bracket"


def self_change_figure(
    *,
    subscription: Subscription,
    change: str,
    increase: Decimal | None,
    bracket: str | None,
    on: dt.date,
) -> SubscriptionFigure:
    """self.bracket-change: the new declared wage from the next month."""
    w = Working()
    effective = month_after(month_start(on), 1)
    current = declared_wage(subscription, month_start(on)) or Decimal(0)
    w.line(_("Current declared wage (JD)"), f"{current:.3f}")
    reasons: list[str] = []
    if change == CHANGE_INCREASE:
        increase = increase or Decimal(0)
        most = w.use("self.increase_max", on=on)
        cap = w.use("wage.cap", on=effective)
        if not Decimal(0) < increase <= most:
            reasons.append(
                _("The annual increase must be more than 0%% and at most %(most)s.")
                % {"most": percent(most)}
            )
        new = min(money(current * (ONE + increase)), cap)
        w.line(
            _("Declared wage from %(month)s (JD)") % {"month": effective.strftime("%Y-%m")},
            f"{new:.3f}",
            f"min({current:.3f} × {plain(ONE + increase)}, {cap:.3f})",
        )
    else:
        if bracket == subscription.bracket:
            reasons.append(_("This is already your bracket: choose another one."))
        try:
            new = bracket_wage(w, bracket or "", on=effective)
        except RuleMissing:
            reasons.append(_("Choose one of the brackets."))
            new = current
    amount = contribution_lines(
        w, kind=SELF_EMPLOYED, wage=new, on=effective, injury=subscription.injury_covered
    )
    return SubscriptionFigure(
        payable=not reasons,
        amount=amount if not reasons else None,
        wage=new,
        effective=effective,
        reasons=reasons,
        working=w,
    )


# --- what approvals change ------------------------------------------------------------------


@transaction.atomic
def subscribe(
    *,
    individual: Individual,
    kind: str,
    wage: Decimal,
    start_month: dt.date,
    request=None,
    annual_increase: Decimal = Decimal(0),
    bracket: str = "",
    activity: str = "",
    injury_covered: bool = False,
    reason: str = "",
) -> Subscription:
    """Open a subscription from ``start_month``: its contributions account (opened on first use,
    kept across stops and returns), the declared wage from the first month, and the coverage
    period on the person's record."""
    Individual.objects.select_for_update().filter(pk=individual.pk).first()
    start_month = month_start(start_month)
    if open_subscription(individual, today=start_month) is not None:
        raise ServiceError(_("There is already a subscription running: stop it first."))
    account = account_for_subscriber(individual, kind)
    sub = Subscription.objects.create(
        individual=individual,
        kind=kind,
        account=account,
        request=request,
        bracket=bracket,
        activity=activity[:200],
        injury_covered=injury_covered,
        annual_increase=annual_increase,
        start_month=start_month,
    )
    SubscriptionWage.objects.create(
        subscription=sub, from_month=start_month, wage=money(Decimal(wage)), reason=reason[:100]
    )
    InsurancePeriod.objects.create(
        individual=individual,
        establishment=None,
        coverage=kind,
        start_date=start_month,
        monthly_wage=money(Decimal(wage)),
    )
    return sub


@transaction.atomic
def unsubscribe(*, subscription: Subscription, end_month: dt.date) -> Subscription:
    """Stop the subscription after ``end_month`` (its last month billed); the coverage period
    ends on that month's last day."""
    sub = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if sub.end_month is not None and sub.end_month < month_start(timezone.localdate()):
        raise ServiceError(_("This subscription has already stopped."))
    period = coverage_period(sub)
    sub.end_month = max(month_start(end_month), sub.start_month)
    sub.save(update_fields=["end_month"])
    if period is not None:
        period.end_date = month_end(sub.end_month)
        period.save(update_fields=["end_date"])
    return sub


@transaction.atomic
def set_wage(
    *, subscription: Subscription, from_month: dt.date, wage: Decimal, reason: str
) -> SubscriptionWage:
    """The declared wage from a month on (replacing a row already set for that month); the
    coverage period shows the latest declared wage."""
    row, _created = SubscriptionWage.objects.update_or_create(
        subscription=subscription,
        from_month=month_start(from_month),
        defaults={"wage": money(Decimal(wage)), "reason": reason[:100]},
    )
    period = coverage_period(subscription)
    latest = subscription.wages.order_by("-from_month").first()
    if period is not None and latest is not None and period.monthly_wage != latest.wage:
        period.monthly_wage = latest.wage
        period.save(update_fields=["monthly_wage"])
    return row


@transaction.atomic
def change_annual_increase(
    *, subscription: Subscription, increase: Decimal, on: dt.date, reason: str = ""
) -> SubscriptionWage:
    """The new percentage, and the declared wage it gives from the next January."""
    sub = Subscription.objects.select_for_update().get(pk=subscription.pk)
    sub.annual_increase = increase
    sub.save(update_fields=["annual_increase"])
    figure = increase_figure(subscription=sub, increase=increase, on=on)
    return set_wage(subscription=sub, from_month=figure.effective, wage=figure.wage, reason=reason)


@transaction.atomic
def change_self_wage(
    *,
    subscription: Subscription,
    change: str,
    increase: Decimal | None,
    bracket: str | None,
    on: dt.date,
    reason: str = "",
) -> SubscriptionWage:
    sub = Subscription.objects.select_for_update().get(pk=subscription.pk)
    figure = self_change_figure(
        subscription=sub, change=change, increase=increase, bracket=bracket, on=on
    )
    if not figure.payable:
        raise ServiceError(figure.reasons[0])
    if change == CHANGE_BRACKET:
        sub.bracket = bracket or ""
        sub.save(update_fields=["bracket"])
    return set_wage(subscription=sub, from_month=figure.effective, wage=figure.wage, reason=reason)


def apply_annual_increases(january: dt.date) -> dict:
    """The January rows of the optional subscriptions running in ``january`` that chose an
    annual increase: the December wage × (1 + the percentage), at most ``optional.wage_max``.
    Idempotent (a subscription that has a row for that January keeps it); billing calls it before
    billing a January."""
    january = dt.date(january.year, 1, 1)
    december = month_after(january, -1)
    high = rule("optional.wage_max", on=january).value
    subs = (
        Subscription.objects.filter(
            Q(end_month__isnull=True) | Q(end_month__gte=january),
            kind=OPTIONAL,
            start_month__lt=january,
            annual_increase__gt=0,
        )
        .exclude(wages__from_month=january)
        .prefetch_related("wages")
    )
    rows = []
    for sub in subs:
        current = wage_in_force(sub.wages.all(), december)
        if current is None:
            continue
        rows.append(
            SubscriptionWage(
                subscription=sub,
                from_month=january,
                wage=min(money(current * (ONE + sub.annual_increase)), high),
                reason=_("Annual increase %(p)s") % {"p": percent(sub.annual_increase)},
            )
        )
    made = SubscriptionWage.objects.bulk_create(rows, ignore_conflicts=True)
    return {"month": january.isoformat(), "raised": len(made)}


# --- vehicles and drivers ------------------------------------------------------------------

PLATE = re.compile(r"^\d{1,2}-\d{1,6}$")


def normalise_plate(value: str) -> str:
    """«12-34567» however it is typed: Arabic digits, spaces, a slash or another dash."""
    value = normalise_digits(value or "")
    return re.sub(r"[/\\–—_.]", "-", value)


def vehicle_taken(plate: str, *, individual=None, establishment=None) -> bool:
    """The plate is recorded for another owner than the one asking."""
    vehicle = Vehicle.objects.filter(plate_number=plate).first()
    if vehicle is None:
        return False
    if individual is not None:
        return vehicle.individual_id != individual.pk
    return vehicle.establishment_id != getattr(establishment, "pk", None)


def civil_driver(national_number: str):
    """The driver in the civil registry (Jordanians, by national number), or None."""
    from accounts.models import CivilRecord

    return CivilRecord.objects.filter(
        kind=CivilRecord.Kind.JORDANIAN, number=normalise_digits(national_number)
    ).first()


def driver_on_vehicle(plate: str, national_number: str) -> bool:
    return VehicleDriver.objects.filter(
        vehicle__plate_number=plate, national_number=national_number, end_date__isnull=True
    ).exists()


@transaction.atomic
def add_driver(
    *,
    plate: str,
    vehicle_type: str,
    national_number: str,
    start_date: dt.date,
    individual: Individual | None = None,
    establishment=None,
    request=None,
) -> VehicleDriver:
    """Record the driver on the owner's vehicle (the vehicle is recorded with its first driver).
    Refused when the plate is another owner's, the number is not in the civil registry, or the
    driver is already on the vehicle."""
    if (individual is None) == (establishment is None):
        raise ValueError("a vehicle has one owner: an individual or an establishment")
    plate = normalise_plate(plate)
    vehicle = Vehicle.objects.select_for_update().filter(plate_number=plate).first()
    if vehicle is None:
        try:
            with transaction.atomic():
                vehicle = Vehicle.objects.create(
                    plate_number=plate,
                    vehicle_type=vehicle_type,
                    individual=individual,
                    establishment=establishment,
                )
        except IntegrityError:
            vehicle = Vehicle.objects.select_for_update().get(plate_number=plate)
    owner_ok = (
        vehicle.individual_id == individual.pk
        if individual is not None
        else vehicle.establishment_id == establishment.pk
    )
    if not owner_ok:
        raise ServiceError(_("This vehicle is recorded for another owner."), field="plate_number")
    person = civil_driver(national_number)
    if person is None:
        raise ServiceError(
            _("This national number is not in the civil registry."), field="national_number"
        )
    if vehicle.drivers.filter(national_number=person.number, end_date__isnull=True).exists():
        raise ServiceError(
            _("This driver is already recorded on this vehicle."), field="national_number"
        )
    return VehicleDriver.objects.create(
        vehicle=vehicle,
        national_number=person.number,
        name_ar=person.name_ar,
        start_date=start_date,
        request=request,
    )


def vehicles_of(*, individual=None, establishment=None) -> QuerySet[Vehicle]:
    """The owner's vehicles, each with its current drivers (two queries in all)."""
    qs = Vehicle.objects.all()
    qs = (
        qs.filter(individual=individual)
        if individual is not None
        else qs.filter(establishment=establishment)
    )
    current = VehicleDriver.objects.filter(end_date__isnull=True).order_by("start_date", "id")
    return qs.prefetch_related(Prefetch("drivers", queryset=current, to_attr="current_drivers"))


def vehicle_or_404(pk: int, *, individual=None, establishment=None) -> Vehicle:
    """One of the owner's vehicles; another owner's (or none) is 404."""
    if individual is None and establishment is None:
        raise Http404
    vehicle = vehicles_of(individual=individual, establishment=establishment).filter(pk=pk).first()
    if vehicle is None:
        raise Http404
    return vehicle


def driver_card_context(driver: VehicleDriver, *, today: dt.date) -> dict:
    """What the driver card prints (JSON-safe: it travels to the PDF worker)."""
    vehicle = driver.vehicle
    if vehicle.individual_id:
        owner = vehicle.individual
        owner_name, owner_number = owner.name_ar, owner.identifier
    else:
        owner = vehicle.establishment
        owner_name, owner_number = owner.name, owner.insurance_number
    return {
        "driver_name": driver.name_ar,
        "national_number": driver.national_number,
        "plate_number": vehicle.plate_number,
        "vehicle_type": str(vehicle.get_vehicle_type_display()),
        "owner_name": owner_name,
        "owner_number": owner_number,
        "owner_is_establishment": not vehicle.individual_id,
        "start_date": driver.start_date.isoformat(),
        "as_of": today.isoformat(),
    }


def issue_driver_card(*, driver: VehicleDriver, user):
    """The driver card as a PDF with a verification code (rendered after the commit)."""
    from eservices.documents import document_issue
    from eservices.models import Document

    if driver.end_date is not None:
        raise ServiceError(_("This driver is no longer on the vehicle."))
    today = timezone.localdate()
    context = driver_card_context(driver, today=today)
    # What the public verification page shows, in the Corporation's Arabic wording.
    certifies = {
        "اسم السائق": context["driver_name"],
        "الرقم الوطني": context["national_number"],
        "رقم اللوحة": context["plate_number"],
        "نوع المركبة": context["vehicle_type"],
        "تاريخ بدء العمل على المركبة": context["start_date"],
        "كما في تاريخ": context["as_of"],
    }
    return document_issue(
        owner=user,
        kind=Document.Kind.LETTER,
        title=_("Driver card"),
        template="pdf/driver_card.html",
        context=context,
        certifies=certifies,
        request=driver.request,
    )
