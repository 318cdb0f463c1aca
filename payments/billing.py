"""Monthly contributions and late-payment penalties, posted to the ledger set-based.

``bill_month(month)``: each establishment's contributions of the month from the wage records of the
month (aggregated per establishment in SQL, one GROUP BY), each active optional or self-employed
subscription's contributions from its declared wage in force, posted as one CONTRIBUTION entry per
account under the key ``contrib:YYYY-MM`` (bulk inserts in chunks). Running it again changes
nothing; when the wages of a month changed since, the difference is posted as a CORRECTION under
``contrib:YYYY-MM:rev<N>``. The number of SQL statements does not depend on the number of employees
(see benchmarks/billing.py).

Figures (RULES.md "Contributions"; the rows are read from the rule table for the first day of the
month billed, so a rate from a date applies from the first whole month that starts on or after it):

* insurable wage of a person = min(wage of the month, cap), the cap being ``wage.cap``, or
  ``wage.cap_before_2009`` for a person first covered before 2009-10-15 (a person with an
  insurance period that started before that date; the coverage periods are the record of when a
  person was covered). The wage is not raised to ``wage.minimum``: the wage files refuse a wage
  below it, and a recorded wage is what was paid.
* a programme's relief (ContributionRelief: establishment, month, branch, one person or all of
  them, the employer's and the employee's fraction waived) takes the waived part of the person's
  insurable wage off that branch and share; a person's own relief and an establishment-wide one
  do not add up: the larger applies. ``bill_month(month, establishments=[...])`` bills those
  establishments again after a relief of a month already billed (the difference is a correction).
* per branch (old age, work injury, maternity, unemployment) and share (employer, employee):
  the establishment's total insurable wage of the branch × the rate, rounded half up to the fils
  ONCE, at that level (per branch and share, for the establishment's month). The unemployment
  branch takes only the wage records with the unemployment flag. A branch share with no rule row
  (work injury and maternity have no employee share) is zero.
* the entry = the sum of those rounded figures, employer and employee.
* subscriptions: declared wage × ``optional.rate`` (optional) or ``self.rate`` (self-employed),
  plus declared wage × ``self.injury_rate`` when the activity is covered for work injury; each
  product rounded to the fils, then added.

Programme premiums: the Ri'aya premiums (est.riaya-khcf) of the subscriptions running in the
month, one PREMIUM entry per establishment under ``riaya:YYYY-MM`` (a later change: a PREMIUM
entry of the difference under ``riaya:YYYY-MM:rev<N>``). They are on the bill, and paid oldest
first like every charge, but they are not contributions: no late-payment penalty is charged on
them.

Penalties (RULES.md: due by ``late.due_day`` of the next month; ``late.penalty_monthly`` of the
unpaid amount for each month or part of a month late): see ``post_penalties`` and ``unpaid_by_period``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eservices.dates import add_months, month_key, month_start
from eservices.rules import RuleMissing, RuleValue, money, plain, rule
from individuals.models import InsurancePeriod, WageRecord

from . import ledger
from .models import (
    Account,
    Installment,
    InstallmentPlan,
    LedgerEntry,
    Subscription,
    SubscriptionWage,
)

ZERO = Decimal("0.000")
CHUNK = 2000  # rows per INSERT
# [law] J2: the higher cap is for those first covered before this date (a date in the law, not a
# figure: the figure itself is the rule row wage.cap_before_2009).
OLD_CAP_COVERED_BEFORE = dt.date(2009, 10, 15)
# A daily penalty run looks back this far for a month-late checkpoint it has not posted yet (three
# missed monthly checkpoints); an account still owing is examined whatever its age.
CATCH_UP_DAYS = 93
LOCK_BILLING = 7_200_001
LOCK_PENALTIES = 7_200_002
CHARGE_KINDS = (LedgerEntry.Kind.CONTRIBUTION, LedgerEntry.Kind.CORRECTION)


# --- Dates -----------------------------------------------------------------------------------


class _RuleCache:
    """Rule rows by (key, date), read once per run: the number of queries depends on the number
    of distinct dates (months), never on the number of accounts."""

    def __init__(self) -> None:
        self._rows: dict[tuple[str, dt.date], RuleValue | None] = {}

    def get(self, key: str, on: dt.date) -> RuleValue | None:
        if (key, on) not in self._rows:
            try:
                self._rows[(key, on)] = rule(key, on=on)
            except RuleMissing:
                self._rows[(key, on)] = None
        return self._rows[(key, on)]

    def need(self, key: str, on: dt.date) -> RuleValue:
        row = self.get(key, on)
        if row is None:
            raise RuleMissing(f"{key} @ {on}")
        return row


def due_date_of(month: dt.date, rules: _RuleCache | None = None) -> dt.date:
    """The day a month's contributions are due: ``late.due_day`` of the next month."""
    rules = rules or _RuleCache()
    following = add_months(month_start(month), 1)
    day = int(rules.need("late.due_day", following).value)
    return following.replace(day=min(day, calendar.monthrange(following.year, following.month)[1]))


