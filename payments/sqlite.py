"""Exact sums of money on SQLite, the embedded database of ``scripts/run.sh``.

SQLite stores a DecimalField as floating point and its SUM adds floating point: a month paid in full
then leaves 2.3e-13 owing, for which a bill is issued, and Django does not round an aggregate back
to the field's places. On SQLite connections (only) SUM is replaced by an exact decimal sum of the
stored values (each stored value read back as the decimal it was written as). PostgreSQL's numeric
is exact already: nothing changes there.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db.backends.signals import connection_created


class ExactSum:
    """SQL SUM (an aggregate and a window function) in decimal arithmetic: NULL for no value, an
    integer while every value is one, else the exact sum as a float (which Django's decimal
    converter reads back with 15 significant digits: exactly, for money)."""

    def __init__(self) -> None:
        self.total: int | Decimal = 0
        self.count = 0  # values not NULL in the sum

    @staticmethod
    def _number(value) -> int | Decimal:
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            return Decimal(repr(value))
        try:
            return Decimal(value.decode() if isinstance(value, bytes) else value)
        except (InvalidOperation, ValueError, AttributeError):
            return 0  # as SQLite's sum() reads text that is not a number

    def step(self, value) -> None:
        if value is not None:
            self.total += self._number(value)
            self.count += 1

    def inverse(self, value) -> None:
        if value is not None:
            self.total -= self._number(value)
            self.count -= 1

    def value(self):
        if not self.count:
            return None
        if isinstance(self.total, int):
            return self.total
        return float(self.total)

    def finalize(self):
        return self.value()


def exact_sums(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_window_function("SUM", 1, ExactSum)


def install() -> None:
    connection_created.connect(exact_sums, dispatch_uid="payments.sqlite.exact_sums")
