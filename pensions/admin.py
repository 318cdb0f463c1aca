"""Staff see the pensions, their dependants and payments, the payroll runs and the loans. The
records are written by approvals and by the payroll, never by hand: staff read them. This month's
payroll can be started (or continued) from the payroll runs list."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from eservices.access import LoggedAccessAdminMixin
from eservices.admin_base import ReadOnlyAdmin, ReadOnlyInline

from .models import Dependant, Loan, LoanInstalment, PayrollRun, Pension, PensionPayment


class DependantInline(ReadOnlyInline):
    model = Dependant
    fields = ("name", "national_number", "kinship", "birth_date", "added_on", "removed_on")


class PaymentInline(ReadOnlyInline):
    model = PensionPayment
    fields = ("month", "kind", "status", "gross", "loan_deduction", "net", "due_date", "paid_at")
    ordering = ("-month",)
    max_num = 0


@admin.register(Pension)
class PensionAdmin(LoggedAccessAdminMixin, ReadOnlyAdmin):
    list_display = ("individual", "kind", "status", "amount", "start_month", "created_at")
    list_filter = ("kind", "status")
    search_fields = ("individual__national_number", "individual__personal_number", "iban")
    list_select_related = ("individual",)
    inlines = [DependantInline, PaymentInline]
    exclude = ("working",)
    access_service = "pension"

    def access_subject(self, obj):
        return obj.individual.user


@admin.register(PensionPayment)
class PensionPaymentAdmin(ReadOnlyAdmin):
    list_display = ("pension", "month", "kind", "status", "gross", "loan_deduction", "net")
    list_filter = ("kind", "status", "month")
    search_fields = ("pension__individual__national_number", "iban")
    list_select_related = ("pension__individual",)
    date_hierarchy = "month"


@admin.register(PayrollRun)
class PayrollRunAdmin(ReadOnlyAdmin):
    """The runs of each month; a button starts (or continues) this month's run in the background."""

    list_display = (
        "month",
        "status",
        "paid",
        "total_net",
        "total_deducted",
        "batches",
        "attempts",
        "started_at",
        "finished_at",
    )
    change_list_template = "pensions/admin/payrollrun_change_list.html"

    def get_urls(self):
        return [
            path(
                "run/",
                self.admin_site.admin_view(self.run_view),
                name="pensions_payrollrun_run",
            ),
            *super().get_urls(),
        ]

    def run_view(self, request):
        if request.method != "POST" or not request.user.is_superuser:
            raise PermissionDenied
        from .tasks import run_pension_payroll

        month = timezone.localdate().replace(day=1)
        transaction.on_commit(lambda: run_pension_payroll.delay(month.isoformat()))
        self.message_user(
            request,
            _("The payroll of %(month)s is running; this list shows where it has got to.")
            % {"month": f"{month:%Y-%m}"},
            messages.INFO,
        )
        return redirect("admin:pensions_payrollrun_changelist")


class InstalmentInline(ReadOnlyInline):
    model = LoanInstalment
    fields = ("sequence", "month", "amount", "status", "payment")
    ordering = ("sequence",)


@admin.register(Loan)
class LoanAdmin(ReadOnlyAdmin):
    list_display = ("pension", "principal", "months", "total", "first_month", "status")
    list_filter = ("status",)
    list_select_related = ("pension__individual",)
    inlines = [InstalmentInline]
