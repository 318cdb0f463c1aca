from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.exceptions import ServiceError
from accounts.views import PENDING_ACTIVATION, add_service_error
from eservices.documents import document_issue
from eservices.models import Document
from eservices.selectors import service

from .forms import JordanianRegistrationForm, NonJordanianRegistrationForm
from .models import Individual, InsurancePeriod
from .selectors import (
    PeriodRow,
    YearRow,
    contributions_by_year,
    insurance_summary,
    statement_rows,
)
from .services import individual_register_jordanian, individual_register_non_jordanian


def register_choose(request: HttpRequest) -> HttpResponse:
    return render(request, "individuals/register_choose.html")


def _register(request, form_class, service, template, title):
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = service(data=form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            request.session[PENDING_ACTIVATION] = user.pk
            messages.success(
                request,
                _("Your registration was received. Enter the activation code we sent you."),
            )
            return redirect("accounts:activate")
    return render(request, template, {"form": form, "title": title})


def register_jordanian(request: HttpRequest) -> HttpResponse:
    return _register(
        request,
        JordanianRegistrationForm,
        individual_register_jordanian,
        "individuals/register.html",
        _("Register a Jordanian individual"),
    )


def register_non_jordanian(request: HttpRequest) -> HttpResponse:
    return _register(
        request,
        NonJordanianRegistrationForm,
        individual_register_non_jordanian,
        "individuals/register.html",
        _("Register a non-Jordanian individual"),
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_individual:
        raise PermissionDenied
    individual = (
        Individual.objects.select_related("user")
        .prefetch_related(
            Prefetch("periods", queryset=InsurancePeriod.objects.select_related("establishment"))
        )
        .filter(user=request.user)
        .first()
    )
    periods = list(individual.periods.all()) if individual else []
    total_months = sum(p.months() for p in periods)
    return render(
        request,
        "individuals/home.html",
        {
            "individual": individual,
            "periods": periods,
            "total_months": total_months,
            "record_services": [service("ind.dashboard"), service("ind.detailed-statement")],
        },
    )


# --- The insurance record: «لوحة معلوماتي» and «كشف البيانات التفصيلي» ------------------------
# A person only ever sees their own record: the pages take no id, they read request.user's.


def _own_record(request: HttpRequest) -> Individual:
    if not request.user.is_individual:
        raise PermissionDenied
    individual = Individual.objects.filter(user=request.user).first()
    if individual is None:
        raise Http404
    return individual


def _jd(value: Decimal) -> str:
    """An amount in JD with its fils, as the corporation prints it: 1,094.283."""
    return f"{value:,.3f}"


def _month(value: dt.date | None) -> str:
    return value.strftime("%Y-%m") if value else ""


def _name(individual: Individual) -> str:
    if translation.get_language_bidi() or not individual.name_en:
        return individual.name_ar
    return individual.name_en


def _year_rows(years: list[YearRow]) -> list[dict[str, Any]]:
    """Years for tables and documents: plain strings and numbers (JSON-safe)."""
    return [
        {
            "year": y.year,
            "months": y.months,
            "total_wages": _jd(y.total_wages),
            "average_wage": _jd(y.average_wage),
        }
        for y in years
    ]


def _period_rows(periods: list[PeriodRow]) -> list[dict[str, Any]]:
    return [
        {
            "establishment": p.establishment or "",
            "establishment_number": p.establishment_number or "",
            "coverage": p.coverage_label,
            "start": p.start_date.isoformat(),
            "end": p.end_date.isoformat() if p.end_date else "",
            "monthly_wage": _jd(p.monthly_wage),
            "months": p.months,
            "total_wages": _jd(p.total_wages),
        }
        for p in periods
    ]


# Inline SVG bar charts, drawn on the server: no script, no library. The y axis stands on the
# side the reading starts from, and in a right-to-left language the years run right to left.


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    centre: float
    label: str
    show_label: bool
    title: str


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    description: str
    width: int
    height: int
    bars: list[Bar]
    ticks: list[Tick]
    plot_start: float  # x where the plot area starts (left edge) and ends (right edge)
    plot_end: float
    baseline: float  # y of the x axis
    axis_x: float  # x of the y axis
    tick_x: float  # x of the tick labels and their anchor
    tick_anchor: str
    label_y: float  # y of the year labels

    # The bars and year labels as SVG markup: one template variable each rather than eight
    # per bar keeps a 40-year chart quick to render. Numbers print with a dot in every
    # language (they are coordinates, not figures for people).
    @property
    def bars_svg(self) -> str:
        return format_html_join(
            "\n",
            '<rect x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>',
            ((b.x, b.y, b.width, b.height, b.title) for b in self.bars),
        )

    @property
    def labels_svg(self) -> str:
        return format_html_join(
            "\n",
            '<text x="{}" y="{}" text-anchor="middle">{}</text>',
            ((b.centre, self.label_y, b.label) for b in self.bars if b.show_label),
        )


CHART_WIDTH, CHART_HEIGHT = 640, 260
AXIS_SPACE, FAR_SIDE, TOP, BOTTOM = 64, 12, 14, 32
MAX_YEAR_LABELS = 12


def _nice_step(top: float, steps: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) that covers ``top`` in ``steps``."""
    raw = top / steps
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if raw <= m * power)


def _bar_chart(
    key: str,
    title: str,
    points: list[tuple[int, float, str]],
    *,
    rtl: bool,
    tick_label: Callable[[float], str],
    top: float | None = None,
    step: float | None = None,
) -> Chart:
    """One bar per (year, value, value as text), oldest year at the reading start."""
    n = len(points)
    highest = max(value for _year, value, _text in points) or 1
    step = step or _nice_step(top or highest)
    top = top or step * math.ceil(highest / step)
    plot_width = CHART_WIDTH - AXIS_SPACE - FAR_SIDE
    plot_height = CHART_HEIGHT - TOP - BOTTOM
    start = FAR_SIDE if rtl else AXIS_SPACE
    end = start + plot_width
    baseline = TOP + plot_height
    slot = plot_width / n
    width = min(slot * 0.7, 48)
    every = math.ceil(n / MAX_YEAR_LABELS)
    bars = []
    for i, (year, value, text) in enumerate(points):
        position = n - 1 - i if rtl else i
        centre = start + slot * (position + 0.5)
        height = plot_height * value / top
        bars.append(
            Bar(
                x=round(centre - width / 2, 1),
                y=round(baseline - height, 1),
                width=round(width, 1),
                height=round(height, 1),
                centre=round(centre, 1),
                label=str(year),
                show_label=(n - 1 - i) % every == 0,  # the latest year always has its label
                title=f"{year}: {text}",
            )
        )
    ticks = [
        Tick(y=round(baseline - plot_height * (k * step) / top, 1), label=tick_label(k * step))
        for k in range(round(top / step) + 1)
    ]
    first, last = points[0][0], points[-1][0]
    return Chart(
        key=key,
        title=title,
        description=_("From %(first)s to %(last)s. The figures are in the table that follows.")
        % {"first": first, "last": last},
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        bars=bars,
        ticks=ticks,
        plot_start=start,
        plot_end=end,
        baseline=baseline,
        axis_x=end if rtl else start,
        tick_x=end + 6 if rtl else start - 6,
        tick_anchor="start" if rtl else "end",
        label_y=baseline + 18,
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """«لوحة معلوماتي»: the headline figures, and wages and months per year as charts."""
    individual = _own_record(request)
    summary = insurance_summary(individual)
    years = contributions_by_year(individual)
    rtl = translation.get_language_bidi()
    charts = {}
    if years:
        charts["wages_chart"] = _bar_chart(
            "wages",
            _("Average monthly insured wage per year (JD)"),
            [(y.year, float(y.average_wage), _jd(y.average_wage)) for y in years],
            rtl=rtl,
            tick_label=lambda v: f"{v:,.0f}",
        )
        charts["months_chart"] = _bar_chart(
            "months",
            _("Contribution months per year"),
            [(y.year, y.months, str(y.months)) for y in years],
            rtl=rtl,
            tick_label=lambda v: f"{v:.0f}",
            top=12,
            step=3,
        )
    coverage = summary["current_coverage"]
    return render(
        request,
        "individuals/dashboard.html",
        {
            "service": service("ind.dashboard"),
            "name": _name(individual),
            "today": timezone.localdate(),
            "summary": summary,
            "first_month": _month(summary["first_month"]),
            "last_month": _month(summary["last_month"]),
            "last_wage": _jd(summary["last_wage"]) if summary["last_wage"] is not None else "",
            "current": summary["current_employer"]
            or (InsurancePeriod.Coverage(coverage).label if coverage else ""),
            "missing_months": max(0, summary["period_months"] - summary["contribution_months"]),
            "years": _year_rows(years),
            **charts,
        },
    )


def _statement(individual: Individual) -> dict[str, Any]:
    """Everything the statement shows, JSON-safe: the page and the PDF both render it."""
    periods = statement_rows(individual)
    years = contributions_by_year(individual)
    return {
        "person": {
            "name": _name(individual),
            "is_jordanian": individual.is_jordanian,
            "number": individual.identifier,
            "insurance_number": individual.insurance_number,
            "birth_date": individual.birth_date.isoformat(),
        },
        "as_of": timezone.localdate().isoformat(),
        "periods": _period_rows(periods),
        "period_totals": {
            "months": sum(p.months for p in periods),
            "total_wages": _jd(sum((p.total_wages for p in periods), Decimal(0))),
        },
        "years": _year_rows(years),
        "totals": {
            "months": sum(y.months for y in years),
            "total_wages": _jd(sum((y.total_wages for y in years), Decimal(0))),
        },
    }


@login_required
def statement(request: HttpRequest) -> HttpResponse:
    """«كشف البيانات التفصيلي»: periods, employers, wages and contribution months."""
    individual = _own_record(request)
    return render(
        request,
        "individuals/statement.html",
        {"service": service("ind.detailed-statement"), **_statement(individual)},
    )


@login_required
@require_POST
def statement_print(request: HttpRequest) -> HttpResponse:
    """The statement as a PDF document with a verification code; the PDF is rendered after
    the request commits, and the download page waits for it."""
    individual = _own_record(request)
    context = _statement(individual)
    person = context["person"]
    # What the public verification page shows: who, and how many months as of when. Never
    # the wages. The labels are the corporation's Arabic wording, stored with the document.
    certifies = {
        "الاسم": individual.name_ar,
        ("الرقم الوطني" if individual.is_jordanian else "الرقم الشخصي"): person["number"],
        "عدد الاشتراكات": str(context["totals"]["months"]),
        "كما في تاريخ": context["as_of"],
    }
    doc = document_issue(
        owner=request.user,
        kind=Document.Kind.STATEMENT,
        title=str(service("ind.detailed-statement").name),
        template="individuals/pdf/statement.html",
        context=context,
        certifies=certifies,
    )
    return redirect("eservices:document_download", pk=doc.pk)
