"""Admin of the optional and self-employed subscriptions (with their declared-wage history), and
of vehicles and their drivers. Subscriptions and drivers change through requests (approved in the
request queue); here staff read them, and end a driver's time on a vehicle."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eservices.access import LoggedAccessAdminMixin
from eservices.admin_base import ReadOnlyInline

from .models import Subscription, SubscriptionWage, Vehicle, VehicleDriver


class SubscriptionWageInline(ReadOnlyInline):
    model = SubscriptionWage
    fields = ("from_month", "wage", "reason")
    readonly_fields = fields
    ordering = ("from_month",)


class RunningFilter(admin.SimpleListFilter):
    title = gettext_lazy("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("running", gettext_lazy("Running")), ("stopped", gettext_lazy("Stopped"))]

    def queryset(self, request, queryset):
        month = timezone.localdate().replace(day=1)
        if self.value() == "running":
            return queryset.exclude(end_month__lt=month)
        if self.value() == "stopped":
            return queryset.filter(end_month__lt=month)
        return queryset


@admin.register(Subscription)
class SubscriptionAdmin(LoggedAccessAdminMixin, admin.ModelAdmin):
    access_service = "subscription"
    list_display = (
        "individual",
        "kind",
        "account",
        "bracket",
        "annual_increase",
        "start_month",
        "end_month",
    )
    list_filter = ("kind", RunningFilter, "injury_covered")
    list_select_related = ("individual", "account")
    search_fields = (
        "individual__national_number",
        "individual__personal_number",
        "individual__name_ar",
        "account__number",
    )
    readonly_fields = (
        "individual",
        "kind",
        "account",
        "request",
        "bracket",
        "activity",
        "injury_covered",
        "annual_increase",
        "start_month",
        "end_month",
    )
    inlines = [SubscriptionWageInline]

    def access_subject(self, obj):
        return obj.individual.user

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class VehicleDriverInline(ReadOnlyInline):
    model = VehicleDriver
    fields = ("national_number", "name_ar", "start_date", "end_date", "request")
    readonly_fields = fields


@admin.register(Vehicle)
class VehicleAdmin(admin.ModelAdmin):
    list_display = ("plate_number", "vehicle_type", "individual", "establishment", "created_at")
    list_filter = ("vehicle_type",)
    list_select_related = ("individual", "establishment")
    search_fields = (
        "plate_number",
        "individual__national_number",
        "individual__personal_number",
        "establishment__insurance_number",
        "drivers__national_number",
    )
    readonly_fields = ("plate_number", "individual", "establishment", "created_at")
    fields = ("plate_number", "vehicle_type", "individual", "establishment", "created_at")
    inlines = [VehicleDriverInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(VehicleDriver)
class VehicleDriverAdmin(admin.ModelAdmin):
    list_display = ("national_number", "name_ar", "vehicle", "start_date", "end_date")
    list_filter = ("vehicle__vehicle_type",)
    list_select_related = ("vehicle",)
    search_fields = ("national_number", "name_ar", "vehicle__plate_number")
    readonly_fields = (
        "vehicle",
        "national_number",
        "name_ar",
        "start_date",
        "end_date",
        "request",
        "created_at",
    )
    actions = ["end_today"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("End the selected drivers' time on the vehicle today"))
    def end_today(self, request, queryset):
        today = timezone.localdate()
        done = 0
        for driver in queryset.filter(end_date__isnull=True):
            driver.end_date = max(today, driver.start_date)
            driver.save(update_fields=["end_date"])
            done += 1
        self.message_user(
            request, _("%(n)s drivers ended on their vehicles.") % {"n": done}, messages.SUCCESS
        )
