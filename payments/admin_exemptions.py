"""Admin of instalment plans (with their instalments) and debit cards. Amounts are read-only:
plans are made by approvals and changed only by cancelling them (an action that goes through the
same service functions as the establishment's own cancellation); a card's staff may only stop it."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.exceptions import ServiceError
from eservices.admin_base import ReadOnlyInline

from . import exemptions
from .instalments import cancel_plan
from .models import DebitCard, Installment, InstallmentPlan


class InstallmentInline(ReadOnlyInline):
    model = Installment
    fields = ("sequence", "due_date", "amount", "status", "payment")
    readonly_fields = fields
    ordering = ("sequence",)


@admin.register(InstallmentPlan)
class InstallmentPlanAdmin(admin.ModelAdmin):
    list_display = ("account", "request", "total", "months", "first_due", "status", "created_at")
    list_filter = ("status",)
    list_select_related = ("account", "request")
    search_fields = ("account__number", "request__reference", "account__establishment__name")
    date_hierarchy = "created_at"
    inlines = [InstallmentInline]
    actions = ["cancel_plans"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(
        description=gettext_lazy(
            "Cancel the unpaid instalments (an exemption's waiver is reversed)"
        )
    )
    def cancel_plans(self, request, queryset):
        done = 0
        for plan in queryset.select_related("request"):
            try:
                if plan.request is not None and plan.request.service_code == exemptions.CODE:
                    exemptions.exemption_withdraw(
                        req=plan.request, actor=request.user, by_staff=True
                    )
                else:
                    cancel_plan(plan)
            except ServiceError as exc:
                self.message_user(request, f"{plan}: {exc.message}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request, _("%(n)s plan(s) cancelled.") % {"n": done}, messages.SUCCESS
            )


@admin.register(DebitCard)
class DebitCardAdmin(admin.ModelAdmin):
    list_display = ("number", "__str__", "individual", "balance", "status", "issued_on")
    list_filter = ("status",)
    list_select_related = ("individual",)
    search_fields = ("number", "last4", "individual__national_number", "individual__name_ar")
    readonly_fields = ("individual", "request", "number", "last4", "balance", "issued_on")
    fields = ("individual", "request", "number", "last4", "balance", "status", "issued_on")

    def get_readonly_fields(self, request, obj=None):
        # A stopped card stays stopped: a new card is issued by a new card.issue request.
        if obj is not None and obj.status == DebitCard.Status.STOPPED:
            return (*self.readonly_fields, "status")
        return self.readonly_fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
