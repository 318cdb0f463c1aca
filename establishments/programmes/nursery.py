"""Nursery care (خدمة رعاية حضانة): the requests on the e-service engine.

- nursery.accredit-care — a nursery (itself an establishment covered by social security) asks to
  be accredited in the care programme: insured mothers' children can then be placed in it.
- nursery.accredit-costs — a nursery asks for the contribution to its operating costs: a share of
  its monthly rent, staff salaries and social security contributions, up to a yearly cap, paid in
  monthly instalments; its fee per child and the number of children enrolled are bounded, and a
  workplace nursery of another company does not qualify.
- nursery.add-child — the employer of an insured mother (wage at most the care programme's limit)
  adds her child to an accredited nursery: the programme pays the nursery a monthly support (at
  most the fee, and at most a cap that depends on the mother's wage) for a number of months.

The two inquiries (nursery.covered, nursery.operating-costs) are pages: see views.py.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.exceptions import ServiceError
from eservices.dates import month_after, month_start
from eservices.declarations import DocumentSpec, RequestService, register
from eservices.rules import Working, money, plain, rule
from establishments.registration import GOVERNORATES
from establishments.selectors import active_employees

from .common import (
    BANKS,
    DATE,
    IbanField,
    ProgrammeFigure,
    establishment,
    figure_text,
    locked_establishment,
    month_choices,
    month_label,
    officer_eligibility,
    parse_month,
    percent_text,
    schedule_payments,
    wages_for,
)
from .models import Nursery, NurseryChild

FILS = Decimal("0.001")
BLANK = [("", "---------")]


# --- accreditation: the nursery's own data -----------------------------------------------------


class NurseryForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nursery name"), max_length=200)
    licence_number = forms.CharField(
        label=gettext_lazy("Licence number (Ministry of Social Development)"), max_length=40
    )
    licence_expiry = forms.DateField(label=gettext_lazy("Licence valid until"), widget=DATE)
    governorate = forms.ChoiceField(label=gettext_lazy("Governorate"), choices=BLANK + GOVERNORATES)
    address = forms.CharField(label=gettext_lazy("Address"), max_length=300)
    capacity = forms.IntegerField(label=gettext_lazy("Capacity (children)"), min_value=1)
    children_enrolled = forms.IntegerField(label=gettext_lazy("Children enrolled now"), min_value=0)
    monthly_fee = forms.DecimalField(
        label=gettext_lazy("Monthly fee per child (JD)"),
        min_value=Decimal("0.001"),
        max_digits=10,
        decimal_places=3,
    )
    bank = forms.ChoiceField(label=gettext_lazy("Bank"), choices=BANKS)
    iban = IbanField(
        label=gettext_lazy("Account number of the nursery (IBAN)"),
        help_text=gettext_lazy("The programme pays the nursery into this account."),
    )

    def __init__(self, *args, user=None, **kwargs):
        self.establishment = establishment(user)
        super().__init__(*args, **kwargs)

    def clean_licence_expiry(self):
        value = self.cleaned_data["licence_expiry"]
        if value <= timezone.localdate():
            raise forms.ValidationError(_("The licence has expired: renew it first."))
        return value

    def clean(self):
        data = super().clean()
        cap, enrolled = data.get("capacity"), data.get("children_enrolled")
        if cap is not None and enrolled is not None and enrolled > cap:
            self.add_error("children_enrolled", _("More children than the nursery's capacity."))
        return data


def _accredit_eligibility(programme: str):
    def eligibility(user, today: dt.date) -> list[str]:
        reasons = officer_eligibility(user, today)
        if reasons:
            return reasons
        est = establishment(user)
        if Nursery.objects.filter(
            establishment=est, programme=programme, status=Nursery.Status.ACCREDITED
        ).exists():
            return [_("The establishment's nursery is already accredited in this programme.")]
        return []

    return eligibility


def _nursery_from(req, est, programme: str, **extra) -> Nursery:
    d = req.data
    return Nursery.objects.create(
        establishment=est,
        programme=programme,
        request=req,
        name=d["name"],
        licence_number=d["licence_number"],
        licence_expiry=dt.date.fromisoformat(d["licence_expiry"]),
        governorate=d["governorate"],
        address=d["address"],
        capacity=int(d["capacity"]),
        children_enrolled=int(d["children_enrolled"]),
        monthly_fee=Decimal(d["monthly_fee"]),
        iban=d["iban"],
        **extra,
    )


def _accredit_care_approve(req) -> None:
    est = locked_establishment(req)
    if Nursery.objects.filter(
        establishment=est, programme=Nursery.Programme.CARE, status=Nursery.Status.ACCREDITED
    ).exists():
        raise ServiceError(
            _("The establishment's nursery is already accredited in this programme.")
        )
    _nursery_from(req, est, Nursery.Programme.CARE)


NURSERY_DOCUMENTS = (
    DocumentSpec(
        "licence", gettext_lazy("Licence of the nursery from the Ministry of Social Development")
    ),
    DocumentSpec("civil_defence", gettext_lazy("Civil defence safety certificate"), required=False),
)

ACCREDIT_CARE = register(
    RequestService(
        code="nursery.accredit-care",
        form_class=NurseryForm,
        who=gettext_lazy(
            "The liaison officer of a licensed nursery covered by social security. Once "
            "accredited, employers of insured mothers can place their children in it and the "
            "care programme pays part of the monthly fee to the nursery."
        ),
        decision_days=14,
        reference_prefix="NACR",
        audience="establishment",
        documents=NURSERY_DOCUMENTS,
        eligibility=_accredit_eligibility(Nursery.Programme.CARE),
        on_approve=_accredit_care_approve,
    )
)


# --- nursery.accredit-costs ------------------------------------------------------------------------


class OperatingCostsForm(NurseryForm):
    workplace_nursery = forms.BooleanField(
        label=gettext_lazy("The nursery is the workplace nursery of a company for its employees"),
        required=False,
    )
    monthly_rent = forms.DecimalField(
        label=gettext_lazy("Monthly rent (JD)"),
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=3,
    )
    monthly_salaries = forms.DecimalField(
        label=gettext_lazy("Monthly salaries of the nursery's staff (JD)"),
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=3,
    )
    monthly_contributions = forms.DecimalField(
        label=gettext_lazy("Monthly social security contributions of the staff (JD)"),
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=3,
    )


def operating_contribution(
    *,
    on: dt.date,
    rent: Decimal,
    salaries: Decimal,
    contributions: Decimal,
    monthly_fee: Decimal,
    children: int,
    workplace: bool,
) -> ProgrammeFigure:
    """The yearly contribution to a nursery's operating costs and its monthly instalments (each
    the yearly amount ÷ months rounded down to the fils; the last takes the remainder)."""
    w = Working()
    share = w.use("nursery.costs.share", on=on)
    cap = w.use("nursery.costs.annual_cap", on=on)
    max_fee = w.use("nursery.costs.max_fee", on=on)
    min_children = w.use("nursery.costs.min_children", on=on)
    months = int(w.use("nursery.costs.months", on=on))
    reasons = []
    if workplace:
        reasons.append(_("A workplace nursery of a company does not qualify."))
    if monthly_fee > max_fee:
        reasons.append(
            _("The monthly fee per child is more than %(max)s JD.") % {"max": plain(max_fee)}
        )
    if children < min_children:
        reasons.append(
            _("At least %(min)s children must be enrolled.") % {"min": plain(min_children)}
        )
    if reasons:
        return ProgrammeFigure(payable=False, amount=None, reasons=reasons, working=w)
    monthly = rent + salaries + contributions
    w.line(
        _("Monthly operating costs: rent + salaries + contributions (JD)"),
        f"{monthly:.3f}",
        f"{rent:.3f} + {salaries:.3f} + {contributions:.3f}",
    )
    yearly = monthly * 12 * share
    w.line(
        _("Share of a year's costs (JD)"),
        f"{money(yearly):.3f}",
        f"{monthly:.3f} × 12 × {plain(share)}",
    )
    amount = money(min(yearly, cap))
    w.line(
        _("Yearly contribution, at most %(cap)s JD") % {"cap": plain(cap)},
        f"{amount:.3f}",
        f"min({money(yearly):.3f}, {plain(cap)})",
    )
    if amount <= 0:
        return ProgrammeFigure(
            payable=False, amount=None, reasons=[_("There are no costs to share.")], working=w
        )
    each = (amount / months).quantize(FILS, rounding=ROUND_DOWN)
    last = amount - each * (months - 1)
    w.line(
        _("Paid in %(n)s monthly instalments (JD)") % {"n": months},
        f"{each:.3f}",
        f"{months - 1} × {each:.3f} + {last:.3f}",
    )
    return ProgrammeFigure(payable=True, amount=amount, working=w)


def _costs_figure(data: dict, on: dt.date) -> ProgrammeFigure | None:
    try:
        return operating_contribution(
            on=on,
            rent=Decimal(str(data["monthly_rent"])),
            salaries=Decimal(str(data["monthly_salaries"])),
            contributions=Decimal(str(data["monthly_contributions"])),
            monthly_fee=Decimal(str(data["monthly_fee"])),
            children=int(data["children_enrolled"]),
            workplace=data.get("workplace_nursery") in (True, "True", "true", "on"),
        )
    except (KeyError, ValueError, ArithmeticError):
        return None


def _costs_compute(user, data: dict):
    return _costs_figure(data, timezone.localdate())


def instalments(amount: Decimal, months: int) -> list[Decimal]:
    each = (amount / months).quantize(FILS, rounding=ROUND_DOWN)
    return [each] * (months - 1) + [amount - each * (months - 1)]


def _accredit_costs_approve(req) -> None:
    est = locked_establishment(req)
    if Nursery.objects.filter(
        establishment=est, programme=Nursery.Programme.COSTS, status=Nursery.Status.ACCREDITED
    ).exists():
        raise ServiceError(
            _("The establishment's nursery is already accredited in this programme.")
        )
    today = timezone.localdate()
    figure = _costs_figure(req.data, req.submitted_at.date() if req.submitted_at else today)
    if figure is None or not figure.payable:
        raise ServiceError(
            figure.reasons[0] if figure else _("Nothing is payable for these answers.")
        )
    d = req.data
    _nursery_from(
        req,
        est,
        Nursery.Programme.COSTS,
        monthly_rent=Decimal(d["monthly_rent"]),
        monthly_salaries=Decimal(d["monthly_salaries"]),
        monthly_contributions=Decimal(d["monthly_contributions"]),
        annual_contribution=figure.amount,
    )
    months = int(rule("nursery.costs.months", on=today).value)
    first = month_after(month_start(today), 1)
    schedule_payments(
        req,
        iban=d["iban"],
        items=[
            (amount, month_after(first, k))
            for k, amount in enumerate(instalments(figure.amount, months))
        ],
    )
    if req.amount != figure.amount:
        req.amount = figure.amount
        req.working = figure.working.as_json()
        req.save(update_fields=["amount", "working", "updated_at"])


def _costs_who() -> str:
    return _(
        "The liaison officer of a licensed nursery covered by social security (not a company's "
        "workplace nursery) whose monthly fee per child is at most %(fee)s JD and with at least "
        "%(children)s children enrolled. The programme pays %(share)s of the rent, staff "
        "salaries and contributions, at most %(cap)s JD a year, in monthly instalments."
    ) % {
        "fee": figure_text("nursery.costs.max_fee"),
        "children": figure_text("nursery.costs.min_children"),
        "share": percent_text("nursery.costs.share"),
        "cap": figure_text("nursery.costs.annual_cap"),
    }


ACCREDIT_COSTS = register(
    RequestService(
        code="nursery.accredit-costs",
        form_class=OperatingCostsForm,
        who=lazy(_costs_who, str)(),
        decision_days=21,
        reference_prefix="NCST",
        audience="establishment",
        documents=(
            *NURSERY_DOCUMENTS,
            DocumentSpec("lease", gettext_lazy("Lease contract of the nursery's premises")),
            DocumentSpec("payroll", gettext_lazy("Payroll of the nursery's staff")),
        ),
        eligibility=_accredit_eligibility(Nursery.Programme.COSTS),
        compute=_costs_compute,
        on_approve=_accredit_costs_approve,
    )
)


# --- nursery.add-child -------------------------------------------------------------------------------


def care_support(*, on: dt.date, mother_wage: Decimal, fee: Decimal) -> ProgrammeFigure:
    """The monthly support for a child and the total over the programme's months."""
    w = Working()
    max_wage = w.use("nursery.care.max_wage", on=on)
    months = int(w.use("nursery.care.months", on=on))
    low = w.use("nursery.care.low_wage", on=on)
    if mother_wage > max_wage:
        return ProgrammeFigure(
            payable=False,
            amount=None,
            reasons=[
                _("The mother's insured wage is more than %(max)s JD.") % {"max": plain(max_wage)}
            ],
            working=w,
        )
    if mother_wage <= low:
        cap = w.use("nursery.care.support_low_wage", on=on)
    else:
        cap = w.use("nursery.care.support", on=on)
    monthly = money(min(fee, cap))
    w.line(
        _("Mother's insured wage (JD)"),
        f"{mother_wage:.3f}",
        f"≤ {plain(low)}" if mother_wage <= low else f"> {plain(low)}",
    )
    w.line(
        _("Monthly support: the fee, at most %(cap)s JD") % {"cap": plain(cap)},
        f"{monthly:.3f}",
        f"min({fee:.3f}, {plain(cap)})",
    )
    total = money(monthly * months)
    w.line(
        _("Total for %(n)s months (JD)") % {"n": months},
        f"{total:.3f}",
        f"{monthly:.3f} × {months}",
    )
    return ProgrammeFigure(payable=True, amount=total, working=w)