def next_due_date(day: dt.date | None = None, rules: _RuleCache | None = None) -> dt.date:
    """The first due date on or after ``day`` (today): the due date of a bill re-issued between
    two monthly billings (after a penalty or a staff correction)."""
    day = day or timezone.localdate()
    due = due_date_of(add_months(month_start(day), -1), rules)
    return due if due >= day else due_date_of(month_start(day), rules)


# --- Contributions of a month ----------------------------------------------------------------


@dataclass(frozen=True)
class Branch:
    name: str
    employer_key: str
    employee_key: str
    unemployment_only: bool = False


BRANCHES = (
    Branch("old_age", "contrib.old_age.employer", "contrib.old_age.employee"),
    Branch("injury", "contrib.injury.employer", "contrib.injury.employee"),
    Branch("maternity", "contrib.maternity.employer", "contrib.maternity.employee"),
    Branch(
        "unemployment",
        "contrib.unemployment.employer",
        "contrib.unemployment.employee",
        unemployment_only=True,
    ),
)


@dataclass
class MonthRules:
    """The rule rows of a month billed: rates per branch and share, and the caps."""

    month: dt.date
    rates: dict[str, tuple[RuleValue, RuleValue | None]]
    cap: RuleValue
    cap_before_2009: RuleValue | None

    @classmethod
    def read(cls, month: dt.date, rules: _RuleCache | None = None) -> MonthRules:
        rules = rules or _RuleCache()
        on = month_start(month)
        rates = {
            b.name: (rules.need(b.employer_key, on), rules.get(b.employee_key, on))
            for b in BRANCHES
        }
        return cls(
            month=on,
            rates=rates,
            cap=rules.need("wage.cap", on),
            cap_before_2009=rules.get("wage.cap_before_2009", on),
        )

    @property
    def old_cap(self) -> Decimal:
        return self.cap_before_2009.value if self.cap_before_2009 else self.cap.value

    def rule_ids(self) -> dict[str, int]:
        rows: list[RuleValue | None] = [self.cap, self.cap_before_2009]
        for employer, employee in self.rates.values():
            rows += [employer, employee]
        return {r.key: r.id for r in rows if r is not None}


@dataclass
class Contributions:
    """An establishment's contributions of a month, with their working."""

    insurable: Decimal
    insurable_unemployment: Decimal
    branches: list[dict] = field(default_factory=list)
    employer: Decimal = ZERO
    employee: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.employer + self.employee


def contributions(
    *,
    insurable: Decimal,
    insurable_unemployment: Decimal,
    rules: MonthRules,
    waived: dict[str, tuple[Decimal, Decimal]] | None = None,
) -> Contributions:
    """Branch by branch and share by share: the total insurable wage of the branch × the rate,
    rounded half up to the fils once (for the establishment's month); the shares are the sums of
    those rounded figures. ``waived``: per branch, the insurable wage whose employer and employee
    contributions a programme waives (ContributionRelief), taken off that branch and share's base
    before the rate."""
    waived = waived or {}
    out = Contributions(insurable=insurable, insurable_unemployment=insurable_unemployment)
    for b in BRANCHES:
        base = insurable_unemployment if b.unemployment_only else insurable
        off_employer, off_employee = waived.get(b.name, (ZERO, ZERO))
        employer_base, employee_base = base - off_employer, base - off_employee
        employer_row, employee_row = rules.rates[b.name]
        employer = money(employer_base * employer_row.value)
        employee = money(employee_base * employee_row.value) if employee_row else ZERO
        out.employer += employer
        out.employee += employee
        line = {
            "branch": b.name,
            "base": f"{base:.3f}",
            "employer_rate": plain(employer_row.value),
            "employee_rate": plain(employee_row.value) if employee_row else "0",
            "employer": f"{employer:.3f}",
            "employee": f"{employee:.3f}",
        }
        if off_employer or off_employee:
            line["waived_employer_wage"] = plain(off_employer)
            line["waived_employee_wage"] = plain(off_employee)
        out.branches.append(line)
    return out


