from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.exceptions import ServiceError
from accounts.views import PENDING_ACTIVATION, add_service_error

from .forms import JordanianRegistrationForm, NonJordanianRegistrationForm
from .models import Individual, InsurancePeriod
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
        {"individual": individual, "periods": periods, "total_months": total_months},
    )
