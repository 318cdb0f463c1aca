"""The retirement pages: the expected-pension calculator (calc.expected-pension), the retiree's
pension (ret.pension-details), its payments (ret.pension-history), dependants (ret.dependents),
the decision notice (ret.decision-notice), and the loan page (limits and a schedule before
ret.loan-request). A person only ever sees their own: the pages take no id. Each runs a fixed
number of queries whatever the length of the record or the history."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from eservices.dates import age_on, month_after, month_start
from eservices.models import Document
from eservices.rules import Working
from eservices.selectors import service
from individuals.views import _own_record

from .calculator import OLD_AGE
from .loans import LOAN_KEYS, loan_limits, retiree_loan
from .models import LoanInstalment, Pension
from .rulebook import RuleBook
from .selectors import (
    Assumptions,
    active_dependants,
    active_loan,
    current_pension,
    pension_for_person,
    pension_record,
    retirement_options,
)
from .services import (
    DEPENDANTS_UPDATE,
    EARLY_REQUEST,
    LOAN_REQUEST,
    LOAN_RESCHEDULE,
    OLD_AGE_REQUEST,
    decision_notice_issue,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _links(*codes: str) -> list:
    return [service(c) for c in codes]


# --- calc.expected-pension -------------------------------------------------------------------


class AssumptionsForm(forms.Form):
    retirement_date = forms.DateField(
        label=gettext_lazy("Retirement date"),
        required=False,
        widget=DATE_WIDGET,
        help_text=gettext_lazy("Leave it empty to see the first date an old-age pension is due."),
    )
    wage_growth = forms.DecimalField(
        label=gettext_lazy("Yearly growth of your wage until then (%)"),
        min_value=Decimal("0"),
        max_value=Decimal("20"),
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs={"dir": "ltr", "step": "0.5"}),
    )
    dependants = forms.IntegerField(
        label=gettext_lazy("Number of dependants"),
        min_value=0,
        max_value=10,
        required=False,
        widget=forms.NumberInput(attrs={"dir": "ltr"}),
        help_text=gettext_lazy("The increment is paid for up to three dependants."),
    )
    keeps_working = forms.ChoiceField(
        label=gettext_lazy("Until the retirement date"),
        choices=[
            ("yes", gettext_lazy("I keep working and contributing")),
            ("no", gettext_lazy("I contribute no more")),
        ],
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_retirement_date(self):
        value = self.cleaned_data.get("retirement_date")
        if value and value < self.today:
            raise forms.ValidationError(_("Choose today or a later date."))
        if value and value.year > self.today.year + 60:
            raise forms.ValidationError(_("Choose a date within the next 60 years."))
        return value


def _default_choice(options) -> int:
    """The first date an old-age pension is due, else the first payable one, else the first."""
    for want in (
        lambda o: o.figure.payable and o.figure.kind == OLD_AGE,
        lambda o: o.figure.payable,
    ):
        for i, o in enumerate(options):
            if want(o):
                return i
    return 0


@login_required
def calculator(request: HttpRequest) -> HttpResponse:
    """The pension the person can expect at each possible retirement date, from their own record,
    with the assumptions they choose; the working of the date chosen."""
    individual = _own_record(request)
    today = timezone.localdate()
    record = pension_record(individual, today=today)
    keeps = "yes" if record.covered else "no"
    form = AssumptionsForm(
        request.GET or None,
        today=today,
        initial={"wage_growth": 0, "dependants": 0, "keeps_working": keeps},
    )
    chosen_date = None
    growth, dependants = Decimal(0), 0
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        growth = data["wage_growth"] or Decimal(0)
        dependants = data["dependants"] or 0
        keeps = data["keeps_working"] or keeps
        chosen_date = data["retirement_date"]
    assumptions = Assumptions(
        wage_growth=growth / 100, dependants=dependants, keeps_working=keeps == "yes"
    )
    books: dict = {}
    options = retirement_options(record, assumptions, today=today, books=books)
    index = next((i for i, o in enumerate(options) if o.date == chosen_date), None)
    if chosen_date and index is None:
        chosen = pension_for_person(record, chosen_date, assumptions, today=today, books=books)
        chosen_age = age_on(record.birth_date, chosen_date)
    else:
        index = _default_choice(options) if index is None else index
        chosen_date, chosen, chosen_age = (
            options[index].date,
            options[index].figure,
            options[index].age,
        )
    base_query = {
        "wage_growth": f"{growth.normalize():f}",
        "dependants": dependants,
        "keeps_working": keeps,
    }
    rows = [
        {
            "option": o,
            "chosen": o.date == chosen_date,
            "url": "?" + urlencode({**base_query, "retirement_date": o.date.isoformat()}),
        }
        for o in options
    ]
    return render(
        request,
        "pensions/calculator.html",
        {
            "service": service("calc.expected-pension"),
            "today": today,
            "record": record,
            "age": age_on(record.birth_date, today),
            "form": form,
            "rows": rows,
            "chosen_date": chosen_date,
            "chosen_age": chosen_age,
            "figure": chosen,
            "b": chosen.breakdown,
            "working": chosen.working.as_json(),
            "assumptions": assumptions,
            "growth_percent": growth,
            "requests": _links(OLD_AGE_REQUEST, EARLY_REQUEST),
        },
    )


# --- The retiree's pension ---------------------------------------------------------------------


def _no_pension(request: HttpRequest, code: str) -> HttpResponse:
    return render(
        request,
        "pensions/no_pension.html",
        {
            "service": service(code),
            "links": _links("calc.expected-pension", OLD_AGE_REQUEST, EARLY_REQUEST),
        },
    )


def _retiree_links() -> list:
    return _links(
        "ret.pension-details",
        "ret.pension-history",
        "ret.dependents",
        "ret.decision-notice",
        DEPENDANTS_UPDATE,
        LOAN_REQUEST,
        LOAN_RESCHEDULE,
    )


@login_required
def details(request: HttpRequest) -> HttpResponse:
    """ret.pension-details: the parts of the pension paid now, and how it was granted."""
    individual = _own_record(request)
    pension = current_pension(individual)
    if pension is None:
        return _no_pension(request, "ret.pension-details")
    loan = active_loan(pension)
    next_instalment = (
        loan.instalments.filter(status=LoanInstalment.Status.DUE).order_by("month").first()
        if loan
        else None
    )
    granted = (pension.working or {}).get("working") or None
    return render(
        request,
        "pensions/details.html",
        {
            "service": service("ret.pension-details"),
            "pension": pension,
            "dependants_count": len(active_dependants(pension)),
            "loan": loan,
            "next_instalment": next_instalment,
            "working": granted,
            "links": _retiree_links(),
        },
    )


@login_required
def history(request: HttpRequest) -> HttpResponse:
    """ret.pension-history: every payment of the pension, newest first."""
    individual = _own_record(request)
    pension = current_pension(individual)
    if pension is None:
        return _no_pension(request, "ret.pension-history")
    payments = list(pension.payments.order_by("-month"))
    totals = {
        "gross": sum((p.gross for p in payments), Decimal("0.000")),
        "deducted": sum((p.loan_deduction for p in payments), Decimal("0.000")),
        "net": sum((p.net for p in payments), Decimal("0.000")),
    }
    return render(
        request,
        "pensions/history.html",
        {
            "service": service("ret.pension-history"),
            "pension": pension,
            "payments": payments,
            "totals": totals,
            "links": _retiree_links(),
        },
    )


@login_required
def dependants(request: HttpRequest) -> HttpResponse:
    """ret.dependents: the dependants the pension is increased for, and those removed."""
    individual = _own_record(request)
    pension = current_pension(individual)
    if pension is None:
        return _no_pension(request, "ret.dependents")
    rows = list(pension.dependants.order_by("removed_on", "added_on", "pk"))
    current = [d for d in rows if d.removed_on is None]
    book = RuleBook(timezone.localdate(), ("pension.dependants_max",))
    most = int(book.row("pension.dependants_max").value)
    return render(
        request,
        "pensions/dependants.html",
        {
            "service": service("ret.dependents"),
            "pension": pension,
            "current": [(d, i < most) for i, d in enumerate(current)],
            "removed": [d for d in rows if d.removed_on is not None],
            "most": most,
            "update": service(DEPENDANTS_UPDATE),
            "links": _retiree_links(),
        },
    )


@login_required
def decision_notice(request: HttpRequest) -> HttpResponse:
    """ret.decision-notice: the decision notices of the person's pension, as PDFs."""
    individual = _own_record(request)
    pension = current_pension(individual)
    if pension is None:
        return _no_pension(request, "ret.decision-notice")
    docs = list(
        Document.objects.filter(owner=request.user, kind=Document.Kind.DECISION)
        .filter(request=pension.request)
        .order_by("-created_at")
    )
    return render(
        request,
        "pensions/decision_notice.html",
        {
            "service": service("ret.decision-notice"),
            "pension": pension,
            "documents": docs,
            "links": _retiree_links(),
        },
    )


