from django.contrib import admin

from .models import BenefitPayment


@admin.register(BenefitPayment)
class BenefitPaymentAdmin(admin.ModelAdmin):
    list_display = ("request", "beneficiary", "service_code", "amount", "due_date", "status")
    list_filter = ("service_code", "status")
    list_select_related = ("request", "beneficiary")
    search_fields = ("request__reference", "beneficiary__id_number")
    readonly_fields = (
        "request",
        "beneficiary",
        "service_code",
        "amount",
        "iban",
        "due_date",
        "sequence",
        "created_at",
    )
