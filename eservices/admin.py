"""Staff work in the admin: the request queue with deadlines, decisions with reasons, rules."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.exceptions import ServiceError

from .access import LoggedAccessAdminMixin
from .declarations import REQUEST_SERVICES, get_request_service
from .models import AccessLogEntry, Document, Notification, RequestEvent, Rule, ServiceRequest
from .services import (
    answers_as_rows,
    request_approve,
    request_reject,
    request_review_start,
)


class ServiceFilter(admin.SimpleListFilter):
    title = gettext_lazy("service")
    parameter_name = "service"

    def lookups(self, request, model_admin):
        return [(code, spec.name) for code, spec in REQUEST_SERVICES.items()]

    def queryset(self, request, queryset):
        return queryset.filter(service_code=self.value()) if self.value() else queryset


class AgeFilter(admin.SimpleListFilter):
    title = gettext_lazy("waiting")
    parameter_name = "age"

    def lookups(self, request, model_admin):
        return [
            ("lt7", gettext_lazy("less than a week")),
            ("7to14", gettext_lazy("one to two weeks")),
            ("gt14", gettext_lazy("more than two weeks")),
            ("late", gettext_lazy("past the service's deadline")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        v = self.value()
        if v == "lt7":
            return queryset.filter(submitted_at__gte=now - dt.timedelta(days=7))
        if v == "7to14":
            return queryset.filter(
                submitted_at__lt=now - dt.timedelta(days=7),
                submitted_at__gte=now - dt.timedelta(days=14),
            )
        if v == "gt14":
            return queryset.filter(submitted_at__lt=now - dt.timedelta(days=14))
        if v == "late":
            ids = [
                r.pk
                for r in queryset.filter(status__in=ServiceRequest.OPEN).only(
                    "pk", "service_code", "submitted_at"
                )
                if _days_left(r) is not None and _days_left(r) < 0
            ]
            return queryset.filter(pk__in=ids)
        return queryset


def _days_left(req: ServiceRequest) -> int | None:
    if not req.submitted_at or req.service_code not in REQUEST_SERVICES:
        return None
    deadline = req.submitted_at + dt.timedelta(
        days=REQUEST_SERVICES[req.service_code].days_to_decide
    )
    return (timezone.localtime(deadline).date() - timezone.localdate()).days


class RejectForm(forms.Form):
    use_required_attribute = False  # approving needs no reason: the server checks rejections

    reason = forms.CharField(
        label=gettext_lazy("Reasons for the rejection"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Required. The applicant reads them."),
    )


class EventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    can_delete = False
    fields = ("at", "actor_kind", "actor", "action", "from_status", "to_status", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ServiceRequest)
class ServiceRequestAdmin(LoggedAccessAdminMixin, admin.ModelAdmin):
    list_display = (
        "reference",
        "service_name",
        "applicant",
        "status",
        "submitted_at",
        "waited",
        "deadline",
    )
    list_filter = ("status", ServiceFilter, AgeFilter)
    search_fields = ("reference", "applicant__id_number", "applicant__full_name")
    list_select_related = ("applicant",)
    date_hierarchy = "submitted_at"
    ordering = ("submitted_at",)
    actions = ["start_review", "approve"]
    inlines = [EventInline]
    readonly_fields = (
        "reference",
        "service_code",
        "applicant",
        "status",
        "answers",
        "amount",
        "working_table",
        "attachments_list",
        "submitted_at",
        "decided_at",
        "decided_by",
        "decision_reason",
        "decide_link",
    )
    fields = readonly_fields
    access_service = "request"

    def access_subject(self, obj):
        return obj.applicant

    def get_queryset(self, request) -> QuerySet:
        return super().get_queryset(request).exclude(status=ServiceRequest.Status.DRAFT)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("service"))
    def service_name(self, obj):
        spec = REQUEST_SERVICES.get(obj.service_code)
        return spec.name if spec else obj.service_code

    @admin.display(description=gettext_lazy("waited (days)"))
    def waited(self, obj):
        if not obj.submitted_at:
            return "—"
        end = obj.decided_at or timezone.now()
        return (end - obj.submitted_at).days

    @admin.display(description=gettext_lazy("deadline"))
    def deadline(self, obj):
        if obj.status not in ServiceRequest.OPEN:
            return "—"
        left = _days_left(obj)
        if left is None:
            return "—"
        if left < 0:
            return format_html(
                '<strong style="color:#b00">{}</strong>', _("%(n)s days late") % {"n": -left}
            )
        return _("%(n)s days left") % {"n": left}

    @admin.display(description=gettext_lazy("answers"))
    def answers(self, obj):
        spec = REQUEST_SERVICES.get(obj.service_code)
        if not spec:
            return "—"
        rows = answers_as_rows(spec, obj.data, obj.applicant)
        return format_html(
            "<dl>{}</dl>",
            format_html_join(
                "", "<dt>{}</dt><dd>{}</dd>", ((label, value) for _n, label, value in rows)
            ),
        )

    @admin.display(description=gettext_lazy("how the amount was reached"))
    def working_table(self, obj):
        lines = (obj.working or {}).get("lines", [])
        return (
            format_html(
                "<table>{}</table>",
                format_html_join(
                    "",
                    "<tr><td>{}</td><td dir='ltr'>{}</td><td dir='ltr'>{}</td></tr>",
                    ((ln["label"], ln["formula"], ln["value"]) for ln in lines),
                ),
            )
            if lines
            else "—"
        )

    @admin.display(description=gettext_lazy("attachments"))
    def attachments_list(self, obj):
        return (
            format_html_join(
                mark_safe("<br>"),  # noqa: S308
                '<a href="{}">{}</a>',
                (
                    (reverse("eservices:attachment_download", args=[obj.pk, a.pk]), a.original_name)
                    for a in obj.attachments.all()
                ),
            )
            or "—"
        )

    @admin.display(description=gettext_lazy("decision"))
    def decide_link(self, obj):
        if obj.status not in ServiceRequest.OPEN:
            return obj.get_status_display()
        return format_html(
            '<a class="button" href="{}">{}</a>',
            reverse("admin:eservices_servicerequest_decide", args=[obj.pk]),
            _("Approve or reject"),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="eservices_servicerequest_decide",
            ),
            *super().get_urls(),
        ]

    def decide_view(self, request, pk: int):
        if not self.has_change_permission(request):
            raise PermissionDenied
        req = get_object_or_404(ServiceRequest, pk=pk)
        form = RejectForm(request.POST or None)
        if request.method == "POST":
            try:
                if "approve" in request.POST:
                    request_approve(
                        req=req, staff=request.user, note=request.POST.get("reason", "")
                    )
                    self.message_user(
                        request, _("%(ref)s approved.") % {"ref": req.reference}, messages.SUCCESS
                    )
                    return redirect("admin:eservices_servicerequest_changelist")
                if form.is_valid():
                    request_reject(req=req, staff=request.user, reason=form.cleaned_data["reason"])
                    self.message_user(
                        request, _("%(ref)s rejected.") % {"ref": req.reference}, messages.SUCCESS
                    )
                    return redirect("admin:eservices_servicerequest_changelist")
            except ServiceError as exc:
                self.message_user(request, exc.message, messages.ERROR)
        spec = get_request_service(req.service_code)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Decide on %(ref)s") % {"ref": req.reference},
            "req": req,
            "spec": spec,
            "rows": answers_as_rows(spec, req.data, req.applicant),
            "form": form,
            "opts": self.model._meta,
        }
        return render(request, "admin/eservices/decide.html", context)

    @admin.action(description=gettext_lazy("Start the review of the selected requests"))
    def start_review(self, request, queryset):
        done = 0
        for req in queryset.filter(status=ServiceRequest.Status.SUBMITTED):
            request_review_start(req=req, staff=request.user)
            done += 1
        self.message_user(request, _("%(n)s requests are now under review.") % {"n": done})

    @admin.action(description=gettext_lazy("Approve the selected requests"))
    def approve(self, request, queryset):
        """Safe in bulk: each is approved on its own, and a decided one is left alone."""
        done = 0
        for req in queryset:
            try:
                request_approve(req=req, staff=request.user)
                done += 1
            except ServiceError as exc:
                self.message_user(request, f"{req}: {exc.message}", messages.WARNING)
        self.message_user(request, _("%(n)s requests approved.") % {"n": done})


class RuleForm(forms.ModelForm):
    class Meta:
        model = Rule
        fields = (
            "key",
            "value",
            "effective_from",
            "description_ar",
            "description_en",
            "source",
            "is_default",
        )

    def clean_effective_from(self):
        value = self.cleaned_data["effective_from"]
        if value < timezone.localdate():
            raise forms.ValidationError(
                _("A rule row cannot start in the past: add a row from today or later.")
            )
        return value


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    """Rules are added from a date; a row already in force is never edited."""

    form = RuleForm

    list_display = ("key", "value", "effective_from", "is_default", "source", "description_ar")
    list_filter = ("is_default",)
    search_fields = ("key", "description_ar", "description_en")
    fields = (
        "key",
        "value",
        "effective_from",
        "description_ar",
        "description_en",
        "source",
        "is_default",
        "created_by",
        "created_at",
    )
    readonly_fields = ("created_by", "created_at")

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.effective_from <= timezone.localdate():
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.effective_from <= timezone.localdate():
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class LogAdmin(admin.ModelAdmin):
    """A record the system writes (messages, documents, access log): staff read it, never add."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Notification)
class NotificationAdmin(LogAdmin):
    list_display = ("created_at", "user", "channel", "title", "segments", "status")
    list_filter = ("channel", "status")
    search_fields = ("user__id_number", "title", "sent_to")
    list_select_related = ("user",)


@admin.register(Document)
class DocumentAdmin(LogAdmin):
    list_display = ("created_at", "kind", "title", "owner", "code", "status", "verified_count")
    list_filter = ("kind", "status")
    search_fields = ("code", "owner__id_number", "title")
    list_select_related = ("owner",)


@admin.register(AccessLogEntry)
class AccessLogAdmin(LogAdmin):
    list_display = ("at", "subject", "staff", "service", "action")
    list_filter = ("action",)
    list_select_related = ("subject", "staff")

    def has_change_permission(self, request, obj=None):
        return False
