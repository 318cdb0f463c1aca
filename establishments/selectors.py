"""Read functions of the establishments app, shared by its pages, services and tests."""

from __future__ import annotations

from django.http import Http404

from .models import Establishment


def establishment_of(user) -> Establishment | None:
    """The establishment a liaison officer's account acts for (None for anyone else)."""
    if not getattr(user, "is_authenticated", False) or not user.is_establishment:
        return None
    return (
        Establishment.objects.select_related("liaison_officer")
        .filter(liaison_officer__user=user)
        .first()
    )


def own_establishment_or_404(user) -> Establishment:
    est = establishment_of(user)
    if est is None:
        raise Http404
    return est
