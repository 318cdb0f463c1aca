"""The generic pages of every request service: before you start, the form (save and resume), the
documents, check your answers, the confirmation with the reference, the request's status and
history, cancel; the list of my requests; the inbox. A user only ever reaches their own requests:
anyone else's answers 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.exceptions import ServiceError
from accounts.views import add_service_error

from .declarations import REQUEST_SERVICES, get_request_service
from .models import Attachment, Notification, ServiceRequest
from .services import (
    answers_as_rows,
    answers_from_form,
    request_attach,
    request_cancel,
    request_detach,
    request_draft,
    request_evaluate,
    request_save,
    request_submit,
)


class AttachmentForm(forms.Form):
    document_type = forms.ChoiceField(label=gettext_lazy("Document"))
    file = forms.FileField(
        label=gettext_lazy("File (PDF, JPEG or PNG, at most 5 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, spec, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_type"].choices = [(d.key, d.label) for d in spec.documents]


def _own(request: HttpRequest, pk: int) -> ServiceRequest:
    return get_object_or_404(ServiceRequest, pk=pk, applicant=request.user)


def attach_from_form(request: HttpRequest, req: ServiceRequest, form: AttachmentForm) -> bool:
    """Attach the file of a bound AttachmentForm to the request (checked by content and size);
    True when attached, otherwise the refusal is on the form. Used by every documents step."""
    if not form.is_valid():
        return False
    try:
        request_attach(
            req=req,
            user=request.user,
            document_type=form.cleaned_data["document_type"],
            upload=form.cleaned_data["file"],
        )
    except ServiceError as exc:
        add_service_error(form, exc)
        return False
    messages.success(request, _("The document is attached."))
    return True


def _steps(spec, req, current: str) -> list[dict]:
    steps = [("form", _("Your answers")), ("check", _("Check your answers"))]
    if spec.documents:
        steps.insert(1, ("attachments", _("Documents")))
    return [{"key": k, "label": label, "current": k == current} for k, label in steps]


@login_required
def request_start(request: HttpRequest, code: str) -> HttpResponse:
    spec = get_request_service(code)
    if spec.start_url_name:
        return redirect(spec.start_url_name)
    reasons = spec.eligibility(request.user, timezone.localdate())
    draft = ServiceRequest.objects.filter(
        applicant=request.user, service_code=code, status=ServiceRequest.Status.DRAFT
    ).first()
    if request.method == "POST" and not reasons:
        try:
            req = request_draft(user=request.user, spec=spec)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("eservices:request_edit", pk=req.pk)
    return render(
        request,
        "eservices/request_start.html",
        {"spec": spec, "reasons": reasons, "draft": draft},
    )


@login_required
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    req = _own(request, pk)
    if req.status != ServiceRequest.Status.DRAFT:
        return redirect("eservices:request_detail", pk=req.pk)
    spec = get_request_service(req.service_code)
    if spec.start_url_name:
        return redirect(spec.start_url_name)
    if request.method == "POST":
        form = spec.make_form(user=request.user, data=request.POST)
        if "save_draft" in request.POST:
            # Save what is there, valid or not yet, so nothing typed is lost.
            # every value of a multiple choice, not only the last one
            data = {
                k: (
                    values
                    if getattr(form.fields[k].widget, "allow_multiple_selected", False)
                    else values[-1]
                )
                for k, values in request.POST.lists()
                if k in form.fields
            }
            request_save(req=req, user=request.user, data=data)
            messages.success(
                request,
                _("Your answers are saved. You can come back to this request from My requests."),
            )
            return redirect("eservices:my_requests")
        if form.is_valid():
            request_save(req=req, user=request.user, data=answers_from_form(form))
            nxt = "eservices:request_attachments" if spec.documents else "eservices:request_check"
            return redirect(nxt, pk=req.pk)
    else:
        form = spec.make_form(user=request.user, initial=req.data)
    return render(
        request,
        "eservices/request_form.html",
        {"spec": spec, "req": req, "form": form, "steps": _steps(spec, req, "form")},
    )


@login_required
def request_attachments(request: HttpRequest, pk: int) -> HttpResponse:
    req = _own(request, pk)
    if req.status != ServiceRequest.Status.DRAFT:
        return redirect("eservices:request_detail", pk=req.pk)
    spec = get_request_service(req.service_code)
    form = AttachmentForm(spec=spec)
    if request.method == "POST":
        if "remove" in request.POST:
            request_detach(req=req, user=request.user, attachment_id=int(request.POST["remove"]))
            return redirect("eservices:request_attachments", pk=req.pk)
        form = AttachmentForm(request.POST, request.FILES, spec=spec)
        if attach_from_form(request, req, form):
            return redirect("eservices:request_attachments", pk=req.pk)
    attached = list(req.attachments.all())
    docs = [
        {"spec": d, "files": [a for a in attached if a.document_type == d.key]}
        for d in spec.documents
    ]
    return render(
        request,
        "eservices/request_attachments.html",
        {
            "spec": spec,
            "req": req,
            "form": form,
            "docs": docs,
            "steps": _steps(spec, req, "attachments"),
        },
    )


@login_required
def request_check(request: HttpRequest, pk: int) -> HttpResponse:
    req = _own(request, pk)
    spec = get_request_service(req.service_code)
    if request.method == "POST":
        try:
            req = request_submit(req=req, user=request.user, token=request.POST.get("token", ""))
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect("eservices:request_check", pk=req.pk)
        return redirect("eservices:request_detail", pk=req.pk)
    if req.status != ServiceRequest.Status.DRAFT:
        return redirect("eservices:request_detail", pk=req.pk)
    reasons, figure, missing = request_evaluate(req)
    return render(
        request,
        "eservices/request_check.html",
        {
            "spec": spec,
            "req": req,
            "rows": answers_as_rows(spec, req.data, request.user),
            "figure": figure,
            "working": figure.working.as_json() if figure else None,
            "reasons": reasons,
            "missing": missing,
            "attachments": req.attachments.all(),
            "steps": _steps(spec, req, "check"),
        },
    )


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_object_or_404(
        ServiceRequest.objects.prefetch_related("events", "attachments", "documents", "payments"),
        pk=pk,
        applicant=request.user,
    )
    spec = get_request_service(req.service_code)
    return render(
        request,
        "eservices/request_detail.html",
        {"spec": spec, "req": req, "rows": answers_as_rows(spec, req.data, request.user)},
    )


@login_required
@require_POST
def request_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    req = _own(request, pk)
    try:
        request_cancel(req=req, user=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The request is cancelled."))
    return redirect("eservices:request_detail", pk=req.pk)


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    reqs = ServiceRequest.objects.filter(applicant=request.user).order_by("-created_at")[:200]
    rows = [(r, get_request_service(r.service_code).name) for r in reqs]
    return render(request, "eservices/my_requests.html", {"rows": rows})


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    """An attachment, to the applicant or to staff only; anyone else gets 404."""
    scope = Q(request_id=pk)
    if not request.user.is_staff:
        scope &= Q(request__applicant=request.user)
    att = get_object_or_404(Attachment.objects.filter(scope), pk=attachment_id)
    if request.user.is_staff:
        from .access import access_log

        access_log(
            subject=att.request.applicant,
            staff=request.user,
            service=att.request.service_code,
            action="viewed",
        )
    return FileResponse(
        att.file.open("rb"),
        content_type=att.content_type,
        filename=att.original_name,
        as_attachment=False,
    )


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    notes = list(
        Notification.objects.filter(user=request.user, channel="inbox").select_related("request")[
            :100
        ]
    )
    unread = [n.pk for n in notes if n.read_at is None]
    if unread:
        Notification.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return render(request, "eservices/inbox.html", {"notes": notes, "unread": set(unread)})


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, channel="inbox", read_at__isnull=True).aggregate(
        n=Count("pk")
    )["n"]


@login_required
def my_file_access(request: HttpRequest) -> HttpResponse:
    """Who looked at my file: which record, when, what was done — never the staff member's name."""
    from .models import AccessLogEntry

    entries = list(
        AccessLogEntry.objects.filter(subject=request.user).values("service", "action", "at")[:200]
    )
    labels = dict(AccessLogEntry.Action.choices)
    names = {code: spec.name for code, spec in REQUEST_SERVICES.items()}
    rows = [
        {
            "at": e["at"],
            "what": names.get(e["service"], _record_name(e["service"])),
            "action": labels.get(e["action"], e["action"]),
        }
        for e in entries
    ]
    return render(request, "eservices/my_file_access.html", {"rows": rows})


def _record_name(service: str) -> str:
    return {
        "request": _("Your requests"),
        "individual": _("Your personal data"),
        "insurance record": _("Your insurance record"),
    }.get(service, service)
