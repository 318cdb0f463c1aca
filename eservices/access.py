"""Who looked at my file: staff access to a person's record, logged for that person to see."""

from __future__ import annotations

from .models import AccessLogEntry


def access_log(*, subject, staff, service: str, action: str) -> None:
    if subject is None or staff is None or subject.pk == staff.pk:
        return
    AccessLogEntry.objects.create(subject=subject, staff=staff, service=service, action=action)


class LoggedAccessAdminMixin:
    """For a ModelAdmin whose objects belong to a person: viewing or changing one is logged.

    ``access_subject(obj)`` returns the person (a user); ``access_service`` names the record.
    """

    access_service = ""

    def access_subject(self, obj):  # pragma: no cover - overridden
        raise NotImplementedError

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = self.get_object(request, object_id)
        if obj is not None:
            action = "changed" if request.method == "POST" else "viewed"
            access_log(
                subject=self.access_subject(obj),
                staff=request.user,
                service=self.access_service or obj._meta.verbose_name,
                action=action,
            )
        return response
