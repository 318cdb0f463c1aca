"""The money side in the admin: each part keeps its admin classes in its own module."""

from django.contrib import admin

from . import admin_exemptions, admin_ledger, admin_network, admin_subscriptions  # noqa: F401
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
