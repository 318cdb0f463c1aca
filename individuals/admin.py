from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from eservices.access import LoggedAccessAdminMixin

from .models import Individual, InsurancePeriod, WageRecord, WorkInjury


class InsurancePeriodInline(admin.TabularInline):
    model = InsurancePeriod
    extra = 0
    autocomplete_fields = ("establishment",)


@admin.register(Individual)
class IndividualAdmin(LoggedAccessAdminMixin, SimpleHistoryAdmin):
    access_service = "individual"

    def access_subject(self, obj):
        return obj.user

    list_display = (
        "name_ar",
        "national_number",
        "personal_number",
        "insurance_number",
        "is_jordanian",
        "residence_country",
    )
    list_filter = ("is_jordanian", "education_level")
    search_fields = ("name_ar", "name_en", "national_number", "personal_number", "insurance_number")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    inlines = [InsurancePeriodInline]


@admin.register(WageRecord)
class WageRecordAdmin(LoggedAccessAdminMixin, admin.ModelAdmin):
    """Contribution months: one row per person and month (a 40-year career is 480 rows, so
    they have their own list rather than an inline on the person)."""

    access_service = "insurance record"

    def access_subject(self, obj):
        return obj.individual.user

    list_display = ("individual", "month", "wage", "establishment", "coverage", "unemployment")
    list_filter = ("coverage", "unemployment")
    list_select_related = ("individual", "establishment")
    search_fields = (
        "individual__national_number",
        "individual__personal_number",
        "individual__insurance_number",
        "individual__name_ar",
        "establishment__insurance_number",
    )
    date_hierarchy = "month"
    raw_id_fields = ("individual",)
    autocomplete_fields = ("establishment",)
    ordering = ("individual", "-month")


@admin.register(WorkInjury)
class WorkInjuryAdmin(LoggedAccessAdminMixin, SimpleHistoryAdmin):
    access_service = "insurance record"
    list_display = (
        "individual",
        "kind",
        "occurred_on",
        "establishment",
        "status",
        "daily_allowance",
    )
    list_filter = ("kind", "status")
    list_select_related = ("individual", "establishment")
    search_fields = (
        "individual__national_number",
        "individual__personal_number",
        "individual__name_ar",
        "establishment__insurance_number",
    )
    raw_id_fields = ("individual", "request")
    autocomplete_fields = ("establishment",)
    date_hierarchy = "occurred_on"

    def access_subject(self, obj):
        return obj.individual.user
