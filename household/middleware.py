"""A household account signed in with its temporary password must choose its own before it
opens any page of the portal (not only the household pages)."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse

# What stays reachable: the change itself, signing out, the language switch, static files.
ALLOWED_PREFIXES = (
    "/household/password/",
    "/accounts/sign-out/",
    "/i18n/",
    "/static/",
    "/captcha/",
)


class ForcedPasswordChangeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
        ):
            profile = getattr(user, "household_profile", None) if _is_household(user) else None
            if profile is not None and profile.must_change_password:
                return redirect(reverse("household:password_change"))
        return self.get_response(request)


def _is_household(user) -> bool:
    return user.id_type in ("sa_national", "sa_iqama")
