"""Calendar arithmetic shared by every app: months (the unit of contributions, benefits and
bills) and ages. One definition of each, so that a month means the same everywhere."""

from __future__ import annotations

import calendar
import datetime as dt


def month_start(day: dt.date) -> dt.date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def add_months(day: dt.date, n: int) -> dt.date:
    """The same day ``n`` months later (or earlier), on the month's last day when it is shorter:
    a due date, an instalment's date. For a first day, the first day of that month."""
    y, m = divmod(day.year * 12 + day.month - 1 + n, 12)
    return dt.date(y, m + 1, min(day.day, calendar.monthrange(y, m + 1)[1]))


def month_after(day: dt.date, n: int) -> dt.date:
    """The first day of the month ``n`` months after (or before) ``day``'s month."""
    return add_months(month_start(day), n)


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    return month_after(day, 1) - dt.timedelta(days=1)


def month_key(month: dt.date) -> str:
    return f"{month:%Y-%m}"


def month_count(first: dt.date, later: dt.date) -> int:
    """How many months ``later``'s month is after ``first``'s (0 for the same month)."""
    return (later.year - first.year) * 12 + later.month - first.month


def months_from(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of the months from ``first``'s to ``last``'s, both included."""
    out, m = [], month_start(first)
    while m <= last:
        out.append(m)
        m = month_after(m, 1)
    return out


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed years of age on ``day``."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
