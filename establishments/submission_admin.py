"""Admin of coverage movements and submissions (see establishments/admin.py): read-only lists."""

from __future__ import annotations

from django.contrib import admin

from eservices.admin_base import ReadOnlyAdmin

from .models import Movement, Submission


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = (
        "pk",
        "establishment",
        "kind",
        "period",
        "status",
        "rows_total",
        "rows_with_errors",
        "created_at",
        "confirmed_at",
    )
    list_filter = ("kind", "status", "created_at")
    list_select_related = ("establishment",)
    search_fields = ("establishment__insurance_number", "original_name", "sha256")
    date_hierarchy = "created_at"


@admin.register(Movement)
class MovementAdmin(ReadOnlyAdmin):
    list_display = (
        "date",
        "kind",
        "individual",
        "establishment",
        "wage",
        "stop_reason",
        "submission",
    )
    list_filter = ("kind", "date")
    list_select_related = ("establishment", "individual", "submission")
    search_fields = ("individual__national_number", "establishment__insurance_number")
    raw_id_fields = ("individual", "establishment", "submission", "created_by")
