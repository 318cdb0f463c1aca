"""Staff side of the household social security (hh.review and the records).

The review queue lists the applications (hh.apply) with the deadline of each (the rule
``household.review_days`` from the submission) and shows which are near it or past it; accepting
and rejecting (with reasons) is the engine's decision page, so the applicant is told either way
and approval runs the declaration's ``on_approve`` (the pension and its payment schedule).
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eservices.access import LoggedAccessAdminMixin
from eservices.admin_base import ReadOnlyAdmin
from eservices.models import ServiceRequest

from .application import CODE, review_deadline, rule_int
from .choices import Office
from .models import (
    Application,
    BankAccountRecord,
    IdentityRecord,
    IncomeSource,
    Payment,
    Pension,
    Profile,
    ProfileUpdate,
)


def warning_days() -> int:
    return rule_int("household.review_warning_days", timezone.localdate())


def days_left(req: ServiceRequest) -> int | None:
    if not req.submitted_at or req.status not in ServiceRequest.OPEN:
        return None
    return (review_deadline(req.submitted_at) - timezone.localdate()).days


class DeadlineFilter(admin.SimpleListFilter):
    title = gettext_lazy("review deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [
            ("past", gettext_lazy("past the deadline")),
            ("near", gettext_lazy("near the deadline")),
            ("in_time", gettext_lazy("in time")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        near = warning_days()
        ids = []
        for req in queryset.filter(status__in=ServiceRequest.OPEN).only(
            "pk", "status", "submitted_at"
        ):
            left = days_left(req)
            if left is None:
                continue
            state = "past" if left < 0 else "near" if left <= near else "in_time"
            if state == value:
                ids.append(req.pk)
        return queryset.filter(pk__in=ids)


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """The queue: oldest first, so the nearest deadlines lead."""

    list_display = (
        "reference_link",
        "applicant",
        "office",
        "status",
        "submitted_at",
        "deadline",
        "time_left",
        "decide",
    )
    list_display_links = None
    list_filter = (DeadlineFilter, "status")
    search_fields = ("reference", "applicant__id_number", "applicant__full_name")
    list_select_related = ("applicant",)
    ordering = ("submitted_at",)

    def get_queryset(self, request) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .filter(service_code=CODE)
            .exclude(status=ServiceRequest.Status.DRAFT)
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    @admin.display(description=gettext_lazy("reference number"), ordering="reference")
    def reference_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:eservices_servicerequest_change", args=[obj.pk]),
            obj.reference,
        )

    @admin.display(description=gettext_lazy("preferred office"))
    def office(self, obj):
        return Office(obj.data["office"]).label if obj.data.get("office") in Office.values else "—"

    @admin.display(description=gettext_lazy("review deadline"), ordering="submitted_at")
    def deadline(self, obj):
        return review_deadline(obj.submitted_at) if obj.submitted_at else "—"

    @admin.display(description=gettext_lazy("time left"))
    def time_left(self, obj):
        left = days_left(obj)
        if left is None:
            return "—"
        if left < 0:
            return format_html(
                '<strong class="hh-late" style="color:#b00">{}</strong>',
                _("%(n)s days late") % {"n": -left},
            )
        if left <= warning_days():
            return format_html(
                '<strong class="hh-near" style="color:#8a5300">{}</strong>',
                _("%(n)s days left") % {"n": left},
            )
        return _("%(n)s days left") % {"n": left}

    @admin.display(description=gettext_lazy("decision"))
    def decide(self, obj):
        if obj.status not in ServiceRequest.OPEN:
            return obj.get_status_display()
        return format_html(
            '<a class="button" href="{}">{}</a>',
            reverse("admin:eservices_servicerequest_decide", args=[obj.pk]),
            _("Accept or reject"),
        )


class IncomeInline(admin.TabularInline):
    model = IncomeSource
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "monthly_amount")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Profile)
class ProfileAdmin(LoggedAccessAdminMixin, admin.ModelAdmin):
    list_display = ("user", "stage", "region", "city", "completed_at", "must_change_password")
    list_filter = ("stage", "region", "must_change_password")
    search_fields = ("user__id_number", "user__full_name")
    list_select_related = ("user",)
    inlines = [IncomeInline]
    access_service = "household profile"

    def access_subject(self, obj):
        return obj.user

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    can_delete = False
    fields = ("month", "amount", "status", "iban", "created_at")
    readonly_fields = fields
    ordering = ("-month",)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Pension)
class PensionAdmin(LoggedAccessAdminMixin, admin.ModelAdmin):
    list_display = ("beneficiary", "request", "status", "accepted_on", "first_month")
    list_filter = ("status",)
    search_fields = ("beneficiary__id_number", "beneficiary__full_name", "request__reference")
    list_select_related = ("beneficiary", "request")
    readonly_fields = (
        "request",
        "beneficiary",
        "accepted_on",
        "first_month",
        "spouses",
        "children",
        "others",
        "iban",
        "bank",
        "breadwinner_id_number",
        "breadwinner_name",
        "breadwinner_relation",
        "breadwinner_since",
    )
    fields = ("status", *readonly_fields)
    inlines = [PaymentInline]
    access_service = "household pension"

    def access_subject(self, obj):
        return obj.beneficiary

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("pension", "month", "amount", "status", "created_at")
    list_filter = ("status", "month")
    search_fields = ("pension__beneficiary__id_number",)
    list_select_related = ("pension", "pension__beneficiary", "pension__request")
    date_hierarchy = "month"


@admin.register(ProfileUpdate)
class ProfileUpdateAdmin(ReadOnlyAdmin):
    list_display = ("user", "status", "created_at", "confirmed_at", "income_changed")
    list_filter = ("status", "income_changed")
    search_fields = ("user__id_number",)
    list_select_related = ("user",)


@admin.register(IdentityRecord)
class IdentityRecordAdmin(admin.ModelAdmin):
    list_display = ("number", "name_ar", "birth_date")
    search_fields = ("number", "name_ar", "name_en")


@admin.register(BankAccountRecord)
class BankAccountRecordAdmin(admin.ModelAdmin):
    list_display = ("iban", "bank", "holder_id_number", "holder_name", "is_active")
    list_filter = ("bank", "is_active")
    search_fields = ("iban", "holder_id_number", "holder_name")