def _mother_choices(est) -> list[tuple[str, str]]:
    if est is None:
        return []
    seen: dict[str, str] = {}
    for p in active_employees(est).filter(individual__sex="F"):
        seen.setdefault(
            p.individual.identifier, f"{p.individual.name_ar} — {p.individual.identifier}"
        )
    return list(seen.items())


def _nursery_choices() -> list[tuple[str, str]]:
    rows = Nursery.objects.filter(
        programme=Nursery.Programme.CARE, status=Nursery.Status.ACCREDITED
    ).order_by("governorate", "name")
    return [(str(n.pk), f"{n.name} — {n.governorate} ({n.monthly_fee:.3f})") for n in rows]


class AddChildForm(forms.Form):
    mother = forms.ChoiceField(
        label=gettext_lazy("The mother (an employee of the establishment)"),
        help_text=gettext_lazy("The establishment's active women employees."),
    )
    child_name = forms.CharField(label=gettext_lazy("Child's full name"), max_length=120)
    child_birth_date = forms.DateField(label=gettext_lazy("Child's birth date"), widget=DATE)
    nursery = forms.ChoiceField(
        label=gettext_lazy("Nursery (accredited in the care programme)"),
        help_text=gettext_lazy("Name — governorate (monthly fee in JD)."),
    )
    first_month = forms.ChoiceField(label=gettext_lazy("First month in the nursery"))
    monthly_fee = forms.DecimalField(
        label=gettext_lazy("Monthly fee for the child (JD)"),
        min_value=Decimal("0.001"),
        max_digits=10,
        decimal_places=3,
    )

    def __init__(self, *args, user=None, **kwargs):
        self.establishment = establishment(user)
        super().__init__(*args, **kwargs)
        today = month_start(timezone.localdate())
        self.fields["mother"].choices = BLANK + _mother_choices(self.establishment)
        self.fields["nursery"].choices = BLANK + _nursery_choices()
        self.fields["first_month"].choices = BLANK + month_choices(
            [month_after(today, k) for k in range(0, 3)]
        )

    def clean_child_birth_date(self):
        value = self.cleaned_data["child_birth_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        first = parse_month(data["first_month"])
        max_age = int(rule("nursery.care.child_max_age_months", on=first).value)
        born = data["child_birth_date"]
        age = (first.year - born.year) * 12 + first.month - born.month
        if age >= max_age:
            self.add_error(
                "child_birth_date",
                _("The child is %(max)s months old or more by the first month.") % {"max": max_age},
            )
        nursery = Nursery.objects.get(pk=int(data["nursery"]))
        if data["monthly_fee"] > nursery.monthly_fee:
            self.add_error(
                "monthly_fee",
                _("The nursery's monthly fee is %(fee)s JD: the child's fee cannot be more.")
                % {"fee": f"{nursery.monthly_fee:.3f}"},
            )
        if NurseryChild.objects.filter(
            mother__in=_mothers(data["mother"]),
            child_name=data["child_name"],
            child_birth_date=born,
        ).exists():
            self.add_error("child_name", _("This child is already in nursery care."))
        return data


def _mothers(identifier: str):
    from django.db.models import Q

    from individuals.models import Individual

    return Individual.objects.filter(Q(national_number=identifier) | Q(personal_number=identifier))


def _child_figure(est, data: dict) -> ProgrammeFigure | None:
    if not data.get("mother") or not data.get("first_month") or not data.get("monthly_fee"):
        return None
    mother = _mothers(data["mother"]).first()
    if mother is None:
        return None
    first = parse_month(data["first_month"])
    wages = wages_for(est, [mother], [month_after(first, -1), first])
    wage = wages.get((mother.pk, first)) or wages.get((mother.pk, month_after(first, -1)))
    if wage is None:
        return ProgrammeFigure(
            payable=False,
            amount=None,
            reasons=[
                _("%(name)s has no insured wage at the establishment.") % {"name": mother.name_ar}
            ],
        )
    return care_support(on=first, mother_wage=wage, fee=Decimal(str(data["monthly_fee"])))


def _child_compute(user, data: dict):
    est = establishment(user)
    return _child_figure(est, data) if est is not None else None


def _add_child_approve(req) -> None:
    est = locked_establishment(req)
    figure = _child_figure(est, req.data)
    if figure is None or not figure.payable:
        raise ServiceError(
            figure.reasons[0] if figure else _("Nothing is payable for these answers.")
        )
    d = req.data
    first = parse_month(d["first_month"])
    months = int(rule("nursery.care.months", on=first).value)
    nursery = Nursery.objects.get(pk=int(d["nursery"]))
    monthly = money(figure.amount / months)
    NurseryChild.objects.create(
        employer=est,
        mother=_mothers(d["mother"]).get(),
        nursery=nursery,
        request=req,
        child_name=d["child_name"],
        child_birth_date=dt.date.fromisoformat(d["child_birth_date"]),
        first_month=first,
        last_month=month_after(first, months - 1),
        monthly_fee=Decimal(d["monthly_fee"]),
        monthly_support=monthly,
    )
    # Paid to the nursery after each month of care.
    schedule_payments(
        req,
        iban=nursery.iban,
        items=[(monthly, month_after(first, k + 1)) for k in range(months)],
    )


def _add_child_who() -> str:
    return _(
        "The liaison officer of an active establishment, for the child of one of its insured "
        "women employees whose wage is at most %(wage)s JD, placed in a nursery accredited in "
        "the care programme. The programme pays the nursery part of the monthly fee for "
        "%(months)s months."
    ) % {
        "wage": figure_text("nursery.care.max_wage"),
        "months": figure_text("nursery.care.months"),
    }


def _add_child_eligibility(user, today: dt.date) -> list[str]:
    reasons = officer_eligibility(user, today)
    if reasons:
        return reasons
    if not _mother_choices(establishment(user)):
        return [_("The establishment has no active women employees.")]
    if not Nursery.objects.filter(
        programme=Nursery.Programme.CARE, status=Nursery.Status.ACCREDITED
    ).exists():
        return [_("No nursery is accredited in the care programme yet.")]
    return []


ADD_CHILD = register(
    RequestService(
        code="nursery.add-child",
        form_class=AddChildForm,
        who=lazy(_add_child_who, str)(),
        decision_days=10,
        reference_prefix="NCHD",
        audience="establishment",
        documents=(
            DocumentSpec("birth_certificate", gettext_lazy("Birth certificate of the child")),
            DocumentSpec(
                "enrolment", gettext_lazy("The nursery's confirmation that the child is enrolled")
            ),
        ),
        eligibility=_add_child_eligibility,
        compute=_child_compute,
        on_approve=_add_child_approve,
    )
)

__all__ = ["month_label"]