def _postgresql() -> bool:
    """PostgreSQL (production, tests, benchmarks) or SQLite (the embedded default of
    scripts/run.sh): the SQL below is the same query on both; only the spelling of a few functions
    differs (see ``_sql``), and PostgreSQL-only settings and locks are skipped on SQLite."""
    return connection.vendor == "postgresql"


def _sql(template: str, **tables: str) -> str:
    """``template`` with its tables (and other fragments) and the vendor's spelling of the scalar
    LEAST/GREATEST (SQLite's scalar min()/max() are the same functions: their arguments here are
    never NULL) and of BOOL_OR (SQLite: MAX of the 0/1 of the condition)."""
    pg = _postgresql()
    return template.format(
        least="LEAST" if pg else "min",
        greatest="GREATEST" if pg else "max",
        bool_or="BOOL_OR" if pg else "MAX",
        **tables,
    )


def _in_list(column: str, param: str) -> str:
    """``column`` is one of the list passed as ``param`` (see ``_list_param``)."""
    if _postgresql():
        return f"{column} = ANY(%({param})s)"
    return f"{column} IN (SELECT value FROM json_each(%({param})s))"  # noqa: S608 - names of ours


def _list_param(values: list[int] | None) -> list[int] | str | None:
    return values if values is None or _postgresql() else json.dumps(values)


def _decimal(value, places: str) -> Decimal:
    """A sum read by raw SQL as a Decimal: PostgreSQL returns numeric as Decimal; SQLite stores
    decimals as floating point, so its sum is brought back to the exact scale of the figure."""
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value)).quantize(Decimal(places))


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _relief_columns() -> tuple[str, str]:
    """The SQL that pivots a month's ContributionRelief rows to one row per (establishment,
    person or everyone) with the waived fraction of each branch and share, and the sums of the
    insurable wage waived per branch and share (the larger of a person's own relief and the
    establishment-wide one applies, never both)."""
    pivot, sums = [], []
    for b in BRANCHES:
        for share, column in (("er", "employer_waived"), ("ee", "employee_waived")):
            name = f"{b.name}_{share}"
            pivot.append(f"MAX({column}) FILTER (WHERE branch = '{b.name}') AS {name}")
            waived = f"insurable * {{greatest}}(COALESCE(ri.{name}, 0), COALESCE(ra.{name}, 0))"
            if b.unemployment_only:
                sums.append(f"COALESCE(SUM({waived}) FILTER (WHERE unemployment), 0)")
            else:
                sums.append(f"COALESCE(SUM({waived}), 0)")
    return ",\n       ".join(pivot), ",\n       ".join(sums)


_PIVOT, _WAIVED = _relief_columns()

ESTABLISHMENT_WAGES_SQL = """
WITH w AS (
    SELECT establishment_id, individual_id, wage, unemployment
    FROM {wage}
    WHERE month = %(month)s AND establishment_id IS NOT NULL AND coverage = %(mandatory)s
          {only}
), early AS (
    SELECT DISTINCT individual_id FROM {period} WHERE start_date < %(covered_before)s
), relief AS (
    SELECT establishment_id, individual_id,
       {pivot}
    FROM {relief} WHERE month = %(month)s
    GROUP BY establishment_id, individual_id
), capped AS (
    SELECT w.establishment_id, w.individual_id, w.unemployment,
           (e.individual_id IS NOT NULL) AS old_cap,
           {least}(w.wage, CASE WHEN e.individual_id IS NULL THEN %(cap)s ELSE %(old_cap)s END)
               AS insurable
    FROM w LEFT JOIN early e ON e.individual_id = w.individual_id
)
SELECT c.establishment_id, COUNT(*), COUNT(*) FILTER (WHERE old_cap), SUM(insurable),
       COALESCE(SUM(insurable) FILTER (WHERE unemployment), 0),
       COUNT(*) FILTER (WHERE ri.establishment_id IS NOT NULL OR ra.establishment_id IS NOT NULL),
       {waived}
FROM capped c
LEFT JOIN relief ri
       ON ri.establishment_id = c.establishment_id AND ri.individual_id = c.individual_id
LEFT JOIN relief ra
       ON ra.establishment_id = c.establishment_id AND ra.individual_id IS NULL
GROUP BY c.establishment_id
ORDER BY c.establishment_id
"""

SUBSCRIPTIONS_SQL = """
SELECT DISTINCT ON (s.account_id)
       s.account_id, s.id, s.kind, s.injury_covered, sw.id, sw.wage, sw.from_month
FROM {subscription} s
JOIN LATERAL (
    SELECT w.id, w.wage, w.from_month FROM {swage} w
    WHERE w.subscription_id = s.id AND w.from_month < %(next)s
    ORDER BY w.from_month DESC LIMIT 1
) sw ON TRUE
WHERE s.start_month < %(next)s AND (s.end_month IS NULL OR s.end_month >= %(month)s)
ORDER BY s.account_id, s.start_month DESC, s.id DESC
"""

