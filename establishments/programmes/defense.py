"""The establishments' defense-order programmes (خدمات أوامر الدفاع) on the e-service engine.

Wage support, paid for each worker and month chosen (FACTS.md A10):
- edef.tadamon-temp-stop — Tadamon 1: the workers are stopped temporarily for the months chosen
  (no contributions are billed for them those months) and receive 50% of their wage, at least
  JD 165 and at most JD 500 a month.
- edef.istidama-unauthorized / edef.istidama-recovery — Istidama: a share of the wage (50% for
  sectors not authorised to operate, 37.5% for hard-hit sectors; later 60% of at most JD 800).
- edef.himaya — modified Himaya: the same cover for tourism and transport, to June 2022.
- edef.tadamon2 — Tadamon 2: JD 150 for each worker of an establishment covered under 12 months.

Old-age coverage (a ContributionRelief for exactly the months and employees approved):
- edef.suspend-old-age-3-5 — the old-age branch suspended for March, April and May (2020).
- edef.partial-old-age — the old-age branch suspended, or partly waived, for the months chosen.

- edef.recall — workers on a Tadamon temporary stop called back from a month: their remaining
  months stop (payments not yet made are stopped, their contributions are billed again).

Programmes pay into the establishment's account given in the form; each worker's month is a
``ProgrammeLine`` tied to its own payment, so that the establishment sees what each worker gets
and a recall stops exactly those months.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.exceptions import ServiceError
from eservices.declarations import DocumentSpec, RequestService, register
from eservices.models import ServiceRequest
from eservices.rules import Working, money, plain
from establishments.registration import ACTIVITIES

from .common import (
    BANKS,
    SCOPE_ALL,
    SCOPE_CHOSEN,
    SCOPES,
    IbanField,
    Line,
    ListField,
    ProgrammeFigure,
    covered_months,
    create_reliefs,
    employee_choices,
    establishment,
    figure_text,
    locked_establishment,
    month_choices,
    month_label,
    officer_eligibility,
    open_months,
    parse_month,
    pay_lines,
    people_by_identifier,
    percent_text,
    rebill_billed_months,
    split,
    wages_for,
)
from .models import ProgrammeLine

OLD_AGE = "old_age"
ALL_BRANCHES = ("old_age", "injury", "maternity", "unemployment")
# Programmes that pay part of a worker's wage for a month: a worker's month is paid by one only.
WAGE_SUPPORT = (
    "edef.tadamon-temp-stop",
    "edef.istidama-unauthorized",
    "edef.istidama-recovery",
    "edef.himaya",
)


def _window_eligibility(key: str) -> Callable:
    def eligibility(user, today: dt.date) -> list[str]:
        reasons = officer_eligibility(user, today)
        if reasons:
            return reasons
        if not open_months(key, until=today):
            return [_("The programme is not open for any month.")]
        return []

    return eligibility


def _names(people) -> str:
    return "، ".join(f"{p.name_ar} ({p.identifier})" for p in people)


# --- the form of a programme for employees and months --------------------------------------------


class EmployeesMonthsForm(forms.Form):
    """Employees of the establishment and months the programme is open for. Every chosen
    employee must have been covered by the establishment in every chosen month."""

    window_key = ""
    allow_all = False  # "all employees" (a relief for every employee, hired later too)

    scope = forms.ChoiceField(
        label=gettext_lazy("Employees concerned"),
        choices=SCOPES,
        initial=SCOPE_CHOSEN,
        widget=forms.RadioSelect,
    )
    employees = ListField(
        label=gettext_lazy("Employees"),
        required=False,
        help_text=gettext_lazy("The establishment's active employees."),
    )
    months = ListField(label=gettext_lazy("Months requested"))
    employee_names = forms.CharField(
        label=gettext_lazy("Names of the employees"), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, user=None, **kwargs):
        self.establishment = establishment(user)
        super().__init__(*args, **kwargs)
        if not self.allow_all:
            del self.fields["scope"]
            self.fields["employees"].required = True
        self.fields["employees"].choices = employee_choices(self.establishment)
        self.fields["months"].choices = month_choices(self.available_months())
        self.people: list = []
        self.month_list: list[dt.date] = []

    def available_months(self) -> list[dt.date]:
        return open_months(self.window_key)

    def chosen_months(self, data) -> list[dt.date]:
        return sorted(parse_month(m) for m in split(data.get("months")))

    def everyone(self) -> bool:
        return self.allow_all and self.cleaned_data.get("scope") == SCOPE_ALL

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        est = self.establishment
        self.month_list = self.chosen_months(data)
        if self.everyone():
            data["employees"] = ""
            data["employee_names"] = _("All the establishment's employees")
            return data
        ids = split(data.get("employees"))
        if not ids:
            self.add_error("employees", _("Choose at least one employee."))
            return data
        found = people_by_identifier(ids)
        self.people = [found[i] for i in ids if i in found]
        covered = covered_months(est, self.people, self.month_list)
        gaps = [
            _("%(name)s was not covered by the establishment in %(months)s.")
            % {
                "name": p.name_ar,
                "months": "، ".join(
                    month_label(m) for m in self.month_list if m not in covered.get(p.pk, set())
                ),
            }
            for p in self.people
            if set(self.month_list) - covered.get(p.pk, set())
        ]
        for gap in gaps:
            self.add_error("employees", gap)
        data["employee_names"] = _names(self.people)
        return data


def _answers(req_or_data) -> dict:
    return req_or_data.data if hasattr(req_or_data, "data") else req_or_data


def _resolve(est, data: dict) -> tuple[list, list[dt.date]]:
    """The people (None: every employee) and months of saved answers, as approved."""
    months = sorted(parse_month(m) for m in split(data.get("months")))
    if data.get("scope") == SCOPE_ALL:
        return None, months
    ids = split(data.get("employees"))
    found = people_by_identifier(ids)
    return [found[i] for i in ids if i in found], months


# --- wage support: Tadamon 1, Istidama, Himaya ----------------------------------------------------


class WageSupportForm(EmployeesMonthsForm):
    bank = forms.ChoiceField(label=gettext_lazy("Bank"), choices=BANKS)
    iban = IbanField()

    field_order = ("employees", "months")

    def clean(self):
        data = super().clean()
        if self.errors or not self.people:
            return data
        taken = (
            ProgrammeLine.objects.filter(
                establishment=self.establishment,
                individual__in=self.people,
                month__in=self.month_list,
                status=ProgrammeLine.Status.ACTIVE,
                service_code__in=WAGE_SUPPORT,
                request__status=ServiceRequest.Status.APPROVED,
            )
            .select_related("individual")
            .order_by("individual__name_ar", "month")
        )
        for line in taken:
            self.add_error(
                "employees",
                _("%(name)s is already supported by a programme for %(month)s.")
                % {"name": line.individual.name_ar, "month": month_label(line.month)},
            )
        return data


def _support_figure(
    est, people, months, amount_for: Callable[[Decimal, dt.date, Working], Decimal]
) -> ProgrammeFigure:
    """Each worker's amount for each month from their insured wage that month; the working shows
    one line a month (workers, wages, amount) and the rule rows used."""
    w = Working()
    wages = wages_for(est, people, months)
    lines: list[Line] = []
    total = Decimal("0")
    reasons: list[str] = []
    for m in months:
        month_wages, month_total, count = Decimal("0"), Decimal("0"), 0
        for person in people:
            wage = wages.get((person.pk, m))
            if wage is None or wage <= 0:
                reasons.append(
                    _("%(name)s has no insured wage for %(month)s.")
                    % {"name": person.name_ar, "month": month_label(m)}
                )
                continue
            amount = money(amount_for(wage, m, w))
            lines.append(Line(person.pk, m, wage, amount))
            month_wages += wage
            month_total += amount
            count += 1
        if count:
            w.line(
                _("%(month)s: %(n)s workers, insured wages %(wages)s JD")
                % {"month": month_label(m), "n": count, "wages": f"{month_wages:.3f}"},
                f"{month_total:.3f}",
            )
        total += month_total
    if reasons or not lines:
        return ProgrammeFigure(
            payable=False,
            amount=None,
            reasons=reasons or [_("Nothing is payable for these answers.")],
            working=w,
        )
    w.line(_("Total for all workers and months (JD)"), f"{total:.3f}")
    return ProgrammeFigure(payable=True, amount=money(total), working=w, lines=lines)


def _tadamon1_amount(wage: Decimal, month: dt.date, w: Working) -> Decimal:
    share = w.use("edef.tadamon1.share", on=month)
    low = w.use("edef.tadamon1.min", on=month)
    high = w.use("edef.tadamon1.max", on=month)
    return min(max(wage * share, low), high, wage)


def _istidama_amount(share_key: str) -> Callable[[Decimal, dt.date, Working], Decimal]:
    def amount(wage: Decimal, month: dt.date, w: Working) -> Decimal:
        share = w.use(share_key, on=month)
        cap = w.use("edef.istidama.wage_cap", on=month)
        return min(wage, cap) * share

    return amount


def _support_compute(amount_for) -> Callable:
    def compute(user, data: dict):
        est = establishment(user)
        if est is None:
            return None
        people, months = _resolve(est, data)
        if not people or not months:
            return None
        return _support_figure(est, people, months, amount_for)

    return compute


def _support_approve(amount_for, *, stop_contributions: bool = False) -> Callable:
    """Approval: one ProgrammeLine and one payment for each worker and month; for a temporary
    stop, no contribution is billed for those workers and months either."""

    def on_approve(req) -> None:
        est = locked_establishment(req)
        people, months = _resolve(est, req.data)
        taken = ProgrammeLine.objects.filter(
            establishment=est,
            individual__in=people,
            month__in=months,
            status=ProgrammeLine.Status.ACTIVE,
            service_code__in=WAGE_SUPPORT,
            request__status=ServiceRequest.Status.APPROVED,
        ).exclude(request=req)
        if taken.exists():
            raise ServiceError(
                _("Some of these workers are already supported by a programme for these months.")
            )
        figure = _support_figure(est, people, months, amount_for)
        if not figure.payable:
            raise ServiceError(figure.reasons[0])
        _pay_lines(req, est, figure)
        if stop_contributions:
            for m in months:
                create_reliefs(
                    req,
                    est=est,
                    people=people,
                    months=[m],
                    branches=ALL_BRANCHES,
                    employer_waived=Decimal("1"),
                    employee_waived=Decimal("1"),
                )

    return on_approve


def _pay_lines(req, est, figure: ProgrammeFigure) -> None:
    """A payment for each line, then the lines tied to them; the request keeps the figure as
    approved."""
    pay_lines(req, est, figure.lines, iban=req.data["iban"])
    if req.amount != figure.amount:
        req.amount = figure.amount
        req.working = figure.working.as_json()
        req.save(update_fields=["amount", "working", "updated_at"])


# edef.tadamon-temp-stop ------------------------------------------------------------------------


class TadamonStopForm(WageSupportForm):
    window_key = "edef.tadamon1.open"
    stop_reason = forms.CharField(
        label=gettext_lazy("Why the work stopped"), widget=forms.Textarea(attrs={"rows": 3})
    )


def _tadamon1_who() -> str:
    return _(
        "The liaison officer of an active establishment whose work stopped, for its workers "
        "covered in the months chosen (months the programme is open for). Each worker gets "
        "%(share)s of the insured wage, at least %(low)s and at most %(high)s JD a month; no "
        "contributions are billed for them those months."
    ) % {
        "share": percent_text("edef.tadamon1.share", on=dt.date(2020, 5, 1)),
        "low": figure_text("edef.tadamon1.min", on=dt.date(2020, 5, 1)),
        "high": figure_text("edef.tadamon1.max", on=dt.date(2020, 5, 1)),
    }


TADAMON_STOP = register(
    RequestService(
        code="edef.tadamon-temp-stop",
        form_class=TadamonStopForm,
        who=lazy(_tadamon1_who, str)(),
        decision_days=10,
        reference_prefix="ETDM",
        audience="establishment",
        documents=(
            DocumentSpec(
                "stop_statement",
                gettext_lazy("The establishment's statement that the work stopped"),
                required=False,
            ),
        ),
        eligibility=_window_eligibility("edef.tadamon1.open"),
        compute=_support_compute(_tadamon1_amount),
        on_approve=_support_approve(_tadamon1_amount, stop_contributions=True),
    )
)


# edef.istidama-unauthorized ------------------------------------------------------------------------


class IstidamaUnauthorizedForm(WageSupportForm):
    window_key = "edef.istidama.open"
    activity = forms.ChoiceField(
        label=gettext_lazy("Activity of the establishment"),
        choices=[("", "---------"), *ACTIVITIES],
    )
    decision = forms.CharField(
        label=gettext_lazy("The decision that does not authorise the activity to operate"),
        max_length=200,
        help_text=gettext_lazy("Its number and date, or the body that issued it."),
    )


def _istidama_who(share_key: str, text) -> Callable[[], str]:
    def who() -> str:
        today = timezone.localdate()
        months = open_months("edef.istidama.open", until=today)
        on = months[-1] if months else today
        return text % {
            "share": percent_text(share_key, on=on),
            "cap": figure_text("edef.istidama.wage_cap", on=on),
        }

    return who


ISTIDAMA_UNAUTHORIZED = register(
    RequestService(
        code="edef.istidama-unauthorized",
        form_class=IstidamaUnauthorizedForm,
        who=lazy(
            _istidama_who(
                "edef.istidama.unauthorized.share",
                gettext_lazy(
                    "The liaison officer of an active establishment not authorised to operate, "
                    "for its workers covered in the months chosen. The programme pays a share of "
                    "each worker's wage (now %(share)s of a wage of at most %(cap)s JD)."
                ),
            ),
            str,
        )(),
        decision_days=10,
        reference_prefix="EIST",
        audience="establishment",
        documents=(
            DocumentSpec(
                "decision",
                gettext_lazy("The decision that does not authorise the activity to operate"),
                required=False,
            ),
        ),
        eligibility=_window_eligibility("edef.istidama.open"),
        compute=_support_compute(_istidama_amount("edef.istidama.unauthorized.share")),
        on_approve=_support_approve(_istidama_amount("edef.istidama.unauthorized.share")),
    )
)


# edef.istidama-recovery ----------------------------------------------------------------------------


class IstidamaRecoveryForm(WageSupportForm):
    window_key = "edef.istidama.open"
    activity = forms.ChoiceField(
        label=gettext_lazy("Activity of the establishment"),
        choices=[("", "---------"), *ACTIVITIES],
    )
    revenue_drop = forms.DecimalField(
        label=gettext_lazy("Drop in revenue against the same months of 2019 (%)"),
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        decimal_places=2,
    )


ISTIDAMA_RECOVERY = register(
    RequestService(
        code="edef.istidama-recovery",
        form_class=IstidamaRecoveryForm,
        who=lazy(
            _istidama_who(
                "edef.istidama.recovery.share",
                gettext_lazy(
                    "The liaison officer of an active establishment in a sector hit by the "
                    "pandemic, for its workers covered in the months chosen. The programme pays a "
                    "share of each worker's wage (now %(share)s of a wage of at most %(cap)s JD)."
                ),
            ),
            str,
        )(),
        decision_days=10,
        reference_prefix="EISR",
        audience="establishment",
        documents=(
            DocumentSpec(
                "financial_statement",
                gettext_lazy("Financial statement showing the drop in revenue"),
            ),
        ),
        eligibility=_window_eligibility("edef.istidama.open"),
        compute=_support_compute(_istidama_amount("edef.istidama.recovery.share")),
        on_approve=_support_approve(_istidama_amount("edef.istidama.recovery.share")),
    )
)


# edef.himaya -----------------------------------------------------------------------------------------

HIMAYA_SECTORS = [
    ("", "---------"),
    ("tourism", gettext_lazy("Tourism and hospitality")),
    ("transport", gettext_lazy("Transport")),
]


class HimayaForm(WageSupportForm):
    window_key = "edef.himaya.open"
    sector = forms.ChoiceField(label=gettext_lazy("Sector"), choices=HIMAYA_SECTORS)
    licence_number = forms.CharField(
        label=gettext_lazy("Licence number of the tourism or transport activity"), max_length=40
    )


HIMAYA = register(
    RequestService(
        code="edef.himaya",
        form_class=HimayaForm,
        who=lazy(
            _istidama_who(
                "edef.istidama.recovery.share",
                gettext_lazy(
                    "The liaison officer of an active tourism or transport establishment, for its "
                    "workers covered in the months chosen (to June 2022). The programme pays the "
                    "same cover as Istidama (now %(share)s of a wage of at most %(cap)s JD)."
                ),
            ),
            str,
        )(),
        decision_days=10,
        reference_prefix="EHMY",
        audience="establishment",
        documents=(
            DocumentSpec("licence", gettext_lazy("Licence of the tourism or transport activity")),
        ),
        eligibility=_window_eligibility("edef.himaya.open"),
        compute=_support_compute(_istidama_amount("edef.istidama.recovery.share")),
        on_approve=_support_approve(_istidama_amount("edef.istidama.recovery.share")),
    )
)


# edef.tadamon2 ---------------------------------------------------------------------------------------


def _covered_months_before(est, month: dt.date) -> int:
    """Whole months the establishment had been covered on the first day of ``month``."""
    start = est.coverage_date
    return (month.year - start.year) * 12 + month.month - start.month


class Tadamon2Form(forms.Form):
    employees = ListField(
        label=gettext_lazy("Workers to cover"),
        help_text=gettext_lazy("The establishment's active employees."),
    )
    month = forms.ChoiceField(label=gettext_lazy("Month of the support"))
    employee_names = forms.CharField(
        label=gettext_lazy("Names of the employees"), required=False, widget=forms.HiddenInput
    )
    bank = forms.ChoiceField(label=gettext_lazy("Bank"), choices=BANKS)
    iban = IbanField()

    def __init__(self, *args, user=None, **kwargs):
        self.establishment = establishment(user)
        super().__init__(*args, **kwargs)
        self.fields["employees"].choices = employee_choices(self.establishment)
        self.fields["month"].choices = [
            ("", "---------"),
            *month_choices(open_months("edef.tadamon2.open")),
        ]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        est = self.establishment
        month = parse_month(data["month"])
        limit = int(rule_value("edef.tadamon2.max_covered_months", month))
        if _covered_months_before(est, month) >= limit:
            self.add_error(
                "month",
                _(
                    "The establishment had been covered for %(limit)s months or more by "
                    "%(month)s: Tadamon 2 is for establishments covered for less."
                )
                % {"limit": limit, "month": month_label(month)},
            )
            return data
        ids = split(data["employees"])
        found = people_by_identifier(ids)
        people = [found[i] for i in ids if i in found]
        covered = covered_months(est, people, [month])
        for p in people:
            if month not in covered.get(p.pk, set()):
                self.add_error(
                    "employees",
                    _("%(name)s was not covered by the establishment in %(months)s.")
                    % {"name": p.name_ar, "months": month_label(month)},
                )
        paid = ProgrammeLine.objects.filter(
            service_code="edef.tadamon2",
            individual__in=people,
            request__status=ServiceRequest.Status.APPROVED,
        ).select_related("individual")
        for line in paid:
            self.add_error(
                "employees",
                _("%(name)s already received Tadamon 2.") % {"name": line.individual.name_ar},
            )
        data["employee_names"] = _names(people)
        return data


def rule_value(key: str, on: dt.date) -> Decimal:
    from eservices.rules import rule

    return rule(key, on=on).value


def _tadamon2_figure(est, data: dict) -> ProgrammeFigure | None:
    ids = split(data.get("employees"))
    if not ids or not data.get("month"):
        return None
    month = parse_month(data["month"])
    found = people_by_identifier(ids)
    people = [found[i] for i in ids if i in found]
    w = Working()
    amount = w.use("edef.tadamon2.amount", on=month)
    w.line(
        _("%(n)s workers × %(amount)s JD") % {"n": len(people), "amount": plain(amount)},
        f"{money(amount * len(people)):.3f}",
        f"{len(people)} × {plain(amount)}",
    )
    lines = [Line(p.pk, month, None, money(amount)) for p in people]
    return ProgrammeFigure(
        payable=bool(lines), amount=money(amount * len(people)), working=w, lines=lines
    )


def _tadamon2_compute(user, data: dict):
    est = establishment(user)
    return _tadamon2_figure(est, data) if est is not None else None


def _tadamon2_approve(req) -> None:
    est = locked_establishment(req)
    figure = _tadamon2_figure(est, req.data)
    if figure is None or not figure.payable:
        raise ServiceError(_("Nothing is payable for these answers."))
    _pay_lines(req, est, figure)


def _tadamon2_who() -> str:
    on = dt.date(2020, 5, 1)
    return _(
        "The liaison officer of an active establishment covered for less than %(months)s "
        "months in the month of the support: %(amount)s JD for each of its workers, once."
    ) % {
        "months": figure_text("edef.tadamon2.max_covered_months", on=on),
        "amount": figure_text("edef.tadamon2.amount", on=on),
    }


TADAMON2 = register(
    RequestService(
        code="edef.tadamon2",
        form_class=Tadamon2Form,
        who=lazy(_tadamon2_who, str)(),
        decision_days=10,
        reference_prefix="ETD2",
        audience="establishment",
        eligibility=_window_eligibility("edef.tadamon2.open"),
        compute=_tadamon2_compute,
        on_approve=_tadamon2_approve,
    )
)


# Old-age suspension: edef.suspend-old-age-3-5 and edef.partial-old-age ----------------------------


def _relief_conflicts(est, people, months) -> list[str]:
    from django.db.models import Q

    from payments.models import ContributionRelief

    qs = ContributionRelief.objects.filter(
        establishment=est, month__in=months, branch=OLD_AGE
    ).select_related("individual")
    if people is not None:
        qs = qs.filter(Q(individual__isnull=True) | Q(individual__in=people))
    out = []
    for r in qs.order_by("month"):
        who = r.individual.name_ar if r.individual_id else _("all the employees")
        out.append(
            _("Old-age coverage is already suspended for %(who)s in %(month)s.")
            % {"who": who, "month": month_label(r.month)}
        )
    return out


class SuspendOldAge35Form(EmployeesMonthsForm):
    """The months are fixed (March, April and May): the year is chosen."""

    window_key = "edef.old_age_3_5.open"
    allow_all = True

    year = forms.ChoiceField(label=gettext_lazy("Year"))
    reason = forms.CharField(
        label=gettext_lazy("Reason for the request"), widget=forms.Textarea(attrs={"rows": 3})
    )

    field_order = ("year", "scope", "employees")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self._open = set(self.available_months())
        years = sorted({m.year for m in self._open if m.month in (3, 4, 5)})
        self.fields["year"].choices = [("", "---------")] + [(str(y), str(y)) for y in years]
        del self.fields["months"]

    def chosen_months(self, data) -> list[dt.date]:
        year = int(data["year"])
        return [dt.date(year, k, 1) for k in (3, 4, 5) if dt.date(year, k, 1) in self._open]

    def clean(self):
        data = super().clean()
        if not self.errors:
            data["months"] = ",".join(month_label(m) for m in self.month_list)
            for text in _relief_conflicts(
                self.establishment, None if self.everyone() else self.people, self.month_list
            ):
                self.add_error(None, text)
        return data


def _suspend_approve(req) -> None:
    est = locked_establishment(req)
    people, months = _resolve(est, req.data)
    if _relief_conflicts(est, people, months):
        raise ServiceError(_relief_conflicts(est, people, months)[0])
    create_reliefs(
        req,
        est=est,
        people=people,
        months=months,
        branches=(OLD_AGE,),
        employer_waived=Decimal("1"),
        employee_waived=Decimal("1"),
    )


SUSPEND_3_5 = register(
    RequestService(
        code="edef.suspend-old-age-3-5",
        form_class=SuspendOldAge35Form,
        who=gettext_lazy(
            "The liaison officer of an active establishment, for all its employees or those "
            "chosen: no old-age contributions (the employer's and the employee's) are billed for "
            "March, April and May of the year chosen; the other branches are billed as usual."
        ),
        decision_days=7,
        reference_prefix="EOA35",
        audience="establishment",
        eligibility=_window_eligibility("edef.old_age_3_5.open"),
        on_approve=_suspend_approve,
    )
)


MODE_SUSPEND = "suspend"
MODE_PARTIAL = "partial"


class PartialOldAgeForm(EmployeesMonthsForm):
    window_key = "edef.partial_old_age.open"
    allow_all = True

    mode = forms.ChoiceField(
        label=gettext_lazy("Kind of request"),
        choices=[
            (MODE_SUSPEND, gettext_lazy("Suspend old-age coverage")),
            (MODE_PARTIAL, gettext_lazy("Partial old-age coverage")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for the request"), widget=forms.Textarea(attrs={"rows": 3})
    )

    field_order = ("mode", "scope", "employees", "months")

    def clean(self):
        data = super().clean()
        if not self.errors:
            for text in _relief_conflicts(
                self.establishment, None if self.everyone() else self.people, self.month_list
            ):
                self.add_error(None, text)
        return data


def _partial_approve(req) -> None:
    from eservices.rules import rule

    est = locked_establishment(req)
    people, months = _resolve(est, req.data)
    conflicts = _relief_conflicts(est, people, months)
    if conflicts:
        raise ServiceError(conflicts[0])
    for m in months:
        if req.data.get("mode") == MODE_PARTIAL:
            share = rule("edef.partial_old_age.partial_waived", on=m).value
        else:
            share = Decimal("1")
        create_reliefs(
            req,
            est=est,
            people=people,
            months=[m],
            branches=(OLD_AGE,),
            employer_waived=share,
            employee_waived=share,
        )


def _partial_who() -> str:
    months = open_months("edef.partial_old_age.open")
    on = months[-1] if months else timezone.localdate()
    from eservices.rules import rule

    r = rule("edef.partial_old_age.partial_waived", on=on)
    return _(
        "The liaison officer of an active establishment, for all its employees or those chosen, "
        "for the months chosen: suspended, no old-age contributions are billed; partial, "
        "%(share)s%% of them are not billed%(provisional)s. The other branches are billed as usual."
    ) % {
        "share": plain(r.value * 100),
        "provisional": _(" (provisional figure)") if r.is_default else "",
    }


PARTIAL_OLD_AGE = register(
    RequestService(
        code="edef.partial-old-age",
        form_class=PartialOldAgeForm,
        who=lazy(_partial_who, str)(),
        decision_days=7,
        reference_prefix="EOAP",
        audience="establishment",
        eligibility=_window_eligibility("edef.partial_old_age.open"),
        on_approve=_partial_approve,
    )
)


# edef.recall -------------------------------------------------------------------------------------


def _stopped_lines(est):
    """The establishment's Tadamon temporary-stop months still in force."""
    return (
        ProgrammeLine.objects.filter(
            establishment=est,
            service_code="edef.tadamon-temp-stop",
            status=ProgrammeLine.Status.ACTIVE,
            request__status=ServiceRequest.Status.APPROVED,
        )
        .select_related("individual", "payment")
        .order_by("individual__name_ar", "month")
    )


