"""est.statement, opt.statement and the self-employment statement: one view and one template for
any account kind. The account is always the signed-in user's own: the establishment their liaison
officer account acts for, or the person's own subscriber account of that kind. An account number
in the URL that is not theirs is 404."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from eservices.dates import add_months
from eservices.documents import document_issue
from eservices.models import Document
from eservices.selectors import service
from establishments.selectors import own_establishment_or_404
from individuals.models import Individual

from ..models import Account
from . import account_statement

KINDS = tuple(Account.Kind.values)


class RangeForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "dir": "ltr"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "dir": "ltr"}, format="%Y-%m-%d"),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end date must be on or after the start date."))
        return data


def default_range(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last twelve months: from the first day of the month eleven months ago, to today."""
    return add_months(today.replace(day=1), -11), today


def _title(kind: str) -> str:
    if kind == Account.Kind.ESTABLISHMENT:
        return str(service("est.statement").name)
    if kind == Account.Kind.OPTIONAL:
        return str(service("opt.statement").name)
    return _("Self-employment account statement")


def _holder(request: HttpRequest, kind: str) -> tuple[dict, Account | None]:
    """Who the statement is of, and their account of that kind (None when they have none yet).
    The wrong kind of user is refused (403); a user without a record is 404."""
    user = request.user
    if kind == Account.Kind.ESTABLISHMENT:
        if not user.is_establishment:
            raise PermissionDenied
        est = own_establishment_or_404(user)
        account = Account.objects.filter(kind=kind, establishment=est).first()
        return {
            "name": est.name,
            "number_label": _("Establishment insurance number"),
            "number": est.insurance_number,
        }, account
    if not user.is_individual:
        raise PermissionDenied
    person = Individual.objects.filter(user=user).first()
    if person is None:
        raise Http404
    account = Account.objects.filter(kind=kind, individual=person).first()
    return {
        "name": person.name_ar,
        "number_label": _("National number") if person.is_jordanian else _("Personal number"),
        "number": person.identifier,
    }, account


def _context(request: HttpRequest, kind: str, number: str | None, data) -> dict:
    if kind not in KINDS:
        raise Http404
    holder, account = _holder(request, kind)
    if number is not None and (account is None or account.number != number):
        raise Http404  # somebody else's account, or none
    form = RangeForm(data or None)
    start, end = default_range(timezone.localdate())
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    elif not form.is_bound:
        form = RangeForm(initial={"start": start, "end": end})
    statement = account_statement(account, start=start, end=end)
    return {
        "title": _title(kind),
        "kind": kind,
        "holder": holder,
        "has_account": account is not None,
        "as_of": timezone.localdate().isoformat(),
        **statement.as_context(),
        "_form": form,
    }


@login_required
def statement(request: HttpRequest, kind: str, number: str | None = None) -> HttpResponse:
    """The statement page: the range chosen by GET (the last twelve months by default)."""
    context = _context(request, kind, number, request.GET)
    form = context.pop("_form")
    return render(
        request,
        "payments/statement.html",
        {**context, "form": form, "pdf_url_kind": kind},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def statement_pdf(request: HttpRequest, kind: str) -> HttpResponse:
    """The same statement as a PDF with a verification code; the download page waits for it."""
    context = _context(request, kind, None, request.POST)
    form = context.pop("_form")
    if form.errors:
        return redirect("payments:statement", kind=kind)
    # What the public verification page shows: whose account, the dates and the balances.
    certifies = {
        "رقم الحساب": context["account_number"] or "—",
        "صاحب الحساب": context["holder"]["name"],
        "من تاريخ": context["start"],
        "إلى تاريخ": context["end"],
        "الرصيد الافتتاحي (دينار)": context["opening"],
        "الرصيد الختامي (دينار)": context["closing"],
    }
    doc = document_issue(
        owner=request.user,
        kind=Document.Kind.STATEMENT,
        title=context["title"],
        template="pdf/account_statement.html",
        context=context,
        certifies=certifies,
    )
    return redirect("eservices:document_download", pk=doc.pk)