# The same rows on SQLite, which has neither DISTINCT ON nor LATERAL: the wage row in force is the
# one of the latest month before the next (one per month: wage_row_once), and the subscription
# kept for an account the first by the same order.
SUBSCRIPTIONS_SQL_SQLITE = """
SELECT account_id, sub_id, kind, injury_covered, wage_id, wage, from_month FROM (
    SELECT s.account_id, s.id AS sub_id, s.kind, s.injury_covered,
           sw.id AS wage_id, sw.wage, sw.from_month,
           ROW_NUMBER() OVER (
               PARTITION BY s.account_id ORDER BY s.start_month DESC, s.id DESC
           ) AS n
    FROM {subscription} s
    JOIN {swage} sw ON sw.subscription_id = s.id AND sw.from_month = (
        SELECT MAX(w.from_month) FROM {swage} w
        WHERE w.subscription_id = s.id AND w.from_month < %(next)s
    )
    WHERE s.start_month < %(next)s AND (s.end_month IS NULL OR s.end_month >= %(month)s)
) AS t
WHERE n = 1
ORDER BY account_id
"""


def _establishment_accounts(establishment_ids: list[int]) -> dict[int, int]:
    """Establishment id → its account id, opening the missing accounts in bulk (numbered as
    ledger.account_for_establishment numbers them)."""
    from establishments.models import Establishment

    found = dict(
        Account.objects.filter(
            kind=Account.Kind.ESTABLISHMENT, establishment_id__in=establishment_ids
        ).values_list("establishment_id", "pk")
    )
    missing = [pk for pk in establishment_ids if pk not in found]
    if missing:
        prefix = ledger.PREFIX[Account.Kind.ESTABLISHMENT]
        Account.objects.bulk_create(
            [
                Account(
                    kind=Account.Kind.ESTABLISHMENT,
                    establishment_id=pk,
                    number=prefix + str(number).zfill(8),
                )
                for pk, number in Establishment.objects.filter(pk__in=missing).values_list(
                    "pk", "insurance_number"
                )
            ],
            batch_size=CHUNK,
            ignore_conflicts=True,
        )
        found.update(
            Account.objects.filter(
                kind=Account.Kind.ESTABLISHMENT, establishment_id__in=missing
            ).values_list("establishment_id", "pk")
        )
    return found


def _posted_for_month(key: str, month: dt.date) -> dict[int, tuple[Decimal, int]]:
    """Account id → (sum already posted by the billing for the month, last revision number)."""
    posted: dict[int, tuple[Decimal, int]] = {}
    rows = LedgerEntry.objects.filter(period=month, key__startswith=key).values_list(
        "account_id", "key", "amount"
    )
    for account_id, k, amount in rows:
        if k != key and not k.startswith(key + ":rev"):
            continue
        total, rev = posted.get(account_id, (ZERO, 0))
        if k != key:
            rev = max(rev, int(k.rsplit(":rev", 1)[1]))
        posted[account_id] = (total + amount, rev)
    return posted


def _subscription_figure(
    *, kind: str, injury_covered: bool, wage: Decimal, on: dt.date, rules: _RuleCache
) -> tuple[Decimal, list[dict], dict[str, int]]:
    parts: list[tuple[RuleValue, Decimal]] = []
    if kind == Subscription.Kind.OPTIONAL:
        row = rules.need("optional.rate", on)
        parts.append((row, money(wage * row.value)))
    else:
        row = rules.need("self.rate", on)
        parts.append((row, money(wage * row.value)))
        if injury_covered:
            row = rules.need("self.injury_rate", on)
            parts.append((row, money(wage * row.value)))
    lines = [
        {"rule": r.key, "rate": plain(r.value), "amount": f"{amount:.3f}"} for r, amount in parts
    ]
    return sum((a for _r, a in parts), ZERO), lines, {r.key: r.id for r, _a in parts}


def _lock(*keys: int) -> None:
    """One run at a time (per month for the billing): a transaction-level advisory lock. SQLite
    has none and needs none: it lets one writer at a time."""
    if not _postgresql():
        return
    with connection.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s, %s)", list(keys))


