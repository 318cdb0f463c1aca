from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from individuals.models import InsurancePeriod

from .models import Establishment


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_establishment:
        raise PermissionDenied
    establishment = (
        Establishment.objects.select_related("liaison_officer")
        .filter(liaison_officer__user=request.user)
        .first()
    )
    today = timezone.localdate()
    active = 0
    if establishment:
        active = InsurancePeriod.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today), establishment=establishment
        ).count()
    return render(
        request,
        "establishments/home.html",
        {"establishment": establishment, "active_employees": active},
    )
