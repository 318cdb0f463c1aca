"""Pages of coverage movements and wage files: send one by the form or many by a file, follow the
check, confirm, and the lists of movements and submissions."""

from __future__ import annotations

import csv
import io
from functools import partial

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.exceptions import ServiceError
from accounts.fields import DigitsField

from . import submissions as svc
from .models import Movement, Submission
from .selectors import own_establishment_or_404
from .tasks import validate_submission

K = Submission.Kind

TITLES = {
    K.START_MOVEMENTS: gettext_lazy("Coverage-start movements"),
    K.STOP_MOVEMENTS: gettext_lazy("Coverage-stop movements"),
    K.JANUARY_WAGES: gettext_lazy("January wages"),
    K.MONTHLY_WAGES: gettext_lazy("Monthly wages"),
    K.PREV_YEARS_WAGES: gettext_lazy("Complete previous years: stops and wages"),
    K.PREV_YEARS_MOVEMENTS: gettext_lazy("Complete previous years: start movements"),
}
URL_OF_KIND = {
    K.START_MOVEMENTS: "establishments:movements_start",
    K.STOP_MOVEMENTS: "establishments:movements_stop",
    K.JANUARY_WAGES: "establishments:wages_january",
    K.MONTHLY_WAGES: "establishments:wages_monthly",
    K.PREV_YEARS_WAGES: "establishments:wages_prev_years",
    K.PREV_YEARS_MOVEMENTS: "establishments:movements_prev_years",
}


def _add_period_fields(form: forms.Form, kind: str) -> None:
    this_year = timezone.localdate().year
    if kind in (K.START_MOVEMENTS, K.STOP_MOVEMENTS):
        return
    last = this_year - 1 if kind in svc.PAST_KINDS else this_year
    form.fields["year"] = forms.TypedChoiceField(
        label=_("Year"),
        coerce=int,
        choices=[(y, str(y)) for y in range(last, last - 30, -1)],
    )
    if kind in (K.MONTHLY_WAGES, K.PREV_YEARS_WAGES):
        form.fields["month"] = forms.TypedChoiceField(
            label=_("Month"), coerce=int, choices=list(MONTHS.items())
        )


def _period(form: forms.Form, kind: str):
    return svc.period_for(
        kind=kind, year=form.cleaned_data.get("year"), month=form.cleaned_data.get("month")
    )


class OneRowForm(forms.Form):
    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        _add_period_fields(self, kind)
        self.fields["national_number"] = DigitsField(label=_("National number"), digits=10)
        cols = svc.COLUMNS[kind]
        labels = dict(zip(cols, svc.column_labels(kind), strict=True))
        if "date" in cols:
            self.fields["date"] = forms.DateField(
                label=labels["date"].split(" (")[0],
                required=kind != K.PREV_YEARS_WAGES,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )
        if "wage" in cols:
            self.fields["wage"] = forms.DecimalField(
                label=_("Wage (JD)"), max_digits=12, decimal_places=3, min_value=0
            )
        if "reason" in cols:
            self.fields["reason"] = forms.ChoiceField(
                label=labels["reason"],
                required=kind != K.PREV_YEARS_WAGES,
                choices=[("", "—"), *svc.STOP_REASONS],
            )


class UploadForm(forms.Form):
    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        _add_period_fields(self, kind)
        self.fields["file"] = forms.FileField(
            label=_("The file (CSV or XLSX)"),
            widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
        )


@login_required
def send(request: HttpRequest, kind: str) -> HttpResponse:
    """The page of one kind: one row by the form, or many by a file."""
    est = own_establishment_or_404(request.user)
    one = OneRowForm(kind=kind, prefix="one")
    upload = UploadForm(kind=kind, prefix="file")
    if request.method == "POST" and "one-national_number" in request.POST:
        one = OneRowForm(request.POST, kind=kind, prefix="one")
        if one.is_valid():
            values = {
                k: ("" if v is None else str(v))
                for k, v in one.cleaned_data.items()
                if k in svc.COLUMNS[kind]
            }
            values["date"] = (
                one.cleaned_data["date"].isoformat() if one.cleaned_data.get("date") else ""
            )
            try:
                svc.submit_one(
                    establishment=est,
                    user=request.user,
                    kind=kind,
                    period=_period(one, kind),
                    values=values,
                )
            except ServiceError as exc:
                for fname, msg in getattr(exc, "errors", [(exc.field, exc.message)]):
                    one.add_error(fname if fname in one.fields else None, msg)
            else:
                messages.success(request, _("Saved."))
                return redirect(URL_OF_KIND[kind])
    elif request.method == "POST":
        upload = UploadForm(request.POST, request.FILES, kind=kind, prefix="file")
        if upload.is_valid():
            try:
                sub = svc.submission_create(
                    establishment=est,
                    user=request.user,
                    kind=kind,
                    period=_period(upload, kind),
                    upload=upload.cleaned_data["file"],
                )
            except ServiceError as exc:
                upload.add_error(exc.field if exc.field in upload.fields else None, exc.message)
            else:
                transaction.on_commit(
                    partial(validate_submission.delay, sub.pk, translation.get_language() or "ar")
                )
                return redirect("establishments:submissions_detail", pk=sub.pk)
    return render(
        request,
        "establishments/submissions/send.html",
        {
            "establishment": est,
            "kind": kind,
            "title": TITLES[kind],
            "one": one,
            "upload": upload,
            "is_movement": svc.is_movement_kind(kind),
            "columns": svc.column_labels(kind),
            "reasons": svc.STOP_REASONS if "reason" in svc.COLUMNS[kind] else [],
        },
    )