def _no_jit() -> None:
    """The aggregation over every wage record of the month has a large estimated cost, for which
    PostgreSQL would compile the query with LLVM first: seconds of compiling for a query that runs
    once. Off for this transaction only (PostgreSQL only: SQLite has no JIT)."""
    if not _postgresql():
        return
    with connection.cursor() as cur:
        cur.execute("SET LOCAL jit = off")


def bill_month(
    month: dt.date,
    *,
    posted_on: dt.date | None = None,
    establishments: Iterable[int] | None = None,
) -> dict:
    """Post the contributions of ``month`` (any day of it) for every establishment with wage
    records of the month and every subscription active in it; refresh the bills of the accounts
    posted to. Idempotent: a second run posts nothing; a change of wages (or of a programme's
    relief) since posts the difference as a correction. ``establishments`` (ids): bill only these
    establishments again, and no subscription (after a relief is approved for past months).
    Returns a summary."""
    from .models import ContributionRelief

    month = month_start(month)
    posted_on = posted_on or timezone.localdate()
    key = f"contrib:{month_key(month)}"
    rules = _RuleCache()
    only = sorted(set(establishments)) if establishments is not None else None
    with transaction.atomic():
        _lock(LOCK_BILLING, month.year * 100 + month.month)
        _no_jit()
        target: dict[int, tuple[Decimal, dict]] = {}  # account id → (amount, details)

        # 1. Establishments: the wages of the month aggregated per establishment, in SQL.
        month_rules = MonthRules.read(month, rules)
        rule_ids = month_rules.rule_ids()
        with connection.cursor() as cur:
            cur.execute(
                _sql(
                    ESTABLISHMENT_WAGES_SQL,
                    wage=WageRecord._meta.db_table,
                    period=InsurancePeriod._meta.db_table,
                    relief=ContributionRelief._meta.db_table,
                    pivot=_PIVOT,  # columns made from BRANCHES, constants of this module
                    waived=_sql(_WAIVED),
                    only=f"AND {_in_list('establishment_id', 'only')}" if only is not None else "",
                ),
                {
                    "month": month,
                    "mandatory": "mandatory",
                    "covered_before": OLD_CAP_COVERED_BEFORE,
                    "cap": month_rules.cap.value,
                    "old_cap": month_rules.old_cap,
                    "only": _list_param(only),
                },
            )
            wage_rows = cur.fetchall()
        if not _postgresql():  # exact Decimals (SQLite sums floating point): see _decimal
            wage_rows = [
                (
                    *r[:3],
                    _decimal(r[3], "0.001"),
                    _decimal(r[4], "0.001"),
                    r[5],
                    *(_decimal(v, "0.0000001") for v in r[6:]),
                )
                for r in wage_rows
            ]
        accounts = _establishment_accounts([r[0] for r in wage_rows])
        for row in wage_rows:
            est_id, employees, old_cap_employees, insurable, insurable_unemployment, relieved = row[
                :6
            ]
            waived_sums = iter(row[6:])
            waived = {b.name: (next(waived_sums), next(waived_sums)) for b in BRANCHES}
            figure = contributions(
                insurable=insurable,
                insurable_unemployment=insurable_unemployment,
                rules=month_rules,
                waived=waived,
            )
            details = {
                "month": month_key(month),
                "employees": employees,
                "employees_old_cap": old_cap_employees,
                "insurable_wages": f"{insurable:.3f}",
                "insurable_wages_unemployment": f"{insurable_unemployment:.3f}",
                "cap": plain(month_rules.cap.value),
                "cap_before_2009": plain(month_rules.old_cap),
                "branches": figure.branches,
                "employer": f"{figure.employer:.3f}",
                "employee": f"{figure.employee:.3f}",
                "total": f"{figure.total:.3f}",
                "rounding": "per branch and share, on the establishment's month",
                "rules": rule_ids,
                "rule_ids": sorted(rule_ids.values()),
            }
            if relieved:
                details["employees_relieved"] = relieved
            target[accounts[est_id]] = (figure.total, details)
        establishment_count = len(wage_rows)

        # 2. Optional and self-employed subscriptions active in the month.
        sub_rows: list[tuple] = []
        if only is None:
            with connection.cursor() as cur:
                cur.execute(
                    (SUBSCRIPTIONS_SQL if _postgresql() else SUBSCRIPTIONS_SQL_SQLITE).format(
                        subscription=Subscription._meta.db_table,
                        swage=SubscriptionWage._meta.db_table,
                    ),
                    {"month": month, "next": add_months(month, 1)},
                )
                sub_rows = cur.fetchall()
            if not _postgresql():  # SQLite: decimals as floating point, dates as text
                sub_rows = [
                    (*r[:3], bool(r[3]), r[4], _decimal(r[5], "0.001"), _as_date(r[6]))
                    for r in sub_rows
                ]
        for account_id, sub_id, kind, injury, wage_id, wage, from_month in sub_rows:
            amount, lines, ids = _subscription_figure(
                kind=kind, injury_covered=injury, wage=wage, on=month, rules=rules
            )
            target[account_id] = (
                amount,
                {
                    "month": month_key(month),
                    "subscription": sub_id,
                    "declared_wage": f"{wage:.3f}",
                    "declared_wage_row": wage_id,
                    "declared_from": from_month.isoformat(),
                    "injury_covered": injury,
                    "parts": lines,
                    "total": f"{amount:.3f}",
                    "rules": ids,
                    "rule_ids": sorted(ids.values()),
                },
            )

        # 3. Compare with what was posted for the month; post the new entries and differences.
        only_accounts = None
        if only is not None:  # only these establishments' accounts (with or without wages now)
            only_accounts = set(
                Account.objects.filter(
                    kind=Account.Kind.ESTABLISHMENT, establishment_id__in=only
                ).values_list("pk", flat=True)
            )
        K = LedgerEntry.Kind
        contrib = _post_month(
            month,
            key=key,
            target=target,
            only_accounts=only_accounts,
            kinds=(K.CONTRIBUTION, K.CORRECTION),
            memos=(
                _("Contributions of %(month)s") % {"month": month_key(month)},
                _("Correction of the contributions of %(month)s") % {"month": month_key(month)},
            ),
            posted_on=posted_on,
        )
        # The programmes' premiums of the month (Ri'aya), per establishment.
        premiums = _post_month(
            month,
            key=f"riaya:{month_key(month)}",
            target=_riaya_premiums(month, only),
            only_accounts=only_accounts,
            kinds=(K.PREMIUM, K.PREMIUM),
            memos=(
                _("Ri'aya premiums of %(month)s") % {"month": month_key(month)},
                _("Correction of the Ri'aya premiums of %(month)s") % {"month": month_key(month)},
            ),
            posted_on=posted_on,
        )
        entries = contrib.entries + premiums.entries
        corrections = contrib.corrections

        # 4. The bills of the accounts that changed: one open bill each, due on the month's due
        # date (a month billed after it, or billed again: the next due date from the billing).
        bills = ledger.refresh_contributions_bills(
            {e.account_id for e in entries},
            due_date=max(due_date_of(month, rules), next_due_date(posted_on, rules)),
        )
    return {
        "month": month_key(month),
        "establishments": establishment_count,
        "subscriptions": len(sub_rows),
        "posted": len(contrib.entries) - corrections,
        "corrections": corrections,
        "unchanged": contrib.unchanged,
        "amount": f"{contrib.charged:.3f}",
        "premiums": len(premiums.entries),
        "premiums_amount": f"{premiums.charged:.3f}",
        "bills": bills,
    }


