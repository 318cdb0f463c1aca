from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .exceptions import ServiceError
from .models import CivilRecord, OneTimeCode, PendingActivation, User
from .services import otp_issue


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("id_type", "id_number", "full_name", "email", "phone")


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    add_form = UserCreationForm
    list_display = (
        "id_number",
        "id_type",
        "full_name",
        "email",
        "is_activated_col",
        "is_active",
        "is_staff",
        "date_joined",
    )
    list_filter = ("id_type", "is_active", "is_staff", ("activated_at", admin.EmptyFieldListFilter))
    search_fields = ("id_number", "full_name", "email", "phone")
    ordering = ("-date_joined",)
    readonly_fields = ("username", "date_joined", "last_login", "activated_at")
    fieldsets = (
        (None, {"fields": ("username", "id_type", "id_number", "password")}),
        (_("Personal details"), {"fields": ("full_name", "email", "phone", "activation_channel")}),
        (_("Status"), {"fields": ("is_active", "activated_at", "date_joined", "last_login")}),
        (_("Permissions"), {"fields": ("is_staff", "is_superuser", "groups", "user_permissions")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "id_type",
                    "id_number",
                    "full_name",
                    "email",
                    "phone",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    @admin.display(boolean=True, description=_("activated"))
    def is_activated_col(self, obj):
        return obj.is_activated


@admin.register(PendingActivation)
class PendingActivationAdmin(admin.ModelAdmin):
    list_display = (
        "id_number",
        "id_type",
        "full_name",
        "email",
        "phone",
        "activation_channel",
        "date_joined",
        "last_code_status",
    )
    list_filter = ("id_type", "activation_channel")
    search_fields = ("id_number", "full_name", "email")
    ordering = ("-date_joined",)
    actions = ["resend_code"]
    fields = (
        "id_type",
        "id_number",
        "full_name",
        "email",
        "phone",
        "activation_channel",
        "date_joined",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).filter(activated_at__isnull=True, is_staff=False)

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("last code delivery"))
    def last_code_status(self, obj):
        code = obj.one_time_codes.order_by("-created_at").first()
        return code.get_delivery_status_display() if code else "—"

    @admin.action(description=_("Send a new activation code"))
    def resend_code(self, request, queryset):
        sent = 0
        for user in queryset:
            try:
                otp_issue(user=user, purpose=OneTimeCode.Purpose.ACTIVATION)
                sent += 1
            except ServiceError as exc:
                self.message_user(request, f"{user}: {exc.message}", messages.WARNING)
        if sent:
            self.message_user(request, _("%(n)s codes sent.") % {"n": sent}, messages.SUCCESS)


@admin.register(OneTimeCode)
class OneTimeCodeAdmin(admin.ModelAdmin):
    """Delivery and use of codes, for support staff. The codes themselves are never shown."""

    list_display = (
        "user",
        "purpose",
        "channel",
        "sent_to",
        "created_at",
        "expires_at",
        "attempts",
        "used_at",
        "delivery_status",
    )
    list_filter = ("purpose", "channel", "delivery_status")
    search_fields = ("user__id_number", "sent_to")
    exclude = ("code_hash",)
    readonly_fields = (
        "user",
        "purpose",
        "channel",
        "sent_to",
        "created_at",
        "expires_at",
        "attempts",
        "used_at",
        "revoked_at",
        "delivery_status",
        "delivery_error",
    )
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CivilRecord)
class CivilRecordAdmin(admin.ModelAdmin):
    list_display = ("number", "kind", "name_ar", "birth_date", "sex", "nationality")
    list_filter = ("kind", "sex")
    search_fields = ("number", "name_ar", "name_en", "passport_number")
