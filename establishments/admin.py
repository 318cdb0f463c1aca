from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.exceptions import ServiceError

from .models import Establishment, EstablishmentApplication, LiaisonOfficer


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


# --- establishment registrations (acc.register-establishment) -------------------------------


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label=_("Reasons (required to reject)"), required=False, widget=forms.Textarea
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reasons") or "").strip():
            self.add_error("reasons", _("Give the reasons for the rejection."))
        return data


@admin.register(EstablishmentApplication)
class EstablishmentApplicationAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "establishment_name", "status", "step", "submitted_at", "decided_at")
    list_filter = ("status",)
    search_fields = ("reference", "data__establishment__name", "establishment__insurance_number")
    date_hierarchy = "created_at"
    actions = ["approve_selected"]
    fields = (
        "reference",
        "status",
        "step",
        "answers",
        "proof_link",
        "created_at",
        "updated_at",
        "submitted_at",
        "decided_at",
        "decided_by",
        "decision_reason",
        "establishment",
        "decide_link",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # decided through the decide page or the action, never edited

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm("establishments.change_establishmentapplication"):
            actions.pop("approve_selected", None)
        return actions

    @admin.display(description=_("establishment name"))
    def establishment_name(self, obj):
        return (obj.data or {}).get("establishment", {}).get("name", "")

    @admin.display(description=_("answers"))
    def answers(self, obj):
        from .registration import answers_sections

        parts = []
        for section in answers_sections(obj):
            parts.append(format_html("<h3>{}</h3>", section["title"]))
            groups = section.get("owners") or [section.get("rows", [])]
            for rows in groups:
                parts.append(
                    format_html(
                        "<table>{}</table>",
                        format_html_join(
                            "", "<tr><th>{}</th><td>{}</td></tr>", ((k, v) for k, v in rows)
                        ),
                    )
                )
        return mark_safe("".join(str(p) for p in parts))  # noqa: S308 (every part is escaped)

    @admin.display(description=_("proof document"))
    def proof_link(self, obj):
        if not obj.proof_document:
            return "—"
        url = reverse("establishments:register_document", args=[obj.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("Open"))

    @admin.display(description=_("decision"))
    def decide_link(self, obj):
        if obj.status != EstablishmentApplication.Status.SUBMITTED:
            return "—"
        url = reverse("admin:establishments_establishmentapplication_decide", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Approve or reject"))

    def get_urls(self):
        urls = super().get_urls()
        mine = [
            path(
                "<int:pk>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="establishments_establishmentapplication_decide",
            ),
        ]
        return mine + urls

    def decide_view(self, request, pk: int):
        from .registration import answers_sections, application_approve, application_reject

        if not request.user.has_perm("establishments.change_establishmentapplication"):
            raise PermissionDenied
        app = get_object_or_404(EstablishmentApplication, pk=pk)
        form = DecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                if form.cleaned_data["decision"] == "approve":
                    app = application_approve(application=app, staff=request.user)
                    self.message_user(
                        request,
                        _("Approved: establishment insurance number %(n)s.")
                        % {"n": app.establishment.insurance_number},
                        messages.SUCCESS,
                    )
                else:
                    application_reject(
                        application=app, staff=request.user, reasons=form.cleaned_data["reasons"]
                    )
                    self.message_user(request, _("Rejected."), messages.SUCCESS)
            except ServiceError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            return redirect("admin:establishments_establishmentapplication_change", app.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": app,
            "title": _("Decide on %(ref)s") % {"ref": app},
            "sections": answers_sections(app),
            "form": form,
            "proof_url": reverse("establishments:register_document", args=[app.pk])
            if app.proof_document
            else "",
        }
        return TemplateResponse(request, "establishments/register/admin_decide.html", context)

    @admin.action(description=_("Approve the selected applications"))
    def approve_selected(self, request, queryset):
        from .registration import application_approve

        done = 0
        for app in queryset:
            try:
                application_approve(application=app, staff=request.user)
            except ServiceError as exc:
                self.message_user(request, f"{app}: {exc.message}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request, _("%(n)s applications approved.") % {"n": done}, messages.SUCCESS
            )


from . import submission_admin  # noqa: E402,F401  (registers the movements and submissions admin)