@dataclass
class _Posted:
    entries: list[LedgerEntry]
    corrections: int
    unchanged: int
    charged: Decimal


def _post_month(
    month: dt.date,
    *,
    key: str,
    target: dict[int, tuple[Decimal, dict]],
    only_accounts: set[int] | None,
    kinds: tuple[str, str],
    memos: tuple[str, str],
    posted_on: dt.date,
) -> _Posted:
    """Post what each account owes for ``month`` under ``key`` (``target``: account id →
    (amount, details)): a first entry of kind ``kinds[0]``, or, when something was posted under
    the key before, the difference as ``kinds[1]`` under ``key:rev<N>`` (nothing if none).
    ``only_accounts``: compare only these accounts with what was posted."""
    posted = _posted_for_month(key, month)
    if only_accounts is not None:
        posted = {pk: v for pk, v in posted.items() if pk in only_accounts}
    out = _Posted([], 0, 0, ZERO)
    for account_id in sorted(set(target) | set(posted)):
        amount, details = target.get(account_id, (ZERO, {"month": month_key(month)}))
        before, rev = posted.get(account_id, (None, 0))
        if before is None:
            if amount == 0:
                continue
            out.entries.append(
                LedgerEntry(
                    account_id=account_id,
                    kind=kinds[0],
                    key=key,
                    amount=amount,
                    period=month,
                    posted_on=posted_on,
                    memo=memos[0],
                    details=details,
                )
            )
            out.charged += amount
            continue
        difference = amount - before
        if difference == 0:
            out.unchanged += 1
            continue
        out.entries.append(
            LedgerEntry(
                account_id=account_id,
                kind=kinds[1],
                key=f"{key}:rev{rev + 1}",
                amount=difference,
                period=month,
                posted_on=posted_on,
                memo=memos[1],
                details={**details, "previously_charged": f"{before:.3f}"},
            )
        )
        out.corrections += 1
        out.charged += difference
    LedgerEntry.objects.bulk_create(out.entries, batch_size=CHUNK, ignore_conflicts=True)
    return out


