"""Views of the establishment registration wizard (acc.register-establishment).

Nobody signs in to register: the application is found by its secret token, which the resume link
carries. The proof document is served only to staff."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.exceptions import ServiceError
from accounts.views import add_service_error

from .models import EstablishmentApplication
from .registration import (
    EstablishmentForm,
    OfficerForm,
    OwnerFormSet,
    answers_sections,
    application_save_establishment,
    application_save_officer,
    application_save_owners,
    application_start,
    application_submit,
    form_initial,
)

A = EstablishmentApplication.Status


def _steps(app: EstablishmentApplication, current: str) -> list[dict]:
    steps = [
        ("establishment", _("The establishment's data"), "establishments:register_establishment"),
        ("owners", _("Owners or partners"), "establishments:register_owners"),
        ("officer", _("Liaison officer"), "establishments:register_officer"),
        ("check", _("Check your answers"), "establishments:register_check"),
    ]
    return [
        {
            "key": key,
            "label": label,
            "current": key == current,
            "url": reverse(name, args=[app.token]),
            "done": index < app.step,
            "open": index <= app.step,
        }
        for index, (key, label, name) in enumerate(steps)
    ]


def _draft(token: str) -> EstablishmentApplication:
    return get_object_or_404(EstablishmentApplication, token=token)


def _resume_url(request: HttpRequest, app: EstablishmentApplication) -> str:
    return request.build_absolute_uri(reverse("establishments:register_resume", args=[app.token]))


def _context(request, app, current: str, **extra) -> dict:
    return {
        "app": app,
        "steps": _steps(app, current),
        "resume_url": _resume_url(request, app),
        **extra,
    }


def _after_save(request, app, next_name: str) -> HttpResponse:
    if "save_draft" in request.POST:
        messages.success(
            request, _("Your answers are saved. Use the link on this page to come back.")
        )
        return redirect("establishments:register_resume", app.token)
    return redirect(next_name, app.token)


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """The start page: what is needed, then a new application."""
    if request.method == "POST":
        app = application_start()
        return redirect("establishments:register_establishment", app.token)
    return render(request, "establishments/register/start.html")


@never_cache
def register_resume(request: HttpRequest, token: str) -> HttpResponse:
    app = _draft(token)
    if app.status != A.DRAFT:
        return redirect("establishments:register_done", app.token)
    return render(request, "establishments/register/resume.html", _context(request, app, ""))


def wizard_step(*, needs: int, back: str | None):
    """A step of the wizard: load the draft by its token (404 otherwise), send a sent application
    to its result page, and a skipped step back to the one before it."""

    def decorate(view):
        @wraps(view)
        @never_cache
        @require_http_methods(["GET", "POST"])
        def step(request: HttpRequest, token: str) -> HttpResponse:
            app = _draft(token)
            if app.status != A.DRAFT:
                return redirect("establishments:register_done", app.token)
            if app.step < needs and back:
                return redirect(back, app.token)
            return view(request, app)

        return step

    return decorate


@wizard_step(needs=0, back=None)
def register_establishment(request: HttpRequest, app: EstablishmentApplication) -> HttpResponse:
    has_document = bool(app.proof_document)
    if request.method == "POST":
        form = EstablishmentForm(request.POST, request.FILES, has_document=has_document)
        if form.is_valid():
            try:
                app = application_save_establishment(
                    application=app,
                    data=form.cleaned_data,
                    upload=form.cleaned_data.get("proof") or None,
                )
            except ServiceError as exc:
                add_service_error(form, exc)
            else:
                return _after_save(request, app, "establishments:register_owners")
    else:
        form = EstablishmentForm(
            initial=form_initial(app.data.get("establishment", {})), has_document=has_document
        )
    return render(
        request,
        "establishments/register/establishment.html",
        _context(request, app, "establishment", form=form),
    )


@wizard_step(needs=1, back="establishments:register_establishment")
def register_owners(request: HttpRequest, app: EstablishmentApplication) -> HttpResponse:
    if request.method == "POST":
        formset = OwnerFormSet(request.POST, prefix="owners")
        if "add_owner" in request.POST:
            # Show one more empty row, keeping what was typed (nothing is saved).
            data = request.POST.copy()
            total = int(data.get("owners-TOTAL_FORMS", "1") or 1)
            data["owners-TOTAL_FORMS"] = str(min(total + 1, 50))
            formset = OwnerFormSet(data, prefix="owners")
            return render(
                request,
                "establishments/register/owners.html",
                _context(request, app, "owners", formset=formset, show_errors=False),
            )
        if formset.is_valid():
            owners = [
                f.cleaned_data
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            try:
                app = application_save_owners(application=app, owners=owners)
            except ServiceError as exc:
                messages.error(request, exc.message)
            else:
                return _after_save(request, app, "establishments:register_officer")
    else:
        formset = OwnerFormSet(prefix="owners", initial=app.data.get("owners") or None)
    return render(
        request,
        "establishments/register/owners.html",
        _context(request, app, "owners", formset=formset, show_errors=True),
    )


@wizard_step(needs=2, back="establishments:register_owners")
def register_officer(request: HttpRequest, app: EstablishmentApplication) -> HttpResponse:
    if request.method == "POST":
        form = OfficerForm(request.POST)
        if form.is_valid():
            try:
                app = application_save_officer(
                    application=app, data=form.cleaned_data, resume_url=_resume_url(request, app)
                )
            except ServiceError as exc:
                add_service_error(form, exc)
            else:
                return _after_save(request, app, "establishments:register_check")
    else:
        saved = form_initial(app.data.get("officer", {}))
        if saved.get("officer_email"):
            saved["officer_email_confirm"] = saved["officer_email"]
        form = OfficerForm(initial=saved)
    return render(
        request,
        "establishments/register/officer.html",
        _context(request, app, "officer", form=form),
    )


@wizard_step(needs=3, back="establishments:register_officer")
def register_check(request: HttpRequest, app: EstablishmentApplication) -> HttpResponse:
    error = ""
    if request.method == "POST":
        try:
            app = application_submit(application=app)
        except ServiceError as exc:
            error = exc.message
        else:
            return redirect("establishments:register_done", app.token)
    return render(
        request,
        "establishments/register/check.html",
        _context(request, app, "check", sections=answers_sections(app), error=error),
    )


@never_cache
def register_done(request: HttpRequest, token: str) -> HttpResponse:
    app = _draft(token)
    if app.status == A.DRAFT:
        return redirect("establishments:register_resume", app.token)
    return render(request, "establishments/register/done.html", {"app": app})


@staff_member_required
def register_document(request: HttpRequest, pk: int) -> FileResponse:
    """The proof document of an application, for staff only (it is never public)."""
    app = get_object_or_404(EstablishmentApplication, pk=pk)
    if not app.proof_document:
        raise Http404
    ext = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(
        app.proof_content_type, "bin"
    )
    response = FileResponse(
        app.proof_document.open("rb"),
        content_type=app.proof_content_type or "application/octet-stream",
        filename=f"{app.reference or app.pk}-proof.{ext}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
