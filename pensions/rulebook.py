"""The rule rows in force on one date, fetched in one query.

A pension calculation reads some twenty rule rows; ``eservices.rules.Working.use`` would ask the
database for each. A ``RuleBook`` asks once for all the rows of the keys it may need (PostgreSQL's
DISTINCT ON keeps the newest row of each key in force on the date), and records each row it is
asked for in the figure's ``Working`` exactly as ``Working.use`` does, so the page, the PDF and the
API show the same rule rows with the same flags.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from eservices.rules import RuleMissing, RuleValue, Working

COLUMNS = ("id", "key", "value", "effective_from", "is_default", "source")
COLUMNS += ("description_ar", "description_en")


def _value(row) -> RuleValue:
    return RuleValue(*row)


def _rows(keys: list[str], until: dt.date, *, newest: bool):
    """The rows of ``keys`` in force by ``until``: the newest of each key, or all of them oldest
    first. Plain SQL: this is the calculators' hot path, and the ORM's building of the query and of
    model instances cost ten times the query itself (benchmarks/pension_calculator.py). On SQLite
    (the embedded default of scripts/run.sh, which has neither DISTINCT ON nor arrays and stores
    decimals as floating point) the same rows through the ORM."""
    from django.db import connection

    from eservices.models import Rule

    if connection.vendor != "postgresql":
        rows = list(
            Rule.objects.filter(key__in=keys, effective_from__lte=until)
            .order_by("key", "effective_from")
            .values_list(*COLUMNS)
        )
        if newest:  # the last row of each key, as DISTINCT ON keeps it
            rows = list({r[1]: r for r in rows}.values())
        return rows

    head = "SELECT DISTINCT ON (key) " if newest else "SELECT "
    order = "key, effective_from DESC" if newest else "key, effective_from"
    sql = (
        f"{head}{', '.join(COLUMNS)} FROM {Rule._meta.db_table} "  # noqa: S608 - no user input
        f"WHERE key = ANY(%s) AND effective_from <= %s ORDER BY {order}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [keys, until])
        return cursor.fetchall()


class RuleBook:
    def __init__(self, on: dt.date, keys: Iterable[str], *, rows: dict | None = None):
        self.on = on
        if rows is None:
            rows = {r[1]: _value(r) for r in _rows(list(keys), on, newest=True)}
        self.rows: dict[str, RuleValue] = rows

    @classmethod
    def for_dates(cls, dates: Iterable[dt.date], keys: Iterable[str]) -> dict[dt.date, RuleBook]:
        """A book for each date, from one query (every row of the keys up to the last date)."""
        dates = sorted(set(dates))
        if not dates:
            return {}
        history: dict[str, list[RuleValue]] = {}
        for r in _rows(list(keys), dates[-1], newest=False):
            history.setdefault(r[1], []).append(_value(r))
        books = {}
        for d in dates:
            rows = {}
            for key, versions in history.items():
                in_force = [v for v in versions if v.effective_from <= d]
                if in_force:
                    rows[key] = in_force[-1]
            books[d] = cls(d, (), rows=rows)
        return books

    def row(self, key: str) -> RuleValue:
        try:
            return self.rows[key]
        except KeyError:
            raise RuleMissing(f"{key} @ {self.on}") from None

    def use(self, w: Working, key: str) -> Decimal:
        """The value of ``key``, recorded in ``w`` as a rule row the figure used."""
        r = self.row(key)
        w.rules[key] = r
        return r.value
