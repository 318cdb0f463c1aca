from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Individual, InsurancePeriod


class InsurancePeriodInline(admin.TabularInline):
    model = InsurancePeriod
    extra = 0
    autocomplete_fields = ("establishment",)


@admin.register(Individual)
class IndividualAdmin(SimpleHistoryAdmin):
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
