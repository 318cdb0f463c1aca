"""Staff views of what the programmes left on the record. Rows come from approved requests and
are not edited by hand; staff may only withdraw a nursery's accreditation, end an enrolment or a
Ri'aya subscription (an action each, recorded on the row)."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eservices.admin_base import ReadOnlyAdmin

from .models import Nursery, NurseryChild, ProgrammeEnrolment, ProgrammeLine, RiayaSubscription


@admin.register(ProgrammeLine)
class ProgrammeLineAdmin(ReadOnlyAdmin):
    list_display = (
        "service_code",
        "establishment",
        "individual",
        "month",
        "wage",
        "amount",
        "status",
    )
    list_filter = ("service_code", "status", "month")
    list_select_related = ("establishment", "individual")
    search_fields = (
        "establishment__insurance_number",
        "individual__national_number",
        "individual__personal_number",
        "request__reference",
    )
    date_hierarchy = "month"


@admin.register(ProgrammeEnrolment)
class ProgrammeEnrolmentAdmin(ReadOnlyAdmin):
    list_display = ("establishment", "programme", "start_date", "end_date", "request")
    list_filter = ("programme",)
    list_select_related = ("establishment", "request")
    search_fields = ("establishment__insurance_number", "establishment__name", "request__reference")
    actions = ("end_today",)

    @admin.action(description=gettext_lazy("End the selected enrolments today"))
    def end_today(self, request, queryset):
        n = queryset.filter(end_date__isnull=True).update(end_date=timezone.localdate())
        self.message_user(request, _("%(n)s enrolments ended.") % {"n": n})


@admin.register(Nursery)
class NurseryAdmin(ReadOnlyAdmin):
    list_display = (
        "name",
        "establishment",
        "programme",
        "governorate",
        "monthly_fee",
        "annual_contribution",
        "status",
        "accredited_on",
    )
    list_filter = ("programme", "status", "governorate")
    list_select_related = ("establishment",)
    search_fields = ("name", "licence_number", "establishment__insurance_number")
    actions = ("withdraw",)

    @admin.action(description=gettext_lazy("Withdraw the accreditation of the selected nurseries"))
    def withdraw(self, request, queryset):
        n = queryset.filter(status=Nursery.Status.ACCREDITED).update(
            status=Nursery.Status.WITHDRAWN
        )
        self.message_user(request, _("%(n)s accreditations withdrawn.") % {"n": n})


@admin.register(NurseryChild)
class NurseryChildAdmin(ReadOnlyAdmin):
    list_display = (
        "child_name",
        "mother",
        "employer",
        "nursery",
        "first_month",
        "last_month",
        "monthly_support",
    )
    list_select_related = ("mother", "employer", "nursery")
    search_fields = ("child_name", "mother__national_number", "employer__insurance_number")


@admin.register(RiayaSubscription)
class RiayaSubscriptionAdmin(ReadOnlyAdmin):
    list_display = (
        "individual",
        "establishment",
        "plan",
        "family_members",
        "monthly_premium",
        "first_month",
        "end_month",
    )
    list_filter = ("plan",)
    list_select_related = ("individual", "establishment")
    search_fields = ("individual__national_number", "establishment__insurance_number")
    actions = ("end_now",)

    @admin.action(description=gettext_lazy("End the selected subscriptions this month"))
    def end_now(self, request, queryset):
        month = timezone.localdate().replace(day=1)
        n = queryset.filter(end_month__isnull=True, first_month__lte=month).update(end_month=month)
        self.message_user(request, _("%(n)s subscriptions ended.") % {"n": n})
