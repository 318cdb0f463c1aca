"""The liaison officer's inquiries on their establishment, and the "to whom it may concern" letter.

Every page is for a signed-in liaison officer only (anyone else signed in: 403) and shows only
their own establishment: no establishment id in any URL, and an employee page of someone the
establishment never covered is 404."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from functools import wraps

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from eservices.documents import document_issue
from eservices.models import Document
from eservices.selectors import service

from .models import Movement
from .selectors import (
    active_employee_count,
    active_employees,
    employee_or_404,
    employee_periods,
    employee_wages,
    establishment_injuries,
    establishment_movements,
    own_establishment_or_404,
    previous_month,
    unentered_wages,
)

PER_PAGE = 25


def officer_required(view: Callable) -> Callable:
    """Signed in (else to the sign-in page), a liaison officer (else 403), with an establishment
    (else 404); the view gets it as its second argument."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_establishment:
            raise PermissionDenied
        establishment = own_establishment_or_404(request.user)
        return view(request, establishment, *args, **kwargs)

    return wrapper


def _page(request: HttpRequest, qs):
    return Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@officer_required
def establishment_data(request: HttpRequest, establishment) -> HttpResponse:
    """est.data: everything recorded on the establishment, and its owners or partners."""
    return render(
        request,
        "establishments/inquiries/data.html",
        {
            "service": service("est.data"),
            "establishment": establishment,
            "owners": establishment.owners.order_by("pk"),
            "active_count": active_employee_count(establishment),
        },
    )


@officer_required
def liaison_data(request: HttpRequest, establishment) -> HttpResponse:
    """est.liaison-data: the liaison officer recorded for the establishment."""
    return render(
        request,
        "establishments/inquiries/liaison.html",
        {
            "service": service("est.liaison-data"),
            "establishment": establishment,
            "officer": establishment.liaison_officer,
        },
    )


@officer_required
def employees(request: HttpRequest, establishment) -> HttpResponse:
    """est.active-employees: searchable, 25 a page, a fixed number of queries."""
    search = request.GET.get("q", "").strip()
    page = _page(request, active_employees(establishment, search=search))
    return render(
        request,
        "establishments/inquiries/employees.html",
        {
            "service": service("est.active-employees"),
            "establishment": establishment,
            "page": page,
            "q": search,
            "query": _query_without_page(request),
        },
    )


@officer_required
def employees_xlsx(request: HttpRequest, establishment) -> HttpResponse:
    """The same list (the same search) as an Excel workbook, right to left."""
    from openpyxl import Workbook

    search = request.GET.get("q", "").strip()
    wb = Workbook()
    ws = wb.active
    ws.title = _("Active employees")[:31]
    ws.sheet_view.rightToLeft = True
    ws.append(
        [
            _("National or personal number"),
            _("Name"),
            _("Start date"),
            _("Monthly insured wage (JD)"),
        ]
    )
    for p in active_employees(establishment, search=search).iterator(chunk_size=500):
        ws.append([p.individual.identifier, p.individual.name_ar, p.start_date, p.monthly_wage])
        ws.cell(row=ws.max_row, column=3).number_format = "yyyy-mm-dd"
        ws.cell(row=ws.max_row, column=4).number_format = "0.000"
    for col, width in zip("ABCD", (18, 36, 14, 18), strict=True):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    today = timezone.localdate().isoformat()
    return FileResponse(
        buf,
        as_attachment=True,
        filename=f"active-employees-{establishment.insurance_number}-{today}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@officer_required
def employee(request: HttpRequest, establishment, number: str) -> HttpResponse:
    """est.employee-data: one employee's periods and monthly wages at this establishment only."""
    person = employee_or_404(establishment, number)
    return render(
        request,
        "establishments/inquiries/employee.html",
        {
            "service": service("est.employee-data"),
            "establishment": establishment,
            "person": person,
            "periods": employee_periods(establishment, person),
            "wages": employee_wages(establishment, person),
        },
    )


@officer_required
def employee_lookup(request: HttpRequest, establishment) -> HttpResponse:
    """The entry of est.employee-data: a national or personal number, then that employee's page."""
    number = request.GET.get("number", "").strip()
    if number:
        return redirect("establishments:inquiry_employee", number=number)
    return render(
        request,
        "establishments/inquiries/employee_lookup.html",
        {"service": service("est.employee-data"), "establishment": establishment},
    )


class MovementFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Movement"),
        required=False,
        choices=[("", gettext_lazy("All"))] + list(Movement.Kind.choices),
    )
    date_from = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


@officer_required
def movements(request: HttpRequest, establishment) -> HttpResponse:
    """est.movements-inquiry: coverage start and stop movements, by kind and dates, paginated."""
    form = MovementFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = establishment_movements(
        establishment,
        kind=filters.get("kind", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    return render(
        request,
        "establishments/inquiries/movements.html",
        {
            "service": service("est.movements-inquiry"),
            "establishment": establishment,
            "form": form,
            "page": _page(request, qs),
            "query": _query_without_page(request),
        },
    )


def _month_param(value: str, default: dt.date) -> dt.date:
    try:
        year, month = (int(x) for x in value.split("-")[:2])
        return dt.date(year, month, 1)
    except (ValueError, TypeError):
        return default


@officer_required
def unentered(request: HttpRequest, establishment) -> HttpResponse:
    """est.unentered-wages: the employees whose wage of a month (last month by default) is not in."""
    default = previous_month(timezone.localdate())
    month = _month_param(request.GET.get("month", ""), default)
    return render(
        request,
        "establishments/inquiries/unentered.html",
        {
            "service": service("est.unentered-wages"),
            "establishment": establishment,
            "month": month,
            "rows": unentered_wages(establishment, month),
        },
    )


@officer_required
def injuries(request: HttpRequest, establishment) -> HttpResponse:
    """est.injuries: the work injuries and occupational diseases of the establishment."""
    return render(
        request,
        "establishments/inquiries/injuries.html",
        {
            "service": service("est.injuries"),
            "establishment": establishment,
            "rows": establishment_injuries(establishment),
        },
    )


@officer_required
@require_http_methods(["GET", "POST"])
def letter(request: HttpRequest, establishment) -> HttpResponse:
    """est.to-whom-letter: a page with a button; the POST issues the PDF and goes to it."""
    today = timezone.localdate()
    count = active_employee_count(establishment, today=today)
    facts = {
        "name": establishment.name,
        "insurance_number": establishment.insurance_number,
        "coverage_date": establishment.coverage_date.isoformat(),
        "status": str(establishment.get_status_display()),
        "active_employees": count,
        "as_of": today.isoformat(),
    }
    if request.method == "POST":
        # What the public verification page shows: only the facts the letter certifies, with the
        # corporation's Arabic wording stored with the document (as the statement does).
        certifies = {
            "اسم المنشأة": facts["name"],
            "رقم المنشأة التأميني": facts["insurance_number"],
            "تاريخ الشمول": facts["coverage_date"],
            "حالة المنشأة": facts["status"],
            "عدد الموظفين الفعالين": str(count),
            "كما في تاريخ": facts["as_of"],
        }
        doc = document_issue(
            owner=request.user,
            # No "letter" kind exists yet: the closest is a decision notice (see the report).
            kind=Document.Kind.LETTER,
            title=str(service("est.to-whom-letter").name),
            template="establishments/inquiries/pdf/letter.html",
            context=facts,
            certifies=certifies,
        )
        return redirect("eservices:document_download", pk=doc.pk)
    return render(
        request,
        "establishments/inquiries/letter.html",
        {"service": service("est.to-whom-letter"), "establishment": establishment, **facts},
    )