def _riaya_premiums(month: dt.date, only: list[int] | None) -> dict[int, tuple[Decimal, dict]]:
    """Account id → (the Ri'aya premiums of the subscriptions running in ``month``, details), per
    establishment: one GROUP BY."""
    from django.db.models import Count, Q, Sum

    from establishments.programmes.models import RiayaSubscription

    running = RiayaSubscription.objects.filter(first_month__lte=month).filter(
        Q(end_month__isnull=True) | Q(end_month__gte=month)
    )
    if only is not None:
        running = running.filter(establishment_id__in=only)
    rows = list(
        running.values("establishment_id")
        .annotate(total=Sum("monthly_premium"), people=Count("id"))
        .values_list("establishment_id", "total", "people")
        .order_by("establishment_id")
    )
    accounts = _establishment_accounts([est for est, _t, _n in rows])
    return {
        accounts[est]: (
            _decimal(total, "0.001") if not _postgresql() else total,
            {
                "month": month_key(month),
                "programme": "est.riaya-khcf",
                "subscriptions": people,
                "total": f"{total:.3f}",
            },
        )
        for est, total, people in rows
    }


# --- Late-payment penalties ------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """What the penalty calculation needs of a ledger entry."""

    id: int
    kind: str
    period: dt.date | None
    posted_on: dt.date
    amount: Decimal
    key: str = ""


def unpaid_by_period(
    lines: Iterable[Line],
    *,
    as_of: dt.date,
    due_of: Callable[[dt.date], dt.date],
    extra_credit: Decimal = ZERO,
) -> dict[dt.date, Decimal]:
    """The unpaid part of each month's contributions at the end of ``as_of`` (FIFO).

    Only the entries posted on or before ``as_of`` count. The contributions of a month are the net
    of its CONTRIBUTION and CORRECTION entries (a correction of a month changes that month's
    charge), due on the month's due date. Every other positive entry (a penalty, a correction of no
    month) is a charge due on the day it was posted. Every negative entry (payments, exemptions,
    credits) and a month whose net is negative make one pool of credit, together with
    ``extra_credit`` (the part of the debt moved into an instalment plan), which pays the charges
    oldest first — by due date, a month's contributions before a penalty of the same day.
    """
    nets: dict[dt.date, Decimal] = {}
    items: list[tuple[dt.date, int, int, Decimal, dt.date | None]] = []
    credit = extra_credit
    for line in lines:
        if line.posted_on > as_of:
            continue
        if line.kind in CHARGE_KINDS and line.period is not None:
            nets[line.period] = nets.get(line.period, ZERO) + line.amount
        elif line.amount > 0:
            items.append((line.posted_on, 1, line.id, line.amount, None))
        else:
            credit -= line.amount
    for period, net in nets.items():
        if net > 0:
            items.append((due_of(period), 0, period.toordinal(), net, period))
        else:
            credit -= net
    unpaid: dict[dt.date, Decimal] = {}
    for _due, _order, _ref, amount, period in sorted(items, key=lambda i: i[:3]):
        paid = min(credit, amount)
        credit -= paid
        if period is not None:
            unpaid[period] = amount - paid
    return unpaid


CANDIDATES_SQL = """
SELECT account_id FROM {entry}
GROUP BY account_id
HAVING COALESCE(SUM(amount) FILTER (WHERE posted_on <= %(since)s), 0) > 0
    OR {bool_or}(amount > 0 AND posted_on > %(since)s AND posted_on < %(day)s)
"""


