"""hh.apply, step by step as the source describes it: the start page ("start the service"), the
application data (office, category), the breadwinner, the income, the bank account, the
attachments, the terms, the submission page, the confirmation ("Yes"), and the summary to print.

Every step saves into the engine's draft of the application (one draft per person: it resumes);
the submission is the engine's, so the reference, the receipt, the staff queue, the decision and
the notifications are the shared ones.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.exceptions import ServiceError
from eservices.models import Document, ServiceRequest
from eservices.request_views import AttachmentForm, attach_from_form
from eservices.services import request_detach

from .application import (
    HOUSEHOLD_APPLICATION,
    application_figure,
    application_save_step,
    application_submit,
    done_steps,
    eligibility,
    own_application,
    review_deadline,
    start_application,
    summary_rows,
)
from .forms import APPLICATION_STEPS
from .signup import household_view


def _posted(request: HttpRequest):
    """The POST data of a POST (even an empty one: a box left unticked is an answer)."""
    return request.POST if request.method == "POST" else None


STEP_KEYS = [key for key, _t, _f in APPLICATION_STEPS]
FORMS = {key: form for key, _t, form in APPLICATION_STEPS}


def _steps(req: ServiceRequest, current: str) -> list[dict]:
    done = done_steps(req)
    return [
        {
            "key": key,
            "label": title,
            "current": key == current,
            "url": reverse("household:apply_step", args=[req.pk, key])
            if key in done or key == current
            else "",
        }
        for key, title, _f in APPLICATION_STEPS
    ]


def first_open_step(req: ServiceRequest) -> str:
    done = done_steps(req)
    return next((k for k in STEP_KEYS if k not in done), STEP_KEYS[-1])


def wizard_step(view):
    """The draft is the user's own; a sent application shows its summary; a step whose earlier
    steps are not done sends the person back to the first one left."""

    @wraps(view)
    def step(request: HttpRequest, pk: int, key: str = "", **kwargs) -> HttpResponse:
        try:
            req = own_application(request.user, pk)
        except ServiceError:
            raise Http404 from None
        if req.status != ServiceRequest.Status.DRAFT:
            return redirect("household:application", pk=req.pk)
        if key and key not in STEP_KEYS:
            raise Http404
        # The steps before this one (before the submission page, for the confirmation).
        before = STEP_KEYS[: STEP_KEYS.index(key)] if key else STEP_KEYS[:-1]
        done = done_steps(req)
        missing = [k for k in before if k not in done]
        if missing:
            return redirect("household:apply_step", pk=req.pk, key=missing[0])
        return view(request, req, key, **kwargs) if key else view(request, req, **kwargs)

    return step


@household_view(profile_complete=True)
def apply_start(request: HttpRequest) -> HttpResponse:
    """Before starting: who may apply, the documents, how long the review takes."""
    spec = HOUSEHOLD_APPLICATION
    reasons = eligibility(request.user, timezone.localdate())
    draft = ServiceRequest.objects.filter(
        applicant=request.user, service_code=spec.code, status=ServiceRequest.Status.DRAFT
    ).first()
    if request.method == "POST" and not reasons:
        try:
            req = start_application(user=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("household:apply_step", pk=req.pk, key=first_open_step(req))
    return render(
        request,
        "household/apply_start.html",
        {"spec": spec, "reasons": reasons, "draft": draft},
    )


def _form_for(key: str, req: ServiceRequest, user, data=None):
    form_class = FORMS[key]
    names = list(form_class(user=user).fields)
    initial = {n: req.data[n] for n in names if n in req.data}
    if key == "income" and not initial:
        from .forms import income_initial

        profile = user.household_profile
        initial = income_initial(profile.incomes.all(), profile.has_income)
    if key == "bank" and not initial:
        profile = user.household_profile
        initial = {"iban": profile.iban, "iban_confirm": profile.iban, "bank": profile.bank}
    return form_class(data, user=user, category=req.data.get("category"), initial=initial)


def _answers(form) -> dict:
    from eservices.services import answers_from_form

    return answers_from_form(form)


def _next(req: ServiceRequest, key: str) -> HttpResponse:
    return redirect("household:apply_step", pk=req.pk, key=STEP_KEYS[STEP_KEYS.index(key) + 1])


@household_view(profile_complete=True)
@wizard_step
def apply_step(request: HttpRequest, req: ServiceRequest, key: str) -> HttpResponse:
    if key == "attachments":
        return _attachments(request, req)
    if key == "submit":
        return _submit_page(request, req)
    form = _form_for(key, req, request.user, _posted(request))
    if request.method == "POST" and form.is_valid():
        # Every field of the step is saved, a blank one as blank: an income source emptied now
        # is no longer a source.
        application_save_step(req=req, user=request.user, step=key, answers=_answers(form))
        return _next(req, key)
    return render(
        request,
        "household/apply_step.html",
        {
            "req": req,
            "form": form,
            "steps": _steps(req, key),
            "key": key,
            "title": {k: t for k, t, _f in APPLICATION_STEPS}[key],
        },
    )


def _attachments(request: HttpRequest, req: ServiceRequest) -> HttpResponse:
    """The attachments: the valid ID or iqama, the medical report (with its date, number and
    hospital), the family record. "Next" needs all three and the report's details."""
    spec = HOUSEHOLD_APPLICATION
    upload = AttachmentForm(spec=spec)
    report = _form_for("attachments", req, request.user)
    if request.method == "POST":
        if "remove" in request.POST:
            request_detach(req=req, user=request.user, attachment_id=int(request.POST["remove"]))
            return redirect("household:apply_step", pk=req.pk, key="attachments")
        if "attach" in request.POST:
            upload = AttachmentForm(request.POST, request.FILES, spec=spec)
            if attach_from_form(request, req, upload):
                return redirect("household:apply_step", pk=req.pk, key="attachments")
        else:
            report = _form_for("attachments", req, request.user, request.POST)
            missing = [
                str(d.label)
                for d in spec.documents
                if d.required and not req.attachments.filter(document_type=d.key).exists()
            ]
            if report.is_valid() and not missing:
                application_save_step(
                    req=req, user=request.user, step="attachments", answers=_answers(report)
                )
                return _next(req, "attachments")
            for m in missing:
                report.add_error(None, _("Attach: %(d)s") % {"d": m})
    attached = list(req.attachments.all())
    docs = [
        {"spec": d, "files": [a for a in attached if a.document_type == d.key]}
        for d in spec.documents
    ]
    return render(
        request,
        "household/apply_attachments.html",
        {
            "req": req,
            "upload": upload,
            "form": report,
            "docs": docs,
            "steps": _steps(req, "attachments"),
        },
    )


