from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .selectors import catalogue_for

AUDIENCES = {
    "individuals": ("individual", _("Individual services")),
    "establishments": ("establishment", _("Establishment services")),
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
