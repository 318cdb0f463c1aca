from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Establishment, LiaisonOfficer


class LiaisonOfficerInline(admin.StackedInline):
    model = LiaisonOfficer
    raw_id_fields = ("user",)
    extra = 0


@admin.register(Establishment)
class EstablishmentAdmin(SimpleHistoryAdmin):
    list_display = ("insurance_number", "name", "kind", "governorate", "coverage_date")
    list_filter = ("kind", "governorate")
    search_fields = ("insurance_number", "name", "government_code", "owner_name")
    inlines = [LiaisonOfficerInline]


from . import submission_admin  # noqa: E402,F401  (registers the movements and submissions admin)
