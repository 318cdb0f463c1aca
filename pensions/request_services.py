"""The retirement request services declared on the e-service engine: ret.old-age-request,
ret.early-request (a pension), ret.dependents-update (its dependants), ret.loan-request and
ret.loan-reschedule (a retiree loan). The figures come from calculator.py and loans.py; approval
runs services.py."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eservices.dates import month_after, month_start
from eservices.declarations import DocumentSpec, RequestService, register
from eservices.models import ServiceRequest
from eservices.rules import Working
from individuals.benefits.unemployment_service import BankAccountForm

from .calculator import EARLY, OLD_AGE
from .loans import LOAN_KEYS, loan_limits, retiree_loan
from .models import Dependant, Pension
from .rulebook import RuleBook
from .selectors import (
    Assumptions,
    active_dependants,
    active_loan,
    current_pension,
    loan_balance,
    pension_for_person,
    pension_record,
)
from .services import (
    DEPENDANT_SLOTS,
    DEPENDANTS_UPDATE,
    EARLY_REQUEST,
    LOAN_REQUEST,
    LOAN_RESCHEDULE,
    OLD_AGE_REQUEST,
    dependants_from_answers,
    dependants_update_approve,
    loan_grant,
    loan_reschedule_approve,
    pension_figure_for_request,
    pension_grant,
    recompute_parts,
    reschedule_figure,
)

DATE_WIDGET = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
BLANK = [("", "—")]  # shown as the answer "—" when no dependant is given
NATIONAL_NUMBER = re.compile(r"^\d{10}$")
OPEN = (ServiceRequest.Status.SUBMITTED, ServiceRequest.Status.UNDER_REVIEW)


def _individual(user):
    return getattr(user, "individual", None) if getattr(user, "is_individual", False) else None


def _open_request(user, codes) -> bool:
    return ServiceRequest.objects.filter(
        applicant=user, service_code__in=list(codes), status__in=OPEN
    ).exists()


# --- Forms -------------------------------------------------------------------------------------


class DependantsForm(forms.Form):
    """Up to three dependants (the increment is paid for up to three), each in four fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, DEPENDANT_SLOTS + 1):
            self.fields[f"dependant_{n}_name"] = forms.CharField(
                label=format_lazy(gettext_lazy("Dependant {n}: full name"), n=n),
                max_length=200,
                required=False,
            )
            self.fields[f"dependant_{n}_national_number"] = forms.CharField(
                label=format_lazy(gettext_lazy("Dependant {n}: national number"), n=n),
                max_length=10,
                required=False,
                widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
            )
            self.fields[f"dependant_{n}_kinship"] = forms.ChoiceField(
                label=format_lazy(gettext_lazy("Dependant {n}: kinship"), n=n),
                choices=BLANK + Dependant.Kinship.choices,
                required=False,
            )
            self.fields[f"dependant_{n}_birth_date"] = forms.DateField(
                label=format_lazy(gettext_lazy("Dependant {n}: birth date"), n=n),
                required=False,
                **DATE_WIDGET,
            )

    def clean(self):
        data = super().clean()
        seen = set()
        for n in range(1, DEPENDANT_SLOTS + 1):
            names = [
                f"dependant_{n}_{f}" for f in ("name", "national_number", "kinship", "birth_date")
            ]
            values = [data.get(k) for k in names]
            if not any(values):
                continue
            for key, value in zip(names, values, strict=True):
                if not value and key not in self.errors:
                    self.add_error(key, _("Fill in every detail of this dependant, or none."))
            number = data.get(f"dependant_{n}_national_number") or ""
            if number and not NATIONAL_NUMBER.match(number):
                self.add_error(
                    f"dependant_{n}_national_number", _("A national number is 10 digits.")
                )
            elif number in seen:
                self.add_error(
                    f"dependant_{n}_national_number", _("This dependant is listed twice.")
                )
            seen.add(number)
            born = data.get(f"dependant_{n}_birth_date")
            if born and born > timezone.localdate():
                self.add_error(f"dependant_{n}_birth_date", _("The date cannot be in the future."))
        return data