@login_required
@require_POST
def decision_notice_print(request: HttpRequest) -> HttpResponse:
    """A new copy of the decision notice (the pension as it is now), rendered after commit."""
    individual = _own_record(request)
    pension = current_pension(individual)
    if pension is None:
        return _no_pension(request, "ret.decision-notice")
    doc = decision_notice_issue(pension)
    return redirect("eservices:document_download", pk=doc.pk)


# --- The loan page -----------------------------------------------------------------------------


class LoanPreviewForm(forms.Form):
    amount = forms.DecimalField(
        label=gettext_lazy("Amount of the loan (JD)"),
        min_value=Decimal("1"),
        max_digits=12,
        decimal_places=3,
        required=False,
        widget=forms.NumberInput(attrs={"dir": "ltr", "step": "0.001"}),
    )
    months = forms.IntegerField(
        label=gettext_lazy("Term (months)"),
        min_value=1,
        max_value=600,
        required=False,
        widget=forms.NumberInput(attrs={"dir": "ltr"}),
    )


@login_required
def loan(request: HttpRequest) -> HttpResponse:
    """The largest loan and instalment the rules allow the retiree now, and the schedule of an
    amount and term they try, before they ask for it (ret.loan-request)."""
    individual = _own_record(request)
    pension = current_pension(individual)
    if pension is None or pension.status != Pension.Status.ACTIVE:
        return _no_pension(request, LOAN_REQUEST)
    today = timezone.localdate()
    book = RuleBook(today, LOAN_KEYS)
    first_month = month_after(month_start(today), 1)
    limits = loan_limits(
        Working(),
        book,
        net_pension=pension.amount,
        birth_date=individual.birth_date,
        first_month=first_month,
    )
    form = LoanPreviewForm(request.GET or None)
    amount = limits.max_principal
    months = limits.max_months
    if form.is_bound and form.is_valid():
        amount = form.cleaned_data["amount"] or amount
        months = form.cleaned_data["months"] or months
    figure = None
    if months > 0 and amount > 0:
        figure = retiree_loan(
            net_pension=pension.amount,
            birth_date=individual.birth_date,
            principal=amount,
            months=months,
            on=today,
            rules=book,
        )
    current = active_loan(pension)
    return render(
        request,
        "pensions/loan.html",
        {
            "service": service(LOAN_REQUEST),
            "pension": pension,
            "limits": limits,
            "form": form,
            "amount": amount,
            "months": months,
            "figure": figure,
            "working": figure.working.as_json() if figure else None,
            "current_loan": current,
            "current_schedule": list(current.instalments.order_by("sequence")) if current else [],
            "request_service": service(LOAN_REQUEST),
            "reschedule": service(LOAN_RESCHEDULE),
            "links": _retiree_links(),
        },
    )
