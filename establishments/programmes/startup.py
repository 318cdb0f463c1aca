"""Entrepreneurial establishments (المنشآت الريادية).

- startup.benefit — a young, small establishment with an entrepreneurial certificate asks to
  benefit: it is recorded as an entrepreneurial establishment, and the programme pays a monthly
  support for each of its lower-paid employees chosen, for a number of months (one payment per
  employee and month, into the establishment's account).
- startup.old-age-suspension — an entrepreneurial establishment suspends old-age coverage of
  employees from a month for a number of months (no old-age contributions, the employer's or the
  employee's, are billed for them those months), or resumes it from a month (the suspension of the
  months from then on is lifted and they are billed again). At most a set number of suspended
  months for each employee.

All the figures are rule rows with no source yet: every page that shows them says so.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.exceptions import ServiceError
from eservices.dates import age_on, month_after, month_start
from eservices.declarations import DocumentSpec, RequestService, register
from eservices.models import ServiceRequest
from eservices.rules import Working, money, plain, rule
from establishments.selectors import active_employee_count, active_employees

from .common import (
    BANKS,
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
    parse_month,
    pay_lines,
    people_by_identifier,
    rebill_billed_months,
    split,
    wages_for,
)
from .defense import OLD_AGE, _relief_conflicts
from .hafez import open_enrolment
from .models import ProgrammeEnrolment

BLANK = [("", "---------")]
STARTUP = ProgrammeEnrolment.Programme.STARTUP


def startup_reasons(est, today: dt.date) -> list[str]:
    """Why the establishment is not entrepreneurial by the programme's rules (empty: it is)."""
    years = int(rule("startup.max_age_years", on=today).value)
    most = int(rule("startup.max_employees", on=today).value)
    reasons = []
    if age_on(est.coverage_date, today) >= years:
        reasons.append(
            _("The establishment has been covered for %(years)s years or more.") % {"years": years}
        )
    if active_employee_count(est, today=today) > most:
        reasons.append(_("The establishment has more than %(n)s employees.") % {"n": most})
    return reasons


# --- startup.benefit ----------------------------------------------------------------------------------


def benefit_eligibility(user, today: dt.date) -> list[str]:
    reasons = officer_eligibility(user, today)
    if reasons:
        return reasons
    est = establishment(user)
    if open_enrolment(est, STARTUP):
        return [_("The establishment already benefits from the entrepreneurial programme.")]
    return startup_reasons(est, today)


def support_periods(est, today: dt.date):
    cap = rule("startup.support.max_wage", on=today).value
    return active_employees(est, today=today).filter(monthly_wage__lte=cap)


def support_figure(est, people, months: list[dt.date]) -> ProgrammeFigure:
    w = Working()
    lines, total = [], Decimal("0")
    wages = wages_for(est, people, months)
    reasons = []
    for m in months:
        amount = w.use("startup.support.amount", on=m)
        cap = w.use("startup.support.max_wage", on=m)
        count = 0
        for p in people:
            wage = wages.get((p.pk, m))
            if wage is None or wage > cap:
                continue
            lines.append(Line(p.pk, m, wage, money(amount)))
            count += 1
        if count:
            w.line(
                _("%(month)s: %(n)s employees × %(amount)s JD")
                % {"month": month_label(m), "n": count, "amount": plain(amount)},
                f"{money(amount * count):.3f}",
                f"{count} × {plain(amount)}",
            )
            total += amount * count
    if not lines:
        reasons.append(_("None of the employees chosen qualifies for the support."))
        return ProgrammeFigure(payable=False, amount=None, reasons=reasons, working=w)
    w.line(_("Total support (JD)"), f"{money(total):.3f}")
    return ProgrammeFigure(payable=True, amount=money(total), working=w, lines=lines)


