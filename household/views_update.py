"""hh.update, as the source describes it: personal data → address and contact (the mobile) → bank
account → income → the terms → a 4-digit code sent by SMS → "confirm" → a confirmation message
→ "close"."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.exceptions import OtpThrottled, ServiceError
from accounts.views import mask

from .application import active_pension
from .entitlement import sar
from .forms import BankForm, ContactForm, IncomeForm, MobileCodeForm, TermsForm, local_mobile
from .models import ProfileUpdate
from .signup import household_view
from .updates import (
    done_steps,
    update_confirm,
    update_save_step,
    update_send_code,
    update_start,
)
from .validators import mask_iban


def _posted(request: HttpRequest):
    """The POST data of a POST (even an empty one: a box left unticked is an answer)."""
    return request.POST if request.method == "POST" else None


STEPS = [
    ("personal", gettext_lazy("Personal data"), None),
    ("contact", gettext_lazy("Address and contact"), ContactForm),
    ("bank", gettext_lazy("Bank account"), BankForm),
    ("income", gettext_lazy("Income data"), IncomeForm),
    ("terms", gettext_lazy("Terms"), TermsForm),
    ("code", gettext_lazy("Verification code"), MobileCodeForm),
]
KEYS = [k for k, _t, _f in STEPS]


def _steps(update: ProfileUpdate, current: str) -> list[dict]:
    done = done_steps(update)
    return [
        {
            "key": k,
            "label": t,
            "current": k == current,
            "url": reverse("household:update_step", args=[k]) if k in done or k == current else "",
        }
        for k, t, _f in STEPS
    ]


@household_view(profile_complete=True)
def update_resume(request: HttpRequest) -> HttpResponse:
    update = update_start(user=request.user)
    done = done_steps(update)
    key = next((k for k in KEYS if k not in done), "code")
    return redirect("household:update_step", key=key)


def _initial(update: ProfileUpdate, key: str) -> dict:
    values = dict(update.data.get(key, {}))
    if key == "contact" and values.get("mobile"):
        values["mobile"] = local_mobile(values["mobile"])
    return values


@household_view(profile_complete=True)
def update_step(request: HttpRequest, key: str) -> HttpResponse:
    if key not in KEYS:
        raise Http404
    update = update_start(user=request.user)
    done = done_steps(update)
    missing = [k for k in KEYS[: KEYS.index(key)] if k not in done]
    if missing:
        return redirect("household:update_step", key=missing[0])
    if key == "code":
        return _code(request, update)
    title = {k: t for k, t, _f in STEPS}[key]
    form_class = {k: f for k, _t, f in STEPS}[key]
    form = None
    if form_class is not None:
        form = form_class(_posted(request), user=request.user, initial=_initial(update, key))
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            update = update_save_step(
                update=update, step=key, cleaned=form.cleaned_data if form else {}
            )
            if key == "terms":
                update_send_code(update=update)
        except OtpThrottled as exc:
            messages.error(request, exc.message)
            return redirect("household:update_step", key="code")
        except ServiceError as exc:
            if form is None:
                raise
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("household:update_step", key=KEYS[KEYS.index(key) + 1])
    profile = request.user.household_profile
    return render(
        request,
        "household/update_step.html",
        {
            "form": form,
            "key": key,
            "title": title,
            "steps": _steps(update, key),
            "profile": profile,
        },
    )


def _code(request: HttpRequest, update: ProfileUpdate) -> HttpResponse:
    form = MobileCodeForm(_posted(request))
    if request.method == "POST" and "resend" in request.POST:
        try:
            update_send_code(update=update)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("A new code has been sent. The earlier code no longer works.")
            )
        return redirect("household:update_step", key="code")
    if request.method == "POST" and form.is_valid():
        try:
            update = update_confirm(update=update, code=form.cleaned_data["code"])
        except ServiceError as exc:
            form.add_error("code" if exc.field in (None, "code") else None, exc.message)
        else:
            return redirect("household:update_done", pk=update.pk)
    update.refresh_from_db()
    return render(
        request,
        "household/update_code.html",
        {
            "form": form,
            "steps": _steps(update, "code"),
            "sent_to": mask(update.code_sent_to) if update.code_sent_to else "",
        },
    )


@household_view(profile_complete=True)
def update_done(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation message; "close" goes back to the household home."""
    update = get_object_or_404(
        ProfileUpdate, pk=pk, user=request.user, status=ProfileUpdate.Status.CONFIRMED
    )
    new_amount = None
    pension = active_pension(request.user)
    if update.income_changed and pension and update.effective_month:
        from .payouts import pension_figure

        fig = pension_figure(pension, update.effective_month)
        new_amount = sar(fig.amount) if fig.amount else "0.00"
    profile = request.user.household_profile
    return render(
        request,
        "household/update_done.html",
        {
            "update": update,
            "new_amount": new_amount,
            "iban": mask_iban(profile.iban),
        },
    )