def post_penalties(day: dt.date, *, catch_up_days: int = CATCH_UP_DAYS) -> dict:
    """Post the late-payment penalties that became due by ``day``.

    For a month M due on D (``late.due_day`` of M+1), the n-th month late starts the day after
    D + (n−1) months; on that day the n-th penalty is ``late.penalty_monthly`` (the row in force
    that day) × the unpaid part of M's contributions at the end of D + (n−1) months (see
    ``unpaid_by_period``), rounded half up to the fils, posted under ``penalty:YYYY-MM:n`` — once:
    the key makes a second run (or a run of another day) post nothing again. Penalties are not
    charged on penalties. Every account kind is charged (establishments and subscribers).

    The checkpoints examined are those of the last ``catch_up_days`` days before ``day``, for the
    accounts that owed something at its start or were charged since (an account that never owed
    anything in the window owes no penalty in it)."""
    since = day - dt.timedelta(days=catch_up_days)
    rules = _RuleCache()
    due_cache: dict[dt.date, dt.date] = {}

    def due_of(period: dt.date) -> dt.date:
        if period not in due_cache:
            due_cache[period] = due_date_of(period, rules)
        return due_cache[period]

    with transaction.atomic():
        _lock(LOCK_PENALTIES, 0)
        _no_jit()
        with connection.cursor() as cur:
            cur.execute(
                _sql(CANDIDATES_SQL, entry=LedgerEntry._meta.db_table),
                {"since": since, "day": day},
            )
            candidates = [r[0] for r in cur.fetchall()]
        # Debt moved into an active instalment plan is not late: a credit from the plan's date.
        plans: dict[int, list[tuple[dt.date, Decimal]]] = {}
        for account_id, created_at, amount in Installment.objects.filter(
            plan__account_id__in=candidates,
            plan__status=InstallmentPlan.Status.ACTIVE,
            status=Installment.Status.DUE,
        ).values_list("plan__account_id", "plan__created_at", "amount"):
            plans.setdefault(account_id, []).append((timezone.localdate(created_at), amount))

        new: list[LedgerEntry] = []
        accounts = 0

        def examine(account_id: int, lines: list[Line]) -> None:
            posted_keys = {ln.key for ln in lines if ln.kind == LedgerEntry.Kind.PENALTY}
            periods = {ln.period for ln in lines if ln.kind in CHARGE_KINDS and ln.period}
            checkpoints: dict[dt.date, list[tuple[dt.date, int]]] = {}
            for period in periods:
                due = due_of(period)
                n = 1
                while (t := add_months(due, n - 1)) < day:
                    if t >= since and f"penalty:{month_key(period)}:{n}" not in posted_keys:
                        checkpoints.setdefault(t, []).append((period, n))
                    n += 1
            for t in sorted(checkpoints):
                extra = sum((a for d, a in plans.get(account_id, []) if d <= t), ZERO)
                unpaid = unpaid_by_period(lines, as_of=t, due_of=due_of, extra_credit=extra)
                charged_on = t + dt.timedelta(days=1)
                rate = rules.need("late.penalty_monthly", charged_on)
                for period, n in checkpoints[t]:
                    base = unpaid.get(period, ZERO)
                    amount = money(base * rate.value)
                    if amount <= 0:
                        continue
                    due_day = rules.need("late.due_day", add_months(period, 1))
                    new.append(
                        LedgerEntry(
                            account_id=account_id,
                            kind=LedgerEntry.Kind.PENALTY,
                            key=f"penalty:{month_key(period)}:{n}",
                            amount=amount,
                            period=period,
                            posted_on=day,
                            memo=_("Late-payment penalty on %(month)s, month %(n)s late")
                            % {"month": month_key(period), "n": n},
                            details={
                                "month": month_key(period),
                                "month_late": n,
                                "due_date": due_of(period).isoformat(),
                                "unpaid_at": t.isoformat(),
                                "unpaid": f"{base:.3f}",
                                "rate": plain(rate.value),
                                "rules": {rate.key: rate.id, due_day.key: due_day.id},
                                "rule_ids": sorted({rate.id, due_day.id}),
                            },
                        )
                    )

        current: int | None = None
        lines: list[Line] = []
        rows = (
            LedgerEntry.objects.filter(account_id__in=candidates)
            .order_by("account_id", "posted_on", "id")
            .values_list("account_id", "id", "kind", "period", "posted_on", "amount", "key")
            .iterator(chunk_size=5000)
        )
        for account_id, pk, kind, period, posted, amount, key in rows:
            if account_id != current:
                if current is not None:
                    examine(current, lines)
                    accounts += 1
                current, lines = account_id, []
            lines.append(Line(pk, kind, period, posted, amount, key))
        if current is not None:
            examine(current, lines)
            accounts += 1

        LedgerEntry.objects.bulk_create(new, batch_size=CHUNK, ignore_conflicts=True)
        # The bill now including the penalties is due on the next due date (that day or later).
        bills = ledger.refresh_contributions_bills(
            {e.account_id for e in new}, due_date=next_due_date(day, rules)
        )
    return {
        "day": day.isoformat(),
        "accounts_examined": accounts,
        "penalties": len(new),
        "amount": f"{sum((e.amount for e in new), ZERO):.3f}",
        "bills": bills,
    }
