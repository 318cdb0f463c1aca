from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from .models import Document
from .selectors import catalogue_for

AUDIENCES = {
    "individuals": ("individual", _("Individual services")),
    "establishments": ("establishment", _("Establishment services")),
    "household": ("household", _("Household social security")),
}


def portal_home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


def services_list(request: HttpRequest, audience: str) -> HttpResponse:
    if audience not in AUDIENCES:
        raise Http404
    key, title = AUDIENCES[audience]
    groups = catalogue_for(key)
    built = sum(1 for _g, items in groups for s in items if s.implemented)
    total = sum(len(items) for _g, items in groups)
    return render(
        request,
        "eservices/services_list.html",
        {"groups": groups, "title": title, "built": built, "total": total, "audience": audience},
    )


@login_required
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A document, to its owner or to staff only; anyone else gets 404."""
    docs = Document.objects.all() if request.user.is_staff else request.user.documents.all()
    doc = get_object_or_404(docs, pk=pk)
    if doc.status != Document.Status.READY:
        return render(request, "eservices/document_pending.html", {"doc": doc}, status=202)
    return FileResponse(
        doc.file.open("rb"), content_type="application/pdf", filename=f"{doc.code}.pdf"
    )


def verify(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """Public check of a printed document: shows only what the document certifies."""
    code = (code or request.GET.get("code", "")).strip().upper()
    doc = None
    if code:
        doc = Document.objects.filter(code=code, status=Document.Status.READY).first()
        if doc is not None:
            Document.objects.filter(pk=doc.pk).update(verified_count=F("verified_count") + 1)
    return render(request, "eservices/verify.html", {"code": code, "doc": doc})
