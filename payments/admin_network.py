"""Payments received through the bill-payment network, and the daily settlements, for staff.

Payments are records of what the network told us: read only (an action re-issues a missing
receipt). Settlement differences are examined and resolved here: only «resolved» and the note
can be changed."""

from __future__ import annotations

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import network
from .models import Payment, Settlement, SettlementDifference


class NetworkRecordAdmin(admin.ModelAdmin):
    """A record the system writes: staff read it, never add or delete it."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(NetworkRecordAdmin):
    list_display = (
        "paid_at",
        "network_reference",
        "network_trx",
        "bill",
        "amount",
        "bank_code",
        "settlement_date",
        "receipt_link",
    )
    list_filter = ("channel", "bill__kind", ("settlement_date", admin.EmptyFieldListFilter))
    search_fields = ("network_reference", "network_trx", "bill__number", "account__number")
    list_select_related = ("bill", "receipt")
    date_hierarchy = "paid_at"
    actions = ("issue_missing_receipts",)

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("receipt"))
    def receipt_link(self, obj):
        if obj.receipt_id is None:
            return "—"
        url = reverse("eservices:document_download", args=[obj.receipt_id])
        return format_html('<a href="{}">{}</a>', url, obj.receipt.code)

    @admin.action(description=_("Issue the missing receipts"), permissions=["view"])
    def issue_missing_receipts(self, request, queryset):
        done = 0
        for pk in queryset.filter(receipt__isnull=True).values_list("pk", flat=True):
            if network.after_payment(pk).receipt_id:
                done += 1
        self.message_user(
            request, _("%(n)d receipt(s) issued.") % {"n": done}, level=messages.SUCCESS
        )


class DifferenceInline(admin.TabularInline):
    model = SettlementDifference
    fields = (
        "kind",
        "network_reference",
        "amount_here",
        "amount_there",
        "payment",
        "resolved",
        "note",
    )
    readonly_fields = ("kind", "network_reference", "amount_here", "amount_there", "payment")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Settlement)
class SettlementAdmin(NetworkRecordAdmin):
    list_display = ("day", "status", "rows", "total", "open_differences", "reconciled_at")
    list_filter = ("status",)
    date_hierarchy = "day"
    inlines = (DifferenceInline,)

    def get_queryset(self, request):
        from django.db.models import Count, Q

        return (
            super()
            .get_queryset(request)
            .annotate(open_count=Count("differences", filter=Q(differences__resolved=False)))
        )

    @admin.display(description=_("differences to examine"), ordering="open_count")
    def open_differences(self, obj):
        return obj.open_count


@admin.register(SettlementDifference)
class SettlementDifferenceAdmin(admin.ModelAdmin):
    list_display = (
        "settlement",
        "kind",
        "network_reference",
        "amount_here",
        "amount_there",
        "resolved",
    )
    list_editable = ("resolved",)
    list_filter = ("resolved", "kind", "settlement__day")
    search_fields = ("network_reference", "note")
    list_select_related = ("settlement",)
    fields = (
        "settlement",
        "kind",
        "network_reference",
        "amount_here",
        "amount_there",
        "payment",
        "resolved",
        "note",
    )
    readonly_fields = (
        "settlement",
        "kind",
        "network_reference",
        "amount_here",
        "amount_there",
        "payment",
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
