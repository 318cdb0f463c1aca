"""The lump-sum inquiry pages: «استفسار تعويض الدفعة الواحدة» (lump.inquiry) and «استفسار إعادة
تعويض الدفعة الواحدة» (lump.re-inquiry). A person only ever sees their own record: the pages take
no id. Each runs a fixed number of queries, whatever the length of the record."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eservices.selectors import service
from individuals.views import _own_record

from .lump_sum import (
    LUMP_REQUEST,
    MaritalStatus,
    account_record,
    lump_sum_for_person,
    paid_lump_sums,
    restoration_cost,
)


class MaritalStatusForm(forms.Form):
    marital_status = forms.ChoiceField(
        label=gettext_lazy("Marital status"),
        choices=[("", "---------"), *MaritalStatus.choices],
        required=False,
    )


@login_required
def lump_inquiry(request: HttpRequest) -> HttpResponse:
    """Which case applies (or why none does), and the amount with its working."""
    individual = _own_record(request)
    today = timezone.localdate()
    form = MaritalStatusForm(request.GET or None)
    marital_status = form.cleaned_data["marital_status"] if form.is_valid() else ""
    record = account_record(individual, on=today)
    figure = lump_sum_for_person(individual, on=today, marital_status=marital_status, record=record)
    return render(
        request,
        "individuals/benefits/lump_inquiry.html",
        {
            "service": service("lump.inquiry"),
            "request_service": service(LUMP_REQUEST),
            "re_inquiry": service("lump.re-inquiry"),
            "today": today,
            "figure": figure,
            "breakdown": figure.breakdown,
            # the reasons beyond the cases, which the page lists with their conditions
            "other_reasons": figure.reasons[len(figure.cases) :]
            if figure.breakdown["case"] is None
            else figure.reasons,
            "working": figure.working.as_json(),
            "form": form if individual.sex == "F" else None,
            "months_uncovered": record.months_uncovered(today),
            "covered": record.covered,
        },
    )


@login_required
def lump_re_inquiry(request: HttpRequest) -> HttpResponse:
    """What restoring the months paid out by a lump sum would cost, and which months."""
    individual = _own_record(request)
    today = timezone.localdate()
    paid = paid_lump_sums(individual)
    figure = restoration_cost(paid=paid, on=today)
    return render(
        request,
        "individuals/benefits/lump_re_inquiry.html",
        {
            "service": service("lump.re-inquiry"),
            "inquiry": service("lump.inquiry"),
            "today": today,
            "paid": paid,
            "columns": [
                _("Reference number"),
                _("Paid on"),
                _("Amount received (JD)"),
                _("Months restored"),
                _("From"),
                _("To"),
                _("Total wages (JD)"),
            ],
            "figure": figure,
            "working": figure.working.as_json() if figure.payable else None,
        },
    )
