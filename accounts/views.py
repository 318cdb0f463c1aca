"""Sign-in, activation and password reset. Views are thin: forms validate, services act."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .exceptions import OtpThrottled, ServiceError
from .forms import ActivationForm, PasswordResetCompleteForm, PasswordResetStartForm, SignInForm
from .models import OneTimeCode, User
from .services import (
    home_url_for,
    otp_issue,
    password_reset_complete,
    password_reset_start,
    user_activate,
)

PENDING_ACTIVATION = "pending_activation_user"
PASSWORD_RESET = "password_reset_user"


def add_service_error(form, exc: ServiceError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def mask(destination: str) -> str:
    """Show enough of where a code went for the person to recognise it, no more."""
    if "@" in destination:
        name, _at, domain = destination.partition("@")
        return f"{name[:2]}***@{domain}"
    return f"{destination[:4]}*****{destination[-2:]}"


def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(home_url_for(request.user))
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = form.get_user()
            login(request, user)
            next_url = request.POST.get("next") or request.GET.get("next")
            from django.utils.http import url_has_allowed_host_and_scheme

            if next_url and url_has_allowed_host_and_scheme(
                next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                return redirect(next_url)
            return redirect(home_url_for(user))
        if form.not_activated_user is not None:
            request.session[PENDING_ACTIVATION] = form.not_activated_user.pk
            messages.warning(request, _("Your account is not activated yet."))
            return redirect("accounts:activate")
    return render(request, "accounts/sign_in.html", {"form": form})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("home")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect(home_url_for(request.user))


def _pending_user(request: HttpRequest) -> User | None:
    pk = request.session.get(PENDING_ACTIVATION)
    return User.objects.filter(pk=pk).first() if pk else None


def activate(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        messages.info(request, _("Sign in with your identifier and password to activate."))
        return redirect("accounts:login")
    if user.is_activated:
        request.session.pop(PENDING_ACTIVATION, None)
        return redirect("accounts:login")
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_activate(user=user, code=form.cleaned_data["code"])
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            request.session.pop(PENDING_ACTIVATION, None)
            messages.success(request, _("Your account is activated. You can sign in now."))
            return redirect("accounts:login")
    last = (
        user.one_time_codes.filter(purpose=OneTimeCode.Purpose.ACTIVATION)
        .order_by("-created_at")
        .first()
    )
    return render(
        request,
        "accounts/activate.html",
        {"form": form, "sent_to": mask(last.sent_to) if last else "", "pending": user},
    )


@require_POST
def activation_resend(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None or user.is_activated:
        return redirect("accounts:login")
    try:
        otp_issue(user=user, purpose=OneTimeCode.Purpose.ACTIVATION)
    except OtpThrottled as exc:
        messages.error(request, exc.message)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("A new code has been sent. The earlier code no longer works."))
    return redirect("accounts:activate")


def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            user = password_reset_start(
                id_type=d["id_type"], id_number=d["username"], channel=d["channel"]
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            request.session[PASSWORD_RESET] = user.pk if user else 0
            messages.info(
                request,
                _("If the details match a registered account, a code has been sent to it."),
            )
            return redirect("accounts:password_reset_verify")
    return render(request, "accounts/password_reset.html", {"form": form})


def password_reset_verify(request: HttpRequest) -> HttpResponse:
    if PASSWORD_RESET not in request.session:
        return redirect("accounts:password_reset")
    pk = request.session[PASSWORD_RESET]
    user = User.objects.filter(pk=pk).first() if pk else None
    form = PasswordResetCompleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if user is None:
            form.add_error("code", _("The code is not correct. Check it and try again."))
        else:
            try:
                password_reset_complete(
                    user=user,
                    code=form.cleaned_data["code"],
                    new_password=form.cleaned_data["new_password1"],
                )
            except ServiceError as exc:
                add_service_error(form, exc)
            except Exception as exc:  # password validators raise django's ValidationError
                from django.core.exceptions import ValidationError

                if not isinstance(exc, ValidationError):
                    raise
                form.add_error("new_password1", exc)
            else:
                request.session.pop(PASSWORD_RESET, None)
                messages.success(request, _("Your password has been changed. Sign in with it."))
                return redirect("accounts:login")
    return render(request, "accounts/password_reset_verify.html", {"form": form})


def locked_out(request: HttpRequest, credentials=None, *args, **kwargs) -> HttpResponse:
    return render(request, "accounts/locked_out.html", status=429)