def _evaluation(req: ServiceRequest):
    from eservices.services import request_evaluate

    reasons, _engine_figure, missing = request_evaluate(req)
    figure = application_figure(req.data)
    return reasons, figure, missing


def _submit_page(request: HttpRequest, req: ServiceRequest) -> HttpResponse:
    """The submission page: every answer by step, the documents, and the entitlement with its
    working. "Submit" leads to the confirmation."""
    reasons, figure, missing = _evaluation(req)
    if request.method == "POST" and not (reasons or missing):
        return redirect("household:apply_confirm", pk=req.pk)
    return render(
        request,
        "household/apply_submit.html",
        {
            "req": req,
            "sections": summary_rows(req),
            "attachments": req.attachments.all(),
            "figure": figure,
            "working": figure.working.as_json(),
            "reasons": reasons,
            "missing": missing,
            "steps": _steps(req, "submit"),
        },
    )


@household_view(profile_complete=True)
@wizard_step
def apply_confirm(request: HttpRequest, req: ServiceRequest) -> HttpResponse:
    """The confirmation message: "Yes" sends the application; "No" goes back."""
    if request.method == "POST":
        if "no" in request.POST:
            return redirect("household:apply_step", pk=req.pk, key="submit")
        try:
            req = application_submit(
                req=req, user=request.user, token=request.POST.get("token", "")
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect("household:apply_step", pk=req.pk, key="submit")
        messages.success(request, _("Your application has been sent."))
        return redirect("household:application", pk=req.pk)
    return render(request, "household/apply_confirm.html", {"req": req})


@household_view()
def application(request: HttpRequest, pk: int) -> HttpResponse:
    """The summary of a sent application, with its PDF to print, its status and the review's
    time limit."""
    try:
        req = own_application(request.user, pk)
    except ServiceError:
        raise Http404 from None
    if req.status == ServiceRequest.Status.DRAFT:
        return redirect("household:apply_step", pk=req.pk, key=first_open_step(req))
    summary = req.documents.filter(kind=Document.Kind.LETTER).first()
    figure = application_figure(req.data)
    return render(
        request,
        "household/application.html",
        {
            "req": req,
            "sections": summary_rows(req),
            "attachments": req.attachments.all(),
            "summary": summary,
            "deadline": review_deadline(req.submitted_at),
            "figure": figure,
            "working": req.working or figure.working.as_json(),
            "pension": getattr(req, "household_pension", None),
        },
    )
