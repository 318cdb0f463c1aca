"""The nursery inquiries (pages, not requests), for the establishment's liaison officer only.

- nursery.covered: the children covered by nursery care — those of the establishment's employees,
  and, when the establishment runs an accredited nursery, the children placed in it.
- nursery.operating-costs: the establishment's nurseries accredited for the contribution to their
  operating costs, the costs declared, the contribution with its working and its instalments.

Each page runs a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from eservices.selectors import service
from establishments.inquiries import officer_required
from payments.models import BenefitPayment

from .models import Nursery, NurseryChild


@officer_required
def nursery_covered(request: HttpRequest, establishment) -> HttpResponse:
    children = (
        NurseryChild.objects.filter(employer=establishment)
        .select_related("mother", "nursery")
        .order_by("-first_month", "child_name")
    )
    placed = (
        NurseryChild.objects.filter(nursery__establishment=establishment)
        .select_related("mother", "employer", "nursery")
        .order_by("-first_month", "child_name")
    )
    return render(
        request,
        "establishments/programmes/nursery_covered.html",
        {
            "service": service("nursery.covered"),
            "establishment": establishment,
            "children": list(children),
            "placed": list(placed),
        },
    )


@officer_required
def nursery_operating_costs(request: HttpRequest, establishment) -> HttpResponse:
    nurseries = (
        Nursery.objects.filter(establishment=establishment, programme=Nursery.Programme.COSTS)
        .select_related("request")
        .prefetch_related(
            Prefetch(
                "request__payments",
                queryset=BenefitPayment.objects.order_by("sequence"),
                to_attr="instalments",
            )
        )
        .order_by("-accredited_on")
    )
    rows = []
    for n in nurseries:
        paid = sum(
            (p.amount for p in n.request.instalments if p.status == BenefitPayment.Status.PAID),
            start=0,
        )
        monthly = (n.monthly_rent or 0) + (n.monthly_salaries or 0) + (n.monthly_contributions or 0)
        rows.append(
            {
                "nursery": n,
                "monthly_costs": monthly,
                "instalments": n.request.instalments,
                "paid": paid,
                "working": n.request.working or None,
            }
        )
    return render(
        request,
        "establishments/programmes/nursery_operating_costs.html",
        {
            "service": service("nursery.operating-costs"),
            "establishment": establishment,
            "rows": rows,
        },
    )