class PensionRequestForm(BankAccountForm, DependantsForm):
    declaration = forms.BooleanField(
        label=gettext_lazy(
            "I declare that my work and my coverage have stopped, and that the information I give "
            "is correct."
        )
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # the declaration last
        self.fields["declaration"] = self.fields.pop("declaration")
        self.fields["iban"].help_text = gettext_lazy(
            "The pension is paid into this account, in your name."
        )


class DependantsUpdateForm(DependantsForm):
    """The dependants as they should be from now on; it starts with the current ones."""

    def __init__(self, *args, user=None, **kwargs):
        if not kwargs.get("initial") and not args and "data" not in kwargs and user is not None:
            kwargs["initial"] = _current_dependants_initial(user)
        super().__init__(*args, **kwargs)


def _current_dependants_initial(user) -> dict:
    person = _individual(user)
    pension = current_pension(person) if person else None
    initial = {}
    for n, d in enumerate(active_dependants(pension) if pension else [], start=1):
        if n > DEPENDANT_SLOTS:
            break
        initial.update(
            {
                f"dependant_{n}_name": d.name,
                f"dependant_{n}_national_number": d.national_number,
                f"dependant_{n}_kinship": d.kinship,
                f"dependant_{n}_birth_date": d.birth_date.isoformat(),
            }
        )
    return initial


def _loan_help(user) -> str:
    person = _individual(user)
    pension = current_pension(person) if person else None
    if pension is None:
        return ""
    today = timezone.localdate()
    limits = loan_limits(
        Working(),
        RuleBook(today, LOAN_KEYS),
        net_pension=pension.amount,
        birth_date=person.birth_date,
        first_month=month_after(month_start(today), 1),
    )
    return _(
        "You can borrow up to %(max)s JD over up to %(months)s months; no instalment can be more "
        "than %(inst)s JD."
    ) % {
        "max": f"{limits.max_principal:.3f}",
        "months": limits.max_months,
        "inst": f"{limits.max_instalment:.3f}",
    }


class LoanRequestForm(forms.Form):
    amount = forms.DecimalField(
        label=gettext_lazy("Amount of the loan (JD)"),
        max_digits=12,
        decimal_places=3,
        min_value=Decimal("1"),
        widget=forms.NumberInput(attrs={"dir": "ltr", "step": "0.001"}),
    )
    months = forms.IntegerField(
        label=gettext_lazy("Term (months)"),
        min_value=1,
        max_value=600,
        widget=forms.NumberInput(attrs={"dir": "ltr"}),
    )
    declaration = forms.BooleanField(
        label=gettext_lazy(
            "I agree that the instalments are deducted from my pension each month until the loan "
            "is repaid."
        )
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["amount"].help_text = _loan_help(user)


class LoanRescheduleForm(forms.Form):
    months = forms.IntegerField(
        label=gettext_lazy("New term for the balance (months)"),
        min_value=1,
        max_value=600,
        widget=forms.NumberInput(attrs={"dir": "ltr"}),
    )
    declaration = forms.BooleanField(
        label=gettext_lazy(
            "I agree that the instalments still due are replaced by the new schedule."
        )
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        person = _individual(user) if user is not None else None
        pension = current_pension(person) if person else None
        loan = active_loan(pension) if pension else None
        if loan:
            self.fields["months"].help_text = _("Balance still due: %(b)s JD. %(limits)s") % {
                "b": f"{loan_balance(loan):.3f}",
                "limits": _loan_help(user),
            }


# --- Pension requests --------------------------------------------------------------------------


def pension_eligibility(kind: str):
    code = OLD_AGE_REQUEST if kind == OLD_AGE else EARLY_REQUEST

    def eligibility(user, today: dt.date) -> list[str]:
        person = _individual(user)
        if person is None:
            return [_("This service is for insured individuals.")]
        if current_pension(person):
            return [_("A pension is already being paid to you.")]
        if _open_request(user, (OLD_AGE_REQUEST, EARLY_REQUEST)):
            return [_("A pension request of yours is being decided.")]
        record = pension_record(person, today=today)
        reasons = []
        if record.covered:
            reasons.append(
                _(
                    "Your coverage has not stopped (an insurance period is open): a pension is "
                    "asked for after the work and the coverage stop."
                )
            )
        figure = pension_for_person(
            record, today, Assumptions(keeps_working=False), today=today, kind=kind
        )
        reasons += figure.reasons
        return reasons

    eligibility.__name__ = f"eligibility_{code}"
    return eligibility


def _pension_compute(code: str):
    def compute(user, data: dict):
        if _individual(user) is None:
            return None
        req = ServiceRequest(applicant=user, service_code=code, data=data)
        return pension_figure_for_request(req, on=timezone.localdate())

    return compute


PENSION_DOCUMENTS = (
    DocumentSpec(
        "family_book",
        gettext_lazy("Family book or birth certificates of the dependants listed"),
        required=False,
    ),
)

OLD_AGE_PENSION = register(
    RequestService(
        code=OLD_AGE_REQUEST,
        form_class=PensionRequestForm,
        who=gettext_lazy(
            "An insured person of the old-age age (60 for a man, 55 for a woman) with at least 180 "
            "contributions, 84 of them actual, whose work and coverage have stopped."
        ),
        decision_days=30,
        reference_prefix="OLD",
        documents=PENSION_DOCUMENTS,
        eligibility=pension_eligibility(OLD_AGE),
        compute=_pension_compute(OLD_AGE_REQUEST),
        on_approve=pension_grant,
    )
)

EARLY_PENSION = register(
    RequestService(
        code=EARLY_REQUEST,
        form_class=PensionRequestForm,
        who=gettext_lazy(
            "An insured person under the old-age age whose work and coverage have stopped: at 50 "
            "with 252 actual contributions (a man) or 228 (a woman), or at 45 with 300; first "
            "covered from 1 October 2019: a man at 55 with 252, a woman at 52 with 228. The "
            "pension is reduced by the age."
        ),
        decision_days=30,
        reference_prefix="ERL",
        documents=PENSION_DOCUMENTS,
        eligibility=pension_eligibility(EARLY),
        compute=_pension_compute(EARLY_REQUEST),
        on_approve=pension_grant,
    )
)


# --- Dependants --------------------------------------------------------------------------------


def retiree_eligibility(user, today: dt.date) -> list[str]:
    person = _individual(user)
    if person is None:
        return [_("This service is for insured individuals.")]
    if current_pension(person) is None:
        return [_("This service is for a person whose pension has been granted.")]
    return []


def dependants_eligibility(user, today: dt.date) -> list[str]:
    reasons = retiree_eligibility(user, today)
    if not reasons and _open_request(user, (DEPENDANTS_UPDATE,)):
        reasons.append(_("A change of your dependants is being decided."))
    return reasons


def dependants_compute(user, data: dict):
    """The pension with the dependants listed, from the next payroll."""
    from .calculator import PensionFigure

    person = _individual(user)
    pension = current_pension(person) if person else None
    if pension is None:
        return None
    parts, w = recompute_parts(
        pension, dependants=len(dependants_from_answers(data)), on=timezone.localdate()
    )
    return PensionFigure(
        payable=True,
        amount=parts.pension,
        working=w,
        kind=pension.kind,
        breakdown={"base": f"{pension.base:.3f}", **parts.as_json()},
    )


DEPENDANTS = register(
    RequestService(
        code=DEPENDANTS_UPDATE,
        form_class=DependantsUpdateForm,
        who=gettext_lazy(
            "A retiree whose pension is being paid: list the dependants as they are now (up to "
            "three are counted for the increment)."
        ),
        decision_days=14,
        reference_prefix="DEP",
        documents=(
            DocumentSpec(
                "family_book",
                gettext_lazy("Family book or birth certificates of the dependants listed"),
                required=False,
            ),
        ),
        eligibility=dependants_eligibility,
        compute=dependants_compute,
        on_approve=dependants_update_approve,
    )
)


# --- Loans -------------------------------------------------------------------------------------


def loan_eligibility(user, today: dt.date) -> list[str]:
    person = _individual(user)
    if person is None:
        return [_("This service is for insured individuals.")]
    pension = current_pension(person)
    if pension is None or pension.status != Pension.Status.ACTIVE:
        return [_("A retiree loan is for a person whose pension is being paid.")]
    if active_loan(pension):
        return [_("The loan already granted must be repaid before a new one.")]
    if _open_request(user, (LOAN_REQUEST, LOAN_RESCHEDULE)):
        return [_("A loan request of yours is being decided.")]
    limits = loan_limits(
        Working(),
        RuleBook(today, LOAN_KEYS),
        net_pension=pension.amount,
        birth_date=person.birth_date,
        first_month=month_after(month_start(today), 1),
    )
    if limits.max_months <= 0 or limits.max_principal <= 0:
        return [_("No term fits before the age limit: a loan cannot be granted.")]
    return []


def loan_compute(user, data: dict):
    person = _individual(user)
    pension = current_pension(person) if person else None
    if pension is None or not data.get("amount") or not data.get("months"):
        return None
    return retiree_loan(
        net_pension=pension.amount,
        birth_date=person.birth_date,
        principal=Decimal(str(data["amount"])),
        months=int(data["months"]),
        on=timezone.localdate(),
    )


LOAN = register(
    RequestService(
        code=LOAN_REQUEST,
        form_class=LoanRequestForm,
        who=gettext_lazy(
            "A retiree whose pension is being paid and who has no loan being repaid: up to 10 "
            "monthly pensions and at most 5,000 JD, over up to 60 months ending before the age of "
            "70, at 5% a year flat. You see the whole schedule before you send the request."
        ),
        decision_days=14,
        reference_prefix="LOAN",
        eligibility=loan_eligibility,
        compute=loan_compute,
        on_approve=loan_grant,
    )
)


def reschedule_eligibility(user, today: dt.date) -> list[str]:
    person = _individual(user)
    pension = current_pension(person) if person else None
    loan = active_loan(pension) if pension else None
    if loan is None:
        return [_("This service is for a retiree who is repaying a loan.")]
    if _open_request(user, (LOAN_REQUEST, LOAN_RESCHEDULE)):
        return [_("A loan request of yours is being decided.")]
    return []


def reschedule_compute(user, data: dict):
    person = _individual(user)
    pension = current_pension(person) if person else None
    loan = active_loan(pension) if pension else None
    if loan is None or not data.get("months"):
        return None
    return reschedule_figure(pension, loan, int(data["months"]), on=timezone.localdate())


RESCHEDULE = register(
    RequestService(
        code=LOAN_RESCHEDULE,
        form_class=LoanRescheduleForm,
        who=gettext_lazy(
            "A retiree repaying a loan: the balance still due is spread over a new term (up to 60 "
            "months, ending before the age of 70, no instalment above a quarter of the pension)."
        ),
        decision_days=14,
        reference_prefix="RSC",
        eligibility=reschedule_eligibility,
        compute=reschedule_compute,
        on_approve=loan_reschedule_approve,
    )
)