def recall_eligibility(user, today: dt.date) -> list[str]:
    reasons = officer_eligibility(user, today)
    if reasons:
        return reasons
    if not _stopped_lines(establishment(user)).exists():
        return [_("No worker of the establishment is on a Tadamon temporary stop.")]
    return []


class RecallForm(forms.Form):
    employees = ListField(label=gettext_lazy("Workers called back"))
    return_month = forms.ChoiceField(label=gettext_lazy("Back at work from"))
    reason = forms.CharField(
        label=gettext_lazy("Reason for the recall"), widget=forms.Textarea(attrs={"rows": 3})
    )
    employee_names = forms.CharField(
        label=gettext_lazy("Names of the employees"), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, user=None, **kwargs):
        self.establishment = establishment(user)
        super().__init__(*args, **kwargs)
        lines = list(_stopped_lines(self.establishment)) if self.establishment else []
        people, months = {}, set()
        for line in lines:
            people.setdefault(
                line.individual.identifier,
                f"{line.individual.name_ar} — {line.individual.identifier}",
            )
            months.add(line.month)
        self.lines = lines
        self.fields["employees"].choices = list(people.items())
        self.fields["return_month"].choices = [("", "---------"), *month_choices(sorted(months))]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        ids = set(split(data["employees"]))
        back = parse_month(data["return_month"])
        chosen = [ln for ln in self.lines if ln.individual.identifier in ids and ln.month >= back]
        if not chosen:
            self.add_error(
                "return_month",
                _("None of these workers is stopped from that month on."),
            )
        from payments.models import BenefitPayment

        for ln in chosen:
            if ln.payment and ln.payment.status == BenefitPayment.Status.PAID:
                self.add_error(
                    "return_month",
                    _("%(name)s was already paid for %(month)s: choose a later month.")
                    % {"name": ln.individual.name_ar, "month": month_label(ln.month)},
                )
        names = {ln.individual.identifier: ln.individual for ln in self.lines}
        data["employee_names"] = _names(names[i] for i in split(data["employees"]) if i in names)
        return data


