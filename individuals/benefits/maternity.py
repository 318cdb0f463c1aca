"""Maternity allowance (mat.allowance): who may have it, and how much.

RULES.md: eligible with ``maternity.min_contributions`` contributions in the
``maternity.window_months`` months before the birth; amount = last insured wage ÷ 30 ×
``maternity.leave_days``, paid once after the birth, rounded half up to the fils at the end.
The window is the months before the month of the birth (the birth month itself is not counted).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from eservices.dates import month_after, month_start
from eservices.rules import Figure, Working, money, plain


@dataclass
class MaternityFigure(Figure):
    """The maternity allowance: the engine's figure as it is."""


def window(birth_date: dt.date, months: int) -> tuple[dt.date, dt.date]:
    """First and last month (first days) of the window before the month of the birth."""
    first = month_after(month_start(birth_date), -months)
    last = month_after(month_start(birth_date), -1)
    return first, last


def maternity_allowance(
    *,
    birth_date: dt.date,
    last_insured_wage: Decimal | None,
    contribution_months: list[dt.date],
    is_woman: bool = True,
) -> MaternityFigure:
    """The allowance from explicit inputs (the API and the service page both call this).

    ``contribution_months`` are the months (any day) with a contribution; only those in the window
    count. ``last_insured_wage`` is the wage of the last contribution month before the birth.
    """
    w = Working()
    needed = int(w.use("maternity.min_contributions", on=birth_date))
    span = int(w.use("maternity.window_months", on=birth_date))
    days = w.use("maternity.leave_days", on=birth_date)
    first, last = window(birth_date, span)
    counted = len({month_start(m) for m in contribution_months if first <= month_start(m) <= last})
    w.line(
        _("Contributions from %(first)s to %(last)s")
        % {"first": first.strftime("%Y-%m"), "last": last.strftime("%Y-%m")},
        counted,
        f"≥ {needed}",
    )
    reasons: list[str] = []
    if not is_woman:
        reasons.append(_("The maternity allowance is paid to an insured woman."))
    if counted < needed:
        reasons.append(
            _(
                "%(needed)s contributions are needed in the %(span)s months before the birth; "
                "the record has %(counted)s."
            )
            % {"needed": needed, "span": span, "counted": counted}
        )
    if last_insured_wage is None or last_insured_wage <= 0:
        reasons.append(_("There is no insured wage before the birth."))
    if reasons:
        return MaternityFigure(payable=False, amount=None, reasons=reasons, working=w)
    wage = Decimal(last_insured_wage)
    amount = money(wage / Decimal(30) * days)
    w.line(_("Last insured wage (JD)"), f"{wage:.3f}")
    w.line(_("Paid leave days"), plain(days))
    w.line(
        _("Allowance = last wage ÷ 30 × days (JD)"),
        f"{amount:.3f}",
        f"{wage:.3f} ÷ 30 × {plain(days)}",
    )
    return MaternityFigure(payable=True, amount=amount, working=w)


def maternity_for_person(individual, birth_date: dt.date) -> MaternityFigure:
    """The allowance from the person's insurance record."""
    from individuals.models import WageRecord

    first, _last = window(birth_date, 24)
    rows = list(
        WageRecord.objects.filter(
            individual=individual, month__gte=first, month__lt=month_start(birth_date)
        )
        .order_by("month")
        .values_list("month", "wage")
    )
    months = [m for m, _w in rows]
    last_wage = rows[-1][1] if rows else None
    return maternity_allowance(
        birth_date=birth_date,
        last_insured_wage=last_wage,
        contribution_months=months,
        is_woman=individual.sex == "F",
    )