class BenefitForm(forms.Form):
    certificate_number = forms.CharField(
        label=gettext_lazy("Number of the entrepreneurial establishment certificate"),
        max_length=40,
    )
    innovation_field = forms.CharField(
        label=gettext_lazy("Field of the establishment's innovation"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    founders = forms.IntegerField(label=gettext_lazy("Number of founders"), min_value=1)
    employees = ListField(
        label=gettext_lazy("Employees to support"),
        help_text=gettext_lazy("Active employees whose wage is within the programme's limit."),
    )
    first_month = forms.ChoiceField(label=gettext_lazy("First month of the support"))
    bank = forms.ChoiceField(label=gettext_lazy("Bank"), choices=BANKS)
    iban = IbanField()
    employee_names = forms.CharField(
        label=gettext_lazy("Names of the employees"), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, user=None, **kwargs):
        self.establishment = establishment(user)
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["employees"].choices = (
            employee_choices(self.establishment, periods=support_periods(self.establishment, today))
            if self.establishment
            else []
        )
        this = month_start(today)
        self.fields["first_month"].choices = BLANK + month_choices([this, month_after(this, 1)])

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        people = list(people_by_identifier(split(data["employees"])).values())
        data["employee_names"] = "، ".join(p.name_ar for p in people)
        return data


def _benefit_people_months(data: dict):
    people = list(people_by_identifier(split(data.get("employees"))).values())
    first = parse_month(data["first_month"])
    n = int(rule("startup.support.months", on=first).value)
    return people, [month_after(first, k) for k in range(n)]


def benefit_compute(user, data: dict):
    est = establishment(user)
    if est is None or not data.get("employees") or not data.get("first_month"):
        return None
    people, months = _benefit_people_months(data)
    return support_figure(est, people, months)


def benefit_approve(req) -> None:
    est = locked_establishment(req)
    if open_enrolment(est, STARTUP):
        raise ServiceError(
            _("The establishment already benefits from the entrepreneurial programme.")
        )
    people, months = _benefit_people_months(req.data)
    figure = support_figure(est, people, months)
    if not figure.payable:
        raise ServiceError(figure.reasons[0])
    d = req.data
    ProgrammeEnrolment.objects.create(
        establishment=est,
        programme=STARTUP,
        request=req,
        start_date=months[0],
        iban=d["iban"],
        details={
            "certificate_number": d.get("certificate_number", ""),
            "innovation_field": d.get("innovation_field", ""),
            "founders": d.get("founders"),
        },
    )
    pay_lines(req, est, figure.lines, iban=d["iban"])


def _benefit_who() -> str:
    return _(
        "The liaison officer of an entrepreneurial establishment covered for less than %(years)s "
        "years, with at most %(employees)s employees. The programme pays %(amount)s JD a month "
        "for each employee chosen whose wage is at most %(wage)s JD, for %(months)s months."
    ) % {
        "years": figure_text("startup.max_age_years"),
        "employees": figure_text("startup.max_employees"),
        "amount": figure_text("startup.support.amount"),
        "wage": figure_text("startup.support.max_wage"),
        "months": figure_text("startup.support.months"),
    }


BENEFIT = register(
    RequestService(
        code="startup.benefit",
        form_class=BenefitForm,
        who=lazy(_benefit_who, str)(),
        decision_days=14,
        reference_prefix="SBEN",
        audience="establishment",
        documents=(
            DocumentSpec("certificate", gettext_lazy("Entrepreneurial establishment certificate")),
        ),
        eligibility=benefit_eligibility,
        compute=benefit_compute,
        on_approve=benefit_approve,
    )
)


# --- startup.old-age-suspension -------------------------------------------------------------------------

SUSPEND = "suspend"
RESUME = "resume"


def _suspended(est, people, since: dt.date | None = None):
    from payments.models import ContributionRelief

    qs = ContributionRelief.objects.filter(
        establishment=est,
        branch=OLD_AGE,
        individual__in=people,
        request__service_code="startup.old-age-suspension",
        request__status=ServiceRequest.Status.APPROVED,
    )
    if since is not None:
        qs = qs.filter(month__gte=since)
    return qs


class OldAgeSuspensionForm(forms.Form):
    action = forms.ChoiceField(
        label=gettext_lazy("Request"),
        choices=[
            (SUSPEND, gettext_lazy("Suspend old-age coverage")),
            (RESUME, gettext_lazy("Resume old-age coverage (lift the suspension)")),
        ],
        widget=forms.RadioSelect,
    )
    employees = ListField(
        label=gettext_lazy("Employees"),
        help_text=gettext_lazy("The establishment's active employees."),
    )
    from_month = forms.ChoiceField(label=gettext_lazy("From month"))
    months = forms.TypedChoiceField(
        label=gettext_lazy("Number of months (for a suspension)"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 13)],
        initial=12,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for the request"), widget=forms.Textarea(attrs={"rows": 3})
    )
    employee_names = forms.CharField(
        label=gettext_lazy("Names of the employees"), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, user=None, **kwargs):
        self.establishment = establishment(user)
        super().__init__(*args, **kwargs)
        self.fields["employees"].choices = employee_choices(self.establishment)
        this = month_start(timezone.localdate())
        self.fields["from_month"].choices = BLANK + month_choices(
            [month_after(this, k) for k in range(3)]
        )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        est = self.establishment
        people = list(people_by_identifier(split(data["employees"])).values())
        first = parse_month(data["from_month"])
        data["employee_names"] = "، ".join(p.name_ar for p in people)
        if data["action"] == RESUME:
            has = set(_suspended(est, people, first).values_list("individual_id", flat=True))
            for p in people:
                if p.pk not in has:
                    self.add_error(
                        "employees",
                        _("Old-age coverage of %(name)s is not suspended from %(month)s.")
                        % {"name": p.name_ar, "month": month_label(first)},
                    )
            return data
        months = [month_after(first, k) for k in range(data["months"])]
        covered = covered_months(est, people, [first])
        for p in people:
            if first not in covered.get(p.pk, set()):
                self.add_error(
                    "employees",
                    _("%(name)s was not covered by the establishment in %(months)s.")
                    % {"name": p.name_ar, "months": month_label(first)},
                )
        for text in _relief_conflicts(est, people, months):
            self.add_error("employees", text)
        most = int(rule("startup.old_age.max_months", on=first).value)
        used: dict[int, int] = {}
        for pid in _suspended(est, people).values_list("individual_id", flat=True):
            used[pid] = used.get(pid, 0) + 1
        for p in people:
            if used.get(p.pk, 0) + len(months) > most:
                self.add_error(
                    "months",
                    _(
                        "%(name)s would be suspended for more than %(most)s months "
                        "(%(used)s already)."
                    )
                    % {"name": p.name_ar, "most": most, "used": used.get(p.pk, 0)},
                )
        return data


def suspension_eligibility(user, today: dt.date) -> list[str]:
    reasons = officer_eligibility(user, today)
    if reasons:
        return reasons
    if not open_enrolment(establishment(user), STARTUP):
        return [
            _(
                "The establishment must first benefit from the entrepreneurial programme "
                "(the benefit request)."
            )
        ]
    return []


def suspension_approve(req) -> None:
    est = locked_establishment(req)
    d = req.data
    people = list(people_by_identifier(split(d["employees"])).values())
    first = parse_month(d["from_month"])
    if d["action"] == RESUME:
        lifted = _suspended(est, people, first)
        months = set(lifted.values_list("month", flat=True))
        lifted.delete()
        rebill_billed_months(est, months)
        return
    months = [month_after(first, k) for k in range(int(d["months"]))]
    conflicts = _relief_conflicts(est, people, months)
    if conflicts:
        raise ServiceError(conflicts[0])
    create_reliefs(
        req,
        est=est,
        people=people,
        months=months,
        branches=(OLD_AGE,),
        employer_waived=Decimal("1"),
        employee_waived=Decimal("1"),
    )


def _suspension_who() -> str:
    return _(
        "The liaison officer of an establishment that benefits from the entrepreneurial "
        "programme, for its employees chosen: suspending old-age coverage means no old-age "
        "contributions (the employer's or the employee's) are billed for them for the months "
        "chosen, at most %(most)s months for each employee; resuming lifts it from a month."
    ) % {"most": figure_text("startup.old_age.max_months")}


OLD_AGE_SUSPENSION = register(
    RequestService(
        code="startup.old-age-suspension",
        form_class=OldAgeSuspensionForm,
        who=lazy(_suspension_who, str)(),
        decision_days=7,
        reference_prefix="SOAS",
        audience="establishment",
        eligibility=suspension_eligibility,
        on_approve=suspension_approve,
    )
)