def _own_submission(request: HttpRequest, pk: int) -> Submission:
    est = own_establishment_or_404(request.user)
    return get_object_or_404(
        Submission.objects.select_related("establishment"), pk=pk, establishment=est
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress while the file is checked (refreshes itself), then the summary and the errors."""
    sub = _own_submission(request, pk)
    checking = sub.status == Submission.Status.VALIDATING
    response = render(
        request,
        "establishments/submissions/detail.html",
        {
            "sub": sub,
            "title": TITLES[sub.kind],
            "checking": checking,
            "shown": sub.summary.get("shown", []),
            "send_url": reverse(URL_OF_KIND[sub.kind]),
            "is_movement": svc.is_movement_kind(sub.kind),
            "confirm_by": svc.confirm_by(sub),
        },
    )
    if checking:
        response["Refresh"] = "2"
    return response


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _own_submission(request, pk)
    try:
        svc.submission_confirm(submission=sub, user=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The file was saved: %(n)s rows.") % {"n": sub.rows_total})
    return redirect("establishments:submissions_detail", pk=sub.pk)


@login_required
def errors_file(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _own_submission(request, pk)
    if not sub.errors_file:
        raise Http404
    return FileResponse(
        sub.errors_file.open("rb"),
        as_attachment=True,
        filename=f"submission-{sub.pk}-errors.csv",
        content_type="text/csv; charset=utf-8",
    )


@login_required
def template_file(request: HttpRequest, kind: str) -> HttpResponse:
    """An empty file with the Arabic headers of this kind (CSV, or XLSX with ?format=xlsx)."""
    own_establishment_or_404(request.user)
    headers = svc.column_labels(kind)
    if request.GET.get("format") == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet()
        ws.append(headers)
        buf = io.BytesIO()
        wb.save(buf)
        response = HttpResponse(
            buf.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{kind}-template.xlsx"'
        return response
    buf = io.StringIO()
    csv.writer(buf).writerow(headers)
    response = HttpResponse(("\ufeff" + buf.getvalue()).encode(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.csv"'
    return response


@login_required
def movements_list(request: HttpRequest) -> HttpResponse:
    """قائمة الحركات: every movement of the establishment, newest first."""
    est = own_establishment_or_404(request.user)
    qs = Movement.objects.filter(establishment=est).select_related("individual", "submission")
    kind = request.GET.get("kind")
    if kind in Movement.Kind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    reasons = dict(svc.STOP_REASONS)
    for m in page.object_list:
        m.reason_label = reasons.get(m.stop_reason, m.stop_reason)
    return render(
        request,
        "establishments/submissions/movements_list.html",
        {"page": page, "kind": kind, "kinds": Movement.Kind.choices},
    )


def _submissions(request: HttpRequest, kinds, title) -> HttpResponse:
    est = own_establishment_or_404(request.user)
    qs = Submission.objects.filter(establishment=est, kind__in=kinds).select_related("created_by")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "establishments/submissions/submissions_list.html",
        {"page": page, "title": title, "send_links": [(URL_OF_KIND[k], TITLES[k]) for k in kinds]},
    )


@login_required
def movements_submissions(request: HttpRequest) -> HttpResponse:
    return _submissions(request, svc.MOVEMENT_KINDS, _("List of movement submissions"))


@login_required
def wages_submissions(request: HttpRequest) -> HttpResponse:
    return _submissions(request, svc.WAGE_KINDS, _("List of wage-file submissions"))