def _recall_approve(req) -> None:
    """The recalled months stop: their payments not yet made are stopped, and their
    contributions are billed again (the temporary stop's reliefs for them are removed)."""
    from payments.models import BenefitPayment, ContributionRelief

    est = locked_establishment(req)
    back = parse_month(req.data["return_month"])
    found = people_by_identifier(split(req.data["employees"]))
    lines = list(
        _stopped_lines(est)
        .filter(individual__in=found.values(), month__gte=back)
        .select_for_update(of=("self",))
    )
    if not lines:
        raise ServiceError(_("None of these workers is stopped from that month on."))
    paid = [ln for ln in lines if ln.payment and ln.payment.status == BenefitPayment.Status.PAID]
    if paid:
        raise ServiceError(
            _("%(name)s was already paid for %(month)s: choose a later month.")
            % {"name": paid[0].individual.name_ar, "month": month_label(paid[0].month)}
        )
    BenefitPayment.objects.filter(
        pk__in=[ln.payment_id for ln in lines if ln.payment_id],
        status=BenefitPayment.Status.SCHEDULED,
    ).update(status=BenefitPayment.Status.STOPPED)
    ProgrammeLine.objects.filter(pk__in=[ln.pk for ln in lines]).update(
        status=ProgrammeLine.Status.RECALLED, recalled_by=req
    )
    for ln in lines:
        ContributionRelief.objects.filter(
            request_id=ln.request_id, individual_id=ln.individual_id, month=ln.month
        ).delete()
    rebill_billed_months(est, {ln.month for ln in lines})


RECALL = register(
    RequestService(
        code="edef.recall",
        form_class=RecallForm,
        who=gettext_lazy(
            "The liaison officer of an establishment with workers on a Tadamon temporary stop, "
            "to call them back to work from a month: the allowance stops from that month and "
            "their contributions are billed again."
        ),
        decision_days=5,
        reference_prefix="ERCL",
        audience="establishment",
        eligibility=recall_eligibility,
        on_approve=_recall_approve,
    )
)
