"""The Hafez programme (برنامج حافز): accrediting registered companies, then adding trainees.

- hafez.accredit — a registered company asks to be accredited (commercial registration, a
  training plan, a supervisor, the account the support is paid into).
- hafez.add-trainees — an accredited company adds trainees from its newly covered employees for a
  number of training months: the programme pays a share of each trainee's wage, up to a monthly
  cap, for each month (one payment per trainee and month, into the company's account).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from phonenumber_field.formfields import PhoneNumberField

from accounts.exceptions import ServiceError
from eservices.dates import month_after, month_start
from eservices.declarations import DocumentSpec, RequestService, register
from eservices.rules import Working, money, plain, rule
from establishments.registration import ACTIVITIES
from establishments.selectors import active_employees

from .common import (
    BANKS,
    IbanField,
    Line,
    ListField,
    ProgrammeFigure,
    covered_months,
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
    percent_text,
    split,
    wages_for,
)
from .models import ProgrammeEnrolment, ProgrammeLine

BLANK = [("", "---------")]
COMPANY_TYPES = [
    ("llc", gettext_lazy("Limited liability company")),
    ("private_shareholding", gettext_lazy("Private shareholding company")),
    ("public_shareholding", gettext_lazy("Public shareholding company")),
    ("general_partnership", gettext_lazy("General partnership")),
    ("limited_partnership", gettext_lazy("Limited partnership")),
    ("sole_proprietorship", gettext_lazy("Sole proprietorship")),
]


def open_enrolment(est, programme: str) -> ProgrammeEnrolment | None:
    if est is None:
        return None
    return ProgrammeEnrolment.objects.filter(
        establishment=est, programme=programme, end_date__isnull=True
    ).first()


# --- hafez.accredit -------------------------------------------------------------------------------


class AccreditForm(forms.Form):
    registration_number = forms.CharField(
        label=gettext_lazy("Registration number at the Companies Control Department"),
        max_length=40,
    )
    company_type = forms.ChoiceField(
        label=gettext_lazy("Legal form of the company"), choices=BLANK + COMPANY_TYPES
    )
    sector = forms.ChoiceField(label=gettext_lazy("Sector"), choices=BLANK + ACTIVITIES)
    trainees_planned = forms.IntegerField(
        label=gettext_lazy("Trainees the company can take in a year"), min_value=1
    )
    training_field = forms.CharField(
        label=gettext_lazy("Fields of the training"), widget=forms.Textarea(attrs={"rows": 3})
    )
    supervisor_name = forms.CharField(
        label=gettext_lazy("Name of the training supervisor"), max_length=200
    )
    supervisor_phone = PhoneNumberField(
        label=gettext_lazy("Supervisor's mobile phone"),
        region="JO",
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "tel"}),
    )
    bank = forms.ChoiceField(label=gettext_lazy("Bank"), choices=BANKS)
    iban = IbanField()


def accredit_eligibility(user, today: dt.date) -> list[str]:
    reasons = officer_eligibility(user, today)
    if reasons:
        return reasons
    if open_enrolment(establishment(user), ProgrammeEnrolment.Programme.HAFEZ):
        return [_("The establishment is already accredited in the Hafez programme.")]
    return []


def accredit_approve(req) -> None:
    est = locked_establishment(req)
    if open_enrolment(est, ProgrammeEnrolment.Programme.HAFEZ):
        raise ServiceError(_("The establishment is already accredited in the Hafez programme."))
    d = req.data
    ProgrammeEnrolment.objects.create(
        establishment=est,
        programme=ProgrammeEnrolment.Programme.HAFEZ,
        request=req,
        start_date=timezone.localdate(),
        iban=d["iban"],
        details={
            k: d.get(k, "")
            for k in (
                "registration_number",
                "company_type",
                "sector",
                "trainees_planned",
                "training_field",
                "supervisor_name",
                "supervisor_phone",
                "bank",
            )
        },
    )


ACCREDIT = register(
    RequestService(
        code="hafez.accredit",
        form_class=AccreditForm,
        who=gettext_lazy(
            "The liaison officer of an active company registered at the Companies Control "
            "Department that is not yet accredited in the Hafez programme."
        ),
        decision_days=14,
        reference_prefix="HACR",
        audience="establishment",
        documents=(
            DocumentSpec("registration", gettext_lazy("Company registration certificate")),
            DocumentSpec("training_plan", gettext_lazy("Training plan")),
        ),
        eligibility=accredit_eligibility,
        on_approve=accredit_approve,
    )
)


# --- hafez.add-trainees -------------------------------------------------------------------------------


def trainee_periods(est, today: dt.date):
    """Active employees whose coverage at the establishment started within the programme's
    months for new hires."""
    months = int(rule("hafez.new_hire_months", on=today).value)
    since = month_after(month_start(today), -months)
    return active_employees(est, today=today).filter(start_date__gte=since)


def trainees_figure(est, people, months: list[dt.date]) -> ProgrammeFigure:
    w = Working()
    wages = wages_for(est, people, months)
    lines, reasons, total = [], [], Decimal("0")
    for person in people:
        person_total, count = Decimal("0"), 0
        for m in months:
            share = w.use("hafez.share", on=m)
            cap = w.use("hafez.cap", on=m)
            wage = wages.get((person.pk, m))
            if wage is None:
                reasons.append(
                    _("%(name)s has no insured wage for %(month)s.")
                    % {"name": person.name_ar, "month": month_label(m)}
                )
                continue
            amount = money(min(wage * share, cap))
            lines.append(Line(person.pk, m, wage, amount))
            person_total += amount
            count += 1
        if count:
            w.line(
                _("%(name)s: %(n)s months") % {"name": person.name_ar, "n": count},
                f"{person_total:.3f}",
                f"min({lines[-1].wage:.3f} × {plain(share)}, {plain(cap)}) × {count}",
            )
        total += person_total
    if reasons or not lines:
        return ProgrammeFigure(
            payable=False,
            amount=None,
            reasons=reasons or [_("Choose at least one trainee.")],
            working=w,
        )
    w.line(_("Total support (JD)"), f"{money(total):.3f}")
    return ProgrammeFigure(payable=True, amount=money(total), working=w, lines=lines)


class AddTraineesForm(forms.Form):
    employees = ListField(
        label=gettext_lazy("Trainees"),
        help_text=gettext_lazy("Active employees newly covered by the establishment."),
    )
    first_month = forms.ChoiceField(label=gettext_lazy("First month of the training"))
    months = forms.TypedChoiceField(label=gettext_lazy("Months of training"), coerce=int)
    training_field = forms.CharField(label=gettext_lazy("Field of the training"), max_length=200)
    employee_names = forms.CharField(
        label=gettext_lazy("Names of the employees"), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, user=None, **kwargs):
        self.establishment = establishment(user)
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["employees"].choices = (
            employee_choices(self.establishment, periods=trainee_periods(self.establishment, today))
            if self.establishment
            else []
        )
        this = month_start(today)
        self.fields["first_month"].choices = BLANK + month_choices([this, month_after(this, 1)])
        most = int(rule("hafez.max_months", on=today).value)
        self.fields["months"].choices = [(n, str(n)) for n in range(1, most + 1)]

    def month_list(self, data) -> list[dt.date]:
        first = parse_month(data["first_month"])
        return [month_after(first, k) for k in range(int(data["months"]))]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        found = people_by_identifier(split(data["employees"]))
        people = list(found.values())
        first = parse_month(data["first_month"])
        covered = covered_months(self.establishment, people, [first])
        for p in people:
            if first not in covered.get(p.pk, set()):
                self.add_error(
                    "employees",
                    _("%(name)s was not covered by the establishment in %(months)s.")
                    % {"name": p.name_ar, "months": month_label(first)},
                )
        already = set(
            ProgrammeLine.objects.filter(
                service_code="hafez.add-trainees",
                individual__in=people,
                status=ProgrammeLine.Status.ACTIVE,
            ).values_list("individual_id", flat=True)
        )
        for p in people:
            if p.pk in already:
                self.add_error(
                    "employees", _("%(name)s is already a Hafez trainee.") % {"name": p.name_ar}
                )
        data["employee_names"] = "، ".join(p.name_ar for p in people)
        return data


def _trainees(est, data: dict):
    people = list(people_by_identifier(split(data.get("employees"))).values())
    first = parse_month(data["first_month"])
    months = [month_after(first, k) for k in range(int(data["months"]))]
    return people, months


def add_trainees_compute(user, data: dict):
    est = establishment(user)
    if est is None or not data.get("employees") or not data.get("first_month"):
        return None
    people, months = _trainees(est, data)
    return trainees_figure(est, people, months)


def add_trainees_eligibility(user, today: dt.date) -> list[str]:
    reasons = officer_eligibility(user, today)
    if reasons:
        return reasons
    if not open_enrolment(establishment(user), ProgrammeEnrolment.Programme.HAFEZ):
        return [_("The establishment must first be accredited in the Hafez programme.")]
    return []


def add_trainees_approve(req) -> None:
    est = locked_establishment(req)
    enrolment = open_enrolment(est, ProgrammeEnrolment.Programme.HAFEZ)
    if enrolment is None:
        raise ServiceError(_("The establishment must first be accredited in the Hafez programme."))
    people, months = _trainees(est, req.data)
    figure = trainees_figure(est, people, months)
    if not figure.payable:
        raise ServiceError(figure.reasons[0])
    pay_lines(req, est, figure.lines, iban=enrolment.iban)


def _who() -> str:
    return _(
        "The liaison officer of a company accredited in the Hafez programme, for employees it "
        "covered in the last %(months)s months. The programme pays %(share)s of each trainee's "
        "wage, at most %(cap)s JD a month, for up to %(most)s months."
    ) % {
        "months": figure_text("hafez.new_hire_months"),
        "share": percent_text("hafez.share"),
        "cap": figure_text("hafez.cap"),
        "most": figure_text("hafez.max_months"),
    }


ADD_TRAINEES = register(
    RequestService(
        code="hafez.add-trainees",
        form_class=AddTraineesForm,
        who=lazy(_who, str)(),
        decision_days=7,
        reference_prefix="HTRN",
        audience="establishment",
        documents=(
            DocumentSpec("training_contracts", gettext_lazy("Training contracts of the trainees")),
        ),
        eligibility=add_trainees_eligibility,
        compute=add_trainees_compute,
        on_approve=add_trainees_approve,
    )
)
